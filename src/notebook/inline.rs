//! What the two readers of inline Markdown (the fast one of `simple`, the
//! CommonMark one of `links`) share: the pieces and links they find, the
//! document's reference definitions, and bare URLs.

use std::collections::HashMap;
use std::ops::Range;

use linkify::{LinkFinder, LinkKind as FoundKind};

/// Reference definitions of a document (`[label]: url`), keyed by folded label.
#[derive(Default)]
pub struct RefDefs {
    /// Folded label → target, and where the target stands in the source when verbatim.
    urls: HashMap<String, (String, Option<Range<usize>>)>,
}

impl RefDefs {
    /// Each folded label's target and where it stands, in label order.
    #[cfg(test)]
    pub(super) fn entries(&self) -> Vec<(String, String, Option<Range<usize>>)> {
        let mut v: Vec<_> = self
            .urls
            .iter()
            .map(|(k, (u, at))| (k.clone(), u.clone(), at.clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// A label's target.
    pub(super) fn get(&self, label: &str) -> Option<&str> {
        self.urls.get(&fold_label(label)).map(|(u, _)| u.as_str())
    }

    /// Where a label's target stands in the document's source.
    pub(super) fn source_range(&self, label: &str) -> Option<Range<usize>> {
        self.urls
            .get(&fold_label(label))
            .and_then(|(_, at)| at.clone())
    }

    /// Keeps the first definition of a label, as CommonMark does.
    pub(super) fn define(&mut self, label: &str, url: String, at: Option<Range<usize>>) {
        self.urls
            .entry(fold_label(label))
            .or_insert_with(|| (url, at));
    }
}

/// A label as CommonMark compares labels: spaces collapsed, case folded.
fn fold_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A string found in a node's text: where it stands verbatim, or a copy when
/// unescaping or joining made it differ from the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Byte range in the node's text.
    At(Range<usize>),
    /// Not verbatim in the source.
    Owned(String),
    /// Byte range in the document's source, outside the node (the target of
    /// a reference link, in its definition).
    Source(Range<usize>),
}

impl Piece {
    /// The string, given the node's text.
    pub fn get<'a>(&'a self, text: &'a str, source: &'a str) -> &'a str {
        match self {
            Piece::At(r) => &text[r.clone()],
            Piece::Owned(s) => s,
            Piece::Source(r) => &source[r.clone()],
        }
    }
}

/// A link found in one node's text, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundLink {
    /// Text shown.
    pub text: Piece,
    /// Target.
    pub url: Piece,
    /// Where the link starts in the node's text.
    pub offset: usize,
}

/// The finder of bare URLs (`https://…` in text).
pub(super) fn bare_url_finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.kinds(&[FoundKind::Url]);
    finder
}

/// Bare URLs of `s`, which stands at `range` of the node's text: URLs with
/// a scheme (linkify), then GFM's `www.` links and bare e-mail addresses
/// where they do not stand inside one, in order.
pub(super) fn bare_urls(
    finder: &LinkFinder,
    s: &str,
    range: Range<usize>,
    found: &mut Vec<FoundLink>,
) {
    let first = found.len();
    if s.contains(':') {
        for link in finder.links(s) {
            let at = range.start + link.start()..range.start + link.end();
            // A backslash stays in the address, written as the references
            // write it: a browser would read `\` as `/`.
            let url = if link.as_str().contains('\\') {
                Piece::Owned(link.as_str().replace('\\', "%5C"))
            } else {
                Piece::At(at.clone())
            };
            found.push(FoundLink {
                text: Piece::At(at.clone()),
                url,
                offset: at.start,
            });
        }
    }
    let with_scheme = found.len();
    let inside = |found: &[FoundLink], r: &Range<usize>| {
        found[first..with_scheme].iter().any(|f| match &f.text {
            Piece::At(at) => at.start < range.start + r.end && range.start + r.start < at.end,
            _ => false,
        })
    };
    if memchr::memmem::find(s.as_bytes(), b"www.").is_some() {
        for r in super::autolink::www_links(s) {
            if !inside(found, &r) {
                let at = range.start + r.start..range.start + r.end;
                found.push(FoundLink {
                    url: Piece::Owned(format!("http://{}", &s[r])),
                    text: Piece::At(at.clone()),
                    offset: at.start,
                });
            }
        }
    }
    if memchr::memchr(b'@', s.as_bytes()).is_some() {
        for r in super::autolink::email_links(s) {
            if !inside(found, &r) {
                let at = range.start + r.start..range.start + r.end;
                found.push(FoundLink {
                    url: Piece::Owned(format!("mailto:{}", &s[r])),
                    text: Piece::At(at.clone()),
                    offset: at.start,
                });
            }
        }
    }
    if found.len() > with_scheme {
        found[first..].sort_by_key(|f| f.offset);
    }
}
