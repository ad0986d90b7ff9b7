//! Which links a command works on: `--year`, `--tag`, `--document`.

use std::path::{Path, PathBuf};

use crate::notebook::{Bucket, LinkRef};

/// `--year` of `links`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearFilter {
    /// Filed under this year.
    Year(u16),
    /// Filed under General.
    General,
}

/// A `--year` that is neither a year nor `general`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a year such as 2023, or `general`, not `{0}`")]
pub struct YearFilterError(String);

impl std::str::FromStr for YearFilter {
    type Err = YearFilterError;
    fn from_str(s: &str) -> Result<Self, YearFilterError> {
        if s.eq_ignore_ascii_case("general") {
            return Ok(YearFilter::General);
        }
        s.parse()
            .map(YearFilter::Year)
            .map_err(|_| YearFilterError(s.to_string()))
    }
}

/// Whether a link passes `--year`, `--tag` and `--document` (a path
/// relative to the notebook).
pub fn chosen(
    l: &LinkRef<'_>,
    year: Option<YearFilter>,
    tag: Option<&str>,
    document: Option<&Path>,
) -> bool {
    let year_ok = match year {
        None => true,
        Some(YearFilter::General) => l.bucket() == Bucket::General,
        Some(YearFilter::Year(y)) => l.bucket() == Bucket::Year(y),
    };
    let tag_ok = tag.is_none_or(|t| l.doc.tags.iter().any(|d| d.eq_ignore_ascii_case(t)));
    year_ok && tag_ok && document.is_none_or(|d| l.doc.path == d)
}

/// `--document` names no note of the notebook.
#[derive(Debug, thiserror::Error)]
#[error("no note {} in the notebook", .0.display())]
pub struct NoDocument(pub PathBuf);
