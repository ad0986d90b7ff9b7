//! The app's vocabulary: every action a key or the mouse can ask for, and
//! the modes that decide what a key means. Actions are declared once, in the
//! table below: their keymap names, help descriptions and modes come from it.

/// Where the keys are going: each mode has its own bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Browsing the views.
    Normal,
    /// Typing in the search pane.
    Search,
    /// The help overlay.
    Help,
    /// A question (yes/no, or a choice after a conflict).
    Confirm,
    /// Editing Markdown in the editor pane.
    Editor,
    /// Typing one line of input (a title, a URL, a name).
    Prompt,
    /// Two versions of a text, side by side in a unified diff.
    Diff,
    /// Choosing, hunk by hunk, between my lines and theirs.
    Merge,
    /// Reading a link's kept page.
    Reader,
}

impl Mode {
    /// What typing does in this mode, when keys that are not bound are text.
    pub fn typing(self) -> Option<&'static str> {
        match self {
            Mode::Search => Some("type the query"),
            Mode::Editor => Some("type text"),
            Mode::Prompt => Some("type the answer"),
            _ => None,
        }
    }

    /// Every mode.
    pub const ALL: [Mode; 9] = [
        Mode::Normal,
        Mode::Search,
        Mode::Help,
        Mode::Confirm,
        Mode::Editor,
        Mode::Prompt,
        Mode::Diff,
        Mode::Merge,
        Mode::Reader,
    ];

    /// The section name in keymaps.toml.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::Search => "search",
            Mode::Help => "help",
            Mode::Confirm => "confirm",
            Mode::Editor => "editor",
            Mode::Prompt => "prompt",
            Mode::Diff => "diff",
            Mode::Merge => "merge",
            Mode::Reader => "reader",
        }
    }

    /// The mode of a section name.
    pub fn from_name(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == s)
    }

    /// Whether unbound printable keys are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(self, Mode::Search | Mode::Editor | Mode::Prompt)
    }
}

/// A cell of the screen, where the mouse was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point {
    /// Column, from 0.
    pub x: u16,
    /// Row, from 0.
    pub y: u16,
}

/// What the table says of one bindable action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The action.
    pub action: Action,
    /// Its snake_case name in keymaps.toml.
    pub name: &'static str,
    /// A few words for the help overlay.
    pub description: &'static str,
    /// The modes it does something in.
    pub modes: &'static [Mode],
}

macro_rules! actions {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $description:literal, [$($mode:ident),*]; )*) => {
        /// Something the user asks for: keys resolve to actions through the
        /// keymap; mouse clicks and wheel turns are actions too.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $(#[doc = $doc])* $variant, )*
            /// The left button pressed at a cell (not bindable).
            Click(Point),
            /// The wheel turned towards the user at a cell (not bindable).
            ScrollDown(Point),
            /// The wheel turned away from the user at a cell (not bindable).
            ScrollUp(Point),
        }

        /// Every bindable action, in the order help lists them.
        pub const ACTIONS: &[Spec] = &[
            $( Spec {
                action: Action::$variant,
                name: $name,
                description: $description,
                modes: &[$(Mode::$mode),*],
            }, )*
        ];
    };
}

