//! GFM's autolink extension beyond URLs with a scheme (which linkify
//! finds): `www.` links and bare e-mail addresses, by the rules of GFM 0.29
//! ("Autolinks (extension)"): where they may start, what a valid domain
//! is, and what trailing punctuation, parentheses and entities are left
//! out of them.

use std::ops::Range;

/// Whether a `www.` link may start after `before`: at the start of a line,
/// after whitespace, or after `*`, `_`, `~` or `(`.
fn may_start_after(before: Option<char>) -> bool {
    before.is_none_or(|c| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('))
}

/// The length of a valid domain at the start of `s`: segments of letters,
/// digits, `_` and `-` separated by periods, at least one period, no `_`
/// in the last two segments. `None` when there is none.
fn valid_domain(s: &str) -> Option<usize> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(s.len());
    let domain = s[..end].trim_end_matches('.');
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.len() < 2 || segments.iter().any(|seg| seg.is_empty()) {
        return None;
    }
    if segments[segments.len() - 2..]
        .iter()
        .any(|seg| seg.contains('_'))
    {
        return None;
    }
    Some(domain.len())
}

/// The link's end after GFM's path validation: trailing `?!.,:*_~` left
/// out, a trailing `)` left out while there are more `)` than `(`, an
/// entity-like `&name;` end left out.
fn trim_end(link: &str) -> usize {
    let mut end = link.len();
    loop {
        let s = &link[..end];
        if let Some(c) = s.chars().next_back()
            && matches!(c, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~')
        {
            end -= c.len_utf8();
            continue;
        }
        if s.ends_with(')') && s.matches(')').count() > s.matches('(').count() {
            end -= 1;
            continue;
        }
        if s.ends_with(';')
            && let Some(amp) = s.rfind('&')
            && s[amp + 1..s.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
            && amp + 1 < s.len() - 1
        {
            end = amp;
            continue;
        }
        return end;
    }
}

/// The `www.` links of `text`: their ranges (the link's text; its target is
/// `http://` and the text).
pub fn www_links(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("www.") {
        if !may_start_after(text[..at].chars().next_back()) {
            continue;
        }
        if out.last().is_some_and(|r: &Range<usize>| r.end > at) {
            continue;
        }
        let Some(domain) = valid_domain(&text[at..]) else {
            continue;
        };
        // After the domain: anything but whitespace and `<`.
        let rest = &text[at + domain..];
        let path = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
        let end = at + trim_end(&text[at..at + domain + path]);
        if end > at + 4 {
            out.push(at..end);
        }
    }
    out
}

/// The bare e-mail addresses of `text`: one or more of letters, digits,
/// `.`, `-`, `_`, `+`; `@`; a domain of letters, digits, `-`, `_` separated
/// by periods, with at least one, not ending in `-` or `_` (a final `.` is
/// left out). Their ranges; the target is `mailto:` and the address.
pub fn email_links(text: &str) -> Vec<Range<usize>> {
    let local_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| local_char(c))
            .last()
            .map_or(at, |(i, _)| i);
        if start == at || out.last().is_some_and(|r: &Range<usize>| r.end > start) {
            continue;
        }
        let after = &text[at + 1..];
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')))
            .unwrap_or(after.len());
        let domain = after[..len].trim_end_matches('.');
        let well_formed = domain.contains('.')
            && !domain.ends_with(['-', '_'])
            && domain.split('.').all(|seg| !seg.is_empty());
        if well_formed {
            out.push(start..at + 1 + domain.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn www(text: &str) -> Vec<&str> {
        www_links(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn www_links_start_only_where_gfm_lets_them() {
        assert_eq!(www("see www.a.example/x."), ["www.a.example/x"]);
        assert_eq!(www("(www.a.example)"), ["www.a.example"]);
        assert_eq!(www("http://www.a.example/"), Vec::<&str>::new());
        assert_eq!(www("awww.a.example"), Vec::<&str>::new());
        // "At least one period": the one after `www` will do.
        assert_eq!(www("www.localhost"), ["www.localhost"]);
        assert_eq!(www("www."), Vec::<&str>::new());
        assert_eq!(www("www.a_b.example"), Vec::<&str>::new());
        assert_eq!(www("www.a_b.sub.example"), ["www.a_b.sub.example"]);
    }

    #[test]
    fn emails_in_text() {
        let text = "ping sre-team+pager@ops.example.com, or git@github.com:org/repo";
        let found: Vec<&str> = email_links(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["sre-team+pager@ops.example.com", "git@github.com"]);
    }
}
