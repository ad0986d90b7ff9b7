//! keymaps.toml → (mode, keys) → Action. The one place where key events
//! become actions.
//!
//! The default keymap is the repository's `keymaps.toml`, embedded in the
//! binary. A user file is merged over it: its bindings replace the defaults
//! of the same keys, and a binding to `none` removes one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use toml::Spanned;

use crate::app::action::Action;

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../keymaps.toml");

/// Where the keys are going: each mode has its own bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Browsing the views.
    Normal,
    /// Typing in the search pane.
    Search,
    /// The help overlay.
    Help,
    /// A question (yes/no, or a choice after a conflict).
    Confirm,
    /// Editing Markdown in the editor pane.
    Editor,
    /// Typing one line of input (a title, a URL, a name).
    Prompt,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 6] = [
        Mode::Normal,
        Mode::Search,
        Mode::Help,
        Mode::Confirm,
        Mode::Editor,
        Mode::Prompt,
    ];

    /// The section name in keymaps.toml.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::Search => "search",
            Mode::Help => "help",
            Mode::Confirm => "confirm",
            Mode::Editor => "editor",
            Mode::Prompt => "prompt",
        }
    }

    fn from_name(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == s)
    }

    /// Whether unbound printable keys are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Search | Mode::Editor | Mode::Prompt)
    }
}

/// One key press: a key with its modifiers, normalised so that `G` and
/// `shift-g` are the same press.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPress {
    /// The key.
    pub code: KeyCodeOrd,
    /// Control, alt, shift (shift only for non-character keys).
    pub mods: u8,
}

/// A key code that can be ordered and hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    /// A character.
    Char(char),
    /// A function key.
    F(u8),
    /// A named key.
    Named(Named),
}

/// Keys with names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Named {
    Esc,
    Enter,
    Tab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Space,
}

const NAMED: [(Named, &str); 15] = [
    (Named::Esc, "esc"),
    (Named::Enter, "enter"),
    (Named::Tab, "tab"),
    (Named::Backspace, "backspace"),
    (Named::Delete, "delete"),
    (Named::Insert, "insert"),
    (Named::Up, "up"),
    (Named::Down, "down"),
    (Named::Left, "left"),
    (Named::Right, "right"),
    (Named::Home, "home"),
    (Named::End, "end"),
    (Named::PageUp, "pageup"),
    (Named::PageDown, "pagedown"),
    (Named::Space, "space"),
];

const CTRL: u8 = 1;
const ALT: u8 = 2;
const SHIFT: u8 = 4;

impl KeyPress {
    /// A plain character key.
    pub fn char(c: char) -> KeyPress {
        KeyPress {
            code: KeyCodeOrd::Char(c),
            mods: 0,
        }
    }

