//! What sits over the views: the main area shows the tree, the search pane
//! or the editor; at most one overlay (help, a prompt, a question) takes the
//! keys above it. `App::mode` is derived from these, so no two can fight.

use std::path::PathBuf;

use super::action::Mode;
use super::editor::Editor;
use crate::notebook::NodeId;
use crate::storage::journal::Entry;

/// What the main area shows.
pub enum Main {
    /// The navigation tree and the detail pane.
    Browse,
    /// The search pane.
    Search(Search),
    /// The editor pane beside the tree.
    Edit(Box<Editor>),
    /// A link's kept page (`v`).
    Read(Box<Reader>),
}

/// A layer over the main area that takes the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of a mode.
    Help {
        /// The mode described.
        mode: Mode,
        /// Scroll.
        scroll: u16,
    },
    /// A one-line prompt.
    Prompt(Prompt),
    /// Choosing between my lines and theirs, hunk by hunk.
    Merge(MergeView),
    /// A question, and the two versions it is about when the user looks.
    Question {
        /// What is asked.
        question: Question,
        /// Both versions shown (`b`), until closed.
        diff: Option<DiffView>,
    },
}

/// What the search pane searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Link text, URL and heading path.
    Links,
    /// All note text: headings, items, paragraphs.
    Notes,
}

/// The open search pane.
#[derive(Clone, Debug)]
pub struct Search {
    /// Links or notes.
    pub scope: Scope,
    /// As typed.
    pub query: String,
    /// Ids of the results of the newest answered query, best first.
    pub hits: Vec<u32>,
    /// The query the hits answer.
    pub answered: Option<String>,
    /// The hits are all the matches, not the best found so far.
    pub complete: bool,
    /// Candidates in all.
    pub total: usize,
    /// Selected result.
    pub selected: usize,
    /// First result on screen.
    pub offset: usize,
}

impl Search {
    /// A new, empty search.
    pub fn new(scope: Scope, total: usize) -> Search {
        Search {
            scope,
            query: String::new(),
            hits: Vec::new(),
            answered: None,
            complete: false,
            total,
            selected: 0,
            offset: 0,
        }
    }

    /// Whether the shown results are for an older query than the one typed.
    pub fn is_refining(&self) -> bool {
        self.answered.as_deref() != Some(self.query.as_str()) || !self.complete
    }
}

/// A question waiting for an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Open a link whose host may pass for another.
    OpenSuspiciousHost {
        /// The URL.
        url: String,
        /// What the link reads as.
        decoded: String,
        /// The host on the wire.
        raw: String,
        /// Why it may deceive.
        why: String,
    },
    /// Open a link a check found dead? Its archived copy is offered.
    OpenDead {
        /// The URL.
        url: String,
        /// Why it is dead (`HTTP 404`).
        reason: String,
        /// The closest archived copy and its day, if one was found.
        archived: Option<(String, String)>,
        /// The link, to rewrite to the copy.
        link: Option<crate::notebook::LinkId>,
        /// The day its page was kept (`opsbook fetch`), if it was.
        kept: Option<String>,
        /// Whether copies are not looked up (`check.archive_api = ""`).
        archive_off: bool,
    },
    /// The file being saved changed on disk, and changed the lines I
    /// changed: merge hunk by hunk, reload, overwrite, or look.
    Conflict {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// What is on disk now.
        disk: String,
        /// Hunks changed on both sides.
        hunks: usize,
    },
    /// The file being edited is gone from disk: recreate it, save the text
    /// as a new note, or discard it.
    Gone {
        /// The file, relative to the notebook.
        path: PathBuf,
    },
    /// Throw away the editor's unsaved text? Asked once more.
    DiscardUnsaved {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// Lines that would be lost.
        lines: usize,
    },
    /// Overwriting would drop lines written on disk: say which, then ask.
    Overwrite {
        /// The file, relative to the notebook.
        path: PathBuf,
        /// What is on disk now.
        disk: String,
        /// Lines on disk that my version does not have.
        drops: Vec<String>,
    },
    /// Unsaved text from an earlier run: recover, keep for later, discard.
    Recover {
        /// The journal entry (its file relative to the notebook).
        entry: Entry,
        /// The file is unchanged since: the text can go back where it was.
        in_place: bool,
        /// The text the entry would replace, as the file has it now.
        current: String,
    },
}

