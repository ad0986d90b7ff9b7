//! The headless command line: arguments, and the output formats of each command.

use crate::notebook::item::one_line;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::notebook::links::plain_text;
use crate::notebook::{Bucket, LinkRef, NodeKind, Notebook, session_topics};
use crate::search::worker::search_all;
use crate::search::{LinkCorpus, Query};

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "opsbook",
    version,
    about = "A terminal notebook and link browser for ops notes"
)]
pub struct Cli {
    /// The notebook folder (default: `notebook` in the user data folder).
    #[arg(long, global = true, env = "OPSBOOK_NOTEBOOK", value_name = "DIR")]
    pub notebook: Option<PathBuf>,
    /// A keymap file to use instead of the user's keymaps.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub keymap: Option<PathBuf>,
    /// Start with the default keymap when the keymap file has errors.
    #[arg(long, global = true)]
    pub keymap_fallback: bool,
    /// What to do; without one, the terminal UI opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A headless command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the outline of every document, indented.
    Tree,
    /// List links.
    Links {
        /// Only postmortem links of this year, or `general`.
        #[arg(long, value_name = "YYYY|general")]
        year: Option<YearFilter>,
        /// Only links of documents with this front matter tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Fuzzy-search links (text, URL and headings), best first.
    Search {
        /// fzf-style query: words match anywhere, `'exact`, `^prefix`, `suffix$`, `!not`.
        query: String,
        /// At most this many results.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Add a link, as `a` does in the UI: under this year's postmortems by
    /// default; prints where it went (`plan.md:44`).
    Add {
        /// The URL (`example.com/x` gets `https://`).
        url: String,
        /// The link's title (default: the URL).
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// Under this year of the postmortem list (made if missing), or `general`.
        #[arg(long, value_name = "YYYY|general", conflicts_with = "section")]
        year: Option<YearFilter>,
        /// At the end of the first heading with this title.
        #[arg(long, value_name = "HEADING")]
        section: Option<String>,
        /// In this note (relative to the notebook).
        #[arg(long, value_name = "FILE")]
        document: Option<PathBuf>,
    },
    /// Jot a line under today's session of the calendar (made if missing);
    /// prints where it went.
    Jot {
        /// The words to jot (joined with spaces); may start with `-`.
        #[arg(
            required = true,
            value_name = "TEXT",
            allow_hyphen_values = true,
            trailing_var_arg = true
        )]
        text: Vec<String>,
    },
    /// Commit opsbook's changes to the notes, pull (merging three ways), push.
    Sync,
    /// Check every web link: prints the dead, moved and failing ones; exits
    /// 1 while some are dead (or a note could not be rewritten), 2 on a
    /// mistake in the command. Results of the last 7 days
    /// (`recheck_after_days`) are reused; failures are always fetched again.
    Check {
        /// Only postmortem links of this year, or `general`.
        #[arg(long, value_name = "YYYY|general")]
        year: Option<YearFilter>,
        /// Only links of this note (relative to the notebook).
        #[arg(long, value_name = "FILE")]
        document: Option<PathBuf>,
        /// Only links of documents with this front matter tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Fetch every link, even those checked lately.
        #[arg(long)]
        force: bool,
        /// Rewrite each dead link that has an archived copy to that copy.
        #[arg(long)]
        fix_archived: bool,
        /// Rewrite each permanently moved link to its new address.
        #[arg(long)]
        fix_redirects: bool,
    },
    /// List sessions (dated list items).
    Sessions {
        /// Only sessions of this year.
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// `date`: newest year first, by date within a year (as the UI lists
        /// them); `file`: as the files have them.
        #[arg(long, value_enum, default_value_t = SessionOrder::Date)]
        order: SessionOrder,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SessionFormat::Text)]
        format: SessionFormat,
    },
    /// Print the effective keymap and where each binding comes from.
    Keys,
    /// Print the postmortems by year as one self-contained HTML page to share.
    Page {
        /// The page's title.
        #[arg(long, default_value = "Postmortems")]
        title: String,
    },
    /// Print the settings in effect and where each comes from.
    Config,
    /// Make a new note of a browser's bookmarks export (Netscape HTML, as
    /// Firefox and Chrome write it); prints its name.
    Import {
        /// The exported bookmarks file.
        file: PathBuf,
        /// The new note's name (default: the file's name, as .md).
        #[arg(long, value_name = "NOTE")]
        name: Option<String>,
    },
    /// Print a shell completion script (see the README for where it goes).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write every page into DIR.
    Man {
        /// A folder to write opsbook.1 and a page per subcommand into.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The order `sessions` lists in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionOrder {
    /// Newest year first, by date within a year; unknown years last.
    Date,
    /// As written in the files.
    File,
}

