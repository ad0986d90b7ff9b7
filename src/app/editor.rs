//! The editor pane's state: a ratatui-textarea buffer over one byte range
//! of one file, and the list-aware editing notes need.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea};

use super::tree::Target;
use crate::notebook::edit::content_hash;
use crate::storage::journal::Entry;

/// What to do once a save succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterSave {
    /// Keep editing.
    Stay,
    /// Close the editor.
    Close,
    /// Leave opsbook.
    Quit,
}

/// An open editor.
pub struct Editor {
    /// The file, relative to the notebook.
    pub path: PathBuf,
    /// The whole file as last read or written.
    pub base: Arc<String>,
    /// Hash of `base`.
    pub base_hash: u64,
    /// The byte range of `base` the buffer replaces.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Written before the buffer on save (a line ending the file lacked).
    pub prefix: String,
    /// `\n` or `\r\n`, as the file has them.
    pub eol: &'static str,
    /// The range ended with a line ending, which the buffer does not show.
    pub trailing_newline: bool,
    /// The buffer.
    pub textarea: TextArea<'static>,
    /// The buffer's text when last saved or loaded.
    pub saved: String,
    /// Never written (not UTF-8, or not writable).
    pub read_only: bool,
    /// Another program changed the file since it was read.
    pub changed_on_disk: bool,
    /// The user put off a conflicting save: no autosave until ctrl-s (a
    /// change on disk alone does not stop it: a clean merge saves).
    pub hold_autosave: bool,
    /// When the buffer last changed.
    pub last_edit: Option<Instant>,
    /// The text last written to the crash journal.
    pub journaled: Option<String>,
    /// The row to select again after saving.
    pub target: Target,
    /// First line of the range in the file, for the title.
    pub line: u32,
    /// What to do after the save under way.
    pub after_save: AfterSave,
    /// The range's text in the file as last read or written, with its own
    /// line endings: lines the buffer leaves alone are written back as they were.
    pub original: String,
    /// A save asked of the runtime and not yet answered: the buffer it wrote.
    pub in_flight: Option<String>,
    /// Undo steps: the lines and cursor before each group of changes (a
    /// word typed, or a pause, or one other change), oldest first.
    pub undo_steps: Vec<Snapshot>,
    /// Steps undone, to redo, newest last.
    pub redo_steps: Vec<Snapshot>,
    /// The last change: when, and whether it ended a group (a space typed,
    /// or a change other than typing).
    pub last_change: Option<(Instant, bool)>,
}

/// The text and cursor of the buffer at one moment.
pub type Snapshot = (Vec<String>, (usize, usize));

/// Undo steps kept at most.
const MAX_UNDO: usize = 1_000;

/// A pause in typing after which the next change is an undo step of its own.
const UNDO_PAUSE: std::time::Duration = std::time::Duration::from_millis(1_000);

/// A change to the buffer, as undo groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// One character typed.
    Typed(char),
    /// Anything else: a new line, a deletion, a paste, an indent.
    Other,
}

/// Parameters of a new editor.
pub struct Opening {
    /// Relative path.
    pub path: PathBuf,
    /// The file's content.
    pub base: Arc<String>,
    /// The range edited.
    pub range: std::ops::Range<usize>,
    /// Text to show instead of the range's own (new text, recovered text).
    pub text: Option<String>,
    /// That text is not in the file yet: the buffer starts out unsaved.
    pub unsaved: bool,
    /// Hidden text before it.
    pub prefix: String,
    /// Read-only.
    pub read_only: bool,
    /// Row to select after saving.
    pub target: Target,
    /// Cursor (line, column).
    pub cursor: (usize, usize),
}

impl Editor {
    /// Notes a change made at `now` to a buffer that was `before`: it
    /// starts a new undo step after a pause, at a new word, and for any
    /// change but typing; typing within a word joins the step under way.
    pub fn changed(&mut self, before: Snapshot, change: Change, now: Instant) {
        let new_step = match (self.last_change, change) {
            (None, _) | (_, Change::Other) => true,
            (Some((at, ended)), Change::Typed(c)) => {
                now.saturating_duration_since(at) >= UNDO_PAUSE || (ended && !c.is_whitespace())
            }
        };
        if new_step {
            self.undo_steps.push(before);
            if self.undo_steps.len() > MAX_UNDO {
                self.undo_steps.remove(0);
            }
        }
        self.redo_steps.clear();
        let ends = match change {
            Change::Typed(c) => c.is_whitespace(),
            Change::Other => true,
        };
        self.last_change = Some((now, ends));
    }

