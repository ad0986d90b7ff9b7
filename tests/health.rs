//! The link check against a local HTTP server: exact statuses for every
//! answer a site gives, retries, the per-host limit and the archived copy.
//! No test reaches the internet.

mod common;
mod httpfix;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use opsbook::app::Effect;
use opsbook::config::CheckSettings;
use opsbook::health::pool::check_all;
use opsbook::health::{Health, Status};

fn settings(base: &str) -> CheckSettings {
    CheckSettings {
        timeout_secs: 1,
        connect_timeout_secs: 1,
        archive_api: format!("{base}/wayback/available"),
        ..CheckSettings::default()
    }
}

fn check(urls: Vec<String>, settings: &CheckSettings) -> Vec<Health> {
    let out = Mutex::new(Vec::new());
    let found = |h: Health| out.lock().unwrap().push(h);
    check_all(urls, settings, &AtomicBool::new(false), &found);
    let mut v = out.into_inner().unwrap();
    v.sort_by(|a, b| a.url.cmp(&b.url));
    v
}

/// Path, status, reason, where redirects ended, permanent, archived copy.
type Row = (String, Status, String, Option<String>, bool, Option<String>);

/// The results as rows, with the server's address cut from every URL.
fn rows(results: &[Health], base: &str) -> Vec<Row> {
    results
        .iter()
        .map(|h| {
            (
                h.url.replace(base, ""),
                h.status,
                h.reason.clone(),
                h.final_url.as_ref().map(|u| u.replace(base, "")),
                h.permanent,
                h.archived.as_ref().map(|s| s.url.replace(base, "")),
            )
        })
        .collect()
}

#[test]
fn every_answer_gets_its_exact_status() {
    let server = httpfix::start();
    let b = &server.base;
    let paths = [
        "/ok",
        "/moved",
        "/moved-twice",
        "/temp",
        "/to-front",
        "/missing",
        "/gone",
        "/down",
        "/no-head",
        "/slow",
        "/reset",
        "/loop",
    ];
    let urls = paths.iter().map(|p| format!("{b}{p}")).collect();
    let got = rows(&check(urls, &settings(b)), b);
    let row = |p: &str, s, r: &str, to: Option<&str>, perm, copy: Option<&str>| {
        (
            p.to_string(),
            s,
            r.to_string(),
            to.map(str::to_string),
            perm,
            copy.map(str::to_string),
        )
    };
    use Status::*;
    assert_eq!(
        got,
        [
            row("/down", Error, "HTTP 503", None, false, None),
            row("/gone", Dead, "HTTP 410", None, false, None),
            row("/loop", Error, "too many redirects", None, false, None),
            row(
                "/missing",
                Dead,
                "HTTP 404",
                None,
                false,
                Some("https://web.archive.org/web/20190312093015//missing")
            ),
            row(
                "/moved",
                Redirected,
                "moved permanently",
                Some("/ok"),
                true,
                None
            ),
            row(
                "/moved-twice",
                Redirected,
                "moved permanently",
                Some("/ok"),
                true,
                None
            ),
            row("/no-head", Ok, "HTTP 200", None, false, None),
            row("/ok", Ok, "HTTP 200", None, false, None),
            row("/reset", Error, "connection reset", None, false, None),
            row("/slow", Error, "timed out after 1 s", None, false, None),
            row(
                "/temp",
                Redirected,
                "moved for now",
                Some("/ok"),
                false,
                None
            ),
            row(
                "/to-front",
                Redirected,
                "redirected to the site's front page: the page is likely gone",
                Some("/"),
                false,
                None
            ),
        ]
    );
    let seen = &server.seen;
    // HEAD refused, then GET; a 503 retried once after the rest, HEAD and GET each time.
    assert_eq!(
        (seen.hits("HEAD /no-head"), seen.hits("GET /no-head")),
        (1, 1)
    );
    assert_eq!((seen.hits("HEAD /down"), seen.hits("GET /down")), (2, 2));
    assert_eq!((seen.hits("HEAD /ok"), seen.hits("GET /ok")), (4, 0));
    // Dead links are never retried; only the 404 with a copy was looked up.
    assert_eq!(seen.hits("HEAD /gone") + seen.hits("GET /gone"), 2);
    assert_eq!(seen.hits("GET /wayback/available"), 2);
    let agents = seen.agents.lock().unwrap();
    assert!(
        agents
            .iter()
            .all(|a| a.starts_with("opsbook/") && a.contains("link check")),
        "{agents:?}"
    );
}

