//! Text from notes made safe to print on a terminal: control characters,
//! DEL and bidirectional overrides are shown as escapes (`\x1b`, `\u{202e}`)
//! instead of reaching the terminal, where they could set its title, write
//! its clipboard or hide text.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a terminal as it is.
fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escaped(c: char, out: &mut String) {
    let n = u32::from(c);
    if n < 0x100 {
        let _ = write!(out, "\\x{n:02x}");
    } else {
        let _ = write!(out, "\\u{{{n:x}}}");
    }
}

/// Text for one field of a line: every control character (tabs and line
/// breaks too), DEL, C1 controls and bidi controls written as escapes.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hazard(c) {
            escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a TSV field: as [`visible`], with tab, line feed and carriage
/// return as `\t`, `\n`, `\r` and the backslash doubled, so that the field
/// reads back unambiguously.
pub fn tsv(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hazard(c) || c == '\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_hazard(c) => escaped(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_become_escapes() {
        assert_eq!(visible("plain · text"), "plain · text");
        assert_eq!(
            visible("title\x1b]0;pwned\x07 ok"),
            "title\\x1b]0;pwned\\x07 ok"
        );
        assert_eq!(visible("a\u{202e}b\u{9b}c\x7f"), "a\\u{202e}b\\x9bc\\x7f");
        assert_eq!(visible("tab\there"), "tab\\x09here");
        assert_eq!(tsv("a\tb\nc\\d\u{2066}"), "a\\tb\\nc\\\\d\\u{2066}");
    }
}
