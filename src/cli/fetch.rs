//! `opsbook fetch` and `opsbook page-text`: the readable text of linked
//! pages, fetched through the link checker's pool and kept in the data
//! folder (`crate::pages`), and printed back.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use super::args::{Cli, Command};
use super::check::{Keep, Progress, fetch_all, size};
use super::select::{NoDocument, chosen};
use super::setup::{MISTAKE, load, notebook_dir, say, settings_to_read};
use crate::escape::visible;
use crate::health::cache::Cache;
use crate::health::pool::Ended;
use crate::health::{now_secs, skip_reason};
use crate::pages::store::PageStore;

/// Runs `fetch` or `page-text`.
pub fn exec(args: &Cli, command: &Command) -> anyhow::Result<ExitCode> {
    let config = settings_to_read();
    let Some(dir) = PageStore::default_dir() else {
        say("fetch: no data folder (no home folder?): nowhere to keep pages");
        return Ok(ExitCode::FAILURE);
    };
    let store = PageStore::new(dir);
    match command {
        Command::PageText { url } => page_text(&store, url),
        Command::Fetch {
            year,
            document,
            tag,
            force,
            forget,
        } => {
            let (root, _) = notebook_dir(args.notebook.clone(), || config.notebook.clone())?;
            let Some(loaded) = load(&root)? else {
                return Ok(ExitCode::FAILURE);
            };
            let notebook = &loaded.notebook;
            if let Some(d) = document
                && notebook.document_index(d).is_none()
            {
                say(&format!("fetch: {}", NoDocument(d.clone())));
                return Ok(ExitCode::from(MISTAKE));
            }
            let mut urls: Vec<String> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for l in notebook.links() {
                if chosen(&l, *year, tag.as_deref(), document.as_deref())
                    && skip_reason(l.url(), l.kind()).is_none()
                    && seen.insert(l.url())
                {
                    urls.push(l.url().to_string());
                }
            }
            if *forget {
                return forget_pages(&store, &urls);
            }
            if urls.is_empty() {
                say("fetch: no web links are chosen: nothing to fetch");
                return Ok(ExitCode::SUCCESS);
            }
            fetch(&store, urls, *force, &config)
        }
        _ => Ok(ExitCode::from(MISTAKE)),
    }
}

