//! The closest archived copy of a page, from the Wayback Machine's
//! availability API (`https://archive.org/wayback/available?url=…`).

use serde::Deserialize;
use ureq::Agent;

use super::Snapshot;

#[derive(Deserialize)]
struct Availability {
    #[serde(default)]
    archived_snapshots: Snapshots,
}

#[derive(Default, Deserialize)]
struct Snapshots {
    closest: Option<Closest>,
}

#[derive(Deserialize)]
struct Closest {
    #[serde(default)]
    available: bool,
    url: String,
    timestamp: String,
    #[serde(default)]
    status: String,
}

/// Why no copy could be looked up.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The setting is no URL.
    #[error("archive_api `{0}` is not a URL")]
    BadApi(String),
    /// The API could not be reached or answered with an error.
    #[error("archive {0}")]
    Request(String),
    /// The answer was not the API's JSON.
    #[error("the archive's answer was not understood: {0}")]
    Answer(String),
}

/// The address that asks `api` for the copy of `url` (a `url=` the setting
/// already has is replaced, never asked for every link).
pub fn query(api: &str, url: &str) -> Result<url::Url, ArchiveError> {
    let bad = || ArchiveError::BadApi(api.into());
    let mut address = url::Url::parse(api).map_err(|_| bad())?;
    if !matches!(address.scheme(), "http" | "https") || address.host_str().is_none() {
        return Err(bad());
    }
    let kept: Vec<(String, String)> = address
        .query_pairs()
        .filter(|(k, _)| k != "url")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    address
        .query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("url", url);
    Ok(address)
}

/// A snapshot as the archive names it, if it is one a note may link to:
/// an `http(s)` address on the Wayback Machine's own host, of the shape
/// `/web/STAMP/ORIGINAL`, taken on a day written as 14 digits, with no
/// character a reader could not see (controls, bidi, invisible ones).
fn snapshot(url: String, timestamp: String) -> Option<Snapshot> {
    let parsed = url::Url::parse(&url).ok()?;
    let web = matches!(parsed.scheme(), "http" | "https")
        && matches!(
            parsed.host_str(),
            Some("web.archive.org" | "wayback.archive.org")
        );
    let stamp = timestamp.len() == 14 && timestamp.bytes().all(|b| b.is_ascii_digit());
    let shaped = parsed
        .path()
        .strip_prefix("/web/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(s, original)| {
            s.len() >= 4 && s.bytes().take(4).all(|b| b.is_ascii_digit()) && !original.is_empty()
        });
    if !web || !stamp || !shaped || super::unsafe_url_char(&url).is_some() {
        return None;
    }
    Some(Snapshot {
        // The API answers with http:// addresses; the archive serves https.
        url: match url.strip_prefix("http://web.archive.org/") {
            Some(rest) => format!("https://web.archive.org/{rest}"),
            None => url,
        },
        timestamp,
    })
}

/// The snapshot in an availability answer, if it is a copy of a page that
/// answered (a copy of the 404 is no use).
pub fn parse(json: &str) -> Result<Option<Snapshot>, ArchiveError> {
    let a: Availability =
        serde_json::from_str(json).map_err(|e| ArchiveError::Answer(e.to_string()))?;
    Ok(a.archived_snapshots.closest.and_then(|c| {
        let good = c.available && (c.status.is_empty() || c.status.starts_with('2'));
        good.then(|| snapshot(c.url, c.timestamp)).flatten()
    }))
}

/// Asks the archive at `api` for the closest copy of `url`.
pub fn lookup(agent: &Agent, api: &str, url: &str) -> Result<Option<Snapshot>, ArchiveError> {
    let address = query(api, url)?;
    let mut response = agent.get(address.as_str()).call().map_err(|e| {
        ArchiveError::Request(match e {
            ureq::Error::Timeout(_) => "timed out".to_string(),
            _ => "not reached".to_string(),
        })
    })?;
    let code = response.status().as_u16();
    if code != 200 {
        return Err(ArchiveError::Request(format!("HTTP {code}")));
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .map_err(|e| {
            ArchiveError::Request(match e {
                ureq::Error::BodyExceedsLimit(_) => "answer over 1 MiB".to_string(),
                ureq::Error::Timeout(_) => "timed out".to_string(),
                _ => "answer not read".to_string(),
            })
        })?;
    parse(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_good_copy_is_taken_in_https() {
        let json = r#"{"url": "example.com/x", "archived_snapshots": {"closest": {"status": "200", "available": true, "url": "http://web.archive.org/web/20190312093015/https://example.com/x", "timestamp": "20190312093015"}}}"#;
        assert_eq!(
            parse(json).unwrap(),
            Some(Snapshot {
                url: "https://web.archive.org/web/20190312093015/https://example.com/x".into(),
                timestamp: "20190312093015".into(),
            })
        );
    }

    #[test]
    fn no_copy_a_copy_of_an_error_and_nonsense_are_told_apart() {
        assert_eq!(
            parse(r#"{"url": "x", "archived_snapshots": {}}"#).unwrap(),
            None
        );
        let of_404 = r#"{"archived_snapshots": {"closest": {"status": "404", "available": true, "url": "http://web.archive.org/web/2019/x", "timestamp": "2019"}}}"#;
        assert_eq!(parse(of_404).unwrap(), None);
        assert!(matches!(parse("<html>"), Err(ArchiveError::Answer(_))));
    }

    #[test]
    fn the_query_carries_the_url_encoded() {
        assert_eq!(
            query(
                "https://archive.org/wayback/available",
                "https://a.example/x?y=1&z"
            )
            .unwrap()
            .as_str(),
            "https://archive.org/wayback/available?url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1%26z"
        );
        assert!(matches!(query("nope", "x"), Err(ArchiveError::BadApi(_))));
        assert!(matches!(
            query("file:///etc/passwd", "x"),
            Err(ArchiveError::BadApi(_))
        ));
        assert_eq!(
            query("http://127.0.0.1:9/arch?url=foo&x=1", "https://a.example/")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9/arch?x=1&url=https%3A%2F%2Fa.example%2F"
        );
    }

    #[test]
    fn only_web_addresses_dated_in_digits_are_copies() {
        let answer = |url: &str, stamp: &str| {
            format!(
                r#"{{"archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": {}, "timestamp": {}}}}}}}"#,
                serde_json::to_string(url).unwrap(),
                serde_json::to_string(stamp).unwrap()
            )
        };
        for (url, stamp) in [
            ("javascript:alert(document.cookie)", "20190312093015"),
            ("file:///etc/passwd", "20190312093015"),
            ("/relative/copy", "20190312093015"),
            ("", "20190312093015"),
            ("https://web.archive.org/web/2019/x", "\u{1b}[2J"),
            ("https://web.archive.org/web/2019/x", "2019"),
        ] {
            assert_eq!(parse(&answer(url, stamp)).unwrap(), None, "{url} {stamp}");
        }
    }
}
