//! A link's URL replaced in place (a dead page by its archived copy, a moved
//! one by its new address): only the URL's bytes change, and the result must
//! read back with the same links.

use super::document::parse_document;
use super::edit::Edit;
use super::model::Document;

/// Why a URL could not be rewritten.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RewriteError {
    /// The document has no link with this index.
    #[error("no such link")]
    NoLink,
    /// The URL stands in the note with escapes or entities.
    #[error("{0} is written with escapes: edit it by hand")]
    Escaped(String),
    /// The new note would not read back with the new URL in place.
    #[error("`{0}` would not read back as the link's URL: edit it by hand")]
    ReadsBack(String),
}

/// One edit of `doc` that replaces the URL of each link given (by its index
/// in `doc.links`) with its new URL; the bytes between are kept.
pub fn rewrite_urls(doc: &Document, rewrites: &[(usize, String)]) -> Result<Edit, RewriteError> {
    let mut ranges: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut expected: Vec<(usize, usize)> = Vec::new();
    for (index, new_url) in rewrites {
        let link = doc.links.get(*index).ok_or(RewriteError::NoLink)?;
        let url = doc.link_url_ref(link);
        if !url.in_source() {
            return Err(RewriteError::Escaped(doc.text(url).to_string()));
        }
        let range = url.range();
        let before = &doc.source[..range.start];
        expected.push((*index, ranges.len()));
        ranges.push((range, fit(new_url, before.ends_with('<'))));
    }
    // Links sharing one reference definition share its bytes: written once.
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| ranges[i].0.start);
    order.dedup_by_key(|i| ranges[*i].0.clone());
    let written: Vec<&(std::ops::Range<usize>, String)> =
        order.iter().map(|&i| &ranges[i]).collect();
    let (Some(first), Some(last)) = (written.first(), written.last()) else {
        return Err(RewriteError::NoLink);
    };
    let span = first.0.start..last.0.end;
    let mut text = String::new();
    let mut at = span.start;
    for (range, url) in &written {
        text.push_str(&doc.source[at..range.start]);
        text.push_str(url);
        at = range.end;
    }
    let edit = Edit { range: span, text };
    let fitted = expected
        .iter()
        .map(|&(link, r)| (link, ranges[r].1.as_str()));
    reads_back(doc, &edit, fitted)?;
    Ok(edit)
}

/// The URL as it may stand in Markdown: whitespace and angle brackets
/// percent-encoded, and parentheses too unless they pair up (or the URL is
/// in `<…>`, where they may stand as they are).
fn fit(url: &str, in_angle_brackets: bool) -> String {
    let mut depth = 0i32;
    let mut paired = true;
    for c in url.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                paired &= depth >= 0;
            }
            _ => {}
        }
    }
    paired &= depth == 0;
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' if !paired && !in_angle_brackets => out.push_str("%28"),
            ')' if !paired && !in_angle_brackets => out.push_str("%29"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether the edited note reads back with as many links, each rewritten
/// one holding its new URL.
fn reads_back<'a>(
    doc: &Document,
    edit: &Edit,
    mut fitted: impl Iterator<Item = (usize, &'a str)>,
) -> Result<(), RewriteError> {
    let source = super::edit::splice(&doc.source, edit.range.clone(), &edit.text);
    let new = parse_document(doc.path.clone(), source, false);
    let holds = |(link, url): &(usize, &str)| {
        new.links.len() == doc.links.len()
            && new
                .links
                .get(*link)
                .is_some_and(|l| new.link_url(l) == *url)
    };
    match fitted.find(|f| !holds(f)) {
        Some((_, url)) => Err(RewriteError::ReadsBack(url.to_string())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn doc(s: &str) -> Document {
        parse_document(PathBuf::from("pm.md"), s.to_string(), false)
    }

    fn rewritten(s: &str, rewrites: &[(usize, &str)]) -> Result<String, RewriteError> {
        let d = doc(s);
        let r: Vec<(usize, String)> = rewrites.iter().map(|(i, u)| (*i, u.to_string())).collect();
        let e = rewrite_urls(&d, &r)?;
        Ok(super::super::edit::splice(&d.source, e.range, &e.text))
    }

    const ARCHIVED: &str = "https://web.archive.org/web/20190312093015/https://a.example/pm";

    #[test]
    fn a_rewrite_that_would_not_read_back_as_the_link_is_refused() {
        // A bare URL rewritten to something that is no URL is no link.
        assert_eq!(
            rewritten("- see https://a.example/pm\n", &[(0, "not a url")]),
            Err(RewriteError::ReadsBack("not%20a%20url".into()))
        );
    }

    #[test]
    fn only_the_url_bytes_change_in_every_form_a_link_takes() {
        let cases = [
            (
                "- [Acme](https://a.example/pm). It broke.\n",
                "- [Acme](ARCHIVED). It broke.\n",
            ),
            (
                "- <https://a.example/pm> - It broke\r\n",
                "- <ARCHIVED> - It broke\r\n",
            ),
            (
                "- July 18 - It broke https://a.example/pm\n",
                "- July 18 - It broke ARCHIVED\n",
            ),
            (
                "- [Acme][1] broke\n\n[1]: https://a.example/pm \"t\"\n",
                "- [Acme][1] broke\n\n[1]: ARCHIVED \"t\"\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(
                rewritten(before, &[(0, ARCHIVED)]).as_deref(),
                Ok(after.replace("ARCHIVED", ARCHIVED).as_str()),
                "{before}"
            );
        }
    }

    #[test]
    fn several_links_of_one_note_in_one_edit() {
        let s = "# 2019\n- [A](https://a.example/1) one\n- [B](https://b.example/2) two\n- [C](https://c.example/3) three\n";
        let d = doc(s);
        let e = rewrite_urls(
            &d,
            &[
                (2, "https://c.example/new".into()),
                (0, "https://a.example/new".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            e.range,
            s.find("https://a").unwrap()..s.find("/3)").unwrap() + 2
        );
        assert_eq!(
            super::super::edit::splice(s, e.range, &e.text),
            "# 2019\n- [A](https://a.example/new) one\n- [B](https://b.example/2) two\n- [C](https://c.example/new) three\n"
        );
    }

    #[test]
    fn urls_are_made_to_fit_their_place() {
        assert_eq!(
            rewritten(
                "- [W](https://w.example/a) x\n",
                &[(0, "https://w.example/Foo_(bar) x>")]
            )
            .as_deref(),
            Ok("- [W](https://w.example/Foo_(bar)%20x%3E) x\n")
        );
        assert_eq!(
            rewritten(
                "- [W](https://w.example/a) x\n",
                &[(0, "https://w.example/a)b")]
            )
            .as_deref(),
            Ok("- [W](https://w.example/a%29b) x\n")
        );
    }

    #[test]
    fn an_escaped_url_is_left_for_the_user() {
        assert_eq!(
            rewritten("- [A](https://a.example/a\\_b) x\n", &[(0, ARCHIVED)]),
            Err(RewriteError::Escaped("https://a.example/a_b".into()))
        );
        assert_eq!(
            rewritten("- [A](https://a.example/) x\n", &[(3, ARCHIVED)]),
            Err(RewriteError::NoLink)
        );
    }
}
