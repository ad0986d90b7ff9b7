//! Kept page text against the local test server: `opsbook fetch` keeps
//! only an article's text, follows redirects, cuts huge pages, records a
//! PDF without text, reads a page whose charset is garbled, and search
//! finds a link by words only its page holds. No test reaches the internet.

mod httpfix;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn opsbook(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_opsbook"));
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("OPSBOOK_NOTEBOOK");
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A home with a notebook of links to the test server's pages, and a
/// config with short timeouts.
fn home_with_pages(base: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir_all(&notes).unwrap();
    fs::write(
        notes.join("pm.md"),
        "# Post-mortems\n## 2024\n\
             - [Example Eng Blog](BASE/pages/article)\n\
             - [Incident 1](BASE/pages/ir-2403)\n\
             - [Moved post](BASE/pages/moved)\n\
             - [Huge](BASE/pages/huge)\n\
             - [Report](BASE/pages/report.pdf)\n\
             - [Gone](BASE/missing)\n\
             - [Slow](BASE/pages/slow)\n\
             - [Cafe](BASE/pages/bad-charset)\n\
             - [Latin](BASE/pages/latin1)\n"
            .replace("BASE", base),
    )
    .unwrap();
    let config = home.path().join("config/opsbook");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("config.toml"),
        format!(
            "notebook = {:?}\n[check]\ntimeout_secs = 2\nconnect_timeout_secs = 1\narchive_api = \"{base}/wayback/available\"\n",
            notes.display().to_string()
        ),
    )
    .unwrap();
    home
}

fn page_text(home: &Path, url: &str) -> (Option<i32>, String, String) {
    let o = opsbook(home).args(["page-text", url]).output().unwrap();
    (o.status.code(), stdout(&o), stderr(&o))
}

