//! The headless CLI, run as a real process on temporary folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The binary with a temporary home, so no test reads or writes the real one.
fn opsbook(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_opsbook"));
    c.env_remove("OPSBOOK_NOTEBOOK")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"));
    c
}

fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    opsbook(home.path()).args(args).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(args: &[&str]) -> Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn link_json_is_the_scripting_contract() {
    let data = data_dir();
    let v = json_of(&[
        "links",
        "--year",
        "2023",
        "--format",
        "json",
        "--notebook",
        data.to_str().unwrap(),
    ]);
    let links = v.as_array().expect("array");
    assert_eq!(links.len(), 7);
    assert_eq!(
        links[4],
        json!({
            "text": "Reddit Pi Day Outage",
            "title": "Reddit Pi Day Outage",
            "url": "https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/",
            "kind": "web",
            "document": "plan.md",
            "headings": ["Post-Mortem", "2023"],
            "line": 40,
            "column": 3,
            "year": 2023,
            "year_inferred": false,
            "context": "Reddit Pi Day Outage - Great overview of a Kubernetes outage centered around an upgrade from 1.23 to 1.24"
        })
    );
    assert_eq!(links[2]["kind"], "relative");
    let general = json_of(&[
        "--notebook",
        data.to_str().unwrap(),
        "links",
        "--year",
        "general",
        "--format",
        "json",
    ]);
    let texts: Vec<_> = general
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "Kubernetes Fail Stories",
            "Source",
            "Danluu's Post Mortem Repo",
            "Scaling up Prive Video By Migration to a Monolith"
        ]
    );
    let none = json_of(&[
        "--notebook",
        data.to_str().unwrap(),
        "links",
        "--tag",
        "nosuchtag",
        "--format",
        "json",
    ]);
    assert_eq!(none, json!([]));
    let tagged = json_of(&[
        "--notebook",
        data.to_str().unwrap(),
        "links",
        "--tag",
        "devops",
        "--format",
        "json",
    ]);
    assert_eq!(tagged.as_array().unwrap().len(), 29);
    assert_eq!(tagged[0]["year"], Value::Null);
}

#[test]
fn session_json_is_the_scripting_contract() {
    let data = data_dir();
    let v = json_of(&[
        "sessions",
        "--year",
        "2022",
        "--format",
        "json",
        "--notebook",
        data.to_str().unwrap(),
    ]);
    let opa = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("OPA"))
        .expect("OPA session")
        .clone();
    assert_eq!(
        opa,
        json!({
            "date": "2022-11-15",
            "month": 11,
            "day": 15,
            "year_inferred": true,
            "title": "OPA / Policy Controllers / Admission Controllers",
            "cancelled": false,
            "topics": [],
            "document": "lunch-and-learn.md",
            "line": 371,
            "warnings": ["year 200 is not plausible; read as 2022 from the sessions around it"]
        })
    );
    let all = json_of(&[
        "sessions",
        "--format",
        "json",
        "--notebook",
        data.to_str().unwrap(),
    ]);
    let lisa = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("LISA"))
        .unwrap();
    assert_eq!(
        (
            lisa["date"].clone(),
            lisa["month"].clone(),
            lisa["day"].clone()
        ),
        (Value::Null, json!(6), json!(1))
    );
    let may25 = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Release Process Management (Claus)")
        .unwrap();
    assert_eq!(
        may25["topics"],
        json!([
            "CI/CD automation",
            "Split Test - LaunchDarkly?",
            "Quality Gates",
            "Git Tags/Releases"
        ])
    );
    assert_eq!(may25["date"], "2021-05-25");
    let cancelled = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["line"] == 399)
        .unwrap();
    assert_eq!(
        (cancelled["title"].clone(), cancelled["cancelled"].clone()),
        (json!("NO MEETING"), json!(true))
    );
}

#[test]
fn search_is_fuzzy_best_first_and_limited() {
    let data = data_dir();
    let o = run(&[
        "--notebook",
        data.to_str().unwrap(),
        "search",
        "reddit pi",
        "--limit",
        "1",
    ]);
    assert_eq!(
        stdout(&o),
        "Reddit Pi Day Outage  https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/  plan.md:40\n"
    );
    let v = json_of(&[
        "--notebook",
        data.to_str().unwrap(),
        "search",
        "karpenter",
        "--format",
        "json",
    ]);
    // Letters scattered over a long URL do not match: only the word does.
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["url"], "https://github.com/aws/karpenter");
    assert_eq!(v[0]["document"], "reinvent-notes.md");
    let tsv = run(&[
        "--notebook",
        data.to_str().unwrap(),
        "search",
        "circleci",
        "--limit",
        "1",
        "--format",
        "tsv",
    ]);
    assert_eq!(
        stdout(&tsv),
        "year\ttext\turl\tkind\tdocument\tline\tcolumn\theadings\ttitle\tcontext\n2023\tCircleCI Security Breach\thttps://circleci.com/blog/jan-4-2023-incident-report/\tweb\tplan.md\t36\t3\tPost-Mortem > 2023\tCircleCI Security Breach\tCircleCI Security Breach\n"
    );
}

#[test]
fn notebook_comes_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let o = opsbook(home.path())
        .env("OPSBOOK_NOTEBOOK", data_dir())
        .args(["links", "--year", "2020"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "Amazon Kinesis Aug 25 2020  https://aws.amazon.com/message/11201/  plan.md:55\n"
    );
}

