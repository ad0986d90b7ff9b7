//! The words of kept pages ([`crate::pages`]), searched beside each link's
//! own: a page's words count for the links that point at it, in a field of
//! their own that weighs least (a link's title and text still win).

use std::sync::{Arc, OnceLock};

use super::found::Found;
use super::index::{Entries, LinkIndex};
use super::relaxed::{Relaxed, as_page_code, better_code};
use crate::notebook::Notebook;

/// A kept page as search reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageWords {
    /// The link's URL, as written in the note.
    pub url: String,
    /// The page's title.
    pub title: String,
    /// Its readable text.
    pub text: String,
}

/// The words of every kept page, by page.
pub struct PageIndex {
    index: LinkIndex,
    urls: Vec<String>,
}

impl std::fmt::Debug for PageIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageIndex({} pages)", self.urls.len())
    }
}

struct Pages<'a>(&'a [PageWords]);

impl Entries for Pages<'_> {
    fn context(&mut self, _: u32) -> Option<String> {
        None
    }

    fn fields(&mut self, id: u32, f: &mut dyn FnMut(&[&str; 4])) {
        if let Some(p) = self.0.get(id as usize) {
            f(&[&p.title, &p.text, "", ""]);
        }
    }
}

impl PageIndex {
    /// Indexes kept pages.
    pub fn build(pages: &[PageWords]) -> PageIndex {
        let index = LinkIndex::build_from(pages.len() as u32, &mut Pages(pages), &|| false)
            .unwrap_or_else(|| {
                LinkIndex::build_from(0, &mut Pages(&[]), &|| false).expect("empty")
            });
        PageIndex {
            index,
            urls: pages.iter().map(|p| p.url.clone()).collect(),
        }
    }

    /// How many pages.
    pub fn len(&self) -> usize {
        self.urls.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }

    /// Whether a page is kept for `url`.
    pub fn holds(&self, url: &str) -> bool {
        self.urls.iter().any(|u| u == url)
    }
}

/// A page index with the links of one notebook that point at each page,
/// found the first time a query needs them.
pub struct PageSearch {
    index: Arc<PageIndex>,
    links: OnceLock<Vec<Vec<u32>>>,
}

impl PageSearch {
    /// Pages to search beside a notebook's links.
    pub fn new(index: Arc<PageIndex>) -> PageSearch {
        PageSearch {
            index,
            links: OnceLock::new(),
        }
    }

    /// The index searched.
    pub fn index(&self) -> &Arc<PageIndex> {
        &self.index
    }

    fn links(&self, notebook: &Notebook) -> &[Vec<u32>] {
        self.links.get_or_init(|| {
            let by_url: std::collections::HashMap<&str, usize> = self
                .index
                .urls
                .iter()
                .enumerate()
                .map(|(i, u)| (u.as_str(), i))
                .collect();
            let mut links = vec![Vec::new(); self.index.urls.len()];
            for (id, l) in notebook.links().enumerate() {
                if let Some(&page) = by_url.get(l.url()) {
                    links[page].push(id as u32);
                }
            }
            links
        })
    }

    /// Adds to `found` (links' matches, by id) what the pages their links
    /// point at hold, in the page field.
    pub(super) fn add_matches(
        &self,
        notebook: &Notebook,
        relaxed: &Relaxed,
        found: &mut Found,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) {
        if self.index.is_empty() {
            return;
        }
        let mut on_pages = self.index.index.matches(relaxed, cancelled);
        on_pages.settle_typos();
        let links = self.links(notebook);
        for (page, codes) in on_pages.matched() {
            for &link in links.get(page as usize).map(Vec::as_slice).unwrap_or(&[]) {
                for (c, &p) in found.codes_mut(link).iter_mut().zip(codes) {
                    *c = better_code(*c, as_page_code(p));
                }
            }
        }
    }
}
