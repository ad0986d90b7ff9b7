//! Load → node texts → links → sessions → byte-exact write-back, then random byte-range
//! edits of whole nodes and a three-way merge of two of them: nothing may
//! panic, every write-back is byte for byte, and a merge with one side
//! unchanged gives the other side.
//!
//! `cargo fuzz run roundtrip` (nightly, or RUSTC_BOOTSTRAP=1 on stable).

#![no_main]

use libfuzzer_sys::fuzz_target;
use opsbook::notebook::document::parse_document;
use opsbook::notebook::edit::splice;
use opsbook::notebook::merge::merge3;

fuzz_target!(|data: &[u8]| {
    // The first bytes steer the edits; the rest is the note.
    let (steer, text) = data.split_at(data.len().min(8));
    let source = String::from_utf8_lossy(text).into_owned();
    let doc = parse_document("f.md".into(), source.clone(), false);
    assert_eq!(doc.write_back(), source);
    // Where each node's text starts is read again from its first line: it
    // must stand inside the node, on a character boundary.
    for n in doc.nodes.iter() {
        let text = n.content_span(&source);
        assert!(n.span.start <= text.start && text.start <= text.end && text.end <= n.span.end);
        let _ = &source[text.range()];
    }
    for l in &doc.links {
        let _ = doc.link_title(l);
        let _ = doc.link_item_text(l);
        let _ = doc.link_position(l);
    }
    let positions = doc.link_positions();
    for (l, p) in doc.links.iter().zip(&positions) {
        assert_eq!(doc.link_position(l), *p);
    }
    for s in &doc.sessions {
        let _ = opsbook::notebook::session_topics(&doc, s);
    }
    if doc.nodes.len() < 2 {
        return;
    }
    let mut edited = Vec::new();
    for (k, &b) in steer.iter().enumerate().take(2) {
        let node = 1 + (b as usize) % (doc.nodes.len() - 1);
        let range = doc.subtree(node as u32);
        let new = format!("- edit {k} {b}\n");
        let out = splice(&source, range.clone(), &new);
        assert_eq!(&out[..range.start], &source[..range.start]);
        assert_eq!(&out[range.start + new.len()..], &source[range.end..]);
        let again = parse_document("f.md".into(), out.clone(), false);
        assert_eq!(again.write_back(), out);
        edited.push(out);
    }
    if let [a, b] = edited.as_slice() {
        assert_eq!(merge3(&source, a, &source).text(&[]), *a);
        assert_eq!(merge3(&source, &source, b).text(&[]), *b);
        let _ = merge3(&source, a, b).text(&[]);
    }
});
