//! A team's notebook on git, with real git: a bare repository as the
//! remote and two clones, driven through `opsbook sync`. Git reads no
//! global or system configuration here.

mod common;
mod gitfix;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gitfix::{git, git_env};
use opsbook::notebook::document::parse_document;
use opsbook::notebook::edit::{Date, add_postmortem_link, new_session};

fn sync(dir: &Path) -> Output {
    let home = tempfile::tempdir().unwrap();
    git_env(&mut Command::new(env!("CARGO_BIN_EXE_opsbook")))
        .args(["sync", "--notebook"])
        .arg(dir)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A bare remote holding the example calendar and plan, and two clones.
struct Team {
    _tmp: tempfile::TempDir,
    remote: PathBuf,
    a: PathBuf,
    b: PathBuf,
}

impl Team {
    fn new() -> Team {
        let tmp = tempfile::tempdir().unwrap();
        let remote = tmp.path().join("remote.git");
        let seed = tmp.path().join("seed");
        std::fs::create_dir_all(&seed).unwrap();
        git(
            tmp.path(),
            &["init", "--quiet", "--bare", "-b", "main", "remote.git"],
        );
        git(&seed, &["init", "--quiet", "-b", "main"]);
        for f in ["lunch-and-learn.md", "plan.md"] {
            std::fs::copy(Path::new("data").join(f), seed.join(f)).unwrap();
        }
        git(&seed, &["add", "."]);
        git(&seed, &["commit", "--quiet", "-m", "seed"]);
        git(
            &seed,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        git(&seed, &["push", "--quiet", "-u", "origin", "main"]);
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        for c in [&a, &b] {
            git(
                tmp.path(),
                &[
                    "clone",
                    "--quiet",
                    remote.to_str().unwrap(),
                    c.to_str().unwrap(),
                ],
            );
        }
        Team {
            _tmp: tmp,
            remote,
            a,
            b,
        }
    }
}

/// Adds a session as `n` in the UI does: only the inserted bytes change.
fn add_session(dir: &Path, day: u8, title: &str) {
    let path = dir.join("lunch-and-learn.md");
    let source = std::fs::read_to_string(&path).unwrap();
    let doc = parse_document("lunch-and-learn.md".into(), source.clone(), false);
    let n = new_session(
        &doc,
        Date {
            year: 2026,
            month: 11,
            day,
        },
        title,
    )
    .unwrap();
    let text = format!("{}{}", n.prefix, n.text.replace("  - \n", ""));
    let mut out = source.clone();
    out.insert_str(n.at, &text);
    std::fs::write(&path, out).unwrap();
}

/// Adds a link under a year as `a` in the UI does.
fn add_link(dir: &Path, year: u16, title: &str, url: &str) {
    let path = dir.join("plan.md");
    let source = std::fs::read_to_string(&path).unwrap();
    let doc = parse_document("plan.md".into(), source.clone(), false);
    let e = add_postmortem_link(&doc, year, title, url);
    let out = opsbook::notebook::edit::splice(&source, e.range, &e.text);
    std::fs::write(&path, out).unwrap();
}

#[test]
fn two_people_adding_sessions_and_links_both_keep_everything() {
    let t = Team::new();
    add_session(&t.a, 23, "Platform retro");
    add_link(&t.a, 2024, "Alpha outage", "https://alpha.example/pm");
    add_session(&t.b, 30, "Chaos day");
    add_link(&t.b, 2024, "Beta outage", "https://beta.example/pm");

    let o = sync(&t.a);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "committed \"lunch-and-learn.md: Nov 23, 2026 - Platform retro; plan.md: link Alpha outage under Post-Mortem › 2024\"; pushed\n"
    );
    // B's rebase stops on both insertions at one place: merged three ways.
    let o = sync(&t.b);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "committed \"lunch-and-learn.md: Nov 30, 2026 - Chaos day; plan.md: link Beta outage under Post-Mortem › 2024\"; pulled 1 commit; pushed\n"
    );
    let o = sync(&t.a);
    assert_eq!(text(&o.stdout), "pulled 1 commit\n");

    for f in ["lunch-and-learn.md", "plan.md"] {
        let a = std::fs::read_to_string(t.a.join(f)).unwrap();
        let b = std::fs::read_to_string(t.b.join(f)).unwrap();
        assert_eq!(a, b, "{f} is the same byte for byte in both clones");
    }
    let cal = std::fs::read_to_string(t.a.join("lunch-and-learn.md")).unwrap();
    let retro = cal
        .find("- Nov 23, 2026 - Platform retro")
        .expect("A's session");
    let chaos = cal.find("- Nov 30, 2026 - Chaos day").expect("B's session");
    assert!(retro < chaos, "in date order");
    let original = std::fs::read_to_string("data/lunch-and-learn.md").unwrap();
    assert!(cal.starts_with(original.trim_end_matches('\n')));
    let plan = std::fs::read_to_string(t.a.join("plan.md")).unwrap();
    assert!(plan.contains("- [Alpha outage](https://alpha.example/pm)\n"));
    assert!(plan.contains("- [Beta outage](https://beta.example/pm)\n"));
    // One commit per change set, each saying what it changed.
    assert_eq!(
        git(&t.remote, &["log", "--format=%s", "main"]),
        "lunch-and-learn.md: Nov 30, 2026 - Chaos day; plan.md: link Beta outage under Post-Mortem › 2024\n\
         lunch-and-learn.md: Nov 23, 2026 - Platform retro; plan.md: link Alpha outage under Post-Mortem › 2024\n\
         seed\n"
    );
}

