//! The real binary in a pseudo-terminal: type, read the screen, quit.
//!
//! Linux only: these tests rely on the XDG folders (`XDG_DATA_HOME` for the
//! journal), on an unset `DISPLAY` meaning no browser (elsewhere a real one
//! could open), and on GNU `sed -i` in the fake `$EDITOR`.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

mod gitfix;
mod httpfix;
use gitfix::{GIT_ENV, git};

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote, for sequences the screen does not show (OSC 52).
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    home: Arc<tempfile::TempDir>,
}

impl Drop for Session {
    /// A failing test leaves no opsbook running against a deleted home.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

impl Session {
    fn start(args: &[&str]) -> Session {
        Session::start_with(args, &[])
    }

    /// Starts with extra environment variables.
    fn start_with(args: &[&str], env: &[(&str, String)]) -> Session {
        let home = Arc::new(tempfile::tempdir().unwrap());
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
            &home.path().join("notes"),
        );
        Session::start_in(home, args, env)
    }

    /// Starts opsbook again in the same home (after a crash).
    fn start_in(home: Arc<tempfile::TempDir>, args: &[&str], env: &[(&str, String)]) -> Session {
        let notebook = home.path().join("notes");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.arg("--notebook");
        cmd.arg(&notebook);
        cmd.args(args);
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env("TERM", "xterm-256color");
        // No display: nothing can start a real browser.
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        cmd.env_remove("BROWSER");
        cmd.env_remove("WSL_DISTRO_NAME");
        cmd.env_remove("WSL_INTEROP");
        cmd.env_remove("VISUAL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(30).unwrap(),
            std::num::NonZeroU16::new(100).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let parser = Arc::clone(&screen);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_out = Arc::clone(&raw);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
                raw_out.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("writer");
        // The master must outlive the child; leaking it keeps the pty open.
        std::mem::forget(pty.master);
        Session {
            screen,
            raw,
            writer,
            child,
            home,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("`{text}` never showed; the screen:\n{}", self.contents());
    }

    /// Types keys. (A lone ESC is always followed by a wait for the screen,
    /// so it is never read together with the next key as alt-something.)
    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit_any(&mut self) -> Option<portable_pty::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("opsbook did not exit; the screen:\n{}", self.contents());
    }
}

#[test]
fn search_jump_and_quit_in_a_real_terminal() {
    let mut s = Session::start(&[]);
    s.wait_for("1 Postmortems");
    s.send("4");
    s.wait_for("Links · by document");
    s.send("/");
    s.wait_for("links>");
    s.send("reddit pi");
    s.wait_for("Reddit Pi Day Outage");
    s.send("\t");
    s.wait_for("▾ 2023");
    assert!(s.contents().contains("Post-Mortem › 2023"));
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
}

#[test]
fn opening_without_a_display_says_so_and_keeps_running() {
    let mut s = Session::start(&[]);
    s.wait_for("CircleCI Security Breach");
    s.send("\r");
    s.wait_for("No browser here: URL copied to the clipboard");
    // The URL went to the clipboard through OSC 52.
    let osc =
        "\x1b]52;c;aHR0cHM6Ly9jaXJjbGVjaS5jb20vYmxvZy9qYW4tNC0yMDIzLWluY2lkZW50LXJlcG9ydC8=\x07";
    assert!(String::from_utf8_lossy(&s.raw.lock().unwrap()).contains(osc));
    s.send("\x03");
    assert!(s.wait_exit().success());
}

/// A script standing in for a browser: it writes its arguments, one a line.
fn fake_browser(home: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = home.join("fake browser");
    let out = home.join("opened");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

const CIRCLECI: &str = "https://circleci.com/blog/jan-4-2023-incident-report/";

#[test]
fn links_open_in_the_browser_of_browser_env_trying_each_in_turn() {
    let home = home_with_autosave(1000);
    let script = fake_browser(home.path());
    let browsers = format!("/nonexistent/browser:'{}' --new-tab", script.display());
    let args = open_first_link(&home, &[("BROWSER", browsers)]);
    assert_eq!(args, format!("--new-tab\n{CIRCLECI}\n"));
}

#[test]
fn the_browser_setting_comes_before_browser_env() {
    let home = home_with_autosave(1000);
    let script = fake_browser(home.path());
    let config = home.path().join("config/opsbook/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.insert_str(
        0,
        &format!("browser = \"'{}' --window %s\"\n", script.display()),
    );
    std::fs::write(&config, text).unwrap();
    let args = open_first_link(&home, &[("BROWSER", "false".into())]);
    assert_eq!(args, format!("--window\n{CIRCLECI}\n"));
}

/// Presses enter on the first link and returns what the fake browser was
/// given, one argument a line.
fn open_first_link(home: &Arc<tempfile::TempDir>, env: &[(&str, String)]) -> String {
    let mut s = Session::start_in(Arc::clone(home), &[], env);
    s.wait_for("CircleCI Security Breach");
    s.send("\r");
    let opened = home.path().join("opened");
    wait_until("the fake browser ran", || opened.exists());
    s.send("q");
    assert!(s.wait_exit().success());
    std::fs::read_to_string(&opened).unwrap()
}

fn journal_files(home: &Path) -> usize {
    std::fs::read_dir(home.join("data/opsbook/journal"))
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
            })
            .count()
        })
        .unwrap_or(0)
}

