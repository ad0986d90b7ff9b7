//! The keymap's vocabulary: everything a key can ask the app to do.

use serde::{Deserialize, Serialize};

/// Something the user asks for; keys resolve to actions through the keymap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave opsbook.
    Quit,
    /// Move the selection down one row.
    Down,
    /// Move the selection up one row.
    Up,
    /// Move the selection down one page.
    PageDown,
    /// Move the selection up one page.
    PageUp,
    /// Select the first row.
    Top,
    /// Select the last row.
    Bottom,
    /// Open the selected row's children, or step into them.
    Expand,
    /// Close the selected row, or step out to its parent.
    Collapse,
    /// Open or close the selected row.
    Toggle,
    /// Open the selected link in the browser (on other rows: open or close them).
    Open,
    /// Copy the selected link's URL to the clipboard.
    CopyUrl,
    /// Fuzzy-search every link.
    SearchLinks,
    /// Fuzzy-search all note text.
    SearchNotes,
    /// Show the Postmortems view.
    ViewPostmortems,
    /// Show the Sessions view.
    ViewSessions,
    /// Show the Notebook view.
    ViewNotebook,
    /// Show the Links view.
    ViewLinks,
    /// Show the next view.
    NextView,
    /// Show the previous view.
    PrevView,
    /// Links view: sort by document order or by year.
    ToggleSort,
    /// Scroll the detail pane down.
    DetailDown,
    /// Scroll the detail pane up.
    DetailUp,
    /// Read the notebook folder again.
    Reload,
    /// Show the keys of the current mode.
    Help,
    /// Close the overlay (search, help, question).
    Close,
    /// Search: open the selected result.
    SearchOpen,
    /// Search: go to the selected result in its view and close the search.
    SearchJump,
    /// Search: switch between links and all note text.
    SearchScope,
    /// Search: delete the character before the cursor.
    DeleteChar,
    /// Search: delete the word before the cursor.
    DeleteWord,
    /// Search: clear the query.
    ClearQuery,
    /// Question: answer yes.
    Confirm,
    /// Question: answer no.
    Cancel,
    /// Edit the selected node's Markdown in the editor pane.
    Edit,
    /// Sessions view: start today's session in the calendar.
    NewSession,
    /// Add a link to the selected section (Postmortems: to a year).
    AddLink,
    /// Create a new note file in the notebook.
    NewNote,
    /// Open the node's file at its line in $VISUAL / $EDITOR.
    ExternalEdit,
    /// Editor: save now.
    Save,
    /// Editor: undo.
    Undo,
    /// Editor: redo.
    Redo,
    /// Editor: copy the selection.
    Copy,
    /// Editor: cut the selection.
    Cut,
    /// Editor: paste what was copied or cut.
    Paste,
    /// Editor: select everything.
    SelectAll,
    /// Editor: cursor left.
    Left,
    /// Editor: cursor right.
    Right,
    /// Editor: extend the selection left.
    SelectLeft,
    /// Editor: extend the selection right.
    SelectRight,
    /// Editor: extend the selection up.
    SelectUp,
    /// Editor: extend the selection down.
    SelectDown,
    /// Editor: back one word.
    WordLeft,
    /// Editor: forward one word.
    WordRight,
    /// Editor: start of the line.
    LineStart,
    /// Editor: end of the line.
    LineEnd,
    /// Editor: delete the character under the cursor.
    DeleteNextChar,
    /// Editor: new line, continuing a list item at the same indentation.
    Newline,
    /// Editor: indent the item.
    Indent,
    /// Editor: outdent the item.
    Outdent,
    /// Conflict: write my version over the changed file.
    Overwrite,
    /// Conflict or recovery: show both versions.
    ShowBoth,
    /// Recovery: throw the unsaved text away.
    Discard,
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: [Action; 63] = [
        Action::Quit,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Expand,
        Action::Collapse,
        Action::Toggle,
        Action::Open,
        Action::CopyUrl,
        Action::SearchLinks,
        Action::SearchNotes,
        Action::ViewPostmortems,
        Action::ViewSessions,
        Action::ViewNotebook,
        Action::ViewLinks,
        Action::NextView,
        Action::PrevView,
        Action::ToggleSort,
        Action::DetailDown,
        Action::DetailUp,
        Action::Reload,
        Action::Help,
        Action::Close,
        Action::SearchOpen,
        Action::SearchJump,
        Action::SearchScope,
        Action::DeleteChar,
        Action::DeleteWord,
        Action::ClearQuery,
        Action::Confirm,
        Action::Cancel,
        Action::Edit,
        Action::NewSession,
        Action::AddLink,
        Action::NewNote,
        Action::ExternalEdit,
        Action::Save,
        Action::Undo,
        Action::Redo,
        Action::Copy,
        Action::Cut,
        Action::Paste,
        Action::SelectAll,
        Action::Left,
        Action::Right,
        Action::SelectLeft,
        Action::SelectRight,
        Action::SelectUp,
        Action::SelectDown,
        Action::WordLeft,
        Action::WordRight,
        Action::LineStart,
        Action::LineEnd,
        Action::DeleteNextChar,
        Action::Newline,
        Action::Indent,
        Action::Outdent,
        Action::Overwrite,
        Action::ShowBoth,
        Action::Discard,
    ];

    /// The snake_case name used in keymaps.toml.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The action of a snake_case name.
    pub fn from_name(name: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }

    /// A few words for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Expand => "expand / step in",
            Action::Collapse => "collapse / step out",
            Action::Toggle => "expand or collapse",
            Action::Open => "open link in browser",
            Action::CopyUrl => "copy URL",
            Action::SearchLinks => "search links",
            Action::SearchNotes => "search note text",
            Action::ViewPostmortems => "Postmortems view",
            Action::ViewSessions => "Sessions view",
            Action::ViewNotebook => "Notebook view",
            Action::ViewLinks => "Links view",
            Action::NextView => "next view",
            Action::PrevView => "previous view",
            Action::ToggleSort => "sort links by order / year",
            Action::DetailDown => "scroll detail down",
            Action::DetailUp => "scroll detail up",
            Action::Reload => "reload notebook",
            Action::Help => "help",
            Action::Close => "close",
            Action::SearchOpen => "open result",
            Action::SearchJump => "go to result",
            Action::SearchScope => "links / notes",
            Action::DeleteChar => "delete character",
            Action::DeleteWord => "delete word",
            Action::ClearQuery => "clear query",
            Action::Confirm => "yes",
            Action::Cancel => "no",
            Action::Edit => "edit in opsbook",
            Action::NewSession => "start today's session",
            Action::AddLink => "add a link",
            Action::NewNote => "new note",
            Action::ExternalEdit => "edit in $EDITOR",
            Action::Save => "save",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::Copy => "copy",
            Action::Cut => "cut",
            Action::Paste => "paste",
            Action::SelectAll => "select all",
            Action::Left => "left",
            Action::Right => "right",
            Action::SelectLeft => "select left",
            Action::SelectRight => "select right",
            Action::SelectUp => "select up",
            Action::SelectDown => "select down",
            Action::WordLeft => "word left",
            Action::WordRight => "word right",
            Action::LineStart => "line start",
            Action::LineEnd => "line end",
            Action::DeleteNextChar => "delete next character",
            Action::Newline => "new line / next item",
            Action::Indent => "indent",
            Action::Outdent => "outdent",
            Action::Overwrite => "overwrite",
            Action::ShowBoth => "show both",
            Action::Discard => "discard",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_for_every_action() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(a));
        }
        assert_eq!(Action::PageDown.name(), "page_down");
        assert_eq!(Action::from_name("nope"), None);
    }
}