#[test]
fn the_same_line_edited_on_both_sides_is_left_to_choose_and_nothing_is_lost() {
    let t = Team::new();
    let edit = |dir: &Path, to: &str| {
        let p = dir.join("plan.md");
        let s = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, s.replace("[CircleCI Security Breach]", to)).unwrap();
    };
    edit(&t.a, "[CircleCI breach (A)]");
    edit(&t.b, "[CircleCI breach (B)]");
    assert!(sync(&t.a).status.success());
    let o = sync(&t.b);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        text(&o.stdout),
        "committed \"plan.md: edited\"; plan.md changed on the same lines on both sides: choose in opsbook (yours is committed, theirs is upstream)\n"
    );
    // Both texts survive where a user can see them.
    assert!(
        std::fs::read_to_string(t.b.join("plan.md"))
            .unwrap()
            .contains("(B)")
    );
    assert!(git(&t.b, &["show", "@{u}:plan.md"]).contains("(A)"));
    // The merge view, the choice and the push that follows are driven in
    // tests/e2e.rs (`S` in a real terminal).
}

#[test]
fn choosing_theirs_everywhere_commits_nothing_of_ours() {
    let t = Team::new();
    let edit = |dir: &Path, to: &str| {
        let p = dir.join("plan.md");
        let s = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, s.replace("[CircleCI Security Breach]", to)).unwrap();
    };
    edit(&t.a, "[CircleCI breach (A)]");
    edit(&t.b, "[CircleCI breach (B)]");
    assert!(sync(&t.a).status.success());
    assert_eq!(sync(&t.b).status.code(), Some(3));
    let remote_before = git(&t.remote, &["rev-parse", "main"]);
    let theirs = git(&t.b, &["show", "@{u}:plan.md"]);
    opsbook::sync::resolve(&t.b, &[("plan.md".into(), theirs.clone())]).expect("resolves");
    // Nothing of b's is left: b is where the remote is, and the remote
    // gained no commit.
    assert_eq!(
        git(&t.b, &["rev-parse", "HEAD"]),
        git(&t.b, &["rev-parse", "@{u}"])
    );
    assert_eq!(git(&t.remote, &["rev-parse", "main"]), remote_before);
    assert_eq!(
        std::fs::read_to_string(t.b.join("plan.md")).unwrap(),
        theirs
    );
}

#[test]
fn offline_a_refusing_hook_and_a_detached_head_say_so_in_one_line() {
    let t = Team::new();
    // The remote is gone: committed locally, said, retried next time.
    git(
        &t.a,
        &["remote", "set-url", "origin", "/nonexistent/remote.git"],
    );
    add_session(&t.a, 23, "Offline notes");
    let o = sync(&t.a);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("opsbook: sync: git fetch failed: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    assert_eq!(
        git(&t.a, &["log", "-1", "--format=%s"]),
        "lunch-and-learn.md: Nov 23, 2026 - Offline notes\n"
    );

    // A pre-commit hook that refuses: nothing committed, nothing staged.
    let hook = t.b.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'no commits on Fridays' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    add_session(&t.b, 30, "Hook day");
    let o = sync(&t.b);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "opsbook: sync: git commit failed: no commits on Fridays\n"
    );
    assert_eq!(
        git(&t.b, &["status", "--porcelain"]),
        " M lunch-and-learn.md\n"
    );

    // A detached HEAD: refused.
    std::fs::remove_file(&hook).unwrap();
    git(&t.b, &["checkout", "--quiet", "--detach"]);
    let o = sync(&t.b);
    assert_eq!(
        text(&o.stderr),
        "opsbook: sync: HEAD is detached: check out a branch to sync\n"
    );
}

