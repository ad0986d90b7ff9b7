//! `config.toml` in the config folder, next to `keymaps.toml`: settings
//! with their defaults, and mistakes reported with file, line and column as
//! for the keymap.
//!
//! ```toml
//! notebook = "~/src/team-notes"   # the notebook folder, if not --notebook
//! browser = "firefox --new-tab"    # before $BROWSER; `%s` marks where the URL goes
//! theme = "dark"                   # dark | light | none (NO_COLOR picks none when unset)
//!
//! [editor]
//! autosave_after_ms = 1000   # pause in typing before the buffer saves itself
//!
//! [sessions]
//! date_style = "Nov 23, 2026"   # or "Nov 23" (year from the heading), "November 23, 2026"
//! template = "Attendees:\nNotes\nActions"   # topics of a new session; {date}, {title}
//!
//! [sync]
//! mode = "auto"        # auto | manual | off
//! commit_after = 120   # seconds without typing before saved notes are committed
//! push_after = 10      # seconds after a commit before it is pushed
//! pull_every = 300     # seconds between pulls while nothing is uncommitted
//!
//! [check]
//! concurrency = 16            # requests in flight at once
//! per_host = 2                # requests in flight to one host
//! connect_timeout_secs = 5
//! timeout_secs = 15           # for the whole link, redirects and all
//! recheck_after_days = 7      # links checked since are not fetched again
//! archive_api = "https://archive.org/wayback/available"   # "" looks up no copies
//! private_redirects = false   # follow redirects to loopback or private addresses
//!
//! [fetch]
//! refetch_after_days = 30     # pages kept since are not fetched again
//! max_page_kb = 5120          # HTML beyond this is cut (and the page says so); 64 to 1048576
//! titles_on_add = true        # `a` and `opsbook add` without a title ask the page
//! title_timeout_secs = 3      # how long a title may take before the link is added without
//! keep_text_on_check = false  # `opsbook check` keeps the text of every page it reads
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::notebook::edit::DateStyle;

/// The colours of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// For dark terminals: the default.
    Dark,
    /// For light terminals: no yellow or cyan on white.
    Light,
    /// No colours at all; selections in reverse video.
    None,
}

/// How a notebook in a git work tree is synced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncMode {
    /// Commit, pull and push on their own (only with an upstream).
    Auto,
    /// Only when asked (`S`, `opsbook sync`).
    Manual,
    /// Never; the status bar shows no git state either.
    Off,
}

/// The sync settings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncSettings {
    /// Auto, manual or off.
    pub mode: SyncMode,
    /// Seconds without typing before saved notes are committed.
    pub commit_after: u64,
    /// Seconds after a commit before it is pushed.
    pub push_after: u64,
    /// Seconds between pulls while nothing is uncommitted.
    pub pull_every: u64,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            mode: SyncMode::Auto,
            commit_after: 120,
            push_after: 10,
            pull_every: 300,
        }
    }
}

impl SyncSettings {
    /// `commit_after` as a duration.
    pub fn commit_after(&self) -> Duration {
        Duration::from_secs(self.commit_after)
    }

    /// `push_after` as a duration.
    pub fn push_after(&self) -> Duration {
        Duration::from_secs(self.push_after)
    }

    /// `pull_every` as a duration.
    pub fn pull_every(&self) -> Duration {
        Duration::from_secs(self.pull_every)
    }
}

/// The editor's settings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EditorSettings {
    /// Milliseconds typing must pause before the buffer saves itself.
    pub autosave_after_ms: u64,
}

impl Default for EditorSettings {
    fn default() -> Self {
        EditorSettings {
            autosave_after_ms: 1000,
        }
    }
}

