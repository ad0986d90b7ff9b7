//! Edits of a document as byte ranges: what to replace, never the whole file.
//! Pure functions: they compute edits, `storage` writes them.

pub use super::typed::{inline_text, refused_scheme, typed_url};
use std::ops::Range;

use super::model::{Document, NodeId, NodeKind, ROOT, heading_year, is_postmortem_word};
use super::sessions::month_abbrev;

/// A replacement of one byte range of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced, in the source as it was.
    pub range: Range<usize>,
    /// What goes there.
    pub text: String,
}

/// The source with one range replaced; every other byte is kept.
pub fn splice(source: &str, range: Range<usize>, text: &str) -> String {
    let mut out = String::with_capacity(source.len() - range.len() + text.len());
    out.push_str(&source[..range.start]);
    out.push_str(text);
    out.push_str(&source[range.end..]);
    out
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

/// The line ending the document uses (`\r\n` if its first line ends so).
pub fn line_ending(source: &str) -> &'static str {
    match source.find('\n') {
        Some(i) if i > 0 && source.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

fn indentation_of(doc: &Document, node: NodeId) -> String {
    let start = doc.node(node).span.start as usize;
    let line = &doc.source[start..];
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn marker_of(doc: &Document, node: NodeId) -> String {
    let start = doc.node(node).span.start as usize;
    let rest = doc.source[start..].trim_start_matches([' ', '\t']);
    match rest.chars().next() {
        Some(c @ ('-' | '*' | '+' | '•')) => c.to_string(),
        _ => "-".to_string(),
    }
}

/// Where a new session goes: after the last item of the list holding the
/// most sessions. Returns the insertion offset, indentation and marker.
pub fn calendar_end(doc: &Document) -> Option<(usize, String, String)> {
    let mut counts: Vec<(NodeId, usize)> = Vec::new();
    for s in &doc.sessions {
        let parent = doc.node(s.node).parent();
        match counts.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, n)) => *n += 1,
            None => counts.push((parent, 1)),
        }
    }
    let (container, _) = counts
        .into_iter()
        .max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)))?;
    let last_item = doc
        .children(container)
        .filter(|&c| matches!(doc.node(c).kind(), NodeKind::Item { .. }))
        .last()?;
    let end = doc.subtree(last_item).end;
    Some((
        end,
        indentation_of(doc, last_item),
        marker_of(doc, last_item),
    ))
}

/// How the list writes September, to write it the same way.
fn month_name(doc: &Document, month: u8) -> &'static str {
    if month == 9 && doc.source.contains("Sept ") {
        return "Sept";
    }
    month_abbrev(month)
}

/// A new session for today at the end of the calendar: the text to insert
/// (`- Nov 23, 2026 - Title` and an empty nested topic), where, and the text
/// that must come before it when the file does not end its last line.
pub fn new_session(doc: &Document, today: Date, title: &str) -> Option<NewText> {
    new_session_styled(doc, today, title, None)
}

/// How a new session writes its date; every style is one the calendar
/// reader reads back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub enum DateStyle {
    /// `Nov 23, 2026` (`Sept` when the calendar writes it so).
    #[serde(rename = "Nov 23, 2026")]
    MonthDayYear,
    /// `Nov 23`: the year comes from the heading above.
    #[serde(rename = "Nov 23")]
    MonthDay,
    /// `November 23, 2026`.
    #[serde(rename = "November 23, 2026")]
    FullMonthDayYear,
}

/// `new_session` with the date written in `style` (default: `Nov 23, 2026`).
pub fn new_session_styled(
    doc: &Document,
    today: Date,
    title: &str,
    style: Option<DateStyle>,
) -> Option<NewText> {
    let (at, indent, marker) = calendar_end(doc)?;
    let eol = line_ending(&doc.source);
    let month = month_name(doc, today.month);
    let date = match style.unwrap_or(DateStyle::MonthDayYear) {
        DateStyle::MonthDayYear => format!("{month} {}, {}", today.day, today.year),
        DateStyle::MonthDay => format!("{month} {}", today.day),
        DateStyle::FullMonthDayYear => {
            let full = jiff::civil::date(today.year as i16, today.month as i8, 1)
                .strftime("%B")
                .to_string();
            format!("{full} {}, {}", today.day, today.year)
        }
    };
    let title = title.trim();
    let head = if title.is_empty() {
        format!("{indent}{marker} {date}")
    } else {
        format!("{indent}{marker} {date} - {title}")
    };
    let topic = format!("{indent}  {marker} ");
    Some(NewText {
        at,
        prefix: missing_newline(&doc.source, at, eol),
        text: format!("{head}\n{topic}\n"),
        cursor: (1, topic.chars().count()),
    })
}