mod ui_side {
    //! When the UI asks git for what, from the app's side (no git runs here).

    use std::time::{Duration, Instant};

    use opsbook::app::{Effect, MergeTarget, Mode, Overlay};
    use opsbook::config::SyncMode;
    use opsbook::notebook::merge::merge3;
    use opsbook::sync::{FileConflict, GitAnswer, GitRequest, Report, Status};

    use super::common;

    fn status(uncommitted: usize) -> Status {
        Status {
            branch: Some("main".into()),
            ahead: 1,
            behind: 0,
            uncommitted,
            upstream: true,
        }
    }

    fn git_requests(effects: &[Effect]) -> Vec<GitRequest> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Git(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn auto_mode_pulls_on_start_commits_after_typing_stops_and_pushes_after() {
        let mut h = common::Harness::new();
        let t0 = Instant::now();
        assert_eq!(git_requests(&h.app.started(t0)), vec![GitRequest::Status]);
        h.app.git_answered(GitAnswer::Status(Some(status(0))), t0);
        // Pull on start: clean, with an upstream.
        assert_eq!(git_requests(&h.app.tick(t0)), vec![GitRequest::Sync]);
        h.app
            .git_answered(GitAnswer::Synced(Ok(Report::default())), t0);
        assert_eq!(h.app.git_facts().as_deref(), Some("main ↑1"));
        // Typing and an autosave: no commit per save, one once typing stopped.
        h.press("e end");
        h.type_text(" typed");
        h.app.now = t0;
        h.tick(t0 + Duration::from_secs(2));
        assert!(h.read("plan.md").contains("report/) typed\n"));
        h.app.git.status = Some(status(1));
        assert_eq!(h.app.git_facts().as_deref(), Some("main ↑1 ●1"));
        let soon = h.app.tick(t0 + Duration::from_secs(60));
        assert_eq!(git_requests(&soon), vec![]);
        let later = h.app.tick(t0 + Duration::from_secs(2 + 120));
        assert_eq!(git_requests(&later), vec![GitRequest::Commit]);
        let after = t0 + Duration::from_secs(123);
        let status_again = h.app.git_answered(
            GitAnswer::Committed(Ok(Some("plan.md: edited".into()))),
            after,
        );
        assert_eq!(git_requests(&status_again), vec![GitRequest::Status]);
        assert_eq!(
            h.app.message.as_ref().map(|m| m.text.as_str()),
            Some("committed \"plan.md: edited\"")
        );
        assert_eq!(
            git_requests(&h.app.tick(after + Duration::from_secs(10))),
            vec![GitRequest::Sync],
            "pushed 10 s after the commit"
        );
    }

    #[test]
    fn closing_the_editor_commits_and_manual_mode_only_syncs_on_s() {
        let mut h = common::Harness::new();
        let t0 = Instant::now();
        h.app.started(t0);
        h.app.git_answered(GitAnswer::Status(Some(status(1))), t0);
        h.app.git.last_pull = Some(t0);
        h.press("e end");
        h.type_text(" closed");
        h.press("esc");
        assert!(h.app.editor().is_none());
        let now = Instant::now() + Duration::from_millis(1);
        assert_eq!(git_requests(&h.app.tick(now)), vec![GitRequest::Commit]);

        let mut h = common::Harness::new();
        h.app.git.settings.mode = SyncMode::Manual;
        h.app.git_answered(GitAnswer::Status(Some(status(0))), t0);
        assert_eq!(
            git_requests(&h.app.tick(t0 + Duration::from_secs(999))),
            vec![]
        );
        let s = h.app.key(opsbook::keymap::KeyPress::char('S'));
        assert_eq!(git_requests(&s), vec![GitRequest::Sync]);
        // Off: nothing shown, nothing asked.
        h.app.git.settings.mode = SyncMode::Off;
        h.app.git.busy = false;
        assert_eq!(h.app.git_facts(), None);
        assert_eq!(
            git_requests(&h.app.key(opsbook::keymap::KeyPress::char('S'))),
            vec![]
        );
    }

    #[test]
    fn a_conflicting_sync_opens_the_merge_view_and_finishes_as_chosen() {
        let mut h = common::Harness::new();
        let t0 = Instant::now();
        h.app.git_answered(GitAnswer::Status(Some(status(0))), t0);
        let base = "- [a](https://a) one\n";
        let merge = merge3(base, "- [a](https://a) mine\n", "- [a](https://a) theirs\n");
        let report = Report {
            conflicts: vec![FileConflict {
                path: "plan.md".into(),
                merge,
            }],
            ..Report::default()
        };
        h.app.git_answered(GitAnswer::Synced(Ok(report)), t0);
        assert_eq!(h.app.mode(), Mode::Merge);
        assert!(matches!(
            &h.app.overlay,
            Some(Overlay::Merge(v)) if v.target == MergeTarget::Sync
        ));
        let done = h.app.key(opsbook::keymap::KeyPress::char('b'));
        assert_eq!(git_requests(&done), vec![]);
        let done = h
            .app
            .key(opsbook::keymap::KeyPress::parse("enter").unwrap());
        assert_eq!(
            git_requests(&done),
            vec![GitRequest::Resolve(vec![(
                "plan.md".into(),
                "- [a](https://a) mine\n- [a](https://a) theirs\n".into()
            )])]
        );
    }
}

/// `opsbook sync` in `dir` with extra environment (a crash point, a timeout).
fn sync_with(dir: &Path, env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    git_env(&mut Command::new(env!("CARGO_BIN_EXE_opsbook")))
        .args(["sync", "--notebook"])
        .arg(dir)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn jot(dir: &Path, words: &str) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["jot", "--notebook"])
        .arg(dir)
        .arg(words)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap()
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_sync_killed_at_any_step_of_its_move_is_finished_by_the_next_without_losing_a_line() {
    for crash in ["moving:1", "before-ref", "before-index"] {
        let t = Team::new();
        // Both sides change both notes, on different lines.
        add_session(&t.b, 16, "Their session");
        add_link(&t.b, 2023, "Their link", "https://theirs.example/pm");
        assert!(sync(&t.b).status.success());
        add_session(&t.a, 23, "My session");
        add_link(&t.a, 2022, "My link", "https://mine.example/pm");
        let before: Vec<String> = ["lunch-and-learn.md", "plan.md"]
            .iter()
            .map(|f| std::fs::read_to_string(t.a.join(f)).unwrap())
            .collect();
        let o = sync_with(&t.a, &[("OPSBOOK_TEST_CRASH_AT", crash)]);
        assert_ne!(o.status.code(), Some(0), "{crash}: it died");
        // Every note is whole: as it was, or as the merge makes it.
        for (f, old) in ["lunch-and-learn.md", "plan.md"].iter().zip(&before) {
            let now = std::fs::read_to_string(t.a.join(f)).unwrap();
            assert!(!now.is_empty() && !now.contains("<<<<<<<"), "{crash}: {f}");
            assert!(
                now == *old || now.contains("Their"),
                "{crash}: {f} is neither old nor merged"
            );
        }
        assert!(!t.a.join(".git/rebase-merge").exists(), "{crash}");
        // Typing goes on meanwhile, and the next sync finishes the move.
        let o = jot(&t.a, "jotted after the crash");
        assert!(o.status.success(), "{crash}: {}", text(&o.stderr));
        let o = sync(&t.a);
        let out = text(&o.stdout);
        assert!(o.status.success(), "{crash}: {}", text(&o.stderr));
        assert!(
            out.starts_with("after a sync that was stopped: finished moving to "),
            "{crash}: {out}"
        );
        assert!(out.ends_with("pushed\n"), "{crash}: {out}");
        let cal = git(&t.a, &["show", "origin/main:lunch-and-learn.md"]);
        let plan = git(&t.a, &["show", "origin/main:plan.md"]);
        for line in ["Their session", "My session", "jotted after the crash"] {
            assert!(cal.contains(line), "{crash}: {line} lost:\n{cal}");
        }
        for line in ["Their link", "My link"] {
            assert!(plan.contains(line), "{crash}: {line} lost");
        }
        assert_eq!(git(&t.a, &["status", "--porcelain"]), "", "{crash}");
        assert!(!t.a.join(".git/opsbook-sync").exists(), "{crash}");
    }
}

#[test]
fn a_rebase_or_lock_of_another_program_is_named_and_left_alone() {
    let t = Team::new();
    // Somebody's own rebase, stopped on a conflict.
    let cal = t.b.join("lunch-and-learn.md");
    let first = std::fs::read_to_string(&cal).unwrap();
    std::fs::write(&cal, first.replacen("Lunch", "Supper", 1)).unwrap();
    git(&t.b, &["commit", "--quiet", "-am", "theirs"]);
    git(&t.b, &["push", "--quiet"]);
    std::fs::write(&cal, first.replacen("Lunch", "Brunch", 1)).unwrap();
    git(&t.a, &["fetch", "--quiet"]);
    std::fs::write(
        t.a.join("lunch-and-learn.md"),
        first.replacen("Lunch", "Brunch", 1),
    )
    .unwrap();
    git(&t.a, &["commit", "--quiet", "-am", "mine"]);
    let rebase = git_env(&mut Command::new("git"))
        .args(["rebase", "--quiet", "origin/main"])
        .current_dir(&t.a)
        .output()
        .unwrap();
    assert!(!rebase.status.success());
    let on_disk = std::fs::read(t.a.join("lunch-and-learn.md")).unwrap();
    let o = sync(&t.a);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "opsbook: sync: a rebase is in progress in {}: finish it (git rebase --continue) or abort it (git rebase --abort)\n",
            t.a.display()
        )
    );
    assert!(t.a.join(".git/rebase-merge").exists());
    assert_eq!(
        std::fs::read(t.a.join("lunch-and-learn.md")).unwrap(),
        on_disk
    );

    // A lock nobody of opsbook's made.
    let lock = t.b.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let o = sync(&t.b);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "opsbook: sync: {} is held (is another git running?): let it finish, or remove the file if none is\n",
            lock.canonicalize().unwrap().display()
        )
    );
    assert!(lock.exists());
}

