//! Sessions as an iCalendar file (RFC 5545) for calendar apps to subscribe
//! to: all-day events, topics in the description, a UID stable across
//! exports, cancelled sessions as `STATUS:CANCELLED`.
//!
//! Written here rather than with a crate: the one kept crate (`icalendar`)
//! brings chrono beside our jiff for what is a few lines of text.

use super::SessionRecord;
use crate::notebook::edit::content_hash;

/// The calendar of `sessions`; sessions whose year is unknown cannot be
/// placed and are left out (the count is returned).
pub fn calendar(sessions: &[SessionRecord]) -> (String, usize) {
    let mut out = String::new();
    let mut line = |s: &str| fold(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//opsbook//sessions//EN");
    line("CALSCALE:GREGORIAN");
    let mut left_out = 0;
    // The n-th session of a day in a document: the UID stays the same while
    // titles and topics are edited.
    let mut seen: Vec<(String, String)> = Vec::new();
    for s in sessions {
        let Some(date) = &s.date else {
            left_out += 1;
            continue;
        };
        let day = date.replace('-', "");
        let nth = seen
            .iter()
            .filter(|(d, doc)| *d == day && *doc == s.document)
            .count();
        seen.push((day.clone(), s.document.clone()));
        let Some(next) = next_day(date) else {
            left_out += 1;
            continue;
        };
        let title = if s.title.trim().is_empty() {
            s.topics.first().cloned().unwrap_or_default()
        } else {
            s.title.clone()
        };
        line("BEGIN:VEVENT");
        line(&format!(
            "UID:{day}-{nth}-{:016x}@opsbook",
            content_hash(s.document.as_bytes())
        ));
        // A fixed stamp keeps exports identical while the notes are.
        line(&format!("DTSTAMP:{day}T000000Z"));
        line(&format!("DTSTART;VALUE=DATE:{day}"));
        line(&format!("DTEND;VALUE=DATE:{next}"));
        line(&format!("SUMMARY:{}", escape(&title)));
        if !s.topics.is_empty() {
            let topics: Vec<String> = s.topics.iter().map(|t| format!("- {t}")).collect();
            line(&format!("DESCRIPTION:{}", escape(&topics.join("\n"))));
        }
        if s.cancelled {
            line("STATUS:CANCELLED");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    (out, left_out)
}

/// The day after `YYYY-MM-DD`, as `YYYYMMDD`.
fn next_day(date: &str) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let next = d.tomorrow().ok()?;
    Some(next.strftime("%Y%m%d").to_string())
}

/// TEXT as RFC 5545 escapes it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line, folded at 75 octets (never inside a character), CRLF.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(date: Option<&str>, title: &str, topics: &[&str], cancelled: bool) -> SessionRecord {
        SessionRecord {
            date: date.map(str::to_string),
            month: 11,
            day: 15,
            year_inferred: false,
            title: title.to_string(),
            cancelled,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            document: "cal.md".to_string(),
            line: 3,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn all_day_events_with_topics_cancellations_and_stable_uids() {
        let (ics, left_out) = calendar(&[
            session(
                Some("2022-11-15"),
                "OPA; policy, admission",
                &["Gatekeeper", "Kyverno"],
                false,
            ),
            session(Some("2022-12-31"), "", &["year end"], true),
            session(None, "Someday", &[], false),
        ]);
        assert_eq!(left_out, 1);
        let uid = format!("{:016x}", content_hash(b"cal.md"));
        assert_eq!(
            ics,
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//opsbook//sessions//EN\r\nCALSCALE:GREGORIAN\r\n\
                 BEGIN:VEVENT\r\nUID:20221115-0-{uid}@opsbook\r\nDTSTAMP:20221115T000000Z\r\n\
                 DTSTART;VALUE=DATE:20221115\r\nDTEND;VALUE=DATE:20221116\r\n\
                 SUMMARY:OPA\\; policy\\, admission\r\nDESCRIPTION:- Gatekeeper\\n- Kyverno\r\nEND:VEVENT\r\n\
                 BEGIN:VEVENT\r\nUID:20221231-0-{uid}@opsbook\r\nDTSTAMP:20221231T000000Z\r\n\
                 DTSTART;VALUE=DATE:20221231\r\nDTEND;VALUE=DATE:20230101\r\n\
                 SUMMARY:year end\r\nDESCRIPTION:- year end\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
                 END:VCALENDAR\r\n"
            )
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        fold(&mut out, &format!("SUMMARY:{}", "é".repeat(40)));
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.len() <= 75));
        assert_eq!(lines[0].len(), 74);
        assert!(lines[1].starts_with(' '));
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(40))
        );
    }
}
