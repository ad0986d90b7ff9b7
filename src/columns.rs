//! Terminal columns of text, counted by grapheme cluster as terminals draw
//! them (`👩‍💻` is one cluster two columns wide, not three characters).

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts a string to `max` display columns, ending with `…` when cut; a
/// grapheme cluster is kept whole or left out.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_emoji_are_one_cluster_two_columns_wide() {
        let coder = "👩\u{200d}💻";
        assert_eq!(width(coder), 2);
        // Kept whole where it fits, with nothing cut short before it.
        assert_eq!(
            truncate(&format!("{coder}{coder} ab"), 5),
            format!("{coder}{coder}…")
        );
        assert_eq!(truncate(&format!("a{coder}b"), 3), "a…");
        // A flag (two regional indicators) is never split in half.
        assert_eq!(truncate("🇳🇱🇳🇱x", 3), "🇳🇱…");
    }
}