#[test]
fn a_note_that_is_not_utf8_merges_byte_for_byte() {
    let t = Team::new();
    let latin: Vec<u8> =
        b"# Caf\xe9\n\n- premi\xe8re ligne\n- deuxi\xe8me ligne\n- troisi\xe8me ligne\n".to_vec();
    std::fs::write(t.a.join("latin.md"), &latin).unwrap();
    git(&t.a, &["add", "latin.md"]);
    git(&t.a, &["commit", "--quiet", "-m", "latin"]);
    git(&t.a, &["push", "--quiet"]);
    git(&t.b, &["pull", "--quiet"]);
    let edit = |dir: &Path, from: &[u8], to: &[u8]| {
        let bytes = std::fs::read(dir.join("latin.md")).unwrap();
        let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
        let mut out = bytes[..at].to_vec();
        out.extend_from_slice(to);
        out.extend_from_slice(&bytes[at + from.len()..]);
        std::fs::write(dir.join("latin.md"), out).unwrap();
    };
    edit(&t.b, b"premi\xe8re", b"PREMI\xc8RE");
    let o = sync(&t.b);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "committed \"latin.md: edited (not UTF-8)\"; pushed\n"
    );
    edit(&t.a, b"troisi\xe8me", b"TROISI\xc8ME");
    let o = sync(&t.a);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(t.a.join("latin.md")).unwrap(),
        b"# Caf\xe9\n\n- PREMI\xc8RE ligne\n- deuxi\xe8me ligne\n- TROISI\xc8ME ligne\n"
    );
}

