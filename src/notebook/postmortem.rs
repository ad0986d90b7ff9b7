//! Postmortem documents: notes a team wrote, one per incident (as opposed
//! to links to others' write-ups), which of the notes they are, when each
//! incident happened and what its document states of it.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use super::Notebook;
use super::links::plain_text;
use super::model::{Bucket, Document, NodeKind};
use super::sessions::month_number;

/// Section names of a postmortem's template, folded (lower case, letters
/// and spaces): three of them make a note a postmortem by its shape.
const SECTIONS: [&str; 17] = [
    "summary",
    "executive summary",
    "impact",
    "timeline",
    "root cause",
    "root causes",
    "contributing factors",
    "resolution",
    "mitigation",
    "detection",
    "lessons learned",
    "what went well",
    "what went wrong",
    "action items",
    "follow ups",
    "next steps",
    "trigger",
];

/// Folder names whose notes are postmortems, folded as [`fold`] folds.
const FOLDERS: [&str; 7] = [
    "postmortems",
    "postmortem",
    "incidents",
    "incident",
    "pm",
    "pms",
    "incidentreports",
];

/// Incident id prefixes of file names (`PM2021-004`, `INC-1234`).
const ID_PREFIXES: [&str; 6] = ["pm", "inc", "incident", "ir", "pir", "sev"];

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

impl Day {
    /// The date as `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// A plausible date (1970 to 2100, a real day of its month), else `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let ok = (1970..=2100).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= super::sessions::days_in_month(year, month);
        ok.then_some(Day { year, month, day })
    }
}

