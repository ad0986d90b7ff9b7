//! Dates people write about incidents, read for the year they name: in the
//! text of an item (`On March 3rd, 2016`, `2016-12-31`, `9 June 2022`,
//! `(2019-11-06, …)`), in a URL's path (`/2019/05/`, `…-outage-on-march-3-2021`),
//! or as a year in a title (`Matrix Apr 2019`).
//!
//! Only plausible years count: from 1970 to `latest` (the current year, so a
//! number that merely looks like a year in the future is not one).

/// The earliest year a postmortem can have.
pub const EARLIEST: u16 = 1970;

/// The earliest year an incident told of in words can have (`sank in
/// 1628.`): only a year written after `in`, `from` or `since` and ending a
/// phrase is read so far back.
const EARLIEST_TOLD: u16 = 1000;

/// Words after which a year names when something happened.
const BEFORE_A_YEAR: [&str; 6] = ["in", "from", "since", "during", "circa", "between"];

/// A day of the month that may carry a time (`31T23` of `2016-12-31T23:59`).
fn day_of_date(word: &str) -> Option<u8> {
    number(word.split(['T', 't']).next().unwrap_or(word), 31)
}

fn month(word: &str) -> Option<u8> {
    super::sessions::month_number(word).or_else(|| {
        // The misspellings URLs are made of (`incident-report-feburary-4-2019`).
        [
            "feburary", "febuary", "febrary", "janurary", "januray", "septmber", "decmber",
        ]
        .iter()
        .position(|m| m.eq_ignore_ascii_case(word))
        .map(|i| [2, 2, 2, 1, 1, 9, 12][i])
    })
}

/// A word of text and what separates it from the next one.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    text: &'a str,
    /// The characters between this word and the next (`-`, `, `, ` (`).
    gap: &'a str,
    /// The characters before it.
    before: &'a str,
}

/// Splits text into words (letters and digits) with the gaps between them;
/// chunks that are URLs are left out.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut gap_start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            // A URL is one chunk up to the next whitespace: skip it whole.
            let chunk_end = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |n| i + n);
            let chunk = &text[i..chunk_end];
            if chunk.contains("://") || chunk.starts_with("www.") {
                i = chunk_end;
                continue;
            }
            let end = text[i..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |n| i + n);
            if let Some(last) = out.last_mut() {
                last.gap = &text[gap_start..i];
            }
            let before = out.last().map_or(&text[..i], |_| &text[gap_start..i]);
            out.push(Token {
                text: &text[i..end],
                gap: "",
                before,
            });
            gap_start = end;
            i = end;
        } else {
            i += c.len_utf8();
        }
    }
    if let Some(last) = out.last_mut() {
        last.gap = &text[gap_start..];
    }
    out
}

fn year(word: &str, latest: u16) -> Option<u16> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u16 = word.parse().ok()?;
    (EARLIEST..=latest).contains(&y).then_some(y)
}

/// A day of the month, with or without an ordinal suffix (`3`, `3rd`, `29th`).
fn day(word: &str) -> Option<u8> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let suffix = word[digits..].to_ascii_lowercase();
    if !matches!(suffix.as_str(), "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u8 = word[..digits].parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn number(word: &str, max: u8) -> Option<u8> {
    if word.is_empty() || word.len() > 2 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = word.parse().ok()?;
    (1..=max).contains(&n).then_some(n)
}

/// Whether a gap between two parts of one date is only spaces and a comma.
fn joins(gap: &str) -> bool {
    !gap.is_empty()
        && gap.chars().all(|c| c == ' ' || c == ',' || c == '.')
        && gap.matches(',').count() <= 1
}

