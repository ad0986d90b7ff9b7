//! Link health as the app knows it: results of earlier checks, a check
//! under way (`C`), dead links offered as their archived copy when opened,
//! and a link rewritten to its copy or new address (`F`). The checking runs
//! on the runtime's threads; this only decides and shows.

use std::collections::HashMap;

use super::effect::{Effect, Written};
use super::overlay::Question;
use super::state::App;
use super::tree::Target;
use crate::config::CheckSettings;
use crate::health::{FixKind, Health, Status, Tally, skip_reason};
use crate::notebook::rewrite::rewrite_urls;
use crate::notebook::{LinkId, LinkKind};

/// What the app knows of its links' health.
#[derive(Clone, Debug, Default)]
pub struct HealthState {
    /// The last result for each URL (changed through [`HealthState::insert`]).
    pub results: HashMap<String, Health>,
    /// How many of `results` are dead, and how many moved: with none, rows
    /// and panes skip looking for marks.
    pub marked: (usize, usize),
    /// The settings of `config.toml`.
    pub settings: CheckSettings,
    /// Links checked and to check, while a check runs.
    pub running: Option<(usize, usize)>,
    /// What the check under way found so far.
    pub tally: Tally,
    /// The wall clock (seconds since 1970) at an instant, set by the runtime:
    /// results have their time of day, inputs only an `Instant`.
    pub wall: Option<(i64, std::time::Instant)>,
    /// Whether results came in that no finished check has kept yet (kept at quit).
    pub unsaved: bool,
}

impl HealthState {
    /// Puts a URL's newest result in place, keeping the counts of marks.
    pub fn insert(&mut self, h: Health) {
        let count = |marked: &mut (usize, usize), status: Status, by: isize| match status {
            Status::Dead => marked.0 = marked.0.saturating_add_signed(by),
            Status::Redirected => marked.1 = marked.1.saturating_add_signed(by),
            _ => {}
        };
        count(&mut self.marked, h.status, 1);
        if let Some(old) = self.results.insert(h.url.clone(), h) {
            count(&mut self.marked, old.status, -1);
        }
    }
}

impl App {
    /// The last result of checking a URL.
    pub fn health_of(&self, url: &str) -> Option<&Health> {
        self.health.results.get(url)
    }

    /// Seconds since 1970 at the input being applied.
    pub fn wall_secs(&self) -> i64 {
        self.health.wall.map_or(0, |(secs, at)| {
            secs + self.now.saturating_duration_since(at).as_secs() as i64
        })
    }

    /// Results of earlier checks, as the cache has them; a result already
    /// known from a later check is kept.
    pub fn set_health(&mut self, results: impl IntoIterator<Item = Health>) {
        for h in results {
            match self.health.results.get(&h.url) {
                Some(known) if known.checked_at > h.checked_at => {}
                _ => {
                    self.health.insert(h);
                }
            }
        }
    }

    /// `C`: check, in the background, the web links not checked lately; all
    /// of them when every one was.
    pub(super) fn check_links(&mut self, now_secs: i64) -> Vec<Effect> {
        if let Some((done, total)) = self.health.running {
            self.say(format!(
                "a link check is under way: {done}/{total} addresses"
            ));
            return Vec::new();
        }
        let mut all: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for l in self.notebook.links() {
            if skip_reason(l.url(), l.kind()).is_none() && seen.insert(l.url()) {
                all.push(l.url().to_string());
            }
        }
        let max_age = self.health.settings.recheck_after_secs();
        let due: Vec<String> = all
            .iter()
            .filter(|u| {
                self.health
                    .results
                    .get(u.as_str())
                    .is_none_or(|h| !h.settled(now_secs, max_age))
            })
            .cloned()
            .collect();
        let urls = if due.is_empty() { all } else { due };
        if urls.is_empty() {
            self.say("no web links to check");
            return Vec::new();
        }
        self.health.running = Some((0, urls.len()));
        self.health.tally = Tally::default();
        self.say(format!(
            "checking {} web addresses in the background",
            urls.len()
        ));
        vec![Effect::CheckLinks(urls)]
    }

    /// A link's result came in.
    pub fn link_checked(&mut self, health: Health) {
        self.health.unsaved = true;
        self.health.tally.add(health.status);
        if let Some((done, total)) = &mut self.health.running {
            *done += 1;
            let t = &self.health.tally;
            let text = format!(
                "checking addresses {done}/{total} · {} dead · {} moved",
                t.dead, t.redirected
            );
            self.say(text);
        }
        self.health.insert(health);
    }