/// Fetches the pages of `urls` not kept lately (all with `force`).
fn fetch(
    store: &PageStore,
    urls: Vec<String>,
    force: bool,
    config: &crate::config::Config,
) -> anyhow::Result<ExitCode> {
    let now = now_secs();
    let max_age = config.fetch.refetch_after_secs();
    let mut fresh = 0;
    let mut todo = Vec::new();
    let keep = Keep {
        store: store.clone(),
        bound: config.fetch.max_page_bytes(),
        max_age_secs: max_age,
    };
    for url in urls {
        if !force && !keep.wants(&url, now) {
            fresh += 1;
        } else {
            todo.push(url);
        }
    }
    let progress = if io::stderr().is_terminal() {
        Progress::Bar
    } else {
        Progress::Lines
    };
    let (healths, kept, ended) = fetch_all(
        todo,
        &config.check,
        Some(&keep),
        progress,
        &mut io::stderr(),
    )?;
    if let Ended::Offline { tried } = ended {
        say(&format!(
            "fetch: no host answered the first {tried} links (unknown hosts, no connection): offline? nothing was fetched"
        ));
        return Ok(ExitCode::FAILURE);
    }
    for f in &kept.failures {
        say(&format!("fetch: page not kept: {f}"));
    }
    // A line a link said why as it came; the bar's lines are gone.
    if progress == Progress::Bar {
        for (url, why) in &kept.missed {
            say(&format!("fetch: not fetched: {}: {why}", visible(url)));
        }
    }
    // What the fetch learnt of each link is a check's result too.
    if let Some(path) = Cache::default_path() {
        let mut cache = Cache::load(&path).unwrap_or_default();
        for h in &healths {
            cache.insert(h.clone());
        }
        if let Err(e) = cache.save(&path) {
            say(&format!(
                "fetch: link health not kept: {}",
                visible(&e.to_string())
            ));
        }
    }
    let failed = kept.missed.len();
    let kinds: Vec<String> = kept
        .pages
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let mut line = format!(
        "{} {} kept",
        kept.count(),
        if kept.count() == 1 { "page" } else { "pages" }
    );
    if !kinds.is_empty() {
        line.push_str(&format!(" ({})", kinds.join(", ")));
    }
    if kept.cut > 0 {
        line.push_str(&format!(
            " · {} cut at {}",
            kept.cut,
            size(config.fetch.max_page_bytes() as usize)
        ));
    }
    if failed > 0 {
        line.push_str(&format!(
            " · {failed} not fetched (each listed with why on stderr)"
        ));
    }
    if fresh > 0 {
        line.push_str(&format!(
            " · {fresh} kept in the last {} days (--force fetches them again)",
            config.fetch.refetch_after_days
        ));
    }
    let (bytes, n) = store.usage();
    line.push_str(&format!(
        " · {n} in {} ({})",
        store.dir().display(),
        size(bytes as usize)
    ));
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")?;
    Ok(if failed > 0 || !kept.failures.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Removes the kept pages of `urls`: the store is shared by every
/// notebook, so other notebooks' pages stay.
fn forget_pages(store: &PageStore, urls: &[String]) -> anyhow::Result<ExitCode> {
    let mut forgotten = 0;
    let mut failed = false;
    for url in urls {
        match store.forget(url) {
            Ok(gone) => forgotten += usize::from(gone),
            Err(e) => {
                failed = true;
                say(&format!("fetch: {}", visible(&e.to_string())));
            }
        }
    }
    writeln!(
        io::stdout().lock(),
        "{forgotten} kept {} forgotten",
        if forgotten == 1 { "page" } else { "pages" }
    )?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the kept text of a link's page.
fn page_text(store: &PageStore, url: &str) -> anyhow::Result<ExitCode> {
    let page = match store.get(url) {
        Ok(Some(p)) => p,
        Ok(None) => {
            say(&format!(
                "page-text: no page kept for {}: `opsbook fetch` keeps them",
                visible(url)
            ));
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => {
            say(&format!("page-text: {}", visible(&e.to_string())));
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = io::stdout().lock();
    if !page.title.is_empty() {
        writeln!(out, "# {}", visible(&page.title))?;
        writeln!(out)?;
    }
    let mut about = format!("{} · kept {}", visible(&page.url), page.day());
    if page.final_url != page.url && !page.final_url.is_empty() {
        about.push_str(&format!(" · from {}", visible(&page.final_url)));
    }
    if page.truncated {
        about.push_str(" · the page was cut: it was longer than [fetch] max_page_kb");
    }
    writeln!(out, "{about}")?;
    if !page.description.is_empty() {
        writeln!(out)?;
        writeln!(out, "> {}", visible(&page.description))?;
    }
    writeln!(out)?;
    if page.text.is_empty() {
        writeln!(out, "({}: kept without text)", page.kind.label())?;
    } else {
        for line in page.text.lines() {
            writeln!(out, "{}", visible(line))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The words of every kept page, for a search from the shell; `None` when
/// none is kept. Pages that cannot be read are said in one line.
pub fn kept_pages() -> Option<std::sync::Arc<crate::search::pages::PageIndex>> {
    let store = PageStore::new(PageStore::default_dir()?);
    let (pages, damaged) = store.all();
    if !damaged.is_empty() {
        say(&format!(
            "{} kept {} could not be read (`opsbook fetch` fetches them again)",
            damaged.len(),
            if damaged.len() == 1 { "page" } else { "pages" }
        ));
    }
    if pages.is_empty() {
        return None;
    }
    let words: Vec<crate::search::pages::PageWords> = pages
        .into_iter()
        .map(crate::pages::Page::into_words)
        .collect();
    Some(std::sync::Arc::new(crate::search::pages::PageIndex::build(
        &words,
    )))
}