/// A new session's text with the topics of a template, a line each: a
/// line is a topic as written (`Notes`, `- Notes`), nested by its own
/// indentation under the first level; `{date}` is the session's date as
/// written, `{title}` its title. The cursor goes to the end of the first
/// topic. An empty template changes nothing.
pub fn with_template(n: NewText, template: &str, title: &str) -> NewText {
    let lines: Vec<&str> = template.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return n;
    }
    let mut rows = n.text.lines();
    let head = rows.next().unwrap_or_default().to_string();
    // The first topic line as made: its indentation and marker.
    let topic = rows.next().unwrap_or_default();
    let indent_len = topic.len() - topic.trim_start().len();
    let indent = &topic[..indent_len];
    let marker = topic.trim_start().chars().next().unwrap_or('-');
    let date = {
        let rest = head.trim_start().get(2..).unwrap_or("");
        rest.split(" - ").next().unwrap_or(rest).to_string()
    };
    let mut out = vec![head];
    for l in &lines {
        let deeper = l.len() - l.trim_start().len();
        let body = l.trim_start();
        let body = body
            .strip_prefix(['-', '*', '+'])
            .filter(|r| r.starts_with(' '))
            .map_or(body, str::trim_start);
        let body = body
            .replace("{date}", &date)
            .replace("{title}", title.trim());
        out.push(format!("{indent}{}{marker} {body}", " ".repeat(deeper)));
    }
    let cursor = (1, out[1].chars().count());
    NewText {
        at: n.at,
        prefix: n.prefix,
        text: out.join("\n") + "\n",
        cursor,
    }
}

/// Sessions for events of a calendar, `(date, title, topics)` in date
/// order, added at the end of the calendar: those the calendar has already
/// (same date and title, any case) are left out, so importing twice adds
/// nothing. The date is written in `style` with its year (`Nov 23` gets
/// one too: an import spans years). `None` when there is no calendar; an
/// empty edit when nothing is new.
pub fn import_sessions(
    doc: &Document,
    events: &[(Date, String, Vec<String>)],
    style: Option<DateStyle>,
) -> Option<(Edit, usize)> {
    let style = match style {
        Some(DateStyle::MonthDay) | None => DateStyle::MonthDayYear,
        Some(s) => s,
    };
    let eol = line_ending(&doc.source);
    let known = |date: Date, title: &str| {
        doc.sessions.iter().any(|s| {
            s.year == Some(date.year)
                && s.month == date.month
                && s.day == date.day
                && super::session_shown_title(doc, s)
                    .trim()
                    .eq_ignore_ascii_case(title.trim())
        })
    };
    let mut text = String::new();
    let mut at = None;
    let mut added = 0;
    for (date, title, topics) in events {
        if known(*date, title) {
            continue;
        }
        let n = new_session_styled(doc, *date, &inline_text(title), Some(style))?;
        let mut lines = n.text.lines();
        let head = lines.next().unwrap_or_default();
        let topic = lines.next().unwrap_or_default();
        if at.is_none() {
            at = Some(n.at);
            text.push_str(&n.prefix);
        }
        text.push_str(head);
        text.push_str(eol);
        for t in topics {
            text.push_str(topic);
            text.push_str(&inline_text(t));
            text.push_str(eol);
        }
        added += 1;
    }
    let at = at.unwrap_or(calendar_end(doc)?.0);
    Some((
        Edit {
            range: at..at,
            text,
        },
        added,
    ))
}

/// `text` as a topic of today's session, which is made (as `n` makes it,
/// without a title) when the calendar has none for today. `None` when the
/// document has no calendar.
pub fn jot(doc: &Document, today: Date, text: &str, style: Option<DateStyle>) -> Option<Edit> {
    jot_marked(doc, today, "", text, style)
}