impl From<super::edit::Date> for Day {
    fn from(d: super::edit::Date) -> Day {
        Day {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

/// Where a postmortem document's date was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// `incident_date:` or `date:` in its front matter.
    FrontMatter,
    /// Its file name (`2021-03-31-dns.md`, `PM2021-004 …`: the year only).
    FileName,
    /// The first date of its Timeline section.
    Timeline,
    /// The first date of its Summary section.
    Summary,
}

/// A postmortem document of the notebook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostmortemDoc {
    /// Index of the document in the notebook.
    pub doc: u32,
    /// Its title.
    pub title: String,
    /// The incident's day, when a whole date is known.
    pub date: Option<Day>,
    /// The incident's year, when known.
    pub year: Option<i32>,
    /// The year was read from the text (Timeline, Summary), not stated.
    pub year_inferred: bool,
    /// Where the date or year was read.
    pub dated_by: Option<DateSource>,
    /// What the document states: `summary`, `impact`, `severity`,
    /// `duration`, `detection`, `recovery`, `category`, in that order.
    pub facts: Vec<(&'static str, String)>,
}

/// Letters and digits only, lower case: `Post-Mortems` is `postmortems`.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A heading folded for comparing with [`SECTIONS`]: lower case, numbering
/// and punctuation gone, words single-spaced (`2. Root Cause(s):` is
/// `root cause s`).
fn fold_heading(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

/// Whether a heading names a postmortem section: `Action Items`,
/// `Follow-ups`, `Root Cause(s)`, `Timeline (UTC)`.
fn is_section(heading: &str, names: &[&str]) -> bool {
    let h = fold_heading(heading);
    names
        .iter()
        .any(|n| h == *n || h.strip_prefix(n).is_some_and(|r| r.starts_with(' ')))
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether a note is a template for postmortems rather than one:
/// `template` or `yyyy` in its name, or `template: true`.
pub fn is_template(doc: &Document) -> bool {
    let stem = file_stem(&doc.path).to_lowercase();
    doc.front().template || stem.contains("template") || stem.contains("yyyy")
}

/// How many of the postmortem sections a note's headings name.
fn sections_named(doc: &Document) -> usize {
    let mut seen = [false; SECTIONS.len()];
    for s in doc.sections.iter() {
        let h = fold_heading(&s.title);
        for (i, name) in SECTIONS.iter().enumerate() {
            if h == *name || h.strip_prefix(name).is_some_and(|r| r.starts_with(' ')) {
                seen[i] = true;
            }
        }
    }
    seen.iter().filter(|&&s| s).count()
}

/// An incident id at the start of a file name: `PM2021-004` (its year),
/// `INC-1234`, `sev_12`. `Some(None)` for an id without a year.
fn incident_id(stem: &str) -> Option<Option<i32>> {
    let lower = stem.to_ascii_lowercase();
    for prefix in ID_PREFIXES {
        let Some(rest) = lower.strip_prefix(prefix) else {
            continue;
        };
        let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            continue;
        }
        let year = (digits.len() == 4)
            .then(|| digits.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1970..=2100).contains(y));
        return Some(year);
    }
    None
}

/// A `YYYY-MM-DD` (or `YYYY_MM_DD`, `YYYYMMDD`) date at the start of a file
/// name, followed by more of the name.
fn dated_name(stem: &str) -> Option<Day> {
    let b = stem.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = stem.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day, len) = if b.len() >= 10 && matches!(b[4], b'-' | b'_') && b[7] == b[4] {
        (
            Day::new(
                digits(0..4)? as i32,
                digits(5..7)? as u8,
                digits(8..10)? as u8,
            ),
            10,
        )
    } else {
        (
            Day::new(
                digits(0..4)? as i32,
                digits(4..6)? as u8,
                digits(6..8)? as u8,
            ),
            8,
        )
    };
    let more = stem[len..]
        .strip_prefix(['-', '_', ' '])
        .is_some_and(|r| !r.trim().is_empty());
    day.filter(|_| more)
}

/// Whether a note is a postmortem document: in a postmortems or incidents
/// folder, named by an incident id or date, said so by its front matter,
/// or shaped as one (three of a postmortem's sections). A template, a
/// README, a note that is itself a link (`url:` front matter) and a list of
/// links filed under year headings are not.
pub fn is_postmortem_document(doc: &Document) -> bool {
    let stem = file_stem(&doc.path);
    if is_template(doc) || stem.eq_ignore_ascii_case("readme") {
        return false;
    }
    let is_link_note = doc
        .links
        .first()
        .is_some_and(|l| doc.node(l.node()).kind() == NodeKind::FrontMatter);
    let is_year_list = doc
        .sections
        .iter()
        .any(|s| matches!(s.bucket, Bucket::Year(_)));
    if is_link_note || is_year_list {
        return false;
    }
    let in_folder = doc
        .path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| FOLDERS.contains(&fold(&c.as_os_str().to_string_lossy()).as_str()));
    let by_name = incident_id(&stem).is_some() || dated_name(&stem).is_some();
    let by_front = doc
        .front()
        .kind
        .as_deref()
        .is_some_and(|k| matches!(fold(k).as_str(), "postmortem" | "incident"))
        || doc
            .tags
            .iter()
            .any(|t| matches!(fold(t).as_str(), "postmortem" | "postmortems" | "incident"));
    in_folder || by_name || by_front || sections_named(doc) >= 3
}

/// The first date written in `text`: `2021-03-31` (or `/`), `March 31,
/// 2021`, `Mar 31 2021`, `31 March 2021`.
pub fn first_date(text: &str) -> Option<Day> {
    let words: Vec<(usize, &str)> = text
        .split(|c: char| c.is_whitespace() || c == '|' || c == '*')
        .filter(|w| !w.is_empty())
        .enumerate()
        .collect();
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let num = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(|c: char| c.is_alphabetic());
        (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    for (i, w) in &words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '/');
        // ISO: 2021-03-31 or 2021/03/31, maybe with a time after `T`.
        let head = w.split('T').next().unwrap_or(w);
        let parts: Vec<&str> = head.split(['-', '/']).collect();
        if parts.len() == 3
            && parts[0].len() == 4
            && let (Ok(y), Ok(m), Ok(d)) = (
                parts[0].parse::<i32>(),
                parts[1].parse::<u8>(),
                parts[2].parse::<u8>(),
            )
            && let Some(day) = Day::new(y, m, d)
        {
            return Some(day);
        }
        let next = |k: usize| words.get(i + k).map(|(_, w)| clean(w));
        // March 31, 2021 / Mar 31 2021
        if let Some(m) = month_number(&clean(w))
            && let (Some(d), Some(y)) =
                (next(1).and_then(|x| num(&x)), next(2).and_then(|x| num(&x)))
            && let Some(day) = Day::new(y as i32, m, d as u8)
        {
            return Some(day);
        }
        // 31 March 2021
        if let Some(d) = num(&clean(w))
            && let Some(m) = next(1).and_then(|x| month_number(&x))
            && let Some(y) = next(2).and_then(|x| num(&x))
            && let Some(day) = Day::new(y as i32, m, d as u8)
        {
            return Some(day);
        }
    }
    None
}