/// Output format of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: one record a line; sessions in columns.
    Text,
    /// Tab-separated, one record a line.
    Tsv,
    /// One JSON array.
    Json,
    /// A Netscape bookmarks file (browsers import it): a folder per note and heading.
    Html,
}

/// Output format of `sessions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionFormat {
    /// In columns, for people.
    Text,
    /// Tab-separated, one record a line.
    Tsv,
    /// One JSON array.
    Json,
    /// iCalendar, for calendar apps (sessions with an unknown year left out).
    Ics,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The links that are not ok, and a closing count.
    #[default]
    Text,
    /// One JSON array of every link checked.
    Json,
}

/// `--year` of `links`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearFilter {
    /// Filed under this year.
    Year(u16),
    /// Filed under General.
    General,
}

/// A `--year` that is neither a year nor `general`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a year such as 2023, or `general`, not `{0}`")]
pub struct YearFilterError(String);

impl std::str::FromStr for YearFilter {
    type Err = YearFilterError;
    fn from_str(s: &str) -> Result<Self, YearFilterError> {
        if s.eq_ignore_ascii_case("general") {
            return Ok(YearFilter::General);
        }
        s.parse()
            .map(YearFilter::Year)
            .map_err(|_| YearFilterError(s.to_string()))
    }
}

/// A link as printed by `--format json`: the scripting contract.
#[derive(Debug, Serialize)]
pub struct LinkRecord {
    /// The link's own text (escapes undone).
    pub text: String,
    /// The title shown: the text, or for a bare URL the words of its item.
    pub title: String,
    /// Target.
    pub url: String,
    /// `web`, `mailto`, `relative`, `placeholder` or `other`.
    pub kind: &'static str,
    /// Path relative to the notebook.
    pub document: String,
    /// Headings from the top of the document.
    pub headings: Vec<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// Postmortem year.
    pub year: Option<u16>,
    /// The year was read from the item (a date in its text or URL), not a heading.
    pub year_inferred: bool,
    /// Text of the item the link stands in, with its detail lines (bounded).
    pub context: String,
}

impl LinkRecord {
    /// The record of a link at `(line, column)`.
    pub fn of(l: &LinkRef<'_>, (line, column): (u32, u32)) -> LinkRecord {
        LinkRecord {
            text: l.text().to_string(),
            title: l.title().into_owned(),
            url: l.url().to_string(),
            kind: l.kind().name(),
            document: display_path(&l.doc.path),
            headings: l.headings().into_iter().map(str::to_string).collect(),
            line,
            column,
            year: l.year(),
            year_inferred: l.year_inferred(),
            context: l.context(),
        }
    }
}

/// A session as printed by `--format json`: the scripting contract.
#[derive(Debug, Serialize)]
pub struct SessionRecord {
    /// `YYYY-MM-DD`, or null when the year is unknown.
    pub date: Option<String>,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// The year was inferred or corrected.
    pub year_inferred: bool,
    /// Text after the date.
    pub title: String,
    /// "No meeting".
    pub cancelled: bool,
    /// Nested items.
    pub topics: Vec<String>,
    /// Path relative to the notebook.
    pub document: String,
    /// 1-based line.
    pub line: u32,
    /// Problems with the date.
    pub warnings: Vec<String>,
}

fn display_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Runs a headless command, writing to `out`.
pub fn run(notebook: &Notebook, command: &Command, out: &mut dyn Write) -> io::Result<()> {
    match command {
        Command::Tree => tree(notebook, out),
        Command::Links { year, tag, format } => {
            let links = notebook
                .links()
                .filter(|l| chosen(l, *year, tag.as_deref(), None));
            print_links(links, *format, out)
        }
        Command::Search {
            query,
            limit,
            format,
        } => {
            let hits = search_links(notebook, query);
            let hits = hits.into_iter().take(limit.unwrap_or(usize::MAX));
            print_links(hits.filter_map(|id| notebook.link(id)), *format, out)
        }
        Command::Sessions {
            year,
            order,
            format,
        } => sessions(notebook, *year, *order, *format, out),
        Command::Page { title } => {
            out.write_all(crate::page::postmortems(notebook, title).as_bytes())
        }
        // The binary does these without loading the notebook.
        Command::Keys
        | Command::Sync
        | Command::Check { .. }
        | Command::Add { .. }
        | Command::Jot { .. }
        | Command::Config
        | Command::Import { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => Ok(()),
    }
}

/// Whether a link passes `--year`, `--tag` and `--document` (a path
/// relative to the notebook).
pub fn chosen(
    l: &LinkRef<'_>,
    year: Option<YearFilter>,
    tag: Option<&str>,
    document: Option<&std::path::Path>,
) -> bool {
    let year_ok = match year {
        None => true,
        Some(YearFilter::General) => l.bucket() == Bucket::General,
        Some(YearFilter::Year(y)) => l.bucket() == Bucket::Year(y),
    };
    let tag_ok = tag.is_none_or(|t| l.doc.tags.iter().any(|d| d.eq_ignore_ascii_case(t)));
    year_ok && tag_ok && document.is_none_or(|d| l.doc.path == d)
}

/// Writes the completion script of `shell` for the opsbook command.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    use clap::CommandFactory;
    clap_complete::generate(shell, &mut Cli::command(), "opsbook", out);
}