actions! {
    /// Leave opsbook.
    Quit = "quit", "quit", [Normal, Search, Help, Confirm, Editor, Prompt, Diff, Merge, Reader];
    /// Move the selection down one row.
    Down = "down", "down", [Normal, Search, Help, Diff, Editor, Merge, Reader];
    /// Move the selection up one row.
    Up = "up", "up", [Normal, Search, Help, Diff, Editor, Merge, Reader];
    /// Move the selection down one page.
    PageDown = "page_down", "page down", [Normal, Search, Editor, Reader];
    /// Move the selection up one page.
    PageUp = "page_up", "page up", [Normal, Search, Editor, Reader];
    /// Select the first row.
    Top = "top", "first row", [Normal, Editor, Reader];
    /// Select the last row.
    Bottom = "bottom", "last row", [Normal, Editor, Reader];
    /// Open the selected row's children, or step into them.
    Expand = "expand", "expand / step in", [Normal];
    /// Close the selected row, or step out to its parent.
    Collapse = "collapse", "collapse / step out", [Normal];
    /// Open or close the selected row.
    Toggle = "toggle", "expand or collapse, or mark done", [Normal];
    /// Open the selected link in the browser (on other rows: open or close them).
    Open = "open", "open link in browser", [Normal, Reader];
    /// Copy the selected link's URL to the clipboard.
    CopyUrl = "copy_url", "copy URL", [Normal, Search];
    /// Fuzzy-search every link.
    SearchLinks = "search_links", "search links", [Normal];
    /// Fuzzy-search all note text.
    SearchNotes = "search_notes", "search note text", [Normal];
    /// Show the Postmortems view.
    ViewPostmortems = "view_postmortems", "Postmortems view", [Normal];
    /// Show the Sessions view.
    ViewSessions = "view_sessions", "Sessions view", [Normal];
    /// Show the Notebook view.
    ViewNotebook = "view_notebook", "Notebook view", [Normal];
    /// Show the Links view.
    ViewLinks = "view_links", "Links view", [Normal];
    ViewActions = "view_actions", "Actions view", [Normal];
    /// Show the next view.
    NextView = "next_view", "next view", [Normal];
    /// Show the previous view.
    PrevView = "prev_view", "previous view", [Normal];
    /// Links view: sort by document order or by year.
    ToggleSort = "toggle_sort", "links by order / year / tag", [Normal];
    /// Scroll the detail pane down.
    DetailDown = "detail_down", "scroll detail down", [Normal];
    /// Scroll the detail pane up.
    DetailUp = "detail_up", "scroll detail up", [Normal];
    /// Commit the notes opsbook changed, pull, push (git).
    Sync = "sync", "commit, pull and push (git)", [Normal];
    /// Check the web links in the background: dead, moved, answering.
    CheckLinks = "check_links", "check links (dead, moved)", [Normal];
    /// Fetch the web links' pages in the background and keep their text.
    FetchPages = "fetch_pages", "fetch pages, to keep their text", [Normal];
    /// Read the selected link's kept page (close the reader again).
    ReadPage = "read_page", "read the link's kept page (the reader: close it)", [Normal, Reader];
    /// Reader: find words in the page.
    FindInPage = "find_in_page", "find in the page", [Reader];
    /// Reader: the next line holding what was found.
    NextMatch = "next_match", "next match", [Reader];
    /// Reader: the line before holding what was found.
    PrevMatch = "prev_match", "previous match", [Reader];
    /// Rewrite a dead link to its archived copy, a moved one to its new address.
    FixLink = "fix_link", "rewrite a dead or moved link", [Normal, Confirm];
    /// Dead link: open it all the same.
    OpenOriginal = "open_original", "open the dead link itself", [Confirm];
    /// Read the notebook folder again.
    Reload = "reload", "reload notebook", [Normal, Confirm];
    /// Show the keys of the current mode.
    Help = "help", "help", [Normal, Search, Help, Diff, Editor, Reader];
    /// Close the overlay (search, help, question).
    Close = "close", "close", [Search, Help, Diff, Confirm, Editor, Prompt, Merge, Reader];
    /// Search: open the selected result.
    SearchOpen = "search_open", "open result", [Search];
    /// Search: go to the selected result in its view and close the search.
    SearchJump = "search_jump", "go to result", [Search];
    /// Search: switch between links and all note text.
    SearchScope = "search_scope", "links / notes", [Search];
    /// Search: delete the character before the cursor.
    DeleteChar = "delete_char", "delete character", [Search, Editor, Prompt];
    /// Search: delete the word before the cursor.
    DeleteWord = "delete_word", "delete word", [Search, Editor, Prompt];
    /// Search: clear the query.
    ClearQuery = "clear_query", "clear query", [Search, Prompt];
    /// Question: answer yes.
    Confirm = "confirm", "yes", [Confirm, Prompt, Merge];
    /// Question: answer no.
    Cancel = "cancel", "no", [Confirm, Prompt];
    /// Edit the selected node's Markdown in the editor pane.
    Edit = "edit", "edit in opsbook", [Normal];
    /// Sessions view: start today's session in the calendar.
    NewSession = "new_session", "start today's session", [Normal];
    /// Add a link to the selected section (Postmortems: to a year).
    AddLink = "add_link", "add a link", [Normal];
    /// Create a new note file in the notebook.
    NewNote = "new_note", "new note", [Normal];
    GoToday = "go_today", "Sessions: today's session, or the next", [Normal];
    UndoWrite = "undo_write", "undo opsbook's last write (a, F, an action)", [Normal];
    InsertTime = "insert_time", "insert the time, [14:05]", [Editor];
    NewPostmortem = "new_postmortem", "new postmortem from the template", [Normal];
    /// Open the node's file at its line in $VISUAL / $EDITOR.
    ExternalEdit = "external_edit", "edit in $EDITOR", [Normal];
    /// Editor: save now.
    Save = "save", "save", [Editor];
    /// Editor: undo.
    Undo = "undo", "undo", [Editor];
    /// Editor: redo.
    Redo = "redo", "redo", [Editor];
    /// Editor: copy the selection.
    Copy = "copy", "copy", [Editor];
    /// Editor: cut the selection.
    Cut = "cut", "cut", [Editor];
    /// Editor: paste what was copied or cut.
    Paste = "paste", "paste", [Editor];
    /// Editor: select everything.
    SelectAll = "select_all", "select all", [Editor];
    /// Editor: cursor left.
    Left = "left", "left", [Editor];
    /// Editor: cursor right.
    Right = "right", "right", [Editor];
    /// Editor: extend the selection left.
    SelectLeft = "select_left", "select left", [Editor];
    /// Editor: extend the selection right.
    SelectRight = "select_right", "select right", [Editor];
    /// Editor: extend the selection up.
    SelectUp = "select_up", "select up", [Editor];
    /// Editor: extend the selection down.
    SelectDown = "select_down", "select down", [Editor];
    /// Editor: back one word.
    WordLeft = "word_left", "word left", [Editor];
    /// Editor: forward one word.
    WordRight = "word_right", "word right", [Editor];
    /// Editor: start of the line.
    LineStart = "line_start", "line start", [Editor];
    /// Editor: end of the line.
    LineEnd = "line_end", "line end", [Editor];
    /// Editor: delete the character under the cursor.
    DeleteNextChar = "delete_next_char", "delete next character", [Editor];
    /// Editor: new line, continuing a list item at the same indentation.
    Newline = "newline", "new line / next item", [Editor];
    /// Editor: indent the item.
    Indent = "indent", "indent", [Editor];
    /// Editor: outdent the item.
    Outdent = "outdent", "outdent", [Editor];
    /// Conflict: write my version over the changed file.
    Overwrite = "overwrite", "overwrite", [Confirm];
    /// Conflict or recovery: show both versions.
    ShowBoth = "show_both", "show both", [Confirm];
    /// Recovery: throw the unsaved text away.
    Discard = "discard", "discard", [Confirm];
    /// File gone from disk: save the editor's text as a new note.
    SaveAs = "save_as", "save as a new note", [Confirm];
    /// Conflict: choose between my lines and theirs where both changed.
    Merge = "merge", "merge hunk by hunk", [Confirm];
    /// Merge: keep my lines of this hunk.
    TakeMine = "take_mine", "keep mine", [Merge];
    /// Merge: keep their lines of this hunk.
    TakeTheirs = "take_theirs", "keep theirs", [Merge];
    /// Merge: keep my lines, then theirs.
    TakeBoth = "take_both", "keep both", [Merge];
}

