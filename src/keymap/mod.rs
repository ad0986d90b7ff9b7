//! keymaps.toml → (mode, keys) → Action: the bindings of every mode, merged
//! from the embedded defaults and the user's file.
//!
//! The default keymap is the repository's `keymaps.toml`, embedded in the
//! binary. A user file is merged over it: its bindings replace the defaults
//! of the same keys, and a binding to `none` removes one.

pub mod keys;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

pub use crate::app::action::{Action, Mode};
pub use keys::{KeyError, KeyPress, Keys, keys_to_string, parse_keys};

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps.toml");

/// Where a binding came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The embedded default.
    Default,
    /// A user file.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// An error in a keymap file, with its place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", if *line > 0 { format!(":{line}:{column}") } else { String::new() })]
pub struct KeymapError {
    /// The file, as given.
    pub file: String,
    /// 1-based line; 0 when the error is not at a place in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// What a key press resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Do this.
    Action(Action),
    /// Type this character (modes that take text).
    Text(char),
    /// The first key of a sequence: wait for the next one.
    Pending,
    /// Nothing is bound to this.
    Unbound,
}

/// Bindings of every mode.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    /// Per mode: keys → action, where it came from, and its place in the files (for listing in file order).
    modes: BTreeMap<Mode, BTreeMap<Keys, (Action, Origin, u32)>>,
    written: u32,
}