#[test]
fn a_hook_that_hangs_is_stopped_with_its_processes_and_leaves_no_lock_or_staged_file() {
    let t = Team::new();
    let hook = t.a.join(".git/hooks/pre-commit");
    // The hook leaves a child of its own behind, as hooks running linters do.
    std::fs::write(&hook, "#!/bin/sh\nsleep 307 &\nsleep 308\n").unwrap();
    make_executable(&hook);
    add_session(&t.a, 23, "Hung");
    let o = sync_with(&t.a, &[("OPSBOOK_GIT_TIMEOUT_SECS", "2")]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "opsbook: sync: git commit took longer than 2 s and was stopped\n"
    );
    assert!(!t.a.join(".git/index.lock").exists());
    assert_eq!(git(&t.a, &["diff", "--cached", "--name-only"]), "");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let left = Command::new("pgrep")
        .args(["-f", "sleep 30[78]"])
        .output()
        .unwrap();
    assert_eq!(text(&left.stdout), "", "the hook's processes are gone");
    std::fs::remove_file(&hook).unwrap();
    let o = sync(&t.a);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn git_says_why_in_its_own_words() {
    let t = Team::new();
    let hook = t.remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'Push refused: no ticket id in the message' >&2\nexit 1\n",
    )
    .unwrap();
    make_executable(&hook);
    add_session(&t.a, 23, "Refused");
    let o = sync(&t.a);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.starts_with(
            "opsbook: sync: git push failed: remote: Push refused: no ticket id in the message"
        ),
        "{err}"
    );
    git(
        &t.b,
        &["remote", "set-url", "origin", "/nonexistent/remote.git"],
    );
    let o = sync(&t.b);
    assert_eq!(
        text(&o.stderr),
        "opsbook: sync: git fetch failed: fatal: '/nonexistent/remote.git' does not appear to be a git repository · fatal: Could not read from remote repository.\n"
    );
}