/// A home whose config sets the autosave delay.
fn home_with_autosave(ms: u64) -> Arc<tempfile::TempDir> {
    let home = Arc::new(tempfile::tempdir().unwrap());
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        &home.path().join("notes"),
    );
    let config = home.path().join("config/opsbook");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!("[editor]\nautosave_after_ms = {ms}\n\n[sync]\nmode = \"off\"\n"),
    )
    .unwrap();
    home
}

/// Waits until `ok` holds, or fails saying `what`.
fn wait_until(what: &str, ok: impl Fn() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < Duration::from_secs(10), "{what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn kill_9(s: &mut Session) {
    let pid = s.child.process_id().expect("pid");
    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = s.wait_exit_any().expect("exited");
    assert!(!status.success(), "killed, not exited: {status:?}");
}

#[test]
fn kill_9_before_the_autosave_then_recover_from_the_journal() {
    // Autosave a minute away: the kill surely comes before it.
    let home = home_with_autosave(60_000);
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("CircleCI Security Breach");
    s.send("e");
    s.wait_for("plan.md:36");
    s.send("\x05 typed before the crash");
    s.wait_for("typed before");
    let plan = home.path().join("notes/plan.md");
    wait_until("no journal was written", || journal_files(home.path()) == 1);
    assert_eq!(
        std::fs::read_to_string(&plan).unwrap(),
        std::fs::read_to_string("data/plan.md").unwrap(),
        "the file is unchanged: only the journal has the text"
    );
    kill_9(&mut s);

    let mut again = Session::start_in(Arc::clone(&home), &[], &[]);
    again.wait_for("Unsaved text found");
    again.send("y");
    again.wait_for("typed before");
    again.send("\x13");
    again.wait_for("saved plan.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(
        text.contains("incident-report/) typed before the crash\n"),
        "{text}"
    );
    wait_until("the journal entry is gone", || {
        journal_files(home.path()) == 0
    });
    again.send("\x1b");
    again.wait_for("NORMAL");
    again.send("q");
    assert!(again.wait_exit().success());
}

#[test]
fn kill_9_after_the_autosave_leaves_the_text_in_the_file_and_nothing_to_recover() {
    let home = home_with_autosave(200);
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("CircleCI Security Breach");
    s.send("e");
    s.wait_for("plan.md:36");
    s.send("\x05 typed before the crash");
    let plan = home.path().join("notes/plan.md");
    wait_until("the autosave never came", || {
        std::fs::read_to_string(&plan)
            .unwrap()
            .contains("incident-report/) typed before the crash\n")
    });
    wait_until("the journal entry stayed", || {
        journal_files(home.path()) == 0
    });
    kill_9(&mut s);
    let mut again = Session::start_in(Arc::clone(&home), &[], &[]);
    again.wait_for("CircleCI Security Breach");
    assert!(!again.contents().contains("Unsaved text found"));
    again.send("q");
    assert!(again.wait_exit().success());
}

#[test]
fn files_changed_by_another_program_show_up_and_the_editor_is_told() {
    let mut s = Session::start(&[]);
    s.wait_for("CircleCI Security Breach");
    let plan = s.home.path().join("notes/plan.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace(
            "- [CircleCI Security Breach]",
            "- [CircleCI Breach, renamed elsewhere]",
        ),
    )
    .unwrap();
    s.wait_for("CircleCI Breach, renamed elsewhere");
    s.send("e");
    s.wait_for("plan.md:36");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, format!("{text}\n- another edit\n")).unwrap();
    s.wait_for("changed on disk");
    s.send("\x05 mine");
    s.send("\x1b");
    // Different lines changed: the file as read is the editor's base now,
    // so the save is a plain one, and both are kept.
    s.wait_for("saved plan.md");
    let start = Instant::now();
    let merged = loop {
        let now = std::fs::read_to_string(&plan).unwrap();
        if now.contains("incident-report/) mine\n") || start.elapsed() > Duration::from_secs(10) {
            break now;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        merged.contains("- [CircleCI Breach, renamed elsewhere]"),
        "{merged}"
    );
    assert!(merged.contains("incident-report/) mine\n"), "{merged}");
    assert!(merged.ends_with("- another edit\n"), "{merged}");
}