/// [`jot`], with `lead` written before the text as Markdown, not as typed
/// text: `[ ] ` makes the topic an action, `[14:05] ` stamps its time.
pub fn jot_marked(
    doc: &Document,
    today: Date,
    lead: &str,
    text: &str,
    style: Option<DateStyle>,
) -> Option<Edit> {
    let eol = line_ending(&doc.source);
    let text = format!("{lead}{}", inline_text(text));
    let text = text.as_str();
    let session = doc
        .sessions
        .iter()
        .rev()
        .find(|s| s.year == Some(today.year) && s.month == today.month && s.day == today.day);
    let Some(session) = session else {
        let n = new_session_styled(doc, today, "", style)?;
        let mut lines = n.text.lines();
        let head = lines.next().unwrap_or_default();
        let topic = lines.next().unwrap_or_default();
        return Some(Edit {
            range: n.at..n.at,
            text: format!("{}{head}{eol}{topic}{text}{eol}", n.prefix),
        });
    };
    let last_topic = doc
        .children(session.node)
        .filter(|&c| matches!(doc.node(c).kind(), NodeKind::Item { .. }))
        .last();
    let (indent, marker) = match last_topic {
        Some(t) => (indentation_of(doc, t), marker_of(doc, t)),
        None => (
            format!("{}  ", indentation_of(doc, session.node)),
            marker_of(doc, session.node),
        ),
    };
    let at = doc.subtree(session.node).end;
    Some(Edit {
        range: at..at,
        text: format!(
            "{}{indent}{marker} {text}{eol}",
            missing_newline(&doc.source, at, eol)
        ),
    })
}

/// Text to be inserted, ready for the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewText {
    /// Insertion offset.
    pub at: usize,
    /// Written before the text but not shown: a line ending the file lacked.
    pub prefix: String,
    /// The lines, `\n`-separated.
    pub text: String,
    /// Cursor (line, column) in the text.
    pub cursor: (usize, usize),
}

fn missing_newline(source: &str, at: usize, eol: &str) -> String {
    // A lone CR ends a line too.
    if at > 0 && !source[..at].ends_with(['\n', '\r']) {
        eol.to_string()
    } else {
        String::new()
    }
}

/// `- [title](url)` with the title's brackets escaped and an awkward URL in `<…>`.
pub fn link_item(title: &str, url: &str) -> String {
    let url = url.trim();
    let target = if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    };
    let title = inline_text(title);
    let title = if title.is_empty() {
        inline_text(url)
    } else {
        title
    };
    format!("- [{title}]({target})")
}

/// Adds a link at the end of a section's own items (before its subsections).
pub fn add_link(doc: &Document, section: NodeId, title: &str, url: &str) -> Edit {
    let eol = line_ending(&doc.source);
    let mut last_own: Option<NodeId> = None;
    for c in doc.children(section) {
        if matches!(doc.node(c).kind(), NodeKind::Heading { .. }) {
            break;
        }
        last_own = Some(c);
    }
    let item = link_item(title, url);
    match last_own {
        Some(c) => {
            let at = doc.subtree(c).end;
            let pre = missing_newline(&doc.source, at, eol);
            let gap = if matches!(doc.node(c).kind(), NodeKind::Item { .. }) {
                ""
            } else {
                eol
            };
            Edit {
                range: at..at,
                text: format!("{pre}{gap}{item}{eol}"),
            }
        }
        None if section == ROOT => {
            let at = doc.source.len();
            let pre = missing_newline(&doc.source, at, eol);
            Edit {
                range: at..at,
                text: format!("{pre}{item}{eol}"),
            }
        }
        None => {
            let at = doc.node(section).span.end as usize;
            let pre = missing_newline(&doc.source, at, eol);
            Edit {
                range: at..at,
                text: format!("{pre}{eol}{item}{eol}"),
            }
        }
    }
}

/// The post-mortem heading of a document.
pub fn postmortem_heading(doc: &Document) -> Option<NodeId> {
    doc.sections
        .iter()
        .find(|s| is_postmortem_word(&s.title))
        .map(|s| s.node)
}

