//! Sessions: list items that start with a date, such as `Aug 31, 2021 Title`
//! or `May 18 - Title`, with the missing years inferred from their neighbours.

/// The date at the start of a line of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePrefix {
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31 (the first day of a range such as `June 1-3`).
    pub day: u8,
    /// The year as written, plausible or not (`200`).
    pub year: Option<i32>,
    /// Byte offset where the text after the date starts.
    pub rest: usize,
}

const MONTHS: [(&str, u8); 24] = [
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

/// The month a name or abbreviation means (`Mar`, `march`), any case.
pub fn month_number(word: &str) -> Option<u8> {
    MONTHS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|(_, m)| *m)
}

/// Years a calendar entry can plausibly have.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// Whether raw Markdown may start with a month name (after `**`, `_` or `[`):
/// a cheap test before the item's text is rendered and read in full.
pub fn may_start_with_month(markdown: &str) -> bool {
    let t = markdown.trim_start_matches(['*', '_', '[', ' ', '\t']);
    // Every month starts with one of these letters: most items fail here.
    if !t.starts_with([
        'J', 'F', 'M', 'A', 'S', 'O', 'N', 'D', 'j', 'f', 'm', 'a', 's', 'o', 'n', 'd',
    ]) {
        return false;
    }
    let word_len = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    word_len >= 3
        && MONTHS
            .iter()
            .any(|(name, _)| name.len() == word_len && name.eq_ignore_ascii_case(&t[..word_len]))
}

/// Reads a date at the start of `text`: month name, day (or day range) and
/// an optional year (`, 2021`, `, 200` or ` 2021`).
pub fn date_prefix(text: &str) -> Option<DatePrefix> {
    let lead = text.len() - text.trim_start().len();
    let s = &text[lead..];
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = s[..word_len].to_ascii_lowercase();
    let month = MONTHS.iter().find(|(name, _)| *name == word)?.1;
    let mut at = word_len;
    if s[at..].starts_with('.') {
        at += 1;
    }
    let spaces = s[at..].len() - s[at..].trim_start_matches([' ', '\t']).len();
    if spaces == 0 {
        return None;
    }
    at += spaces;
    let n = digits(&s[at..]);
    if n == 0 || n > 2 {
        return None;
    }
    let day: u8 = s[at..at + n].parse().ok()?;
    if !(1..=31).contains(&day) {
        return None;
    }
    at += n;
    // A range such as `1-3` or `9–10`: the first day counts.
    for dash in ["-", "–"] {
        if let Some(after) = s[at..].strip_prefix(dash) {
            let m = digits(after);
            if (1..=2).contains(&m) {
                at += dash.len() + m;
            }
            break;
        }
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if s[at..].starts_with(suffix) {
            at += 2;
            break;
        }
    }
    if s[at..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let mut year = None;
    let after = &s[at..];
    if let Some(rest) = after.strip_prefix(',') {
        let ws = rest.len() - rest.trim_start().len();
        let y = digits(&rest[ws..]);
        let tail = &rest[ws + y..];
        if (1..=4).contains(&y) && !tail.starts_with(|c: char| c.is_alphanumeric()) {
            year = rest[ws..ws + y].parse().ok();
            at += 1 + ws + y;
        }
    } else {
        let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
        let y = digits(&after[ws..]);
        let tail = &after[ws + y..];
        if ws > 0 && y == 4 && !tail.starts_with(|c: char| c.is_alphanumeric()) {
            year = after[ws..ws + 4].parse().ok();
            at += ws + 4;
        }
    }
    Some(DatePrefix {
        month,
        day,
        year,
        rest: lead + at,
    })
}

/// The title after a date: separators (` - `, `,`, `:`) trimmed.
pub fn title_after_date(rest: &str) -> String {
    let separators: &[char] = &['-', '–', '—', ',', ':', ' ', '\t'];
    rest.trim_matches(separators).to_string()
}

/// Whether a title or topic says the session did not take place.
pub fn says_no_meeting(text: &str) -> bool {
    text.to_lowercase().contains("no meeting")
}

/// A session's date while its year is being worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedEntry {
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// As written.
    pub written_year: Option<i32>,
    /// The result.
    pub year: Option<i32>,
    /// The result came from the neighbours.
    pub inferred: bool,
    /// Problems found.
    pub warnings: Vec<String>,
}