#[test]
fn hostile_answers_are_not_taken_at_their_word() {
    let server = httpfix::start();
    let b = &server.base;
    let urls = ["/to-js", "/utf8", "/evil-missing"]
        .iter()
        .map(|p| format!("{b}{p}"))
        .collect();
    // An absurd time limit is held to a day, not an overflow.
    let s = CheckSettings {
        timeout_secs: u64::MAX,
        connect_timeout_secs: u64::MAX,
        ..settings(b)
    };
    let got = rows(&check(urls, &s), b);
    let row = |p: &str, s, r: &str, to: Option<&str>, perm| {
        (
            p.to_string(),
            s,
            r.to_string(),
            to.map(str::to_string),
            perm,
            None,
        )
    };
    assert_eq!(
        got,
        [
            row("/evil-missing", Status::Dead, "HTTP 404", None, false),
            row(
                "/to-js",
                Status::Error,
                "redirects to a non-web address (javascript:)",
                None,
                false
            ),
            row(
                "/utf8",
                Status::Redirected,
                "moved permanently",
                Some("/ok/ne%C3%BC"),
                true
            ),
        ]
    );
}

#[test]
fn redirects_to_private_hosts_and_unsafe_addresses_are_not_followed_nor_written() {
    let server = httpfix::start();
    let b = &server.base;
    let paths = [
        "/to-loopback",
        "/to-localhost",
        "/to-zero",
        "/to-v6",
        "/to-lan",
        "/to-bidi",
        "/latin1",
        "/moved",
    ];
    let urls = paths.iter().map(|p| format!("{b}{p}")).collect();
    let got = rows(&check(urls, &settings(b)), b);
    let private = |p: &str, host: &str| {
        (
            p.to_string(),
            Status::Error,
            format!("redirects to a private address ({host}): not followed"),
            None,
            false,
            None,
        )
    };
    assert_eq!(
        got,
        [
            (
                "/latin1".to_string(),
                Status::Error,
                "HTTP 301 to an address that is not UTF-8: not followed".to_string(),
                None,
                false,
                None
            ),
            // The link's own host is private, and its redirect to itself followed.
            (
                "/moved".to_string(),
                Status::Redirected,
                "moved permanently".to_string(),
                Some("/ok".to_string()),
                true,
                None
            ),
            (
                "/to-bidi".to_string(),
                Status::Error,
                "HTTP 301 to an address holding \\u{202e}: not followed".to_string(),
                None,
                false,
                None
            ),
            private("/to-lan", "10.1.2.3"),
            private("/to-localhost", "localhost"),
            private("/to-loopback", "127.0.0.2"),
            private("/to-v6", "[::1]"),
            private("/to-zero", "0.0.0.0"),
        ]
    );
    assert_eq!(server.seen.hits("HEAD /internal-admin"), 0);
    assert_eq!(server.seen.hits("GET /internal-admin"), 0);
    // Asked for, they are followed.
    let open = CheckSettings {
        private_redirects: true,
        ..settings(b)
    };
    let got = check(vec![format!("{b}/to-zero")], &open);
    assert_ne!(
        got[0].reason,
        "redirects to a private address (0.0.0.0): not followed"
    );
}

#[test]
fn an_archive_answer_off_the_archive_or_with_hidden_characters_is_no_copy() {
    let server = httpfix::start();
    let b = &server.base;
    let urls = ["/phish-missing", "/bidi-missing", "/missing"]
        .iter()
        .map(|p| format!("{b}{p}"))
        .collect();
    let got = check(urls, &settings(b));
    let copies: Vec<(String, Option<String>)> = got
        .iter()
        .map(|h| {
            (
                h.url.replace(b, ""),
                h.archived.as_ref().map(|s| s.url.replace(b, "")),
            )
        })
        .collect();
    assert_eq!(
        copies,
        [
            ("/bidi-missing".to_string(), None),
            (
                "/missing".to_string(),
                Some("https://web.archive.org/web/20190312093015//missing".to_string())
            ),
            ("/phish-missing".to_string(), None),
        ]
    );
}

