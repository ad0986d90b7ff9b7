//! Link health: whether each web link still answers, where it moved, and the
//! archived copy of one that is gone. Knows nothing of the terminal; the
//! network is reached only in [`check`] and [`archive`], the disk only in
//! [`cache`].

pub mod archive;
pub mod cache;
pub mod check;
pub mod pool;
pub mod resolve;

use serde::{Deserialize, Serialize};

use crate::notebook::LinkKind;

/// What a check found for one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The page answers (2xx).
    Ok,
    /// The page answers at another address.
    Redirected,
    /// 404, 410 or a host that no longer exists.
    Dead,
    /// Timeouts, resets, 5xx, refusals: not known to be dead.
    Error,
    /// Not checked: mailto, placeholder, relative links.
    Skipped,
}

impl Status {
    /// The word shown and written (`ok`, `dead` …).
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Redirected => "redirected",
            Status::Dead => "dead",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// An archived copy of a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Where the copy is.
    pub url: String,
    /// When it was taken, `YYYYMMDDhhmmss`.
    pub timestamp: String,
}

impl Snapshot {
    /// The day it was taken, `2019-03-12`.
    pub fn day(&self) -> String {
        let t = &self.timestamp;
        match (t.get(0..4), t.get(4..6), t.get(6..8)) {
            (Some(y), Some(m), Some(d)) => format!("{y}-{m}-{d}"),
            _ => t.clone(),
        }
    }
}

/// The health of one link, as checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// The link's URL, as written in the note.
    pub url: String,
    /// What the check found.
    pub status: Status,
    /// The last HTTP status code, if a server answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Why, in a few words (`HTTP 404`, `unknown host`, `timed out`).
    pub reason: String,
    /// Where the redirects ended, when there were any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Whether every redirect was permanent (301, 308): then the link may be
    /// rewritten to `final_url`.
    #[serde(default)]
    pub permanent: bool,
    /// When it was checked, in seconds since 1970.
    pub checked_at: i64,
    /// The closest archived copy of a dead link, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<Snapshot>,
    /// Why the archive could not be asked for a copy of a dead link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_error: Option<String>,
}

impl Health {
    /// A result without a server's answer.
    pub fn new(url: &str, status: Status, reason: impl Into<String>, checked_at: i64) -> Health {
        Health {
            url: url.to_string(),
            status,
            code: None,
            reason: reason.into(),
            final_url: None,
            permanent: false,
            checked_at,
            archived: None,
            archive_error: None,
        }
    }

    /// Whether this result still stands at `now`: younger than
    /// `max_age_secs`, not from the future (a clock once ahead must not pin
    /// a result), not a passing failure, and not waiting for the archive.
    pub fn settled(&self, now: i64, max_age_secs: i64) -> bool {
        let age = now.saturating_sub(self.checked_at);
        (-FUTURE_SLACK..max_age_secs).contains(&age)
            && self.status != Status::Error
            && self.archive_error.is_none()
    }

    /// The URL a fix would write: the archived copy of a dead link, or the
    /// target of a permanent redirect.
    pub fn fix(&self) -> Option<(&str, FixKind)> {
        match self.status {
            Status::Dead => self
                .archived
                .as_ref()
                .map(|s| (s.url.as_str(), FixKind::Archived)),
            Status::Redirected if self.permanent => {
                self.final_url.as_deref().map(|u| (u, FixKind::Redirect))
            }
            _ => None,
        }
    }

    /// One line: `dead: HTTP 404`, `moved permanently to https://…`.
    pub fn summary(&self) -> String {
        match (&self.status, &self.final_url) {
            (Status::Redirected, Some(to)) => format!("{} → {to}", self.reason),
            (s, _) => format!("{}: {}", s.word(), self.reason),
        }
    }
}

/// Seconds a result's time may lie ahead of the clock and still count.
pub(crate) const FUTURE_SLACK: i64 = 86_400;

/// What a fix rewrites a link to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// The archived copy of a dead page.
    Archived,
    /// The target of a permanent redirect.
    Redirect,
}

/// Why a link is not fetched, if it is not: only `http` and `https` links
/// to a host are.
pub fn skip_reason(url: &str, kind: LinkKind) -> Option<&'static str> {
    match kind {
        LinkKind::Mailto => Some("mailto link"),
        LinkKind::Placeholder => Some("placeholder"),
        LinkKind::Relative => Some("relative link"),
        LinkKind::Other => Some("not a web link"),
        LinkKind::Web => match url::Url::parse(url) {
            // A copy in a web archive is kept for good: checking it would
            // only look for a copy of the copy.
            Ok(u) if u.host_str().is_some_and(is_archive_host) => Some("an archived copy"),
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => None,
            _ => Some("not a web address"),
        },
    }
}

/// Whether a host is a web archive's, whose pages are copies kept for good.
fn is_archive_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    [
        "web.archive.org",
        "archive.org",
        "archive.today",
        "archive.ph",
        "archive.is",
    ]
    .iter()
    .any(|a| host == *a || host.ends_with(&format!(".{a}")))
}

