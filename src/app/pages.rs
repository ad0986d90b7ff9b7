//! Kept page text as the app knows it: the pages read from the data folder,
//! a fetch under way (`W`), and the reader pane (`v`) that shows a page's
//! text, also when its link is dead. The fetching runs on the runtime's
//! threads; this only decides and shows.

use std::collections::HashMap;
use std::sync::Arc;

use super::Mode;
use super::action::Action;
use super::effect::Effect;
use super::overlay::{Main, Prompt, Purpose, Reader};
use super::state::App;
use crate::config::FetchSettings;
use crate::health::skip_reason;
use crate::pages::Page;
use crate::search::pages::PageIndex;

/// Sentences shown under search results: the query, and by URL the
/// sentence of its page (or none).
type Sentences = (String, HashMap<String, Option<String>>);

/// What the app knows of kept pages.
#[derive(Clone, Default)]
pub struct PagesState {
    /// Every kept page, by its link's URL.
    pub kept: HashMap<String, Arc<Page>>,
    /// Their words, searched beside the links'.
    pub index: Option<Arc<PageIndex>>,
    /// `[fetch]` of config.toml.
    pub settings: FetchSettings,
    /// Pages done, to do, and kept, while a fetch runs.
    pub running: Option<(usize, usize, usize)>,
    /// Whether the kept pages have been read since the start.
    pub read: bool,
    /// The sentence shown under a search result, by URL, for one query:
    /// found once, not on every frame.
    sentences: Arc<std::sync::Mutex<Sentences>>,
}

impl std::fmt::Debug for PagesState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PagesState")
            .field("kept", &self.kept.len())
            .field("running", &self.running)
            .finish()
    }
}

impl App {
    /// Kept pages, read from the data folder: searched from now on.
    pub fn pages_read(&mut self, pages: Vec<Page>, index: Arc<PageIndex>) {
        self.pages.kept = pages
            .into_iter()
            .map(|p| (p.url.clone(), Arc::new(p)))
            .collect();
        self.links.set_pages(Some(Arc::clone(&index)));
        self.pages.index = Some(index);
        self.pages.read = true;
    }

    /// The page kept for a URL.
    pub fn page_of(&self, url: &str) -> Option<&Page> {
        self.pages.kept.get(url).map(|p| &**p)
    }

    /// The sentence of a link's kept page that holds more of `query`'s
    /// words (as the ranking matches them) than `own`, the link's own text,
    /// does: shown under a search result, marked as the page's.
    pub fn page_sentence(&self, url: &str, own: &str, query: &str, max: usize) -> Option<String> {
        use crate::search::relaxed::word_ranges;
        let page = self.page_of(url)?;
        let mut cache = self
            .pages
            .sentences
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if cache.0 != query {
            *cache = (query.to_string(), HashMap::new());
        }
        if let Some(s) = cache.1.get(url) {
            return s.clone();
        }
        let mut held: Vec<String> = word_ranges(query, own)
            .into_iter()
            .filter_map(|r| own.get(r))
            .map(str::to_lowercase)
            .collect();
        held.sort();
        held.dedup();
        // A sentence is read word by word only when it holds the start of
        // a query word: a page of megabytes costs a few substring searches.
        let probes: Vec<String> = crate::search::relaxed::terms(query, &[])
            .iter()
            .map(|t| t.to_lowercase().chars().take(4).collect::<String>())
            .filter(|p| p.chars().count() >= 2)
            .collect();
        let s = crate::pages::best_sentence(
            &page.text,
            &probes,
            |sentence| word_ranges(query, sentence),
            held.len(),
            max,
        );
        cache.1.insert(url.to_string(), s.clone());
        s
    }

    /// `W`: fetch, in the background, the pages of web links not kept
    /// lately; all of them when every one was.
    pub(super) fn fetch_pages(&mut self, now_secs: i64) -> Vec<Effect> {
        if let Some((done, total, _)) = self.pages.running {
            self.say(format!("a fetch is under way: {done}/{total} pages"));
            return Vec::new();
        }
        let mut all: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for l in self.notebook.links() {
            if skip_reason(l.url(), l.kind()).is_none() && seen.insert(l.url()) {
                all.push(l.url().to_string());
            }
        }
        let max_age = self.pages.settings.refetch_after_secs();
        let due: Vec<String> = all
            .iter()
            .filter(|u| self.page_of(u).is_none_or(|p| !p.fresh(now_secs, max_age)))
            .cloned()
            .collect();
        let urls = if due.is_empty() { all } else { due };
        if urls.is_empty() {
            self.say("no web links to fetch");
            return Vec::new();
        }
        self.pages.running = Some((0, urls.len(), 0));
        self.say(format!(
            "fetching {} pages in the background, to keep their text",
            urls.len()
        ));
        vec![Effect::FetchPages(urls)]
    }

    /// A page of the fetch under way was fetched (`kept`) or not.
    pub fn page_fetched(&mut self, kept: bool) {
        if let Some((done, total, k)) = &mut self.pages.running {
            *done += 1;
            *k += usize::from(kept);
            let text = format!("fetching pages {done}/{total} · {k} kept");
            self.say(text);
        }
    }

    /// The fetch ended; what went wrong, if anything did.
    pub fn fetch_finished(&mut self, failed: Option<String>) {
        if let Some((done, total, kept)) = self.pages.running.take() {
            let mut line = format!(
                "{kept} of {total} pages kept{}",
                if done < total { " (stopped)" } else { "" }
            );
            if kept > 0 {
                line.push_str(": search reads them, v shows one");
            } else {
                line.push_str(": dead or failing (C checks each link and says why)");
            }
            match failed {
                Some(why) => self.warn(format!("{line}; {why}")),
                None => self.say(line),
            }
        }
    }

