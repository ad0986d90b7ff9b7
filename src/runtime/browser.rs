//! Opening links in the user's browser, and the terminal clipboard.

use std::io::{self, Write};

use base64::Engine;

/// Why a link could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Over SSH or on a console: no graphical browser to start.
    #[error("no browser can be started here (no display)")]
    NoDisplay,
    /// The launcher failed.
    #[error("cannot start a browser: {0}")]
    Launcher(#[from] io::Error),
}

/// Opens URLs; the real one starts the system browser, tests use a double.
pub trait Opener: Send + Sync {
    /// Starts opening `url` without waiting for the browser; says why it cannot.
    fn open(&self, url: &str) -> Result<(), OpenError>;
}

/// The system browser, through the `open` crate.
pub struct SystemOpener;

impl Opener for SystemOpener {
    fn open(&self, url: &str) -> Result<(), OpenError> {
        if no_display() {
            return Err(OpenError::NoDisplay);
        }
        open::that_detached(url)?;
        Ok(())
    }
}

/// Over SSH or on a console, xdg-open would start a text browser inside our
/// terminal: better to say so and copy the URL.
fn no_display() -> bool {
    no_display_in(|v| std::env::var_os(v))
}

/// `no_display` with the environment read through `var`.
fn no_display_in(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return false;
    }
    let set = |v: &str| var(v).is_some_and(|s| !s.is_empty());
    !set("DISPLAY") && !set("WAYLAND_DISPLAY") && !set("BROWSER")
}

/// The OSC 52 sequence that asks the terminal to put `text` on the
/// clipboard (over SSH too).
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// Writes the OSC 52 sequence of `text` to standard output.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    let mut out = io::stdout();
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn without_a_display_or_a_browser_nothing_starts() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |v: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == v)
                    .map(|(_, val)| std::ffi::OsString::from(val))
            }
        };
        assert!(no_display_in(env(&[])));
        assert!(no_display_in(env(&[("DISPLAY", "")])));
        assert!(!no_display_in(env(&[("DISPLAY", ":0")])));
        assert!(!no_display_in(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
        assert!(!no_display_in(env(&[("BROWSER", "w3m")])));
        assert_eq!(
            OpenError::NoDisplay.to_string(),
            "no browser can be started here (no display)"
        );
    }

    #[test]
    fn the_clipboard_sequence_is_osc_52_in_base64() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