/// Whether a month word is written as a name (capitalised), not a verb such as `may`.
fn capitalised(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The year of a date made of `t[i..]`, with how many tokens it takes.
fn date_at(t: &[Token<'_>], i: usize, latest: u16, in_url: bool) -> Option<(u16, usize)> {
    let w = |k: usize| t.get(i + k).map(|x| x.text);
    let gap = |k: usize| t.get(i + k).map_or("", |x| x.gap);
    let first = w(0)?;
    // 2016-12-31, 2016/12/31 (also in slugs: 2015-06-02-title).
    if let Some(y) = year(first, latest)
        && let (Some(m), Some(d)) = (w(1), w(2))
        && number(m, 12).is_some()
        && day_of_date(d).is_some()
        && (matches!(gap(0), "-" | "/") || (in_url && gap(0) == "_"))
        && gap(0) == gap(1)
    {
        return Some((y, 3));
    }
    let sep = |g: &str| {
        if in_url {
            matches!(g, "-" | "_")
        } else {
            joins(g)
        }
    };
    // March 3rd, 2016; Mar 3 2016; march-3-2021.
    if month(first).is_some() && (in_url || capitalised(first)) {
        if let (Some(d), Some(y)) = (w(1), w(2))
            && day(d).is_some()
            && sep(gap(0))
            && sep(gap(1))
            && let Some(y) = year(y, latest)
        {
            return Some((y, 3));
        }
        // October 2018; Apr 2019.
        if let Some(y) = w(1).and_then(|y| year(y, latest))
            && sep(gap(0))
        {
            return Some((y, 2));
        }
    }
    // 9 June 2022; 29th July, 2019.
    if day(first).is_some()
        && let (Some(m), Some(y)) = (w(1), w(2))
        && month(m).is_some()
        && (in_url || capitalised(m))
        && sep(gap(0))
        && sep(gap(1))
        && let Some(y) = year(y, latest)
    {
        return Some((y, 3));
    }
    None
}

/// Whether the gap after a year ends a phrase (`… in 1628.`, `1990,`, the
/// end of the text), rather than going on as a number (`2019.1`, `2019-x`).
fn ends_a_phrase(t: &[Token<'_>], i: usize) -> bool {
    let gap = t[i].gap;
    let next_is_number = t
        .get(i + 1)
        .is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()));
    match gap.trim_start().chars().next() {
        None => i + 1 == t.len(),
        Some('.' | ',' | ';' | ':' | ')' | '!' | '?') => !next_is_number || gap.contains(' '),
        Some('-' | '–' | '—') => gap.starts_with(' '),
        _ => false,
    }
}

/// The year of the first date written in text: a full date, a month and
/// year, a year opening a parenthesis (`(2018, …)`) or the text (`2019:
/// S3 outage`), or a year told after `in`, `from`, `since` and ending a
/// phrase (`From 1990.`, `sank in 1628`). URLs in the text are not read.
pub fn year_in_text(text: &str, latest: u16) -> Option<u16> {
    let t = tokens(text);
    (0..t.len()).find_map(|i| {
        if let Some((y, _)) = date_at(&t, i, latest, false) {
            return Some(y);
        }
        let opens = t[i].before.trim_end().ends_with('(');
        let closes = t[i].gap.starts_with([',', ')']);
        if opens && closes {
            return year(t[i].text, latest);
        }
        // A year opening the text (the link's own words): `2019: S3 outage`.
        if i == 0 && t[0].before.trim().is_empty() && ends_a_phrase(&t, 0) {
            return year(t[0].text, latest);
        }
        let told = i > 0
            && t[i - 1].gap == " "
            && BEFORE_A_YEAR.contains(&t[i - 1].text.to_ascii_lowercase().as_str());
        let ranged = t[i].gap == " "
            && t.get(i + 1)
                .is_some_and(|w| w.text == "and" && w.gap == " ")
            && t.get(i + 2)
                .is_some_and(|w| told_year(w.text, latest).is_some());
        if told && (ends_a_phrase(&t, i) || i + 1 == t.len() || ranged) {
            return told_year(t[i].text, latest);
        }
        None
    })
}

/// A year told in words: four digits from `EARLIEST_TOLD` to `latest`.
fn told_year(word: &str, latest: u16) -> Option<u16> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u16 = word.parse().ok()?;
    (EARLIEST_TOLD..=latest).contains(&y).then_some(y)
}