    /// The press of a terminal key event, if it is a key opsbook can bind.
    pub fn from_event(ev: KeyEvent) -> Option<KeyPress> {
        let mut mods = 0;
        if ev.modifiers.contains(KeyModifiers::CONTROL) {
            mods |= CTRL;
        }
        if ev.modifiers.contains(KeyModifiers::ALT) {
            mods |= ALT;
        }
        let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named(Named::Space),
            // The shift is in the character itself.
            KeyCode::Char(c) if mods & CTRL != 0 => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::BackTab => {
                mods |= SHIFT;
                KeyCodeOrd::Named(Named::Tab)
            }
            KeyCode::Esc => KeyCodeOrd::Named(Named::Esc),
            KeyCode::Enter => KeyCodeOrd::Named(Named::Enter),
            KeyCode::Tab => KeyCodeOrd::Named(Named::Tab),
            KeyCode::Backspace => KeyCodeOrd::Named(Named::Backspace),
            KeyCode::Delete => KeyCodeOrd::Named(Named::Delete),
            KeyCode::Insert => KeyCodeOrd::Named(Named::Insert),
            KeyCode::Up => KeyCodeOrd::Named(Named::Up),
            KeyCode::Down => KeyCodeOrd::Named(Named::Down),
            KeyCode::Left => KeyCodeOrd::Named(Named::Left),
            KeyCode::Right => KeyCodeOrd::Named(Named::Right),
            KeyCode::Home => KeyCodeOrd::Named(Named::Home),
            KeyCode::End => KeyCodeOrd::Named(Named::End),
            KeyCode::PageUp => KeyCodeOrd::Named(Named::PageUp),
            KeyCode::PageDown => KeyCodeOrd::Named(Named::PageDown),
            _ => return None,
        };
        if shift && !matches!(code, KeyCodeOrd::Char(_)) {
            mods |= SHIFT;
        }
        Some(KeyPress { code, mods })
    }

    /// The terminal key event of this press (for tests and replay).
    pub fn to_event(self) -> KeyEvent {
        let mut m = KeyModifiers::NONE;
        if self.mods & CTRL != 0 {
            m |= KeyModifiers::CONTROL;
        }
        if self.mods & ALT != 0 {
            m |= KeyModifiers::ALT;
        }
        if self.mods & SHIFT != 0 {
            m |= KeyModifiers::SHIFT;
        }
        let code = match self.code {
            KeyCodeOrd::Char(c) => KeyCode::Char(c),
            KeyCodeOrd::F(n) => KeyCode::F(n),
            KeyCodeOrd::Named(Named::Tab) if self.mods & SHIFT != 0 => KeyCode::BackTab,
            KeyCodeOrd::Named(n) => match n {
                Named::Esc => KeyCode::Esc,
                Named::Enter => KeyCode::Enter,
                Named::Tab => KeyCode::Tab,
                Named::Backspace => KeyCode::Backspace,
                Named::Delete => KeyCode::Delete,
                Named::Insert => KeyCode::Insert,
                Named::Up => KeyCode::Up,
                Named::Down => KeyCode::Down,
                Named::Left => KeyCode::Left,
                Named::Right => KeyCode::Right,
                Named::Home => KeyCode::Home,
                Named::End => KeyCode::End,
                Named::PageUp => KeyCode::PageUp,
                Named::PageDown => KeyCode::PageDown,
                Named::Space => KeyCode::Char(' '),
            },
        };
        KeyEvent::new(code, m)
    }

    /// The character this press types, in a mode that takes text.
    pub fn typed_char(self) -> Option<char> {
        match self.code {
            KeyCodeOrd::Char(c) if self.mods & (CTRL | ALT) == 0 && !c.is_control() => Some(c),
            KeyCodeOrd::Named(Named::Space) if self.mods == 0 => Some(' '),
            _ => None,
        }
    }

    /// Parses one key: `j`, `G`, `ctrl-s`, `alt-enter`, `shift-tab`, `f1`, `pagedown`.
    pub fn parse(s: &str) -> Result<KeyPress, String> {
        let mut mods = 0u8;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (CTRL, 5)
            } else if lower.starts_with("alt-") {
                (ALT, 4)
            } else if lower.starts_with("shift-") {
                (SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break;
            }
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_whitespace() && !c.is_control() => {
                if mods & SHIFT != 0 && c.is_alphabetic() {
                    mods &= !SHIFT;
                    KeyCodeOrd::Char(c.to_uppercase().next().unwrap_or(c))
                } else if mods & CTRL != 0 {
                    KeyCodeOrd::Char(c.to_ascii_lowercase())
                } else {
                    KeyCodeOrd::Char(c)
                }
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                let named = match lower.as_str() {
                    "escape" => Some(Named::Esc),
                    "return" => Some(Named::Enter),
                    "del" => Some(Named::Delete),
                    "pgup" => Some(Named::PageUp),
                    "pgdown" | "pgdn" => Some(Named::PageDown),
                    "backtab" => {
                        mods |= SHIFT;
                        Some(Named::Tab)
                    }
                    _ => NAMED.iter().find(|(_, n)| *n == lower).map(|(k, _)| *k),
                };
                match named {
                    Some(n) => KeyCodeOrd::Named(n),
                    None => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                        Some(n) if (1..=24).contains(&n) => KeyCodeOrd::F(n),
                        _ => return Err(format!("cannot read key `{s}`")),
                    },
                }
            }
        };
        if mods & SHIFT != 0 && matches!(code, KeyCodeOrd::Char(_)) {
            return Err(format!(
                "cannot read key `{s}`: write the shifted character itself"
            ));
        }
        Ok(KeyPress { code, mods })
    }
}

impl fmt::Display for KeyPress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods & CTRL != 0 {
            f.write_str("ctrl-")?;
        }
        if self.mods & ALT != 0 {
            f.write_str("alt-")?;
        }
        if self.mods & SHIFT != 0 {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
            KeyCodeOrd::Named(n) => {
                let name = NAMED.iter().find(|(k, _)| *k == n).map_or("?", |(_, s)| s);
                f.write_str(name)
            }
        }
    }
}

/// A key or a sequence of keys (`g g`).
pub type Keys = Vec<KeyPress>;

/// Parses `g g` or `ctrl-s` into key presses.
pub fn parse_keys(s: &str) -> Result<Keys, String> {
    let keys: Result<Keys, String> = s.split_whitespace().map(KeyPress::parse).collect();
    let keys = keys?;
    match keys.len() {
        0 => Err("empty key".to_string()),
        1 | 2 => Ok(keys),
        _ => Err(format!(
            "`{s}`: sequences of more than two keys are not supported"
        )),
    }
}