#[test]
fn fix_redirects_never_writes_a_private_address() {
    let home = Home::new(
        "# Post-mortems\n\n## 2019\n\n- [Admin](BASE/to-loopback)\n- [Lan](BASE/to-lan)\n",
    );
    let before = home.note("pm.md");
    let (code, out, _) = home.run(&["check", "--fix-redirects"]);
    assert_eq!(home.note("pm.md"), before);
    // Errors, not dead links: nothing to rewrite, exit 0.
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("redirects to a private address (127.0.0.2): not followed"),
        "{out}"
    );
}

#[test]
fn no_more_than_the_per_host_limit_is_in_flight() {
    for per_host in [2, 3] {
        let server = httpfix::start();
        // Six links: whole batches of 2 and of 3.
        let urls = (0..6)
            .map(|i| format!("{}/busy/{i}?together={per_host}", server.base))
            .collect();
        // The server holds a request up to 2 s for its batch to fill: a
        // link must be allowed longer than that, however busy the machine.
        let s = CheckSettings {
            per_host,
            timeout_secs: 5,
            ..settings(&server.base)
        };
        let results = check(urls, &s);
        assert_eq!(results.iter().filter(|h| h.status == Status::Ok).count(), 6);
        assert_eq!(server.seen.max_in_flight.load(Ordering::SeqCst), per_host);
    }
}

#[test]
fn a_stopped_check_fetches_nothing_more() {
    let server = httpfix::start();
    let urls = (0..5)
        .map(|i| format!("{}/busy/{i}", server.base))
        .collect();
    let out = Mutex::new(0);
    let stop = AtomicBool::new(true);
    check_all(urls, &settings(&server.base), &stop, &|_| {
        *out.lock().unwrap() += 1
    });
    assert_eq!(*out.lock().unwrap(), 0);
    assert_eq!(server.seen.hits.lock().unwrap().len(), 0);
}

/// A temporary home with config.toml pointing the check at the local
/// server, a notebook of one note, and the binary run in it.
struct Home {
    dir: tempfile::TempDir,
    server: httpfix::Server,
}

impl Home {
    fn new(note: &str) -> Home {
        let server = httpfix::start();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config/opsbook");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(
            config.join("config.toml"),
            format!(
                "[check]\ntimeout_secs = 1\nconnect_timeout_secs = 1\narchive_api = \"{}/wayback/available\"\n",
                server.base
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("nb")).unwrap();
        let home = Home { dir, server };
        home.write("pm.md", note);
        home
    }

    fn write(&self, name: &str, text: &str) {
        let text = text.replace("BASE", &self.server.base);
        std::fs::write(self.dir.path().join("nb").join(name), text).unwrap();
    }

    fn note(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("nb").join(name))
            .unwrap()
            .replace(&self.server.base, "BASE")
    }

    /// Exit code, stdout and stderr, with the server's address as BASE.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let d = self.dir.path();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .arg("--notebook")
            .arg(d.join("nb"))
            .args(args)
            .env("HOME", d)
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("XDG_DATA_HOME", d.join("data"))
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).replace(&self.server.base, "BASE");
        (
            o.status.code().unwrap_or(-1),
            text(&o.stdout),
            text(&o.stderr),
        )
    }
}

const NOTE: &str = "# Post-mortems\n\n## 2019\n\n- [Acme](BASE/ok). A config push broke health checks.\n- [Gone](BASE/missing) - the write-up vanished\n  - impact: 3 h\n- [Moved](BASE/moved) - moved for good\n- [Temp](BASE/temp) - moved for now\n- [Mail](mailto:sre@example.org)\n\n## 2020\n\n- Vanished too <BASE/gone>\n";

