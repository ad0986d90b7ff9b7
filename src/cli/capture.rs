//! Adding to the notebook from the shell (`opsbook add`, `opsbook jot`,
//! `opsbook import`): the same rules as `a` and `n` in the UI, writing only
//! the inserted lines.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use super::args::{Cli, Command};
use super::setup::{MISTAKE, load, notebook_dir, say, settings_to_write};
use crate::escape::visible;

use super::select::{NoDocument, YearFilter};
use crate::notebook::edit;
use crate::notebook::model::heading_year;
use crate::notebook::postmortem::Day;
use crate::notebook::{Document, Notebook};
use crate::storage::SaveError;

/// The title of the page at `url` (as typed URLs are made whole), for a
/// link added without one, or `None` with a line saying why (offline, no
/// title): the link is added all the same.
fn page_title(url: &str, config: &crate::config::Config) -> Option<String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    match crate::pages::extract::fetch_title(url, &config.check, config.fetch.title_timeout()) {
        Ok(t) => Some(t),
        Err(why) => {
            say(&format!(
                "add: no title from the page ({}): the link is added without one",
                visible(&why)
            ));
            None
        }
    }
}

/// Runs `add`, `jot` or `import`; prints where it wrote on stdout, or why
/// not on stderr.
pub fn exec(args: &Cli, command: &Command) -> Result<ExitCode> {
    let config = match settings_to_write() {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    let (name, outcome) = match command {
        Command::Add {
            url,
            title,
            year,
            section,
            document,
            no_fetch,
        } => {
            let place = match (year, section) {
                (_, Some(s)) => Place::Section(s.clone()),
                (Some(y), None) => match year_place(*y) {
                    Ok(p) => p,
                    Err(e) => {
                        say(&format!("add: {e}"));
                        return Ok(ExitCode::from(MISTAKE));
                    }
                },
                (None, None) => {
                    Place::ThisYear(crate::runtime::today().year.clamp(1970, 2100) as u16)
                }
            };
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            // The page is asked only once the link has a place to go.
            let title_of = |typed: &str| match title {
                Some(t) => t.clone(),
                None if !*no_fetch && config.fetch.titles_on_add => {
                    page_title(typed, &config).unwrap_or_default()
                }
                None => String::new(),
            };
            let added = add_link(
                &loaded.notebook,
                &dir,
                url,
                &title_of,
                &place,
                document.as_deref(),
            );
            ("add", added)
        }
        Command::Jot { text, time, action } => {
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            let mut lead = String::new();
            if *action {
                lead.push_str("[ ] ");
            }
            if *time {
                let (h, m) = crate::runtime::time_of_day();
                lead.push_str(&format!("[{h:02}:{m:02}] "));
            }
            let jotted = jot(
                &loaded.notebook,
                &dir,
                crate::runtime::today(),
                &lead,
                &text.join(" "),
                config.sessions.date_style,
            );
            ("jot", jotted)
        }
        Command::Import { file, from, to, .. }
            if file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ics")) =>
        {
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            let today = crate::runtime::today();
            let range = |given: &Option<String>, years: i32| match given {
                Some(s) => s
                    .parse::<jiff::civil::Date>()
                    .ok()
                    .and_then(|d| Day::new(i32::from(d.year()), d.month() as u8, d.day() as u8))
                    .ok_or_else(|| CaptureError::NotDate(s.clone())),
                None => Ok(
                    Day::new(today.year + years, today.month, today.day.min(28)).unwrap_or(Day {
                        year: today.year + years,
                        month: 1,
                        day: 1,
                    }),
                ),
            };
            let imported = range(from, -1).and_then(|from| {
                let to = range(to, 1)?;
                import_calendar(
                    &loaded.notebook,
                    &dir,
                    file,
                    from,
                    to,
                    config.sessions.date_style,
                )
            });
            ("import", imported)
        }
        Command::Import { file, name, .. } => {
            ("import", import_bookmarks(&dir, file, name.as_deref()))
        }
        _ => return Ok(ExitCode::from(MISTAKE)),
    };
    Ok(match outcome {
        Ok(place) => {
            println!("{}", visible(&place));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say(&format!("{name}: {e}"));
            ExitCode::FAILURE
        }
    })
}

/// Where a link added from the shell goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Under this year of the postmortem list (the heading made if missing).
    Year(u16),
    /// No place given: this year, in a note that has a postmortem list.
    ThisYear(u16),
    /// Under General of the postmortem list.
    General,
    /// At the end of the own items of the first heading with this title.
    Section(String),
}

