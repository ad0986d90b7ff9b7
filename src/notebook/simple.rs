//! The shapes most lines of notes have, read without the CommonMark parser,
//! which otherwise costs most of a load: inline links with plain labels and
//! plain destinations among plain text (`[Title](https://…). What
//! happened.`), and reference definitions (`[r1]: https://…`). Anything else
//! is `None`, and pulldown-cmark reads it; a property test checks that both
//! read every text these accept the same.

use std::ops::Range;

use linkify::LinkFinder;

use super::links::{FoundLink, Piece, bare_urls};

/// Bytes that may mean Markdown outside a link destination: escapes, code,
/// HTML and autolinks, entities, images, emphasis, line breaks, tabs.
fn special(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'`' | b'<' | b'>' | b'&' | b'!' | b'*' | b'_' | b'~' | b'\n' | b'\r' | b'\t'
    ) || b < 0x20
        || b == 0x7f
}

/// Whether a link destination is plain: no whitespace (ASCII or not), no
/// control characters, no brackets, parentheses, quotes, escapes or entities.
fn plain_destination(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '(' | ')' | '<' | '>' | '[' | ']' | '\\' | '&' | '`' | '"' | '\''
                )
        })
}

/// Whether the text, read as a document of its own, would start with a
/// block of its own (a list, a heading, a code block, a table …) rather than
/// a paragraph: four spaces of indentation, or a marker after up to three.
fn starts_a_block(bytes: &[u8]) -> bool {
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    if indent >= 4 {
        return true;
    }
    let rest = &bytes[indent..];
    match rest.first() {
        Some(b'-' | b'+' | b'#' | b'=' | b'|') => true,
        Some(b'0'..=b'9') => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            matches!(rest.get(digits), Some(b'.' | b')'))
        }
        _ => false,
    }
}

/// The links of a node's text made only of plain text and inline links with
/// plain labels and destinations, as `find_links` would find them; `None`
/// for any other text.
pub(super) fn inline_links(text: &str, finder: &LinkFinder) -> Option<Vec<FoundLink>> {
    let bytes = text.as_bytes();
    if starts_a_block(bytes) {
        return None;
    }
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        // Plain text up to the next `[`.
        let rest = &bytes[at..];
        let open = rest
            .iter()
            .position(|&b| b == b'[' || b == b']' || special(b));
        let plain_end = match open {
            Some(i) if rest[i] == b'[' => at + i,
            Some(_) => return None,
            None => bytes.len(),
        };
        if plain_end > at {
            bare_urls(finder, &text[at..plain_end], at..plain_end, &mut found);
        }
        if plain_end == bytes.len() {
            break;
        }
        // `[label](destination)`.
        let label_start = plain_end + 1;
        let close = bytes[label_start..].iter().position(|&b| b == b']')? + label_start;
        let label = &text[label_start..close];
        if label.trim().is_empty()
            || label.len() > 500
            || label.bytes().any(|b| b == b'[' || special(b))
        {
            return None;
        }
        if bytes.get(close + 1) != Some(&b'(') {
            return None;
        }
        let dest_start = close + 2;
        let dest_end = bytes[dest_start..].iter().position(|&b| b == b')')? + dest_start;
        if !plain_destination(&text[dest_start..dest_end]) {
            return None;
        }
        found.push(FoundLink {
            text: Piece::At(label_start..close),
            url: Piece::At(dest_start..dest_end),
            offset: plain_end,
        });
        at = dest_end + 1;
    }
    found.sort_by_key(|l| l.offset);
    Some(found)
}

