//! Action items: what a postmortem or a meeting leaves to do. Task items
//! (`- [ ] …`, `- [x] …`) and `Action:`/`AI:` items in any note, and every
//! item directly under an "Action items", "Follow-ups" or "Next steps"
//! heading of a postmortem document, with their owner, due date and
//! done state.

use std::ops::Range;

use rayon::prelude::*;

use super::Notebook;
use super::edit::Edit;
use super::links::plain_text;
use super::model::{Document, NodeId, NodeKind};
use super::postmortem::{Day, first_date, is_postmortem_document};
use super::sessions::month_number;

/// Headings whose items are all actions, in a postmortem document (folded:
/// lower case, letters and spaces).
const ACTION_HEADINGS: [&str; 9] = [
    "action items",
    "action item",
    "actions",
    "action points",
    "follow ups",
    "followups",
    "follow up",
    "next steps",
    "corrective actions",
];

/// One action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionItem {
    /// Index of its document in the notebook.
    pub doc: u32,
    /// Its list item.
    pub node: NodeId,
    /// 1-based line of the item.
    pub line: u32,
    /// What is to be done, as plain text (checkbox and `Action:` gone).
    pub text: String,
    /// Checked (`[x]`).
    pub done: bool,
    /// `@name`, `owner: name` or a trailing `(name)`.
    pub owner: Option<String>,
    /// `due:2026-12-10`, `due 2026-12-10`, `by Dec 10` (this year).
    pub due: Option<Day>,
    /// The byte range of its checkbox's mark (the space or `x` inside
    /// `[ ]`); `None` for a plain bullet, which gets a checkbox when first
    /// marked done.
    mark: Option<usize>,
    /// Where the item's text starts (after its list marker).
    content_start: usize,
}

impl ActionItem {
    /// The edit that marks it done (or open again): only the checkbox's
    /// mark changes; a plain bullet gets `[x] ` before its text.
    pub fn toggle(&self) -> Edit {
        match self.mark {
            Some(at) => Edit {
                range: at..at + 1,
                text: if self.done { " " } else { "x" }.into(),
            },
            None => Edit {
                range: self.content_start..self.content_start,
                text: "[x] ".into(),
            },
        }
    }

    /// Whether it is open and due before `today`.
    pub fn overdue(&self, today: Day) -> bool {
        !self.done && self.due.is_some_and(|d| d < today)
    }
}

/// Folded for comparing headings: lower case, letters, single spaces.
fn fold(s: &str) -> String {
    let words: Vec<String> = s
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

/// The checkbox at the start of an item's text: whether checked, and the
/// byte (from the text's start) of its mark.
fn checkbox(text: &str) -> Option<(bool, usize)> {
    let b = text.as_bytes();
    if b.len() >= 3 && b[0] == b'[' && b[2] == b']' && b.get(3).is_none_or(|c| *c == b' ') {
        match b[1] {
            b' ' => Some((false, 1)),
            b'x' | b'X' => Some((true, 1)),
            _ => None,
        }
    } else {
        None
    }
}

/// The text after an `Action:` / `AI:` / `TODO:` label, if it has one.
fn labelled(text: &str) -> Option<&str> {
    let t = text.trim_start_matches(['*', '_']);
    for label in ["action:", "ai:", "todo:", "action item:"] {
        if t.get(..label.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(label))
        {
            return Some(t[label.len()..].trim_start_matches(['*', '_']).trim_start());
        }
    }
    None
}

/// The owner an action names: `@name`, `owner: name` / `owner:name`, or a
/// trailing `(name)` of one or two words.
pub fn owner_of(text: &str) -> Option<String> {
    let word_end = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(s.len())
    };
    if let Some(at) = text.find('@') {
        let before = text[..at].chars().next_back();
        let rest = &text[at + 1..];
        let name = rest[..word_end(rest)].trim_end_matches('.');
        // Not an email address.
        if !name.is_empty() && before.is_none_or(|c| !c.is_alphanumeric()) {
            return Some(name.to_string());
        }
    }
    // ASCII case only: byte offsets stay those of `text`.
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("owner:") {
        let rest = text[at + "owner:".len()..].trim_start();
        let name = &rest[..word_end(rest)];
        if !name.is_empty() {
            return Some(name.to_string());
        }
    }
    let t = text.trim_end().trim_end_matches('.');
    if let Some(inner) = t.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let name = inner[open + 1..].trim();
        let words = name.split_whitespace().count();
        let looks_like_name = (1..=2).contains(&words)
            && name
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.')
            && !name.eq_ignore_ascii_case("optional");
        if looks_like_name {
            return Some(name.to_string());
        }
    }
    None
}

