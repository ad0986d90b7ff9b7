//! The shapes most lines of notes have, read without the CommonMark parser,
//! which otherwise costs most of a load: plain text with inline links,
//! reference links and autolinks whose labels and addresses are plain
//! (`[Title](https://…). What happened.`), and reference definitions
//! (`[r1]: https://…`). Anything else is `None`, and pulldown-cmark reads
//! it; property tests check that both read every text these accept the same.

use std::ops::Range;

use linkify::LinkFinder;

use super::inline::{FoundLink, Piece, RefDefs, bare_urls};

/// What a byte may mean, for the simple reading.
const PLAIN: u8 = 0;
/// Markdown outside a destination: escapes, code, HTML, entities, images,
/// emphasis, line breaks, tabs, control characters.
const SPECIAL: u8 = 1;
/// Brackets, which start or end a link.
const BRACKET: u8 = 2;
/// `<`, which starts an autolink.
const ANGLE: u8 = 3;
/// Not allowed in a plain destination (besides whitespace and controls).
const NOT_IN_DESTINATION: u8 = 4;

/// A table of bytes: `class` for the controls below `controls_below`, for
/// DEL and for `bytes`; `PLAIN` for the rest.
const fn table(controls_below: usize, bytes: &[u8], class: u8) -> [u8; 256] {
    let mut t = [PLAIN; 256];
    let mut b = 0;
    while b < controls_below {
        t[b] = class;
        b += 1;
    }
    t[0x7f] = class;
    let mut k = 0;
    while k < bytes.len() {
        t[bytes[k] as usize] = class;
        k += 1;
    }
    t
}

/// Each byte's class, outside a destination.
const CLASS: [u8; 256] = {
    let mut t = table(0x20, b"\\`>&!*_~", SPECIAL);
    t[b'[' as usize] = BRACKET;
    t[b']' as usize] = BRACKET;
    t[b'<' as usize] = ANGLE;
    t
};

/// Bytes a plain destination may not hold: whitespace, controls, brackets,
/// parentheses, quotes, escapes, entities.
const DESTINATION: [u8; 256] = table(0x21, b"()<>[]\\&`\"'", NOT_IN_DESTINATION);