#[derive(Deserialize)]
struct RawKeymap(BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>);

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Keymap {
    /// The embedded default keymap.
    pub fn defaults() -> Keymap {
        let mut map = Keymap::default();
        // The embedded file is checked by the tests; an error here is a build defect.
        if let Err(e) = map.merge(DEFAULT_KEYMAP, "keymaps.toml (built in)", &Origin::Default) {
            panic!("the built-in keymap is broken: {e}");
        }
        map
    }

    /// The defaults with a user file merged over them.
    pub fn with_file(path: &Path) -> Result<Keymap, KeymapError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeymapError {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read keymap: {e}"),
        })?;
        let mut map = Keymap::defaults();
        map.merge(
            &text,
            &path.display().to_string(),
            &Origin::File(path.to_path_buf()),
        )?;
        Ok(map)
    }

    /// Merges a keymap file's text over these bindings.
    pub fn merge(&mut self, text: &str, file: &str, origin: &Origin) -> Result<(), KeymapError> {
        let error = |offset: usize, message: String| {
            let (line, column) = position(text, offset);
            KeymapError {
                file: file.to_string(),
                line,
                column,
                message,
            }
        };
        let raw: RawKeymap = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let mut message = e.message().trim().replace('\n', " ");
            if message == "duplicate key"
                && let Some(key) = text.get(span.clone())
            {
                message = format!("`{key}` is bound twice (duplicate key)");
            }
            error(span.start, message)
        })?;
        // Every mistake is gathered, so one edit of the file mends them all.
        let mut mistakes: Vec<KeymapError> = Vec::new();
        let mut sections: Vec<_> = raw.0.into_iter().collect();
        sections.sort_by_key(|(k, _)| k.span().start);
        for (mode_name, bindings) in sections {
            let Some(mode) = Mode::from_name(mode_name.get_ref()) else {
                mistakes.push(error(
                    mode_name.span().start,
                    format!(
                        "unknown mode `{}` (modes: {})",
                        mode_name.get_ref(),
                        Mode::ALL.map(Mode::name).join(", ")
                    ),
                ));
                continue;
            };
            let mut bindings: Vec<_> = bindings.into_iter().collect();
            bindings.sort_by_key(|(k, _)| k.span().start);
            // Keys written in this file (as written, and where), to find two actions on one key.
            let mut seen: BTreeMap<Keys, (String, usize)> = BTreeMap::new();
            for (key, action) in bindings {
                let table = self.modes.entry(mode).or_default();
                let keys = match parse_keys(key.get_ref()) {
                    Ok(keys) => keys,
                    Err(e) => {
                        mistakes.push(error(key.span().start, e.to_string()));
                        continue;
                    }
                };
                if let Some((first, _)) = seen.get(&keys) {
                    mistakes.push(error(
                        key.span().start,
                        format!(
                            "`{}` is bound twice in [{}] (also as `{first}`)",
                            key.get_ref(),
                            mode.name()
                        ),
                    ));
                    continue;
                }
                seen.insert(keys.clone(), (key.get_ref().clone(), key.span().start));
                if action.get_ref() == "none" {
                    table.remove(&keys);
                    continue;
                }
                let Some(a) = Action::from_name(action.get_ref()) else {
                    mistakes.push(error(
                        action.span().start,
                        format!(
                            "unknown action `{}` for `{}` in [{}]",
                            action.get_ref(),
                            key.get_ref(),
                            mode.name()
                        ),
                    ));
                    continue;
                };
                if !a.works_in(mode) {
                    let works = a.spec().map_or(String::new(), |s| {
                        s.modes
                            .iter()
                            .map(|m| m.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    mistakes.push(error(
                        action.span().start,
                        format!(
                            "`{}` does nothing in [{}] (it works in: {works})",
                            action.get_ref(),
                            mode.name()
                        ),
                    ));
                    continue;
                }
                self.written += 1;
                table.insert(keys, (a, origin.clone(), self.written));
            }
            // A key that is bound alone and also starts a sequence could never reach the sequence.
            let table = self.modes.entry(mode).or_default();
            for keys in table.keys().filter(|k| k.len() == 2) {
                if table.contains_key(&keys[..1]) {
                    let at = seen
                        .get(&keys[..1])
                        .or_else(|| seen.get(keys))
                        .map_or(mode_name.span().start, |(_, at)| *at);
                    mistakes.push(error(
                        at,
                        format!(
                            "in [{}], `{}` is bound alone and also starts `{}`",
                            mode.name(),
                            keys[0],
                            keys_to_string(keys)
                        ),
                    ));
                }
            }
        }
        let mut mistakes = mistakes.into_iter();
        let Some(mut first) = mistakes.next() else {
            return Ok(());
        };
        for more in mistakes {
            first.message.push_str(&format!(
                "; also {}:{}: {}",
                more.line, more.column, more.message
            ));
        }
        Err(first)
    }

    /// What a key press means in a mode, after the keys already pending.
    pub fn resolve(&self, mode: Mode, pending: &[KeyPress], key: KeyPress) -> Resolution {
        let Some(table) = self.modes.get(&mode) else {
            return Resolution::Unbound;
        };
        let mut keys = pending.to_vec();
        keys.push(key);
        if let Some((action, _, _)) = table.get(&keys) {
            return Resolution::Action(*action);
        }
        if keys.len() == 1 && table.keys().any(|k| k.len() == 2 && k[0] == key) {
            return Resolution::Pending;
        }
        if !pending.is_empty() {
            // An unfinished sequence: the new key counts on its own.
            return self.resolve(mode, &[], key);
        }
        match key.typed_char() {
            Some(c) if mode.takes_text() => Resolution::Text(c),
            _ => Resolution::Unbound,
        }
    }

    /// Every binding of a mode, ordered by action, then as written in the files.
    pub fn bindings(&self, mode: Mode) -> Vec<(Keys, Action, Origin)> {
        let mut out: Vec<_> = self.modes.get(&mode).into_iter().flatten().collect();
        out.sort_by_key(|(_, (a, _, written))| (a.rank(), *written));
        out.into_iter()
            .map(|(k, (a, o, _))| (k.clone(), *a, o.clone()))
            .collect()
    }

    /// The first key bound to an action in a mode (in the order the files
    /// give them), written as in keymaps.toml.
    pub fn first_key(&self, mode: Mode, action: Action) -> Option<String> {
        self.bound_to(mode, action)
            .min_by_key(|&(written, _)| written)
            .map(|(_, k)| keys_to_string(k))
    }

    /// The keys bound to an action in a mode, with their place in the files.
    fn bound_to(&self, mode: Mode, action: Action) -> impl Iterator<Item = (u32, &Keys)> {
        self.modes
            .get(&mode)
            .into_iter()
            .flatten()
            .filter(move |(_, (a, _, _))| *a == action)
            .map(|(k, (_, _, written))| (*written, k))
    }
}

/// The keymap file in use, if any: the one given, else the user's when it
/// exists.
pub fn keymap_file(given: Option<&Path>) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| user_keymap_path().filter(|p| p.exists()))
}

