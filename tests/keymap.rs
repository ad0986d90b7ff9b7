//! keymaps.toml: the shipped defaults, user files merged over them, and the
//! exact message of every kind of mistake.

mod common;

use common::opsbook;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use opsbook::app::Action;
use opsbook::keymap::{DEFAULT_KEYMAP, KeyPress, Keymap, Mode, Origin, Resolution, keys_to_string};

#[test]
fn the_shipped_keymap_parses_and_binds_every_action() {
    let map = Keymap::defaults();
    let bound: HashSet<Action> = Mode::ALL
        .iter()
        .flat_map(|&m| map.bindings(m))
        .map(|(_, a, _)| a)
        .collect();
    for a in opsbook::app::ACTIONS.iter().map(|s| s.action) {
        assert!(
            bound.contains(&a),
            "{} is not bound in keymaps.toml",
            a.name()
        );
    }
}

#[test]
fn the_shipped_keymap_binds_no_key_twice_and_comments_every_binding() {
    // Merging reports a key bound twice; the embedded file merges cleanly.
    let mut map = Keymap::default();
    map.merge(DEFAULT_KEYMAP, "keymaps.toml", &Origin::Default)
        .expect("defaults merge");
    for line in DEFAULT_KEYMAP.lines().filter(|l| l.contains(" = ")) {
        assert!(line.contains(" # "), "binding without a comment: {line}");
    }
}

#[test]
fn the_binary_carries_every_default_binding_with_no_keymap_file_anywhere() {
    // No config folder, and run far from the source tree: what `keys` lists
    // can only come from the binary itself.
    let home = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .arg("keys")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let listed = String::from_utf8_lossy(&o.stdout);
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps.toml"))
            .unwrap();
    let mut mode = String::new();
    let mut count = 0;
    for line in shipped.lines().map(str::trim) {
        if let Some(m) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            mode = m.to_string();
            continue;
        }
        let Some((key, rest)) = line.split_once(" = ") else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let action = rest.split('"').nth(1).unwrap();
        let expected = format!("{mode:<8} {key:<12} {action:<18} default");
        assert!(
            listed.lines().any(|l| l == expected),
            "`{expected}` is missing from:\n{listed}"
        );
        count += 1;
    }
    assert_eq!(
        listed.lines().filter(|l| l.ends_with(" default")).count(),
        count
    );
}

#[test]
fn vim_keys_and_arrows_both_work() {
    let map = Keymap::defaults();
    let act = |k: &str| match map.resolve(Mode::Normal, &[], KeyPress::parse(k).unwrap()) {
        Resolution::Action(a) => Some(a),
        _ => None,
    };
    for (k, a) in [
        ("j", Action::Down),
        ("down", Action::Down),
        ("k", Action::Up),
        ("up", Action::Up),
        ("G", Action::Bottom),
        ("end", Action::Bottom),
        ("home", Action::Top),
        ("pagedown", Action::PageDown),
        ("pageup", Action::PageUp),
        ("/", Action::SearchLinks),
        ("q", Action::Quit),
    ] {
        assert_eq!(act(k), Some(a), "{k}");
    }
    assert_eq!(
        map.resolve(Mode::Normal, &[KeyPress::char('g')], KeyPress::char('g')),
        Resolution::Action(Action::Top)
    );
}

#[test]
fn a_user_file_merges_over_the_defaults_and_none_unbinds() {
    let map = Keymap::with_file(Path::new("tests/keymaps/valid.toml")).expect("valid");
    let resolve = |k: &str| map.resolve(Mode::Normal, &[], KeyPress::parse(k).unwrap());
    assert_eq!(resolve("j"), Resolution::Unbound);
    assert_eq!(resolve("k"), Resolution::Unbound);
    assert_eq!(resolve("n"), Resolution::Action(Action::Down));
    assert_eq!(resolve("ctrl-q"), Resolution::Action(Action::Quit));
    assert_eq!(resolve("down"), Resolution::Action(Action::Down));
    let origins: Vec<(String, String)> = map
        .bindings(Mode::Normal)
        .into_iter()
        .filter(|(_, a, _)| *a == Action::Down)
        .map(|(k, _, o)| (keys_to_string(&k), o.to_string()))
        .collect();
    assert_eq!(
        origins,
        vec![
            ("down".into(), "default".into()),
            ("n".into(), "tests/keymaps/valid.toml".into())
        ]
    );
}

#[test]
fn every_broken_fixture_gives_its_exact_message() {
    let mut seen = 0;
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/keymaps")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    for toml in fixtures
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        if toml.ends_with("valid.toml") {
            continue;
        }
        let expected =
            std::fs::read_to_string(toml.with_extension("expected")).expect("expected message");
        let err = Keymap::with_file(toml).expect_err("broken fixture");
        assert_eq!(err.to_string(), expected.trim_end(), "{}", toml.display());
        seen += 1;
    }
    assert_eq!(seen, 9);
}

#[test]
fn a_broken_keymap_refuses_to_start_with_exit_code_2() {
    let o = opsbook(&[
        "--keymap",
        "tests/keymaps/unknown_action.toml",
        "--notebook",
        "data",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "opsbook: tests/keymaps/unknown_action.toml:3:5: unknown action `jump_up` for `j` in [normal]\n"
    );
}

#[test]
fn headless_commands_ignore_the_keymap() {
    let o = opsbook(&[
        "--keymap",
        "tests/keymaps/unknown_action.toml",
        "--notebook",
        "data",
        "links",
        "--year",
        "2020",
    ]);
    assert!(o.status.success());
}

#[test]
fn keys_prints_the_effective_keymap_with_origins() {
    let o = opsbook(&["keys", "--keymap", "tests/keymaps/valid.toml"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# defaults merged with tests/keymaps/valid.toml");
    assert!(
        lines.contains(&"normal   n            down               tests/keymaps/valid.toml"),
        "{out}"
    );
    assert!(lines.contains(&"normal   down         down               default"));
    assert!(!out.contains("normal   j "));
    let fallback = opsbook(&[
        "keys",
        "--keymap",
        "tests/keymaps/bad_key.toml",
        "--keymap-fallback",
    ]);
    assert!(fallback.status.success());
    assert_eq!(
        String::from_utf8_lossy(&fallback.stderr),
        "opsbook: tests/keymaps/bad_key.toml:2:1: cannot read key `ctrl-hyper-x` (using the default keymap)\n"
    );
    assert!(
        String::from_utf8_lossy(&fallback.stdout)
            .contains("normal   j            down               default")
    );
}

// Linux only: the config and data folders come from XDG_CONFIG_HOME / XDG_DATA_HOME.
#[cfg(target_os = "linux")]
#[test]
fn the_user_keymap_in_the_config_folder_is_used() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/opsbook");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keymaps.toml"), "[normal]\nx = \"quit\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .arg("keys")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!(
            "normal   x            quit               {}",
            dir.join("keymaps.toml").display()
        )),
        "{out}"
    );
}
