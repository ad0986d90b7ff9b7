//! `opsbook check` from the shell: the links chosen, results of the last
//! days reused, the rest fetched with a progress bar (plain lines when
//! stderr is not a terminal), a report in notebook order, and dead or moved
//! links rewritten in place when asked.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

use serde::Serialize;

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::{Cli, Command};
use super::format::CheckFormat;
use super::select::{NoDocument, YearFilter, chosen};
use super::setup::{MISTAKE, load, notebook_dir, say, settings_to_read, settings_to_write};
use crate::config::CheckSettings;
use crate::escape::visible;
use crate::health::cache::Cache;
use crate::health::check::Body;
use crate::health::pool::Ended;
use crate::health::{FixKind, Health, Snapshot, Status, Tally, now_secs, skip_reason};
use crate::notebook::edit::content_hash;
use crate::notebook::item::one_line;
use crate::notebook::rewrite::rewrite_urls;
use crate::notebook::{LinkId, LinkRef, Notebook};
use crate::pages::store::PageStore;
use crate::storage::write_edit;

/// Runs `opsbook check`: exits 1 while some links are dead or a note could
/// not be rewritten, 2 on a mistake in what was asked.
pub fn exec(args: &Cli, command: &Command) -> anyhow::Result<ExitCode> {
    let Command::Check {
        year,
        document,
        tag,
        format,
        force,
        fix_archived,
        fix_redirects,
        keep_text,
    } = command
    else {
        return Ok(ExitCode::from(MISTAKE));
    };
    // Only a check that fixes links writes to the notes.
    let config = if *fix_archived || *fix_redirects {
        match settings_to_write() {
            Ok(c) => c,
            Err(code) => return Ok(code),
        }
    } else {
        settings_to_read()
    };
    let (dir, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
    let Some(loaded) = load(&dir)? else {
        return Ok(ExitCode::FAILURE);
    };
    let request = Request {
        year: *year,
        document: document.clone(),
        tag: tag.clone(),
        force: *force,
        fix_archived: *fix_archived,
        fix_redirects: *fix_redirects,
        format: *format,
        progress: if io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Lines
        },
        keep: (*keep_text || config.fetch.keep_text_on_check)
            .then(|| {
                PageStore::default_dir().map(|dir| Keep {
                    store: PageStore::new(dir),
                    bound: config.fetch.max_page_bytes(),
                    max_age_secs: config.fetch.refetch_after_secs(),
                })
            })
            .flatten(),
    };
    let cache = Cache::default_path();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let outcome = run(
        &loaded.notebook,
        &dir,
        &config.check,
        cache.as_deref(),
        &request,
        &mut out,
        &mut io::stderr(),
    )?;
    out.flush()?;
    if let Some(m) = &outcome.mistake {
        say(&format!("check: {m}"));
        return Ok(ExitCode::from(MISTAKE));
    }
    if let Some(tried) = outcome.offline {
        say(&format!(
            "check: no host answered the first {tried} links (unknown hosts, no connection): offline? nothing was checked"
        ));
        return Ok(ExitCode::FAILURE);
    }
    for f in &outcome.failures {
        say(&format!("check: {f}"));
    }
    let clean = outcome.dead_left == 0 && outcome.failures.is_empty();
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What `opsbook check` was asked.
#[derive(Clone, Debug)]
pub struct Request {
    /// `--year`.
    pub year: Option<YearFilter>,
    /// `--document`, relative to the notebook.
    pub document: Option<PathBuf>,
    /// `--tag`.
    pub tag: Option<String>,
    /// `--force`: fetch links checked lately too.
    pub force: bool,
    /// `--fix-archived`.
    pub fix_archived: bool,
    /// `--fix-redirects`.
    pub fix_redirects: bool,
    /// `--format`.
    pub format: CheckFormat,
    /// How progress is shown.
    pub progress: Progress,
    /// Where to keep the text of each page read (`--keep-text`).
    pub keep: Option<Keep>,
}

/// How progress is shown while links are fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A bar on the terminal (stderr).
    Bar,
    /// A line per link fetched, for logs and pipes.
    Lines,
}