/// Adds a postmortem link under a year heading, creating the heading (in
/// the order the document keeps its years) when it does not exist yet.
pub fn add_postmortem_link(doc: &Document, year: u16, title: &str, url: &str) -> Edit {
    let eol = line_ending(&doc.source);
    let years: Vec<(u16, NodeId)> = doc
        .sections
        .iter()
        .filter_map(|s| heading_year(&s.title).map(|y| (y, s.node)))
        .collect();
    if let Some(&(_, node)) = years.iter().find(|(y, _)| *y == year) {
        return add_link(doc, node, title, url);
    }
    let item = link_item(title, url);
    let Some(pm) = postmortem_heading(doc) else {
        let at = doc.source.len();
        let pre = missing_newline(&doc.source, at, eol);
        let gap = if at == 0 { "" } else { eol };
        return Edit {
            range: at..at,
            text: format!("{pre}{gap}## Post-Mortem{eol}{eol}### {year}{eol}{eol}{item}{eol}"),
        };
    };
    let level = match years.first() {
        Some(&(_, n)) => match doc.node(n).kind() {
            NodeKind::Heading { level } => level,
            _ => 3,
        },
        None => match doc.node(pm).kind() {
            NodeKind::Heading { level } => (level + 1).min(6),
            _ => 3,
        },
    };
    let hashes = "#".repeat(level as usize);
    let block = format!("{hashes} {year}{eol}{eol}{item}{eol}{eol}");
    let newest_first = years.windows(2).all(|w| w[0].0 >= w[1].0);
    // The first existing year the new one goes before.
    let before = years
        .iter()
        .find(|(y, _)| if newest_first { *y < year } else { *y > year });
    match before {
        Some(&(_, node)) => {
            let at = doc.node(node).span.start as usize;
            Edit {
                range: at..at,
                text: block,
            }
        }
        None => {
            // After the last year section, or at the end of the post-mortem section.
            let anchor = years.last().map_or(pm, |&(_, n)| n);
            let at = doc.subtree(anchor).end;
            let pre = missing_newline(&doc.source, at, eol);
            Edit {
                range: at..at,
                text: format!(
                    "{pre}{eol}{}",
                    block.trim_end_matches(['\r', '\n']).to_string() + eol
                ),
            }
        }
    }
}

/// Adds a postmortem link under General: the post-mortem heading's own
/// items, before its first year (a `## Post-Mortem` heading is written at
/// the end when the document has none).
pub fn add_general_link(doc: &Document, title: &str, url: &str) -> Edit {
    match postmortem_heading(doc) {
        Some(pm) => {
            // A `### General` under the post-mortem heading is where General
            // links are kept, when the list has one.
            let within = doc.subtree(pm);
            let general = doc.sections.iter().find(|s| {
                s.title.trim().eq_ignore_ascii_case("general")
                    && within.contains(&(doc.node(s.node).span.start as usize))
            });
            add_link(doc, general.map_or(pm, |s| s.node), title, url)
        }
        None => {
            let eol = line_ending(&doc.source);
            let at = doc.source.len();
            let pre = missing_newline(&doc.source, at, eol);
            let gap = if at == 0 { "" } else { eol };
            Edit {
                range: at..at,
                text: format!(
                    "{pre}{gap}## Post-Mortem{eol}{eol}{}{eol}",
                    link_item(title, url)
                ),
            }
        }
    }
}

/// Why a name cannot be a new note's file name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteNameError {
    /// Nothing was typed.
    #[error("a note needs a name")]
    Empty,
    /// Absolute, or reaching above the notebook.
    #[error("`{0}` is not a name inside the notebook")]
    Outside(String),
    /// A control character in the name.
    #[error("a note name cannot hold control characters")]
    Control,
    /// A part starting with `.`: hidden, so the notebook would not read it.
    #[error("`{0}` is hidden (starts with .): the notebook skips hidden files and folders")]
    Hidden(String),
}

/// A file name for a new note: `name.md` unless it has a note extension;
/// no folders above the notebook, no absolute paths.
pub fn note_file_name(name: &str) -> Result<String, NoteNameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NoteNameError::Empty);
    }
    let path = std::path::Path::new(name);
    if path.is_absolute()
        || path
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(NoteNameError::Outside(name.to_string()));
    }
    if name.chars().any(|c| c.is_control()) {
        return Err(NoteNameError::Control);
    }
    if path
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return Err(NoteNameError::Hidden(name.to_string()));
    }
    Ok(if super::is_note(path) {
        name.to_string()
    } else {
        format!("{name}.md")
    })
}

