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

/// Cuts a string to `max` display columns by leaving out its middle, so
/// that its end (a path, a file name) stays in sight: `created … in
/// …/opsbook/notebook`. A third of the room goes to the start.
pub fn truncate_middle(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max < 5 {
        return truncate(s, max);
    }
    let head_room = (max - 1) / 3;
    let tail_room = max - 1 - head_room;
    let graphemes: Vec<&str> = s.graphemes(true).collect();
    let mut head = String::new();
    let mut used = 0;
    for g in &graphemes {
        if used + width(g) > head_room {
            break;
        }
        head.push_str(g);
        used += width(g);
    }
    let mut tail: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in graphemes.iter().rev() {
        if used + width(g) > tail_room {
            break;
        }
        tail.push(g);
        used += width(g);
    }
    tail.reverse();
    Cow::Owned(format!("{head}…{}", tail.concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_middle_cut_keeps_the_end_in_sight() {
        let m = "created a new notebook with the bundled examples in /home/someone/.local/share/opsbook/notebook";
        let cut = truncate_middle(m, 60);
        assert_eq!(
            cut,
            "created a new noteb…me/someone/.local/share/opsbook/notebook"
        );
        assert_eq!(width(&cut), 60);
        assert_eq!(truncate_middle("short", 60), "short");
        assert_eq!(truncate_middle("abcdefgh", 4), "abc…");
    }

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