/// The raw text of the first section a heading of `names` opens, to the
/// next heading of the same or a higher level.
fn section_text<'d>(doc: &'d Document, names: &[&str]) -> Option<&'d str> {
    let s = doc.sections.iter().find(|s| is_section(&s.title, names))?;
    let range = doc.subtree(s.node);
    let heading_end = doc.node(s.node).span.range().end;
    Some(&doc.source[heading_end.min(range.end)..range.end])
}

/// The first `n` sentences of a section's prose (Markdown markers gone).
fn first_sentences(text: &str, n: usize) -> Option<String> {
    let prose: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.starts_with('#'))
        .map(|l| plain_text(l.trim_start_matches(['-', '*', '+', '>', ' '])))
        .collect();
    let joined = prose.join(" ");
    let joined = joined.trim();
    if joined.is_empty() {
        return None;
    }
    let mut end = joined.len();
    let mut seen = 0;
    for (i, _) in joined.match_indices(". ") {
        seen += 1;
        if seen == n {
            end = i + 1;
            break;
        }
    }
    Some(joined[..end].to_string())
}

/// Fact names as they are written in a document's lines or table rows
/// (`**Severity:** SEV2`, `| Duration | 3h |`), by the name shown.
const FACT_LABELS: [(&str, &[&str]); 6] = [
    ("impact", &["impact"]),
    ("severity", &["severity", "sev", "priority"]),
    (
        "duration",
        &["duration", "total duration", "outage duration"],
    ),
    (
        "detection",
        &["time to detection", "time to detect", "ttd", "detection"],
    ),
    (
        "recovery",
        &[
            "time to recovery",
            "time to recover",
            "time to resolve",
            "time to resolution",
            "ttr",
            "mttr",
        ],
    ),
    (
        "category",
        &["category", "type of incident", "incident type"],
    ),
];

/// A fact stated on a line as `label: value` or a table row `| label | value |`.
fn stated_fact(source: &str, labels: &[&str]) -> Option<String> {
    for line in source.lines() {
        let t = line.trim().trim_start_matches(['-', '*', '+', ' ']);
        let (label, value) = if let Some(row) = t.strip_prefix('|') {
            let mut cells = row.split('|').map(str::trim);
            (cells.next()?, cells.next().unwrap_or(""))
        } else if let Some((l, v)) = t.split_once(':') {
            (l, v)
        } else {
            continue;
        };
        let label = fold_heading(label);
        let value = plain_text(value.trim().trim_start_matches(['*', '_']).trim());
        if labels.contains(&label.as_str()) && !value.is_empty() {
            return Some(value);
        }
    }
    None
}

/// What a postmortem document states of its incident, front matter first.
fn facts(doc: &Document) -> Vec<(&'static str, String)> {
    let from_front = |name: &str| {
        doc.front()
            .fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    };
    let mut out = Vec::new();
    let summary = from_front("summary").or_else(|| {
        section_text(doc, &["summary", "executive summary", "overview"])
            .and_then(|t| first_sentences(t, 2))
    });
    if let Some(s) = summary {
        out.push(("summary", s));
    }
    for (name, labels) in FACT_LABELS {
        let value = from_front(name)
            .or_else(|| stated_fact(&doc.source, labels))
            .or_else(|| {
                (name == "impact")
                    .then(|| section_text(doc, &["impact"]).and_then(|t| first_sentences(t, 1)))
                    .flatten()
            });
        if let Some(v) = value {
            out.push((name, v));
        }
    }
    out
}

