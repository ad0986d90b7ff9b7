//! A team's own postmortem documents from the shell: `opsbook postmortems`
//! lists them beside postmortem links, `opsbook new postmortem` makes the
//! next one from the folder's template. Run as a real process on copies of
//! `tests/fixtures/postmortem_docs` (a PM-numbered folder with its template
//! and README, a dated-file folder with front matter, a note that is a
//! postmortem only by its sections, and a list of links by year).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postmortem_docs")
}

/// The binary with a temporary home, so no test reads or writes the real one.
fn opsbook(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .env_remove("OPSBOOK_NOTEBOOK")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .args(args)
        .output()
        .expect("runs")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// A copy of the fixture notebook in a temporary home.
fn notebook() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let nb = home.path().join("notes");
    copy_dir(&fixture(), &nb);
    (home, nb)
}

#[test]
fn postmortems_lists_documents_and_links_by_year() {
    let (home, nb) = notebook();
    let o = opsbook(
        home.path(),
        &["--notebook", nb.to_str().unwrap(), "postmortems"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "2023   Internal DNS outage  note 2023-06-01  incidents/2023-06-01-dns-outage.md:1\n\
         2023   Square Incident Summary: 2023-09-07  https://developer.squareup.com/blog/square-incident-summary-2023-09-07/  notes/reading.md:5\n\
         2022~  Cache stampede on the catalog  note 2022-09-14  notes/cache-stampede.md:1\n\
         2021   PM2021-005 - VPN saturation  note 2021-04-12  pm/PM2021-005 - VPN saturation.md:1\n\
         2021   PM2021-004 - ADFS outage  note 2021-03-31  pm/PM2021-004 - ADFS outage.md:1\n"
    );
}

#[test]
fn postmortems_json_states_each_documents_facts() {
    let (home, nb) = notebook();
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "postmortems",
            "--year",
            "2021",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v,
        json!([
            {
                "kind": "note", "year": 2021, "year_inferred": false, "date": "2021-04-12",
                "title": "PM2021-005 - VPN saturation",
                "document": "pm/PM2021-005 - VPN saturation.md", "line": 1,
                "facts": {
                    "summary": "On April 12, 2021 the VPN concentrators ran out of licenses when the whole company worked from home.",
                    "impact": "About 800 people could not connect for the morning."
                }
            },
            {
                "kind": "note", "year": 2021, "year_inferred": false, "date": "2021-03-31",
                "title": "PM2021-004 - ADFS outage",
                "document": "pm/PM2021-004 - ADFS outage.md", "line": 1,
                "facts": {
                    "summary": "The ADFS token-signing certificate expired and nobody could sign in to Office 365 or the VPN. The renewal reminder went to a mailbox of someone who had left.",
                    "severity": "SEV1",
                    "duration": "4h 12m"
                }
            }
        ])
    );
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "postmortems",
            "--year",
            "2023",
            "--format",
            "tsv",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "kind\tyear\tyear_inferred\tdate\ttitle\turl\tdocument\tline\tfacts\n\
         note\t2023\tfalse\t2023-06-01\tInternal DNS outage\t\tincidents/2023-06-01-dns-outage.md\t1\timpact: Builds and deploys failed for 90 minutes · severity: SEV2\n\
         link\t2023\tfalse\t\tSquare Incident Summary: 2023-09-07\thttps://developer.squareup.com/blog/square-incident-summary-2023-09-07/\tnotes/reading.md\t5\t\n"
    );
}

#[test]
fn new_postmortem_continues_the_numbering_from_the_template_and_never_overwrites() {
    let (home, nb) = notebook();
    let year = jiff::Zoned::now().year();
    let args = [
        "--notebook",
        nb.to_str().unwrap(),
        "new",
        "postmortem",
        "Cache",
        "stampede",
    ];
    let o = opsbook(home.path(), &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // PM2021-005 is last year's numbering (or older): this year starts at 001.
    let name = format!("pm/PM{year}-001 - Cache stampede.md");
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("{name}:8\n"));
    let text = fs::read_to_string(nb.join(&name)).expect("written");
    assert_eq!(
        text,
        "# Cache stampede\n\n**Severity:**\n**Duration:**\n\n## Summary\n\n\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n\n## Contributing factors\n\n## Action items\n"
    );
    // The next continues the numbering; the one made stays as it is.
    let o = opsbook(home.path(), &args);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("pm/PM{year}-002 - Cache stampede.md:8\n")
    );
    assert_eq!(fs::read_to_string(nb.join(&name)).expect("kept"), text);
    // Listed as this year's postmortems, undated (the template writes no date).
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "postmortems",
            "--year",
            &year.to_string(),
        ],
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
}