#[test]
fn check_reports_in_note_order_and_exits_1_when_some_are_dead() {
    let home = Home::new(NOTE);
    let (code, out, err) = home.run(&["check"]);
    assert_eq!(
        out,
        "dead       pm.md:6  Gone  BASE/missing  HTTP 404\n\
         \x20          archived 2019-03-12: https://web.archive.org/web/20190312093015/BASE/missing\n\
         redirected pm.md:8  Moved  BASE/moved  → BASE/ok (permanent)\n\
         redirected pm.md:9  Temp  BASE/temp  → BASE/ok (moved for now)\n\
         dead       pm.md:14  Vanished too  BASE/gone  HTTP 410\n\
         \x20          no archived copy\n\
         6 links checked: 1 ok · 2 redirected · 2 dead · 0 errors · 1 skipped\n\
         1 dead link has an archived copy: --fix-archived rewrites it\n"
    );
    assert_eq!(code, 1);
    // Piped: a plain line per link fetched, in the order they came.
    let mut lines: Vec<&str> = err.lines().map(|l| l.split_once("] ").unwrap().1).collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "dead BASE/gone",
            "dead BASE/missing",
            "ok BASE/ok",
            "redirected BASE/moved",
            "redirected BASE/temp"
        ]
    );
    let (code, out, _) = home.run(&["check", "--year", "2019", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<(&str, &str, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["url"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["cached"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("BASE/ok", "ok", true),
            ("BASE/missing", "dead", true),
            ("BASE/moved", "redirected", true),
            ("BASE/temp", "redirected", true),
            ("mailto:sre@example.org", "skipped", false),
        ]
    );
}

#[test]
fn links_checked_lately_are_not_fetched_again_unless_forced() {
    let home = Home::new("- [A](BASE/ok) one\n- [B](BASE/ok) the same page\n");
    let seen = &home.server.seen;
    let (code, out, _) = home.run(&["check"]);
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "2 links checked: 2 ok · 0 redirected · 0 dead · 0 errors · 0 skipped\n"
        )
    );
    assert_eq!(seen.hits("HEAD /ok"), 1);
    let (_, out, err) = home.run(&["check"]);
    assert_eq!(
        out,
        "2 links checked: 2 ok · 0 redirected · 0 dead · 0 errors · 0 skipped (1 from checks of the last 7 days; --force fetches them again)\n"
    );
    assert_eq!((seen.hits("HEAD /ok"), err.as_str()), (1, ""));
    home.run(&["check", "--force"]);
    assert_eq!(seen.hits("HEAD /ok"), 2);
    let cache =
        std::fs::read_to_string(home.dir.path().join("data/opsbook/link-health.json")).unwrap();
    assert!(cache.contains("\"checked_at\""), "{cache}");
}

#[test]
fn fixes_rewrite_only_the_url_bytes() {
    let home = Home::new(NOTE);
    let (code, out, _) = home.run(&["check", "--fix-archived", "--fix-redirects"]);
    assert_eq!(
        home.note("pm.md"),
        NOTE.replace(
            "BASE/missing",
            "https://web.archive.org/web/20190312093015/BASE/missing"
        )
        .replace("BASE/moved", "BASE/ok")
    );
    // The 410 has no copy: still dead, so still exit 1.
    assert_eq!(code, 1);
    assert!(out.contains("           rewritten to BASE/ok\n"), "{out}");
}

#[test]
fn an_escaped_url_is_named_and_the_rest_of_its_note_rewritten() {
    let note = "- [Gone](BASE/missing) one\n- [Esc](BASE/missing\\_esc) two\n- [Moved](BASE/moved) three\n";
    let home = Home::new(note);
    let (code, _, err) = home.run(&["check", "--fix-archived", "--fix-redirects"]);
    assert_eq!(
        home.note("pm.md"),
        note.replace(
            "(BASE/missing)",
            "(https://web.archive.org/web/20190312093015/BASE/missing)"
        )
        .replace("(BASE/moved)", "(BASE/ok)")
    );
    assert_eq!(code, 1);
    assert!(
        err.ends_with(
            "opsbook: check: pm.md:2: BASE/missing_esc is written with escapes: edit it by hand\n"
        ),
        "{err}"
    );
}