/// The host a request goes to, with its port: what the per-host limit counts.
pub fn host_key(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_ascii_lowercase();
            Some(format!("{host}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_default()
}

/// Counts of each status, for the closing line of a check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Links that answered.
    pub ok: usize,
    /// Links that moved.
    pub redirected: usize,
    /// Links that are gone.
    pub dead: usize,
    /// Links that could not be checked this time.
    pub error: usize,
    /// Links not fetched.
    pub skipped: usize,
}

impl Tally {
    /// Counts one result.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Ok => self.ok += 1,
            Status::Redirected => self.redirected += 1,
            Status::Dead => self.dead += 1,
            Status::Error => self.error += 1,
            Status::Skipped => self.skipped += 1,
        }
    }

    /// `12 ok · 1 redirected · 2 dead · 0 errors · 3 skipped`.
    pub fn line(&self) -> String {
        format!(
            "{} ok · {} redirected · {} dead · {} {} · {} skipped",
            self.ok,
            self.redirected,
            self.dead,
            self.error,
            if self.error == 1 { "error" } else { "errors" },
            self.skipped
        )
    }
}

/// Seconds since 1970, now.
pub fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// `2026-11-29 14:02` in the local time zone, for "checked at".
pub fn local_time(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The first character of a URL that no note should hold: a control, a
/// bidirectional override or mark, or an invisible one (zero-width spaces
/// and joiners, soft hyphen, word joiner, BOM), which would make the link
/// read as another.
pub fn unsafe_url_char(url: &str) -> Option<char> {
    url.chars().find(|&c| {
        c.is_control()
            || matches!(
                c,
                '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}'
                    | '\u{17b5}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                    | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{3164}' | '\u{feff}'
                    | '\u{ffa0}'
            )
    })
}

/// Whether an address is one a redirect from the web must not lead to:
/// loopback, private, link-local, unspecified, shared (CGNAT) or broadcast;
/// IPv6's loopback, unique-local, link-local, unspecified, and IPv4 mapped
/// into IPv6 by the same rules.
pub fn is_private(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_to_a_host_are_fetched() {
        assert_eq!(skip_reason("https://a.example/x", LinkKind::Web), None);
        assert_eq!(
            skip_reason("mailto:a@b.example", LinkKind::Mailto),
            Some("mailto link")
        );
        assert_eq!(skip_reason("#", LinkKind::Placeholder), Some("placeholder"));
        assert_eq!(
            skip_reason("/info/x", LinkKind::Relative),
            Some("relative link")
        );
        assert_eq!(
            skip_reason("https://", LinkKind::Web),
            Some("not a web address")
        );
        assert_eq!(
            skip_reason(
                "https://web.archive.org/web/2019/https://a.example/",
                LinkKind::Web
            ),
            Some("an archived copy")
        );
    }

    #[test]
    fn hosts_are_counted_with_their_port() {
        assert_eq!(host_key("https://A.example/x"), "a.example:443");
        assert_eq!(host_key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(host_key("nope"), "");
    }

    #[test]
    fn a_fix_is_offered_for_dead_links_with_a_copy_and_permanent_moves() {
        let mut h = Health::new("https://a.example/x", Status::Dead, "HTTP 404", 0);
        assert_eq!(h.fix(), None);
        h.archived = Some(Snapshot {
            url: "https://web.archive.org/web/20190312093015/https://a.example/x".into(),
            timestamp: "20190312093015".into(),
        });
        assert_eq!(
            h.fix(),
            Some((
                "https://web.archive.org/web/20190312093015/https://a.example/x",
                FixKind::Archived
            ))
        );
        assert_eq!(
            h.archived.as_ref().map(Snapshot::day).as_deref(),
            Some("2019-03-12")
        );
        let mut moved = Health::new("http://a.example/x", Status::Redirected, "moved for now", 0);
        moved.final_url = Some("https://a.example/x".into());
        assert_eq!(moved.fix(), None);
        assert_eq!(moved.summary(), "moved for now → https://a.example/x");
        moved.permanent = true;
        moved.reason = "moved permanently".into();
        assert_eq!(
            moved.fix(),
            Some(("https://a.example/x", FixKind::Redirect))
        );
        assert_eq!(moved.summary(), "moved permanently → https://a.example/x");
    }

    #[test]
    fn a_result_stands_while_young_and_not_a_passing_failure() {
        let week = 7 * 86_400;
        let ok = Health::new("https://a.example/", Status::Ok, "HTTP 200", 1_000_000);
        assert!(ok.settled(1_000_000 + week - 1, week));
        assert!(!ok.settled(1_000_000 + week, week));
        assert!(!ok.settled(1_000_000 - 2 * 86_400, week));
        let failed = Health::new("https://a.example/", Status::Error, "timed out", 1_000_000);
        assert!(!failed.settled(1_000_000, week));
        let mut dead = Health::new("https://a.example/", Status::Dead, "HTTP 404", 1_000_000);
        assert!(dead.settled(1_000_000, week));
        dead.archive_error = Some("archive not reached".into());
        assert!(!dead.settled(1_000_000, week));
    }

    #[test]
    fn the_tally_line_counts_each_status() {
        let mut t = Tally::default();
        for s in [
            Status::Ok,
            Status::Ok,
            Status::Dead,
            Status::Error,
            Status::Skipped,
        ] {
            t.add(s);
        }
        assert_eq!(
            t.line(),
            "2 ok · 0 redirected · 1 dead · 1 error · 1 skipped"
        );
    }
}
