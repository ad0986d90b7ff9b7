//! Browser bookmarks in the Netscape format that Firefox and Chrome export
//! and import: read into a note (folders become headings, bookmarks become
//! `- [title](url)` items, nothing else invented), and written from links.

use crate::notebook::item::one_line;
use html5gum::{Token, Tokenizer};

use super::html;
use crate::notebook::edit::{inline_text, link_item, refused_scheme};

/// What the text being read belongs to.
enum Capture {
    None,
    Title,
    Folder,
    Bookmark(String),
    /// The `<DD>` after a bookmark: what the user wrote of it.
    Description,
}

/// A folder of the export: its own bookmarks first, then its folders, as
/// Markdown keeps a heading's own items before its subheadings.
#[derive(Default)]
struct Folder {
    title: String,
    items: Vec<String>,
    children: Vec<Folder>,
}

/// The Markdown of a note holding the bookmarks of a Netscape export, and
/// how many entries were left out (bookmarklets, browser-internal queries).
pub fn import(html: &str) -> (String, usize) {
    let mut title = None;
    // The open folders, the root at the bottom.
    let mut open = vec![Folder::default()];
    // For each open <DL>: whether it opened a folder.
    let mut lists: Vec<bool> = Vec::new();
    let mut pending: Option<Folder> = None;
    let mut capture = Capture::None;
    let mut text = String::new();
    let mut skipped = 0;
    // A folder heading with no list of its own is an empty folder.
    let settle = |pending: &mut Option<Folder>, open: &mut Vec<Folder>| {
        if let (Some(f), Some(parent)) = (pending.take(), open.last_mut()) {
            parent.children.push(f);
        }
    };
    // Whether the last thing read was a bookmark, whose `<DD>` describes it.
    let mut after_bookmark = false;
    // A `<DD>` has no end tag: it ends where the next entry or list starts.
    let describe = |capture: &mut Capture, text: &str, open: &mut Vec<Folder>| {
        if matches!(capture, Capture::Description) {
            *capture = Capture::None;
            let said = inline_text(text);
            if let (false, Some(item)) = (
                said.is_empty(),
                open.last_mut().and_then(|f| f.items.last_mut()),
            ) {
                item.push_str(" - ");
                item.push_str(&said);
            }
        }
    };
    for token in Tokenizer::new(html).flatten() {
        match &token {
            Token::StartTag(tag)
                if matches!(tag.name.as_slice(), b"dt" | b"dl" | b"h3" | b"a" | b"hr") =>
            {
                describe(&mut capture, &text, &mut open);
            }
            Token::EndTag(tag) if tag.name.as_slice() == b"dl" => {
                describe(&mut capture, &text, &mut open);
            }
            _ => {}
        }
        match token {
            Token::StartTag(tag) if tag.name.as_slice() == b"dd" => {
                if after_bookmark {
                    (capture, text) = (Capture::Description, String::new());
                }
                after_bookmark = false;
            }
            Token::StartTag(tag) => match tag.name.as_slice() {
                b"dl" => match pending.take() {
                    Some(f) => {
                        open.push(f);
                        lists.push(true);
                    }
                    None => lists.push(false),
                },
                b"h1" => (capture, text) = (Capture::Title, String::new()),
                b"h3" => {
                    settle(&mut pending, &mut open);
                    (capture, text) = (Capture::Folder, String::new());
                }
                b"a" => {
                    settle(&mut pending, &mut open);
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
                (b"dl", _) => {
                    settle(&mut pending, &mut open);
                    if lists.pop() == Some(true) {
                        close(&mut open);
                    }
                }
                (b"h1", Capture::Title) => {
                    title = Some(one_line(&text));
                    capture = Capture::None;
                }
                (b"h3", Capture::Folder) => {
                    pending = Some(Folder {
                        title: one_line(&text),
                        ..Folder::default()
                    });
                    capture = Capture::None;
                }
                (b"a", Capture::Bookmark(url)) => {
                    let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
                    if refused_scheme(url).is_some() || scheme == "place" {
                        skipped += 1;
                    } else if let Some(folder) = open.last_mut() {
                        folder.items.push(link_item(&text, url));
                        after_bookmark = true;
                    }
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
    describe(&mut capture, &text, &mut open);
    settle(&mut pending, &mut open);
    while open.len() > 1 {
        close(&mut open);
    }
    let mut out = String::new();
    if let Some(t) = title {
        out.push_str(&format!("# {}\n", inline_text(&t)));
    }
    if let Some(root) = open.pop() {
        write_folder(&mut out, &root, 1);
    }
    (out, skipped)
}

/// Ends the innermost open folder (never the root): it joins its parent.
fn close(open: &mut Vec<Folder>) {
    if open.len() > 1
        && let Some(f) = open.pop()
        && let Some(parent) = open.last_mut()
    {
        parent.children.push(f);
    }
}

/// A folder's bookmarks, then its folders under headings one level down.
fn write_folder(out: &mut String, folder: &Folder, level: usize) {
    if !folder.items.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for item in &folder.items {
            out.push_str(item);
            out.push('\n');
        }
    }
    for child in &folder.children {
        if !out.is_empty() {
            out.push('\n');
        }
        let hashes = "#".repeat((level + 1).min(6));
        out.push_str(&format!("{hashes} {}\n", inline_text(&child.title)));
        write_folder(out, child, level + 1);
    }
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
            import(FIREFOX).0,
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
    fn a_bookmark_after_a_folder_stays_in_its_own_folder() {
        let html = r#"<H1>Bookmarks</H1>
<DL><p>
    <DT><H3>Ops &amp; SRE</H3>
    <DL><p>
        <DT><H3>Nested</H3>
        <DL><p>
            <DT><A HREF="https://n.test/">Deep</A>
        </DL><p>
        <DT><A HREF="https://o.test/">In Ops</A>
    </DL><p>
    <DT><A HREF="https://t.test/">Top "quoted" &lt;b&gt;</A>
    <DT><A HREF="javascript:alert(1)">Bookmarklet</A>
    <DT><A HREF="place:sort=8">Recent</A>
</DL>"#;
        assert_eq!(
            import(html),
            (
                "# Bookmarks\n\n- [Top \"quoted\" \\<b>](https://t.test/)\n\n\
                 ## Ops & SRE\n\n- [In Ops](https://o.test/)\n\n\
                 ### Nested\n\n- [Deep](https://n.test/)\n"
                    .to_string(),
                2
            )
        );
    }

    #[test]
    fn a_bookmarks_description_is_kept_after_its_link_and_titles_are_escaped() {
        // Firefox and Chrome write a bookmark's description as an unclosed <DD>.
        let html = r#"<H1>Bookmarks</H1>
<DL><p>
    <DT><H3>Postmortems</H3>
    <DD>Folders have descriptions too
    <DL><p>
        <DT><A HREF="https://a.test/">*star* and _under_ k8s_at_home `code` ~x~</A>
        <DD>DNS failed &amp; the
          failover did not
        <DT><A HREF="https://b.test/">No description</A>
        <DT><A HREF="https://c.test/">Last</A>
        <DD>Said last
    </DL><p>
</DL>"#;
        assert_eq!(
            import(html).0,
            "# Bookmarks\n\n## Postmortems\n\n\
             - [\\*star\\* and \\_under\\_ k8s_at_home \\`code\\` \\~x\\~](https://a.test/) - DNS failed & the failover did not\n\
             - [No description](https://b.test/)\n\
             - [Last](https://c.test/) - Said last\n"
        );
        let doc = crate::notebook::document::parse_document("b.md".into(), import(html).0, false);
        let first = doc.links.first().map(|l| doc.link_text(l).to_string());
        assert_eq!(
            first.as_deref(),
            Some("*star* and _under_ k8s_at_home `code` ~x~")
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
            import(&html).0,
            "# Bookmarks\n\n## plan.md\n\n### Post-Mortem\n\n#### 2023\n\n\
             - [A \\<b> & \"c\"](https://a.test/?x=1&y=2)\n- [B](https://b.test/)\n\n\
             ### Tools\n\n- [C](https://c.test/)\n"
        );
    }
}