/// Why `add`, `jot` or `import` could not write.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The text given is no URL.
    #[error("`{0}` is not a URL")]
    NotUrl(String),
    /// A scheme that runs code or reads local files.
    #[error("{0}: links are not added: they run code or read local files")]
    Scheme(&'static str),
    /// `--year` out of range.
    /// `--from` or `--to` is no date.
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    NotDate(String),
    #[error("`{0}` is not a year between 1970 and 2100, nor general")]
    NotYear(String),
    /// `--document` names no note of the notebook.
    #[error(transparent)]
    NoDocument(#[from] NoDocument),
    /// No dated list to jot into.
    #[error("no calendar in this notebook: write a dated item (- May 25 Title) first")]
    NoCalendar,
    /// Nothing to jot.
    #[error("nothing to jot")]
    Empty,
    /// `--document` names a note with no postmortem list, and no place was given.
    #[error("{0} has no postmortem list: say where with --section HEADING, or --year to start one")]
    NoPlaceIn(String),
    /// No postmortem list to add to.
    #[error("no postmortem list in the notebook: name a note with --document")]
    NoPostmortems,
    /// No heading with the title of `--section`.
    #[error("no heading `{0}` in {1}")]
    NoSection(String, String),
    /// The note could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// The bookmarks file could not be read.
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, String),
    /// The bookmarks file holds no bookmarks.
    #[error("no bookmarks in {0} (a Netscape bookmarks file, as browsers export)")]
    NoBookmarks(PathBuf),
    /// The new note's name is refused.
    #[error(transparent)]
    Name(#[from] edit::NoteNameError),
    /// A file of that name exists.
    #[error("{0} exists already: not overwritten (choose another with --name)")]
    Exists(String),
    /// The new note could not be written.
    #[error("cannot write {0}: {1}")]
    Write(String, std::io::Error),
    /// The edit did not fit the note as it is now.
    #[error("{0} changed in a way the edit no longer fits: nothing written (try again)")]
    Busy(String),
}

/// `--year` as a place; a year outside 1970–2100 is refused.
pub fn year_place(year: YearFilter) -> Result<Place, CaptureError> {
    match year {
        YearFilter::General => Ok(Place::General),
        YearFilter::Year(y) => heading_year(&y.to_string())
            .map(Place::Year)
            .ok_or_else(|| CaptureError::NotYear(y.to_string())),
    }
}

/// Adds `[title](url)` to the notebook at `root`, and says where as
/// `file:line` (the line of the new item).
pub fn add_link(
    notebook: &Notebook,
    root: &Path,
    url: &str,
    title: &dyn Fn(&str) -> String,
    place: &Place,
    document: Option<&Path>,
) -> Result<String, CaptureError> {
    if let Some(scheme) = edit::refused_scheme(url) {
        return Err(CaptureError::Scheme(scheme));
    }
    let url = edit::typed_url(url).ok_or_else(|| CaptureError::NotUrl(url.to_string()))?;
    let docs = &notebook.documents;
    let doc: &Document = match (document, place) {
        (Some(path), _) => notebook
            .document_index(path)
            .map(|i| &*docs[i])
            .ok_or_else(|| NoDocument(path.to_path_buf()))?,
        (None, Place::Section(title)) => docs
            .iter()
            .find(|d| section_titled(d, title).is_some())
            .map(|d| &**d)
            .ok_or_else(|| CaptureError::NoSection(title.clone(), "the notebook".into()))?,
        (None, _) => notebook
            .postmortem_list()
            .map(|i| &*docs[i])
            .ok_or(CaptureError::NoPostmortems)?,
    };
    if doc.read_only {
        return Err(SaveError::ReadOnly(doc.path.clone()).into());
    }
    if let Place::ThisYear(_) = place
        && !doc.is_postmortem_list()
    {
        return Err(CaptureError::NoPlaceIn(doc.path.display().to_string()));
    }
    if let Place::Section(t) = place
        && section_titled(doc, t).is_none()
    {
        return Err(CaptureError::NoSection(
            t.clone(),
            doc.path.display().to_string(),
        ));
    }
    let title = title(&url);
    let title = title.as_str();
    write_fresh(root, doc, |doc| {
        let e = match place {
            Place::Year(y) | Place::ThisYear(y) => edit::add_postmortem_link(doc, *y, title, &url),
            Place::General => edit::add_general_link(doc, title, &url),
            Place::Section(t) => {
                let node = section_titled(doc, t).ok_or_else(|| {
                    CaptureError::NoSection(t.clone(), doc.path.display().to_string())
                })?;
                edit::add_link(doc, node, title, &url)
            }
        };
        let item = edit::link_item(title, &url);
        let in_text = e.text.find(&item).unwrap_or(0);
        // Counted as `links` counts (a lone CR ends a line too); what opsbook
        // writes ends its lines with `\n`.
        let line = doc.line_of(e.range.start) as usize + e.text[..in_text].matches('\n').count();
        Ok((e, line))
    })
}

/// Adds `text` as a topic of today's session in the notebook's calendar (the
/// note with the most sessions), making the session when needed; says where
/// as `file:line`.
pub fn jot(
    notebook: &Notebook,
    root: &Path,
    today: edit::Date,
    lead: &str,
    text: &str,
    style: Option<edit::DateStyle>,
) -> Result<String, CaptureError> {
    if text.trim().is_empty() {
        return Err(CaptureError::Empty);
    }
    let doc = &notebook.documents[notebook.calendar().ok_or(CaptureError::NoCalendar)?];
    if doc.read_only {
        return Err(SaveError::ReadOnly(doc.path.clone()).into());
    }
    write_fresh(root, doc, |doc| {
        let e = edit::jot_marked(doc, today, lead, text, style).ok_or(CaptureError::NoCalendar)?;
        // The topic is the last line written.
        let line = doc.line_of(e.range.start) as usize
            + e.text.trim_end_matches(['\r', '\n']).matches('\n').count();
        Ok((e, line))
    })
}

/// A session for each event of an iCalendar file between `from` and `to`
/// that the calendar has not (same date and title), written at its end;
/// says how many and where.
pub fn import_calendar(
    notebook: &Notebook,
    root: &Path,
    file: &Path,
    from: Day,
    to: Day,
    style: Option<edit::DateStyle>,
) -> Result<String, CaptureError> {
    let bytes = crate::storage::read_bounded(file)
        .map_err(|e| CaptureError::Read(file.to_path_buf(), e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    let events = super::format::ics_read::events(&text, from, to)
        .map_err(|why| CaptureError::Read(file.to_path_buf(), why))?;
    let events: Vec<(edit::Date, String, Vec<String>)> = events
        .into_iter()
        .map(|e| {
            let date = edit::Date {
                year: e.day.year,
                month: e.day.month,
                day: e.day.day,
            };
            (date, e.title, e.topics)
        })
        .collect();
    let doc = &notebook.documents[notebook.calendar().ok_or(CaptureError::NoCalendar)?];
    if doc.read_only {
        return Err(SaveError::ReadOnly(doc.path.clone()).into());
    }
    let (_, added) = edit::import_sessions(doc, &events, style).ok_or(CaptureError::NoCalendar)?;
    if added == 0 {
        return Ok(format!(
            "no new sessions: the {} event{} from {} to {} are in {} already",
            events.len(),
            if events.len() == 1 { "" } else { "s" },
            from.iso(),
            to.iso(),
            doc.path.display()
        ));
    }
    let place = write_fresh(root, doc, |doc| {
        let (e, _) = edit::import_sessions(doc, &events, style).ok_or(CaptureError::NoCalendar)?;
        // A line ending the file lacked comes first.
        let line =
            doc.line_of(e.range.start) as usize + usize::from(e.text.starts_with(['\n', '\r']));
        Ok((e, line))
    })?;
    Ok(format!(
        "{place}: {added} session{} added",
        if added == 1 { "" } else { "s" }
    ))
}

/// A new note of the bookmarks in a browser's export; says its name.
pub fn import_bookmarks(
    root: &Path,
    file: &Path,
    name: Option<&str>,
) -> Result<String, CaptureError> {
    let bytes = crate::storage::read_bounded(file)
        .map_err(|e| CaptureError::Read(file.to_path_buf(), e.to_string()))?;
    let (text, skipped) = super::format::bookmarks::import(&String::from_utf8_lossy(&bytes));
    if !text.lines().any(|l| l.starts_with("- [")) {
        return Err(CaptureError::NoBookmarks(file.to_path_buf()));
    }
    let stem = file
        .file_stem()
        .map_or("bookmarks".into(), |s| s.to_string_lossy().into_owned());
    let note = edit::note_file_name(name.unwrap_or(&stem))?;
    let path = root.join(&note);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| CaptureError::Write(note.clone(), e))?;
    }
    crate::storage::write_new(&path, text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CaptureError::Exists(note.clone())
        } else {
            CaptureError::Write(note.clone(), e)
        }
    })?;
    Ok(match skipped {
        0 => note,
        1 => format!("{note} (1 bookmarklet or browser-internal entry left out)"),
        n => format!("{note} ({n} bookmarklets and browser-internal entries left out)"),
    })
}