/// The due date an action names: `due:2026-12-10`, `due 2026-12-10`,
/// `due: Dec 10 2026`, or `by Dec 10` / `by 10 Dec` (in `year`).
pub fn due_of(text: &str, year: i32) -> Option<Day> {
    // ASCII case only: byte offsets stay those of `text`.
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("due") {
        let rest = text[at + 3..].trim_start_matches([':', ' ']);
        if let Some(d) = first_date(rest.get(..rest.len().min(40)).unwrap_or(rest)) {
            return Some(d);
        }
        if let Some(d) = month_day(rest, year) {
            return Some(d);
        }
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if *w == "by"
            && let Some(rest) = words.get(i + 1..)
        {
            let phrase = rest.iter().take(3).copied().collect::<Vec<_>>().join(" ");
            if let Some(d) = first_date(&phrase).or_else(|| month_day(&phrase, year)) {
                return Some(d);
            }
        }
    }
    None
}

/// `Dec 10` or `10 Dec` at the start of `text`, in `year`.
fn month_day(text: &str, year: i32) -> Option<Day> {
    let words: Vec<String> = text
        .split_whitespace()
        .take(2)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    let num = |w: &str| -> Option<u8> {
        let w = w.trim_end_matches(|c: char| c.is_alphabetic());
        w.parse().ok()
    };
    let (m, d) = match words.as_slice() {
        [a, b] => match (month_number(a), num(b), num(a), month_number(b)) {
            (Some(m), Some(d), _, _) => (m, d),
            (_, _, Some(d), Some(m)) => (m, d),
            _ => return None,
        },
        _ => return None,
    };
    Day::new(year, m, d)
}

/// The actions of one document; `year` dates a `by Dec 10` without one.
pub fn actions_of(doc: &Document, index: u32, year: i32) -> Vec<ActionItem> {
    actions_in(doc, index, year, is_postmortem_document(doc))
}

/// The actions of one document, known to be a postmortem document or not
/// (whose "Action items" section lists actions without a label).
fn actions_in(doc: &Document, index: u32, year: i32, postmortem: bool) -> Vec<ActionItem> {
    let mut out = Vec::new();
    for (i, node) in doc.nodes.iter().enumerate() {
        if !matches!(node.kind(), NodeKind::Item { .. }) {
            continue;
        }
        let id = i as NodeId;
        let content: Range<usize> = node.content_span(&doc.source).range();
        let raw = &doc.source[content.clone()];
        let in_action_section = postmortem
            && doc
                .section_of(id)
                .is_some_and(|s| ACTION_HEADINGS.contains(&fold(&s.title).as_str()))
            && !matches!(doc.node(node.parent()).kind(), NodeKind::Item { .. });
        let (done, mark, text) = match checkbox(raw) {
            Some((done, at)) => (done, Some(content.start + at), &raw[3..]),
            None => match labelled(raw) {
                Some(rest) => (false, None, rest),
                None if in_action_section => (false, None, raw),
                None => continue,
            },
        };
        // A labelled item may still be checked after its label.
        let text = text.trim();
        let plain = plain_text(text.lines().next().unwrap_or(""));
        if plain.trim().is_empty() {
            continue;
        }
        out.push(ActionItem {
            doc: index,
            node: id,
            line: doc.node_line(id),
            owner: owner_of(text),
            due: due_of(text, year),
            text: plain.trim().to_string(),
            done,
            mark,
            content_start: content.start,
        });
    }
    out
}