#[test]
fn document_year_and_tag_choose_the_links() {
    let home = Home::new(NOTE);
    home.write("other.md", "---\ntags: [db]\n---\n- [Db](BASE/ok) fine\n");
    let (code, out, _) = home.run(&["check", "--document", "other.md"]);
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "1 link checked: 1 ok · 0 redirected · 0 dead · 0 errors · 0 skipped\n"
        )
    );
    let (code, out, _) = home.run(&["check", "--tag", "db"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("1 link checked: 1 ok"), "{out}");
    let (code, out, _) = home.run(&["check", "--year", "2020"]);
    assert_eq!(
        (code, out.as_str()),
        (
            1,
            "dead       pm.md:14  Vanished too  BASE/gone  HTTP 410\n           no archived copy\n1 link checked: 0 ok · 0 redirected · 1 dead · 0 errors · 0 skipped\n"
        )
    );
    let (code, out, err) = home.run(&["check", "--document", "nope.md"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (2, "", "opsbook: check: no note nope.md in the notebook\n")
    );
}

const OKTA: &str = "https://sec.okta.com/harfiles";
const OKTA_COPY: &str = "https://web.archive.org/web/20231020101500/https://sec.okta.com/harfiles";

fn okta_dead(with_copy: bool) -> Health {
    let mut h = Health::new(OKTA, Status::Dead, "HTTP 404", 2_000_000_000);
    h.code = Some(404);
    if with_copy {
        h.archived = Some(opsbook::health::Snapshot {
            url: OKTA_COPY.into(),
            timestamp: "20231020101500".into(),
        });
    }
    h
}

/// Selects the Okta write-up in the Postmortems view.
fn select_okta(ui: &mut common::Ui) {
    for _ in 0..20 {
        if ui.app.selected_url().map(|(u, _)| u).as_deref() == Some(OKTA) {
            return;
        }
        common::press(ui, "j");
    }
    panic!("no Okta row");
}

fn message(ui: &common::Ui) -> String {
    ui.app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn dead_links_are_marked_and_the_detail_says_what_was_found() {
    let mut ui = common::app();
    ui.app.set_health([okta_dead(true)]);
    let t = common::draw(&mut ui, 110, 30);
    let rows: Vec<String> = (0..30)
        .map(|y| common::line(&t, y))
        .filter(|l| l.contains("Okta"))
        .collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].starts_with("│    ✗ Okta Security Compromise  sec.okta.com"),
        "{}",
        rows[0]
    );
    select_okta(&mut ui);
    let screen = common::screen(&common::draw(&mut ui, 150, 30));
    for want in [
        "│Okta Security Compromise",
        "│https://sec.okta.com/harfiles",
        "│✗ dead: HTTP 404 · checked ",
        "│archived copy of 2023-10-20:",
        "│  https://web.archive.org/web/20231020101500/https://sec.okta.com/harfiles",
        "│F rewrites the link to the archived copy",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    // The year's detail lists its dead links.
    common::press(&mut ui, "g g");
    let screen = common::screen(&common::draw(&mut ui, 110, 30));
    assert!(screen.contains("│1 dead link:"), "{screen}");
    assert!(
        screen.contains("│✗ Okta Security Compromise  https://sec.okta.com/harfiles"),
        "{screen}"
    );
    // Search results are marked too.
    common::press(&mut ui, "/");
    common::type_text(&mut ui, "okta har");
    let screen = common::screen(&common::draw(&mut ui, 110, 30));
    assert!(screen.contains("✗ Okta Security Compromise"), "{screen}");
}

#[test]
fn opening_a_dead_link_offers_its_archived_copy() {
    let mut ui = common::app();
    ui.app.set_health([okta_dead(true)]);
    select_okta(&mut ui);
    assert_eq!(common::press(&mut ui, "o"), []);
    assert_eq!(ui.app.mode(), opsbook::app::Mode::Confirm);
    let screen = common::screen(&common::draw(&mut ui, 110, 30));
    for want in [
        "This link was dead when checked (HTTP 404).",
        "Archived copy of 2023-10-20:",
        "y: open the copy   O: open the dead link",
        "F: rewrite the link to the copy   n: cancel",
    ] {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    assert_eq!(
        common::press(&mut ui, "y"),
        [Effect::Open(OKTA_COPY.into())]
    );
    common::press(&mut ui, "o");
    assert_eq!(common::press(&mut ui, "O"), [Effect::Open(OKTA.into())]);
    common::press(&mut ui, "o");
    assert_eq!(common::press(&mut ui, "esc"), []);
    assert_eq!(message(&ui), "not opened");
    // Without a copy, it opens the link itself when asked.
    ui.app.set_health([okta_dead(false)]);
    common::press(&mut ui, "o");
    let screen = common::screen(&common::draw(&mut ui, 110, 30));
    assert!(screen.contains("No archived copy was found."), "{screen}");
    assert!(
        screen.contains("y: open it all the same   n: cancel"),
        "{screen}"
    );
    assert_eq!(common::press(&mut ui, "y"), [Effect::Open(OKTA.into())]);
}

#[test]
fn f_rewrites_only_the_url_of_the_note() {
    let mut h = common::Harness::new();
    h.app.app.set_health([okta_dead(true)]);
    select_okta(&mut h.app);
    h.press("F");
    assert_eq!(
        h.read("plan.md"),
        common::Harness::original("plan.md").replace(
            "](https://sec.okta.com/harfiles)",
            &format!("]({OKTA_COPY})")
        )
    );
    assert_eq!(
        message(&h.app),
        "link rewritten to the archived copy of 2023-10-20"
    );
    // The rewritten link is no longer the dead one.
    assert_eq!(
        h.app.app.selected_url().map(|(u, _)| u).as_deref(),
        Some(OKTA_COPY)
    );
    h.press("F");
    assert_eq!(message(&h.app), "not checked yet: C checks the links");
}

#[test]
fn c_checks_in_the_background_what_is_due_and_reports_as_results_come() {
    let mut ui = common::app();
    let now = 2_000_000_000;
    ui.app.health.wall = Some((now, ui.app.now));
    let web: std::collections::BTreeSet<String> = ui
        .app
        .notebook
        .links()
        .filter(|l| opsbook::health::skip_reason(l.url(), l.kind()).is_none())
        .map(|l| l.url().to_string())
        .collect();
    let mut fresh = Health::new(OKTA, Status::Ok, "HTTP 200", now - 60);
    fresh.code = Some(200);
    let stale_url = web.iter().find(|u| *u != OKTA).unwrap().clone();
    let stale = Health::new(&stale_url, Status::Ok, "HTTP 200", now - 8 * 86_400);
    ui.app.set_health([fresh, stale]);
    let effects = common::press(&mut ui, "C");
    let [Effect::CheckLinks(urls)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let mut due = urls.clone();
    due.sort();
    let want: Vec<String> = web.iter().filter(|u| *u != OKTA).cloned().collect();
    assert_eq!(due, want);
    let n = want.len();
    assert_eq!(
        message(&ui),
        format!("checking {n} web addresses in the background")
    );
    ui.app.link_checked(okta_dead(false));
    assert_eq!(
        message(&ui),
        format!("checking addresses 1/{n} · 1 dead · 0 moved")
    );
    assert_eq!(common::press(&mut ui, "C"), []);
    assert_eq!(
        message(&ui),
        format!("a link check is under way: 1/{n} addresses")
    );
    // The status bar keeps the count in sight, whatever the message.
    ui.app.message = None;
    let screen = common::screen(&common::draw(&mut ui, 160, 20));
    assert!(screen.contains(&format!(" checking 1/{n} ·")), "{screen}");
    ui.app.check_finished(None);
    assert_eq!(
        message(&ui),
        format!("{n} addresses checked: 0 ok · 0 moved · 1 dead · 0 failed")
    );
    assert!(ui.app.message.as_ref().unwrap().error);
}

#[test]
fn sessions_and_items_holding_a_dead_link_are_marked_in_their_views() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cal.md"),
        "# Calendar\n\n## 2026\n\n- Nov 23 - Retro\n  - read <https://dead.example/pm> first\n- Nov 30 - Planning\n  - <https://fine.example/>\n",
    )
    .unwrap();
    let loaded = opsbook::storage::load(dir.path()).unwrap();
    let mut ui = common::Ui::new(opsbook::app::App::new(
        loaded.notebook,
        std::time::Instant::now(),
    ));
    ui.app.set_health([
        Health::new("https://dead.example/pm", Status::Dead, "HTTP 404", 0),
        Health::new("https://fine.example/", Status::Ok, "HTTP 200", 0),
    ]);
    common::press(&mut ui, "2");
    let screen = common::screen(&common::draw(&mut ui, 100, 20));
    assert!(screen.contains("✗ Retro"), "{screen}");
    assert!(!screen.contains("✗ Planning"), "{screen}");
    common::press(&mut ui, "3 l l l l l l l");
    let screen = common::screen(&common::draw(&mut ui, 100, 20));
    // The tree's rows, left of the detail pane.
    let marked: Vec<&str> = screen
        .lines()
        .filter_map(|l| l.split("││").next())
        .filter(|l| l.contains('✗'))
        .collect();
    assert_eq!(
        marked,
        ["│          ✗ read https://dead.example/pm f…"],
        "{screen}"
    );
}

#[test]
fn quitting_keeps_what_this_sessions_checks_found() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("data/link-health.json");
    let files = opsbook::runtime::Files {
        root: dir.path().to_path_buf(),
        journal: opsbook::storage::journal::Journal::new(dir.path().join("journal"), dir.path()),
        health_cache: Some(cache.clone()),
        pages: None,
    };
    let (runtime, _notices) =
        opsbook::runtime::Runtime::new(files, std::sync::Arc::new(common::NoBrowser));
    let mut ui = common::app();
    // Results of earlier runs alone are not written again.
    ui.app
        .set_health([Health::new("https://a.example/", Status::Ok, "HTTP 200", 1)]);
    runtime.keep_health(&ui.app);
    assert!(!cache.exists());
    ui.app.link_checked(okta_dead(true));
    runtime.keep_health(&ui.app);
    let kept = opsbook::health::cache::Cache::load(&cache).unwrap();
    assert_eq!(kept.get(OKTA), Some(&okta_dead(true)));
    assert_eq!(kept.len(), 2);
}