/// A line that is a plain reference definition, `[label]: destination`
/// (up to three spaces before it, nothing after but spaces): its label, and
/// where its destination stands in the line. `None` for any other line.
pub(super) fn reference_definition(line: &str) -> Option<(&str, Range<usize>)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = line[indent..].strip_prefix('[')?;
    let close = rest.find(']')?;
    let label = &rest[..close];
    if label.trim().is_empty()
        || label.len() > 500
        || label.bytes().any(|b| b == b'[' || special(b))
    {
        return None;
    }
    let after = rest[close + 1..].strip_prefix(':')?;
    let dest_offset = line.len() - after.len();
    let dest_text = after.trim_start_matches(' ');
    let dest_start = dest_offset + (after.len() - dest_text.len());
    let dest_len = dest_text.find(' ').unwrap_or(dest_text.len());
    let dest = &dest_text[..dest_len];
    if !plain_destination(dest) || !dest_text[dest_len..].trim_matches(' ').is_empty() {
        return None;
    }
    Some((label, dest_start..dest_start + dest_len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::links::{RefDefs, bare_url_finder, parsed_links};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    /// Pieces of text: plain ones, and ones that may mean Markdown.
    const PLAIN: &[&str] = &[
        " ",
        "  ",
        "a",
        "Acme outage",
        "é",
        "東京",
        ".",
        "(",
        ")",
        ": ",
        ":",
        "#",
        "- ",
        "1. ",
        "> ",
        "https://a.example/x",
        "http://b.example/(z)",
        "www.c.example",
        "mailto:x@y.z",
        "\u{a0}",
    ];
    const SPECIAL: &[&str] = &[
        "[",
        "]",
        "]:",
        "    ",
        "_",
        "*",
        "!",
        "\\",
        "`",
        "<",
        ">",
        "&amp;",
        "~",
        "\n",
        "\t",
        "\"",
        "'",
        "https://a.example/x_y",
    ];
    /// Pieces of link labels and destinations, plain and not.
    const LABEL: &[&str] = &["Acme", " ", "outage", "é", "東京", ":", "a b"];
    const LABEL_SPECIAL: &[&str] = &["_", "*", "`", "[", "]", "!", "&amp;", "\\", "\n"];
    const DEST: &[&str] = &["https://a.example/x_y", "/p", "#x", "?q=1", "*", "_", ":"];
    const DEST_SPECIAL: &[&str] = &["(", ")", " ", "\"t\"", "<u>", "\\", "&amp;", "\u{a0}", "\n"];

    fn pick(
        plain: &'static [&'static str],
        special: &'static [&'static str],
    ) -> impl Strategy<Value = &'static str> {
        prop_oneof![
            6 => prop::sample::select(plain),
            1 => prop::sample::select(special),
        ]
    }

    fn link() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(pick(LABEL, LABEL_SPECIAL), 1..4),
            prop::collection::vec(pick(DEST, DEST_SPECIAL), 1..3),
        )
            .prop_map(|(l, d)| format!("[{}]({})", l.concat(), d.concat()))
    }

    fn text() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            4 => prop::sample::select(PLAIN).prop_map(String::from),
            1 => prop::sample::select(SPECIAL).prop_map(String::from),
            3 => link(),
        ];
        prop::collection::vec(token, 0..10).prop_map(|v| v.concat())
    }

    fn read(found: Vec<FoundLink>, text: &str) -> Vec<(String, String, usize)> {
        found
            .into_iter()
            .map(|f| {
                (
                    f.text.get(text, text).to_string(),
                    f.url.get(text, text).to_string(),
                    f.offset,
                )
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// What the simple reading accepts, it reads as pulldown-cmark does.
        #[test]
        fn simple_links_are_the_parsers_links(text in text()) {
            let finder = bare_url_finder();
            if let Some(simple) = inline_links(&text, &finder) {
                let parsed = parsed_links(&text, &RefDefs::default(), &finder);
                prop_assert_eq!(read(simple, &text), read(parsed, &text), "{:?}", text);
            }
        }

        /// Reference definitions read without the parser are the parser's.
        #[test]
        fn simple_definitions_are_the_parsers(lines in prop::collection::vec(text(), 1..4)) {
            let source = lines.iter().map(|l| format!("[r{}]: {l}", l.len())).collect::<Vec<_>>().join("\n");
            prop_assert_eq!(
                RefDefs::collect_with(&source, true).entries(),
                RefDefs::collect_with(&source, false).entries(),
                "{:?}", source
            );
        }
    }

    #[test]
    fn the_property_tests_reach_the_simple_shapes() {
        // Guards the generator: the properties above mean little unless
        // many generated texts take the simple path.
        let finder = bare_url_finder();
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = text();
        let simple = (0..2000)
            .filter(|_| {
                let t = strategy.new_tree(&mut runner).unwrap().current();
                t.contains('[') && inline_links(&t, &finder).is_some_and(|f| !f.is_empty())
            })
            .count();
        assert!(simple > 150, "{simple}");
        let definitions = (0..2000)
            .filter(|_| {
                let t = strategy.new_tree(&mut runner).unwrap().current();
                reference_definition(&format!("[r]: {t}")).is_some()
            })
            .count();
        assert!(definitions > 60, "{definitions}");
    }

    #[test]
    fn the_common_shapes_are_read_and_the_rest_left_to_the_parser() {
        let finder = LinkFinder::new();
        let text = "[Acme](https://a.example/x_y). A config push: see https://b.example/z too";
        let found = inline_links(text, &finder).unwrap();
        let got: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|f| (f.text.get(text, text), f.url.get(text, text), f.offset))
            .collect();
        assert_eq!(
            got,
            [
                ("Acme", "https://a.example/x_y", 0),
                ("https://b.example/z", "https://b.example/z", 50)
            ]
        );
        for other in [
            "[a *b*](u)",
            "![img](u)",
            "[a](u \"title\")",
            "[a][ref]",
            "[r1]: https://a.example",
            "    [a](u)",
            "[a](<u>)",
            "x \\[a](u)",
            "[a](u)\nmore",
            "[a](u(v))",
        ] {
            assert!(inline_links(other, &finder).is_none(), "{other}");
        }
        assert_eq!(
            reference_definition("[r1]: https://a.example/1  "),
            Some(("r1", 6..25))
        );
        for other in [
            "[r1]: <u>",
            "[r1]: u \"t\"",
            "    [r1]: u",
            "[r1] : u",
            "[]: u",
        ] {
            assert_eq!(reference_definition(other), None, "{other}");
        }
    }
}
