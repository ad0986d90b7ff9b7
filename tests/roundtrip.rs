//! The fuzz target's properties (fuzz/fuzz_targets/roundtrip.rs) as a
//! property test that runs in `cargo test` on stable: Markdown-shaped notes
//! are read and written back byte for byte, edits change only their range,
//! positions agree, merges with one side unchanged give the other side.

use opsbook::notebook::document::parse_document;
use opsbook::notebook::edit::splice;
use opsbook::notebook::merge::merge3;
use proptest::prelude::*;

/// Lines as notes have them, hostile ones included.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Post-Mortem".to_string()),
        Just("## 2023".to_string()),
        Just("- May 25 - Talk".to_string()),
        Just("  - topic [x](https://x.example/2019/05/a)".to_string()),
        Just("    • bullet https://b.example/".to_string()),
        Just("[ref]: https://r.example".to_string()),
        Just("| a | [t](http://t) |".to_string()),
        Just("```".to_string()),
        Just("---".to_string()),
        Just("title: \"x\"".to_string()),
        Just("[a[b](http://c)](http://d) ]: ]:".to_string()),
        "[ -~é東\\x1b\\u{202e}]{0,40}",
    ]
}

fn note() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..30),
        prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 30),
    )
        .prop_map(|(lines, ends)| {
            lines
                .iter()
                .zip(ends.iter().cycle())
                .map(|(l, e)| format!("{l}{e}"))
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn notes_round_trip_and_edits_stay_in_their_range(source in note(), picks in prop::collection::vec(any::<u8>(), 2)) {
        let doc = parse_document("p.md".into(), source.clone(), false);
        prop_assert_eq!(doc.write_back(), source.clone());
        let positions = doc.link_positions();
        for (l, p) in doc.links.iter().zip(&positions) {
            prop_assert_eq!(doc.link_position(l), *p);
            let _ = doc.link_title(l);
            let _ = doc.link_item_text(l);
        }
        if doc.nodes.len() < 2 {
            return Ok(());
        }
        let mut edited = Vec::new();
        for (k, b) in picks.iter().enumerate() {
            let node = 1 + (*b as usize) % (doc.nodes.len() - 1);
            let range = doc.subtree(node as u32);
            let new = format!("- edit {k}\n");
            let out = splice(&source, range.clone(), &new);
            prop_assert_eq!(&out[..range.start], &source[..range.start]);
            prop_assert_eq!(&out[range.start + new.len()..], &source[range.end..]);
            let again = parse_document("p.md".into(), out.clone(), false);
            prop_assert_eq!(again.write_back(), out.clone());
            edited.push(out);
        }
        prop_assert_eq!(merge3(&source, &edited[0], &source).text(&[]), edited[0].clone());
        prop_assert_eq!(merge3(&source, &source, &edited[1]).text(&[]), edited[1].clone());
        prop_assert_eq!(merge3(&source, &edited[0], &edited[0]).text(&[]), edited[0].clone());
    }
}