/// How a check ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Counts of each status over the links chosen.
    pub tally: Tally,
    /// Dead links not rewritten to an archived copy.
    pub dead_left: usize,
    /// Dead links not rewritten that have an archived copy.
    pub copies_left: usize,
    /// Links rewritten.
    pub fixed: usize,
    /// Notes that could not be rewritten, one line each, not yet said.
    pub failures: Vec<String>,
    /// A mistake in what was asked (no such note): nothing was checked.
    pub mistake: Option<String>,
    /// The check stopped after this many links got no answer, and no host
    /// answered: offline. Nothing was kept.
    pub offline: Option<usize>,
}

/// A link as `--format json` prints it: the scripting contract.
#[derive(Debug, Serialize)]
pub struct CheckRecord {
    /// The link's target, as written.
    pub url: String,
    /// The title shown.
    pub title: String,
    /// Path relative to the notebook.
    pub document: String,
    /// 1-based line.
    pub line: u32,
    /// `ok`, `redirected`, `dead`, `error` or `skipped`.
    pub status: Status,
    /// The last HTTP status code.
    pub code: Option<u16>,
    /// Why, in a few words.
    pub reason: String,
    /// Where redirects ended.
    pub final_url: Option<String>,
    /// Every redirect was permanent.
    pub permanent: bool,
    /// When it was checked (RFC 3339, UTC); null for skipped links.
    pub checked_at: Option<String>,
    /// The result is from an earlier check (within `recheck_after_days`).
    pub cached: bool,
    /// The closest archived copy of a dead link.
    pub archived: Option<Snapshot>,
    /// Why the archive could not be asked.
    pub archive_error: Option<String>,
    /// The URL the link was rewritten to by `--fix-archived` / `--fix-redirects`.
    pub fixed_to: Option<String>,
}

/// Checks the links `request` chooses, writes the report to `out`, progress
/// and warnings to `err`; keeps results in the cache at `cache_path`.
pub fn run(
    notebook: &Notebook,
    root: &Path,
    settings: &CheckSettings,
    cache_path: Option<&Path>,
    request: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    let (format, progress) = (request.format, request.progress);
    if let Some(d) = &request.document
        && notebook.document_index(d).is_none()
    {
        return Ok(Outcome {
            mistake: Some(NoDocument(d.clone()).to_string()),
            ..Outcome::default()
        });
    }
    let links: Vec<LinkRef<'_>> = notebook
        .links()
        .filter(|l| {
            chosen(
                l,
                request.year,
                request.tag.as_deref(),
                request.document.as_deref(),
            )
        })
        .collect();
    let mut cache = match cache_path.map(Cache::load) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            writeln!(err, "opsbook: check: {}", visible(&e.to_string()))?;
            Cache::default()
        }
        None => Cache::default(),
    };
    let now = now_secs();
    let mut results: HashMap<String, (Health, bool)> = HashMap::new();
    let mut fetch: Vec<String> = Vec::new();
    // Each address once, however many links share it.
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for l in &links {
        let url = l.url();
        if !seen.insert(url) {
            continue;
        }
        if let Some(why) = skip_reason(url, l.kind()) {
            results.insert(
                url.to_string(),
                (Health::new(url, Status::Skipped, why, now), false),
            );
            continue;
        }
        // A page to keep is read, however lately the link was checked.
        let fresh = cache.fresh(url, now, settings.recheck_after_secs());
        // A link found dead lately has no page to read.
        let page_wanted = request.keep.as_ref().is_some_and(|k| k.wants(url, now))
            && fresh.is_none_or(|h| h.status != Status::Dead);
        match fresh {
            Some(h) if !request.force && !page_wanted => {
                results.insert(url.to_string(), (h.clone(), true));
            }
            _ => fetch.push(url.to_string()),
        }
    }
    let (fetched, kept, ended) = fetch_all(fetch, settings, request.keep.as_ref(), progress, err)?;
    for f in &kept.failures {
        writeln!(err, "opsbook: check: page not kept: {f}")?;
    }
    if let Ended::Offline { tried } = ended {
        // Every link would read as failed: nothing is kept or reported.
        return Ok(Outcome {
            offline: Some(tried),
            ..Outcome::default()
        });
    }
    for h in fetched {
        cache.insert(h.clone());
        results.insert(h.url.clone(), (h, false));
    }
    if let Some(path) = cache_path
        && let Err(e) = cache.save(path)
    {
        writeln!(
            err,
            "opsbook: check: results not kept: {}",
            visible(&e.to_string())
        )?;
    }
    let mut outcome = Outcome::default();
    let fixes = fixes(&links, &results, request);
    let fixed = write_fixes(notebook, root, fixes, &mut outcome);
    let found = Found {
        results: &results,
        fixed: &fixed,
        archive_off: settings.archive_api.is_empty(),
    };
    report(&links, &found, format, &mut outcome, out)?;
    let reused = results
        .values()
        .filter(|(h, cached)| *cached && h.status != Status::Skipped)
        .count();
    let line = format!(
        "{} {} checked: {}{}{}",
        links.len(),
        if links.len() == 1 { "link" } else { "links" },
        outcome.tally.line(),
        match outcome.fixed {
            0 => String::new(),
            n => format!(" · {n} rewritten"),
        },
        if reused > 0 {
            format!(
                " ({reused} from checks of the last {} days; --force fetches them again)",
                settings.recheck_after_days
            )
        } else {
            String::new()
        }
    );
    let copies = outcome.copies_left;
    let hint = (copies > 0 && !request.fix_archived).then(|| {
        format!(
            "{copies} dead {} an archived copy: --fix-archived rewrites {}",
            if copies == 1 {
                "link has"
            } else {
                "links have"
            },
            if copies == 1 { "it" } else { "them" }
        )
    });
    match format {
        CheckFormat::Text => {
            writeln!(out, "{line}")?;
            if let Some(hint) = hint {
                writeln!(out, "{hint}")?;
            }
        }
        CheckFormat::Json => writeln!(err, "{line}")?,
    }
    Ok(outcome)
}

