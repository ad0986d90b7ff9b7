//! What earlier checks found, kept in the data folder (`link-health.json`)
//! with the time of each check, so that links checked lately are not
//! fetched again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{FUTURE_SLACK, Health};

/// The results of earlier checks, by URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cache {
    links: BTreeMap<String, Health>,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    links: Vec<Health>,
}

impl FromIterator<Health> for Cache {
    /// A cache of these results (the last one of a URL wins).
    fn from_iter<I: IntoIterator<Item = Health>>(results: I) -> Cache {
        Cache {
            links: results.into_iter().map(|h| (h.url.clone(), h)).collect(),
        }
    }
}

/// Why the cache could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Reading or writing the file failed.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The file is not a cache this version reads.
    #[error("{0}: not a link-health cache ({1}): earlier results not used")]
    Format(PathBuf, String),
}

impl Cache {
    /// `link-health.json` in the user's data folder.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "opsbook")
            .map(|d| d.data_dir().join("link-health.json"))
    }

    /// The cache in `path`; empty when there is none yet.
    pub fn load(path: &Path) -> Result<Cache, CacheError> {
        let bytes = match crate::storage::read::read_bounded(path) {
            Ok(b) => b,
            Err(crate::storage::read::ReadError::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                return Ok(Cache::default());
            }
            Err(crate::storage::read::ReadError::Io(e)) => {
                return Err(CacheError::Io(path.to_path_buf(), e));
            }
            Err(other) => return Err(CacheError::Format(path.to_path_buf(), other.to_string())),
        };
        let file: File = serde_json::from_slice(&bytes)
            .map_err(|e| CacheError::Format(path.to_path_buf(), e.to_string()))?;
        if file.version != 1 {
            return Err(CacheError::Format(
                path.to_path_buf(),
                format!("version {}, this opsbook reads 1", file.version),
            ));
        }
        Ok(file.links.into_iter().collect())
    }

    /// The last result for a URL.
    pub fn get(&self, url: &str) -> Option<&Health> {
        self.links.get(url)
    }

    /// The last result for a URL if it still stands ([`Health::settled`]).
    pub fn fresh(&self, url: &str, now: i64, max_age_secs: i64) -> Option<&Health> {
        self.get(url).filter(|h| h.settled(now, max_age_secs))
    }

    /// Records a result, in place of any earlier one.
    pub fn insert(&mut self, health: Health) {
        self.links.insert(health.url.clone(), health);
    }

    /// Records a result read from another cache, unless this one holds a
    /// newer one (a time in the future counts as old).
    fn merge(&mut self, health: Health, now: i64) {
        let time = |h: &Health| {
            if h.checked_at > now + FUTURE_SLACK {
                i64::MIN
            } else {
                h.checked_at
            }
        };
        match self.links.get(&health.url) {
            Some(mine) if time(mine) >= time(&health) => {}
            _ => self.insert(health),
        }
    }

    /// Every result, by URL.
    pub fn iter(&self) -> impl Iterator<Item = &Health> {
        self.links.values()
    }

    /// How many URLs it holds.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Writes the cache to `path`, keeping what another opsbook wrote there
    /// since it was read (the newer result of each URL wins).
    pub fn save(self, path: &Path) -> Result<(), CacheError> {
        let now = super::now_secs();
        let mut merged = self;
        for h in Cache::load(path).unwrap_or_default().links.into_values() {
            merged.merge(h, now);
        }
        let file = File {
            version: 1,
            links: merged.links.into_values().collect(),
        };
        let json = serde_json::to_vec_pretty(&file)
            .map_err(|e| CacheError::Format(path.to_path_buf(), e.to_string()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CacheError::Io(dir.to_path_buf(), e))?;
        }
        crate::storage::atomic_write(path, &json).map_err(|e| CacheError::Io(path.to_path_buf(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::Status;

    #[test]
    fn results_are_kept_with_their_time_and_fresh_for_a_while() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/link-health.json");
        assert_eq!(Cache::load(&path).unwrap(), Cache::default());
        let mut c = Cache::default();
        c.insert(Health::new(
            "https://a.example/",
            Status::Dead,
            "HTTP 404",
            1_000,
        ));
        c.clone().save(&path).unwrap();
        let back = Cache::load(&path).unwrap();
        assert_eq!(back, c);
        let week = 7 * 86_400;
        assert!(
            back.fresh("https://a.example/", 1_000 + week - 1, week)
                .is_some()
        );
        assert!(
            back.fresh("https://a.example/", 1_000 + week, week)
                .is_none()
        );
        assert!(back.fresh("https://b.example/", 1_000, week).is_none());
        // A time far ahead of the clock is no fresh result.
        assert!(
            back.fresh("https://a.example/", 1_000 - 2 * 86_400, week)
                .is_none()
        );
    }

    #[test]
    fn a_result_from_the_future_on_disk_gives_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("link-health.json");
        let mut future = Cache::default();
        future.insert(Health::new(
            "https://a.example/",
            Status::Ok,
            "HTTP 200",
            99_999_999_999,
        ));
        future.save(&path).unwrap();
        let mut now = Cache::default();
        now.insert(Health::new(
            "https://a.example/",
            Status::Dead,
            "HTTP 404",
            crate::health::now_secs(),
        ));
        now.save(&path).unwrap();
        assert_eq!(
            Cache::load(&path)
                .unwrap()
                .get("https://a.example/")
                .map(|h| h.status),
            Some(Status::Dead)
        );
        std::fs::write(&path, r#"{"version": 99, "links": []}"#).unwrap();
        assert_eq!(
            Cache::load(&path).unwrap_err().to_string(),
            format!(
                "{}: not a link-health cache (version 99, this opsbook reads 1): earlier results not used",
                path.display()
            )
        );
    }

    #[test]
    fn a_newer_result_wins_and_another_writers_results_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("link-health.json");
        let mut mine = Cache::default();
        mine.insert(Health::new(
            "https://a.example/",
            Status::Ok,
            "HTTP 200",
            10,
        ));
        let mut theirs = Cache::default();
        theirs.insert(Health::new(
            "https://a.example/",
            Status::Dead,
            "HTTP 404",
            20,
        ));
        theirs.insert(Health::new(
            "https://b.example/",
            Status::Ok,
            "HTTP 200",
            20,
        ));
        theirs.save(&path).unwrap();
        mine.save(&path).unwrap();
        let back = Cache::load(&path).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(
            back.get("https://a.example/").map(|h| h.status),
            Some(Status::Dead)
        );
    }

    #[test]
    fn a_cache_that_is_not_one_is_reported_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("link-health.json");
        std::fs::write(&path, "not json").unwrap();
        let e = Cache::load(&path).unwrap_err().to_string();
        assert!(e.ends_with("): earlier results not used"), "{e}");
        assert!(!e.contains('\n'));
    }
}