    /// The check ended (or stopped); `failed` says why its results could
    /// not be kept, if so.
    pub fn check_finished(&mut self, failed: Option<String>) {
        if failed.is_none() {
            // The check's own thread has kept every result.
            self.health.unsaved = false;
        }
        if let Some((_, total)) = self.health.running.take() {
            let t = &self.health.tally;
            let line = format!(
                "{total} addresses checked: {} ok · {} moved · {} dead · {} failed",
                t.ok, t.redirected, t.dead, t.error
            );
            match failed {
                Some(why) => self.warn(format!("{line}; not kept: {why}")),
                None if self.health.tally.dead > 0 => self.warn(line),
                None => self.say(line),
            }
        }
    }

    /// The check stopped after `tried` links got no answer and no host
    /// answered: offline, so nothing is marked.
    pub fn check_offline(&mut self, tried: usize) {
        self.health.running = None;
        self.warn(format!(
            "no host answered the first {tried} addresses: offline? the check stopped, nothing was marked"
        ));
    }

    /// The link selected in the view or the search results.
    pub fn selected_link(&self) -> Option<LinkId> {
        match self.search() {
            Some(s) if s.scope == super::Scope::Links => s.hits.get(s.selected).copied(),
            Some(_) => None,
            None => match self.pane().selected_target()? {
                Target::Link(id) => Some(id),
                _ => None,
            },
        }
    }

    /// Opening a link checked dead asks first, offering its archived copy.
    pub(super) fn dead_link_question(&self, url: &str, checked: &str) -> Option<Question> {
        let h = self.health_of(url).filter(|h| h.status == Status::Dead)?;
        Some(Question::OpenDead {
            url: checked.to_string(),
            reason: h.reason.clone(),
            archived: h.archived.as_ref().map(|s| (s.url.clone(), s.day())),
            link: self.selected_link(),
            kept: self.page_of(url).map(crate::pages::Page::day),
            archive_off: self.health.settings.archive_api.is_empty(),
        })
    }

    /// `F`: rewrite the link to its archived copy (dead) or its new address
    /// (moved for good), changing only the URL's bytes.
    pub(super) fn fix_link(&mut self, link: Option<LinkId>) -> Vec<Effect> {
        let Some(l) = link.and_then(|id| self.notebook.link(id)) else {
            self.warn("no link selected: nothing to rewrite");
            return Vec::new();
        };
        let Some(h) = self.health.results.get(l.url()) else {
            self.say("not checked yet: C checks the links");
            return Vec::new();
        };
        let Some((to, kind)) = h.fix() else {
            // The check's reason says why a move is no rewrite: for now
            // only, or to the site's front page.
            let why = match h.status {
                Status::Dead => {
                    "dead, and no archived copy was found: nothing to rewrite to".to_string()
                }
                Status::Redirected => format!("{}: not rewritten", h.reason),
                _ => "nothing to rewrite: the link is not dead or moved".to_string(),
            };
            self.say(why);
            return Vec::new();
        };
        let (to, what) = (
            to.to_string(),
            match (kind, &h.archived) {
                (FixKind::Archived, Some(s)) => format!("the archived copy of {}", s.day()),
                _ => "its new address".to_string(),
            },
        );
        let notebook = std::sync::Arc::clone(&self.notebook);
        let Some(doc) = notebook.documents.get(l.doc_index) else {
            return Vec::new();
        };
        let link_offset = l.link.offset as usize;
        match rewrite_urls(doc, &[(l.index, to)]) {
            Ok(edit) => self.write_edit(
                doc,
                edit,
                Written::Rewrite {
                    done: format!("link rewritten to {what}"),
                    link_offset,
                },
            ),
            Err(e) => {
                self.warn(e.to_string());
                Vec::new()
            }
        }
    }

    /// The answer to "this link is dead: open its copy?".
    pub(super) fn answer_dead(&mut self, action: super::Action, question: Question) -> Vec<Effect> {
        use super::Action;
        let Question::OpenDead {
            url,
            archived,
            link,
            kept,
            ..
        } = question
        else {
            return Vec::new();
        };
        match action {
            Action::Confirm => {
                self.overlay = None;
                match archived {
                    // The copy's address came from the archive: checked as any link.
                    Some((copy, _)) => self.open_checked(&copy, LinkKind::of(&copy), false),
                    None => {
                        self.say(format!("opening {url}"));
                        vec![Effect::Open(url)]
                    }
                }
            }
            Action::OpenOriginal => {
                self.overlay = None;
                self.say(format!("opening {url}"));
                vec![Effect::Open(url)]
            }
            Action::FixLink => {
                self.overlay = None;
                self.fix_link(link)
            }
            Action::Reload if kept.is_some() => {
                self.overlay = None;
                self.open_reader(&url);
                Vec::new()
            }
            Action::Cancel | Action::Close => {
                self.overlay = None;
                self.say("not opened");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