/// Where a new link goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkDest {
    /// At the end of a section's own items.
    Section {
        /// Document index.
        doc: usize,
        /// Heading node (or the root).
        node: NodeId,
    },
    /// Under a year heading of a post-mortem document.
    Postmortem {
        /// Document index.
        doc: usize,
    },
}

/// What a one-line prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The title of today's session.
    SessionTitle {
        /// The calendar's document.
        doc: usize,
    },
    /// The URL of a new link.
    LinkUrl(LinkDest),
    /// Its title.
    LinkTitle(LinkDest, String),
    /// The year of a new postmortem link.
    LinkYear {
        /// Document index.
        doc: usize,
        /// The URL.
        url: String,
        /// The title.
        title: String,
    },
    /// The title of a new postmortem document.
    PostmortemTitle,
    /// The file name of a new note, and what goes in it (`None`: a heading).
    NoteName {
        /// The editor's text, saved as a new note.
        body: Option<String>,
    },
    /// Words to find in the page the reader shows.
    FindInPage,
}

/// A one-line prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What it asks for.
    pub purpose: Purpose,
    /// The question shown.
    pub label: String,
    /// What has been typed.
    pub input: String,
}

/// A read-only view of two versions of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffView {
    /// Title.
    pub title: String,
    /// Unified diff lines.
    pub lines: Vec<String>,
    /// Scroll.
    pub scroll: u16,
}

/// Whose merge is being chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeTarget {
    /// The editor's save found the file changed on disk.
    Editor {
        /// What is on disk (theirs), to write over once chosen.
        disk: String,
    },
    /// A sync found a note changed on the same lines on both sides.
    Sync,
}

/// A merge being chosen: the pieces of the three-way merge and what the
/// user chose for each conflicting hunk so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeView {
    /// The file, relative to the notebook.
    pub path: PathBuf,
    /// Whose merge it is: the editor's save, or a sync.
    pub target: MergeTarget,
    /// The merge.
    pub merge: crate::notebook::merge::Merge,
    /// One per conflicting hunk, in order.
    pub choices: Vec<Option<crate::notebook::merge::Choice>>,
    /// The hunk shown.
    pub current: usize,
}

/// The reader pane: a kept page's text, wrapped to the screen.
#[derive(Clone, Debug)]
pub struct Reader {
    /// The link's URL.
    pub url: String,
    /// The page's title (the URL when it has none).
    pub title: String,
    /// When it was kept, where it ended, whether it was cut.
    pub about: String,
    /// The text and the page's links, as lines to wrap.
    pub text: Vec<String>,
    /// `text` wrapped to `width`.
    pub lines: Vec<String>,
    /// The line of `text` each of `lines` is part of.
    line_of: Vec<u32>,
    /// The width `lines` are wrapped to.
    pub width: usize,
    /// First line shown.
    pub scroll: usize,
    /// What `/` looks for, once asked.
    pub find: Option<String>,
    /// The search pane it was opened from, shown again when it closes.
    pub back: Option<Search>,
}

impl Reader {
    /// A reader of `page`, its lines wrapped to `width`.
    pub fn new(page: &crate::pages::Page, width: usize, back: Option<Search>) -> Reader {
        let mut about = format!("kept {}", page.day());
        if !page.final_url.is_empty() && page.final_url != page.url {
            about.push_str(&format!(" · from {}", page.final_url));
        }
        if page.truncated {
            about.push_str(" · cut: the page was longer than [fetch] max_page_kb");
        }
        let mut text: Vec<String> = Vec::new();
        if !page.description.is_empty() {
            text.push(format!("> {}", page.description));
            text.push(String::new());
        }
        let links = page.links();
        if page.text.is_empty() {
            text.push(format!("({}: kept without text)", page.kind.label()));
        } else {
            text.extend(
                numbered_links(&page.text, &links)
                    .lines()
                    .map(str::to_string),
            );
        }
        if !links.is_empty() {
            text.push(String::new());
            text.push(format!("Links in the page ({})", links.len()));
            for (i, (label, url)) in links.iter().enumerate() {
                text.push(format!("[{}] {label} {url}", i + 1));
            }
        }
        let mut reader = Reader {
            url: page.url.clone(),
            title: if page.title.is_empty() {
                page.url.clone()
            } else {
                page.title.clone()
            },
            about,
            text,
            lines: Vec::new(),
            line_of: Vec::new(),
            width: 0,
            scroll: 0,
            find: None,
            back,
        };
        reader.wrap(width);
        reader
    }

