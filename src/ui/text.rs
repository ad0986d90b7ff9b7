//! Making note text safe and sized for the terminal.

use std::borrow::Cow;

/// Replaces what a terminal would act on (control characters, escape
/// sequences, bidirectional overrides) with visible placeholders; tabs and
/// line breaks become spaces.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(placeholder).collect())
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

fn placeholder(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => ' ',
        // Control Pictures: ␀ … ␟ for C0 controls, ␡ for DEL.
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
        '\u{7f}' => '␡',
        c if c.is_control() || is_bidi_control(c) => '�',
        c => c,
    }
}

pub use crate::columns::{truncate, truncate_middle, width};

/// Rows a line takes when wrapped at word boundaries into `width` columns
/// (as ratatui's `Wrap` does); at least one.
pub fn wrapped_rows(text: &str, width: usize) -> usize {
    if width == 0 {
        return 1;
    }
    let mut rows = 1;
    let mut used = 0;
    // Leading spaces take room too: only the row's first word has no space before it.
    let mut fresh = true;
    for word in text.split(' ') {
        let w = self::width(word);
        let need = if fresh { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else if w <= width {
            rows += 1;
            used = w;
        } else {
            // A word longer than a row starts where the row is, and is
            // broken over the rows after.
            let total = if fresh { w } else { used + 1 + w };
            rows += (total - 1) / width;
            used = total - (total - 1) / width * width;
        }
        fresh = false;
    }
    rows
}

/// The host of a URL, for short display.
pub fn host(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else {
        return url;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end].trim_start_matches("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(clean("a\x1b[31mred\x07"), "a␛[31mred␇");
        assert_eq!(clean("tab\there\u{202e}x\u{9b}"), "tab here�x�");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_counts_columns_of_wide_characters() {
        assert_eq!(truncate("東京タワー", 5), "東京…");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("🚀🚀", 1), "…");
    }

    /// The rows ratatui's word wrap gives a line, read off a rendered buffer.
    fn rendered_rows(text: &str, width: u16) -> usize {
        use ratatui::widgets::{Paragraph, Widget, Wrap};
        let area = ratatui::layout::Rect::new(0, 0, width, 10);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        // A mark after the text shows the last row it reached.
        Paragraph::new(vec![
            ratatui::text::Line::raw(text.to_string()),
            ratatui::text::Line::raw("#"),
        ])
        .wrap(Wrap { trim: false })
        .render(area, &mut buf);
        (0..10).find(|&y| buf[(0, y)].symbol() == "#").unwrap() as usize
    }

    #[test]
    fn wrapped_rows_are_the_rows_ratatui_wraps_to() {
        let long = format!(
            "https://web.archive.org/web/20190312093015/{}",
            "x".repeat(31)
        );
        for text in [
            format!("  {long}"),
            long.clone(),
            format!("see {long} now"),
            "a few short words that wrap over the row".to_string(),
            format!("  {}", "y".repeat(30)),
            String::new(),
        ] {
            assert_eq!(
                wrapped_rows(&text, 74),
                rendered_rows(&text, 74),
                "{text:?}"
            );
            assert_eq!(
                wrapped_rows(&text, 20),
                rendered_rows(&text, 20),
                "{text:?}"
            );
        }
    }

    #[test]
    fn host_is_short() {
        assert_eq!(host("https://www.reddit.com/r/x"), "reddit.com");
        assert_eq!(host("/info/x"), "/info/x");
    }
}
