//! An inverted index of every link's words, so the ranked search of
//! [`super::relaxed`] answers without reading a million links per key.
//!
//! Words are kept in an [`fst::Map`] (sorted, prefix-shared): a word is
//! looked up as written, by the prefix a stem match needs, and with a typo
//! through a Levenshtein automaton (`levenshtein_automata`, transpositions
//! as one edit) run over the map. Each word found is read once, as the scan
//! reads it ([`Relaxed::classify`]), so both give the same ranking.
//!
//! Postings are delta-coded varints of `link << 4 | fields` (a bit each for
//! title, entry, context, URL). The context (headings, note title, tags)
//! is the same for a run of links under one heading, so its words point at
//! runs, not links: a heading's words are kept once, not once a link.

use std::hash::BuildHasher;
use std::sync::OnceLock;

use fst::{Automaton, IntoStreamer, Streamer};
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};

use super::found::Found;
use super::relaxed::{Relaxed, WordMatch, each_word, link_context, link_fields, offer};
use crate::notebook::Notebook;

/// Every link's words, and where each is found.
pub struct LinkIndex {
    /// Word → its id.
    words: fst::Map<Vec<u8>>,
    /// Where each word's postings start in `postings` (one more at the end).
    starts: Vec<u32>,
    /// Each word's links, delta-coded.
    postings: Vec<u8>,
    /// Words of a context: word id → the runs of links it is the context of.
    context: hashbrown::HashMap<u32, Vec<u32>>,
    /// The first link of each run of links with one context (and the end).
    runs: Vec<u32>,
    /// Links in the notebook it was built of.
    links: u32,
}

/// Interned words, while building: the text of all in one string.
#[derive(Default)]
struct Words {
    text: String,
    ends: Vec<u32>,
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Words {
    fn get(&self, id: u32) -> &str {
        let start = if id == 0 {
            0
        } else {
            self.ends[id as usize - 1] as usize
        };
        &self.text[start..self.ends[id as usize] as usize]
    }

    /// The id of `word`, a new one if it is new.
    fn intern(&mut self, word: &str) -> u32 {
        let hash = self.hasher.hash_one(word);
        let Words {
            text,
            ends,
            table,
            hasher,
        } = self;
        let at = |id: u32| {
            let start = if id == 0 {
                0
            } else {
                ends[id as usize - 1] as usize
            };
            &text[start..ends[id as usize] as usize]
        };
        if let Some(&id) = table.find(hash, |&id| at(id) == word) {
            return id;
        }
        let id = ends.len() as u32;
        text.push_str(word);
        ends.push(text.len() as u32);
        let (text, ends) = (&*text, &*ends);
        table.insert_unique(hash, id, |&id| {
            let start = if id == 0 {
                0
            } else {
                ends[id as usize - 1] as usize
            };
            hasher.hash_one(&text[start..ends[id as usize] as usize])
        });
        id
    }
}

/// Words looked up in a table of their own while postings are written.
const FREQUENT_WORDS: usize = 1 << 16;

/// Appends `value` as a varint.
fn put_varint(out: &mut [u8], at: &mut usize, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out[*at] = byte;
            *at += 1;
            return;
        }
        out[*at] = byte | 0x80;
        *at += 1;
    }
}

/// Bytes `value` takes as a varint.
fn varint_len(value: u64) -> u32 {
    (64 - value.max(1).leading_zeros()).div_ceil(7)
}

/// Each posting of a word: `(link, fields)`.
fn postings(bytes: &[u8]) -> impl Iterator<Item = (u32, u8)> + '_ {
    let mut at = 0;
    let mut link = 0u64;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let b = bytes[at];
            at += 1;
            value |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        link += value >> 4;
        Some((link as u32, (value & 0xf) as u8))
    })
}

/// Keeps every word of a stream of the word map, with its id.
fn take<A: Automaton>(found: &mut Vec<(String, u32)>, mut stream: fst::map::Stream<'_, A>) {
    while let Some((k, v)) = stream.next() {
        if let Ok(w) = std::str::from_utf8(k) {
            found.push((w.to_string(), v as u32));
        }
    }
}