/// The link check's settings (`opsbook check`, `C`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight to any one host.
    pub per_host: usize,
    /// Seconds to connect.
    pub connect_timeout_secs: u64,
    /// Seconds for one link, redirects and all.
    pub timeout_secs: u64,
    /// Days a result stands before the link is fetched again.
    pub recheck_after_days: u64,
    /// The Wayback Machine's availability API; empty looks up no copies.
    pub archive_api: String,
    /// Whether a redirect from one host to another whose address is
    /// loopback, private, link-local or unspecified is followed (never by
    /// default: a page on the web must not make opsbook knock on the
    /// machine's own ports or the local network).
    pub private_redirects: bool,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            concurrency: 16,
            per_host: 2,
            connect_timeout_secs: 5,
            timeout_secs: 15,
            recheck_after_days: 7,
            archive_api: "https://archive.org/wayback/available".to_string(),
            private_redirects: false,
        }
    }
}

impl CheckSettings {
    /// `connect_timeout_secs` as a duration (1 s to a day).
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_secs.clamp(1, 86_400))
    }

    /// `timeout_secs` as a duration (1 s to a day).
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs.clamp(1, 86_400))
    }

    /// `recheck_after_days` in seconds.
    pub fn recheck_after_secs(&self) -> i64 {
        (self.recheck_after_days.min(100_000) * 86_400) as i64
    }
}

/// The settings of new sessions (`n`, `opsbook jot`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// How the date of a new session is written.
    pub date_style: Option<crate::notebook::edit::DateStyle>,
    /// Topics a new session starts with, a line each (`{date}` and
    /// `{title}` filled); none by default.
    pub template: Option<String>,
}

/// Every setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The command that opens links, before `$BROWSER` and the system's.
    pub browser: Option<String>,
    /// The editor.
    pub editor: EditorSettings,
    /// The colours; unset means dark, or none when `NO_COLOR` is set.
    pub theme: Option<Theme>,
    /// The notebook folder, when `--notebook` and `OPSBOOK_NOTEBOOK` say none
    /// (a `~/` at its start is the home folder).
    pub notebook: Option<PathBuf>,
    /// Git sync.
    pub sync: SyncSettings,
    /// New sessions.
    pub sessions: SessionSettings,
    /// The link check.
    pub check: CheckSettings,
    /// Search.
    pub search: SearchSettings,
    /// Kept page text.
    pub fetch: FetchSettings,
}

/// `[fetch]` of config.toml: the text of linked pages, kept in the data folder.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSettings {
    /// Days a kept page stands before it is fetched again.
    pub refetch_after_days: u64,
    /// Kilobytes of a page read at most; the rest is cut.
    pub max_page_kb: u64,
    /// Whether a link added without a title gets the page's.
    pub titles_on_add: bool,
    /// Seconds a title may take on add.
    pub title_timeout_secs: u64,
    /// Whether `opsbook check` keeps the text of each page it reads.
    pub keep_text_on_check: bool,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            refetch_after_days: 30,
            max_page_kb: 5 * 1024,
            titles_on_add: true,
            title_timeout_secs: 3,
            keep_text_on_check: false,
        }
    }
}

impl FetchSettings {
    /// `refetch_after_days` in seconds.
    pub fn refetch_after_secs(&self) -> i64 {
        (self.refetch_after_days.min(100_000) * 86_400) as i64
    }

    /// `max_page_kb` in bytes (64 KB to 1 GB).
    pub fn max_page_bytes(&self) -> u64 {
        self.max_page_kb.clamp(64, 1 << 20) * 1024
    }

    /// `title_timeout_secs` as a duration (1 s to a minute).
    pub fn title_timeout(&self) -> Duration {
        Duration::from_secs(self.title_timeout_secs.clamp(1, 60))
    }
}

/// `[search]` of config.toml.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// A team's own words that stand for others (`hellman = ["cluster"]`),
    /// beside the built-in ops vocabulary; both ways.
    pub synonyms: std::collections::BTreeMap<String, Vec<String>>,
}

impl SearchSettings {
    /// The synonyms as groups of words that stand for each other.
    pub fn groups(&self) -> Vec<Vec<String>> {
        self.synonyms
            .iter()
            .map(|(k, v)| {
                std::iter::once(k.clone())
                    .chain(v.iter().cloned())
                    .collect()
            })
            .collect()
    }
}

