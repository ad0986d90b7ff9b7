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

/// The address that asks `api` for the copy of `url`.
pub fn query(api: &str, url: &str) -> Result<url::Url, ArchiveError> {
    url::Url::parse_with_params(api, [("url", url)]).map_err(|_| ArchiveError::BadApi(api.into()))
}

/// The snapshot in an availability answer, if it is a copy of a page that
/// answered (a copy of the 404 is no use).
pub fn parse(json: &str) -> Result<Option<Snapshot>, ArchiveError> {
    let a: Availability =
        serde_json::from_str(json).map_err(|e| ArchiveError::Answer(e.to_string()))?;
    Ok(a.archived_snapshots.closest.and_then(|c| {
        let good = c.available && (c.status.is_empty() || c.status.starts_with('2'));
        good.then(|| Snapshot {
            // The API answers with http:// addresses; the archive serves https.
            url: match c.url.strip_prefix("http://web.archive.org/") {
                Some(rest) => format!("https://web.archive.org/{rest}"),
                None => c.url,
            },
            timestamp: c.timestamp,
        })
    }))
}

/// Asks the archive at `api` for the closest copy of `url`.
pub fn lookup(agent: &Agent, api: &str, url: &str) -> Result<Option<Snapshot>, ArchiveError> {
    let address = query(api, url)?;
    let mut response = agent.get(address.as_str()).call().map_err(|e| {
        ArchiveError::Request(match e {
            ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => "not reached".to_string(),
            ureq::Error::Io(io) if super::check::lookup_failed(&io) => "not reached".to_string(),
            ureq::Error::Timeout(_) => "timed out".to_string(),
            e => e.to_string(),
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
        .map_err(|e| ArchiveError::Request(e.to_string()))?;
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
    }
}
