//! Three-way merge of a note, line by line: what opsbook read (the base),
//! my version, and theirs (on disk, or another clone's). Changes to
//! different lines merge; two insertions at one place keep both (sessions
//! in date order); only changes to the same lines are left for the user,
//! as hunks to choose from.

use std::ops::Range;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::sessions::date_prefix;

/// A piece of the merged text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text both agree on (or that only one side changed).
    Clean(String),
    /// The same lines changed differently on both sides.
    Conflict(Conflict),
}

/// Lines changed differently on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// As they were.
    pub base: String,
    /// Mine.
    pub mine: String,
    /// Theirs.
    pub theirs: String,
}

/// Which side of a conflict to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// My lines.
    Mine,
    /// Their lines.
    Theirs,
    /// Mine, then theirs.
    Both,
}

/// The outcome of a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merge {
    /// The text, in order.
    pub pieces: Vec<Piece>,
}

impl Merge {
    /// The conflicts, in order.
    pub fn conflicts(&self) -> impl Iterator<Item = &Conflict> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Conflict(c) => Some(c),
            Piece::Clean(_) => None,
        })
    }

    /// Whether nothing is left to choose.
    pub fn is_clean(&self) -> bool {
        self.conflicts().next().is_none()
    }

    /// The merged text with `choices` for the conflicts, in order (a
    /// conflict without a choice keeps both).
    pub fn text(&self, choices: &[Choice]) -> String {
        let mut out = String::new();
        let mut k = 0;
        for p in &self.pieces {
            match p {
                Piece::Clean(s) => out.push_str(s),
                Piece::Conflict(c) => {
                    match choices.get(k).copied().unwrap_or(Choice::Both) {
                        Choice::Mine => out.push_str(&c.mine),
                        Choice::Theirs => out.push_str(&c.theirs),
                        Choice::Both => {
                            out.push_str(&c.mine);
                            out.push_str(&c.theirs);
                        }
                    }
                    k += 1;
                }
            }
        }
        out
    }
}

/// Lines with their endings, so that joining them gives the text back byte for byte.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A change of one side: base lines `base` became that side's lines `side`.
#[derive(Clone, Debug)]
struct Change {
    base: Range<usize>,
    side: Range<usize>,
}

fn changes(base: &[&str], side: &[&str]) -> Vec<Change> {
    capture_diff_slices(Algorithm::Myers, base, side)
        .into_iter()
        .filter(|op| op.tag() != DiffTag::Equal)
        .map(|op| Change {
            base: op.old_range(),
            side: op.new_range(),
        })
        .collect()
}