    /// The buffer's text and cursor now.
    pub fn snapshot(&self) -> Snapshot {
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        (self.textarea.lines().to_vec(), (row, col))
    }

    /// Puts a snapshot's text and cursor in the buffer, styled as opened.
    fn restore(&mut self, (lines, cursor): Snapshot) {
        let mut textarea = TextArea::new(lines);
        textarea.set_line_number_style(Style::new().add_modifier(Modifier::DIM));
        textarea.set_cursor_line_style(Style::new());
        textarea.set_selection_style(Style::new().add_modifier(Modifier::REVERSED));
        textarea.set_tab_length(2);
        textarea.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        textarea.move_cursor(CursorMove::Jump(cursor.0 as u16, cursor.1 as u16));
        self.textarea = textarea;
    }

    /// Takes back the last undo step; whether there was one.
    pub fn undo(&mut self) -> bool {
        let Some(step) = self.undo_steps.pop() else {
            return false;
        };
        let now = self.snapshot();
        self.redo_steps.push(now);
        self.restore(step);
        // The next change starts a step of its own.
        self.last_change = None;
        true
    }

    /// Does again the last step undone; whether there was one.
    pub fn redo(&mut self) -> bool {
        let Some(step) = self.redo_steps.pop() else {
            return false;
        };
        let now = self.snapshot();
        self.undo_steps.push(now);
        self.restore(step);
        self.last_change = None;
        true
    }

    /// Opens a buffer over a range of a file.
    pub fn open(o: Opening) -> Editor {
        let eol = crate::notebook::edit::line_ending(&o.base);
        let original_text = o.base[o.range.clone()].to_string();
        let original = original_text.as_str();
        let shown = o
            .text
            .clone()
            .unwrap_or_else(|| original.replace("\r\n", "\n"));
        let trailing_newline = shown.ends_with('\n') || (o.text.is_none() && original.is_empty());
        let body = shown.strip_suffix('\n').unwrap_or(&shown);
        let mut textarea = TextArea::new(body.split('\n').map(str::to_string).collect());
        textarea.set_line_number_style(Style::new().add_modifier(Modifier::DIM));
        textarea.set_cursor_line_style(Style::new());
        textarea.set_selection_style(Style::new().add_modifier(Modifier::REVERSED));
        textarea.set_tab_length(2);
        textarea.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        textarea.move_cursor(CursorMove::Jump(o.cursor.0 as u16, o.cursor.1 as u16));
        let line = o.base[..o.range.start].matches('\n').count() as u32 + 1;
        let saved = if o.text.is_some() && o.unsaved {
            // New or recovered text is unsaved until written.
            String::from("\u{0}unsaved")
        } else {
            body.to_string()
        };
        Editor {
            path: o.path,
            base_hash: content_hash(o.base.as_bytes()),
            base: o.base,
            start: o.range.start,
            end: o.range.end,
            prefix: o.prefix,
            eol,
            trailing_newline,
            textarea,
            saved,
            read_only: o.read_only,
            changed_on_disk: false,
            hold_autosave: false,
            last_edit: None,
            journaled: None,
            target: o.target,
            line,
            after_save: AfterSave::Stay,
            original: original_text.clone(),
            in_flight: None,
            undo_steps: Vec::new(),
            redo_steps: Vec::new(),
            last_change: None,
        }
    }