    /// The title the page of a link being added gave (or why none): put
    /// in the title prompt, unless something was typed there meanwhile.
    pub fn title_fetched(&mut self, url: &str, title: Result<String, String>) {
        let Some(super::overlay::Overlay::Prompt(p)) = &mut self.overlay else {
            return;
        };
        if !matches!(&p.purpose, Purpose::LinkTitle(_, u) if u == url) {
            return;
        }
        p.label = "Title".to_string();
        match title {
            Ok(t) if p.input.is_empty() => {
                p.input = t;
                self.say("the page's title: enter keeps it, ctrl-u clears it");
            }
            Ok(_) => {}
            // Said in red: only a warning shows beside an open prompt.
            Err(why) => self.warn(format!(
                "no title from the page ({why}): type one, or enter for none"
            )),
        }
    }

    /// `v`: the selected link's kept page in the reader pane.
    pub(super) fn read_page(&mut self) -> Vec<Effect> {
        let Some(url) = self
            .selected_link()
            .and_then(|id| self.notebook.link(id))
            .map(|l| l.url().to_string())
        else {
            self.say("no link selected: nothing to read");
            return Vec::new();
        };
        self.open_reader(&url);
        Vec::new()
    }

    /// Opens the reader on the page kept for `url`, or says there is none.
    pub(super) fn open_reader(&mut self, url: &str) {
        let Some(page) = self.pages.kept.get(url).cloned() else {
            if self.pages.read {
                self.say(format!(
                    "no page kept for {url}: W fetches the pages of every link"
                ));
            } else {
                self.say("the kept pages are still being read: v again in a moment");
            }
            return;
        };
        let back = match std::mem::replace(&mut self.main, Main::Browse) {
            Main::Search(s) => Some(s),
            // A reader opened from the reader returns where the first came from.
            Main::Read(mut r) => r.back.take(),
            other => {
                self.main = other;
                None
            }
        };
        if matches!(self.main, Main::Edit(_)) {
            self.say("close the editor first");
            return;
        }
        let width = usize::from(self.screen.width).saturating_sub(4);
        self.main = Main::Read(Box::new(Reader::new(&page, width, back)));
    }

    /// The reader pane, when open.
    pub fn reader(&self) -> Option<&Reader> {
        match &self.main {
            Main::Read(r) => Some(r),
            _ => None,
        }
    }

    /// Rows of text the reader shows at once.
    fn reader_rows(&self) -> usize {
        usize::from(self.screen.height).saturating_sub(4).max(1)
    }

    /// Keys in the reader pane.
    pub(super) fn apply_reader(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.reader_rows();
        let width = usize::from(self.screen.width).saturating_sub(4);
        let Main::Read(r) = &mut self.main else {
            return Vec::new();
        };
        r.wrap(width);
        let last = r.lines.len().saturating_sub(rows);
        match action {
            Action::Down => r.scroll = (r.scroll + 1).min(last),
            Action::Up => r.scroll = r.scroll.saturating_sub(1),
            Action::PageDown => r.scroll = (r.scroll + rows.saturating_sub(1)).min(last),
            Action::PageUp => r.scroll = r.scroll.saturating_sub(rows.saturating_sub(1)),
            Action::Top => r.scroll = 0,
            Action::Bottom => r.scroll = last,
            Action::FindInPage => {
                let label = match &r.find {
                    Some(f) => format!("Find in the page (enter: `{f}` again)"),
                    None => "Find in the page".to_string(),
                };
                self.overlay = Some(super::overlay::Overlay::Prompt(Prompt {
                    purpose: Purpose::FindInPage,
                    label,
                    input: String::new(),
                }));
            }
            Action::NextMatch | Action::PrevMatch => {
                let back = action == Action::PrevMatch;
                match r.next_match(r.scroll, back) {
                    Some(i) => r.scroll = i,
                    None if r.find.is_some() => {
                        let needle = r.find.clone().unwrap_or_default();
                        self.say(format!("`{needle}` is not in the page"));
                    }
                    None => self.say("/ finds words in the page"),
                }
            }
            Action::Open => {
                // A dead link asks first, as anywhere.
                let url = r.url.clone();
                let kind = crate::notebook::LinkKind::of(&url);
                return self.open_checked(&url, kind, true);
            }
            Action::Close | Action::Cancel | Action::ReadPage => {
                let back = r.back.take();
                self.main = back.map_or(Main::Browse, Main::Search);
            }
            Action::Help => self.open_help(Mode::Reader),
            _ => {}
        }
        Vec::new()
    }

    /// What `/` in the reader was asked to find: the first line holding it.
    pub(super) fn find_in_page(&mut self, input: String) -> Vec<Effect> {
        let Main::Read(r) = &mut self.main else {
            return Vec::new();
        };
        // Nothing typed: what was found before, found again.
        let input = match (input.is_empty(), &r.find) {
            (true, Some(f)) => f.clone(),
            (true, None) => return Vec::new(),
            (false, _) => input,
        };
        r.find = Some(input.clone());
        let start = r
            .scroll
            .checked_sub(1)
            .unwrap_or(r.lines.len().saturating_sub(1));
        match r.next_match(start, false) {
            Some(i) => r.scroll = i,
            None => self.say(format!("`{input}` is not in the page")),
        }
        Vec::new()
    }
}
