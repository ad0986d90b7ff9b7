//! Reading an iCalendar file (`.ics`, as any calendar exports it) into the
//! days of its events, recurring ones expanded: parsed by the `icalendar`
//! crate, recurrences by `rrule`.

use chrono::TimeZone;

use crate::notebook::postmortem::Day;

/// An event on one day: its title and its description's lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The day it falls on.
    pub day: Day,
    /// `SUMMARY`.
    pub title: String,
    /// `DESCRIPTION`, a line each, list markers gone.
    pub topics: Vec<String>,
}

/// Occurrences of one recurring event listed at most.
const MAX_OCCURRENCES: u16 = 2_000;

/// The day of an iCalendar date or date-time value (`20261201`,
/// `20261201T120000Z`).
fn day_of(value: &str) -> Option<Day> {
    let v = value.trim();
    let n = |r: std::ops::Range<usize>| v.get(r)?.parse::<u32>().ok();
    Day::new(n(0..4)? as i32, n(4..6)? as u8, n(6..8)? as u8)
}

/// The events of a calendar between `from` and `to` (both included), in
/// date order; a recurring event (`RRULE`) once per day it recurs on.
pub fn events(text: &str, from: Day, to: Day) -> Result<Vec<CalendarEvent>, String> {
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded)
        .map_err(|e| format!("not an iCalendar file: {}", e.lines().next().unwrap_or("")))?;
    let mut out = Vec::new();
    let mut stack: Vec<&icalendar::parser::Component<'_>> = calendar.components.iter().collect();
    while let Some(c) = stack.pop() {
        stack.extend(c.components.iter());
        if c.name != "VEVENT" {
            continue;
        }
        let text_of = |name: &str| {
            c.find_prop(name)
                .map(|p| p.val.clone().unescape_text().as_str().to_string())
        };
        let Some(start) = c.find_prop("DTSTART").and_then(|p| day_of(p.val.as_str())) else {
            continue;
        };
        if text_of("STATUS").is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")) {
            continue;
        }
        let title = text_of("SUMMARY").unwrap_or_default().trim().to_string();
        let topics: Vec<String> = text_of("DESCRIPTION")
            .unwrap_or_default()
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches(['-', '*', '•'])
                    .trim()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        let days = match c.find_prop("RRULE") {
            None => vec![start],
            Some(rule) => recurrences(start, rule.val.as_str(), c, from, to)?,
        };
        for day in days.into_iter().filter(|d| *d >= from && *d <= to) {
            out.push(CalendarEvent {
                day,
                title: title.clone(),
                topics: topics.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.title.cmp(&b.title)));
    out.dedup();
    Ok(out)
}

/// The days a recurring event falls on between `from` and `to`: its rule
/// read from noon UTC of its first day, so a day never shifts by a zone;
/// `EXDATE`s left out.
fn recurrences(
    start: Day,
    rule: &str,
    event: &icalendar::parser::Component<'_>,
    from: Day,
    to: Day,
) -> Result<Vec<Day>, String> {
    let stamp = |d: Day| format!("{:04}{:02}{:02}T120000Z", d.year, d.month, d.day);
    // UNTIL as a date, or in another zone, read as that day at noon UTC too.
    let rule: String = rule
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("UNTIL") => match day_of(v) {
                Some(d) => format!("UNTIL={}", stamp(d)),
                None => part.to_string(),
            },
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";");
    let mut spec = format!("DTSTART:{}\nRRULE:{rule}", stamp(start));
    for p in event.properties.iter().filter(|p| p.name == "EXDATE") {
        let days: Vec<String> = p
            .val
            .as_str()
            .split(',')
            .filter_map(day_of)
            .map(stamp)
            .collect();
        if !days.is_empty() {
            spec.push_str(&format!("\nEXDATE:{}", days.join(",")));
        }
    }
    let set: rrule::RRuleSet = spec
        .parse()
        .map_err(|e| format!("a recurrence rule is not understood ({rule}): {e}"))?;
    let utc = |d: Day, h: u32| {
        rrule::Tz::UTC
            .with_ymd_and_hms(d.year, u32::from(d.month), u32::from(d.day), h, 0, 0)
            .single()
    };
    let (Some(after), Some(before)) = (utc(from, 0), utc(to, 23)) else {
        return Ok(Vec::new());
    };
    let found = set.after(after).before(before).all(MAX_OCCURRENCES);
    Ok(found
        .dates
        .iter()
        .filter_map(|dt| day_of(&dt.format("%Y%m%d").to_string()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Day {
        Day::new(y, m, d).expect("a day")
    }

    #[test]
    fn events_and_their_recurrences_in_a_range() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Berlin:20261202T120000\r\nRRULE:FREQ=WEEKLY;BYDAY=WE\r\n\
EXDATE;TZID=Europe/Berlin:20261216T120000\r\nSUMMARY:Lunch and learn\r\n\
DESCRIPTION:- Karpenter\\n- Cost\\, and quotas\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Game day\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20261211T090000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:Off\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let got = events(ics, day(2026, 12, 1), day(2026, 12, 31)).expect("reads");
        let seen: Vec<(String, &str, usize)> = got
            .iter()
            .map(|e| (e.day.iso(), e.title.as_str(), e.topics.len()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("2026-12-02".to_string(), "Lunch and learn", 2),
                ("2026-12-09".to_string(), "Lunch and learn", 2),
                ("2026-12-10".to_string(), "Game day", 0),
                ("2026-12-23".to_string(), "Lunch and learn", 2),
                ("2026-12-30".to_string(), "Lunch and learn", 2),
            ]
        );
        assert_eq!(got[0].topics, vec!["Karpenter", "Cost, and quotas"]);
    }

    #[test]
    fn a_file_that_is_no_calendar_says_so() {
        let e = events("hello", day(2026, 1, 1), day(2026, 12, 31)).unwrap_err();
        assert!(e.starts_with("not an iCalendar file"), "{e}");
    }
}