/// The keymap of `file` merged over the defaults (the defaults alone
/// without one), with a warning when `fallback` let a broken file fall back
/// to the defaults; or the mistake that stops the start.
pub fn load_keymap(
    file: Option<&Path>,
    fallback: bool,
) -> Result<(Keymap, Option<String>), KeymapError> {
    let Some(file) = file else {
        return Ok((Keymap::defaults(), None));
    };
    match Keymap::with_file(file) {
        Ok(k) => Ok((k, None)),
        Err(e) if fallback => Ok((
            Keymap::defaults(),
            Some(format!("{e} (using the default keymap)")),
        )),
        Err(e) => Err(e),
    }
}

/// The user's keymap file: `keymaps.toml` in the config folder.
pub fn user_keymap_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsbook").map(|d| d.config_dir().join("keymaps.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> KeyPress {
        KeyPress::parse(s).expect(s)
    }

    #[test]
    fn sequences_wait_for_their_second_key() {
        let mut map = Keymap::default();
        map.merge(
            "[normal]\n\"g g\" = \"top\"\nj = \"down\"\n",
            "t.toml",
            &Origin::Default,
        )
        .expect("valid");
        assert_eq!(
            map.resolve(Mode::Normal, &[], key("g")),
            Resolution::Pending
        );
        assert_eq!(
            map.resolve(Mode::Normal, &[key("g")], key("g")),
            Resolution::Action(Action::Top)
        );
        assert_eq!(
            map.resolve(Mode::Normal, &[key("g")], key("j")),
            Resolution::Action(Action::Down)
        );
        assert_eq!(
            map.resolve(Mode::Normal, &[], key("x")),
            Resolution::Unbound
        );
        assert_eq!(
            map.resolve(Mode::Search, &[], key("x")),
            Resolution::Unbound
        );
    }

    #[test]
    fn text_modes_type_unbound_characters() {
        let map = Keymap::defaults();
        assert_eq!(
            map.resolve(Mode::Search, &[], key("q")),
            Resolution::Text('q')
        );
        assert_eq!(
            map.resolve(Mode::Search, &[], key("space")),
            Resolution::Text(' ')
        );
        assert_eq!(
            map.resolve(Mode::Search, &[], key("esc")),
            Resolution::Action(Action::Close)
        );
    }

    #[test]
    fn the_first_key_of_an_action_is_the_first_the_files_give() {
        let mut keymap = Keymap::defaults();
        assert_eq!(
            keymap.first_key(Mode::Normal, Action::Quit).as_deref(),
            Some("q")
        );
        assert_eq!(
            keymap.first_key(Mode::Normal, Action::Help).as_deref(),
            Some("?")
        );
        keymap
            .merge(
                "[normal]\nq = \"none\"\n",
                "user.toml",
                &Origin::File("user.toml".into()),
            )
            .unwrap();
        assert_eq!(
            keymap.first_key(Mode::Normal, Action::Quit).as_deref(),
            Some("ctrl-c")
        );
        keymap
            .merge(
                "[normal]\nctrl-c = \"none\"\n",
                "user.toml",
                &Origin::File("user.toml".into()),
            )
            .unwrap();
        assert_eq!(keymap.first_key(Mode::Normal, Action::Quit), None);
    }
}