#[test]
fn fetch_keeps_each_pages_readable_text_and_search_finds_words_only_pages_hold() {
    let server = httpfix::start();
    let b = &server.base;
    let home = home_with_pages(b);
    let h = home.path();

    // Before any fetch, the words of the etcd page find nothing.
    let o = opsbook(h).args(["search", "etcd quorum"]).output().unwrap();
    assert_eq!(stdout(&o), "", "{}", stderr(&o));

    let o = opsbook(h).arg("fetch").output().unwrap();
    let out = stdout(&o);
    let store = h.join("data/opsbook/pages");
    assert_eq!(
        o.status.code(),
        Some(1),
        "two links fail: {out}{}",
        stderr(&o)
    );
    let summary = out.lines().next().unwrap_or_default().to_string();
    assert!(
        summary.starts_with(&format!(
            "7 pages kept (6 HTML, 1 PDF) · 1 cut at 5.0 MB · 2 not fetched (each listed with why on stderr) · 7 in {} (",
            store.display()
        )),
        "{summary}"
    );
    // One line a link when piped, as `check` does.
    let mut lines: Vec<String> = stderr(&o)
        .lines()
        .map(|l| {
            l.split_once("] ")
                .map_or(l, |x| x.1)
                .replace(b.as_str(), "")
        })
        .map(|l| {
            // Sizes aside: what was kept, and of which link.
            let words: Vec<&str> = l.split(' ').collect();
            match words.as_slice() {
                ["kept", kind, _, _, rest @ ..] => format!("kept {kind} {}", rest.join(" ")),
                _ => l.clone(),
            }
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "dead (HTTP 404) /missing",
            "error (timed out after 2 s) /pages/slow",
            "kept HTML (cut) /pages/huge",
            "kept HTML /pages/article",
            "kept HTML /pages/bad-charset",
            "kept HTML /pages/ir-2403",
            "kept HTML /pages/latin1",
            "kept HTML /pages/moved",
            "kept PDF /pages/report.pdf",
        ]
    );

    // Only the article: no menu, sidebar or footer.
    let (code, text, _) = page_text(h, &format!("{b}/pages/article"));
    assert_eq!(code, Some(0));
    assert!(
        text.starts_with("# How a config push took down DNS\n\n"),
        "{text}"
    );
    assert!(
        text.contains("> A bad config push to our resolvers broke DNS for 42 minutes."),
        "{text}"
    );
    assert!(
        text.contains(
            "On March 3rd a configuration push to our authoritative resolvers removed the zone file"
        ),
        "{text}"
    );
    assert!(
        text.contains("[DNS runbook](https://example.com/runbooks/dns)"),
        "{text}"
    );
    for chrome in [
        "Careers at Example",
        "Popular posts",
        "Subscribe to our newsletter",
        "Privacy",
    ] {
        assert!(!text.contains(chrome), "{chrome} kept: {text}");
    }
    // A redirect is followed; the page says where it ended.
    let (_, moved, _) = page_text(h, &format!("{b}/pages/moved"));
    assert!(
        moved.contains(&format!(" · from {b}/pages/article")),
        "{moved}"
    );
    assert!(moved.contains("removed the zone file"), "{moved}");
    // A huge page is cut, and says so.
    let (_, huge, _) = page_text(h, &format!("{b}/pages/huge"));
    assert!(huge.contains("the page was cut"), "{}", &huge[..300]);
    assert!(huge.contains("runaway log volume") && !huge.contains("the very end"));
    // A PDF is recorded without text.
    let (code, pdf, _) = page_text(h, &format!("{b}/pages/report.pdf"));
    assert_eq!(code, Some(0));
    assert!(pdf.ends_with("(PDF: kept without text)\n"), "{pdf}");
    // A charset that is not one: read as UTF-8, bad bytes replaced.
    let (_, cafe, _) = page_text(h, &format!("{b}/pages/bad-charset"));
    assert!(cafe.starts_with("# Caf\u{fffd} outage\n"), "{cafe}");
    assert!(cafe.contains("its certificate had expired"), "{cafe}");
    // A declared Latin-1 page is decoded as Latin-1.
    let (_, latin, _) = page_text(h, &format!("{b}/pages/latin1"));
    assert!(latin.contains("Le café est fermé."), "{latin}");
    // A dead link has no page kept.
    let (code, _, err) = page_text(h, &format!("{b}/missing"));
    assert_eq!(
        (code, err),
        (
            Some(1),
            format!(
                "opsbook: page-text: no page kept for {b}/missing: `opsbook fetch` keeps them\n"
            )
        )
    );

    // Words only the page holds find its link, and say where they matched.
    let o = opsbook(h).args(["search", "etcd quorum"]).output().unwrap();
    assert_eq!(
        stdout(&o).lines().next(),
        Some(format!("Incident 1  {b}/pages/ir-2403  pm.md:4").as_str()),
        "{}",
        stderr(&o)
    );
    let o = opsbook(h)
        .args(["search", "--explain", "zone file resolvers"])
        .output()
        .unwrap();
    let explained = stdout(&o);
    assert!(
        explained.starts_with(&format!(
            "Example Eng Blog  {b}/pages/article  pm.md:3\n  3 of 3 words"
        )),
        "{explained}"
    );
    assert!(
        explained.contains("zone: page (exact) · file: page (exact)"),
        "{explained}"
    );

    // Each link found by words only its page holds is in the top 3.
    for (query, title) in [
        ("etcd quorum", "Incident 1"),
        ("zone file generator", "Example Eng Blog"),
        ("espresso certificate expired", "Cafe"),
        ("runaway log volume", "Huge"),
    ] {
        let o = opsbook(h)
            .args(["search", "--limit", "3", query])
            .output()
            .unwrap();
        let top: Vec<String> = stdout(&o)
            .lines()
            .map(|l| l.split("  ").next().unwrap_or("").to_string())
            .collect();
        assert!(top.iter().any(|t| t == title), "{query}: {top:?}");
    }

    // Kept lately: not fetched again without --force.
    let o = opsbook(h)
        .args(["fetch", "--document", "pm.md", "--year", "2024"])
        .output()
        .unwrap();
    assert!(
        stdout(&o).starts_with("0 pages kept · 2 not fetched (each listed with why on stderr) · 7 kept in the last 30 days (--force fetches them again) · 7 in "),
        "{}",
        stdout(&o)
    );

    // Forgotten: gone from disk, and from search.
    let o = opsbook(h).args(["fetch", "--forget"]).output().unwrap();
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "7 kept pages forgotten\n".to_string())
    );
    assert_eq!(fs::read_dir(&store).unwrap().count(), 0);
    let o = opsbook(h).args(["search", "etcd quorum"]).output().unwrap();
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_link_added_without_a_title_gets_its_pages_title_unless_asked_not_to() {
    let server = httpfix::start();
    let b = &server.base;
    let home = home_with_pages(b);
    let h = home.path();
    let notes = h.join("notes/pm.md");
    let o = opsbook(h)
        .args(["add", &format!("{b}/pages/ir-2403"), "--year", "2025"])
        .output()
        .unwrap();
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
    let o = opsbook(h)
        .args([
            "add",
            &format!("{b}/pages/article"),
            "--year",
            "2025",
            "--no-fetch",
        ])
        .output()
        .unwrap();
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
    // Failing: one line, and the link is added all the same.
    let o = opsbook(h)
        .args(["add", &format!("{b}/missing"), "--year", "2025"])
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(0),
            "opsbook: add: no title from the page (HTTP 404): the link is added without one\n"
                .to_string()
        )
    );
    // Nowhere to go: said at once, the page never asked.
    let o = opsbook(h)
        .args(["add", &format!("{b}/pages/slow"), "--document", "nope.md"])
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(1),
            "opsbook: add: no note nope.md in the notebook\n".to_string()
        )
    );
    assert_eq!(server.seen.hits("GET /pages/slow"), 0);
    // Nothing chosen to fetch: said, not an empty summary.
    let o = opsbook(h)
        .args(["fetch", "--year", "2099"])
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), stderr(&o), stdout(&o)),
        (
            Some(0),
            "opsbook: fetch: no web links are chosen: nothing to fetch\n".to_string(),
            String::new()
        )
    );
    let text = fs::read_to_string(&notes).unwrap();
    let y2025: Vec<&str> = text
        .split("## 2025\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        y2025,
        [
            format!("- [Incident report 2024-03]({b}/pages/ir-2403)"),
            format!("- [{b}/pages/article]({b}/pages/article)"),
            format!("- [{b}/missing]({b}/missing)"),
        ]
    );
}

