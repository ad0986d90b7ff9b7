//! Commit messages that say what changed in a note: the sessions added to a
//! calendar (`lunch-and-learn.md: Nov 23, 2026 - Platform retro`), the links
//! added under a heading (`plan.md: 2 links under Post-Mortem › 2024`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::git::Git;
use crate::notebook::Document;
use crate::notebook::document::parse_document;
use crate::notebook::sessions::month_abbrev;

/// What changed in one note, in a few words.
pub fn note_change(old: Option<&str>, new: Option<&str>) -> String {
    let (Some(old), Some(new)) = (old, new) else {
        return match (old, new) {
            (None, Some(_)) => "new note".to_string(),
            (Some(_), None) => "deleted".to_string(),
            _ => "edited".to_string(),
        };
    };
    let old = parse_document(PathBuf::from("old.md"), old.to_string(), false);
    let new = parse_document(PathBuf::from("new.md"), new.to_string(), false);
    let old_sessions: HashSet<String> = old.sessions.iter().map(session_label).collect();
    let added: Vec<String> = new
        .sessions
        .iter()
        .map(session_label)
        .filter(|l| !old_sessions.contains(l))
        .collect();
    if !added.is_empty() {
        return added.join(", ");
    }
    let old_links: HashSet<&str> = old.links.iter().map(|l| old.link_url(l)).collect();
    let new_links: Vec<_> = new
        .links
        .iter()
        .filter(|l| !old_links.contains(new.link_url(l)))
        .collect();
    if !new_links.is_empty() {
        let n = new_links.len();
        let heads: HashSet<String> = new_links.iter().map(|l| headings(&new, l)).collect();
        let what = if n == 1 {
            format!("link {}", new.link_title(new_links[0]))
        } else {
            format!("{n} links")
        };
        return match heads.into_iter().next() {
            Some(h)
                if !h.is_empty()
                    && (n == 1 || new_links.iter().all(|l| headings(&new, l) == h)) =>
            {
                format!("{what} under {h}")
            }
            _ => what,
        };
    }
    "edited".to_string()
}

fn headings(doc: &Document, link: &crate::notebook::Link) -> String {
    doc.link_headings(link).join(" › ")
}

fn session_label(s: &crate::notebook::Session) -> String {
    let date = match s.year {
        Some(y) => format!("{} {}, {y}", month_abbrev(s.month), s.day),
        None => format!("{} {}", month_abbrev(s.month), s.day),
    };
    if s.title.is_empty() {
        date
    } else {
        format!("{date} - {}", s.title)
    }
}

/// The message of a commit of these notes (relative to the notebook): one
/// `file: what` per note.
pub fn describe(git: &Git, paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            let old = git.show_bytes("HEAD", &format!("./{}", p.display()));
            let new = std::fs::read(git.dir.join(p)).ok();
            let what = match (&old, &new) {
                // A note that is not UTF-8 is edited, not read as text.
                (Some(o), Some(n))
                    if std::str::from_utf8(o).is_err() || std::str::from_utf8(n).is_err() =>
                {
                    "edited (not UTF-8)".to_string()
                }
                (None, Some(n)) if std::str::from_utf8(n).is_err() => {
                    "new note (not UTF-8)".to_string()
                }
                _ => {
                    let text = |b: &Option<Vec<u8>>| {
                        b.as_ref().map(|b| String::from_utf8_lossy(b).into_owned())
                    };
                    note_change(text(&old).as_deref(), text(&new).as_deref())
                }
            };
            format!("{}: {what}", Path::new(p).display())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_changed() {
        let cal = "# Calendar\n\n- Nov 16, 2026 - Kickoff\n";
        assert_eq!(
            note_change(
                Some(cal),
                Some(&format!("{cal}- Nov 23, 2026 - Platform retro\n"))
            ),
            "Nov 23, 2026 - Platform retro"
        );
        let plan = "# Post-Mortem\n## 2024\n- [a](https://a)\n";
        assert_eq!(
            note_change(
                Some(plan),
                Some(&format!("{plan}- [b](https://b)\n- [c](https://c)\n"))
            ),
            "2 links under Post-Mortem › 2024"
        );
        assert_eq!(
            note_change(Some(plan), Some(&format!("{plan}- [b](https://b)\n"))),
            "link b under Post-Mortem › 2024"
        );
        assert_eq!(note_change(Some(plan), Some("# Post-Mortem\n")), "edited");
        assert_eq!(note_change(None, Some(plan)), "new note");
        assert_eq!(note_change(Some(plan), None), "deleted");
    }
}
