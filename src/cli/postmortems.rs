//! `opsbook postmortems`: every postmortem by year, links and the team's
//! own documents; `opsbook new postmortem`: the next one from a template;
//! `opsbook actions`: what they (and meetings) leave to do.

use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::args::{Cli, Command, NewNote};
use super::format::{Format, display_path};
use super::setup::{MISTAKE, load, notebook_dir, say, settings_to_read, settings_to_write};
use crate::escape::{tsv, visible};
use crate::notebook::item::one_line;
use crate::notebook::postmortem::{Day, new_postmortem, postmortem_documents};
use crate::notebook::{Bucket, Notebook};

/// Runs `postmortems`, `new postmortem` or `actions`.
pub fn exec(args: &Cli, command: &Command) -> anyhow::Result<ExitCode> {
    let today = today();
    match command {
        Command::Postmortems { year, format } => {
            let config = settings_to_read();
            let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            if *format == Format::Html {
                say(
                    "postmortems: --format html is not offered here: `opsbook page` prints them as a page",
                );
                return Ok(ExitCode::from(MISTAKE));
            }
            let records = records(&loaded.notebook, *year, today);
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            print(&records, *format, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Actions {
            open,
            owner,
            format,
        } => {
            let config = settings_to_read();
            let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            if *format == Format::Html {
                say("actions: --format html is not offered: text, tsv or json");
                return Ok(ExitCode::from(MISTAKE));
            }
            let records = action_records(&loaded.notebook, *open, owner.as_deref(), today);
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            print_actions(&records, *format, today, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            what: NewNote::Postmortem { title },
        } => {
            let config = match settings_to_write() {
                Ok(c) => c,
                Err(code) => return Ok(code),
            };
            let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
            let Some(loaded) = load(&dir)? else {
                return Ok(ExitCode::FAILURE);
            };
            let new = new_postmortem(&loaded.notebook.documents, &title.join(" "), today);
            let path = dir.join(&new.path);
            let shown = display_path(&new.path);
            if let Some(parent) = path.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                say(&format!("new postmortem: {shown}: {e}"));
                return Ok(ExitCode::FAILURE);
            }
            match crate::storage::write_new(&path, new.text.as_bytes()) {
                Ok(()) => {
                    println!("{}:{}", visible(&shown), new.summary_line);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    say(&format!(
                        "new postmortem: {shown} exists already: nothing written"
                    ));
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => {
                    say(&format!("new postmortem: {shown}: {e}"));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        _ => Ok(ExitCode::from(MISTAKE)),
    }
}

/// Today in the local time zone, as postmortems date themselves.
fn today() -> Day {
    let t = crate::runtime::today();
    Day {
        year: t.year,
        month: t.month,
        day: t.day,
    }
}

/// A postmortem as `postmortems --format json` prints it: the scripting contract.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PostmortemRecord {
    /// `link` (a link filed under a year) or `note` (a postmortem document).
    pub kind: &'static str,
    /// The incident's year, when known.
    pub year: Option<i32>,
    /// The year was read from the text, not stated.
    pub year_inferred: bool,
    /// `YYYY-MM-DD`, when a whole date is known (documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The title.
    pub title: String,
    /// The link's URL (links only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Path relative to the notebook.
    pub document: String,
    /// 1-based line: the link's, or 1 for a document.
    pub line: u32,
    /// What a document states: summary, impact, severity, duration,
    /// detection, recovery, category (documents only; those stated).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_object")]
    pub facts: Vec<(&'static str, String)>,
}

/// Facts as one JSON object, in their order (`{"summary": …, "severity": …}`).
fn as_object<S: serde::Serializer>(
    facts: &[(&'static str, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(facts.iter().map(|(k, v)| (*k, v)))
}

/// Every postmortem of the notebook (of `year` when given): newest year
/// first, each year's dated documents newest first, then its links in
/// document order; those of no year last.
pub fn records(notebook: &Notebook, year: Option<i32>, today: Day) -> Vec<PostmortemRecord> {
    let mut out: Vec<PostmortemRecord> = Vec::new();
    for p in postmortem_documents(&notebook.documents, today) {
        out.push(PostmortemRecord {
            kind: "note",
            year: p.year,
            year_inferred: p.year_inferred,
            date: p.date.map(Day::iso),
            title: p.title,
            url: None,
            document: display_path(&notebook.documents[p.doc as usize].path),
            line: 1,
            facts: p.facts,
        });
    }
    for l in notebook.links() {
        if l.bucket() == Bucket::None {
            continue;
        }
        let (line, _) = l.doc.link_position(l.link);
        out.push(PostmortemRecord {
            kind: "link",
            year: l.year().map(i32::from),
            year_inferred: l.year_inferred(),
            date: None,
            title: one_line(&l.title()),
            url: Some(l.url().to_string()),
            document: display_path(&l.doc.path),
            line,
            facts: Vec::new(),
        });
    }
    out.retain(|r| year.is_none_or(|y| r.year == Some(y)));
    // Stable: links keep their document order within a year.
    out.sort_by(|a, b| {
        let year = |r: &PostmortemRecord| r.year.map_or(i64::MIN, i64::from);
        year(b)
            .cmp(&year(a))
            .then_with(|| b.date.is_some().cmp(&a.date.is_some()))
            .then_with(|| b.date.cmp(&a.date))
    });
    out
}

/// Prints the records in `format` (text, TSV or JSON).
pub fn print(records: &[PostmortemRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, records).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Tsv | Format::Html => {
            writeln!(
                out,
                "kind\tyear\tyear_inferred\tdate\ttitle\turl\tdocument\tline\tfacts"
            )?;
            for r in records {
                let facts: Vec<String> = r.facts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.kind,
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    r.year_inferred,
                    r.date.as_deref().unwrap_or(""),
                    tsv(&r.title),
                    tsv(r.url.as_deref().unwrap_or("")),
                    tsv(&r.document),
                    r.line,
                    tsv(&facts.join(" · ")),
                )?;
            }
            Ok(())
        }
        Format::Text => {
            for r in records {
                let year = match (r.year, r.year_inferred) {
                    (Some(y), true) => format!("{y}~"),
                    (Some(y), false) => format!("{y} "),
                    (None, _) => "     ".into(),
                };
                let what = match (&r.url, &r.date) {
                    (Some(url), _) => visible(url).into_owned(),
                    (None, Some(date)) => format!("note {date}"),
                    (None, None) => "note".into(),
                };
                writeln!(
                    out,
                    "{year}  {}  {}  {}:{}",
                    visible(&one_line(&r.title)),
                    what,
                    visible(&r.document),
                    r.line
                )?;
            }
            Ok(())
        }
    }
}

/// An action as `actions --format json` prints it: the scripting contract.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ActionRecord {
    /// What is to be done.
    pub text: String,
    /// Checked.
    pub done: bool,
    /// Who does it, when the item says.
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, when the item says.
    pub due: Option<String>,
    /// Path relative to the notebook.
    pub document: String,
    /// 1-based line.
    pub line: u32,
}

/// The notebook's actions, newest postmortem first: only open ones with
/// `open`, only `owner`'s (any case, `@` or not) with `owner`.
pub fn action_records(
    notebook: &Notebook,
    open: bool,
    owner: Option<&str>,
    today: Day,
) -> Vec<ActionRecord> {
    let owner = owner.map(|o| o.trim_start_matches('@').to_lowercase());
    crate::notebook::actions::notebook_actions(notebook, today)
        .into_iter()
        .filter(|a| !(open && a.done))
        .filter(|a| {
            owner
                .as_deref()
                .is_none_or(|o| a.owner.as_deref().is_some_and(|w| w.to_lowercase() == o))
        })
        .map(|a| ActionRecord {
            document: display_path(&notebook.documents[a.doc as usize].path),
            text: a.text,
            done: a.done,
            owner: a.owner,
            due: a.due.map(Day::iso),
            line: a.line,
        })
        .collect()
}

/// Prints actions in `format`; in text, an open one due before `today` is
/// marked `overdue`.
pub fn print_actions(
    records: &[ActionRecord],
    format: Format,
    today: Day,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, records).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Tsv | Format::Html => {
            writeln!(out, "done\ttext\towner\tdue\tdocument\tline")?;
            for r in records {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    r.done,
                    tsv(&r.text),
                    tsv(r.owner.as_deref().unwrap_or("")),
                    r.due.as_deref().unwrap_or(""),
                    tsv(&r.document),
                    r.line
                )?;
            }
            Ok(())
        }
        Format::Text => {
            let today = today.iso();
            for r in records {
                let mut extra = Vec::new();
                if let Some(o) = &r.owner {
                    extra.push(format!("@{}", visible(o)));
                }
                if let Some(d) = &r.due {
                    let late = !r.done && d.as_str() < today.as_str();
                    extra.push(format!("due {d}{}", if late { " overdue" } else { "" }));
                }
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", extra.join(", "))
                };
                writeln!(
                    out,
                    "[{}] {}{extra}  {}:{}",
                    if r.done { "x" } else { " " },
                    visible(&one_line(&r.text)),
                    visible(&r.document),
                    r.line
                )?;
            }
            Ok(())
        }
    }
}