impl DatedEntry {
    /// An entry as written.
    pub fn new(month: u8, day: u8, written_year: Option<i32>) -> Self {
        DatedEntry {
            month,
            day,
            written_year,
            year: None,
            inferred: false,
            warnings: Vec::new(),
        }
    }

    fn plausible_year(&self) -> Option<i32> {
        self.written_year.filter(|y| PLAUSIBLE_YEARS.contains(y))
    }
}

/// Fills in missing and impossible years of the entries of one section, in
/// document order. Forward from the nearest written year before an entry
/// (a new year each time the month jumps back by more than six months);
/// backward from the first written year for entries before it. When no
/// entry writes a year, the section's year heading (`## 2024`) gives it.
pub fn infer_years(entries: &mut [DatedEntry], heading_year: Option<i32>) {
    if let Some(y) = heading_year.filter(|y| PLAUSIBLE_YEARS.contains(y))
        && !entries.iter().any(|e| e.plausible_year().is_some())
    {
        // The year is stated, once, above the calendar: not inferred.
        let mut current = (y, 0u8);
        for e in entries.iter_mut() {
            let (y, m) = current;
            let y = if i32::from(m) - i32::from(e.month) > 6 {
                y + 1
            } else {
                y
            };
            e.year = Some(y);
            e.inferred = y != heading_year.unwrap_or(y);
            current = (y, e.month);
        }
    }
    let mut current: Option<(i32, u8)> = None;
    for e in entries.iter_mut() {
        if let Some(y) = e.plausible_year() {
            e.year = Some(y);
            current = Some((y, e.month));
        } else if let Some((y, m)) = current {
            let y = if i32::from(m) - i32::from(e.month) > 6 {
                y + 1
            } else {
                y
            };
            e.year = Some(y);
            e.inferred = true;
            current = Some((y, e.month));
        }
    }
    if let Some(first) = entries.iter().position(|e| e.plausible_year().is_some()) {
        let mut current = (
            entries[first].year.unwrap_or_default(),
            entries[first].month,
        );
        for e in entries[..first].iter_mut().rev() {
            let (y, m) = current;
            let y = if i32::from(e.month) - i32::from(m) > 6 {
                y - 1
            } else {
                y
            };
            e.year = Some(y);
            e.inferred = true;
            current = (y, e.month);
        }
    }
    for e in entries.iter_mut() {
        if let Some(w) = e.written_year.filter(|y| !PLAUSIBLE_YEARS.contains(y)) {
            e.warnings.push(match e.year {
                Some(y) => {
                    format!("year {w} is not plausible; read as {y} from the sessions around it")
                }
                None => format!("year {w} is not plausible and no session around it gives one"),
            });
        }
        let max_day = days_in_month(e.year.unwrap_or(2000), e.month);
        if e.day > max_day {
            e.warnings.push(format!(
                "day {} does not exist in month {}{}",
                e.day,
                e.month,
                e.year.map(|y| format!(" of {y}")).unwrap_or_default()
            ));
        }
    }
}

/// Three-letter English name of a month (1 to 12).
pub fn month_abbrev(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("???")
}

/// Three-letter day of the week of a date (proleptic Gregorian calendar).
pub fn weekday(year: i32, month: u8, day: u8) -> &'static str {
    // Sakamoto's method.
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let m = (month.clamp(1, 12) - 1) as usize;
    let w = (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + T[m] + i32::from(day))
        .rem_euclid(7);
    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][w as usize]
}

