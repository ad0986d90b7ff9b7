//! Opening links in the user's browser, and the terminal clipboard.

use std::io::{self, Write};

use base64::Engine;

/// Why a link could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Over SSH or on a console: no graphical browser to start.
    #[error("No browser here")]
    NoDisplay,
    /// No command of the browser setting or `$BROWSER` could be started.
    #[error("cannot start {command}: {why}")]
    Command {
        /// The program, as the setting names it.
        command: String,
        /// What the system said.
        why: String,
    },
    /// The browser setting or `$BROWSER` does not split into words.
    #[error("cannot read the browser command {0:?}: unbalanced quotes")]
    Unreadable(String),
    /// The system's own opener (xdg-open, gio, open, wslview) failed.
    #[error("cannot start a browser: {0}")]
    System(String),
}

/// Opens URLs; the real one starts the system browser, tests use a double.
pub trait Opener: Send + Sync {
    /// Starts opening `url` without waiting for the browser; says why it cannot.
    fn open(&self, url: &str) -> Result<(), OpenError>;
}

/// The browser the user chose, else the system's: the `browser` setting of
/// `config.toml`, then `$BROWSER` (a `:`-separated list as xdg-utils read
/// it), then the platform's opener.
pub struct SystemOpener {
    /// `browser` from `config.toml`.
    pub setting: Option<String>,
    /// `$BROWSER`.
    pub browser_env: Option<String>,
    /// A graphical session (or WSL, macOS, Windows) to open a browser in.
    pub display: bool,
}

impl SystemOpener {
    /// The opener for this process's environment and the user's setting.
    pub fn from_env(setting: Option<String>) -> SystemOpener {
        let var = |v: &str| std::env::var_os(v);
        SystemOpener {
            setting,
            browser_env: std::env::var("BROWSER").ok(),
            display: !no_display_in(var) || in_wsl(var),
        }
    }
}

impl Opener for SystemOpener {
    fn open(&self, url: &str) -> Result<(), OpenError> {
        let commands = browser_commands(self.setting.as_deref(), self.browser_env.as_deref(), url)?;
        if !commands.is_empty() {
            return spawn_first(&commands);
        }
        if !self.display {
            return Err(OpenError::NoDisplay);
        }
        // The `open` crate tries xdg-open, gio, wslview… or `open` on macOS.
        match open::that_detached(url) {
            Ok(()) => Ok(()),
            // WSL without wslview: Windows' explorer takes the URL as one
            // argument, with no shell to quote for.
            Err(_) if in_wsl(|v| std::env::var_os(v)) => {
                spawn_first(&[vec!["explorer.exe".to_string(), url.to_string()]])
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(OpenError::System(
                "no opener found (xdg-open, gio, wslview)".to_string(),
            )),
            Err(e) => Err(OpenError::System(first_line(&e.to_string()))),
        }
    }
}

/// The commands to try, in order, for `url`: the setting's, then each of
/// `$BROWSER`'s. A word holding `%s` gets the URL there (`%%` is a `%`);
/// a command without one gets the URL as a last argument of its own.
pub fn browser_commands(
    setting: Option<&str>,
    browser_env: Option<&str>,
    url: &str,
) -> Result<Vec<Vec<String>>, OpenError> {
    let mut entries: Vec<&str> = Vec::new();
    entries.extend(setting.filter(|s| !s.trim().is_empty()));
    entries.extend(
        browser_env
            .unwrap_or_default()
            .split(':')
            .filter(|s| !s.trim().is_empty()),
    );
    entries
        .into_iter()
        .map(|entry| {
            let mut words =
                shell_words::split(entry).map_err(|_| OpenError::Unreadable(entry.to_string()))?;
            let mut placed = false;
            for w in &mut words {
                let (expanded, has_url) = expand(w, url);
                *w = expanded;
                placed |= has_url;
            }
            if !placed {
                words.push(url.to_string());
            }
            Ok(words)
        })
        .collect()
}

/// A word with `%s` made the URL and `%%` a `%`, in one pass so that a URL
/// holding `%s` stays as it is; and whether the URL went in.
fn expand(word: &str, url: &str) -> (String, bool) {
    let mut out = String::with_capacity(word.len() + url.len());
    let mut placed = false;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('%', Some('s')) => {
                chars.next();
                out.push_str(url);
                placed = true;
            }
            ('%', Some('%')) => {
                chars.next();
                out.push('%');
            }
            _ => out.push(c),
        }
    }
    (out, placed)
}