/// A postmortem document's date: front matter, else file name, else the
/// first date of its Timeline, else of its Summary; never after `today`.
fn date_of(doc: &Document, today: Day) -> (Option<Day>, Option<i32>, Option<DateSource>) {
    let stem = file_stem(&doc.path);
    let not_future = |d: Option<Day>| d.filter(|d| *d <= today);
    if let Some(d) = not_future(doc.front().date.as_deref().and_then(first_date)) {
        return (Some(d), Some(d.year), Some(DateSource::FrontMatter));
    }
    if let Some(d) = not_future(dated_name(&stem)) {
        return (Some(d), Some(d.year), Some(DateSource::FileName));
    }
    let id_year = incident_id(&stem).flatten().filter(|y| *y <= today.year);
    let timeline = section_text(doc, &["timeline"]).and_then(first_date);
    let summary = section_text(doc, &["summary", "executive summary"]).and_then(first_date);
    // A whole date from the text of the year the id states, if any.
    let from_text = [
        (timeline, DateSource::Timeline),
        (summary, DateSource::Summary),
    ]
    .into_iter()
    .find_map(|(d, how)| {
        not_future(d)
            .filter(|d| id_year.is_none_or(|y| y == d.year))
            .map(|d| (d, how))
    });
    match (id_year, from_text) {
        (Some(y), Some((d, _))) => (Some(d), Some(y), Some(DateSource::FileName)),
        (Some(y), None) => (None, Some(y), Some(DateSource::FileName)),
        (None, Some((d, how))) => (Some(d), Some(d.year), Some(how)),
        (None, None) => (None, None, None),
    }
}

/// What a notebook knows of its postmortem documents.
impl Notebook {
    /// Indexes of the documents that are postmortem documents, in order
    /// (see [`is_postmortem_document`]).
    pub fn postmortem_document_indexes(&self) -> &[u32] {
        self.postmortem_docs.get_or_init(|| {
            self.documents
                .iter()
                .enumerate()
                .filter(|(_, d)| is_postmortem_document(d))
                .map(|(i, _)| i as u32)
                .collect()
        })
    }

    /// The postmortem documents, dated as of `today`, newest first.
    pub fn postmortem_documents(&self, today: Day) -> Vec<PostmortemDoc> {
        date_postmortem_documents(&self.documents, self.postmortem_document_indexes(), today)
    }
}

/// The postmortem document a note is, read on `today`, if it is one.
pub fn postmortem_of(doc: &Document, index: u32, today: Day) -> Option<PostmortemDoc> {
    is_postmortem_document(doc).then(|| dated_postmortem(doc, index, today))
}

/// A postmortem document, read on `today`.
fn dated_postmortem(doc: &Document, index: u32, today: Day) -> PostmortemDoc {
    let (date, year, dated_by) = date_of(doc, today);
    PostmortemDoc {
        doc: index,
        title: doc.title.to_string(),
        date,
        year,
        year_inferred: matches!(dated_by, Some(DateSource::Timeline | DateSource::Summary)),
        dated_by,
        facts: facts(doc),
    }
}

/// Every postmortem document of the notebook, newest first (undated last,
/// by title).
pub fn postmortem_documents<D: Borrow<Document>>(docs: &[D], today: Day) -> Vec<PostmortemDoc> {
    let indexes: Vec<u32> = (0..docs.len() as u32)
        .filter(|&i| is_postmortem_document(docs[i as usize].borrow()))
        .collect();
    date_postmortem_documents(docs, &indexes, today)
}

/// The documents at `indexes`, known to be postmortem documents, dated as
/// of `today`, newest first (undated last, by title).
pub fn date_postmortem_documents<D: Borrow<Document>>(
    docs: &[D],
    indexes: &[u32],
    today: Day,
) -> Vec<PostmortemDoc> {
    let mut out: Vec<PostmortemDoc> = indexes
        .iter()
        .filter_map(|&i| Some(dated_postmortem(docs.get(i as usize)?.borrow(), i, today)))
        .collect();
    out.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(b.date.cmp(&a.date))
            .then(a.title.cmp(&b.title))
    });
    out
}

