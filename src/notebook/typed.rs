//! Text and URLs as a user types them, made into Markdown that reads back
//! the same: one line, syntax escaped, URLs made whole, unsafe schemes refused.

/// Typed text as Markdown that reads back as the same text on one line:
/// line breaks and runs of spaces become one space, control characters go,
/// and what Markdown would take for syntax (`\`, brackets, `<` of a tag,
/// `&` of an entity, `*`, `` ` `` and `~` of emphasis, code and strikes, `_`
/// at a word's edge) is escaped.
pub fn inline_text(text: &str) -> String {
    let line: String = super::item::one_line(text)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut out = String::with_capacity(line.len());
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    for (i, c) in line.char_indices() {
        match c {
            '\\' | '[' | ']' | '<' | '*' | '`' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word (`k8s_at_home`) `_` is no emphasis.
            '_' if !(word(line[..i].chars().next_back()) && word(line[i + 1..].chars().next())) => {
                out.push_str("\\_");
            }
            '&' if looks_like_entity(&line[i + 1..]) => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    out
}

/// `amp;`, `#39;`, `#x263A;`: what follows an `&` that makes it an entity.
fn looks_like_entity(rest: &str) -> bool {
    let name = rest
        .split(';')
        .next()
        .filter(|n| n.len() < rest.len())
        .unwrap_or("");
    !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
}

/// A URL as typed, made whole: `example.com/x` gets `https://`; text that is
/// no URL at all (spaces, no scheme and no dotted host) is `None`.
pub fn typed_url(input: &str) -> Option<String> {
    let input = input.trim();
    if input.is_empty() || input.chars().any(char::is_whitespace) || refused_scheme(input).is_some()
    {
        return None;
    }
    if let Ok(u) = url::Url::parse(input) {
        // `localhost:8080` parses with the scheme `localhost`; a real
        // scheme comes with `//` or is one without hosts (mailto:, tel:).
        let hierarchical = input[u.scheme().len()..].starts_with("://");
        let port_like = input[u.scheme().len() + 1..].starts_with(|c: char| c.is_ascii_digit());
        if hierarchical || (u.cannot_be_a_base() && !port_like) {
            return Some(input.to_string());
        }
    }
    let https = format!("https://{input}");
    let u = url::Url::parse(&https).ok()?;
    let host = u.host_str()?;
    (host.contains('.') || host == "localhost").then_some(https)
}

/// The scheme of a URL that runs code or reads local files when opened
/// (`javascript:`, `data:`, `vbscript:`, `file:`): never added as a link.
pub fn refused_scheme(url: &str) -> Option<&'static str> {
    let scheme = super::model::scheme(url.trim())?;
    ["javascript", "data", "vbscript", "file"]
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;
    use crate::notebook::edit::link_item;

    fn doc(text: &str) -> crate::notebook::Document {
        parse_document("t.md".into(), text.to_string(), false)
    }

    #[test]
    fn typed_titles_read_back_as_typed_on_one_line() {
        assert_eq!(inline_text("amp & <b>"), "amp & \\<b>");
        assert_eq!(
            inline_text("Tom &amp; Jerry &#39;s"),
            "Tom \\&amp; Jerry \\&#39;s"
        );
        assert_eq!(
            inline_text("line1\nline2\t\x1b[31mred\x07"),
            "line1 line2 \\[31mred"
        );
        assert_eq!(inline_text(r"a\b [c]"), r"a\\b \[c\]");
        for title in [
            "amp & <b>",
            "Tom &amp; Jerry's <guide> [x]",
            r"back\slash",
            "<script>alert(\"x\")</script> & \"q\"",
            "*star* _under_ k8s_at_home `code` ~strike~ a * b",
        ] {
            let d = doc(&format!("{}\n", link_item(title, "https://e.test/")));
            let l = d.links.first().map(|l| d.link_text(l).to_string());
            assert_eq!(l.as_deref(), Some(title), "{title}");
        }
    }

    #[test]
    fn typed_urls_are_made_whole_or_refused() {
        let t = |s: &str| typed_url(s);
        assert_eq!(t(" https://x.test/a "), Some("https://x.test/a".into()));
        assert_eq!(
            t("example.com/postmortem"),
            Some("https://example.com/postmortem".into())
        );
        assert_eq!(
            t("example.com:8443/x"),
            Some("https://example.com:8443/x".into())
        );
        assert_eq!(t("localhost:8080"), Some("https://localhost:8080".into()));
        assert_eq!(
            t("mailto:oncall@x.test"),
            Some("mailto:oncall@x.test".into())
        );
        assert_eq!(t("not a url"), None);
        assert_eq!(t("javascript:alert(1)"), None);
        assert_eq!(t("FILE:///etc/passwd"), None);
        assert_eq!(refused_scheme("JavaScript:x"), Some("javascript"));
        assert_eq!(refused_scheme("https://data.test/"), None);
        assert_eq!(t("postmortem"), None);
        assert_eq!(t(""), None);
    }
}