/// The year of a date a URL writes in a form of its own: `20190508`,
/// `2019-05` alone, `2019/march`, `3-14-2021`, `oct-27-17`.
fn url_date_at(t: &[Token<'_>], i: usize, latest: u16) -> Option<u16> {
    let w = |k: usize| t.get(i + k).map(|x| x.text);
    let gap = |k: usize| t.get(i + k).map_or("", |x| x.gap);
    let sep = |g: &str| matches!(g, "-" | "_");
    let first = w(0)?;
    // 20190508: eight digits that are a date, standing alone.
    if first.len() == 8 && first.bytes().all(|b| b.is_ascii_digit()) {
        let y = year(&first[..4], latest)?;
        return (number(&first[4..6], 12).is_some() && number(&first[6..], 31).is_some())
            .then_some(y);
    }
    if let Some(y) = year(first, latest) {
        // blackout_of_2003, outage-in-2019: a year told in a slug.
        if i > 0
            && sep(t[i - 1].gap)
            && matches!(
                t[i - 1].text.to_ascii_lowercase().as_str(),
                "of" | "in" | "on"
            )
            && w(1).is_none_or(|n| !n.starts_with(|c: char| c.is_ascii_digit()))
        {
            return Some(y);
        }
        // …-outages-2017-2: a year and a month of one digit, ending the slug.
        if let Some(m) = w(1)
            && m.len() == 1
            && number(m, 12).is_some()
            && sep(gap(0))
            && w(2).is_none()
        {
            return Some(y);
        }
        let next = w(1)?;
        // 2019-05 with nothing after it that would make it an id or a date.
        if number(next, 12).is_some()
            && next.len() == 2
            && sep(gap(0))
            && w(2).is_none_or(|after| !after.starts_with(|c: char| c.is_ascii_digit()))
        {
            return Some(y);
        }
        // 2019-march, 2019_may.
        if month(next).is_some() && next.len() >= 3 && sep(gap(0)) {
            return Some(y);
        }
        return None;
    }
    // 3-14-2021, 14_3_2021: a day and a month, either way round, then the year.
    if let (Some(a), Some(b), Some(c)) = (w(0), w(1), w(2))
        && let (Some(x), Some(y)) = (number(a, 31), number(b, 31))
        && (x <= 12 || y <= 12)
        && sep(gap(0))
        && gap(0) == gap(1)
        && let Some(year) = year(c, latest)
    {
        return Some(year);
    }
    // on-1-19-17: a date of one- and two-digit numbers right after `on`.
    if i > 0
        && t[i - 1].text.eq_ignore_ascii_case("on")
        && sep(t[i - 1].gap)
        && let (Some(m), Some(d), Some(yy)) = (w(0), w(1), w(2))
        && number(m, 12).is_some()
        && number(d, 31).is_some()
        && sep(gap(0))
        && gap(0) == gap(1)
        && yy.len() == 2
        && yy.bytes().all(|b| b.is_ascii_digit())
    {
        let y = 2000 + yy.parse::<u16>().ok()?;
        return (y <= latest).then_some(y);
    }
    // oct-27-17, 27-oct-17: a two-digit year only beside a month's name.
    let (m, d) = if month(first).is_some() {
        (first, w(1)?)
    } else {
        (w(1)?, first)
    };
    let yy = w(2)?;
    if month(m).is_some()
        && m.len() >= 3
        && day(d).is_some()
        && sep(gap(0))
        && gap(0) == gap(1)
        && yy.len() == 2
        && yy.bytes().all(|b| b.is_ascii_digit())
        && w(3).is_none_or(|after| !after.starts_with(|c: char| c.is_ascii_digit()))
    {
        let y = 2000 + yy.parse::<u16>().ok()?;
        return (y <= latest).then_some(y);
    }
    None
}

/// The year of a date in a URL's path: `/2019/05/…`, `/2019/11/08/…`,
/// `…-outage-on-march-3-2021`, `2015-06-02-title`. A web archive's
/// snapshot stamp is when the page was archived: the archived URL is read
/// instead. Ids (`/blog/2231-march-3rd-incident`) are not dates.
pub fn year_in_url(url: &str, latest: u16) -> Option<u16> {
    let url = archived_original(url).unwrap_or(url);
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .split_once('/')
        .map_or("", |(_, p)| p)
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        // /2019/05/… and /2019/11/08/…
        if let Some(y) = year(seg, latest)
            && segments.get(i + 1).is_some_and(|m| number(m, 12).is_some())
        {
            return Some(y);
        }
        // /2019/march/
        if let Some(y) = year(seg, latest)
            && segments
                .get(i + 1)
                .is_some_and(|m| m.len() >= 3 && month(m).is_some())
        {
            return Some(y);
        }
        let t = tokens(seg);
        let found = (0..t.len()).find_map(|k| {
            date_at(&t, k, latest, true)
                .map(|(y, _)| y)
                .or_else(|| url_date_at(&t, k, latest))
        });
        if let Some(y) = found {
            return Some(y);
        }
    }
    // The query, for a date written with a month's name (`…-May-2016&…`).
    let query = after_scheme.split_once('?').map_or("", |(_, q)| q);
    let q = tokens(query);
    let in_query = (0..q.len()).find_map(|k| {
        (month(q[k].text).is_some() && q[k].text.len() >= 3)
            .then(|| date_at(&q, k, latest, true).map(|(y, _)| y))
            .flatten()
    });
    if in_query.is_some() {
        return in_query;
    }
    // A year standing alone between slashes: /blog/2019/title.
    segments
        .iter()
        .enumerate()
        .filter(|(i, _)| i + 1 < segments.len())
        .find_map(|(_, seg)| year(seg, latest))
}

