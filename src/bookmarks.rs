//! Browser bookmarks in the Netscape format that Firefox and Chrome export
//! and import: read into a note (folders become headings, bookmarks become
//! `- [title](url)` items, nothing else invented), and written from links.

use html5gum::{Token, Tokenizer};

use crate::notebook::edit::link_item;
use crate::page::html;

/// What the text being read belongs to.
enum Capture {
    None,
    Title,
    Folder,
    Bookmark(String),
}

/// The Markdown of a note holding the bookmarks of a Netscape export.
pub fn import(html: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut capture = Capture::None;
    let mut text = String::new();
    let mut items_open = false;
    let block = |out: &mut String, line: String, items_open: &mut bool, item: bool| {
        if !out.is_empty() && (!item || !*items_open) {
            out.push('\n');
        }
        out.push_str(&line);
        out.push('\n');
        *items_open = item;
    };
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => match tag.name.as_slice() {
                b"dl" => depth += 1,
                b"h1" => (capture, text) = (Capture::Title, String::new()),
                b"h3" => (capture, text) = (Capture::Folder, String::new()),
                b"a" => {
                    let href = tag
                        .attributes
                        .get(b"href".as_slice())
                        .map(|v| String::from_utf8_lossy(v).trim().to_string());
                    if let Some(href) = href.filter(|h| !h.is_empty()) {
                        (capture, text) = (Capture::Bookmark(href), String::new());
                    }
                }
                _ => {}
            },
            Token::EndTag(tag) => match (tag.name.as_slice(), &capture) {
                (b"dl", _) => depth = depth.saturating_sub(1),
                (b"h1", Capture::Title) => {
                    block(
                        &mut out,
                        format!("# {}", one_line(&text)),
                        &mut items_open,
                        false,
                    );
                    capture = Capture::None;
                }
                (b"h3", Capture::Folder) => {
                    let level = (depth + 1).clamp(2, 6);
                    let title = one_line(&text);
                    block(
                        &mut out,
                        format!("{} {}", "#".repeat(level), title),
                        &mut items_open,
                        false,
                    );
                    capture = Capture::None;
                }
                (b"a", Capture::Bookmark(url)) => {
                    let item = link_item(&one_line(&text), url);
                    block(&mut out, item, &mut items_open, true);
                    capture = Capture::None;
                }
                _ => {}
            },
            Token::String(s) if !matches!(capture, Capture::None) => {
                text.push_str(&String::from_utf8_lossy(&s));
            }
            _ => {}
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Netscape bookmarks file of `links`: each `(folders, title, url)` in the
/// folders named, which nest in the order given.
pub fn export<'a>(links: impl Iterator<Item = (Vec<String>, String, &'a str)>) -> String {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n\
         <H1>Bookmarks</H1>\n\
         <DL><p>\n",
    );
    let mut open: Vec<String> = Vec::new();
    let indent = |n: usize| "    ".repeat(n);
    for (folders, title, url) in links {
        let common = open
            .iter()
            .zip(&folders)
            .take_while(|(a, b)| a == b)
            .count();
        while open.len() > common {
            open.pop();
            out.push_str(&format!("{}</DL><p>\n", indent(open.len() + 1)));
        }
        for f in &folders[common..] {
            out.push_str(&format!(
                "{0}<DT><H3>{1}</H3>\n{0}<DL><p>\n",
                indent(open.len() + 1),
                html(f)
            ));
            open.push(f.clone());
        }
        out.push_str(&format!(
            "{}<DT><A HREF=\"{}\">{}</A>\n",
            indent(open.len() + 1),
            html(url),
            html(&title)
        ));
    }
    while !open.is_empty() {
        open.pop();
        out.push_str(&format!("{}</DL><p>\n", indent(open.len() + 1)));
    }
    out.push_str("</DL><p>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As Firefox writes it (trimmed): attributes, entities, `<p>` after `<DL>`.
    const FIREFOX: &str = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><A HREF="https://status.example.com/" ADD_DATE="1700000000">Status &amp; uptime</A>
    <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="1700000001">Postmortems</H3>
    <DL><p>
        <DT><A HREF="https://blog.cloudflare.com/18-november-2025-outage/" ICON="data:image/png;base64,AAA">Cloudflare [18 Nov] outage</A>
        <DT><H3>2024</H3>
        <DL><p>
            <DT><A HREF="https://x.test/a">A
              wrapped title</A>
        </DL><p>
    </DL><p>
    <DT><H3>Empty</H3>
    <DL><p>
    </DL><p>
</DL>
"#;

    #[test]
    fn folders_become_headings_and_bookmarks_items() {
        assert_eq!(
            import(FIREFOX),
            "# Bookmarks Menu\n\
             \n\
             - [Status & uptime](https://status.example.com/)\n\
             \n\
             ## Postmortems\n\
             \n\
             - [Cloudflare \\[18 Nov\\] outage](https://blog.cloudflare.com/18-november-2025-outage/)\n\
             \n\
             ### 2024\n\
             \n\
             - [A wrapped title](https://x.test/a)\n\
             \n\
             ## Empty\n"
        );
    }

    #[test]
    fn an_export_reads_back_as_the_same_folders_and_links() {
        let links = vec![
            (
                vec!["plan.md".to_string(), "Post-Mortem".into(), "2023".into()],
                "A <b> & \"c\"".to_string(),
                "https://a.test/?x=1&y=2",
            ),
            (
                vec!["plan.md".to_string(), "Post-Mortem".into(), "2023".into()],
                "B".to_string(),
                "https://b.test/",
            ),
            (
                vec!["plan.md".to_string(), "Tools".into()],
                "C".to_string(),
                "https://c.test/",
            ),
        ];
        let html = export(links.into_iter());
        assert!(html.contains(
            "<DT><A HREF=\"https://a.test/?x=1&amp;y=2\">A &lt;b&gt; &amp; &quot;c&quot;</A>"
        ));
        assert_eq!(
            import(&html),
            "# Bookmarks\n\n## plan.md\n\n### Post-Mortem\n\n#### 2023\n\n\
             - [A <b> & \"c\"](https://a.test/?x=1&y=2)\n- [B](https://b.test/)\n\n\
             ### Tools\n\n- [C](https://c.test/)\n"
        );
    }
}