#[test]
fn new_postmortem_in_a_notebook_without_any_is_dated_and_refuses_an_existing_file() {
    let home = tempfile::tempdir().expect("tempdir");
    let nb = home.path().join("notes");
    fs::create_dir_all(&nb).expect("mkdir");
    fs::write(nb.join("plan.md"), "# Plan\n").expect("write");
    let today = jiff::Zoned::now().date().to_string();
    let name = format!("postmortems/{today}-dns-outage.md");
    fs::create_dir_all(nb.join("postmortems")).expect("mkdir");
    fs::write(nb.join(&name), "mine\n").expect("write");
    let args = [
        "--notebook",
        nb.to_str().unwrap(),
        "new",
        "postmortem",
        "DNS outage",
    ];
    let o = opsbook(home.path(), &args);
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!("opsbook: new postmortem: {name} exists already: nothing written\n")
    );
    assert_eq!(fs::read_to_string(nb.join(&name)).expect("kept"), "mine\n");
    fs::remove_file(nb.join(&name)).expect("rm");
    let o = opsbook(home.path(), &args);
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("{name}:9\n"));
    assert_eq!(
        fs::read_to_string(nb.join(&name)).expect("written"),
        format!(
            "---\ntype: postmortem\ndate: {today}\n---\n# DNS outage\n\n## Summary\n\n\n\n## Impact\n\n## Timeline\n\n| Time | Event |\n|---|---|\n\n## Root cause\n\n## Resolution\n\n## Lessons learned\n\n## Action items\n\n"
        )
    );
}

#[test]
fn actions_lists_every_written_form_newest_postmortem_first() {
    let (home, nb) = notebook();
    let o = opsbook(
        home.path(),
        &["--notebook", nb.to_str().unwrap(), "actions"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "[ ] Buy licenses for peak, not average (finance)  (@finance)  pm/PM2021-005 - VPN saturation.md:13\n\
         [ ] Alert 30 days before certificate expiry @maria due:2021-04-30  (@maria, due 2021-04-30 overdue)  pm/PM2021-004 - ADFS outage.md:25\n\
         [x] Move renewal reminders to the team mailbox (ops)  (@ops)  pm/PM2021-004 - ADFS outage.md:26\n\
         [ ] Document the renewal steps owner: dave  (@dave)  pm/PM2021-004 - ADFS outage.md:27\n"
    );
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "actions",
            "--open",
            "--owner",
            "@Dave",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v,
        json!([{
            "text": "Document the renewal steps owner: dave",
            "done": false,
            "owner": "dave",
            "due": null,
            "document": "pm/PM2021-004 - ADFS outage.md",
            "line": 27
        }])
    );
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "actions",
            "--open",
            "--owner",
            "ops",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "", "done ones left out");
}

#[test]
fn search_finds_postmortem_documents_by_what_they_say() {
    let (home, nb) = notebook();
    let search = |q: &str| {
        let o = opsbook(
            home.path(),
            &[
                "--notebook",
                nb.to_str().unwrap(),
                "search",
                q,
                "--limit",
                "2",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // Words of its Summary and Timeline, not its title.
    assert_eq!(
        search("adfs certificate expired"),
        "PM2021-004 - ADFS outage  postmortem document  pm/PM2021-004 - ADFS outage.md:1\n"
    );
    // Front matter and body of a dated note; a typo and a word form too.
    assert_eq!(
        search("resolvers stoped answering"),
        "Internal DNS outage  postmortem document  incidents/2023-06-01-dns-outage.md:1\n"
    );
    // Links are found as before, first; a document holding one of the
    // words (`incidents/` in its path) after.
    assert_eq!(
        search("square incident"),
        "Square Incident Summary: 2023-09-07  https://developer.squareup.com/blog/square-incident-summary-2023-09-07/  notes/reading.md:5\n\
         Internal DNS outage  postmortem document  incidents/2023-06-01-dns-outage.md:1\n"
    );
    // `links` lists links only.
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "links",
            "--year",
            "2021",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
}

#[test]
fn search_explain_says_why_of_postmortem_documents_too() {
    let (home, nb) = notebook();
    let o = opsbook(
        home.path(),
        &[
            "--notebook",
            nb.to_str().unwrap(),
            "search",
            "--explain",
            "square incident",
            "--limit",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The same results as without `--explain`, a document's fields named
    // as a document has them.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "Square Incident Summary: 2023-09-07  https://developer.squareup.com/blog/square-incident-summary-2023-09-07/  notes/reading.md:5\n\
         \x20 holds every word as fzf matches them\n\
         \x20 2 of 2 words, score 577: square: title (exact) · incident: title (exact)\n\
         Internal DNS outage  postmortem document  incidents/2023-06-01-dns-outage.md:1\n\
         \x20 1 of 2 words, score 121: square: - · incident: title (synonym)\n"
    );
}