/// Number of days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<(u8, u8, Option<i32>, String)> {
        date_prefix(text).map(|d| (d.month, d.day, d.year, title_after_date(&text[d.rest..])))
    }

    #[test]
    fn reads_the_date_forms_of_real_calendars() {
        let t = |s: &str| s.to_string();
        assert_eq!(
            date("May 25 Release Process Management (Claus)"),
            Some((5, 25, None, t("Release Process Management (Claus)")))
        );
        assert_eq!(
            date("Aug 31, 2021 Challenges for X"),
            Some((8, 31, Some(2021), t("Challenges for X")))
        );
        assert_eq!(
            date("May 23 - NO MEETING"),
            Some((5, 23, None, t("NO MEETING")))
        );
        assert_eq!(
            date("Sept 14, 2021 - Continuous"),
            Some((9, 14, Some(2021), t("Continuous")))
        );
        assert_eq!(
            date("Nov 15, 200 - OPA"),
            Some((11, 15, Some(200), t("OPA")))
        );
        assert_eq!(
            date("June 1-3 LISA by Usenix"),
            Some((6, 1, None, t("LISA by Usenix")))
        );
        assert_eq!(
            date("Mar 15 2022 - Trusting"),
            Some((3, 15, Some(2022), t("Trusting")))
        );
        assert_eq!(
            date("Oct 26, 2021 -Backups"),
            Some((10, 26, Some(2021), t("Backups")))
        );
        assert_eq!(
            date("Jan 17 - 1x1 w/ Rocky"),
            Some((1, 17, None, t("1x1 w/ Rocky")))
        );
        assert_eq!(date("July 6"), Some((7, 6, None, t(""))));
    }

    #[test]
    fn weekdays_and_month_names() {
        assert_eq!(weekday(2021, 8, 31), "Tue");
        assert_eq!(weekday(2024, 1, 2), "Tue");
        assert_eq!(weekday(2000, 2, 29), "Tue");
        assert_eq!(month_abbrev(9), "Sep");
    }

    #[test]
    fn rejects_text_that_only_looks_like_a_date() {
        assert_eq!(date("Mayday 5"), None);
        assert_eq!(date("May be 5"), None);
        assert_eq!(date("Marching on"), None);
        assert_eq!(date("June 40 things"), None);
        assert_eq!(date("Future Topics"), None);
    }

    fn years(written: &[(u8, Option<i32>)]) -> Vec<(Option<i32>, bool)> {
        let mut entries: Vec<_> = written
            .iter()
            .map(|&(m, y)| DatedEntry::new(m, 1, y))
            .collect();
        infer_years(&mut entries, None);
        entries.iter().map(|e| (e.year, e.inferred)).collect()
    }

    #[test]
    fn years_are_inferred_forward_across_new_year() {
        assert_eq!(
            years(&[
                (11, Some(2022)),
                (11, Some(200)),
                (12, None),
                (1, None),
                (8, None),
                (1, None)
            ]),
            vec![
                (Some(2022), false),
                (Some(2022), true),
                (Some(2022), true),
                (Some(2023), true),
                (Some(2023), true),
                (Some(2024), true),
            ]
        );
    }

    #[test]
    fn years_are_inferred_backward_before_the_first_written_year() {
        assert_eq!(
            years(&[(11, None), (1, None), (5, None), (8, Some(2021))]),
            vec![
                (Some(2020), true),
                (Some(2021), true),
                (Some(2021), true),
                (Some(2021), false)
            ]
        );
    }

    #[test]
    fn a_section_without_years_leaves_them_unknown_and_warns_on_impossible_ones() {
        let mut entries = vec![
            DatedEntry::new(6, 1, None),
            DatedEntry::new(6, 7, Some(200)),
        ];
        infer_years(&mut entries, None);
        assert_eq!(entries[0].year, None);
        assert!(!entries[0].inferred);
        assert_eq!(
            entries[1].warnings,
            vec!["year 200 is not plausible and no session around it gives one".to_string()]
        );
    }
}