impl Action {
    /// The table's entry of a bindable action; `None` for mouse actions.
    pub fn spec(self) -> Option<&'static Spec> {
        ACTIONS.iter().find(|s| s.action == self)
    }

    /// The snake_case name used in keymaps.toml (empty for mouse actions).
    pub fn name(self) -> &'static str {
        self.spec().map_or("", |s| s.name)
    }

    /// The bindable action of a snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|s| s.name == name).map(|s| s.action)
    }

    /// A few words for the help overlay.
    pub fn description(self) -> &'static str {
        self.spec().map_or("", |s| s.description)
    }

    /// Whether the action does something in a mode.
    pub fn works_in(self, mode: Mode) -> bool {
        self.spec().is_some_and(|s| s.modes.contains(&mode))
    }

    /// Where the action stands in the table (help lists in this order).
    pub fn rank(self) -> usize {
        ACTIONS
            .iter()
            .position(|s| s.action == self)
            .unwrap_or(ACTIONS.len())
    }
}

/// Something that happened, for the app to apply: an action, or text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// An action, from a key or the mouse.
    Action(Action),
    /// Text typed or pasted where text is taken.
    Text(String),
    /// A key that means nothing in this mode, written as in keymaps.toml,
    /// with the keys of help to mention.
    Unbound {
        /// The key.
        key: String,
        /// A key that opens help, if any.
        help: Option<String>,
    },
    /// The terminal has a new size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_for_every_action() {
        for s in ACTIONS {
            assert_eq!(Action::from_name(s.name), Some(s.action));
            assert!(!s.modes.is_empty(), "{} works in no mode", s.name);
        }
        assert_eq!(ACTIONS.len(), 82);
        assert_eq!(Action::PageDown.name(), "page_down");
        assert_eq!(Action::from_name("nope"), None);
        assert_eq!(Action::Click(Point { x: 1, y: 2 }).name(), "");
    }

    #[test]
    fn modes_say_where_an_action_works() {
        assert!(Action::Save.works_in(Mode::Editor));
        assert!(!Action::Save.works_in(Mode::Normal));
        assert!(Action::Close.works_in(Mode::Diff));
    }
}
