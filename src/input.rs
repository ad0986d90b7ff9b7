//! Terminal events become app inputs here, and only here: key presses and
//! two-key sequences through the keymap, mouse presses and wheel turns as
//! pointer actions, pasted text, new sizes.

use ratatui::crossterm::event::{Event, MouseButton, MouseEventKind};

use crate::app::{Action, Input, Mode, Point};
use crate::keymap::{KeyPress, Keymap, Resolution, keys_to_string};

/// The keymap in use and the keys of a sequence typed so far.
#[derive(Clone, Debug)]
pub struct Keys {
    /// The bindings.
    pub keymap: Keymap,
    pending: Vec<KeyPress>,
}

impl Keys {
    /// Keys bound by `keymap`, nothing pending.
    pub fn new(keymap: Keymap) -> Keys {
        Keys {
            keymap,
            pending: Vec::new(),
        }
    }

    /// The first keys of an unfinished sequence.
    pub fn pending(&self) -> &[KeyPress] {
        &self.pending
    }

    /// What a terminal event means in `mode`, if anything.
    pub fn translate(&mut self, event: &Event, mode: Mode) -> Option<Input> {
        match event {
            Event::Key(_) => {
                let key = event.as_key_press_event().and_then(KeyPress::from_event)?;
                self.press(key, mode)
            }
            Event::Paste(text) => Some(Input::Text(text.clone())),
            Event::Resize(width, height) => Some(Input::Resize {
                width: *width,
                height: *height,
            }),
            Event::Mouse(m) => {
                let at = Point {
                    x: m.column,
                    y: m.row,
                };
                match m.kind {
                    MouseEventKind::Down(MouseButton::Left) => {
                        Some(Input::Action(Action::Click(at)))
                    }
                    MouseEventKind::ScrollDown => Some(Input::Action(Action::ScrollDown(at))),
                    MouseEventKind::ScrollUp => Some(Input::Action(Action::ScrollUp(at))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// What one key press means in `mode`, after the keys pending.
    pub fn press(&mut self, key: KeyPress, mode: Mode) -> Option<Input> {
        let pending = std::mem::take(&mut self.pending);
        match self.keymap.resolve(mode, &pending, key) {
            Resolution::Action(a) => Some(Input::Action(a)),
            Resolution::Text(c) => Some(Input::Text(c.to_string())),
            Resolution::Pending => {
                self.pending = vec![key];
                None
            }
            Resolution::Unbound => (mode == Mode::Normal).then(|| Input::Unbound {
                key: keys_to_string(&[key]),
                help: self.keymap.first_key(Mode::Normal, Action::Help),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyModifiers, MouseEvent};

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    }

    #[test]
    fn keys_and_the_mouse_become_actions_alike() {
        let mut keys = Keys::new(Keymap::defaults());
        let j = Event::Key(KeyPress::char('j').to_event());
        assert_eq!(
            keys.translate(&j, Mode::Normal),
            Some(Input::Action(Action::Down))
        );
        let at = Point { x: 7, y: 3 };
        assert_eq!(
            keys.translate(
                &mouse(MouseEventKind::Down(MouseButton::Left), 7, 3),
                Mode::Normal
            ),
            Some(Input::Action(Action::Click(at)))
        );
        assert_eq!(
            keys.translate(&mouse(MouseEventKind::ScrollUp, 7, 3), Mode::Editor),
            Some(Input::Action(Action::ScrollUp(at)))
        );
        assert_eq!(
            keys.translate(&mouse(MouseEventKind::Moved, 7, 3), Mode::Normal),
            None
        );
    }

    #[test]
    fn sequences_wait_and_unbound_keys_say_so() {
        let mut keys = Keys::new(Keymap::defaults());
        assert_eq!(keys.press(KeyPress::char('g'), Mode::Normal), None);
        assert_eq!(keys.pending(), &[KeyPress::char('g')]);
        assert_eq!(
            keys.press(KeyPress::char('g'), Mode::Normal),
            Some(Input::Action(Action::Top))
        );
        assert!(keys.pending().is_empty());
        assert_eq!(
            keys.press(KeyPress::char('x'), Mode::Normal),
            Some(Input::Unbound {
                key: "x".into(),
                help: Some("?".into())
            })
        );
        assert_eq!(
            keys.press(KeyPress::char('x'), Mode::Search),
            Some(Input::Text("x".into()))
        );
        assert_eq!(keys.press(KeyPress::char('x'), Mode::Help), None);
    }
}