impl Config {
    /// The theme to draw in: the setting, else none under `NO_COLOR`
    /// (set and not empty, as no-color.org says), else dark.
    pub fn theme(&self, no_color: Option<&std::ffi::OsStr>) -> Theme {
        match (self.theme, no_color) {
            (Some(t), _) => t,
            (None, Some(v)) if !v.is_empty() => Theme::None,
            (None, _) => Theme::Dark,
        }
    }
}

/// One setting in effect, as a TOML line, and where its value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The key, dotted (`sync.mode`), so that the line pastes into config.toml.
    pub key: &'static str,
    /// The value, in TOML (`"auto"`, `120`); `None` when unset.
    pub value: Option<String>,
    /// Where it comes from: `config.toml`, `default`, `NO_COLOR`, ….
    pub origin: String,
}

impl Config {
    /// Every setting in effect, given the config file's text (to tell a
    /// written value from a default) and the environment that bears on it.
    pub fn effective(
        &self,
        text: Option<&str>,
        no_color: Option<&std::ffi::OsStr>,
        browser_env: Option<&str>,
    ) -> Vec<Effective> {
        let table: toml::Table = text.and_then(|t| t.parse().ok()).unwrap_or_default();
        let written = |key: &str| match key.split_once('.') {
            Some((section, k)) => table.get(section).and_then(|v| v.get(k)).is_some(),
            None => table.contains_key(key),
        };
        let origin = |key: &str| {
            if written(key) {
                "config.toml"
            } else {
                "default"
            }
            .to_string()
        };
        let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
        // A setting written in config.toml or left at its default.
        let set = |key: &'static str, value: String| Effective {
            key,
            value: Some(value),
            origin: origin(key),
        };
        let browser = match (&self.browser, browser_env.filter(|b| !b.trim().is_empty())) {
            (Some(b), _) => (Some(quoted(b)), "config.toml".to_string()),
            (None, Some(env)) => (None, format!("unset: $BROWSER is used ({})", quoted(env))),
            (None, None) => (None, "unset: the system's opener is used".to_string()),
        };
        let theme = self.theme(no_color);
        let theme_origin = match (self.theme, no_color.is_some_and(|v| !v.is_empty())) {
            (Some(_), _) => "config.toml",
            (None, true) => "NO_COLOR",
            (None, false) => "default",
        };
        let mode = match self.sync.mode {
            SyncMode::Auto => "auto",
            SyncMode::Manual => "manual",
            SyncMode::Off => "off",
        };
        let theme_name = match theme {
            Theme::Dark => "dark",
            Theme::Light => "light",
            Theme::None => "none",
        };
        vec![
            Effective {
                key: "browser",
                value: browser.0,
                origin: browser.1,
            },
            Effective {
                key: "theme",
                value: Some(quoted(theme_name)),
                origin: theme_origin.to_string(),
            },
            set(
                "editor.autosave_after_ms",
                self.editor.autosave_after_ms.to_string(),
            ),
            set(
                "sessions.date_style",
                quoted(match self.sessions.date_style {
                    None | Some(DateStyle::MonthDayYear) => "Nov 23, 2026",
                    Some(DateStyle::MonthDay) => "Nov 23",
                    Some(DateStyle::FullMonthDayYear) => "November 23, 2026",
                }),
            ),
            set(
                "sessions.template",
                quoted(self.sessions.template.as_deref().unwrap_or("")),
            ),
            set("sync.mode", quoted(mode)),
            set("sync.commit_after", self.sync.commit_after.to_string()),
            set("sync.push_after", self.sync.push_after.to_string()),
            set("sync.pull_every", self.sync.pull_every.to_string()),
            set("check.concurrency", self.check.concurrency.to_string()),
            set("check.per_host", self.check.per_host.to_string()),
            set(
                "check.connect_timeout_secs",
                self.check.connect_timeout_secs.to_string(),
            ),
            set("check.timeout_secs", self.check.timeout_secs.to_string()),
            set(
                "check.recheck_after_days",
                self.check.recheck_after_days.to_string(),
            ),
            set("check.archive_api", quoted(&self.check.archive_api)),
            set(
                "check.private_redirects",
                self.check.private_redirects.to_string(),
            ),
            set(
                "fetch.refetch_after_days",
                self.fetch.refetch_after_days.to_string(),
            ),
            set("fetch.max_page_kb", self.fetch.max_page_kb.to_string()),
            set("fetch.titles_on_add", self.fetch.titles_on_add.to_string()),
            set(
                "fetch.title_timeout_secs",
                self.fetch.title_timeout_secs.to_string(),
            ),
            set(
                "fetch.keep_text_on_check",
                self.fetch.keep_text_on_check.to_string(),
            ),
            set("search.synonyms", {
                let pairs: Vec<String> = self
                    .search
                    .synonyms
                    .iter()
                    .map(|(k, v)| {
                        let words: Vec<String> = v.iter().map(|w| quoted(w)).collect();
                        format!("{} = [{}]", quoted(k), words.join(", "))
                    })
                    .collect();
                if pairs.is_empty() {
                    "{}".to_string()
                } else {
                    format!("{{ {} }}", pairs.join(", "))
                }
            }),
        ]
    }
}

