//! The links of the CommonMark 0.31.2 and GFM 0.29 spec examples, as the
//! specs' own HTML has them: each test names its example ("GFM" numbers
//! are those of the published GFM 0.29 spec, github.github.com/gfm). A
//! note is read as GFM: its autolink extension (www., bare e-mail) on.

use opsbook::notebook::document::parse_document;

/// Every link's target, in order, as the notebook reads `markdown`.
fn hrefs(markdown: &str) -> Vec<String> {
    let doc = parse_document("spec.md".into(), markdown.to_string(), false);
    doc.links
        .iter()
        .map(|l| doc.link_url(l).to_string())
        .collect()
}

#[test]
fn gfm_621_to_623_www_autolinks_get_http() {
    assert_eq!(hrefs("www.commonmark.org\n"), ["http://www.commonmark.org"]);
    assert_eq!(
        hrefs("Visit www.commonmark.org/help for more information.\n"),
        ["http://www.commonmark.org/help"]
    );
    // 623: trailing punctuation is not part of the link.
    assert_eq!(
        hrefs("Visit www.commonmark.org.\n\nVisit www.commonmark.org/a.b.\n"),
        ["http://www.commonmark.org", "http://www.commonmark.org/a.b"]
    );
}

#[test]
fn gfm_624_to_627_www_autolinks_balance_parentheses_entities_and_stop_at_lt() {
    let business = "http://www.google.com/search?q=Markup+(business)";
    assert_eq!(
        hrefs(
            "www.google.com/search?q=Markup+(business)\n\n\
             www.google.com/search?q=Markup+(business)))\n\n\
             (www.google.com/search?q=Markup+(business))\n\n\
             (www.google.com/search?q=Markup+(business)\n"
        ),
        [business; 4]
    );
    // 625: parentheses only inside are kept.
    assert_eq!(
        hrefs("www.google.com/search?q=(business))+ok\n"),
        ["http://www.google.com/search?q=(business))+ok"]
    );
    // 626: an entity-like end is not part of the link.
    assert_eq!(
        hrefs(
            "www.google.com/search?q=commonmark&hl=en\n\nwww.google.com/search?q=commonmark&hl;\n"
        ),
        [
            "http://www.google.com/search?q=commonmark&hl=en",
            "http://www.google.com/search?q=commonmark"
        ]
    );
    // 627: `<` ends it.
    assert_eq!(
        hrefs("www.commonmark.org/he<lp\n"),
        ["http://www.commonmark.org/he"]
    );
}

#[test]
fn gfm_628_extended_url_autolinks() {
    assert_eq!(
        hrefs(
            "http://commonmark.org\n\n\
             (Visit https://encrypted.google.com/search?q=Markup+(business))\n\n\
             Anonymous FTP is available at ftp://foo.bar.baz.\n"
        ),
        [
            "http://commonmark.org",
            "https://encrypted.google.com/search?q=Markup+(business)",
            "ftp://foo.bar.baz"
        ]
    );
}

#[test]
fn gfm_620_and_629_to_631_bare_email_autolinks() {
    // GFM 620 (CommonMark 612): text in plain CommonMark, a link in GFM.
    assert_eq!(
        hrefs("foo@bar.example.com\n"),
        ["mailto:foo@bar.example.com"]
    );
    assert_eq!(hrefs("foo@bar.baz\n"), ["mailto:foo@bar.baz"]);
    // 630: `+` before the `@` only.
    assert_eq!(
        hrefs("hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.\n"),
        ["mailto:hello+xyz@mail.example"]
    );
    // 631: `.`, `-`, `_` on both sides; only a `.` may end it, and is left out.
    assert_eq!(
        hrefs("a.b-c_d@a.b\n\na.b-c_d@a.b.\n\na.b-c_d@a.b-\n\na.b-c_d@a.b_\n"),
        ["mailto:a.b-c_d@a.b", "mailto:a.b-c_d@a.b"]
    );
}

#[test]
fn commonmark_212_a_definition_in_fenced_code_is_no_definition() {
    assert_eq!(
        hrefs("```\n[foo]: /url\n```\n\n[foo]\n"),
        Vec::<String>::new()
    );
}

#[test]
fn commonmark_218_a_definition_in_a_block_quote_is_one() {
    assert_eq!(hrefs("[foo]\n\n> [foo]: /url\n"), ["/url"]);
}

#[test]
fn commonmark_195_196_198_200_destination_and_title_on_the_next_lines() {
    // 195: the renderer writes `my%20url`, the same address.
    assert_eq!(
        hrefs("[Foo bar]:\n<my url>\n'title'\n\n[Foo bar]\n"),
        ["my url"]
    );
    assert_eq!(
        hrefs("[foo]: /url '\ntitle\nline1\nline2\n'\n\n[foo]\n"),
        ["/url"]
    );
    assert_eq!(hrefs("[foo]:\n/url\n\n[foo]\n"), ["/url"]);
    // 197: a title may not hold a blank line: no definition.
    assert_eq!(
        hrefs("[foo]: /url 'title\n\nwith blank line'\n\n[foo]\n"),
        Vec::<String>::new()
    );
    // 199: nor may the destination be left out.
    assert_eq!(hrefs("[foo]:\n\n[foo]\n"), Vec::<String>::new());
    assert_eq!(hrefs("[foo]: <>\n\n[foo]\n"), [""]);
}

#[test]
fn commonmark_213_a_definition_cannot_interrupt_a_paragraph() {
    assert_eq!(hrefs("Foo\n[bar]: /baz\n\n[bar]\n"), Vec::<String>::new());
}

#[test]
fn commonmark_217_definitions_in_a_row_and_541_a_label_over_lines() {
    assert_eq!(
        hrefs(
            "[foo]: /foo-url \"foo\"\n[bar]: /bar-url\n  \"bar\"\n[baz]: /baz-url\n\n[foo],\n[bar],\n[baz]\n"
        ),
        ["/foo-url", "/bar-url", "/baz-url"]
    );
    assert_eq!(hrefs("[Foo\n  bar]: /url\n\n[Baz][Foo bar]\n"), ["/url"]);
}

#[test]
fn commonmark_211_and_urls_in_indented_code_are_not_links() {
    assert_eq!(
        hrefs("    [foo]: /url \"title\"\n\n[foo]\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        hrefs("Text.\n\n    curl https://example.com/health\n"),
        Vec::<String>::new()
    );
    // Indented under a list item, it is the item's detail line, as notes write it.
    assert_eq!(
        hrefs("- check\n    https://example.com/health\n"),
        ["https://example.com/health"]
    );
}

#[test]
fn a_backslash_in_a_bare_url_is_kept_as_the_references_keep_it() {
    // cmark-gfm and commonmark.js: href="http://example.com/a%5C_b".
    assert_eq!(
        hrefs("http://example.com/a\\_b\n"),
        ["http://example.com/a%5C_b"]
    );
}