/// Starts the first command that starts, detached from our terminal: its
/// output would draw over the UI.
fn spawn_first(commands: &[Vec<String>]) -> Result<(), OpenError> {
    let mut last = None;
    for words in commands {
        let Some((program, args)) = words.split_first() else {
            continue;
        };
        let spawned = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                // Reap it when it ends, so no zombie stays behind.
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Err(e) => {
                last = Some(OpenError::Command {
                    command: program.clone(),
                    why: match e.kind() {
                        std::io::ErrorKind::NotFound => "not found".to_string(),
                        std::io::ErrorKind::PermissionDenied => "not allowed to run".to_string(),
                        _ => first_line(&e.to_string()),
                    },
                });
            }
        }
    }
    Err(last.unwrap_or_else(|| OpenError::System("no command given".to_string())))
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// Over SSH or on a console, xdg-open would start a text browser inside our
/// terminal: better to say so and copy the URL.
fn no_display_in(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return false;
    }
    let set = |v: &str| var(v).is_some_and(|s| !s.is_empty());
    !set("DISPLAY") && !set("WAYLAND_DISPLAY")
}

/// Linux under WSL, where Windows has the browser even with no display.
fn in_wsl(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    var("WSL_DISTRO_NAME").is_some_and(|s| !s.is_empty()) || var("WSL_INTEROP").is_some()
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

    fn env(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<std::ffi::OsString> {
        move |v: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == v)
                .map(|(_, val)| std::ffi::OsString::from(val))
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn without_a_display_nothing_starts_unless_wsl() {
        assert!(no_display_in(env(&[])));
        assert!(no_display_in(env(&[("DISPLAY", "")])));
        assert!(!no_display_in(env(&[("DISPLAY", ":0")])));
        assert!(!no_display_in(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
        assert!(in_wsl(env(&[("WSL_DISTRO_NAME", "Ubuntu")])));
        assert!(!in_wsl(env(&[("WSL_DISTRO_NAME", "")])));
        let opener = SystemOpener {
            setting: None,
            browser_env: None,
            display: false,
        };
        let err = opener.open("https://example.com/").unwrap_err();
        assert_eq!(err.to_string(), "No browser here");
    }

    const URL: &str = "https://example.com/a?b=1&c=2";

    #[test]
    fn browser_lists_are_read_as_xdg_utils_read_them() {
        let words = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            browser_commands(None, Some("firefox --new-tab %s:chromium"), URL).unwrap(),
            vec![
                words(&["firefox", "--new-tab", URL]),
                words(&["chromium", URL])
            ]
        );
        // The setting comes first; quotes keep a path with spaces one word.
        assert_eq!(
            browser_commands(
                Some("'/opt/My Browser/bin' --new-tab"),
                Some("chromium"),
                URL
            )
            .unwrap(),
            vec![
                words(&["/opt/My Browser/bin", "--new-tab", URL]),
                words(&["chromium", URL])
            ]
        );
        assert_eq!(
            browser_commands(None, Some("open-url --url=%s --pct=100%%"), URL).unwrap(),
            vec![words(&["open-url", &format!("--url={URL}"), "--pct=100%"])]
        );
        assert!(
            browser_commands(Some("  "), Some("::"), URL)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            browser_commands(Some("firefox 'oops"), None, URL)
                .unwrap_err()
                .to_string(),
            "cannot read the browser command \"firefox 'oops\": unbalanced quotes"
        );
    }

    #[test]
    fn a_missing_browser_is_one_line_and_the_next_one_is_tried() {
        let opener = SystemOpener {
            setting: Some("/nonexistent/opsbook-browser".to_string()),
            browser_env: None,
            display: true,
        };
        assert_eq!(
            opener.open(URL).unwrap_err().to_string(),
            "cannot start /nonexistent/opsbook-browser: not found"
        );
        let opener = SystemOpener {
            setting: Some("/nonexistent/opsbook-browser".to_string()),
            browser_env: Some("true".to_string()),
            display: false,
        };
        assert!(opener.open(URL).is_ok());
    }

    #[test]
    fn the_clipboard_sequence_is_osc_52_in_base64() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