#[test]
fn a_notebook_in_a_folder_of_the_repository_merges_and_moves_as_a_whole_one() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = tmp.path().join("remote.git");
    git(
        tmp.path(),
        &["init", "--quiet", "--bare", "-b", "main", "remote.git"],
    );
    let seed = tmp.path().join("seed");
    std::fs::create_dir_all(seed.join("notes")).unwrap();
    git(&seed, &["init", "--quiet", "-b", "main"]);
    std::fs::copy(
        "data/lunch-and-learn.md",
        seed.join("notes/lunch-and-learn.md"),
    )
    .unwrap();
    std::fs::write(seed.join("README.md"), "the team's notes\n").unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["commit", "--quiet", "-m", "seed"]);
    git(
        &seed,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(&seed, &["push", "--quiet", "-u", "origin", "main"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for c in [&a, &b] {
        git(
            tmp.path(),
            &[
                "clone",
                "--quiet",
                remote.to_str().unwrap(),
                c.to_str().unwrap(),
            ],
        );
    }
    add_session(&b.join("notes"), 16, "Theirs");
    // Upstream also changes a file outside the notebook.
    std::fs::write(b.join("README.md"), "the team's notes, and more\n").unwrap();
    git(&b, &["commit", "--quiet", "-am", "readme"]);
    assert!(sync(&b.join("notes")).status.success());
    add_session(&a.join("notes"), 23, "Mine");
    let o = sync(&a.join("notes"));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let cal = std::fs::read_to_string(a.join("notes/lunch-and-learn.md")).unwrap();
    assert!(cal.contains("Theirs") && cal.contains("Mine"), "{cal}");
    assert_eq!(
        std::fs::read_to_string(a.join("README.md")).unwrap(),
        "the team's notes, and more\n"
    );
    assert_eq!(git(&a, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&a, &["rev-parse", "HEAD"]),
        git(&a, &["rev-parse", "origin/main"])
    );
}

#[test]
fn a_stopped_syncs_locks_go_but_a_lock_made_since_is_another_gits() {
    let t = Team::new();
    let mark = t.a.join(".git/opsbook-sync");
    let lock = t.a.join(".git/index.lock");
    let ago = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    let age = |path: &Path, when: std::time::SystemTime| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    };
    // A sync that died ten minutes ago, and a lock made just now: not its.
    std::fs::write(&mark, "2147483000-1\n").unwrap();
    age(&mark, ago);
    std::fs::write(&lock, "").unwrap();
    let o = sync(&t.a);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("index.lock is held"),
        "{}",
        text(&o.stderr)
    );
    assert!(lock.exists());
    // A lock as old as that sync's mark was its git's: removed, and said.
    std::fs::write(&mark, "2147483000-1\n").unwrap();
    age(&mark, ago);
    age(&lock, ago);
    let o = sync(&t.a);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("after a sync that was stopped: removed "),
        "{}",
        text(&o.stdout)
    );
    assert!(!lock.exists());
}