/// A mistake in a config file, with its place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", if *line > 0 { format!(":{line}:{column}") } else { String::new() })]
pub struct ConfigError {
    /// The file, as given.
    pub file: String,
    /// 1-based line; 0 when not at a place in the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Config {
    /// Settings read from the text of a config file.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            ConfigError {
                file: file.to_string(),
                line,
                column,
                message: e.message().trim().replace('\n', " "),
            }
        })
    }

    /// Settings read from a file's text as far as they go: a mistake is
    /// returned beside every other setting, each key kept that reads on its
    /// own (a bad `theme` does not lose `notebook`). For commands that only
    /// read; the UI and commands that write use [`Config::parse`].
    pub fn parse_lenient(text: &str, file: &str) -> (Config, Option<ConfigError>) {
        let mistake = match Config::parse(text, file) {
            Ok(c) => return (c, None),
            Err(e) => e,
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            return (Config::default(), Some(mistake));
        };
        let reads = |t: &toml::Table| toml::Value::Table(t.clone()).try_into::<Config>().is_ok();
        let mut kept = toml::Table::new();
        for (key, value) in table {
            match value {
                toml::Value::Table(section) => {
                    let mut good = toml::Table::new();
                    for (sub, v) in section {
                        let mut one = toml::Table::new();
                        one.insert(sub.clone(), v.clone());
                        let mut probe = toml::Table::new();
                        probe.insert(key.clone(), toml::Value::Table(one));
                        if reads(&probe) {
                            good.insert(sub, v);
                        }
                    }
                    kept.insert(key, toml::Value::Table(good));
                }
                v => {
                    let mut probe = toml::Table::new();
                    probe.insert(key.clone(), v.clone());
                    if reads(&probe) {
                        kept.insert(key, v);
                    }
                }
            }
        }
        let config = toml::Value::Table(kept).try_into().unwrap_or_default();
        (config, Some(mistake))
    }

    /// Settings from a file; the defaults when it does not exist.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                file: path.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
            }),
        }
    }
}