/// Where the pages read are kept, and how much of each is read.
#[derive(Clone, Debug)]
pub struct Keep {
    /// The store.
    pub store: PageStore,
    /// Bytes of a page read at most.
    pub bound: u64,
    /// Seconds a kept page stands before it is read again.
    pub max_age_secs: i64,
}

impl Keep {
    /// Whether the page of `url` is to be read: none is kept, or an old one.
    pub fn wants(&self, url: &str, now: i64) -> bool {
        let kept = self
            .store
            .kept_at(url)
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        kept.is_none_or(|t| now.saturating_sub(t.as_secs() as i64) >= self.max_age_secs)
    }
}

/// What a fetch kept: how many pages, and what could not be kept.
#[derive(Debug, Default)]
pub struct Kept {
    /// Pages kept, by kind label (`HTML`, `PDF` …).
    pub pages: BTreeMap<String, usize>,
    /// Pages cut at the bound.
    pub cut: usize,
    /// Pages that could not be written, a line each.
    pub failures: Vec<String>,
    /// Links whose page was not read: the URL, and why.
    pub missed: Vec<(String, String)>,
}

impl Kept {
    /// Pages kept in all.
    pub fn count(&self) -> usize {
        self.pages.values().sum()
    }
}

/// Fetches `urls` through the link checker's pool, a line of progress
/// each; with `keep`, reads each page that answers and keeps its text.
pub fn fetch_all(
    urls: Vec<String>,
    settings: &CheckSettings,
    keep: Option<&Keep>,
    progress: Progress,
    err: &mut dyn Write,
) -> io::Result<(Vec<Health>, Kept, Ended)> {
    let total = urls.len();
    let mut kept = Kept::default();
    if total == 0 {
        return Ok((Vec::new(), kept, Ended::Done));
    }
    let bar = (progress == Progress::Bar).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut results = Vec::with_capacity(total);
    // The checking threads hand results to this one, which alone writes.
    let (tx, rx) = mpsc::channel::<(Health, Option<Body>)>();
    let read = keep.map(|k| k.bound);
    let ended = std::thread::scope(|scope| -> io::Result<Ended> {
        let pool = scope.spawn(move || {
            // A Sender is Sync: the checking threads share it.
            let found = |h: Health, body: Option<Body>| {
                let _ = tx.send((h, body));
            };
            crate::health::pool::check_and_read_all(
                urls,
                settings,
                read,
                &AtomicBool::new(false),
                &found,
            )
        });
        for (h, body) in rx {
            let what = match (keep, body) {
                (Some(keep), Some(body)) => {
                    let page = crate::pages::extract::page_from(&h.url, &body, h.checked_at);
                    match keep.store.put_unless_emptier(&page) {
                        Ok(false) => {
                            kept.missed.push((
                                h.url.clone(),
                                "the page has no text now: the copy kept before stays".into(),
                            ));
                            "not kept (no text now; the earlier copy stays)".to_string()
                        }
                        Ok(true) => {
                            *kept.pages.entry(page.kind.label().to_string()).or_default() += 1;
                            kept.cut += usize::from(page.truncated);
                            format!(
                                "kept {} {}{}",
                                page.kind.label(),
                                size(page.text.len()),
                                if page.truncated { " (cut)" } else { "" }
                            )
                        }
                        Err(e) => {
                            kept.failures.push(visible(&e.to_string()).into_owned());
                            "not kept".to_string()
                        }
                    }
                }
                (Some(_), None) => {
                    let why = if h.reason.is_empty() {
                        h.status.word().to_string()
                    } else {
                        visible(&h.reason).into_owned()
                    };
                    kept.missed.push((h.url.clone(), why.clone()));
                    format!("{} ({why})", h.status.word())
                }
                _ => h.status.word().to_string(),
            };
            let text = format!("{what} {}", visible(&h.url));
            match &bar {
                Some(bar) => {
                    bar.inc(1);
                    bar.set_message(text);
                }
                None => writeln!(err, "[{}/{total}] {text}", results.len() + 1)?,
            }
            results.push(h);
        }
        Ok(pool.join().unwrap_or(Ended::Done))
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok((results, kept, ended))
}

/// A size in bytes as people read it: `812 B`, `12 KB`, `3.4 MB`.
pub fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KB", bytes / 1024),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The rewrites asked for, by document: (link index, new URL).
fn fixes(
    links: &[LinkRef<'_>],
    results: &HashMap<String, (Health, bool)>,
    request: &Request,
) -> BTreeMap<usize, Vec<(usize, String, LinkId)>> {
    let mut by_doc: BTreeMap<usize, Vec<(usize, String, LinkId)>> = BTreeMap::new();
    for l in links {
        let Some((h, _)) = results.get(l.url()) else {
            continue;
        };
        let wanted = match h.fix() {
            Some((to, FixKind::Archived)) if request.fix_archived => Some(to),
            Some((to, FixKind::Redirect)) if request.fix_redirects => Some(to),
            _ => None,
        };
        if let Some(to) = wanted {
            by_doc
                .entry(l.doc_index)
                .or_default()
                .push((l.index, to.to_string(), l.id));
        }
    }
    by_doc
}

/// Writes the rewrites, one edit per note; the links rewritten and where to.
fn write_fixes(
    notebook: &Notebook,
    root: &Path,
    fixes: BTreeMap<usize, Vec<(usize, String, LinkId)>>,
    outcome: &mut Outcome,
) -> HashMap<LinkId, String> {
    let mut fixed = HashMap::new();
    for (doc_index, mut rewrites) in fixes {
        let Some(doc) = notebook.documents.get(doc_index) else {
            continue;
        };
        // A URL written with escapes is left for the user; the rest of the
        // note's links are still rewritten.
        let positions = doc.link_positions();
        rewrites.retain(|(i, _, _)| {
            let Some(link) = doc.links.get(*i) else {
                return false;
            };
            if doc.link_url_ref(link).in_source() {
                return true;
            }
            let line = positions.get(*i).map_or(0, |p| p.0);
            outcome.failures.push(format!(
                "{}:{line}: {} is written with escapes: edit it by hand",
                doc.path.display(),
                doc.link_url(link)
            ));
            false
        });
        if rewrites.is_empty() {
            continue;
        }
        let pairs: Vec<(usize, String)> =
            rewrites.iter().map(|(i, u, _)| (*i, u.clone())).collect();
        let written = rewrite_urls(doc, &pairs)
            .map_err(|e| e.to_string())
            .and_then(|edit| {
                write_edit(
                    &root.join(&doc.path),
                    content_hash(doc.source.as_bytes()),
                    edit.range,
                    &edit.text,
                )
                .map_err(|e| e.to_string())
            });
        match written {
            Ok(_) => {
                for (_, url, id) in rewrites {
                    fixed.insert(id, url);
                }
            }
            Err(e) => outcome
                .failures
                .push(format!("{}: {e}", doc.path.display())),
        }
    }
    outcome.fixed = fixed.len();
    fixed
}

/// What a check found, for the report.
struct Found<'a> {
    /// Each URL's result, and whether it is from an earlier check.
    results: &'a HashMap<String, (Health, bool)>,
    /// Links rewritten, and to what.
    fixed: &'a HashMap<LinkId, String>,
    /// No archived copies are looked up (`archive_api = ""`).
    archive_off: bool,
}

fn report(
    links: &[LinkRef<'_>],
    found: &Found<'_>,
    format: CheckFormat,
    outcome: &mut Outcome,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut positions: HashMap<usize, Vec<(u32, u32)>> = HashMap::new();
    let mut records = Vec::new();
    for l in links {
        let Some((h, cached)) = found.results.get(l.url()) else {
            continue;
        };
        outcome.tally.add(h.status);
        let fixed_to = found.fixed.get(&l.id).cloned();
        if h.status == Status::Dead && fixed_to.is_none() {
            outcome.dead_left += 1;
            if h.archived.is_some() {
                outcome.copies_left += 1;
            }
        }
        let line = positions
            .entry(l.doc_index)
            .or_insert_with(|| l.doc.link_positions())
            .get(l.index)
            .map_or(0, |p| p.0);
        let document = l.doc.path.display().to_string();
        match format {
            CheckFormat::Json => records.push(CheckRecord {
                url: h.url.clone(),
                title: one_line(&l.title()),
                document,
                line,
                status: h.status,
                code: h.code,
                reason: h.reason.clone(),
                final_url: h.final_url.clone(),
                permanent: h.permanent,
                checked_at: (h.status != Status::Skipped)
                    .then(|| jiff::Timestamp::from_second(h.checked_at).ok())
                    .flatten()
                    .map(|t| t.to_string()),
                cached: *cached,
                archived: h.archived.clone(),
                archive_error: h.archive_error.clone(),
                fixed_to,
            }),
            CheckFormat::Text => {
                if matches!(h.status, Status::Ok | Status::Skipped) {
                    continue;
                }
                let why = match h.status {
                    Status::Redirected => format!(
                        "→ {} ({})",
                        h.final_url.as_deref().unwrap_or(""),
                        if h.permanent { "permanent" } else { &h.reason }
                    ),
                    _ => h.reason.clone(),
                };
                writeln!(
                    out,
                    "{:<10} {}:{line}  {}  {}  {}",
                    h.status.word(),
                    visible(&document),
                    visible(&one_line(&l.title())),
                    visible(&h.url),
                    visible(&why)
                )?;
                match (&h.archived, &h.archive_error) {
                    (Some(s), _) => {
                        writeln!(out, "{:<10} archived {}: {}", "", s.day(), visible(&s.url))?
                    }
                    (None, Some(e)) => writeln!(out, "{:<10} no copy: {}", "", visible(e))?,
                    (None, None) if h.status == Status::Dead => {
                        if found.archive_off {
                            writeln!(out, "{:<10} archive lookup off (check.archive_api)", "")?
                        } else {
                            writeln!(out, "{:<10} no archived copy", "")?
                        }
                    }
                    _ => {}
                }
                if let Some(to) = &fixed_to {
                    writeln!(out, "{:<10} rewritten to {}", "", visible(to))?;
                }
            }
        }
    }
    if format == CheckFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &records).map_err(io::Error::other)?;
        writeln!(out)?;
    }
    Ok(())
}
