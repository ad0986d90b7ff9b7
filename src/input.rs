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
                help: self
                    .keymap
                    .keys_for(Mode::Normal, Action::Help)
                    .into_iter()
                    .next(),
            }),
        }
    }
}