/// Whether a link destination is plain: no whitespace (ASCII or not), no
/// control characters, no brackets, parentheses, quotes, escapes or entities.
fn plain_destination(dest: &str) -> bool {
    if dest.is_empty() {
        return false;
    }
    let bytes = dest.as_bytes();
    if bytes.iter().any(|&b| DESTINATION[b as usize] != PLAIN) {
        return false;
    }
    // Spaces and controls beyond ASCII are rare: only then decode.
    !bytes.iter().any(|&b| b >= 0x80) || !dest.chars().any(|c| c.is_whitespace() || c.is_control())
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

/// An autolink at the start of `bytes` (`<https://…>`): the end of its
/// address (the `>`), when it is one with a plain address.
fn autolink(bytes: &[u8]) -> Option<usize> {
    let close = bytes.iter().position(|&b| b == b'>')?;
    let inner = &bytes[1..close];
    let colon = inner.iter().position(|&b| b == b':')?;
    let scheme = &inner[..colon];
    let scheme_ok = (2..=32).contains(&scheme.len())
        && scheme[0].is_ascii_alphabetic()
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'));
    let address = std::str::from_utf8(inner).ok()?;
    (scheme_ok && plain_destination(address)).then_some(close)
}

/// The links of a node's text made only of plain text, inline links and
/// reference links with plain labels and destinations, and autolinks, as
/// `find_links` would find them; `None` for any other text.
pub(super) fn inline_links(
    text: &str,
    refs: &RefDefs,
    finder: &LinkFinder,
) -> Option<Vec<FoundLink>> {
    let bytes = text.as_bytes();
    if starts_a_block(bytes) {
        return None;
    }
    let mut found = Vec::new();
    let mut at = 0;
    loop {
        // Plain text up to the next link.
        let rest = &bytes[at..];
        let open = rest.iter().position(|&b| CLASS[b as usize] != PLAIN);
        let plain_end = match open {
            Some(i) if rest[i] == b'[' || rest[i] == b'<' => at + i,
            Some(_) => return None,
            None => bytes.len(),
        };
        if plain_end > at {
            bare_urls(finder, &text[at..plain_end], at..plain_end, &mut found);
        }
        if plain_end == bytes.len() {
            break;
        }
        if bytes[plain_end] == b'<' {
            // `<scheme:address>`.
            let close = plain_end + autolink(&bytes[plain_end..])?;
            let address = plain_end + 1..close;
            found.push(FoundLink {
                text: Piece::At(address.clone()),
                url: Piece::At(address),
                offset: plain_end,
            });
            at = close + 1;
            continue;
        }
        let label_start = plain_end + 1;
        let close = bytes[label_start..].iter().position(|&b| b == b']')? + label_start;
        let label = &text[label_start..close];
        if !plain_label(label) {
            return None;
        }
        match bytes.get(close + 1) {
            // `[label](destination)`.
            Some(b'(') => {
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
            // `[label][reference]`, defined in the document.
            Some(b'[') => {
                let ref_start = close + 2;
                let ref_end = bytes[ref_start..].iter().position(|&b| b == b']')? + ref_start;
                let reference = &text[ref_start..ref_end];
                if !plain_label(reference) {
                    return None;
                }
                let url = match refs.source_range(reference) {
                    Some(at) => Piece::Source(at),
                    None => Piece::Owned(refs.get(reference)?.to_string()),
                };
                found.push(FoundLink {
                    text: Piece::At(label_start..close),
                    url,
                    offset: plain_end,
                });
                at = ref_end + 1;
            }
            _ => return None,
        }
    }
    found.sort_by_key(|l| l.offset);
    Some(found)
}

/// Whether a link's label (or reference) is plain: not blank, not long, no
/// brackets or Markdown in it.
fn plain_label(label: &str) -> bool {
    !label.trim().is_empty()
        && label.len() <= 500
        && label.bytes().all(|b| CLASS[b as usize] == PLAIN)
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
    if !plain_label(label) {
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
pub(super) mod tests {
    use super::*;
    use crate::notebook::inline::{RefDefs, bare_url_finder};
    use crate::notebook::links::parsed_links;
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
        "www.d.example/p.",
        "mailto:x@y.z",
        "ops+pager@team.example",
        "a.b-c_d@a.b-",
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
        "https://a.example/a\\_b",
        "(www.e.example/(x))",
    ];
    /// Pieces of link labels and destinations, plain and not.
    const LABEL: &[&str] = &["Acme", " ", "outage", "é", "東京", ":", "a b"];
    const LABEL_SPECIAL: &[&str] = &["_", "*", "`", "[", "]", "!", "&amp;", "\\", "\n"];
    const DEST: &[&str] = &["https://a.example/x_y", "/p", "#x", "?q=1", "*", "_", ":"];
    const DEST_SPECIAL: &[&str] = &["(", ")", " ", "\"t\"", "<u>", "\\", "&amp;", "\u{a0}", "\n"];

    /// A piece, plain six times in seven.
    pub(in crate::notebook) fn pick(
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

    /// Definitions the reference links of the generated texts may use.
    const DEFINITIONS: &str = "[r1]: https://d.example/1\n[R  2]: https://d.example/2 \"t\"\n";

    /// Reference links (defined or not) and autolinks, plain and not.
    const OTHER_LINKS: &[&str] = &[
        "[a][r1]",
        "[Acme outage][r 2]",
        "[a][nope]",
        "[a][]",
        "[r1]",
        "[a] [r1]",
        "[a][r1",
        "<https://a.example/x_y>",
        "<mailto:x@y.z>",
        "<a@b.example>",
        "<x>",
        "< https://a >",
        "<https://a.example/a b>",
        "<h:x>",
        "<https://a.example/(x)>",
        "<HTTPS://A.example>",
    ];

    fn text() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            4 => prop::sample::select(PLAIN).prop_map(String::from),
            1 => prop::sample::select(SPECIAL).prop_map(String::from),
            3 => link(),
            2 => prop::sample::select(OTHER_LINKS).prop_map(String::from),
        ];
        prop::collection::vec(token, 0..10).prop_map(|v| v.concat())
    }

    fn read(found: Vec<FoundLink>, text: &str) -> Vec<(String, String, usize)> {
        found
            .into_iter()
            .map(|f| {
                (
                    f.text.get(text, DEFINITIONS).to_string(),
                    f.url.get(text, DEFINITIONS).to_string(),
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
            let refs = RefDefs::collect(DEFINITIONS);
            if let Some(simple) = inline_links(&text, &refs, &finder) {
                let parsed = parsed_links(&text, &refs, &finder);
                prop_assert_eq!(read(simple, &text), read(parsed, &text), "{:?}", text);
            }
        }

        /// Reference definitions read without the parser are the parser's.
        #[test]
        fn simple_definitions_are_the_parsers(lines in prop::collection::vec(text(), 1..4)) {
            let source = lines.iter().map(|l| format!("[r{}]: {l}", l.len())).collect::<Vec<_>>().join("\n");
            prop_assert_eq!(
                RefDefs::collect_with(&source, &crate::notebook::parse::parse_blocks(&source).nodes, true).entries(),
                RefDefs::collect_with(&source, &crate::notebook::parse::parse_blocks(&source).nodes, false).entries(),
                "{:?}", source
            );
        }
    }

    /// A definition in a list item, as CommonMark reads it. (Kept out of the
    /// random blocks below: in notes a list goes on past blank lines, so
    /// what follows an item may be its detail where CommonMark ends it.)
    #[test]
    fn a_definition_in_a_list_item_is_one() {
        let source = "- [r14]: /in-an-item\n\n[r14]\n";
        let nodes = crate::notebook::parse::parse_blocks(source).nodes;
        let found: Vec<(String, String)> = RefDefs::collect_with(source, &nodes, true)
            .entries()
            .into_iter()
            .map(|(l, u, _)| (l, u))
            .collect();
        assert_eq!(found, [("r14".to_string(), "/in-an-item".to_string())]);
    }

    /// Blocks a document's definitions may stand in, or seem to: plain
    /// ones, ones whose destination, title or label runs over lines, in a
    /// quote, in fenced or indented code, inside a paragraph.
    const DEFINITION_BLOCKS: &[&str] = &[
        "[r1]: https://d.example/1",
        "[r2]: /two \"t\"\n[r3]: /three",
        "[r4]:\n/four",
        "[r5]: /five\n  'title'",
        "[r6]:\n<six x>\n'title'",
        "[R\n  7]: /seven",
        "> [r8]: /quoted",
        "```\n[r9]: /in-fenced-code\n```",
        "    [r10]: /in-indented-code",
        "Text first\n[r11]: /inside-a-paragraph",
        "[r12]: /twelve 'title\n\nwith blank line'",
        "[r1]: /second-definition-of-r1",
        "[r13]: <>",
        "Plain text, and https://a.example/x",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// A document's definitions are those pulldown-cmark finds reading
        /// the whole document, whichever way each block is read.
        #[test]
        fn definitions_are_those_of_the_whole_document(
            blocks in prop::collection::vec(prop::sample::select(DEFINITION_BLOCKS), 1..6)
        ) {
            let source = blocks.join("\n\n") + "\n";
            let nodes = crate::notebook::parse::parse_blocks(&source).nodes;
            let whole: Vec<(String, String)> = {
                let parser = pulldown_cmark::Parser::new(&source);
                let mut v: Vec<(String, String)> = parser
                    .reference_definitions()
                    .iter()
                    .map(|(label, def)| {
                        let folded = label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                        (folded, def.dest.to_string())
                    })
                    .collect();
                v.sort();
                v
            };
            for simple in [true, false] {
                let mine: Vec<(String, String)> = RefDefs::collect_with(&source, &nodes, simple)
                    .entries()
                    .into_iter()
                    .map(|(label, url, _)| (label, url))
                    .collect();
                prop_assert_eq!(&mine, &whole, "{:?} (simple: {})", source, simple);
            }
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
                t.contains(['[', '<'])
                    && inline_links(&t, &RefDefs::collect(DEFINITIONS), &finder)
                        .is_some_and(|f| !f.is_empty())
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
        let found = inline_links(text, &RefDefs::default(), &finder).unwrap();
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
            assert!(
                inline_links(other, &RefDefs::default(), &finder).is_none(),
                "{other}"
            );
        }
        let refs = RefDefs::collect("[r1]: https://d.example/1\n");
        let text = "see [the write-up][R1] and <https://a.example/x> now";
        let found = inline_links(text, &refs, &finder).unwrap();
        let got: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|f| {
                (
                    f.text.get(text, "[r1]: https://d.example/1\n"),
                    f.url.get(text, "[r1]: https://d.example/1\n"),
                    f.offset,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("the write-up", "https://d.example/1", 4),
                ("https://a.example/x", "https://a.example/x", 27)
            ]
        );
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