#[test]
fn check_keep_text_keeps_pages_as_it_checks_and_records_other_kinds_without_text() {
    let server = httpfix::start();
    let b = &server.base;
    let home = home_with_pages(b);
    let h = home.path();
    fs::write(
        h.join("notes/pm.md"),
        "# Post-mortems\n## 2024\n- [Blog](BASE/pages/article)\n- [Diagram](BASE/pages/diagram.png)\n- [Gone](BASE/missing)\n- [Inside](BASE/to-loopback)\n- [Moved home](BASE/to-front)\n"
            .replace("BASE", b),
    )
    .unwrap();
    let o = opsbook(h).args(["check", "--keep-text"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "one dead link: {}", stderr(&o));
    assert!(
        stdout(&o).contains("5 links checked: 2 ok · 1 redirected · 1 dead · 1 error · 0 skipped"),
        "{}",
        stdout(&o)
    );
    // A page that redirects to a private address is not followed, nor kept.
    assert!(
        stdout(&o).contains("redirects to a private address (127.0.0.2): not followed"),
        "{}",
        stdout(&o)
    );
    assert_eq!(page_text(h, &format!("{b}/to-loopback")).0, Some(1));
    // A page whose redirects end on its site's front page is gone: the front
    // page is not kept as its copy.
    assert_eq!(page_text(h, &format!("{b}/to-front")).0, Some(1));
    let (code, text, _) = page_text(h, &format!("{b}/pages/article"));
    assert_eq!(code, Some(0));
    assert!(text.contains("removed the zone file"), "{text}");
    let (_, png, _) = page_text(h, &format!("{b}/pages/diagram.png"));
    assert!(png.ends_with("(image/png: kept without text)\n"), "{png}");
    // Without --keep-text (and the setting off), a check keeps no page.
    fs::remove_dir_all(h.join("data/opsbook/pages")).unwrap();
    let o = opsbook(h).args(["check", "--force"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!h.join("data/opsbook/pages").exists());
    // With it, links checked lately are read again for their pages.
    let o = opsbook(h).args(["check", "--keep-text"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(page_text(h, &format!("{b}/pages/article")).0, Some(0));
}