/// Every action of the notebook, grouped by note: postmortem documents
/// newest first, then the other notes in notebook order; each note's in
/// line order. A `by Dec 10` without a year is in the postmortem's year,
/// else in `today`'s.
pub fn notebook_actions(notebook: &Notebook, today: Day) -> Vec<ActionItem> {
    let docs = &notebook.documents;
    let postmortems = notebook.postmortem_documents(today);
    let mut listed = vec![false; docs.len()];
    let mut order: Vec<(u32, i32)> = Vec::with_capacity(docs.len());
    for p in &postmortems {
        listed[p.doc as usize] = true;
        order.push((p.doc, p.year.unwrap_or(today.year)));
    }
    order.extend(
        (0..docs.len() as u32)
            .filter(|&i| !listed[i as usize])
            .map(|i| (i, today.year)),
    );
    // Every item of every note is read: at 1M links, 0.5 s on one thread.
    order
        .into_par_iter()
        .flat_map_iter(|(d, year)| actions_in(&docs[d as usize], d, year, listed[d as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::document::parse_document;
    use crate::notebook::edit::splice;

    fn doc(path: &str, text: &str) -> Document {
        parse_document(path.into(), text.into(), false)
    }

    fn day(y: i32, m: u8, d: u8) -> Option<Day> {
        Day::new(y, m, d)
    }

    #[test]
    fn task_items_labelled_items_and_a_postmortems_action_section_are_actions() {
        let pm = doc(
            "incidents/2021-03-31-adfs.md",
            "# ADFS\n## Summary\n- not an action\n## Action items\n\
             - [ ] Alert 30 days before expiry @maria due:2021-04-30\n\
             - [x] Move reminders to the team mailbox (ops)\n\
             - Document the renewal owner: dave\n  - a detail, not an action\n\
             ## Lessons learned\n- [ ] Practise the renewal by Dec 10\n",
        );
        type Seen = (u32, String, bool, Option<String>, Option<Day>);
        let got: Vec<Seen> = actions_of(&pm, 0, 2021)
            .into_iter()
            .map(|a| (a.line, a.text, a.done, a.owner, a.due))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    5,
                    "Alert 30 days before expiry @maria due:2021-04-30".into(),
                    false,
                    Some("maria".into()),
                    day(2021, 4, 30)
                ),
                (
                    6,
                    "Move reminders to the team mailbox (ops)".into(),
                    true,
                    Some("ops".into()),
                    None
                ),
                (
                    7,
                    "Document the renewal owner: dave".into(),
                    false,
                    Some("dave".into()),
                    None
                ),
                (
                    10,
                    "Practise the renewal by Dec 10".into(),
                    false,
                    None,
                    day(2021, 12, 10)
                ),
            ]
        );
        // In a note that is no postmortem, only task and labelled items.
        let meeting = doc(
            "standup.md",
            "# Standup\n## Action items\n- plain bullet\n- Action: rotate keys @sam\n- AI: write it up by 2026-12-20\n",
        );
        let got: Vec<(String, Option<String>, Option<Day>)> = actions_of(&meeting, 0, 2026)
            .into_iter()
            .map(|a| (a.text, a.owner, a.due))
            .collect();
        assert_eq!(
            got,
            vec![
                ("rotate keys @sam".into(), Some("sam".into()), None),
                ("write it up by 2026-12-20".into(), None, day(2026, 12, 20)),
            ]
        );
    }

    #[test]
    fn toggling_writes_only_the_checkbox_bytes() {
        let text = "# PM\n## Summary\nx\n## Timeline\nx\n## Action items\n- [ ] Alert on expiry\n- [X] Done one\n- Plain one\n";
        let d = doc("pm/PM2021-004 - ADFS.md", text);
        let a = actions_of(&d, 0, 2021);
        let toggled = |i: usize| {
            let e = a[i].toggle();
            splice(text, e.range, &e.text)
        };
        assert_eq!(
            toggled(0),
            text.replace("- [ ] Alert", "- [x] Alert"),
            "open to done"
        );
        assert_eq!(toggled(1), text.replace("- [X] Done", "- [ ] Done"));
        assert_eq!(toggled(2), text.replace("- Plain one", "- [x] Plain one"));
        let e = a[0].toggle();
        assert_eq!((e.range.len(), e.text.as_str()), (1, "x"));
    }

    #[test]
    fn owners_and_due_dates_in_their_written_forms() {
        assert_eq!(owner_of("mail ops@example.com about it"), None);
        // Letters beyond ASCII never split a character.
        assert_eq!(labelled("Prometheus “strongest weakness”"), None);
        assert_eq!(owner_of("ÉTÉ owner: çava"), Some("çava".into()));
        assert_eq!(due_of("İİİ due 2026-01-05", 2026), day(2026, 1, 5));
        assert_eq!(owner_of("Rotate (Jane Doe)").as_deref(), Some("Jane Doe"));
        assert_eq!(owner_of("Rotate (optional)"), None);
        assert_eq!(owner_of("Owner:kim fix it").as_deref(), Some("kim"));
        assert_eq!(due_of("x due 2026-01-05", 2026), day(2026, 1, 5));
        assert_eq!(due_of("x due: Jan 5", 2026), day(2026, 1, 5));
        assert_eq!(due_of("x by 5 January", 2026), day(2026, 1, 5));
        assert_eq!(due_of("stand by for news", 2026), None);
        let a = ActionItem {
            doc: 0,
            node: 1,
            line: 1,
            text: String::new(),
            done: false,
            owner: None,
            due: day(2026, 12, 1),
            mark: None,
            content_start: 0,
        };
        assert!(a.overdue(Day::new(2026, 12, 6).unwrap()));
        assert!(!a.overdue(Day::new(2026, 12, 1).unwrap()));
    }
}