/// A 64-bit FNV-1a hash of a file's content: stable across runs, to tell
/// whether a file changed since it was read.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;

    #[test]
    fn a_jot_goes_under_todays_session_made_when_missing() {
        let today = Date {
            year: 2026,
            month: 11,
            day: 29,
        };
        let src = "# Calendar\n\n- Nov 22, 2026 - Retro\n  - tea\n";
        let d = doc(src);
        let e = jot(&d, today, " deploy froze at 14:02 ", None).unwrap();
        let once = apply(&d, &e);
        assert_eq!(
            once,
            "# Calendar\n\n- Nov 22, 2026 - Retro\n  - tea\n- Nov 29, 2026\n  - deploy froze at 14:02\n"
        );
        let d = doc(&once);
        let e = jot(&d, today, "rollback done", None).unwrap();
        assert_eq!(apply(&d, &e), format!("{once}  - rollback done\n"));
        // Today's session without topics, in a CRLF file with no last newline.
        let d2 = doc("* Nov 20, 2026 - Before\r\n* Nov 29, 2026 - Standup");
        let e = jot(&d2, today, "pager", None).unwrap();
        assert_eq!(
            apply(&d2, &e),
            "* Nov 20, 2026 - Before\r\n* Nov 29, 2026 - Standup\r\n  * pager\r\n"
        );
        assert!(jot(&doc("# No dates\n- tea\n"), today, "x", None).is_none());
        // Each date style reads back as today's session.
        for (style, head) in [
            (DateStyle::MonthDay, "- Nov 29 - Standup"),
            (DateStyle::FullMonthDayYear, "- November 29, 2026 - Standup"),
        ] {
            let d = doc("## 2026\n\n- Nov 22, 2026 - Retro\n");
            let n = new_session_styled(&d, today, "Standup", Some(style)).unwrap();
            assert_eq!(n.text.lines().next(), Some(head));
            let after = doc(&splice(&d.source, n.at..n.at, &n.text));
            let s = after.sessions.last().unwrap();
            assert_eq!((s.year, s.month, s.day), (Some(2026), 11, 29));
        }
    }

    #[test]
    fn a_general_link_goes_before_the_first_year() {
        let src =
            "## Post-Mortem\n\n- [Old](https://a.test)\n\n### 2023\n\n- [New](https://b.test)\n";
        let d = doc(src);
        let e = add_general_link(&d, "Mine", "https://c.test");
        assert_eq!(
            apply(&d, &e),
            "## Post-Mortem\n\n- [Old](https://a.test)\n- [Mine](https://c.test)\n\n### 2023\n\n- [New](https://b.test)\n"
        );
        let src = "## Post-Mortems\n\n### General\n\n- [Old](https://a.test)\n\n### 2023\n";
        let d = doc(src);
        let e = add_general_link(&d, "Mine", "https://c.test");
        assert_eq!(
            apply(&d, &e),
            "## Post-Mortems\n\n### General\n\n- [Old](https://a.test)\n- [Mine](https://c.test)\n\n### 2023\n"
        );
        let plain = doc("# Notes\n");
        let e = add_general_link(&plain, "Mine", "https://c.test");
        assert_eq!(
            apply(&plain, &e),
            "# Notes\n\n## Post-Mortem\n\n- [Mine](https://c.test)\n"
        );
    }
    fn doc(text: &str) -> Document {
        parse_document("t.md".into(), text.to_string(), false)
    }

    fn apply(d: &Document, e: &Edit) -> String {
        splice(&d.source, e.range.clone(), &e.text)
    }

    #[test]
    fn a_link_goes_at_the_end_of_the_sections_own_items() {
        let d = doc("## Tools\n\n- [a](https://a)\n- [b](https://b)\n\n### Sub\n- x\n");
        let e = add_link(&d, 1, "C [beta]", "https://c.example/x y");
        assert_eq!(
            apply(&d, &e),
            "## Tools\n\n- [a](https://a)\n- [b](https://b)\n- [C \\[beta\\]](<https://c.example/x y>)\n\n### Sub\n- x\n"
        );
    }

    #[test]
    fn a_new_year_heading_goes_in_order() {
        let d = doc("## Post-Mortem\n\n### General\n- g\n\n### 2023\n\n- a\n\n### 2020\n\n- b\n");
        assert_eq!(
            apply(&d, &add_postmortem_link(&d, 2021, "New", "https://n")),
            "## Post-Mortem\n\n### General\n- g\n\n### 2023\n\n- a\n\n### 2021\n\n- [New](https://n)\n\n### 2020\n\n- b\n"
        );
        assert_eq!(
            apply(&d, &add_postmortem_link(&d, 2024, "New", "https://n")),
            "## Post-Mortem\n\n### General\n- g\n\n### 2024\n\n- [New](https://n)\n\n### 2023\n\n- a\n\n### 2020\n\n- b\n"
        );
        assert_eq!(
            apply(&d, &add_postmortem_link(&d, 2019, "Old", "https://o")),
            "## Post-Mortem\n\n### General\n- g\n\n### 2023\n\n- a\n\n### 2020\n\n- b\n\n### 2019\n\n- [Old](https://o)\n"
        );
        assert_eq!(
            apply(&d, &add_postmortem_link(&d, 2023, "Same", "https://s")),
            "## Post-Mortem\n\n### General\n- g\n\n### 2023\n\n- a\n- [Same](https://s)\n\n### 2020\n\n- b\n"
        );
    }

    #[test]
    fn a_document_without_postmortems_gets_a_section() {
        let d = doc("# Notes\n- x");
        assert_eq!(
            apply(&d, &add_postmortem_link(&d, 2026, "T", "https://t")),
            "# Notes\n- x\n\n## Post-Mortem\n\n### 2026\n\n- [T](https://t)\n"
        );
    }

    #[test]
    fn todays_session_follows_the_calendar() {
        let d = doc("## Cal\n\n- Sept 7, 2021 - A\n  - t\n- Sept 14 - B\n-");
        let today = Date {
            year: 2026,
            month: 9,
            day: 22,
        };
        let n = new_session(&d, today, "Incident review").expect("calendar");
        assert_eq!(n.at, d.source.len());
        assert_eq!(n.prefix, "\n");
        assert_eq!(n.text, "- Sept 22, 2026 - Incident review\n  - \n");
        assert_eq!(n.cursor, (1, 4));
        let d = doc("- May 1 x\r\n    - May 2 y\r\n- May 3 z\r\n");
        let n = new_session(
            &d,
            Date {
                year: 2024,
                month: 5,
                day: 7,
            },
            "",
        )
        .unwrap();
        assert_eq!(
            (n.at, n.prefix.as_str(), n.text.as_str()),
            (37, "", "- May 7, 2024\n  - \n")
        );
    }

    #[test]
    fn note_names_stay_inside_the_notebook() {
        assert_eq!(note_file_name("standup"), Ok("standup.md".into()));
        assert_eq!(
            note_file_name("ops/oncall.txt"),
            Ok("ops/oncall.txt".into())
        );
        assert_eq!(
            note_file_name("../x").map_err(|e| e.to_string()),
            Err("`../x` is not a name inside the notebook".into())
        );
        assert_eq!(
            note_file_name("/etc/x").map_err(|e| e.to_string()),
            Err("`/etc/x` is not a name inside the notebook".into())
        );
        assert_eq!(
            note_file_name(" ").map_err(|e| e.to_string()),
            Err("a note needs a name".into())
        );
        assert_eq!(
            note_file_name(".hidden/x").map_err(|e| e.to_string()),
            Err("`.hidden/x` is hidden (starts with .): the notebook skips hidden files and folders".into())
        );
        assert!(matches!(
            note_file_name("team/.draft"),
            Err(NoteNameError::Hidden(_))
        ));
        assert_eq!(
            note_file_name("team/v1.2 notes"),
            Ok("team/v1.2 notes.md".into())
        );
    }

    #[test]
    fn splice_keeps_every_other_byte() {
        assert_eq!(splice("abcdef", 2..4, "XYZ"), "abXYZef");
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