/// A Levenshtein automaton as an [`fst::Automaton`].
struct Typos<'a> {
    dfa: &'a DFA,
    edits: u8,
}

impl Automaton for Typos<'_> {
    type State = u32;
    fn start(&self) -> u32 {
        self.dfa.initial_state()
    }
    fn is_match(&self, state: &u32) -> bool {
        matches!(self.dfa.distance(*state), Distance::Exact(d) if d <= self.edits)
    }
    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }
    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.dfa.transition(*state, byte)
    }
}

/// The automaton builder for `edits` edits (1 or 2), made once: it takes
/// a few milliseconds.
fn typo_builder(edits: usize) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    if edits <= 1 {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    } else {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    }
}

/// Calls `f` with each of a link's words and the field bit it is in
/// (title, entry, context, URL): the context words of its own, the item
/// it is nested in; those of its headings come from the link's run.
fn each_link_word(fields: &[&str; 4], lower: &mut String, mut f: impl FnMut(&str, u8)) {
    for (i, text) in fields.iter().enumerate() {
        each_word(text, lower, |w| f(w, 1 << i));
    }
}

/// What an index is built of: entries `0..n`, each with four fields of
/// text, in runs that share a context.
pub(super) trait Entries {
    /// The context of the run entry `id` starts, when it starts one.
    fn context(&mut self, id: u32) -> Option<String>;
    /// Calls `f` with the entry's four fields (not at all when it has none).
    fn fields(&mut self, id: u32, f: &mut dyn FnMut(&[&str; 4]));
}

/// A notebook's links as entries: a run for each heading.
struct NotebookLinks<'a> {
    notebook: &'a Notebook,
    hint: usize,
    run: (usize, u32),
}

impl Entries for NotebookLinks<'_> {
    fn context(&mut self, id: u32) -> Option<String> {
        let l = self.notebook.link_near(id, &mut self.hint)?;
        let key = (l.doc_index, l.doc.section_index(l.link.node()));
        (key != self.run).then(|| {
            self.run = key;
            link_context(&l)
        })
    }

    fn fields(&mut self, id: u32, f: &mut dyn FnMut(&[&str; 4])) {
        if let Some(l) = self.notebook.link_near(id, &mut self.hint) {
            let context_text = String::new();
            let mut keep = Default::default();
            f(&link_fields(&l, &context_text, &mut keep));
        }
    }
}

impl LinkIndex {
    /// Indexes every link of `notebook`; `None` if `cancelled` says so
    /// first. Two passes over the text, so that what it holds while
    /// building is little more than what it keeps: the first finds the
    /// words and how many bytes each one's postings take, the second
    /// writes them in place.
    pub fn build(notebook: &Notebook, cancelled: &dyn Fn() -> bool) -> Option<LinkIndex> {
        let mut links = NotebookLinks {
            notebook,
            hint: 0,
            run: (usize::MAX, u32::MAX),
        };
        Self::build_from(notebook.link_count() as u32, &mut links, cancelled)
    }

