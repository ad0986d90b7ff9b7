//! Keys as keymaps.toml writes them and the terminal sends them: parsing,
//! printing, and normalising so that `G` and `shift-g` are one press.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Not a character, a named key or `f1`…`f24`, or an unknown modifier.
    #[error("cannot read key `{0}`")]
    Unreadable(String),
    /// `shift-` before a character: the shifted character is the key.
    #[error("cannot read key `{0}`: write the shifted character itself")]
    Shifted(String),
    /// Nothing written.
    #[error("empty key")]
    Empty,
    /// Three keys or more.
    #[error("`{0}`: sequences of more than two keys are not supported")]
    TooLong(String),
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
    pub fn parse(s: &str) -> Result<KeyPress, KeyError> {
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
                        _ => return Err(KeyError::Unreadable(s.to_string())),
                    },
                }
            }
        };
        if mods & SHIFT != 0 && matches!(code, KeyCodeOrd::Char(_)) {
            return Err(KeyError::Shifted(s.to_string()));
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
pub fn parse_keys(s: &str) -> Result<Keys, KeyError> {
    let keys = s
        .split_whitespace()
        .map(KeyPress::parse)
        .collect::<Result<Keys, KeyError>>()?;
    match keys.len() {
        0 => Err(KeyError::Empty),
        1 | 2 => Ok(keys),
        _ => Err(KeyError::TooLong(s.to_string())),
    }
}

/// Shows keys as they are written in keymaps.toml.
pub fn keys_to_string(keys: &[KeyPress]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
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
        let error = |r: Result<KeyPress, KeyError>| r.map_err(|e| e.to_string());
        assert_eq!(
            error(KeyPress::parse("ctrl-")),
            Err("cannot read key `ctrl-`".into())
        );
        assert_eq!(
            error(KeyPress::parse("hyper-x")),
            Err("cannot read key `hyper-x`".into())
        );
        assert_eq!(
            error(KeyPress::parse("f99")),
            Err("cannot read key `f99`".into())
        );
        assert_eq!(
            parse_keys("a b c").map_err(|e| e.to_string()),
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
}