    /// The buffer as shown (lines joined with `\n`).
    pub fn body(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// The buffer as it goes into the file. Lines the buffer did not change
    /// keep their bytes, line endings included (a file may mix `\r\n`, `\n`
    /// and lone `\r`); new and changed lines take the file's first line
    /// ending; the last line ends as the range did.
    pub fn file_text(&self) -> String {
        let lines: Vec<&str> = self.textarea.lines().iter().map(String::as_str).collect();
        let original: Vec<(&str, &str)> = split_lines(&self.original);
        let contents: Vec<&str> = original.iter().map(|l| l.0).collect();
        let mut out: Vec<(&str, Option<&str>)> = Vec::with_capacity(lines.len());
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, &contents, &lines) {
            match op.as_tag_tuple() {
                (similar::DiffTag::Equal, old, _) => {
                    for (text, ending) in &original[old] {
                        out.push((text, (!ending.is_empty()).then_some(*ending)));
                    }
                }
                (similar::DiffTag::Delete, _, _) => {}
                (_, _, new) => out.extend(lines[new].iter().map(|l| (*l, None))),
            }
        }
        let mut text = String::with_capacity(self.original.len() + 64);
        let last = out.len().saturating_sub(1);
        for (i, (line, ending)) in out.iter().enumerate() {
            text.push_str(line);
            if i < last || self.trailing_newline {
                text.push_str(ending.unwrap_or(self.eol));
            }
        }
        text
    }

    /// Whether the buffer holds unsaved changes.
    pub fn dirty(&self) -> bool {
        !self.read_only && self.body() != self.saved
    }

    /// The journal record of the buffer.
    pub fn journal_entry(&self) -> Entry {
        Entry {
            file: self.path.clone(),
            base_hash: self.base_hash,
            start: self.start,
            end: self.end,
            prefix: self.prefix.clone(),
            text: self.file_text(),
        }
    }

    /// The whole file as the buffer would make it.
    pub fn result(&self) -> String {
        let mut text = self.prefix.clone();
        text.push_str(&self.file_text());
        crate::notebook::edit::splice(&self.base, self.start..self.end, &text)
    }

    /// Takes note of a successful write of `content`, which put `written`
    /// (the prefix and the range's new text) where the range was.
    pub fn saved_as(&mut self, content: String, written: &str) {
        let body = self.in_flight.take().unwrap_or_else(|| self.body());
        let range_text = &written[self.prefix.len().min(written.len())..];
        self.start += self.prefix.len();
        self.end = self.start + range_text.len();
        self.original = range_text.to_string();
        // What was written, not the buffer now: typing after the request is still unsaved.
        self.now_based_on(content, body);
    }

    /// The file as written is the new base; `body` is what the buffer saved.
    fn now_based_on(&mut self, content: String, body: String) {
        self.prefix.clear();
        self.base_hash = content_hash(content.as_bytes());
        self.base = Arc::new(content);
        self.saved = body;
        self.changed_on_disk = false;
        self.hold_autosave = false;
        self.journaled = None;
    }

    /// Takes note of the file as read again (another program changed it):
    /// when the range as last written is still there, untouched, the read
    /// becomes the base, so that a later merge compares the buffer with the
    /// newest file opsbook has seen, not with its own older save. Nothing
    /// changes while a save is under way, or when the range was changed.
    /// Whether the base moved.
    pub fn read_again(&mut self, content: &str) -> bool {
        if self.in_flight.is_some() || !self.prefix.is_empty() || content == self.base.as_str() {
            return false;
        }
        // Only where the range's text stands once: with two copies (two
        // sessions holding the same topic), which one is the editor's is
        // not known, and the merge at save time decides instead.
        let mut found = content
            .match_indices(self.original.as_str())
            .map(|(i, _)| i);
        let (Some(at), None) = (found.next(), found.next()) else {
            return false;
        };
        if self.original.is_empty() {
            return false;
        }
        self.start = at;
        self.end = at + self.original.len();
        self.base_hash = content_hash(content.as_bytes());
        self.base = Arc::new(content.to_string());
        self.changed_on_disk = false;
        true
    }

    /// Takes note of a whole-file write (a merge, an overwrite) of `content`:
    /// the buffer's range is found again in it, nearest where it was. False
    /// when the buffer's text is no longer there (theirs was kept).
    pub fn rebased(&mut self, content: String) -> bool {
        let body = self.in_flight.take().unwrap_or_else(|| self.body());
        let mine = self.file_text();
        let nearest = content
            .match_indices(mine.as_str())
            .map(|(i, _)| i)
            .min_by_key(|&i| i.abs_diff(self.start));
        let Some(at) = nearest else {
            return false;
        };
        self.start = at;
        self.end = at + mine.len();
        self.original = mine;
        self.now_based_on(content, body);
        true
    }