// Linux only: the config and data folders come from XDG_CONFIG_HOME / XDG_DATA_HOME.
#[cfg(target_os = "linux")]
#[test]
fn default_notebook_is_created_from_the_examples_once() {
    let home = tempfile::tempdir().unwrap();
    let first = opsbook(home.path())
        .args(["links", "--year", "2019"])
        .output()
        .unwrap();
    let dir = home.path().join("data/opsbook/notebook");
    assert_eq!(
        stderr(&first),
        format!(
            "opsbook: created a new notebook with the bundled examples in {}\n",
            dir.display()
        )
    );
    assert_eq!(stdout(&first).lines().count(), 2);
    for name in ["plan.md", "lunch-and-learn.md", "reinvent-notes.md"] {
        assert_eq!(
            fs::read(dir.join(name)).unwrap(),
            fs::read(data_dir().join(name)).unwrap()
        );
    }
    let second = opsbook(home.path())
        .args(["links", "--year", "2019"])
        .output()
        .unwrap();
    assert_eq!(stderr(&second), "");
    assert!(second.status.success());
}

#[test]
fn tree_prints_the_outline() {
    let data = data_dir();
    let o = run(&["tree", "--notebook", data.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("plan.md — Plan [dev, devops, postmortem]\n  --- front matter\n  ¶ Planning for a DevOps Cycle\n  ## Architecture\n    - Platform Engineering: Home for Platform Engineers. Includes a comprehensive tech library of stack…\n"), "{out}");
    assert!(out.contains("\n    ### 2022\n      - Incident.IO - Intermittent Downtime: Discussion of analysis and resolution in a Heroku app\n"));
    assert!(out.contains("\n      - Lastpass Security Breach\n        - Root Cause: APT against"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("nb");
    fs::create_dir_all(&big).unwrap();
    for (name, text) in opsbook::synth::notebook(opsbook::synth::Shape {
        documents: 2,
        links: 20_000,
        seed: 3,
    }) {
        let p = big.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let mut child = opsbook(home.path())
        .args(["links", "--notebook", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(stderr(&o), "");
    assert!(o.status.success());
}

#[test]
fn bad_input_gets_one_line_each_and_the_rest_loads() {
    let home = tempfile::tempdir().unwrap();
    let nb = tempfile::tempdir().unwrap();
    let p = nb.path();
    fs::write(p.join("good.md"), "# Good\n- [A](https://a.example)\n").unwrap();
    fs::write(
        p.join("latin1.md"),
        b"# Caf\xe9\n- [B](https://b.example)\n",
    )
    .unwrap();
    fs::write(p.join("binary.md"), b"# x\0y\n").unwrap();
    let big = fs::File::create(p.join("huge.md")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    fs::write(p.join("ignored.png"), b"\x89PNG").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(p, p.join("loop")).unwrap();
    let o = opsbook(home.path())
        .args(["links", "--notebook", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "A  https://a.example  good.md:2\nB  https://b.example  latin1.md:2\n"
    );
    let err = stderr(&o);
    let mut lines: Vec<&str> = err.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "opsbook: binary.md: skipped: binary file (contains NUL bytes)",
            "opsbook: huge.md: skipped: 65 MiB is over the 64 MiB limit",
            "opsbook: latin1.md: not valid UTF-8: loaded with replacement characters, read-only",
            &format!(
                "opsbook: loop: skipped: symlink loop back to {}",
                p.display()
            ),
        ]
    );
}

#[test]
fn a_missing_folder_fails_with_one_line() {
    let o = run(&["tree", "--notebook", "/nonexistent/opsbook-notes"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "opsbook: notebook folder not found: /nonexistent/opsbook-notes\n"
    );
}

#[test]
fn nothing_loadable_fails() {
    let nb = tempfile::tempdir().unwrap();
    fs::write(nb.path().join("bin.md"), b"\0\0").unwrap();
    let o = run(&["links", "--notebook", nb.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "opsbook: bin.md: skipped: binary file (contains NUL bytes)\nopsbook: nothing could be loaded from {}\n",
            nb.path().display()
        )
    );
}

#[test]
fn tree_shows_code_blocks_by_their_fence() {
    let nb = tempfile::tempdir().unwrap();
    fs::write(nb.path().join("c.md"), "# C\n```sh\nls\n```\n> quoted\n").unwrap();
    let o = run(&["tree", "--notebook", nb.path().to_str().unwrap()]);
    assert_eq!(stdout(&o), "c.md — C\n  # C\n    ``` sh\n    > quoted\n");
}

#[test]
fn the_ui_without_a_terminal_says_what_to_do_instead() {
    let o = run(&["--notebook", "data"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "opsbook: the terminal UI needs a terminal; for scripts see `opsbook --help` (tree, links, search, sessions, sync, keys)\n"
    );
}

// Linux only: the config and data folders come from XDG_CONFIG_HOME / XDG_DATA_HOME.
#[cfg(target_os = "linux")]
#[test]
fn the_config_names_the_notebook_and_its_mistakes_have_a_place() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/opsbook");
    fs::create_dir_all(&config).unwrap();
    let data = data_dir();
    fs::write(
        config.join("config.toml"),
        format!(
            "notebook = {:?}\n\n[sync]\nmode = \"manual\"\n",
            data.to_str().unwrap()
        ),
    )
    .unwrap();
    let opsbook = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(args)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env_remove("OPSBOOK_NOTEBOOK")
            .output()
            .unwrap()
    };
    let via_config = stdout(&opsbook(&["links", "--year", "2023"]));
    let via_flag = stdout(&opsbook(&[
        "links",
        "--year",
        "2023",
        "--notebook",
        data.to_str().unwrap(),
    ]));
    assert_eq!(via_config.lines().count(), 7);
    assert_eq!(via_config, via_flag);
    assert!(
        !home.path().join("data/opsbook/notebook").exists(),
        "no default notebook was made"
    );
    fs::write(config.join("config.toml"), "[sync]\nmode = \"sometimes\"\n").unwrap();
    let o = opsbook(&["tree", "--notebook", data.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "a broken config does not stop scripts given a notebook"
    );
    let o = opsbook(&["tree"]);
    assert!(
        stderr(&o).starts_with(&format!(
            "opsbook: {}:2:8: unknown variant `sometimes`",
            config.join("config.toml").display()
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_for_each_shell_and_a_manual_page() {
    let home = tempfile::tempdir().expect("tempdir");
    let bash = opsbook(home.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(bash.status.success());
    let script = home.path().join("opsbook.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    // The script is valid bash, and it completes the subcommands.
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success());
    let script = stdout(&bash);
    assert!(script.contains("complete -F _opsbook"), "{script}");
    // Every subcommand, as clap knows them, is offered.
    let names: Vec<String> = {
        use clap::CommandFactory;
        opsbook::cli::Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect()
    };
    assert_eq!(names.len(), 19);
    assert!(
        script.contains(&format!("{} help", names.join(" "))),
        "{script}"
    );
    assert_eq!(
        stdout(&run(&["completions", "zsh"])).lines().next(),
        Some("#compdef opsbook")
    );
    let wrong = run(&["completions", "tcsh"]);
    assert_eq!(wrong.status.code(), Some(2));
    // No notebook is needed, and none is created.
    assert!(!home.path().join("data").exists());
    let man = stdout(&run(&["man"]));
    assert!(man.contains(".TH opsbook 1"), "{man}");
    assert!(man.contains("opsbook\\-sync(1)"), "{man}");
    // The pages it names are written with `man DIR`.
    let dir = home.path().join("man1");
    let wrote = opsbook(home.path())
        .args(["man", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(wrote.status.success());
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("opsbook-{n}.1")).collect();
    expected.push("opsbook.1".to_string());
    // A command's own subcommands get pages too.
    expected.push("opsbook-new-postmortem.1".to_string());
    expected.sort();
    assert_eq!(pages, expected);
}

#[test]
fn add_writes_only_the_new_line_and_says_where() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    for f in ["plan.md", "lunch-and-learn.md"] {
        fs::copy(data_dir().join(f), notes.join(f)).unwrap();
    }
    let add = |args: &[&str]| {
        opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .arg("add")
            .arg("--no-fetch")
            .args(args)
            .output()
            .unwrap()
    };
    let o = add(&[
        "status.example.com/9",
        "--title",
        "Queue backlog",
        "--year",
        "2021",
    ]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "plan.md:55\n".into())
    );
    let o = add(&[
        "https://backstage.io",
        "--title",
        "Backstage",
        "--section",
        "statistics",
    ]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "plan.md:19\n".into())
    );
    let original = fs::read_to_string(data_dir().join("plan.md")).unwrap();
    let plan = fs::read_to_string(notes.join("plan.md")).unwrap();
    let lines: Vec<&str> = plan.lines().collect();
    assert_eq!(lines[18], "- [Backstage](https://backstage.io)");
    assert_eq!(
        lines[53..57],
        [
            "### 2021",
            "",
            "- [Queue backlog](https://status.example.com/9)",
            ""
        ]
    );
    // Every other line as it was.
    let mut rest = lines.clone();
    rest.drain(53..57);
    rest.remove(18);
    assert_eq!(rest, original.lines().collect::<Vec<_>>());

    // Refused, with one line each and nothing written.
    for (args, code, err) in [
        (
            &["not a url"][..],
            1,
            "opsbook: add: `not a url` is not a URL\n",
        ),
        (
            &["https://c.test", "--year", "3000"][..],
            2,
            "opsbook: add: `3000` is not a year between 1970 and 2100, nor general\n",
        ),
        (
            &["https://c.test", "--section", "nope"][..],
            1,
            "opsbook: add: no heading `nope` in the notebook\n",
        ),
        (
            &["https://c.test", "--document", "nope.md"][..],
            1,
            "opsbook: add: no note nope.md in the notebook\n",
        ),
        (
            &["https://c.test", "--document", "lunch-and-learn.md"][..],
            1,
            "opsbook: add: lunch-and-learn.md has no postmortem list: say where with --section HEADING, or --year to start one\n",
        ),
        (
            &["javascript:alert(1)"][..],
            1,
            "opsbook: add: javascript: links are not added: they run code or read local files\n",
        ),
    ] {
        let o = add(args);
        assert_eq!(
            (
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).into_owned()
            ),
            (Some(code), err.to_string()),
            "{args:?}"
        );
    }
    assert_eq!(fs::read_to_string(notes.join("plan.md")).unwrap(), plan);
}

#[test]
fn jot_time_stamps_the_topic_and_jot_action_writes_a_task_item() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    let calendar = "# Standup\n\n- Nov 22, 2020 - Retro\n  - tea\n";
    fs::write(notes.join("cal.md"), calendar).unwrap();
    let jot = |words: &[&str]| {
        opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .arg("jot")
            .args(words)
            .output()
            .unwrap()
    };
    let before = opsbook::runtime::time_of_day();
    let o = jot(&["--time", "paged", "[sev2]"]);
    let after = opsbook::runtime::time_of_day();
    assert_eq!(stdout(&o), "cal.md:6\n", "{}", stderr(&o));
    let o = jot(&["--action", "rotate keys @sam due:2026-12-20"]);
    assert_eq!(stdout(&o), "cal.md:7\n", "{}", stderr(&o));
    let text = fs::read_to_string(notes.join("cal.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The time is the stamp's, as typed text would be escaped but it is not.
    let stamp = |(h, m): (u8, u8)| format!("  - [{h:02}:{m:02}] paged \\[sev2\\]");
    assert!(
        [stamp(before), stamp(after)].contains(&lines[5].to_string()),
        "{text}"
    );
    assert_eq!(lines[6], "  - [ ] rotate keys @sam due:2026-12-20");
    // The action is one of the notebook's actions.
    let o = opsbook(home.path())
        .arg("--notebook")
        .arg(&notes)
        .args(["actions", "--format", "tsv"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "done\ttext\towner\tdue\tdocument\tline\nfalse\trotate keys @sam due:2026-12-20\tsam\t2026-12-20\tcal.md\t7\n"
    );
}

#[test]
fn jot_adds_a_topic_under_todays_session_and_says_where() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    let calendar = "# Lunch and learn\n\n- Nov 22, 2020 - Retro\n  - tea\n";
    fs::write(notes.join("cal.md"), calendar).unwrap();
    let jot = |words: &[&str]| {
        opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .arg("jot")
            .args(words)
            .output()
            .unwrap()
    };
    let day = |t: opsbook::notebook::edit::Date| {
        let month = opsbook::notebook::sessions::month_abbrev(t.month);
        format!("- {month} {}, {}", t.day, t.year)
    };
    let first_day = day(opsbook::runtime::today());
    let o = jot(&["deploy", "froze", "at", "14:02"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:6\n".into())
    );
    let o = jot(&["rollback", "done"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:7\n".into())
    );
    // Text may start with a dash, and a line break folds into a space.
    let o = jot(&["-", "paged\nagain"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:8\n".into())
    );
    let text = fs::read_to_string(notes.join("cal.md")).unwrap();
    let (before, added) = text.split_at(calendar.len());
    assert_eq!(before, calendar);
    let added: Vec<&str> = added.lines().collect();
    // The session line carries today's date, whatever day the test runs.
    assert_eq!(added.len(), 4, "{text}");
    // Today's date; the day after only if the test ran across midnight.
    assert!(
        [first_day, day(opsbook::runtime::today())].contains(&added[0].to_string()),
        "{text}"
    );
    assert_eq!(
        added[1..],
        [
            "  - deploy froze at 14:02",
            "  - rollback done",
            "  - - paged again"
        ]
    );

    fs::write(notes.join("cal.md"), "# No dates here\n- tea\n").unwrap();
    let o = jot(&["x"]);
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned()),
        (
            Some(1),
            "opsbook: jot: no calendar in this notebook: write a dated item (- May 25 Title) first\n".into()
        )
    );
}

#[test]
fn sessions_text_is_in_columns_with_the_first_topic_for_a_missing_title() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(
        notes.join("cal.md"),
        "# Lunch and learn\n\n- Nov 22, 2020 - Retro\n  - tea\n- Nov 29, 2020\n  - deploy froze\n- Dec 6, 2020 - A much longer title, here: 👩‍💻 ~~no meeting~~\n",
    )
    .unwrap();
    let o = opsbook(home.path())
        .arg("--notebook")
        .arg(&notes)
        .arg("sessions")
        .output()
        .unwrap();
    assert_eq!(
        stdout(&o),
        "2020-11-22  Retro                                                 cal.md:3\n\
         2020-11-29  deploy froze                                          cal.md:5\n\
         2020-12-06  A much longer title, here: 👩\u{200d}💻 no meeting (cancelled)  cal.md:7\n"
    );
}

#[test]
fn config_prints_each_setting_and_where_it_comes_from() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/opsbook");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("config.toml"),
        "browser = \"firefox --new-tab\"\n[sync]\nmode = \"manual\"\n",
    )
    .unwrap();
    let o = opsbook(home.path())
        .arg("config")
        .env_remove("NO_COLOR")
        .env_remove("BROWSER")
        .output()
        .unwrap();
    let file = dir.join("config.toml");
    let notebook = home.path().join("data/opsbook/notebook");
    let printed = stdout(&o);
    let (settings, vocabulary) = printed
        .split_once("# search's built-in vocabulary")
        .expect("the vocabulary follows the settings");
    assert!(
        vocabulary.contains("\n#   k8s = kubernetes, kube\n"),
        "{vocabulary}"
    );
    assert!(
        vocabulary.contains("\n#   pg = postgres, postgresql\n"),
        "{vocabulary}"
    );
    assert_eq!(
        settings,
        format!(
            "# settings in effect; the file: {}\n\
             {:<40} # default\n\
             browser = \"firefox --new-tab\"            # config.toml\n\
             theme = \"dark\"                           # default\n\
             editor.autosave_after_ms = 1000          # default\n\
             sessions.date_style = \"Nov 23, 2026\"     # default\n\
             sessions.template = \"\"                   # default\n\
             sync.mode = \"manual\"                     # config.toml\n\
             sync.commit_after = 120                  # default\n\
             sync.push_after = 10                     # default\n\
             sync.pull_every = 300                    # default\n\
             check.concurrency = 16                   # default\n\
             check.per_host = 2                       # default\n\
             check.connect_timeout_secs = 5           # default\n\
             check.timeout_secs = 15                  # default\n\
             check.recheck_after_days = 7             # default\n\
             check.archive_api = \"https://archive.org/wayback/available\" # default\n\
             check.private_redirects = false          # default\n\
             fetch.refetch_after_days = 30            # default\n\
             fetch.max_page_kb = 5120                 # default\n\
             fetch.titles_on_add = true               # default\n\
             fetch.title_timeout_secs = 3             # default\n\
             fetch.keep_text_on_check = false         # default\n\
             search.synonyms = {{}}                     # default\n",
            file.display(),
            format!("notebook = \"{}\"", notebook.display()),
        )
    );
    // Nothing is created just to say where the notebook would be.
    assert!(!notebook.exists());
    fs::write(dir.join("config.toml"), "[sync]\nmode = \"sometimes\"\n").unwrap();
    let o = opsbook(home.path()).arg("config").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "opsbook: {}:2:8: unknown variant `sometimes`, expected one of `auto`, `manual`, `off`\n",
            file.display()
        )
    );
}

#[test]
fn sessions_as_icalendar_hold_every_dated_session() {
    let data = data_dir();
    let root = data.to_str().unwrap();
    let o = run(&["sessions", "--format", "ics", "--notebook", root]);
    assert_eq!(o.status.code(), Some(0));
    let ics = stdout(&o);
    let sessions = json_of(&["sessions", "--format", "json", "--notebook", root]);
    let dated = sessions
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["date"].is_null())
        .count();
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), dated);
    assert_eq!(dated, 138);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "opsbook: 3 sessions without a known year left out of the calendar\n"
    );
}

#[test]
fn bookmarks_export_and_import_round_trip_every_web_link() {
    let home = tempfile::tempdir().unwrap();
    let data = data_dir();
    let html = opsbook(home.path())
        .args([
            "links",
            "--format",
            "html",
            "--notebook",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(html.status.success());
    let file = home.path().join("firefox export.html");
    fs::write(&file, &html.stdout).unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    let import = |args: &[&str]| {
        opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .arg("import")
            .arg(&file)
            .args(args)
            .output()
            .unwrap()
    };
    let o = import(&["--name", "saved/browser"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "saved/browser.md\n".into())
    );
    // The same web links, in the same order, under the same folders.
    let links = |dir: &Path| -> Vec<(String, String)> {
        json_of(&[
            "links",
            "--format",
            "json",
            "--notebook",
            dir.to_str().unwrap(),
        ])
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "web")
        .map(|l| {
            (
                l["url"].as_str().unwrap().to_string(),
                l["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
    };
    let (before, after) = (links(&data), links(&notes));
    assert_eq!(after.len(), 55);
    assert_eq!(
        before.iter().map(|(u, _)| u).collect::<Vec<_>>(),
        after.iter().map(|(u, _)| u).collect::<Vec<_>>()
    );
    let note = fs::read_to_string(notes.join("saved/browser.md")).unwrap();
    assert!(note.contains("\n### Post-Mortem\n\n#### General\n\n- [Kubernetes Fail Stories](https://k8s.af/)\n- [Source](https://github.com/hjacobs/kubernetes-failure-stories)\n"), "{note}");
    // Never over an existing note.
    let o = import(&["--name", "saved/browser"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "opsbook: import: saved/browser.md exists already: not overwritten (choose another with --name)\n"
    );
}

#[test]
fn page_lists_postmortems_by_year_newest_first_as_one_html_file() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    // In the style of public lists: `[Name](url). What happened.` items.
    fs::write(
        notes.join("post-mortems.md"),
        "# Post-mortems\n\n## 2022\n\n- [Acme](https://a.test/pm). A <config> push & a rollback.\n\n\
         ## 2024\n\n- [Beta](https://b.test/pm) - DNS, again\n\n## General\n\n- [Index](https://c.test/)\n",
    )
    .unwrap();
    let o = opsbook(home.path())
        .args(["page", "--title", "Team postmortems", "--notebook"])
        .arg(&notes)
        .output()
        .unwrap();
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(page.starts_with("<!doctype html>\n"));
    assert!(!page.contains("<script") && !page.contains(" src="));
    let body = &page[page.find("<body>").unwrap()..];
    assert_eq!(
        body,
        "<body>\n<h1>Team postmortems</h1>\n\
         <h2 id=\"2024\">2024 <small>(1)</small></h2>\n<ul>\n\
         <li><a href=\"https://b.test/pm\">Beta</a> <span>DNS, again</span></li>\n</ul>\n\
         <h2 id=\"2022\">2022 <small>(1)</small></h2>\n<ul>\n\
         <li><a href=\"https://a.test/pm\">Acme</a> <span>A &lt;config&gt; push &amp; a rollback.</span></li>\n</ul>\n\
         <h2 id=\"general\">General <small>(1)</small></h2>\n<ul>\n\
         <li><a href=\"https://c.test/\">Index</a></li>\n</ul>\n\
         </body>\n</html>\n"
    );
}

#[test]
fn add_and_jot_say_the_line_that_links_says_in_a_note_of_lone_crs() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(
        notes.join("pm.md"),
        "# Post-mortems\r## 2021\r- [Old](https://old.example)\r",
    )
    .unwrap();
    fs::write(notes.join("cal.md"), "# Lunch\r- Nov 20, 2020 - Before\r").unwrap();
    let run = |args: &[&str]| {
        let o = opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    assert_eq!(
        run(&[
            "add",
            "https://new.example",
            "--title",
            "New",
            "--year",
            "2021"
        ]),
        "pm.md:4\n"
    );
    let links = run(&["links"]);
    assert!(
        links.contains("New  https://new.example  pm.md:4\n"),
        "{links}"
    );
    // Today's session goes after the 2020 one, its topic under it.
    assert_eq!(run(&["jot", "a topic"]), "cal.md:4\n");
}

#[test]
fn tree_cuts_wide_lines_at_100_columns() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("w.md"), format!("# {}\n", "東".repeat(60))).unwrap();
    let o = opsbook(home.path())
        .arg("--notebook")
        .arg(&notes)
        .arg("tree")
        .output()
        .unwrap();
    let out = stdout(&o);
    let heading = out.lines().nth(1).unwrap_or_default();
    // "# " and 48 characters of two columns fill 98 of the 99 columns left
    // for text before the ellipsis: a character is never cut in half.
    assert_eq!(heading, format!("  # {}…", "東".repeat(48)));
}

/// A notebook `team` with a calendar, and the default notebook made
/// beside it, under a temporary home.
fn two_notebooks() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let team = home.path().join("team");
    fs::create_dir(&team).unwrap();
    fs::write(team.join("cal.md"), "# Cal\n\n- Nov 22, 2020 - Retro\n").unwrap();
    let default = home.path().join("data/opsbook/notebook");
    fs::create_dir_all(&default).unwrap();
    fs::write(default.join("cal.md"), "# Mine\n\n- Nov 22, 2020 - Mine\n").unwrap();
    (home, team, default)
}

#[test]
fn options_after_jots_text_are_options_and_only_dashes_make_text() {
    let (home, team, default) = two_notebooks();
    let untouched = fs::read_to_string(default.join("cal.md")).unwrap();
    let dir = team.display().to_string();
    let jot = |args: &[&str]| opsbook(home.path()).arg("jot").args(args).output().unwrap();
    let o = jot(&["pos", "three", "--notebook", &dir]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:5\n".into()),
        "{}",
        stderr(&o)
    );
    let o = jot(&["four", &format!("--notebook={dir}")]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:6\n".into()),
        "{}",
        stderr(&o)
    );
    let o = jot(&["--notebook", &dir, "--", "--notebook", "x"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "cal.md:7\n".into()),
        "{}",
        stderr(&o)
    );
    // An option it does not know is refused, with the way to write it as text.
    let o = jot(&["--notebook", &dir, "-x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'-- -x'"), "{}", stderr(&o));
    let cal = fs::read_to_string(team.join("cal.md")).unwrap();
    let topics: Vec<&str> = cal.lines().skip(4).collect();
    assert_eq!(
        topics,
        ["  - pos three", "  - four", "  - --notebook x"],
        "{cal}"
    );
    assert_eq!(
        fs::read_to_string(default.join("cal.md")).unwrap(),
        untouched
    );
}

#[test]
fn a_mistake_in_the_config_stops_writes_and_reads_go_on_with_the_rest() {
    let (home, team, default) = two_notebooks();
    let untouched = fs::read_to_string(default.join("cal.md")).unwrap();
    let config = home.path().join("config/opsbook/config.toml");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(
        &config,
        format!(
            "notebook = {:?}\ntheme = \"blue\"\n",
            team.display().to_string()
        ),
    )
    .unwrap();
    let mistake = format!(
        "{}:2:9: unknown variant `blue`, expected one of `dark`, `light`, `none`",
        config.display()
    );
    for args in [
        &["jot", "x"][..],
        &["add", "https://a.example"],
        &["sync"],
        &["check", "--fix-archived"],
    ] {
        let o = opsbook(home.path()).args(args).output().unwrap();
        assert_eq!(
            (o.status.code(), stderr(&o), stdout(&o)),
            (Some(2), format!("opsbook: {mistake}\n"), String::new()),
            "{args:?}"
        );
    }
    assert_eq!(
        fs::read_to_string(default.join("cal.md")).unwrap(),
        untouched
    );
    assert_eq!(
        fs::read_to_string(team.join("cal.md")).unwrap(),
        "# Cal\n\n- Nov 22, 2020 - Retro\n"
    );
    // Reading goes on in the notebook the config names.
    let o = opsbook(home.path()).args(["sessions"]).output().unwrap();
    assert_eq!(
        (o.status.code(), stderr(&o), stdout(&o)),
        (
            Some(0),
            format!("opsbook: {mistake} (using the other settings)\n"),
            "2020-11-22  Retro  cal.md:3\n".into()
        )
    );
}

#[test]
fn check_with_no_host_answering_stops_and_says_offline_once() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    // `.invalid` never resolves (RFC 6761): offline and online alike, no
    // host answers any of these.
    let list: String = (0..62)
        .map(|i| format!("- [Outage {i}](https://h{i}.opsbook-test.invalid/pm)\n"))
        .collect();
    fs::write(
        notes.join("pm.md"),
        format!("# Post-mortems\n## 2023\n{list}"),
    )
    .unwrap();
    let o = opsbook(home.path())
        .args(["check", "--notebook"])
        .arg(&notes)
        .output()
        .unwrap();
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        (o.status.code(), stdout(&o).as_str(), lines.len()),
        (Some(1), "", 1),
        "{err}"
    );
    assert!(
        lines[0].starts_with("opsbook: check: no host answered the first ")
            && lines[0]
                .ends_with(" links (unknown hosts, no connection): offline? nothing was checked"),
        "{err}"
    );
    // Nothing was kept as a result.
    assert!(!home.path().join("data/opsbook/link-health.json").exists());
}

#[test]
fn the_example_notebooks_page_nests_follow_ups_and_counts_what_it_lists() {
    let home = tempfile::tempdir().unwrap();
    let o = opsbook(home.path())
        .args(["page", "--notebook"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    let section = |id: &str| -> String {
        let start = page.find(&format!("<h2 id=\"{id}\">")).expect(id);
        let end = page[start..]
            .find("</ul>\n<h2")
            .map_or(page.len(), |e| start + e);
        page[start..end].to_string()
    };
    // NameCheap's relative detail link is words of its row, not a row.
    let y2023 = section("2023");
    assert!(
        y2023.starts_with("<h2 id=\"2023\">2023 <small>(6)</small></h2>"),
        "{y2023}"
    );
    assert_eq!(y2023.matches("<li>").count(), 6, "{y2023}");
    assert!(y2023.contains(
        "<li><a href=\"https://www.namecheap.com/status-updates/archives/74848\">NameCheap Spam Email</a> \
         <span>Details based on spam I received - third party provider most likely Sendgrid</span></li>\n"
    ), "{y2023}");
    assert!(!y2023.contains("post-mortem-namecheap"), "{y2023}");
    // Lastpass's two follow-ups are rows inside its row, and only there.
    let y2022 = section("2022");
    assert!(
        y2022.starts_with("<h2 id=\"2022\">2022 <small>(6)</small></h2>"),
        "{y2022}"
    );
    assert_eq!(y2022.matches("<li>").count(), 6, "{y2022}");
    assert!(y2022.contains(
        "<li><a href=\"https://blog.lastpass.com/2022/12/notice-of-recent-security-incident/\">Lastpass Security Breach</a>\n  <ul>\n    <li><a href=\"https://arstechnica.com/"
    ), "{y2022}");
    assert_eq!(
        page.matches("infosec.exchange/@epixoip/109585049354200263")
            .count(),
        1
    );
    assert_eq!(page.matches("Root Cause: APT against").count(), 1);
    let counts: Vec<&str> = page.lines().filter(|l| l.starts_with("<h2")).collect();
    assert_eq!(
        counts,
        [
            "<h2 id=\"2023\">2023 <small>(6)</small></h2>",
            "<h2 id=\"2022\">2022 <small>(6)</small></h2>",
            "<h2 id=\"2020\">2020 <small>(1)</small></h2>",
            "<h2 id=\"2019\">2019 <small>(2)</small></h2>",
            "<h2 id=\"2017\">2017 <small>(2)</small></h2>",
            "<h2 id=\"general\">General <small>(4)</small></h2>",
        ]
    );
}

#[test]
fn jot_racing_a_saving_editor_loses_neither_writers_lines() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    let cal = notes.join("cal.md");
    fs::write(&cal, "# Cal\n\n- Nov 22, 2020 - Retro\n\n## Editor\n").unwrap();
    let stop = AtomicBool::new(false);
    let saved = std::thread::scope(|scope| {
        // The editor: saves as fast as it can, each save a checked write of
        // the file as it last read it, read again when it changed.
        let editor = scope.spawn(|| {
            let mut saved = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let text = fs::read_to_string(&cal).unwrap();
                let line = format!("editor line {n}\n");
                let at = text.len();
                match opsbook::storage::write_edit(
                    &cal,
                    opsbook::notebook::edit::content_hash(text.as_bytes()),
                    at..at,
                    &line,
                ) {
                    Ok(_) => {
                        saved.push(line);
                        n += 1;
                    }
                    Err(opsbook::storage::SaveError::Conflict { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            saved
        });
        // Whatever happens below, the editor stops (a failed assertion would
        // otherwise wait for it for ever).
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _stop = Stop(&stop);
        let mut jotted = Vec::new();
        for i in 0..40 {
            let words = format!("jot number {i}");
            let o = opsbook(home.path())
                .args(["jot", "--notebook"])
                .arg(&notes)
                .arg(&words)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            jotted.push(words);
        }
        stop.store(true, Ordering::Relaxed);
        (editor.join().unwrap(), jotted)
    });
    let (editor_lines, jots) = saved;
    let text = fs::read_to_string(&cal).unwrap();
    assert!(
        editor_lines.len() > 10,
        "the editor saved {}",
        editor_lines.len()
    );
    for l in &editor_lines {
        assert!(text.contains(l.as_str()), "lost the editor's {l:?}");
    }
    for j in &jots {
        assert!(text.contains(j.as_str()), "lost {j:?}");
    }
}

#[test]
fn a_teams_own_synonyms_find_what_its_words_stand_for() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/opsbook");
    fs::create_dir_all(&dir).unwrap();
    let search = |home: &Path| {
        let o = opsbook(home)
            .args(["search", "hellman", "--limit", "1", "--notebook"])
            .arg(data_dir())
            .output()
            .unwrap();
        stdout(&o)
    };
    assert_eq!(search(home.path()), "");
    fs::write(
        dir.join("config.toml"),
        "[search]\nsynonyms = { hellman = [\"karpenter\"] }\n",
    )
    .unwrap();
    assert_eq!(
        search(home.path()),
        "They have a custom next-gen autoscaler called Karpenter (although HPA/VPA/CA are avail).  https://github.com/aws/karpenter  reinvent-notes.md:14\n"
    );
}

#[test]
fn search_explain_says_which_word_matched_which_field_and_how() {
    let o = run(&[
        "search",
        "--explain",
        "kuberntes upgrade reddit",
        "--limit",
        "2",
        "--notebook",
        data_dir().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Reddit Pi Day Outage  https://www.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/  plan.md:40\n\
         \x20 3 of 3 words, score 1580: kuberntes: text (typo) · upgrade: text (exact) · reddit: title (exact)\n\
         Retrospective on Reddit's k8s-related outage  https://old.reddit.com/r/RedditEng/comments/11xx5o0/you_broke_reddit_the_piday_outage/  lunch-and-learn.md:411\n\
         \x20 2 of 3 words, score 1181: kuberntes: title (typo) · upgrade: - · reddit: title (exact)\n"
    );
}

#[test]
fn search_notes_ranks_note_text_as_the_ui_does() {
    let home = tempfile::tempdir().unwrap();
    let nb = home.path().join("nb");
    fs::create_dir_all(&nb).unwrap();
    fs::write(
        nb.join("oncall.md"),
        "# On-call\n\n## Runbooks\n\n- Restarting the etcd cluster after a partition\n  - drain the node first\n- Rotate TLS certificates\n\nThe k8s upgrade broke DNS for an hour.\n",
    )
    .unwrap();
    let search = |args: &[&str]| {
        let o = opsbook(home.path())
            .args(["search", "--notes"])
            .args(args)
            .arg("--notebook")
            .arg(&nb)
            .output()
            .unwrap();
        (o.status.code(), stdout(&o), stderr(&o))
    };
    // Word forms, a typo and ops vocabulary, as `f` finds them; the item
    // holding both words before the one holding one.
    assert_eq!(
        search(&["restart partition"]).1,
        "oncall.md:5  Restarting the etcd cluster after a partition\n"
    );
    assert_eq!(
        search(&["kubernetes upgrade"]).1,
        "oncall.md:9  The k8s upgrade broke DNS for an hour.\n"
    );
    assert_eq!(
        search(&["ssl certificats", "--explain"]).1,
        "oncall.md:7  Rotate TLS certificates\n\
         \x20 2 of 2 words, score 311: ssl: text (synonym) · certificats: text (typo)\n"
    );
    // The heading path counts as every piece's context; the piece holding
    // both words first, then the one whose letters hold the query as fzf
    // matches them, then those holding one word.
    assert_eq!(
        search(&["runbooks drain", "--format", "tsv"]).1,
        "kind\ttext\tdocument\tline\theadings\n\
         item\tdrain the node first\toncall.md\t6\tOn-call > Runbooks\n\
         item\tRestarting the etcd cluster after a partition\toncall.md\t5\tOn-call > Runbooks\n\
         heading\tRunbooks\toncall.md\t3\tOn-call > Runbooks\n\
         item\tRotate TLS certificates\toncall.md\t7\tOn-call > Runbooks\n\
         paragraph\tThe k8s upgrade broke DNS for an hour.\toncall.md\t9\tOn-call > Runbooks\n"
    );
    let (_, json, _) = search(&["dns", "--format", "json", "--limit", "1"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v,
        json!([{
            "kind": "paragraph",
            "text": "The k8s upgrade broke DNS for an hour.",
            "document": "oncall.md",
            "headings": ["On-call", "Runbooks"],
            "line": 9
        }])
    );
    let (code, out, err) = search(&["dns", "--format", "html"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err.lines().count(),
        1,
        "one line says what to do instead: {err}"
    );
    assert!(err.contains("--format text, tsv or json"), "{err}");
}

#[test]
fn import_of_a_calendar_adds_each_event_once_and_a_second_import_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("notes");
    fs::create_dir(&notes).unwrap();
    let calendar = "# Lunch and learn\n\n- Dec 2, 2026 - Lunch and learn\n  - Karpenter\n";
    fs::write(notes.join("lnl.md"), calendar).unwrap();
    let ics = home.path().join("team.ics");
    fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261202T120000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n\
EXDATE:20261216T120000Z\r\nSUMMARY:Lunch and learn\r\nDESCRIPTION:Talks\\nQ&A\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Game [day]\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n",
    )
    .unwrap();
    let import = || {
        opsbook(home.path())
            .arg("--notebook")
            .arg(&notes)
            .args([
                "import",
                ics.to_str().unwrap(),
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
            ])
            .output()
            .unwrap()
    };
    let o = import();
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "lnl.md:5: 3 sessions added\n".into()),
        "{}",
        stderr(&o)
    );
    let after = fs::read_to_string(notes.join("lnl.md")).unwrap();
    assert_eq!(
        after,
        format!(
            "{calendar}- Dec 9, 2026 - Lunch and learn\n  - Talks\n  - Q&A\n\
             - Dec 10, 2026 - Game \\[day\\]\n\
             - Dec 23, 2026 - Lunch and learn\n  - Talks\n  - Q&A\n"
        )
    );
    let o = import();
    assert_eq!(
        stdout(&o),
        "no new sessions: the 4 events from 2026-12-01 to 2026-12-31 are in lnl.md already\n"
    );
    assert_eq!(fs::read_to_string(notes.join("lnl.md")).unwrap(), after);
    let o = opsbook(home.path())
        .arg("--notebook")
        .arg(&notes)
        .args(["import", ics.to_str().unwrap(), "--from", "Dec 1"])
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(1),
            "opsbook: import: `Dec 1` is not a date (YYYY-MM-DD)\n".into()
        )
    );
}

#[test]
fn a_link_holding_both_words_beats_one_whose_letters_are_scattered_in_its_url() {
    // `okta` is only the letters o…k…t…a of `wikipedia.org/wiki/IDN_homograph_attack`.
    let o = run(&[
        "search",
        "okta hack",
        "--limit",
        "2",
        "--notebook",
        data_dir().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Okta Security Compromise  https://sec.okta.com/harfiles  plan.md:39\n\
         https://en.wikipedia.org/wiki/IDN_homograph_attack  https://en.wikipedia.org/wiki/IDN_homograph_attack  lunch-and-learn.md:102\n"
    );
}