/// The URL a web archive snapshot is a copy of.
fn archived_original(url: &str) -> Option<&str> {
    let rest = url
        .split_once("web.archive.org/web/")
        .or_else(|| url.split_once("archive.org/wayback/"))?
        .1;
    let (stamp, original) = rest.split_once('/')?;
    stamp
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count()
        .ge(&4)
        .then_some(original)
}

/// A year standing alone in a title: `Matrix Apr 2019`, `Outage 2019`.
pub fn year_in_title(title: &str, latest: u16) -> Option<u16> {
    tokens(title).iter().find_map(|t| year(t.text, latest))
}

/// Text with a leading date taken off, and the dash or colon after it:
/// `July 18 - Retrospective` → `Retrospective`; `2019-11-06: Outage` → `Outage`.
pub fn strip_leading_date(text: &str) -> &str {
    let t = tokens(text);
    let Some(first) = t.first() else {
        return text;
    };
    if !first.before.trim().is_empty() {
        return text;
    }
    let taken = if let Some((_, n)) = date_at(&t, 0, u16::MAX, false) {
        n
    } else if month(first.text).is_some()
        && capitalised(first.text)
        && t.get(1).is_some_and(|d| day(d.text).is_some())
        && joins(first.gap)
    {
        // July 18, or a range: June 1-3 (no year).
        if t[1].gap == "-" && t.get(2).is_some_and(|d| day(d.text).is_some()) {
            3
        } else {
            2
        }
    } else {
        return text;
    };
    let last = &t[taken - 1];
    // Where the date's last word ends.
    let end = last.text.as_ptr() as usize - text.as_ptr() as usize + last.text.len();
    text[end..].trim_start_matches([' ', ',', '-', '–', '—', ':', '.', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_text_in_the_forms_people_write() {
        for (text, year) in [
            ("On March 3rd, 2016 the database fell over", Some(2016)),
            ("outage of 2016-12-31 at midnight", Some(2016)),
            ("9 June 2022: a bad deploy", Some(2022)),
            ("Incident Report (2019-11-06, Honeycomb)", Some(2019)),
            ("Approaching Overload (2018, Marisa Grayson)", Some(2018)),
            (
                "Details of the Cloudflare outage on July 2, 2019",
                Some(2019),
            ),
            ("Service Outages in October 2018", Some(2018)),
            (
                "We had issues with Monzo on 29th July (2019-07-29, Monzo)",
                Some(2019),
            ),
            ("Matrix Apr 2019", Some(2019)),
            ("We may 2019 never know", None),
            ("Postmortem of database outage of January 31", None),
            ("see https://x.example/2019/11/08/post for more", None),
            ("a 2031-01-02 typo", None),
            ("In 1969-07-20 men walked on the moon", None),
            // A year told alone, ending a phrase, as far back as history goes.
            ("The Vasa sank in 1628, on her maiden voyage", Some(1628)),
            ("Therac-25. From 1985. Radiation overdoses", Some(1985)),
            ("Ariane 5 flight 501 (in 1996)", Some(1996)),
            ("The grid failed in 2003", Some(2003)),
            // Traps: quantities, versions, ids and years to come.
            ("the cache held 1628 entries in 1024 buckets", None),
            ("timeouts in 2000 ms on every call", None),
            ("upgrade in 2019.1 broke it", None),
            ("issue 2231 from 2231.", None),
            ("rolled back in 2048.", None),
            ("in 999.", None),
            // A year opening the link's own words.
            ("2017: the S3 outage in us-east-1", Some(2017)),
            ("2019 - Cloudflare WAF regex", Some(2019)),
            ("2048 bytes of headers broke the proxy", None),
            ("1024: nodes", None),
            (
                "Therac-25 overdosed patients between 1985 and 1987",
                Some(1985),
            ),
            ("between 1024 and 2048 nodes", None),
            ("the 27th leap second on 2016-12-31T23:59:60Z", Some(2016)),
        ] {
            assert_eq!(year_in_text(text, 2026), year, "{text}");
        }
    }

    #[test]
    fn dates_in_urls_but_not_archive_stamps_or_ids() {
        for (url, year) in [
            (
                "https://about.gitlab.com/blog/2019/11/08/the-consul-outage/",
                Some(2019),
            ),
            (
                "https://monzo.com/blog/2019/09/08/why-monzo-wasnt-working",
                Some(2019),
            ),
            ("https://x.example/blog/2019/05/", Some(2019)),
            ("https://x.example/post/outage-on-march-3-2021", Some(2021)),
            (
                "https://x.example/post/outage-on-march-3rd-2021.html",
                Some(2021),
            ),
            ("https://x.example/2015-06-02-dns-failure", Some(2015)),
            ("https://x.example/blog/2019/the-big-one", Some(2019)),
            (
                "https://web.archive.org/web/20190312093015/https://x.example/status",
                None,
            ),
            (
                "https://web.archive.org/web/20190312093015/https://x.example/2016/04/outage",
                Some(2016),
            ),
            ("https://x.example/blog/2231-march-3rd-incident", None),
            ("https://x.example/2030/01/future", None),
            (
                "https://devblogs.microsoft.com/devopsservice/?p=17665",
                None,
            ),
            (
                "https://x.example/details-of-the-outage-on-july-2-2019/",
                Some(2019),
            ),
            // Words joined by `_`, digits with no separators, a month alone.
            ("https://x.example/post/2019_05_08_outage", Some(2019)),
            ("https://x.example/outage_on_march_3_2021", Some(2021)),
            ("https://x.example/news/20190508-outage", Some(2019)),
            ("https://x.example/2019-05-outage", Some(2019)),
            ("https://x.example/blog/2019/march/db", Some(2019)),
            ("https://x.example/blog/2019-march-db", Some(2019)),
            ("https://x.example/incident-3-14-2021", Some(2021)),
            ("https://x.example/incident-14_3_2021", Some(2021)),
            ("https://x.example/post/oct-27-17-outage", Some(2017)),
            ("https://x.example/post/27-oct-17", Some(2017)),
            (
                "https://en.wikipedia.org/wiki/Northeast_blackout_of_2003",
                Some(2003),
            ),
            ("https://x.example/blog/outage-in-2019", Some(2019)),
            (
                "https://x.example/incident-report-feburary-4-2019",
                Some(2019),
            ),
            (
                "https://x.example/s/article?id=NA14-May-2016&language=en",
                Some(2016),
            ),
            (
                "https://x.example/outages-on-1-19-17-and-1-23-17",
                Some(2017),
            ),
            ("https://x.example/network-outages-2017-2", Some(2017)),
            // Traps: ids, versions, stamps, years to come.
            ("https://x.example/api-of-2048/x", None),
            ("https://x.example/s/article?id=9999&v=2016", None),
            ("https://x.example/release-2017-2-rc1", None),
            ("https://x.example/items-1-19-17", None),
            ("https://x.example/status/1180136290852827136", None),
            ("https://x.example/ticket/12345678", None),
            ("https://x.example/build/20191399", None),
            ("https://x.example/news/20300508-future", None),
            ("https://x.example/2019-123-incident", None),
            ("https://x.example/v1-10-12/notes", None),
            ("https://x.example/release-2.17-notes", None),
            ("https://x.example/item-10-27-17", None),
            (
                "https://web.archive.org/web/20190312093015/https://x.example/status/20150101",
                Some(2015),
            ),
        ] {
            assert_eq!(year_in_url(url, 2026), year, "{url}");
        }
    }

    #[test]
    fn years_in_titles() {
        assert_eq!(year_in_title("Matrix Apr 2019", 2026), Some(2019));
        assert_eq!(year_in_title("Outage 2019", 2026), Some(2019));
        assert_eq!(year_in_title("Build 20190", 2026), None);
        assert_eq!(year_in_title("Year 2100 problem", 2026), None);
    }

    #[test]
    fn leading_dates_come_off() {
        assert_eq!(
            strip_leading_date("July 18 - Retrospective on Reddit's k8s-related outage"),
            "Retrospective on Reddit's k8s-related outage"
        );
        assert_eq!(strip_leading_date("2019-11-06: Outage"), "Outage");
        assert_eq!(strip_leading_date("March 3rd, 2016 — DB"), "DB");
        assert_eq!(strip_leading_date("Maybe later"), "Maybe later");
        assert_eq!(
            strip_leading_date("June 1-3 LISA by Usenix"),
            "LISA by Usenix"
        );
        assert_eq!(
            strip_leading_date("An outage on July 2"),
            "An outage on July 2"
        );
    }
}