/// Writes the manual page, as roff.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Writes opsbook.1 and a page per subcommand (opsbook-sync.1, …) into `dir`.
pub fn man_pages(dir: &std::path::Path) -> io::Result<()> {
    use clap::CommandFactory;
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)
}

/// Link ids matching a query, best first.
pub fn search_links(notebook: &Notebook, query: &str) -> Vec<u32> {
    search_all(&LinkCorpus(notebook), &Query::new(query))
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

fn tree(notebook: &Notebook, out: &mut dyn Write) -> io::Result<()> {
    for doc in &notebook.documents {
        let tags = if doc.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", doc.tags.join(", "))
        };
        writeln!(
            out,
            "{} — {}{}",
            visible(&display_path(&doc.path)),
            visible(&doc.title),
            visible(&tags)
        )?;
        let mut depth = vec![0usize; doc.nodes.len()];
        for (i, node) in doc.nodes.iter().enumerate().skip(1) {
            depth[i] = depth[node.parent as usize] + 1;
            let text = one_line(&plain_text(doc.content(i as u32)));
            let line = match node.kind {
                NodeKind::Heading { level } => format!("{} {text}", "#".repeat(level as usize)),
                NodeKind::Item { .. } => format!("- {text}"),
                NodeKind::Paragraph => format!("¶ {text}"),
                NodeKind::Quote => format!("> {text}"),
                NodeKind::Table => "| table".to_string(),
                NodeKind::Code => {
                    let fence = doc.content(i as u32).lines().next().unwrap_or_default();
                    format!("``` {}", fence.trim_start_matches(['`', '~']))
                }
                NodeKind::FrontMatter => "--- front matter".to_string(),
                NodeKind::Rule => "———".to_string(),
                NodeKind::Document => continue,
            };
            writeln!(
                out,
                "{}{}",
                "  ".repeat(depth[i]),
                visible(&truncate(&line, 100))
            )?;
        }
    }
    Ok(())
}

/// Line and column of links, worked out for a whole document at once the
/// first time one of its links is printed.
#[derive(Default)]
struct Positions(std::collections::HashMap<usize, Vec<(u32, u32)>>);

impl Positions {
    fn of(&mut self, l: &LinkRef<'_>) -> (u32, u32) {
        self.0
            .entry(l.doc_index)
            .or_insert_with(|| l.doc.link_positions())
            .get(l.index)
            .copied()
            .unwrap_or_default()
    }
}

fn print_links<'a>(
    links: impl Iterator<Item = LinkRef<'a>>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut positions = Positions::default();
    match format {
        Format::Json => {
            // Streamed: one record at a time, never the whole list in memory.
            let mut json = serde_json::Serializer::pretty(&mut *out);
            serde::Serializer::collect_seq(
                &mut json,
                links.map(|l| LinkRecord::of(&l, positions.of(&l))),
            )
            .map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Html => {
            // Only web links: a browser has nothing to open for the rest.
            let html = crate::bookmarks::export(
                links
                    .filter(|l| l.kind() == crate::notebook::LinkKind::Web)
                    .map(|l| {
                        let mut folders = vec![display_path(&l.doc.path)];
                        folders.extend(l.headings().into_iter().map(str::to_string));
                        (folders, one_line(&l.title()), l.url())
                    }),
            );
            out.write_all(html.as_bytes())
        }
        Format::Tsv => {
            writeln!(
                out,
                "year\ttext\turl\tkind\tdocument\tline\tcolumn\theadings\ttitle\tcontext"
            )?;
            for l in links {
                let (line, column) = positions.of(&l);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    match l.bucket() {
                        Bucket::Year(y) => y.to_string(),
                        Bucket::General => "general".into(),
                        Bucket::None => String::new(),
                    },
                    tsv(l.text()),
                    tsv(l.url()),
                    l.kind().name(),
                    tsv(&display_path(&l.doc.path)),
                    line,
                    column,
                    tsv(&l.heading_path()),
                    tsv(&l.title()),
                    tsv(&l.context()),
                )?;
            }
            Ok(())
        }
        Format::Text => {
            for l in links {
                writeln!(
                    out,
                    "{}  {}  {}:{}",
                    visible(&one_line(&l.title())),
                    visible(l.url()),
                    visible(&display_path(&l.doc.path)),
                    positions.of(&l).0
                )?;
            }
            Ok(())
        }
    }
}