/// The notebook's template for postmortems: the first template note in a
/// folder that holds postmortem documents, else any note named as one.
pub fn template_of<D: Borrow<Document>>(docs: &[D], postmortems: &[PostmortemDoc]) -> Option<u32> {
    let folders: Vec<&Path> = postmortems
        .iter()
        .filter_map(|p| docs[p.doc as usize].borrow().path.parent())
        .collect();
    let templates: Vec<(usize, &Document)> = docs
        .iter()
        .map(Borrow::borrow)
        .enumerate()
        .filter(|(_, d)| is_template(d))
        .collect();
    templates
        .iter()
        .find(|(_, d)| d.path.parent().is_some_and(|p| folders.contains(&p)))
        .or_else(|| templates.first())
        .map(|(i, _)| *i as u32)
}

/// A new postmortem document, not yet written: where, what, and the line
/// its Summary's text goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPostmortem {
    /// Path relative to the notebook.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    /// 1-based line to start writing on: the one after the Summary heading.
    pub summary_line: u32,
}

/// The template used when the notebook has none of its own.
const BUILT_IN_TEMPLATE: &str = "---\ntype: postmortem\ndate: {date}\n---\n# {title}\n\n## Summary\n\n## Impact\n\n## Timeline\n\n| Time | Event |\n|---|---|\n\n## Root cause\n\n## Resolution\n\n## Lessons learned\n\n## Action items\n\n";

/// Words of a title for a file name: lower case, `-` between.
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "postmortem".into()
    } else {
        words.join("-")
    }
}

/// The next incident id of a folder that numbers them `PM2026-002`: the
/// prefix, the year and the width of the number, continuing this year's.
fn next_numbered(stems: &[String], year: i32) -> Option<(String, String)> {
    let mut prefix = None;
    let mut best: Option<(u32, usize)> = None;
    let mut separator = " - ".to_string();
    for stem in stems {
        let letters: String = stem.chars().take_while(char::is_ascii_alphabetic).collect();
        if letters.is_empty() || incident_id(stem).is_none() {
            continue;
        }
        let rest = &stem[letters.len()..];
        let Some((y, n)) = rest.split_once('-') else {
            continue;
        };
        let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
            continue;
        }
        prefix.get_or_insert(letters.clone());
        let after = &n[digits.len()..];
        if let Some(sep) = after.find(|c: char| c.is_alphanumeric()) {
            separator = after[..sep].to_string();
        }
        let number: u32 = digits.parse().unwrap_or(0);
        let this_year = y.parse::<i32>().ok() == Some(year);
        let width = digits.len();
        let n_now = if this_year { number } else { 0 };
        best = Some(match best {
            Some((b, w)) => (b.max(n_now), w.max(width)),
            None => (n_now, width),
        });
    }
    let (number, width) = best?;
    Some((
        format!("{}{year}-{:0width$}", prefix?, number + 1),
        separator,
    ))
}

/// The next postmortem document titled `title`, dated `today`: from the
/// notebook's own template when it has one, else a built-in one; in the
/// template's folder, else the one holding most postmortem documents (else
/// `postmortems/`),
/// named as that folder names them (`PM2026-003 - Title.md` after
/// `PM2026-002`, else `2026-12-06-title.md`).
pub fn new_postmortem<D: Borrow<Document>>(docs: &[D], title: &str, today: Day) -> NewPostmortem {
    let postmortems = postmortem_documents(docs, today);
    let template = template_of(docs, &postmortems).map(|i| docs[i as usize].borrow());
    // The template's folder, else the one holding most postmortems (the
    // newest's on a tie).
    let mut counts: Vec<(&Path, usize)> = Vec::new();
    for p in &postmortems {
        let Some(parent) = docs[p.doc as usize].borrow().path.parent() else {
            continue;
        };
        match counts.iter_mut().find(|(f, _)| *f == parent) {
            Some((_, n)) => *n += 1,
            None => counts.push((parent, 1)),
        }
    }
    let most = counts.iter().rev().max_by_key(|(_, n)| *n).map(|(f, _)| *f);
    let folder: PathBuf = template
        .and_then(|t| t.path.parent())
        .or(most)
        .map_or_else(|| PathBuf::from("postmortems"), Path::to_path_buf);
    let stems: Vec<String> = postmortems
        .iter()
        .map(|p| &docs[p.doc as usize].borrow().path)
        .filter(|p| p.parent() == Some(folder.as_path()))
        .map(|p| file_stem(p))
        .collect();
    let name = match next_numbered(&stems, today.year) {
        Some((id, sep)) => format!("{id}{sep}{}.md", title.trim()),
        None => format!("{}-{}.md", today.iso(), slug(title)),
    };
    let date = today.iso();
    let text = match template {
        Some(t) => fill_template(&t.source, title.trim(), &date),
        None => BUILT_IN_TEMPLATE
            .replace("{date}", &date)
            .replace("{title}", title.trim()),
    };
    let (text, summary_line) = room_under_summary(&text);
    NewPostmortem {
        path: folder.join(name),
        text,
        summary_line,
    }
}