/// The user's config file: `config.toml` in the config folder.
pub fn user_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsbook").map(|d| d.config_dir().join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_says_where_it_comes_from() {
        let text = "theme = \"light\"\n[sync]\nmode = \"manual\"\n";
        let c = Config::parse(text, "c.toml").unwrap();
        let lines: Vec<(String, String)> = c
            .effective(Some(text), None, Some("firefox"))
            .into_iter()
            .map(|e| {
                (
                    format!("{} = {}", e.key, e.value.unwrap_or_default()),
                    e.origin,
                )
            })
            .collect();
        let o = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            lines,
            [
                o("browser = ", "unset: $BROWSER is used (\"firefox\")"),
                o("theme = \"light\"", "config.toml"),
                o("editor.autosave_after_ms = 1000", "default"),
                o("sessions.date_style = \"Nov 23, 2026\"", "default"),
                o("sessions.template = \"\"", "default"),
                o("sync.mode = \"manual\"", "config.toml"),
                o("sync.commit_after = 120", "default"),
                o("sync.push_after = 10", "default"),
                o("sync.pull_every = 300", "default"),
                o("check.concurrency = 16", "default"),
                o("check.per_host = 2", "default"),
                o("check.connect_timeout_secs = 5", "default"),
                o("check.timeout_secs = 15", "default"),
                o("check.recheck_after_days = 7", "default"),
                o(
                    "check.archive_api = \"https://archive.org/wayback/available\"",
                    "default"
                ),
                o("check.private_redirects = false", "default"),
                o("fetch.refetch_after_days = 30", "default"),
                o("fetch.max_page_kb = 5120", "default"),
                o("fetch.titles_on_add = true", "default"),
                o("fetch.title_timeout_secs = 3", "default"),
                o("fetch.keep_text_on_check = false", "default"),
                o("search.synonyms = {}", "default"),
            ]
        );
        let none = Config::default().effective(None, Some(std::ffi::OsStr::new("1")), None);
        assert_eq!(
            (
                none[0].origin.as_str(),
                none[1].value.as_deref(),
                none[1].origin.as_str()
            ),
            (
                "unset: the system's opener is used",
                Some("\"none\""),
                "NO_COLOR"
            )
        );
    }

    #[test]
    fn the_theme_is_the_setting_else_none_under_no_color() {
        let no_color = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert_eq!(Config::default().theme(None), Theme::Dark);
        assert_eq!(Config::default().theme(empty), Theme::Dark);
        assert_eq!(Config::default().theme(no_color), Theme::None);
        let light = Config::parse("theme = \"light\"\n", "c.toml").unwrap();
        assert_eq!(light.theme(no_color), Theme::Light);
        assert_eq!(
            Config::parse("theme = \"solarized\"\n", "c.toml")
                .unwrap_err()
                .to_string(),
            "c.toml:1:9: unknown variant `solarized`, expected one of `dark`, `light`, `none`"
        );
    }

    #[test]
    fn the_date_style_of_new_sessions_is_one_the_reader_reads() {
        let c = Config::parse("[sessions]\ndate_style = \"Nov 23\"\n", "c.toml").unwrap();
        assert_eq!(c.sessions.date_style, Some(DateStyle::MonthDay));
        assert_eq!(
            Config::parse("[sessions]\ndate_style = \"2026-11-23\"\n", "c.toml")
                .unwrap_err()
                .to_string(),
            "c.toml:2:14: unknown variant `2026-11-23`, expected one of `Nov 23, 2026`, `Nov 23`, `November 23, 2026`"
        );
    }

    #[test]
    fn defaults_and_settings_and_mistakes_with_their_place() {
        assert_eq!(Config::parse("", "c.toml").unwrap(), Config::default());
        let c = Config::parse("[sync]\nmode = \"manual\"\npull_every = 60\n", "c.toml").unwrap();
        assert_eq!(c.sync.mode, SyncMode::Manual);
        assert_eq!(c.sync.pull_every(), Duration::from_secs(60));
        assert_eq!(c.sync.commit_after, 120);
        assert_eq!(
            Config::parse("[sync]\nmode = \"sometimes\"\n", "c.toml")
                .unwrap_err()
                .to_string(),
            "c.toml:2:8: unknown variant `sometimes`, expected one of `auto`, `manual`, `off`"
        );
        assert_eq!(
            Config::parse("[sync]\npull_evry = 1\n", "c.toml")
                .unwrap_err()
                .to_string(),
            "c.toml:2:1: unknown field `pull_evry`, expected one of `mode`, `commit_after`, `push_after`, `pull_every`"
        );
    }
}