use crate::escape::{tsv, visible};

fn sessions(
    notebook: &Notebook,
    year: Option<i32>,
    order: SessionOrder,
    format: SessionFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut sessions: Vec<_> = notebook
        .sessions()
        .filter(|(_, s)| year.is_none_or(|y| s.year == Some(y)))
        .collect();
    if order == SessionOrder::Date {
        // Calendars are often written out of order. Stable: ties keep file order.
        sessions
            .sort_by_key(|(_, s)| (s.year.is_none(), std::cmp::Reverse(s.year), s.month, s.day));
    }
    let records: Vec<SessionRecord> = sessions
        .into_iter()
        .map(|(d, s)| {
            let doc = &notebook.documents[d];
            SessionRecord {
                date: s.iso_date(),
                month: s.month,
                day: s.day,
                year_inferred: s.year_inferred,
                title: s.title.clone(),
                cancelled: s.cancelled,
                topics: session_topics(doc, s),
                document: display_path(&doc.path),
                line: doc.node_line(s.node),
                warnings: s.warnings.clone(),
            }
        })
        .collect();
    match format {
        SessionFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &records).map_err(io::Error::other)?;
            writeln!(out)
        }
        SessionFormat::Tsv => {
            writeln!(
                out,
                "date\tmonth\tday\tyear_inferred\ttitle\tcancelled\ttopics\tdocument\tline"
            )?;
            for r in records {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.date.unwrap_or_default(),
                    r.month,
                    r.day,
                    r.year_inferred,
                    tsv(&r.title),
                    r.cancelled,
                    tsv(&r.topics.join("; ")),
                    tsv(&r.document),
                    r.line
                )?;
            }
            Ok(())
        }
        SessionFormat::Ics => {
            let (calendar, left_out) = crate::ics::calendar(&records);
            out.write_all(calendar.as_bytes())?;
            if left_out > 0 {
                eprintln!(
                    "opsbook: {left_out} session{} without a known year left out of the calendar",
                    if left_out == 1 { "" } else { "s" }
                );
            }
            Ok(())
        }
        SessionFormat::Text => {
            // Columns: date and mark, title (as wide as the widest, up to
            // TITLE_COLUMN), then where. A session with no title after its
            // date shows its first topic, which is where people put it.
            const TITLE_COLUMN: usize = 60;
            let rows: Vec<(String, String, String)> = records
                .into_iter()
                .map(|r| {
                    let date = match &r.date {
                        Some(d) => d.clone(),
                        None => format!("????-{:02}-{:02}", r.month, r.day),
                    };
                    let mark = if !r.warnings.is_empty() {
                        "!"
                    } else if r.year_inferred {
                        "~"
                    } else {
                        " "
                    };
                    let title = if r.title.trim().is_empty() {
                        r.topics.first().cloned().unwrap_or_default()
                    } else {
                        r.title.clone()
                    };
                    let cancelled = if r.cancelled { " (cancelled)" } else { "" };
                    let title = crate::columns::truncate(
                        &format!("{}{cancelled}", visible(&one_line(&title))),
                        TITLE_COLUMN,
                    )
                    .into_owned();
                    let place = format!("{}:{}", visible(&r.document), r.line);
                    (format!("{date}{mark}"), title, place)
                })
                .collect();
            let width = rows
                .iter()
                .map(|(_, t, _)| unicode_width::UnicodeWidthStr::width(t.as_str()))
                .max()
                .unwrap_or(0);
            for (date, title, place) in rows {
                let pad = width - unicode_width::UnicodeWidthStr::width(title.as_str());
                writeln!(out, "{date} {title}{}  {place}", " ".repeat(pad))?;
            }
            Ok(())
        }
    }
}