/// Writes the edit `compute` makes of the note as it is on disk now, under
/// the lock every opsbook writer takes (the UI may have saved since the
/// notebook was read: its lines stay), and says `file:line`.
fn write_fresh(
    root: &Path,
    doc: &Document,
    compute: impl Fn(&Document) -> Result<(edit::Edit, usize), CaptureError>,
) -> Result<String, CaptureError> {
    let mut outcome: Result<usize, CaptureError> = Err(CaptureError::Empty);
    let written = crate::storage::write_computed(&root.join(&doc.path), |now| {
        let current = if now == doc.source.as_str() {
            None
        } else {
            Some(crate::notebook::document::parse_document(
                doc.path.clone(),
                now.to_string(),
                false,
            ))
        };
        match compute(current.as_ref().unwrap_or(doc)) {
            Ok((e, line)) => {
                outcome = Ok(line);
                Some((e.range, e.text))
            }
            Err(why) => {
                outcome = Err(why);
                None
            }
        }
    })?;
    let line = outcome?;
    match written {
        Some(_) => Ok(format!("{}:{line}", doc.path.display())),
        None => Err(CaptureError::Busy(doc.path.display().to_string())),
    }
}

fn section_titled(doc: &Document, title: &str) -> Option<crate::notebook::NodeId> {
    doc.sections
        .iter()
        .find(|s| s.title.trim().eq_ignore_ascii_case(title.trim()))
        .map(|s| s.node)
}