/// Shows keys as they are written in keymaps.toml.
pub fn keys_to_string(keys: &[KeyPress]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

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
        let mut sections: Vec<_> = raw.0.into_iter().collect();
        sections.sort_by_key(|(k, _)| k.span().start);
        for (mode_name, bindings) in sections {
            let mode = Mode::from_name(mode_name.get_ref()).ok_or_else(|| {
                error(
                    mode_name.span().start,
                    format!(
                        "unknown mode `{}` (modes: {})",
                        mode_name.get_ref(),
                        Mode::ALL.map(Mode::name).join(", ")
                    ),
                )
            })?;
            let mut bindings: Vec<_> = bindings.into_iter().collect();
            bindings.sort_by_key(|(k, _)| k.span().start);
            // Keys written in this file (as written, and where), to find two actions on one key.
            let mut seen: BTreeMap<Keys, (String, usize)> = BTreeMap::new();
            for (key, action) in bindings {
                let table = self.modes.entry(mode).or_default();
                let keys = parse_keys(key.get_ref()).map_err(|m| error(key.span().start, m))?;
                if let Some((first, _)) = seen.get(&keys) {
                    return Err(error(
                        key.span().start,
                        format!(
                            "`{}` is bound twice in [{}] (also as `{first}`)",
                            key.get_ref(),
                            mode.name()
                        ),
                    ));
                }
                seen.insert(keys.clone(), (key.get_ref().clone(), key.span().start));
                if action.get_ref() == "none" {
                    table.remove(&keys);
                    continue;
                }
                let a = Action::from_name(action.get_ref()).ok_or_else(|| {
                    error(
                        action.span().start,
                        format!(
                            "unknown action `{}` for `{}` in [{}]",
                            action.get_ref(),
                            key.get_ref(),
                            mode.name()
                        ),
                    )
                })?;
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
                    return Err(error(
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
        Ok(())
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
        out.sort_by_key(|(_, (a, _, written))| (Action::ALL.iter().position(|x| x == a), *written));
        out.into_iter()
            .map(|(k, (a, o, _))| (k.clone(), *a, o.clone()))
            .collect()
    }

    /// The keys bound to an action in a mode, written as in keymaps.toml.
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<String> {
        self.bindings(mode)
            .into_iter()
            .filter(|(_, a, _)| *a == action)
            .map(|(k, _, _)| keys_to_string(&k))
            .collect()
    }
}

/// The user's keymap file: `keymaps.toml` in the config folder.
pub fn user_keymap_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsbook").map(|d| d.config_dir().join("keymaps.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_syntax_round_trips() {
        for s in [
            "j",
            "G",
            "?",
            "/",
            "1",
            "ctrl-s",
            "alt-enter",
            "shift-tab",
            "esc",
            "enter",
            "tab",
            "backspace",
            "up",
            "down",
            "left",
            "right",
            "home",
            "end",
            "pageup",
            "pagedown",
            "f1",
            "f12",
            "space",
            "ctrl-alt-x",
            "delete",
        ] {
            let k = KeyPress::parse(s).expect(s);
            assert_eq!(k.to_string(), s);
            assert_eq!(KeyPress::from_event(k.to_event()), Some(k), "{s}");
        }
        assert_eq!(
            KeyPress::parse("Ctrl-S").map(|k| k.to_string()),
            Ok("ctrl-s".into())
        );
        assert_eq!(
            KeyPress::parse("shift-g").map(|k| k.to_string()),
            Ok("G".into())
        );
        assert_eq!(
            KeyPress::parse("backtab").map(|k| k.to_string()),
            Ok("shift-tab".into())
        );
        assert_eq!(
            parse_keys("g g").map(|k| keys_to_string(&k)),
            Ok("g g".into())
        );
        assert_eq!(
            KeyPress::parse("ctrl-"),
            Err("cannot read key `ctrl-`".into())
        );
        assert_eq!(
            KeyPress::parse("hyper-x"),
            Err("cannot read key `hyper-x`".into())
        );
        assert_eq!(KeyPress::parse("f99"), Err("cannot read key `f99`".into()));
        assert_eq!(
            parse_keys("a b c"),
            Err("`a b c`: sequences of more than two keys are not supported".into())
        );
    }

    #[test]
    fn shifted_letters_from_the_terminal_are_the_letter() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(KeyPress::from_event(ev), Some(KeyPress::char('G')));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            KeyPress::from_event(ev).map(|k| k.to_string()),
            Some("shift-tab".into())
        );
    }

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
}