/// The text with an empty Summary section given a line to write on between
/// blank lines, and that line (1-based); a Summary with text starts on its
/// first line; no Summary, line 1.
fn room_under_summary(text: &str) -> (String, u32) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(h) = lines
        .iter()
        .position(|l| l.starts_with('#') && is_section(l.trim_start_matches('#'), &["summary"]))
    else {
        return (text.to_string(), 1);
    };
    let blanks = lines[h + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty())
        .count();
    let next = lines.get(h + 1 + blanks);
    if next.is_some_and(|l| !l.starts_with('#')) {
        // Guidance or text of the template's own: start on it.
        return (text.to_string(), (h + 2 + blanks) as u32);
    }
    let eol = if lines[h].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out: String = lines[..=h].concat();
    if !lines[h].ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&eol.repeat(3));
    out.push_str(&lines[h + 1 + blanks..].concat());
    (out, h as u32 + 3)
}

/// A template's text for a new incident: its placeholders (`{title}`,
/// `{{title}}`, `{date}`, `{{date}}`, `YYYY-MM-DD`) filled, its first
/// heading the title, and `template: true` gone.
fn fill_template(source: &str, title: &str, date: &str) -> String {
    let mut text = source
        .replace("{{title}}", title)
        .replace("{title}", title)
        .replace("{{date}}", date)
        .replace("{date}", date)
        .replace("YYYY-MM-DD", date);
    if !source.contains("title}")
        && let Some(at) = text.lines().position(|l| l.starts_with("# "))
    {
        let lines: Vec<String> = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| {
                if i == at {
                    let end = if l.ends_with("\r\n") {
                        "\r\n"
                    } else if l.ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    };
                    format!("# {title}{end}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        text = lines.concat();
    }
    let text: String = text
        .split_inclusive('\n')
        .filter(|l| !matches!(l.trim(), "template: true" | "template: yes"))
        .collect();
    // Front matter that said only that it was a template goes whole.
    match text.strip_prefix("---\n---\n") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;

    fn doc(path: &str, text: &str) -> Document {
        parse_document(path.into(), text.into(), false)
    }

    const TODAY: Day = Day {
        year: 2026,
        month: 12,
        day: 6,
    };

    #[test]
    fn folders_names_front_matter_and_shape_make_a_postmortem() {
        let plain = "# Notes\n\nSome text.\n";
        assert!(is_postmortem_document(&doc("post-mortems/db.md", plain)));
        assert!(is_postmortem_document(&doc("team/Incidents/x.md", plain)));
        assert!(is_postmortem_document(&doc("pm/x.md", plain)));
        assert!(is_postmortem_document(&doc(
            "PM2021-004 - ADFS outage.md",
            plain
        )));
        assert!(is_postmortem_document(&doc("INC-1234.md", plain)));
        assert!(is_postmortem_document(&doc(
            "2023-06-01-dns-outage.md",
            plain
        )));
        assert!(is_postmortem_document(&doc(
            "a.md",
            "---\ntype: postmortem\n---\n# A\n"
        )));
        assert!(is_postmortem_document(&doc(
            "a.md",
            "---\nlayout: Incident\n---\n# A\n"
        )));
        assert!(is_postmortem_document(&doc(
            "a.md",
            "---\ntags: [incident, db]\n---\n# A\n"
        )));
        let shaped = "# Cache melt\n## Summary\nx\n## Timeline (UTC)\nx\n## Root Cause(s)\nx\n";
        assert!(is_postmortem_document(&doc("notes/cache.md", shaped)));
        let two = "# Cache\n## Summary\nx\n## Timeline\nx\n";
        assert!(!is_postmortem_document(&doc("notes/cache.md", two)));
        assert!(!is_postmortem_document(&doc("notes/plan.md", plain)));
        // A daily note is named by a date alone: not an incident.
        assert!(!is_postmortem_document(&doc("2023-06-01.md", plain)));
    }

    #[test]
    fn templates_readmes_link_notes_and_year_lists_are_not_postmortems() {
        let shaped = "# T\n## Summary\n## Timeline\n## Action items\n";
        assert!(!is_postmortem_document(&doc(
            "postmortems/PM-template.md",
            shaped
        )));
        assert!(!is_postmortem_document(&doc(
            "postmortems/PMyyyy-nnn - title.md",
            shaped
        )));
        assert!(!is_postmortem_document(&doc(
            "postmortems/next.md",
            "---\ntemplate: true\n---\n# T\n"
        )));
        assert!(!is_postmortem_document(&doc(
            "postmortems/README.md",
            shaped
        )));
        assert!(!is_postmortem_document(&doc(
            "postmortems/s3.md",
            "---\nurl: https://aws.amazon.com/message/41926/\ntitle: S3\n---\nBody.\n"
        )));
        assert!(!is_postmortem_document(&doc(
            "postmortems/list.md",
            "# Post-Mortems\n## 2021\n- [A](https://a.example)\n"
        )));
    }

    #[test]
    fn a_notebook_finds_its_postmortem_documents_once_and_dates_them_newest_first() {
        let shaped = "## Summary\nx\n## Timeline\nx\n## Action items\nx\n";
        let nb = Notebook::new(
            ".".into(),
            vec![
                doc("notes/plan.md", "# Plan\n- a\n"),
                doc("postmortems/2024-03-01-db.md", &format!("# DB\n{shaped}")),
                doc("postmortems/PM-template.md", &format!("# T\n{shaped}")),
                doc("postmortems/2025-07-09-dns.md", &format!("# DNS\n{shaped}")),
            ],
        );
        assert_eq!(nb.postmortem_document_indexes(), [1, 3]);
        let dated = nb.postmortem_documents(TODAY);
        assert_eq!(
            dated
                .iter()
                .map(|p| (p.doc, p.title.as_str(), p.year))
                .collect::<Vec<_>>(),
            vec![(3, "DNS", Some(2025)), (1, "DB", Some(2024))]
        );
        assert_eq!(dated, postmortem_documents(&nb.documents, TODAY));
    }

    #[test]
    fn the_date_comes_from_front_matter_then_name_then_timeline_then_summary() {
        let d = |p: &str, t: &str| postmortem_of(&doc(p, t), 0, TODAY).expect("a postmortem");
        let front = d(
            "incidents/a.md",
            "---\nincident_date: 2022-02-03\ndate: 2022-03-01\n---\n# A\n",
        );
        assert_eq!(
            (front.date.map(Day::iso), front.year_inferred),
            (Some("2022-02-03".to_string()), false)
        );
        let named = d("2021-03-31-dns.md", "# DNS\n## Timeline\n- 2020-01-01 x\n");
        assert_eq!(named.date.map(Day::iso).as_deref(), Some("2021-03-31"));
        let timeline = d(
            "incidents/b.md",
            "# B\n## Summary\nOn May 2, 2019 it broke.\n## Timeline\n| Time | Event |\n|---|---|\n| 2019-04-30 10:02 | alert |\n",
        );
        assert_eq!(
            (
                timeline.date.map(Day::iso),
                timeline.year_inferred,
                timeline.dated_by
            ),
            (
                Some("2019-04-30".to_string()),
                true,
                Some(DateSource::Timeline)
            )
        );
        let summary = d(
            "incidents/c.md",
            "# C\n## Summary\nOn 2 May 2019 it broke.\n",
        );
        assert_eq!(summary.date.map(Day::iso).as_deref(), Some("2019-05-02"));
        let id = d(
            "PM2021-004 - ADFS outage.md",
            "# ADFS\n## Timeline\n- March 31, 2021 09:12 certificate expired\n",
        );
        assert_eq!(
            (id.year, id.date.map(Day::iso), id.year_inferred),
            (Some(2021), Some("2021-03-31".to_string()), false)
        );
        // Never a date in the future.
        let future = d("incidents/f.md", "---\ndate: 2031-01-01\n---\n# F\n");
        assert_eq!((future.date, future.year), (None, None));
    }

    #[test]
    fn facts_come_from_front_matter_lines_tables_and_sections() {
        let p = postmortem_of(
            &doc(
                "incidents/a.md",
                "---\nseverity: SEV2\n---\n# ADFS outage\n## Summary\nThe ADFS token-signing certificate expired. Logins failed for 3 hours. Renewal was manual.\n\n**Duration:** 3h 10m\n\n| Time to detect | 14 min |\n|---|---|\n## Impact\nNo one could sign in to Office 365. Also VPN.\n",
            ),
            0,
            TODAY,
        )
        .expect("a postmortem");
        assert_eq!(
            p.facts,
            vec![
                (
                    "summary",
                    "The ADFS token-signing certificate expired. Logins failed for 3 hours."
                        .to_string()
                ),
                ("impact", "No one could sign in to Office 365.".to_string()),
                ("severity", "SEV2".to_string()),
                ("duration", "3h 10m".to_string()),
                ("detection", "14 min".to_string()),
            ]
        );
    }

    #[test]
    fn first_date_reads_the_common_forms() {
        let iso = |t: &str| first_date(t).map(Day::iso);
        assert_eq!(iso("at 2021/03/31 x").as_deref(), Some("2021-03-31"));
        assert_eq!(iso("Mar 31 2021").as_deref(), Some("2021-03-31"));
        assert_eq!(iso("on 1st April, 2020.").as_deref(), Some("2020-04-01"));
        assert_eq!(iso("| 2020-02-30 | bad day |"), None);
        assert_eq!(iso("10:05 paged"), None);
    }
    #[test]
    fn a_new_postmortem_continues_the_folders_numbering_from_its_template() {
        let docs = vec![
            doc("pm/PM2026-001 - DNS.md", "# DNS\n"),
            doc("pm/PM2026-002 - ADFS outage.md", "# ADFS\n"),
            doc("pm/PM2025-017 - Disk.md", "# Disk\n"),
            doc(
                "pm/PMyyyy-nnn - template.md",
                "---\ntemplate: true\n---\n# PMyyyy-nnn - Title\n\nDate: YYYY-MM-DD\n\n## Summary\n\n## Action items\n",
            ),
        ];
        let new = new_postmortem(&docs, "Cache stampede", TODAY);
        assert_eq!(new.path, PathBuf::from("pm/PM2026-003 - Cache stampede.md"));
        assert_eq!(
            new.text,
            "# Cache stampede\n\nDate: 2026-12-06\n\n## Summary\n\n\n\n## Action items\n"
        );
        assert_eq!(new.summary_line, 7);
    }

    #[test]
    fn a_new_postmortem_without_a_template_is_dated_and_built_in() {
        let docs = vec![doc("incidents/2024-05-01-db.md", "# DB\n")];
        let new = new_postmortem(&docs, "Cert expired!", TODAY);
        assert_eq!(
            new.path,
            PathBuf::from("incidents/2026-12-06-cert-expired.md")
        );
        assert!(new.text.starts_with(
            "---\ntype: postmortem\ndate: 2026-12-06\n---\n# Cert expired!\n\n## Summary\n\n\n\n## Impact\n"
        ));
        assert_eq!(new.summary_line, 9);
        let fresh = new_postmortem::<Document>(&[], "x", TODAY);
        assert_eq!(fresh.path, PathBuf::from("postmortems/2026-12-06-x.md"));
        // What it writes is a postmortem, dated today.
        let made = postmortem_of(&doc("postmortems/2026-12-06-x.md", &fresh.text), 0, TODAY)
            .expect("a postmortem");
        assert_eq!(made.date.map(Day::iso).as_deref(), Some("2026-12-06"));
    }
}