    /// Wraps the text to `width` columns, keeping the line in sight.
    pub fn wrap(&mut self, width: usize) {
        let width = width.max(10);
        if width == self.width {
            return;
        }
        // The line of the text at the top stays at the top.
        let top = self.line_of.get(self.scroll).copied().unwrap_or(0);
        self.width = width;
        self.lines.clear();
        self.line_of.clear();
        for (i, l) in self.text.iter().enumerate() {
            for row in wrap_line(l, width) {
                self.lines.push(row);
                self.line_of.push(i as u32);
            }
        }
        self.scroll = self.line_of.partition_point(|&i| i < top);
    }

    /// Lines holding what `/` looks for, and which of them is at the top
    /// (1-based), for `3/7` beside the page.
    pub fn match_count(&self) -> Option<(usize, usize)> {
        let needle = self.find.as_deref()?.to_lowercase();
        let mut at = 0;
        let mut n = 0;
        for (i, l) in self.lines.iter().enumerate() {
            if l.to_lowercase().contains(&needle) {
                n += 1;
                if i <= self.scroll {
                    at = n;
                }
            }
        }
        Some((at, n))
    }

    /// The next line (after the one in sight, or before it when `back`)
    /// holding what `/` looks for, wrapping around.
    pub(super) fn next_match(&self, from: usize, back: bool) -> Option<usize> {
        let needle = self.find.as_deref()?.to_lowercase();
        let n = self.lines.len();
        (1..=n)
            .map(|k| {
                if back {
                    (from + n - k % n) % n
                } else {
                    (from + k) % n
                }
            })
            .find(|&i| self.lines[i].to_lowercase().contains(&needle))
    }
}

/// A page's Markdown with each link, `[label](url)`, read as its label and
/// its number in `links` (`label [3]`), in one pass.
fn numbered_links(text: &str, links: &[(String, String)]) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let number: std::collections::HashMap<&str, usize> = links
        .iter()
        .enumerate()
        .map(|(i, (_, url))| (url.as_str(), i + 1))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (event, range) in Parser::new(text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let Some(&n) = number.get(dest_url.as_ref()) else {
            continue;
        };
        let source = &text[range.clone()];
        let (Some(label), true) = (
            source
                .strip_prefix('[')
                .and_then(|s| s.rsplit_once("]("))
                .map(|(l, _)| l),
            range.start >= at,
        ) else {
            continue;
        };
        out.push_str(&text[at..range.start]);
        out.push_str(&format!("{label} [{n}]"));
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A line cut into rows of at most `width` columns at spaces (a word
/// wider than a row is cut where it must be), in one pass over it.
pub fn wrap_line(line: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut row_cols = 0;
    for (k, word) in line.split(' ').enumerate() {
        let word_cols: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        let gap = usize::from(k > 0 && !row.is_empty());
        if row_cols + gap + word_cols <= width {
            if gap == 1 {
                row.push(' ');
            }
            row.push_str(word);
            row_cols += gap + word_cols;
            continue;
        }
        if !row.is_empty() {
            rows.push(std::mem::take(&mut row));
            row_cols = 0;
        }
        if word_cols <= width {
            row.push_str(word);
            row_cols = word_cols;
            continue;
        }
        // A word wider than a row: cut it, character by character.
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if row_cols + w > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
                row_cols = 0;
            }
            row.push(c);
            row_cols += w;
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod reader_tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(wrap_line("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_line("abcdefghij x", 4), ["abcd", "efgh", "ij x"]);
        assert_eq!(wrap_line("short", 10), ["short"]);
        assert_eq!(wrap_line("", 10), [""]);
        assert_eq!(wrap_line("東京東京", 5), ["東京", "東京"]);
        // A word of megabytes is cut in one pass.
        let long = "x".repeat(1 << 20);
        assert_eq!(wrap_line(&long, 100).len(), (1 << 20) / 100 + 1);
    }

    #[test]
    fn links_read_as_their_label_and_number() {
        let links = vec![("the runbook".to_string(), "https://a.example/r".to_string())];
        assert_eq!(
            numbered_links(
                "See [the runbook](https://a.example/r) and [x](/rel).",
                &links
            ),
            "See the runbook [1] and [x](/rel)."
        );
    }
}
