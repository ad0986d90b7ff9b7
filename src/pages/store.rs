//! Where kept pages live: a file a page in `pages/` of the data folder
//! (`~/.local/share/opsbook/pages` on Linux), named by a hash of the
//! link's URL, JSON compressed with gzip. Never in the notebook: a page's
//! text is not the user's writing, and a notebook in git stays small.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::Page;

/// Kept pages above this size, decompressed, are taken as damaged.
const MAX_KEPT_BYTES: u64 = 64 << 20;

/// Why a kept page could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The disk refused.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The file is not a kept page (cut short, or written by something else).
    #[error("{0}: not a kept page ({1}); `opsbook fetch` fetches it again")]
    Damaged(PathBuf, String),
}

/// The folder of kept pages.
#[derive(Clone, Debug)]
pub struct PageStore {
    dir: PathBuf,
}

/// FNV-1a, 64 bits: stable across versions and machines, unlike std's hasher.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl PageStore {
    /// `pages/` in the user's data folder.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "opsbook").map(|d| d.data_dir().join("pages"))
    }

    /// The store in `dir` (made when the first page is kept).
    pub fn new(dir: impl Into<PathBuf>) -> PageStore {
        PageStore { dir: dir.into() }
    }

    /// Its folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of a URL's page.
    pub fn path_of(&self, url: &str) -> PathBuf {
        self.dir
            .join(format!("{:016x}.json.gz", fnv(url.as_bytes())))
    }

    /// The page kept for `url`, if any.
    pub fn get(&self, url: &str) -> Result<Option<Page>, StoreError> {
        let path = self.path_of(url);
        match read_page(&path) {
            Ok(page) => Ok(Some(page).filter(|p| p.url == url)),
            Err(StoreError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Keeps a page, in place of the one kept before (written whole, then
    /// renamed: a crash leaves the old one or the new one).
    pub fn put(&self, page: &Page) -> Result<(), StoreError> {
        let io = |e| StoreError::Io(self.dir.clone(), e);
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let json = serde_json::to_vec(page).map_err(|e| io(std::io::Error::other(e)))?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(io)?;
        {
            let mut gz = flate2::write::GzEncoder::new(&mut file, flate2::Compression::default());
            gz.write_all(&json).map_err(io)?;
            gz.finish().map_err(io)?;
        }
        file.as_file().sync_all().map_err(io)?;
        let path = self.path_of(&page.url);
        file.persist(&path)
            .map_err(|e| StoreError::Io(path, e.error))?;
        Ok(())
    }

    /// Keeps a page unless it would put a page without text in place of
    /// one with text (a site now answering with an empty shell, a login
    /// wall): the copy kept is what a dead link is read by. Whether it was
    /// kept.
    pub fn put_unless_emptier(&self, page: &Page) -> Result<bool, StoreError> {
        if page.text.trim().is_empty()
            && matches!(self.get(&page.url), Ok(Some(old)) if !old.text.trim().is_empty())
        {
            return Ok(false);
        }
        self.put(page).map(|()| true)
    }

    /// When the page of `url` was written, if one is kept (the file's
    /// time: no need to read the page).
    pub fn kept_at(&self, url: &str) -> Option<std::time::SystemTime> {
        std::fs::metadata(self.path_of(url)).ok()?.modified().ok()
    }

    /// Removes the page kept for `url`; whether there was one.
    pub fn forget(&self, url: &str) -> Result<bool, StoreError> {
        let path = self.path_of(url);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StoreError::Io(path, e)),
        }
    }

    /// Every kept page, and what could not be read.
    pub fn all(&self) -> (Vec<Page>, Vec<StoreError>) {
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (pages, errors),
            Err(e) => return (pages, vec![StoreError::Io(self.dir.clone(), e)]),
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
            .collect();
        paths.sort();
        for path in paths {
            match read_page(&path) {
                Ok(p) => pages.push(p),
                Err(e) => errors.push(e),
            }
        }
        (pages, errors)
    }

    /// Bytes the kept pages take on disk, and how many there are.
    pub fn usage(&self) -> (u64, usize) {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().to_string_lossy().ends_with(".json.gz"))
                    .fold((0, 0), |(bytes, n), e| {
                        (bytes + e.metadata().map_or(0, |m| m.len()), n + 1)
                    })
            })
            .unwrap_or((0, 0))
    }
}

fn read_page(path: &Path) -> Result<Page, StoreError> {
    let file = std::fs::File::open(path).map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(file)
        .take(MAX_KEPT_BYTES)
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Damaged(path.to_path_buf(), e.to_string()))?;
    serde_json::from_slice(&json)
        .map_err(|e| StoreError::Damaged(path.to_path_buf(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::PageKind;

    fn page(url: &str, text: &str) -> Page {
        Page {
            url: url.into(),
            final_url: url.into(),
            fetched_at: 1_790_000_000,
            kind: PageKind::Html,
            title: "T".into(),
            description: String::new(),
            text: text.into(),
            truncated: false,
        }
    }

    #[test]
    fn pages_are_kept_compressed_read_back_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::new(dir.path().join("pages"));
        assert_eq!(store.get("https://a.example/x").unwrap(), None);
        let long = "etcd lost quorum. ".repeat(200);
        store.put(&page("https://a.example/x", &long)).unwrap();
        let (bytes, n) = store.usage();
        assert_eq!(n, 1);
        assert!(
            bytes < 400,
            "compressed: {bytes} bytes for {} of text",
            long.len()
        );
        assert_eq!(
            store.get("https://a.example/x").unwrap().unwrap().text,
            long
        );
        assert_eq!(store.all().0.len(), 1);
        assert!(store.forget("https://a.example/x").unwrap());
        assert!(!store.forget("https://a.example/x").unwrap());
        assert_eq!(store.all().0.len(), 0);
    }

    #[test]
    fn a_page_with_text_is_not_replaced_by_one_without() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::new(dir.path());
        assert!(
            store
                .put_unless_emptier(&page("https://a.example/", "the postmortem"))
                .unwrap()
        );
        assert!(
            !store
                .put_unless_emptier(&page("https://a.example/", "  "))
                .unwrap()
        );
        assert_eq!(
            store.get("https://a.example/").unwrap().unwrap().text,
            "the postmortem"
        );
        assert!(
            store
                .put_unless_emptier(&page("https://a.example/", "updated"))
                .unwrap()
        );
        assert_eq!(
            store.get("https://a.example/").unwrap().unwrap().text,
            "updated"
        );
    }

    #[test]
    fn a_damaged_page_is_reported_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::new(dir.path());
        std::fs::write(store.path_of("https://a.example/"), b"not gzip").unwrap();
        let err = store.get("https://a.example/").unwrap_err();
        assert!(matches!(err, StoreError::Damaged(..)), "{err}");
        let (pages, errors) = store.all();
        assert_eq!((pages.len(), errors.len()), (0, 1));
    }
}
