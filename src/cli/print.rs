//! `opsbook tree`, `links`, `search`, `sessions` and `page`: what they print,
//! in each of the formats of `format`.

use std::io::{self, Write};
use std::process::ExitCode;

use super::args::{Cli, Command};
use super::format::{
    Format, LinkRecord, NoteRecord, SessionFormat, SessionOrder, SessionRecord, bookmarks,
    display_path, ics, page,
};
use super::select::chosen;
use super::setup::{load, notebook_dir, settings_to_read};
use crate::escape::{tsv, visible};
use crate::notebook::item::one_line;
use crate::notebook::links::plain_text;
use crate::notebook::{Bucket, LinkRef, NodeKind, Notebook, session_topics};

/// Runs `tree`, `links`, `search`, `sessions` or `page` on the notebook.
pub fn exec(args: &Cli, command: &Command) -> anyhow::Result<ExitCode> {
    let config = settings_to_read();
    crate::search::relaxed::use_team_synonyms(config.search.groups());
    let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    let Some(loaded) = load(&dir)? else {
        return Ok(ExitCode::FAILURE);
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let pages = match command {
        Command::Search { notes: false, .. } => super::fetch::kept_pages(),
        _ => None,
    };
    run(&loaded.notebook, pages, command, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs one of the listing commands, writing to `out`.
pub fn run(
    notebook: &Notebook,
    pages: Option<std::sync::Arc<crate::search::pages::PageIndex>>,
    command: &Command,
    out: &mut dyn Write,
) -> io::Result<()> {
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
            explain,
            notes: true,
            format,
        } => search_notes(notebook, query, *limit, *explain, *format, out),
        Command::Search {
            query,
            limit,
            explain: true,
            ..
        } => explain(notebook, pages, query, limit.unwrap_or(10), out),
        Command::Search {
            query,
            limit,
            format,
            ..
        } => {
            let corpus = crate::search::LinkCorpus::new(notebook);
            corpus.set_pages(pages);
            let hits = crate::search::worker::search_ranked(&corpus, query);
            let hits: Vec<u32> = hits.into_iter().take(limit.unwrap_or(usize::MAX)).collect();
            if hits.iter().all(|&id| corpus.document_of(id).is_none()) {
                return print_links(
                    hits.iter().filter_map(|&id| notebook.link(id)),
                    *format,
                    out,
                );
            }
            // Postmortem documents among the links: each said to be one.
            let mut positions = Positions::default();
            let records: Vec<LinkRecord> = hits
                .iter()
                .filter_map(|&id| match corpus.document_of(id) {
                    Some(d) => Some(document_record(notebook, d)),
                    None => notebook
                        .link(id)
                        .map(|l| LinkRecord::of(&l, positions.of(&l))),
                })
                .collect();
            print_records(&records, *format, out)
        }
        Command::Sessions {
            year,
            order,
            format,
        } => sessions(notebook, *year, *order, *format, out),
        Command::Page { title } => out.write_all(page::postmortems(notebook, title).as_bytes()),
        // Not listings: `cli::run` gives them to their own files.
        Command::Keys
        | Command::Sync
        | Command::Check { .. }
        | Command::Fetch { .. }
        | Command::PageText { .. }
        | Command::Add { .. }
        | Command::Jot { .. }
        | Command::Config
        | Command::Postmortems { .. }
        | Command::Actions { .. }
        | Command::New { .. }
        | Command::Import { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => Ok(()),
    }
}

/// `search --explain`: each result, then for each word of the query the
/// field it matched and how, and the ranking's score.
fn explain(
    notebook: &Notebook,
    pages: Option<std::sync::Arc<crate::search::pages::PageIndex>>,
    query: &str,
    limit: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::search::relaxed::terms;
    let words = terms(query, &[]);
    let corpus = crate::search::LinkCorpus::new(notebook);
    corpus.set_pages(pages);
    let page_search = corpus.pages();
    // What the search's merge ranks: the links and the postmortem
    // documents, weighed together.
    let found = crate::search::ranked::found_entries(
        notebook,
        None,
        page_search.as_deref(),
        notebook.postmortem_document_indexes(),
        query,
        &|| false,
    );
    let why: std::collections::HashMap<u32, (u32, crate::search::relaxed::Explained)> = found
        .map(|found| {
            crate::search::found::rank(&found, found.len())
                .into_iter()
                .map(|h| (h.id, (h.score, found.explained(h.id))))
                .collect()
        })
        .unwrap_or_default();
    let strict: std::collections::HashSet<u32> = crate::search::worker::search_all(
        &crate::search::LinkCorpus::new(notebook),
        &crate::search::Query::new(query),
    )
    .into_iter()
    .map(|h| h.id)
    .collect();
    let mut positions = Positions::default();
    for id in crate::search::worker::search_ranked(&corpus, query)
        .into_iter()
        .take(limit)
    {
        let fields = if let Some(d) = corpus.document_of(id) {
            let r = document_record(notebook, d);
            writeln!(
                out,
                "{}  postmortem document  {}:{}",
                visible(&one_line(&r.title)),
                visible(&r.document),
                r.line
            )?;
            // `found_entries` reads a document as these four fields.
            ["title", "text", "tags", "path", "page"]
        } else {
            let Some(l) = notebook.link(id) else { continue };
            writeln!(
                out,
                "{}  {}  {}:{}",
                visible(&one_line(&l.title())),
                visible(l.url()),
                visible(&display_path(&l.doc.path)),
                positions.of(&l).0
            )?;
            ["title", "text", "headings", "url", "page"]
        };
        if strict.contains(&id) {
            writeln!(out, "  holds every word as fzf matches them")?;
        }
        match why.get(&id) {
            Some((score, m)) => writeln!(out, "  {}", said(&words, m, *score, &fields))?,
            None => writeln!(
                out,
                "  letters of the query in its fields, as fzf finds them"
            )?,
        }
    }
    Ok(())
}

/// `search --notes`: the pieces of note text that match, best first.
fn search_notes(
    notebook: &Notebook,
    query: &str,
    limit: Option<usize>,
    explain: bool,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let corpus = crate::search::NoteCorpus::new(notebook);
    let limit = limit.unwrap_or(if explain { 10 } else { usize::MAX });
    let hits: Vec<NoteRef> = crate::search::worker::search_ranked(&corpus, query)
        .into_iter()
        .filter_map(|id| corpus.entry(id).map(|e| (id, e)))
        .take(limit)
        .map(|(id, e)| NoteRef {
            id,
            doc: e.doc,
            node: e.node,
        })
        .collect();
    let record = |h: &NoteRef| NoteRecord::of(&notebook.documents[h.doc as usize], h.node);
    match format {
        Format::Json if !explain => {
            let records: Vec<NoteRecord> = hits.iter().map(record).collect();
            serde_json::to_writer_pretty(&mut *out, &records).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Tsv if !explain => {
            writeln!(out, "kind\ttext\tdocument\tline\theadings")?;
            for h in &hits {
                let r = record(h);
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    r.kind,
                    tsv(&r.text),
                    tsv(&r.document),
                    r.line,
                    tsv(&r.headings.join(" > "))
                )?;
            }
            Ok(())
        }
        Format::Html => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "search --notes prints note text: --format text, tsv or json",
        )),
        _ => {
            let words = crate::search::relaxed::terms(query, &[]);
            let ranked = if explain {
                corpus.ranked_explained(query).unwrap_or_default()
            } else {
                Vec::new()
            };
            let why: std::collections::HashMap<u32, (u32, &crate::search::relaxed::Explained)> =
                ranked.iter().map(|(h, m)| (h.id, (h.score, m))).collect();
            for h in &hits {
                let r = record(h);
                writeln!(
                    out,
                    "{}:{}  {}",
                    visible(&r.document),
                    r.line,
                    visible(&crate::columns::truncate(&r.text, 100))
                )?;
                if explain {
                    match why.get(&h.id) {
                        Some((score, m)) => writeln!(
                            out,
                            "  {}",
                            said(
                                &words,
                                m,
                                *score,
                                &["heading", "text", "headings", "url", "page"]
                            )
                        )?,
                        None => {
                            writeln!(out, "  letters of the query in its text, as fzf finds them")?
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// For each word of a query, the field it matched and how, after how
/// many words matched and the score: a line of `--explain`.
fn said(
    words: &[String],
    m: &crate::search::relaxed::Explained,
    score: u32,
    fields: &[&str; 5],
) -> String {
    use crate::search::relaxed::How;
    let each: Vec<String> = words
        .iter()
        .zip(m.iter())
        .map(|(w, x)| match x {
            Some((f, how)) => {
                let how = match how {
                    How::Exact => "exact",
                    How::Stem => "stem",
                    How::Synonym => "synonym",
                    How::Typo => "typo",
                    How::Prefix => "prefix",
                };
                format!("{w}: {} ({how})", fields[*f])
            }
            None => format!("{w}: -"),
        })
        .collect();
    visible(&format!(
        "{} of {} words, score {}: {}",
        score >> 20,
        words.len(),
        score & 0xF_FFFF,
        each.join(" · ")
    ))
    .into_owned()
}

/// One result of `search --notes`.
struct NoteRef {
    id: u32,
    doc: u32,
    node: u32,
}

pub(crate) fn tree(notebook: &Notebook, out: &mut dyn Write) -> io::Result<()> {
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
            depth[i] = depth[node.parent() as usize] + 1;
            let text = one_line(&plain_text(doc.content(i as u32)));
            let line = match node.kind() {
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
                visible(&crate::columns::truncate(&line, 100))
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

/// A postmortem document found by `search`, as a record of the link list:
/// `kind` is `document`, its URL empty, its context the summary it states.
fn document_record(notebook: &Notebook, d: u32) -> LinkRecord {
    let doc = &notebook.documents[d as usize];
    let today = crate::runtime::today();
    let p = crate::notebook::postmortem::postmortem_of(doc, d, today.into());
    LinkRecord {
        text: doc.title.to_string(),
        title: doc.title.to_string(),
        url: String::new(),
        kind: "document",
        document: display_path(&doc.path),
        headings: Vec::new(),
        line: 1,
        column: 1,
        year: p
            .as_ref()
            .and_then(|p| p.year)
            .and_then(|y| u16::try_from(y).ok()),
        year_inferred: p.as_ref().is_some_and(|p| p.year_inferred),
        context: p
            .and_then(|p| p.facts.into_iter().find(|(k, _)| *k == "summary"))
            .map_or(String::new(), |(_, v)| v),
    }
}

/// Records of links and documents, in `format` (a bookmarks file has the
/// web links only).
fn print_records(records: &[LinkRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, records).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Html => {
            let html = bookmarks::export(
                records
                    .iter()
                    .filter(|r| r.kind == "web")
                    .map(|r| (vec![r.document.clone()], one_line(&r.title), r.url.as_str())),
            );
            out.write_all(html.as_bytes())
        }
        Format::Tsv => {
            writeln!(
                out,
                "year\ttext\turl\tkind\tdocument\tline\tcolumn\theadings\ttitle\tcontext"
            )?;
            for r in records {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    tsv(&r.text),
                    tsv(&r.url),
                    r.kind,
                    tsv(&r.document),
                    r.line,
                    r.column,
                    tsv(&r.headings.join(" > ")),
                    tsv(&r.title),
                    tsv(&r.context),
                )?;
            }
            Ok(())
        }
        Format::Text => {
            for r in records {
                let what = if r.kind == "document" {
                    "postmortem document".to_string()
                } else {
                    visible(&r.url).into_owned()
                };
                writeln!(
                    out,
                    "{}  {}  {}:{}",
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

pub(crate) fn print_links<'a>(
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
            let html = bookmarks::export(
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

pub(crate) fn sessions(
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
            let (calendar, left_out) = ics::calendar(&records);
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
                .map(|(_, t, _)| crate::columns::width(t))
                .max()
                .unwrap_or(0);
            for (date, title, place) in rows {
                let pad = width - crate::columns::width(&title);
                writeln!(out, "{date} {title}{}  {place}", " ".repeat(pad))?;
            }
            Ok(())
        }
    }
}