    /// Closing: a last line that is only a list marker (a topic never
    /// typed) goes, so no empty `  - ` is left in the file.
    pub fn drop_empty_last_item(&mut self) {
        let lines = self.textarea.lines();
        let last = lines.len() - 1;
        if last > 0 && matches!(lines[last].trim(), "-" | "*" | "+" | "•") {
            // Not `Jump`: its row is a u16, and a buffer can hold more lines.
            self.textarea.move_cursor(CursorMove::Bottom);
            self.textarea.move_cursor(CursorMove::Head);
            self.textarea.delete_line_by_end();
            self.textarea.delete_char();
        }
    }

    /// Enter: a new line; inside a list item, the next item at the same
    /// indentation (an empty item ends the list instead).
    pub fn newline(&mut self) {
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        let line = self.textarea.lines()[row].clone();
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let rest = &line[indent.len()..];
        let at_end = col >= line.chars().count();
        match list_marker(rest) {
            Some((_, len)) if at_end && rest[len..].trim().is_empty() => {
                // An empty item ends the list.
                self.textarea.move_cursor(CursorMove::Head);
                self.textarea.delete_line_by_end();
                self.textarea.insert_str(&indent);
            }
            Some((marker, _)) => {
                self.textarea.insert_newline();
                self.textarea
                    .insert_str(format!("{indent}{}", next_marker(&marker)));
            }
            None => {
                self.textarea.insert_newline();
                self.textarea.insert_str(&indent);
            }
        }
    }

    /// Tab: indents the current line by two spaces.
    pub fn indent(&mut self) {
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        self.textarea.move_cursor(CursorMove::Head);
        self.textarea.insert_str("  ");
        self.textarea
            .move_cursor(CursorMove::Jump(row as u16, (col + 2) as u16));
    }

    /// Shift-Tab: outdents the current line by up to two spaces (or a tab).
    pub fn outdent(&mut self) {
        let ratatui_textarea::DataCursor(row, col) = self.textarea.cursor();
        let line = &self.textarea.lines()[row];
        let n = if line.starts_with('\t') {
            1
        } else {
            line.chars().take(2).take_while(|c| *c == ' ').count()
        };
        if n == 0 {
            return;
        }
        self.textarea.move_cursor(CursorMove::Head);
        for _ in 0..n {
            self.textarea.delete_next_char();
        }
        self.textarea
            .move_cursor(CursorMove::Jump(row as u16, col.saturating_sub(n) as u16));
    }
}

/// Lines with their endings (`\r\n`, `\n`, or none for the last): a lone
/// `\r` is text, as the editor shows it.
fn split_lines(text: &str) -> Vec<(&str, &str)> {
    if text.is_empty() {
        return vec![("", "")];
    }
    let mut out: Vec<(&str, &str)> = text
        .split_inclusive('\n')
        .map(|l| match l.strip_suffix("\r\n") {
            Some(t) => (t, "\r\n"),
            None => match l.strip_suffix('\n') {
                Some(t) => (t, "\n"),
                None => (l, ""),
            },
        })
        .collect();
    // A range ending with a line ending: the buffer shows no empty line after it.
    if text.ends_with('\n') && out.last().is_some_and(|l| !l.1.is_empty()) {
        return out;
    }
    if out.is_empty() {
        out.push(("", ""));
    }
    out
}

/// The list marker a line starts with (`- `, `1. `), and its length.
fn list_marker(rest: &str) -> Option<(String, usize)> {
    for m in ["- ", "* ", "+ ", "• "] {
        if rest.starts_with(m) || rest == m.trim_end() {
            return Some((m.to_string(), m.len().min(rest.len())));
        }
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let after = &rest[digits..];
        if after.starts_with(". ") || after.starts_with(") ") {
            return Some((rest[..digits + 2].to_string(), digits + 2));
        }
    }
    None
}

