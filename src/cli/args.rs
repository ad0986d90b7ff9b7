//! The command line's arguments (clap), its completion scripts and manual
//! pages.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::format::{CheckFormat, Format, SessionFormat, SessionOrder};
use super::select::YearFilter;

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
    /// Search links by what you remember (title, item text, URL, headings,
    /// note title and tags, and the text of pages `opsbook fetch` kept),
    /// best first: every word counts, word forms, ops abbreviations and
    /// typos too.
    Search {
        /// fzf-style query: words match anywhere, `'exact`, `^prefix`, `suffix$`, `!not`.
        query: String,
        /// At most this many results.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Say for each result which word matched which field and how
        /// (exact, stem, synonym, typo), and its score.
        #[arg(long)]
        explain: bool,
        /// Search note text (headings, items, paragraphs, quotes, tables,
        /// code), as `f` does in the UI, not links.
        #[arg(long)]
        notes: bool,
    },
    /// Add a link, as `a` does in the UI: under this year's postmortems by
    /// default; prints where it went (`plan.md:44`).
    Add {
        /// The URL (`example.com/x` gets `https://`).
        url: String,
        /// The link's title (default: the page's title, asked within
        /// `[fetch] title_timeout_secs`; else the URL).
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
        /// Without a title, do not ask the page for one.
        #[arg(long)]
        no_fetch: bool,
    },
    /// Jot a line under today's session of the calendar (made if missing);
    /// prints where it went.
    Jot {
        /// The words to jot (joined with spaces). Options after them are
        /// still options; after `--` everything is text (`-- -x`).
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
        /// Start the topic with the time of day, `[14:05]`.
        #[arg(long)]
        time: bool,
        /// Write it as an action, `- [ ] …` (with `@owner`, `due:` as typed).
        #[arg(long)]
        action: bool,
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
        /// Keep the readable text of each page read, as `opsbook fetch` does.
        #[arg(long)]
        keep_text: bool,
    },
    /// Fetch each web link's page and keep its readable text in the data
    /// folder (never the notebook), so search finds what pages say and a
    /// dead link can still be read.
    Fetch {
        /// Only postmortem links of this year, or `general`.
        #[arg(long, value_name = "YYYY|general")]
        year: Option<YearFilter>,
        /// Only links of this note (relative to the notebook).
        #[arg(long, value_name = "FILE")]
        document: Option<PathBuf>,
        /// Only links of documents with this front matter tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Fetch pages kept lately too.
        #[arg(long)]
        force: bool,
        /// Remove the kept pages of the links chosen (of every link of the
        /// notebook when none is chosen; pages of other links stay).
        #[arg(long, conflicts_with = "force")]
        forget: bool,
    },
    /// Print the text kept of a link's page (`opsbook fetch` keeps it).
    PageText {
        /// The link's URL, as written in the note.
        url: String,
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
    /// List every postmortem by year, newest first: links filed under a
    /// year and the team's own postmortem documents.
    Postmortems {
        /// Only postmortems of this year.
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Output format (`text`, `tsv` or `json`).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List action items: task items (`- [ ]`) and `Action:` items of every
    /// note, and the items under a postmortem's "Action items", newest
    /// postmortem first.
    Actions {
        /// Only those not done.
        #[arg(long)]
        open: bool,
        /// Only those of this owner (`@name`, `owner: name`, `(name)`).
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Output format (`text`, `tsv` or `json`).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Make a new note from a template; prints its name.
    New {
        /// What to make.
        #[command(subcommand)]
        what: NewNote,
    },
    /// Print the settings in effect and where each comes from.
    Config,
    /// Make a new note of a browser's bookmarks export (Netscape HTML, as
    /// Firefox and Chrome write it), or add a calendar's events (`.ics`) as
    /// sessions; says what it wrote.
    Import {
        /// The exported bookmarks file, or an iCalendar file (`.ics`): a
        /// session for each of its events not yet in the calendar.
        file: PathBuf,
        /// The new note's name (default: the file's name, as .md).
        #[arg(long, value_name = "NOTE")]
        name: Option<String>,
        /// `.ics`: events from this day (default: a year before today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// `.ics`: events until this day (default: a year after today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
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

/// What `opsbook new` makes.
#[derive(Debug, Subcommand)]
pub enum NewNote {
    /// A postmortem document, dated today: from the notebook's template
    /// when it has one, named as its folder names them; never over a file.
    Postmortem {
        /// Its title.
        #[arg(required = true)]
        title: Vec<String>,
    },
}
