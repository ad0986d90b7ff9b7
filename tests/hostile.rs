//! Hostile notes: special files, escape sequences, YAML bombs and inputs
//! built to make parsing superlinear. Each case ends with a one-line message
//! and the rest of the notebook working. (Time bounds are in
//! `benches/hostile.rs`, never here.)

use std::path::Path;
use std::process::{Command, Output};

fn opsbook(dir: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(args)
        .arg("--notebook")
        .arg(dir)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(unix)]
#[test]
fn special_files_are_skipped_at_once_and_said() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "- [ok](https://ok.example)\n").unwrap();
    let fifo = std::ffi::CString::new(dir.path().join("fifo.md").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
    // Without a reader of its own, opening a FIFO or reading /dev/zero would never end.
    let o = opsbook(dir.path(), &["links"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stdout), "ok  https://ok.example  a.md:1\n");
    // Neither is opened, and each gets its line, as any file skipped does.
    assert_eq!(
        text(&o.stderr),
        "opsbook: fifo.md: skipped: a FIFO, not a regular file\n\
         opsbook: zero.md: skipped: a device, not a regular file\n"
    );
}

#[cfg(unix)]
#[test]
fn a_file_turned_special_under_a_note_name_is_refused_by_the_reader() {
    use opsbook::storage::read_bounded;
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("zero.md");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    assert_eq!(
        read_bounded(&zero).unwrap_err().to_string(),
        "a device, not a regular file"
    );
}

#[test]
fn nothing_from_a_note_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "- Jan 4, 2024 - Talk \x1b]0;owned\x07 \u{202e}gnp.exe\n  - [t\x07\x1bred](https://x.example/) topic\n";
    std::fs::write(dir.path().join("cal.md"), evil).unwrap();
    #[cfg(unix)]
    std::fs::write(dir.path().join("esc\x1b[2Jname.md"), "# T\n").unwrap();
    for args in [
        &["tree"][..],
        &["links"],
        &["links", "--format", "tsv"],
        &["search", "red"],
        &["sessions"],
        &["sessions", "--format", "tsv"],
    ] {
        let o = opsbook(dir.path(), args);
        let out = text(&o.stdout) + &text(&o.stderr);
        assert!(o.status.success(), "{args:?}");
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}'),
            "{args:?}: {out:?}"
        );
    }
    let o = opsbook(dir.path(), &["sessions"]);
    assert_eq!(
        text(&o.stdout),
        "2024-01-04  Talk \\x1b]0;owned\\x07 \\u{202e}gnp.exe  cal.md:1\n"
    );
    #[cfg(unix)]
    assert!(
        text(&opsbook(dir.path(), &["tree"]).stdout).contains("esc\\x1b[2Jname.md — T"),
        "a file name is shown with its escape visible"
    );
    // JSON stays exact: the escape is JSON-escaped, not rewritten.
    let o = opsbook(dir.path(), &["links", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["text"], "t\x07\x1bred");
}

#[test]
fn yaml_aliases_in_front_matter_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // 305 bytes that expand to 9^7 strings if aliases are followed.
    let bomb = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\ntitle: x\n---\n# Bomb\n- [l](https://l.example)\n";
    std::fs::write(dir.path().join("bomb.md"), bomb).unwrap();
    let o = opsbook(dir.path(), &["links"]);
    assert!(o.status.success());
    assert_eq!(
        text(&o.stderr),
        "opsbook: bomb.md: front matter uses YAML aliases (`*name`): not read\n"
    );
    assert_eq!(text(&o.stdout), "l  https://l.example  bomb.md:12\n");
}

/// The pathological inputs of the audit, at a size where quadratic work
/// would not finish: each gives every link, with exact counts and places.
#[test]
fn pathological_inputs_give_every_link() {
    let n = 3000;
    let cases = opsbook::synth::hostile_inputs(n);
    for (name, source, links) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("n.md"), &source).unwrap();
        let o = opsbook(dir.path(), &["links", "--format", "json"]);
        assert!(o.status.success(), "{name}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let records = v.as_array().unwrap();
        assert_eq!(records.len(), links, "{name}");
        // Contexts are bounded: the output grows with the links, not their square.
        assert!(
            o.stdout.len() < 1_000 * links.max(1),
            "{name}: {}",
            o.stdout.len()
        );
    }
    // Columns are counted in characters along one long line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("n.md"), "é [a](http://a) é [b](http://b)\n").unwrap();
    let o = opsbook(dir.path(), &["links", "--format", "tsv"]);
    let cols: Vec<String> = text(&o.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split('\t').nth(6).unwrap().to_string())
        .collect();
    assert_eq!(cols, vec!["3", "19"]);
}

#[test]
fn a_huge_node_read_in_pieces_loses_no_link_at_a_seam() {
    // Over 64 KiB on one line, and with lone CRs: read in pieces.
    for sep in [" ", "\r"] {
        let text: String = (0..20_000)
            .map(|i| format!("- [l{i}](http://x/{i}){sep}"))
            .collect::<String>()
            + "\n";
        let doc = opsbook::notebook::document::parse_document("n.md".into(), text, false);
        assert_eq!(doc.links.len(), 20_000);
        for (i, l) in doc.links.iter().enumerate() {
            assert_eq!(doc.link_text(l), format!("l{i}"));
            assert_eq!(doc.link_url(l), format!("http://x/{i}"));
            assert!(doc.source[l.offset as usize..].starts_with(&format!("[l{i}](")));
        }
    }
}