/// Whether two changes touch the same base lines: they overlap, or both
/// insert at one place, or one inserts inside what the other replaces.
fn collide(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Merges `mine` and `theirs`, both changed from `base`.
pub fn merge3(base: &str, mine: &str, theirs: &str) -> Merge {
    let b = lines(base);
    let m = lines(mine);
    let t = lines(theirs);
    let mut cm = changes(&b, &m).into_iter().peekable();
    let mut ct = changes(&b, &t).into_iter().peekable();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut clean = String::new();
    // Where we are in base, mine and theirs.
    let (mut at_b, mut at_m, mut at_t) = (0usize, 0usize, 0usize);
    loop {
        // The next change of either side, with every change of the other it
        // collides with, transitively.
        let first_m = cm.peek().map(|c| c.base.start);
        let first_t = ct.peek().map(|c| c.base.start);
        let start = match (first_m, first_t) {
            (None, None) => break,
            (Some(x), None) | (None, Some(x)) => x,
            (Some(x), Some(y)) => x.min(y),
        };
        let mut region = start..start;
        let mut mine_changes: Vec<Change> = Vec::new();
        let mut their_changes: Vec<Change> = Vec::new();
        loop {
            let mut grew = false;
            let touches = |c: &Change, region: &Range<usize>, empty: bool| {
                if empty {
                    c.base.start == region.start
                } else {
                    collide(&c.base, region) || (c.base.is_empty() && c.base.start == region.start)
                }
            };
            let empty = mine_changes.is_empty() && their_changes.is_empty();
            if let Some(c) = cm.peek()
                && touches(c, &region, empty)
            {
                let c = cm.next().expect("peeked");
                region = region.start.min(c.base.start)..region.end.max(c.base.end);
                mine_changes.push(c);
                grew = true;
            }
            let empty = mine_changes.is_empty() && their_changes.is_empty();
            if let Some(c) = ct.peek()
                && touches(c, &region, empty)
            {
                let c = ct.next().expect("peeked");
                region = region.start.min(c.base.start)..region.end.max(c.base.end);
                their_changes.push(c);
                grew = true;
            }
            if !grew {
                break;
            }
        }
        // Unchanged base lines before the region, on every side alike.
        let unchanged = region.start - at_b;
        for line in &b[at_b..region.start] {
            clean.push_str(line);
        }
        at_m += unchanged;
        at_t += unchanged;
        // Each side's lines for the region: its changes, and base lines between them.
        let side_text = |side: &[&str], changes: &[Change], at_side: usize| -> (String, usize) {
            let mut text = String::new();
            let mut pos_b = region.start;
            let mut pos_s = at_side;
            for c in changes {
                for line in &b[pos_b..c.base.start] {
                    text.push_str(line);
                }
                for line in &side[c.side.clone()] {
                    text.push_str(line);
                }
                pos_s = c.side.end;
                pos_b = c.base.end;
            }
            for line in &b[pos_b..region.end] {
                text.push_str(line);
            }
            pos_s += region.end - pos_b;
            (text, pos_s)
        };
        let (mine_text, next_m) = side_text(&m, &mine_changes, at_m);
        let (their_text, next_t) = side_text(&t, &their_changes, at_t);
        let base_text: String = b[region.clone()].concat();
        if their_changes.is_empty() || mine_text == their_text {
            clean.push_str(&mine_text);
        } else if mine_changes.is_empty() {
            clean.push_str(&their_text);
        } else if base_text.is_empty() {
            // Two insertions at one place: keep both.
            clean.push_str(&keep_both(&mine_text, &their_text));
        } else if let Some(both) =
            same_change_then_insertions(&b[region.clone()], &mine_text, &their_text)
        {
            clean.push_str(&both);
        } else {
            if !clean.is_empty() {
                pieces.push(Piece::Clean(std::mem::take(&mut clean)));
            }
            pieces.push(Piece::Conflict(Conflict {
                base: base_text,
                mine: mine_text,
                theirs: their_text,
            }));
        }
        at_b = region.end;
        at_m = next_m;
        at_t = next_t;
    }
    for line in &b[at_b..] {
        clean.push_str(line);
    }
    if !clean.is_empty() {
        pieces.push(Piece::Clean(clean));
    }
    Merge { pieces }
}

/// Both sides changed the region's lines the same way, one for one (the
/// last line of a file given its missing line ending, say), and each added
/// lines after or before them: the same change, then both insertions.
fn same_change_then_insertions(base: &[&str], mine: &str, theirs: &str) -> Option<String> {
    let m = lines(mine);
    let t = lines(theirs);
    let prefix = m.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let room = m.len().min(t.len()) - prefix;
    let suffix = m
        .iter()
        .rev()
        .zip(t.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix + suffix != base.len() {
        return None;
    }
    let middle = |l: &[&str]| l[prefix..l.len() - suffix].concat();
    Some(format!(
        "{}{}{}",
        m[..prefix].concat(),
        keep_both(&middle(&m), &middle(&t)),
        m[m.len() - suffix..].concat()
    ))
}

/// Both sides' inserted lines. When both insert dated list items
/// (sessions), the items of both go in date order (mine first on the same
/// date); otherwise mine, then theirs.
fn keep_both(mine: &str, theirs: &str) -> String {
    let (Some(mut a), Some(b)) = (dated_items(mine), dated_items(theirs)) else {
        return format!("{mine}{}", theirs);
    };
    a.extend(b);
    // A stable sort: mine first among items of one date.
    a.sort_by_key(|(date, _)| *date);
    a.into_iter().map(|(_, text)| text).collect()
}

/// A list item starting with a date: (year, month, day), and its lines.
type DatedItem = ((i32, u8, u8), String);

/// The text split into list items starting with a date, each with the
/// lines nested under it; `None` if any part is not such an item.
fn dated_items(text: &str) -> Option<Vec<DatedItem>> {
    let mut items: Vec<DatedItem> = Vec::new();
    let mut indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let depth = line.len() - trimmed.len();
        let starts_item = trimmed.starts_with(['-', '*', '+']) && indent.is_none_or(|i| depth <= i);
        if starts_item {
            let body = trimmed[1..].trim_start();
            let date = date_prefix(body)?;
            indent = Some(depth);
            // An item without a year sorts by month and day, after dated years.
            let key = (date.year.unwrap_or(i32::MAX), date.month, date.day);
            items.push((key, line.to_string()));
        } else if line.trim().is_empty() || indent.is_some_and(|i| depth > i) {
            items.last_mut()?.1.push_str(line);
        } else {
            return None;
        }
    }
    (!items.is_empty()).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# Calendar\n\n- Nov 2, 2026 - Kickoff\n  - agenda\n- Nov 9, 2026 - Review\n\n# Links\n- [a](https://a)\n- [b](https://b)\n";

    #[test]
    fn changes_to_different_lines_merge() {
        let mine = BASE.replace("  - agenda\n", "  - agenda\n  - notes\n");
        let theirs = BASE.replace("- [b](https://b)\n", "- [b](https://b)\n- [c](https://c)\n");
        let m = merge3(BASE, &mine, &theirs);
        assert!(m.is_clean());
        assert_eq!(
            m.text(&[]),
            BASE.replace("  - agenda\n", "  - agenda\n  - notes\n")
                .replace("- [b](https://b)\n", "- [b](https://b)\n- [c](https://c)\n")
        );
    }

    #[test]
    fn two_sessions_added_at_the_end_keep_both_in_date_order() {
        let at = "- Nov 9, 2026 - Review\n";
        let mine = BASE.replace(
            at,
            &format!("{at}- Nov 23, 2026 - Retro\n  - what went well\n"),
        );
        let theirs = BASE.replace(at, &format!("{at}- Nov 16, 2026 - Platform demo\n"));
        let m = merge3(BASE, &mine, &theirs);
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(
            m.text(&[]),
            BASE.replace(
                at,
                &format!(
                    "{at}- Nov 16, 2026 - Platform demo\n- Nov 23, 2026 - Retro\n  - what went well\n"
                )
            )
        );
        // Two links added under the same heading: both, mine first.
        let mine = BASE.replace("- [b](https://b)\n", "- [b](https://b)\n- [m](https://m)\n");
        let theirs = BASE.replace("- [b](https://b)\n", "- [b](https://b)\n- [t](https://t)\n");
        assert_eq!(
            merge3(BASE, &mine, &theirs).text(&[]),
            BASE.replace(
                "- [b](https://b)\n",
                "- [b](https://b)\n- [m](https://m)\n- [t](https://t)\n"
            )
        );
    }

    #[test]
    fn sessions_added_after_a_last_line_without_its_line_ending_keep_both() {
        let base = "# Cal\n- Nov 9, 2026 - Review";
        let mine = format!("{base}\n- Nov 23, 2026 - Retro\n");
        let theirs = format!("{base}\n- Nov 16, 2026 - Demo\n");
        let m = merge3(base, &mine, &theirs);
        assert!(m.is_clean(), "{m:?}");
        assert_eq!(
            m.text(&[]),
            format!("{base}\n- Nov 16, 2026 - Demo\n- Nov 23, 2026 - Retro\n")
        );
        // Two lines changed the same way but only one of them counted: a conflict.
        let base = "a\nb\n";
        let m = merge3(base, "a2\nb-mine\n", "a2\nb-theirs\n");
        assert!(!m.is_clean());
    }

    #[test]
    fn the_same_line_changed_twice_is_a_conflict_to_choose() {
        let mine = BASE.replace("Review", "Design review");
        let theirs = BASE.replace("Review", "Code review");
        let m = merge3(BASE, &mine, &theirs);
        let conflicts: Vec<&Conflict> = m.conflicts().collect();
        assert_eq!(
            conflicts,
            vec![&Conflict {
                base: "- Nov 9, 2026 - Review\n".into(),
                mine: "- Nov 9, 2026 - Design review\n".into(),
                theirs: "- Nov 9, 2026 - Code review\n".into(),
            }]
        );
        assert_eq!(m.text(&[Choice::Mine]), mine);
        assert_eq!(m.text(&[Choice::Theirs]), theirs);
        assert_eq!(
            m.text(&[Choice::Both]),
            BASE.replace(
                "- Nov 9, 2026 - Review\n",
                "- Nov 9, 2026 - Design review\n- Nov 9, 2026 - Code review\n"
            )
        );
    }

    #[test]
    fn identical_changes_and_one_sided_changes_are_clean() {
        let both = BASE.replace("Kickoff", "Kick-off");
        assert_eq!(merge3(BASE, &both, &both).text(&[]), both);
        assert_eq!(merge3(BASE, &both, BASE).text(&[]), both);
        assert_eq!(merge3(BASE, BASE, &both).text(&[]), both);
        assert_eq!(merge3("", "a\n", "").text(&[]), "a\n");
        // A file without a final line ending.
        assert_eq!(merge3("a\nb", "a\nb", "a\nb\nc").text(&[]), "a\nb\nc");
    }
}