    /// Indexes entries `0..n` of any source (links, kept pages).
    pub(super) fn build_from(
        n: u32,
        source: &mut dyn Entries,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<LinkIndex> {
        let mut words = Words::default();
        let mut sizes: Vec<u32> = Vec::new();
        let mut last: Vec<u32> = Vec::new();
        let mut lower = String::new();
        let mut mine: Vec<(u32, u8)> = Vec::new();
        let mut runs: Vec<u32> = Vec::new();
        let mut context: hashbrown::HashMap<u32, Vec<u32>> = hashbrown::HashMap::new();

        // An entry's words with their fields, each word once.
        let collect = |mine: &mut Vec<(u32, u8)>| {
            mine.sort_unstable_by_key(|x| x.0);
            mine.dedup_by(|b, a| {
                if a.0 == b.0 {
                    a.1 |= b.1;
                    true
                } else {
                    false
                }
            });
        };

        for id in 0..n {
            if id % 4096 == 0 && cancelled() {
                return None;
            }
            if let Some(text) = source.context(id) {
                let run = runs.len() as u32;
                runs.push(id);
                let mut ctx: Vec<u32> = Vec::new();
                each_word(&text, &mut lower, |w| ctx.push(words.intern(w)));
                ctx.sort_unstable();
                ctx.dedup();
                for w in ctx {
                    context.entry(w).or_default().push(run);
                }
            }
            mine.clear();
            source.fields(id, &mut |fields| {
                each_link_word(fields, &mut lower, |w, bit| {
                    mine.push((words.intern(w), bit))
                });
            });
            collect(&mut mine);
            for &(w, bits) in &mine {
                let w = w as usize;
                if w >= sizes.len() {
                    sizes.resize(w + 1, 0);
                    last.resize(w + 1, 0);
                }
                let delta = u64::from(id - last[w]);
                sizes[w] += varint_len(delta << 4 | u64::from(bits));
                last[w] = id;
            }
        }
        runs.push(n);
        let vocabulary = words.ends.len();
        sizes.resize(vocabulary, 0);
        // The word map is made now, and the words' text and table go before
        // the postings are written: the second pass finds each word's id in
        // the map, so the build never holds the table and the postings at once.
        drop(last);
        words.table = hashbrown::HashTable::new();
        // The most frequent words (by their postings' bytes) in a small
        // table of their own: most of the second pass's lookups end there,
        // not in the map.
        let frequent: hashbrown::HashMap<Box<str>, u32> = {
            let mut by_size: Vec<u32> = sizes.clone();
            let keep = FREQUENT_WORDS.min(by_size.len());
            let threshold = if keep == 0 || keep == by_size.len() {
                0
            } else {
                *by_size.select_nth_unstable_by(keep, |a, b| b.cmp(a)).1
            };
            drop(by_size);
            (0..vocabulary as u32)
                .filter(|&id| sizes[id as usize] > threshold)
                .take(keep)
                .map(|id| (Box::from(words.get(id)), id))
                .collect()
        };
        let words_map = {
            // The words in order, each with its id.
            let mut order: Vec<u32> = (0..vocabulary as u32).collect();
            order.sort_unstable_by(|&a, &b| words.get(a).cmp(words.get(b)));
            // Sized at once from the words' bytes (the map is smaller: words
            // share prefixes and ends), so it never doubles while it grows.
            let mut map = fst::MapBuilder::new(Vec::with_capacity(words.text.len())).ok()?;
            for id in order {
                // Sorted and distinct: the builder cannot refuse them.
                map.insert(words.get(id), u64::from(id)).ok()?;
            }
            let mut bytes = map.into_inner().ok()?;
            bytes.shrink_to_fit();
            drop(words);
            fst::Map::new(bytes).ok()?
        };

        // Where each word's postings go (the sizes become their starts),
        // then the second pass writes them, each start moving on as its
        // word's postings are written: at the end it is where the next
        // word's start, and one shift puts them back.
        let mut starts = sizes;
        starts.reserve_exact(1);
        let mut total = 0u32;
        for s in starts.iter_mut() {
            let size = *s;
            *s = total;
            total += size;
        }
        let mut postings = vec![0u8; total as usize];
        let mut last = vec![0u32; vocabulary];
        for id in 0..n {
            if id % 4096 == 0 && cancelled() {
                return None;
            }
            mine.clear();
            // Every word is in the map: the first pass put it there.
            source.fields(id, &mut |fields| {
                each_link_word(fields, &mut lower, |w, bit| {
                    let id = frequent
                        .get(w)
                        .copied()
                        .or_else(|| words_map.get(w).map(|i| i as u32));
                    if let Some(id) = id {
                        mine.push((id, bit));
                    }
                });
            });
            collect(&mut mine);
            for &(w, bits) in &mine {
                let w = w as usize;
                let delta = u64::from(id - last[w]);
                let mut at = starts[w] as usize;
                put_varint(&mut postings, &mut at, delta << 4 | u64::from(bits));
                starts[w] = at as u32;
                last[w] = id;
            }
        }
        drop(last);
        drop(frequent);
        starts.insert(0, 0);
        let words = words_map;
        Some(LinkIndex {
            words,
            starts,
            postings,
            context,
            runs,
            links: n,
        })
    }

    /// Links it was built of.
    pub fn len(&self) -> usize {
        self.links as usize
    }

    /// Whether it holds no link.
    pub fn is_empty(&self) -> bool {
        self.links == 0
    }

    /// Bytes it holds (the word map, postings and runs), for the benchmarks.
    pub fn bytes(&self) -> usize {
        self.words.as_fst().as_bytes().len()
            + self.starts.len() * 4
            + self.postings.len()
            + self.runs.len() * 4
            + self
                .context
                .values()
                .map(|v| v.len() * 4 + 32)
                .sum::<usize>()
    }

    /// The words a query may match: as written, by a stem's prefix, or
    /// within its typos; each with its id.
    fn candidates(&self, relaxed: &Relaxed) -> Vec<(String, u32)> {
        let mut found: Vec<(String, u32)> = Vec::new();
        for (word, edits) in relaxed.lookups() {
            if let Some(v) = self.words.get(word) {
                found.push((word.to_string(), v as u32));
            }
            if edits > 0 {
                let dfa = typo_builder(edits).build_dfa(word);
                let typos = Typos {
                    dfa: &dfa,
                    edits: edits as u8,
                };
                take(&mut found, self.words.search(typos).into_stream());
            }
        }
        for p in relaxed.stem_prefixes() {
            let starts = fst::automaton::Str::new(p).starts_with();
            take(&mut found, self.words.search(starts).into_stream());
        }
        found.sort_unstable_by_key(|x| x.1);
        found.dedup_by_key(|x| x.1);
        found
    }

    /// Every link's match to the query, as [`Relaxed`] reads the links
    /// one by one, from the postings of the few words that count.
    pub(super) fn matches(
        &self,
        relaxed: &Relaxed,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Found {
        let n = self.links as usize;
        let terms = relaxed.len();
        let mut found = Found::new(n, terms);
        // Phrase words seen in each field of a link, for phrases of
        // several words (most are one word: those complete at once).
        let long = relaxed.has_long_phrases();
        let mut phrase_bits: hashbrown::HashMap<u32, [u128; 4]> = hashbrown::HashMap::new();
        let mut offer_link = |found: &mut Found, link: u32, m: &WordMatch, field: usize| {
            let mine = found.codes_mut(link);
            if mine.is_empty() {
                return;
            }
            relaxed.offer_word(mine, m, field);
            if m.phrase_words != 0 {
                for (k, how) in relaxed.phrases_completed(m.phrase_words) {
                    offer(mine, k, field, how);
                }
                if long {
                    phrase_bits.entry(link).or_default()[field] |= m.phrase_words;
                }
            }
        };
        for (word, id) in self.candidates(relaxed) {
            if cancelled() {
                return Found::new(0, terms);
            }
            let m = relaxed.classify(&word);
            if !m.counts() {
                continue;
            }
            let (a, b) = (self.starts[id as usize], self.starts[id as usize + 1]);
            for (link, fields) in postings(&self.postings[a as usize..b as usize]) {
                for field in 0..4 {
                    if fields & (1 << field) != 0 {
                        offer_link(&mut found, link, &m, field);
                    }
                }
            }
            for &run in self.context.get(&id).map(Vec::as_slice).unwrap_or(&[]) {
                let (a, b) = (self.runs[run as usize], self.runs[run as usize + 1]);
                for link in a..b {
                    offer_link(&mut found, link, &m, 2);
                }
            }
        }
        for (link, fields) in phrase_bits {
            for (field, bits) in fields.into_iter().enumerate() {
                for (k, how) in relaxed.phrases_completed(bits) {
                    offer(found.codes_mut(link), k, field, how);
                }
            }
        }
        found
    }
}
