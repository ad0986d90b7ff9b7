//! The text of linked pages, kept so that search reads what a page says
//! and a dead link can still be read: what a fetch keeps ([`Page`]), how a
//! page's readable text is taken from its HTML ([`extract`]), and where it
//! is kept ([`store`], the data folder, never the notebook). Knows nothing
//! of the terminal; the network is reached through [`crate::health`].

pub mod extract;
pub mod store;

use serde::{Deserialize, Serialize};

/// What a linked page was, as fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// An HTML page: its readable text is kept.
    Html,
    /// Plain text, kept as it is.
    Text,
    /// A PDF: recorded, without text.
    Pdf,
    /// Anything else (an image, an archive): its media type, without text.
    Other(String),
}

impl PageKind {
    /// A word or two for what it is (`HTML`, `PDF`, `image/png`).
    pub fn label(&self) -> &str {
        match self {
            PageKind::Html => "HTML",
            PageKind::Text => "text",
            PageKind::Pdf => "PDF",
            PageKind::Other(mime) if mime.is_empty() => "unknown type",
            PageKind::Other(mime) => mime,
        }
    }
}

/// A linked page as kept: its readable text, title, description and when
/// it was fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The link's URL, as written in the note.
    pub url: String,
    /// Where the redirects ended.
    pub final_url: String,
    /// When it was fetched, in seconds since 1970.
    pub fetched_at: i64,
    /// What it was.
    pub kind: PageKind,
    /// Its title (empty when it has none).
    pub title: String,
    /// Its description or first sentences (empty when it has none).
    pub description: String,
    /// The article's text as Markdown: headings, paragraphs, lists and
    /// links, without menus, sidebars and footers.
    pub text: String,
    /// Whether the page was longer than `[fetch] max_page_kb` and cut.
    pub truncated: bool,
}

impl Page {
    /// The day it was fetched, `2026-11-29` (local time).
    pub fn day(&self) -> String {
        crate::health::local_time(self.fetched_at)
            .chars()
            .take(10)
            .collect()
    }

    /// Whether it was fetched less than `max_age_secs` before `now`.
    pub fn fresh(&self, now: i64, max_age_secs: i64) -> bool {
        now.saturating_sub(self.fetched_at) < max_age_secs
    }

    /// What search reads of it.
    pub fn into_words(self) -> crate::search::pages::PageWords {
        crate::search::pages::PageWords {
            url: self.url,
            title: self.title,
            text: self.text,
        }
    }

    /// Its first lines of text, at most `n` that say something.
    pub fn first_lines(&self, n: usize) -> Vec<&str> {
        self.text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(n)
            .collect()
    }

    /// The links of its text, `(text, url)`, in order, each URL once.
    pub fn links(&self) -> Vec<(String, String)> {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut open: Option<(String, String)> = None;
        for event in Parser::new(&self.text) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    open = Some((String::new(), dest_url.to_string()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((text, _)) = open.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::End(TagEnd::Link) => {
                    if let Some((text, url)) = open.take()
                        && (url.starts_with("http://") || url.starts_with("https://"))
                        && seen.insert(url.clone())
                    {
                        out.push((text.trim().to_string(), url));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Bytes of a page's text looked at for the sentence under a search
/// result: enough for an article, little enough for every frame.
pub const SENTENCE_SCAN_BYTES: usize = 64 * 1024;

/// The sentence of the start of `text` (its first [`SENTENCE_SCAN_BYTES`])
/// holding the most distinct words that `marks` finds in it, when more
/// than `more_than`; only sentences holding one of `probes` (lowercase) are
/// marked at all. On one line, at most `max` characters.
pub fn best_sentence(
    text: &str,
    probes: &[String],
    marks: impl Fn(&str) -> Vec<std::ops::Range<usize>>,
    more_than: usize,
    max: usize,
) -> Option<String> {
    let mut end = text.len().min(SENTENCE_SCAN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut best: Option<(usize, &str)> = None;
    for span in sentence_spans(text) {
        let sentence = &text[span];
        let lower = sentence.to_lowercase();
        if !probes.iter().any(|p| lower.contains(p.as_str())) {
            continue;
        }
        let mut words: Vec<String> = marks(sentence)
            .into_iter()
            .filter_map(|r| sentence.get(r))
            .map(str::to_lowercase)
            .collect();
        words.sort();
        words.dedup();
        if words.len() > more_than && best.is_none_or(|(n, _)| words.len() > n) {
            best = Some((words.len(), sentence));
        }
    }
    let (_, sentence) = best?;
    let line = sentence
        .trim_start_matches(['#', '-', '*', '>', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        line
    })
}

/// The byte ranges of a text's sentences: split at `. `, `! `, `? ` and
/// line ends.
fn sentence_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..bytes.len() {
        let end = match bytes[i] {
            b'\n' => Some(i),
            b'.' | b'!' | b'?' if bytes.get(i + 1).is_some_and(|b| b.is_ascii_whitespace()) => {
                Some(i + 1)
            }
            _ => None,
        };
        if let Some(end) = end {
            if !text[start..end].trim().is_empty() {
                out.push(start..end);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_with_most_marked_words_is_chosen_when_it_says_more() {
        let text = "Intro line.\nThe etcd members restarted. Quorum was lost,\nthen etcd quorum came back.";
        let marks = |s: &str| -> Vec<std::ops::Range<usize>> {
            ["etcd", "quorum"]
                .iter()
                .flat_map(|w| {
                    s.match_indices(w)
                        .map(|(i, m)| i..i + m.len())
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let probes = ["etcd".to_string(), "quor".to_string()];
        assert_eq!(
            best_sentence(text, &probes, marks, 0, 80).as_deref(),
            Some("then etcd quorum came back.")
        );
        assert_eq!(best_sentence(text, &probes, marks, 2, 80), None);
        // Only sentences holding a probe are marked.
        assert_eq!(
            best_sentence(text, &["zzz".to_string()], marks, 0, 80),
            None
        );
    }

    #[test]
    fn a_huge_page_is_read_only_at_its_start_for_a_sentence() {
        let mut text = "filler words here. ".repeat(SENTENCE_SCAN_BYTES / 19 + 1);
        text.push_str("The etcd quorum was lost.");
        let marks = |s: &str| -> Vec<std::ops::Range<usize>> {
            s.match_indices("etcd")
                .map(|(i, m)| i..i + m.len())
                .collect()
        };
        assert_eq!(
            best_sentence(&text, &["etcd".to_string()], marks, 0, 80),
            None
        );
    }
}
