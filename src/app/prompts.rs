//! One-line prompts and what they lead to: today's session, a new link, a
//! new note; and handing a file to the user's own editor.

use std::path::PathBuf;
use std::sync::Arc;

use super::action::Action;
use super::effect::{Effect, Written};
use super::overlay::{LinkDest, Overlay, Purpose};
use super::search::delete_word;
use super::state::App;
use super::tree::{Target, View};
use crate::notebook::edit;
use crate::notebook::model::ROOT;
use crate::notebook::{Bucket, Document, NodeKind};

impl App {
    /// `n` in the Sessions view: asks for a title, then opens today's session.
    pub(super) fn new_session_prompt(&mut self) -> Vec<Effect> {
        if self.view != View::Sessions {
            self.say("new sessions start in the Sessions view (2)");
            return Vec::new();
        }
        let Some(doc) = self.notebook.calendar() else {
            self.warn("no calendar in this notebook: write a dated item (- May 25 Title) first");
            return Vec::new();
        };
        // Today has its session already: on with it, at its end.
        let d = Arc::clone(&self.notebook.documents[doc]);
        let t = self.today;
        if let Some(i) = d
            .sessions
            .iter()
            .position(|s| s.year == Some(t.year) && s.month == t.month && s.day == t.day)
        {
            let node = d.sessions[i].node;
            let range = d.subtree(node);
            let text = d.source[range.clone()].replace("\r\n", "\n");
            let cursor = super::recovery::end_of(&text);
            self.open_editor(
                &d,
                range,
                None,
                false,
                String::new(),
                Target::Session(doc as u32, i as u32),
                cursor,
            );
            self.session_since = Some(self.now);
            self.say("today's session is open: type on at its end");
            return Vec::new();
        }
        self.open_prompt(
            Purpose::SessionTitle { doc },
            "Title of today's session",
            String::new(),
        );
        Vec::new()
    }

    /// `a`: asks for a URL, a title (and a year in the Postmortems view).
    pub(super) fn add_link_prompt(&mut self) -> Vec<Effect> {
        let dest = if self.view == View::Postmortems {
            let doc = match self.pane().selected_target() {
                Some(Target::Link(id)) => self.notebook.link(id).map(|l| l.doc_index),
                Some(Target::Bucket(b)) => self
                    .notebook
                    .links()
                    .find(|l| l.bucket() == b)
                    .map(|l| l.doc_index),
                _ => None,
            }
            .or_else(|| self.notebook.postmortem_list())
            .unwrap_or(0);
            LinkDest::Postmortem { doc }
        } else {
            match self.selected_node() {
                Some((d, node, _)) => {
                    let doc = &self.notebook.documents[d];
                    let section = match doc.node(node).kind() {
                        NodeKind::Heading { .. } => node,
                        _ => doc.section_of(node).map_or(ROOT, |s| s.node),
                    };
                    LinkDest::Section {
                        doc: d,
                        node: section,
                    }
                }
                None => LinkDest::Section { doc: 0, node: ROOT },
            }
        };
        if self.notebook.documents.is_empty() {
            self.warn("no document to add a link to: create a note first (N)");
            return Vec::new();
        }
        // A read-only note is never written: say so before any question,
        // or, for a postmortem link, take a postmortem list that can be.
        let dest = match dest {
            LinkDest::Postmortem { doc } | LinkDest::Section { doc, .. }
                if !self.notebook.documents[doc].read_only =>
            {
                dest
            }
            LinkDest::Postmortem { doc } => {
                let read_only = self.notebook.documents[doc].path.display().to_string();
                let writable = self
                    .notebook
                    .documents
                    .iter()
                    .position(|d| d.is_postmortem_list() && !d.read_only);
                let Some(other) = writable else {
                    self.warn(format!(
                        "{read_only} is read-only (not UTF-8, or not writable): no link added"
                    ));
                    return Vec::new();
                };
                self.say(format!(
                    "{read_only} is read-only: the link goes to {}",
                    self.notebook.documents[other].path.display()
                ));
                LinkDest::Postmortem { doc: other }
            }
            LinkDest::Section { doc, .. } => {
                self.warn(format!(
                    "{} is read-only (not UTF-8, or not writable): no link added",
                    self.notebook.documents[doc].path.display()
                ));
                return Vec::new();
            }
        };
        self.open_prompt(Purpose::LinkUrl(dest), "URL", String::new());
        Vec::new()
    }