#[test]
fn f_leaves_a_move_that_is_not_for_good_and_says_why() {
    let mut ui = common::app();
    let mut front = Health::new(
        OKTA,
        Status::Redirected,
        "redirected to the site's front page: the page is likely gone",
        0,
    );
    front.final_url = Some("https://sec.okta.com/".into());
    ui.app.set_health([front]);
    select_okta(&mut ui);
    assert_eq!(common::press(&mut ui, "F"), []);
    assert_eq!(
        message(&ui),
        "redirected to the site's front page: the page is likely gone: not rewritten"
    );
}

#[test]
fn results_read_late_from_the_cache_never_hide_a_newer_check() {
    let mut ui = common::app();
    ui.app.link_checked(okta_dead(true));
    let mut older = Health::new(OKTA, Status::Ok, "HTTP 200", 1_000);
    older.code = Some(200);
    ui.app.set_health([older]);
    assert_eq!(ui.app.health_of(OKTA).map(|h| h.status), Some(Status::Dead));
}

#[test]
fn results_are_left_to_keep_at_quit_only_until_a_check_has_kept_them() {
    let mut ui = common::app();
    assert!(!ui.health.unsaved);
    let result = |url: &str| Health::new(url, Status::Ok, "HTTP 200", 1_000);
    ui.link_checked(result("https://a.example/"));
    assert!(ui.health.unsaved);
    // Kept by the check's thread.
    ui.check_finished(None);
    assert!(!ui.health.unsaved);
    ui.link_checked(result("https://b.example/"));
    // Its thread could not write them: quitting tries again.
    ui.check_finished(Some("disk full".into()));
    assert!(ui.health.unsaved);
}

#[test]
fn the_counts_of_marks_follow_each_urls_newest_result() {
    let mut ui = common::app();
    let at = |url: &str, status, time| Health::new(url, status, "", time);
    ui.set_health([
        at("https://a.example/", Status::Dead, 10),
        at("https://b.example/", Status::Redirected, 10),
        at("https://c.example/", Status::Ok, 10),
    ]);
    assert_eq!(ui.health.marked, (1, 1));
    ui.link_checked(at("https://a.example/", Status::Ok, 20));
    assert_eq!(ui.health.marked, (0, 1));
    // An older result read late changes nothing.
    ui.set_health([at("https://b.example/", Status::Ok, 5)]);
    assert_eq!(ui.health.marked, (0, 1));
    ui.link_checked(at("https://c.example/", Status::Dead, 20));
    assert_eq!(ui.health.marked, (1, 1));
}