/// The marker of the next item: the same bullet, or the next number.
fn next_marker(marker: &str) -> String {
    let digits: String = marker.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<u64>() {
        Ok(n) => format!("{}{}", n + 1, &marker[digits.len()..]),
        Err(_) => marker.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(text: &str, cursor: (usize, usize)) -> Editor {
        editor_over(text, 0..text.len(), cursor)
    }

    fn editor_over(text: &str, range: std::ops::Range<usize>, cursor: (usize, usize)) -> Editor {
        Editor::open(Opening {
            path: "t.md".into(),
            range,
            base: Arc::new(text.to_string()),
            text: None,
            unsaved: false,
            prefix: String::new(),
            read_only: false,
            target: Target::Document(0),
            cursor,
        })
    }

    #[test]
    fn enter_continues_the_list_at_the_same_indentation() {
        let mut e = editor("- one\n  - two\n", (1, 7));
        e.newline();
        e.textarea.insert_str("three");
        assert_eq!(e.body(), "- one\n  - two\n  - three");
        e.newline();
        e.newline();
        assert_eq!(e.body(), "- one\n  - two\n  - three\n  ");
        let mut e = editor("1. a", (0, 4));
        e.newline();
        assert_eq!(e.body(), "1. a\n2. ");
    }

    #[test]
    fn an_empty_last_item_goes_however_many_lines_come_before() {
        let mut text = "- topic\n".repeat(70_000);
        text.push_str("  -");
        let mut e = editor(&text, (0, 0));
        e.drop_empty_last_item();
        assert_eq!(e.body(), "- topic\n".repeat(70_000).trim_end());
        let mut e = editor("- a\n- b\n  -", (0, 0));
        e.drop_empty_last_item();
        assert_eq!(e.body(), "- a\n- b");
    }

    #[test]
    fn tab_and_shift_tab_indent_and_outdent() {
        let mut e = editor("- a\n- b", (1, 3));
        e.indent();
        assert_eq!(e.body(), "- a\n  - b");
        assert_eq!(e.textarea.cursor(), (1, 5));
        e.outdent();
        e.outdent();
        assert_eq!(e.body(), "- a\n- b");
    }

    #[test]
    fn untouched_lines_keep_their_bytes_in_a_file_of_mixed_line_endings() {
        let text = "- a\r\n- b\r- c\n- d\n";
        let mut e = editor(text, (3, 3));
        assert_eq!(e.body(), "- a\n- b\r- c\n- d");
        assert_eq!(e.file_text(), text, "nothing changed, nothing rewritten");
        e.textarea.insert_str("!");
        // The first line ending (`\r\n`) goes on changed lines only.
        assert_eq!(e.file_text(), "- a\r\n- b\r- c\n- d!\r\n");
        e.textarea.move_cursor(CursorMove::Jump(0, 0));
        e.textarea.insert_str("x");
        assert_eq!(e.file_text(), "x- a\r\n- b\r- c\n- d!\r\n");
    }

    #[test]
    fn crlf_files_keep_their_line_endings() {
        let mut e = editor_over("# T\r\n- a\r\n- b\r\n", 5..15, (0, 0));
        assert_eq!(e.body(), "- a\n- b");
        assert!(!e.dirty());
        e.textarea.insert_str("x");
        assert!(e.dirty());
        assert_eq!(e.result(), "# T\r\nx- a\r\n- b\r\n");
    }

    #[test]
    fn a_pause_in_typing_starts_an_undo_step() {
        let mut e = editor("ab", (0, 0));
        let t0 = Instant::now();
        let type_at = |e: &mut Editor, c: char, at: Instant| {
            let before = e.snapshot();
            e.textarea.insert_char(c);
            e.changed(before, Change::Typed(c), at);
        };
        type_at(&mut e, 'x', t0);
        type_at(&mut e, 'y', t0 + std::time::Duration::from_millis(300));
        type_at(&mut e, 'z', t0 + std::time::Duration::from_millis(1_500));
        assert_eq!(e.textarea.lines(), ["xyzab"]);
        assert!(e.undo());
        assert_eq!(e.textarea.lines(), ["xyab"], "the pause made a step");
        assert!(e.undo());
        assert_eq!(e.textarea.lines(), ["ab"]);
        assert!(!e.undo());
    }
}