#[test]
fn the_users_editor_takes_the_terminal_and_the_file_is_read_again() {
    let tools = tempfile::tempdir().unwrap();
    let script = tools.path().join("fake-editor");
    // Called as `fake-editor +LINE FILE`: records the line, edits the file.
    std::fs::write(
        &script,
        "#!/bin/sh\necho \"$1\" > \"$2.line\"\nsed -i 's/Okta Security/OKTA Security/' \"$2\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut s = Session::start_with(&[], &[("EDITOR", script.display().to_string())]);
    s.wait_for("Okta Security Compromise");
    s.send("jj");
    s.send("E");
    s.wait_for("OKTA Security Compromise");
    let line = std::fs::read_to_string(s.home.path().join("notes/plan.md.line")).unwrap();
    assert_eq!(line, "+39\n");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[cfg(unix)]
#[test]
fn sigterm_saves_restores_the_terminal_and_leaves() {
    let mut s = Session::start(&[]);
    s.wait_for("CircleCI Security Breach");
    s.send("e");
    s.wait_for("plan.md:36");
    s.send("\x05 before the signal");
    s.wait_for("signal ");
    let pid = s.child.process_id().expect("pid");
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(s.wait_exit().success(), "a clean exit after SIGTERM");
    let plan = std::fs::read_to_string(s.home.path().join("notes/plan.md")).unwrap();
    assert!(
        plan.contains("incident-report/) before the signal\n"),
        "{plan}"
    );
    let start = Instant::now();
    loop {
        let (alternate, mouse) = {
            let parser = s.screen.lock().unwrap();
            (
                parser.screen().alternate_screen(),
                parser.screen().mouse_protocol_mode(),
            )
        };
        if !alternate && mouse == vt100::MouseProtocolMode::None {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the terminal was left in the alternate screen or with mouse reporting on"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        journal_files(s.home.path()),
        0,
        "saved, so nothing to recover"
    );
}

#[test]
fn s_syncs_and_a_conflict_opens_the_merge_view_then_both_are_pushed() {
    let home = Arc::new(tempfile::tempdir().unwrap());
    let root = home.path();
    git(
        root,
        &["init", "--quiet", "--bare", "-b", "main", "remote.git"],
    );
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
        &root.join("seed"),
    );
    git(&root.join("seed"), &["init", "--quiet", "-b", "main"]);
    git(&root.join("seed"), &["add", "."]);
    git(&root.join("seed"), &["commit", "--quiet", "-m", "seed"]);
    git(
        &root.join("seed"),
        &[
            "push",
            "--quiet",
            root.join("remote.git").to_str().unwrap(),
            "main",
        ],
    );
    git(root, &["clone", "--quiet", "remote.git", "notes"]);
    git(root, &["clone", "--quiet", "remote.git", "other"]);
    let edit = |dir: &str, to: &str| {
        let p = root.join(dir).join("plan.md");
        let s = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, s.replace("[CircleCI Security Breach]", to)).unwrap();
    };
    edit("other", "[CircleCI breach (theirs)]");
    git(&root.join("other"), &["commit", "--quiet", "-am", "theirs"]);
    git(&root.join("other"), &["push", "--quiet"]);
    edit("notes", "[CircleCI breach (mine)]");
    let env: Vec<(&str, String)> = GIT_ENV.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let mut s = Session::start_in(Arc::clone(&home), &[], &env);
    // The status bar knows the branch and the uncommitted note.
    s.wait_for("main ●1");
    s.send("S");
    s.wait_for("Merge plan.md");
    s.wait_for("(theirs)");
    s.send("b");
    s.send("\r");
    s.wait_for("pushed");
    git(&root.join("other"), &["pull", "--quiet"]);
    let plan = std::fs::read_to_string(root.join("other/plan.md")).unwrap();
    assert!(
        plan.contains("(mine)") && plan.contains("(theirs)"),
        "{plan}"
    );
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_broken_keymap_with_fallback_starts_on_the_defaults_and_says_so() {
    let keymap = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keymaps/bad_key.toml");
    let mut s = Session::start(&["--keymap", keymap.to_str().unwrap(), "--keymap-fallback"]);
    s.wait_for("cannot read key `ctrl-hyper-x`");
    // The defaults work.
    s.send("2");
    s.wait_for("Sessions");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn n_starts_a_session_dated_today_by_the_real_clock() {
    let home = home_with_autosave(200);
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("1 Postmortems");
    s.send("2");
    s.wait_for("Sessions");
    s.send("n");
    s.wait_for("Title of today's session");
    s.send("Clock check");
    s.send("\r");
    let now = jiff::Zoned::now();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let line = format!(
        "- {} {}, {} - Clock check",
        months[now.month() as usize - 1],
        now.day(),
        now.year()
    );
    let cal = home.path().join("notes/lunch-and-learn.md");
    s.send("topic");
    wait_until("the new session was never saved", || {
        std::fs::read_to_string(&cal).unwrap().contains(&line)
    });
    s.send("\x1b");
    s.wait_for("NORMAL");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_link_added_from_the_shell_shows_up_in_the_open_ui() {
    let home = home_with_autosave(1000);
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("CircleCI Security Breach");
    let added = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .arg("--notebook")
        .arg(home.path().join("notes"))
        .args([
            "add",
            "https://status.example.com/9",
            "--title",
            "Queue backlog",
            "--year",
            "2023",
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&added.stdout), "plan.md:43\n");
    // The watcher reads the file again: the 2023 list gains the link.
    s.wait_for("Queue backlog");
    assert!(s.contents().contains("▾ 2023  8"), "{}", s.contents());
    s.send("q");
    assert!(s.wait_exit().success());
}

/// A home with a note of three links to a local server (ok, dead with an
/// archived copy, moved), and config.toml pointing the check at it.
fn home_with_links() -> (httpfix::Server, Arc<tempfile::TempDir>) {
    let server = httpfix::start();
    let home = Arc::new(tempfile::tempdir().unwrap());
    let notes = home.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("postmortems.md"),
        "# Post-mortems\n\n## 2019\n\n- [Acme outage](BASE/ok). Health checks off.\n- [Gone write-up](BASE/missing) - vanished\n- [Moved write-up](BASE/moved) - moved for good\n"
            .replace("BASE", &server.base),
    )
    .unwrap();
    let config = home.path().join("config/opsbook");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[sync]\nmode = \"off\"\n\n[check]\ntimeout_secs = 2\narchive_api = \"{}/wayback/available\"\n",
            server.base
        ),
    )
    .unwrap();
    (server, home)
}

#[test]
fn check_on_a_terminal_draws_a_progress_bar_then_the_report() {
    let (_server, home) = home_with_links();
    let mut s = Session::start_in(Arc::clone(&home), &["check"], &[]);
    s.wait_for("3 links checked: 1 ok · 1 redirected · 1 dead · 0 errors · 0 skipped");
    assert_eq!(s.wait_exit().exit_code(), 1);
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    // The bar (`pos/len`, not the plain `[n/3]` lines of a pipe) counted the links.
    assert!(raw.contains("/3 "), "{raw}");
    assert!(!raw.contains("[1/3]"), "{raw}");
}

#[test]
fn c_checks_links_in_the_background_and_the_marks_come_back_next_time() {
    let (server, home) = home_with_links();
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("Gone write-up");
    assert!(!s.contents().contains('✗'));
    s.send("C");
    s.wait_for("3 addresses checked: 1 ok · 1 moved · 1 dead · 0 failed");
    let screen = s.contents();
    assert!(screen.contains("✗ Gone write-up"), "{screen}");
    assert!(screen.contains("↪ Moved write-up"), "{screen}");
    s.send("q");
    assert!(s.wait_exit().success());
    // The results were kept: the next start marks the links at once.
    let s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("✗ Gone write-up");
    assert_eq!(server.seen.hits("GET /wayback/available"), 1);
}

#[test]
fn w_keeps_pages_then_search_finds_their_words_and_v_reads_one() {
    let (server, home) = home_with_links();
    let notes = home.path().join("notes/postmortems.md");
    let mut text = std::fs::read_to_string(&notes).unwrap();
    text.push_str(&format!(
        "- [Incident report]({}/pages/ir-2403)\n",
        server.base
    ));
    std::fs::write(&notes, text).unwrap();
    let mut s = Session::start_in(Arc::clone(&home), &[], &[]);
    s.wait_for("Incident report");
    s.send("W");
    s.wait_for("3 of 4 pages kept: search reads them, v shows one");
    // Words only the page holds find its link, with the page's sentence.
    s.send("/");
    s.send("etcd quorum");
    s.wait_for("page › ");
    let screen = s.contents();
    assert!(screen.contains("Incident report"), "{screen}");
    assert!(
        screen.contains("etcd quorum was lost for eleven minutes"),
        "{screen}"
    );
    s.send("\t");
    s.wait_for("NORMAL");
    // Back in the view, the link is selected: v reads its kept page.
    s.send("v");
    s.wait_for("READER");
    let screen = s.contents();
    assert!(screen.contains("Incident report 2024-03"), "{screen}");
    assert!(
        screen.contains("Three of our five control-plane members"),
        "{screen}"
    );
    s.send("\x1b");
    s.wait_for("NORMAL");
    s.send("q");
    assert!(s.wait_exit().success());
}