    /// `P`: asks for the title of a new postmortem document.
    pub(super) fn new_postmortem_prompt(&mut self) -> Vec<Effect> {
        self.open_prompt(
            Purpose::PostmortemTitle,
            "Title of the new postmortem",
            String::new(),
        );
        Vec::new()
    }

    /// `N`: asks for the name of a new note.
    pub(super) fn new_note_prompt(&mut self) -> Vec<Effect> {
        self.open_prompt(
            Purpose::NoteName { body: None },
            "New note (file name)",
            String::new(),
        );
        Vec::new()
    }

    /// `E`: the selected node's file in the user's own editor.
    pub(super) fn external_edit(&mut self) -> Vec<Effect> {
        let Some((d, node, _)) = self.selected_node() else {
            self.warn("select something in a file to edit it");
            return Vec::new();
        };
        let doc = &self.notebook.documents[d];
        if doc.read_only {
            self.warn(format!(
                "{} is read-only: not opened for editing",
                doc.path.display()
            ));
            return Vec::new();
        }
        vec![Effect::ExternalEdit {
            path: doc.path.clone(),
            line: doc.node_line(node),
        }]
    }

    /// Applies an action in a prompt.
    pub(super) fn apply_prompt(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Prompt(p)) = &mut self.overlay else {
            return Vec::new();
        };
        match action {
            Action::Close | Action::Cancel => self.overlay = None,
            Action::DeleteChar => {
                p.input.pop();
            }
            Action::DeleteWord => delete_word(&mut p.input),
            Action::ClearQuery => p.input.clear(),
            Action::Confirm => {
                let purpose = p.purpose.clone();
                let input = p.input.trim().to_string();
                self.overlay = None;
                return self.prompt_done(purpose, input);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Text typed into a prompt.
    pub(super) fn prompt_type(&mut self, text: &str) -> Vec<Effect> {
        if let Some(Overlay::Prompt(p)) = &mut self.overlay {
            p.input
                .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
        }
        Vec::new()
    }

    fn prompt_done(&mut self, purpose: Purpose, input: String) -> Vec<Effect> {
        match purpose {
            Purpose::FindInPage => self.find_in_page(input),
            Purpose::SessionTitle { doc } => {
                let d = Arc::clone(&self.notebook.documents[doc]);
                if d.read_only {
                    self.warn(format!(
                        "{} is read-only: no session added",
                        d.path.display()
                    ));
                    return Vec::new();
                }
                let made =
                    edit::new_session_styled(&d, self.today, &input, self.session_date_style).map(
                        |n| match &self.session_template {
                            Some(t) => edit::with_template(n, t, &input),
                            None => n,
                        },
                    );
                match made {
                    Some(n) => {
                        self.open_editor(
                            &d,
                            n.at..n.at,
                            Some(n.text),
                            true,
                            n.prefix,
                            Target::Document(doc as u32),
                            n.cursor,
                        );
                        self.session_since = Some(self.now);
                        self.say("today's session: type its topics; it saves as you go");
                    }
                    None => self.warn("no calendar list found"),
                }
                Vec::new()
            }
            Purpose::LinkUrl(dest) => {
                if input.is_empty() {
                    self.warn("no URL: no link added");
                    return Vec::new();
                }
                let Some(url) = edit::typed_url(&input) else {
                    // Asked again with what was typed, to mend it.
                    self.open_prompt(Purpose::LinkUrl(dest), "URL", input.clone());
                    match edit::refused_scheme(&input) {
                        Some(scheme) => self.warn(format!(
                            "{scheme}: links run code or read local files: not added"
                        )),
                        None => self.warn(format!("`{input}` is not a URL: mend it, or esc")),
                    }
                    return Vec::new();
                };
                let web = url.starts_with("http://") || url.starts_with("https://");
                if web && self.pages.settings.titles_on_add {
                    // The page is asked for its title while the prompt waits.
                    self.open_prompt(
                        Purpose::LinkTitle(dest, url.clone()),
                        "Title (asking the page…)",
                        String::new(),
                    );
                    return vec![Effect::FetchTitle(url)];
                }
                self.open_prompt(Purpose::LinkTitle(dest, url), "Title", String::new());
                Vec::new()
            }
            Purpose::LinkTitle(LinkDest::Postmortem { doc }, url) => {
                // Pre-filled from the selected row: its year, or General.
                let bucket = match self.pane().selected_target() {
                    Some(Target::Bucket(b)) => b,
                    Some(Target::Link(id)) => self
                        .notebook
                        .link(id)
                        .map_or(Bucket::Year(self.today.year as u16), |l| l.bucket()),
                    _ => Bucket::Year(self.today.year as u16),
                };
                let year = match bucket {
                    Bucket::Year(y) => y.to_string(),
                    _ => "general".to_string(),
                };
                self.open_prompt(
                    Purpose::LinkYear {
                        doc,
                        url,
                        title: input,
                    },
                    "Year (or general)",
                    year,
                );
                Vec::new()
            }
            Purpose::LinkTitle(LinkDest::Section { doc, node }, url) => {
                let d = Arc::clone(&self.notebook.documents[doc]);
                let e = edit::add_link(&d, node, &input, &url);
                self.write_edit(&d, e, Written::NewLink)
            }
            Purpose::LinkYear { doc, url, title } => {
                let d = Arc::clone(&self.notebook.documents[doc]);
                if input.eq_ignore_ascii_case("general") {
                    let e = edit::add_general_link(&d, &title, &url);
                    return self.write_edit(&d, e, Written::NewLink);
                }
                let Some(year) = crate::notebook::model::heading_year(&input) else {
                    // The URL and title stay; only the year is asked again.
                    self.open_prompt(
                        Purpose::LinkYear { doc, url, title },
                        "Year (or general)",
                        input.clone(),
                    );
                    self.warn(format!(
                        "`{input}` is not a year between 1970 and 2100, nor general"
                    ));
                    return Vec::new();
                };
                let e = edit::add_postmortem_link(&d, year, &title, &url);
                self.write_edit(&d, e, Written::NewLink)
            }
            Purpose::PostmortemTitle => {
                if input.trim().is_empty() {
                    self.warn("a postmortem needs a title: nothing written");
                    return Vec::new();
                }
                let new = crate::notebook::postmortem::new_postmortem(
                    &self.notebook.documents,
                    &input,
                    self.today.into(),
                );
                if self.notebook.document_index(&new.path).is_some() {
                    self.warn(format!(
                        "{} exists already: not overwritten",
                        new.path.display()
                    ));
                    return Vec::new();
                }
                self.new_note_line = Some((new.path.clone(), new.summary_line as usize - 1));
                vec![Effect::CreateNote {
                    path: new.path,
                    text: new.text,
                }]
            }
            Purpose::NoteName { body } => match edit::note_file_name(&input) {
                Ok(name) => {
                    let path = PathBuf::from(name);
                    // A file on disk that is not a note is caught by the write,
                    // which never replaces a file.
                    if self.notebook.document_index(&path).is_some() {
                        self.warn(format!(
                            "{} exists already: not overwritten",
                            path.display()
                        ));
                        return Vec::new();
                    }
                    let title = path
                        .file_stem()
                        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
                    let Some(body) = body else {
                        return vec![Effect::CreateNote {
                            path,
                            text: format!("# {title}\n\n"),
                        }];
                    };
                    // The text of a file gone from disk, into a new note.
                    vec![Effect::CreateNote { path, text: body }]
                }
                Err(why) => {
                    self.warn(why.to_string());
                    Vec::new()
                }
            },
        }
    }

    /// A new note was created: show it and start editing it. An editor open
    /// on another file (one gone from disk, saved as this note) gives way,
    /// and its journal entry goes with it.
    pub fn note_created(&mut self, doc: Document) -> Vec<Effect> {
        let path = doc.path.clone();
        let replaced: Vec<Effect> = self
            .editor()
            .filter(|e| e.path != path)
            .map(|e| Effect::DropJournal(e.path.clone()))
            .into_iter()
            .collect();
        // `u` removes it again while it is as made.
        self.undo.push((
            super::effect::UndoStep::Remove {
                path: path.clone(),
                hash: crate::notebook::edit::content_hash(doc.source.as_bytes()),
            },
            format!("the note {} made", path.display()),
        ));
        self.document_reloaded(doc);
        if let Some(d) = self.notebook.document_index(&path) {
            self.reveal(View::Notebook, Target::Document(d as u32));
            let doc = Arc::clone(&self.notebook.documents[d]);
            let end = doc.source.len();
            // Room to write under the heading; saved only once something is typed.
            let text = format!("{}\n", doc.source.replace("\r\n", "\n"));
            // At the end, or where a template says to start (its Summary).
            let lines = match self.new_note_line.take() {
                Some((p, line)) if p == path => line,
                _ => text.lines().count(),
            };
            self.open_editor(
                &doc,
                0..end,
                Some(text),
                false,
                String::new(),
                Target::Document(d as u32),
                (lines, 0),
            );
            self.say(format!("created {}", path.display()));
        }
        replaced
    }
}
