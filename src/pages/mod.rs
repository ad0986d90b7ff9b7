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

    /// The sentence of its text that holds the most of `words` (lowercase),
    /// on one line and at most `max` characters, with where in it each
    /// word stands.
    pub fn sentence_with(&self, words: &[String], max: usize) -> Option<String> {
        best_sentence(&self.text, words, max)
    }
}

/// The sentence of `text` holding the most of `words` (lowercase), first
/// among equals; `None` when none holds any.
pub fn best_sentence(text: &str, words: &[String], max: usize) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for sentence in sentences(text) {
        let lower = sentence.to_lowercase();
        let held = words
            .iter()
            .filter(|w| !w.is_empty() && lower.contains(w.as_str()))
            .count();
        if held > 0 && best.is_none_or(|(n, _)| held > n) {
            best = Some((held, sentence));
        }
    }
    let (_, sentence) = best?;
    let line = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        line
    })
}

/// The sentences of a text: split at `. `, `! `, `? ` and blank lines,
/// Markdown's marks at a line's start left out.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .flat_map(|para| {
            let mut out = Vec::new();
            let mut start = 0;
            let bytes = para.as_bytes();
            for i in 0..bytes.len() {
                if matches!(bytes[i], b'.' | b'!' | b'?')
                    && bytes.get(i + 1).is_some_and(|b| b.is_ascii_whitespace())
                {
                    out.push(&para[start..=i]);
                    start = i + 1;
                }
            }
            out.push(&para[start..]);
            out
        })
        .map(|s| s.trim().trim_start_matches(['#', '-', '*', '>', ' ']))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_holding_most_words_is_shown_on_one_line() {
        let text =
            "# Outage\n\nThe etcd cluster\nlost quorum. Then we restarted etcd! Nothing else.";
        let words = ["etcd".to_string(), "quorum".to_string()];
        assert_eq!(
            best_sentence(text, &words, 80).as_deref(),
            Some("The etcd cluster lost quorum.")
        );
        assert_eq!(
            best_sentence(text, &words, 10).as_deref(),
            Some("The etcd …")
        );
        assert_eq!(best_sentence(text, &["zzz".to_string()], 80), None);
    }
}
