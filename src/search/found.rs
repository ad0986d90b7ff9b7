//! What the ranked search found, kept compactly: each entry's match to
//! every term side by side (a byte a term), how the entries rank, and one
//! order of them with the strict hits. A search is what memory peaks on,
//! so a million links of a two-word query take 2 MB here, where a list of
//! `(id, codes)` took 20 bytes a match; the merge writes each hit's key
//! once, in its place, and hands on ids alone.

use std::borrow::Cow;

use rayon::prelude::*;

use super::Hit;
use super::relaxed::{Explained, How, MAX_TERMS, PAGE_FIELD, VALUES, WAYS, is_near};

/// Each entry's match: for each term a code, 0 for none, else
/// `field * WAYS + how` ([`How`] counts from 1). An entry whose codes are
/// all 0 matched nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    terms: usize,
    entries: usize,
    codes: Vec<u8>,
}

impl Found {
    /// `entries` entries matching nothing yet, of a query of `terms` terms.
    pub fn new(entries: usize, terms: usize) -> Found {
        let terms = terms.min(MAX_TERMS);
        Found {
            terms,
            entries,
            codes: vec![0; entries * terms],
        }
    }

    /// Terms of the query.
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// Entries, matched or not.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Entry `id`'s codes (none past the end).
    pub fn codes(&self, id: u32) -> &[u8] {
        let at = id as usize * self.terms;
        self.codes.get(at..at + self.terms).unwrap_or_default()
    }

    /// Entry `id`'s codes, to change (none past the end).
    pub fn codes_mut(&mut self, id: u32) -> &mut [u8] {
        let at = id as usize * self.terms;
        self.codes.get_mut(at..at + self.terms).unwrap_or_default()
    }

    /// Adds entries, matching nothing, up to `entries` in all.
    pub fn grow(&mut self, entries: usize) {
        if entries > self.entries {
            self.entries = entries;
            self.codes.resize(entries * self.terms, 0);
        }
    }

    /// Every entry's codes with its id, in parallel, to fill in.
    pub fn par_entries_mut(&mut self) -> impl IndexedParallelIterator<Item = (u32, &mut [u8])> {
        // Chunks of one byte when there are no terms: then no entry exists.
        let size = self.terms.max(1);
        self.codes
            .par_chunks_mut(size)
            .enumerate()
            .map(|(id, c)| (id as u32, c))
    }

    /// The entries that match something, with their codes, in id order.
    pub fn matched(&self) -> impl Iterator<Item = (u32, &[u8])> + '_ {
        self.codes
            .chunks_exact(self.terms.max(1))
            .enumerate()
            .filter(|(_, c)| matches_any(c))
            .map(|(id, c)| (id as u32, c))
    }

    /// Whether entry `id` matches something.
    pub fn holds(&self, id: u32) -> bool {
        matches_any(self.codes(id))
    }

    /// Sets near matches (typos, prefixes) aside for each term some entry
    /// matches as it stands: a word the notebook holds as typed (or by stem
    /// or synonym) was not mistyped, and its near neighbours (`steam` for
    /// `stream`, `home` for `some`, `cloud` in `cloudflare`) are noise.
    pub fn settle_typos(&mut self) {
        let terms = self.terms;
        if terms == 0 {
            return;
        }
        let (typed, near) = self
            .codes
            .par_chunks(terms * 4096)
            .map(|chunk| {
                let mut seen = ([false; MAX_TERMS], [false; MAX_TERMS]);
                for m in chunk.chunks_exact(terms) {
                    for (k, &c) in m.iter().enumerate() {
                        // A page holds almost any word whole: only a link's
                        // own words say a word was typed whole.
                        seen.0[k] |= c > 0 && !is_near(c) && field_of(c) != PAGE_FIELD;
                        seen.1[k] |= is_near(c);
                    }
                }
                seen
            })
            .reduce(
                || ([false; MAX_TERMS], [false; MAX_TERMS]),
                |a, b| {
                    let or = |x: [bool; MAX_TERMS], y: [bool; MAX_TERMS]| {
                        std::array::from_fn(|k| x[k] || y[k])
                    };
                    (or(a.0, b.0), or(a.1, b.1))
                },
            );
        // A million entries are looked at again only if some will change.
        if !typed.iter().zip(&near).any(|(&t, &n)| t && n) {
            return;
        }
        self.codes.par_chunks_mut(terms * 4096).for_each(|chunk| {
            for c in chunk.iter_mut().enumerate().filter_map(|(i, c)| {
                let k = i % terms;
                (typed[k] && is_near(*c)).then_some(c)
            }) {
                *c = 0;
            }
        });
    }

    /// Sets entry `id` aside: it matches nothing now.
    pub fn clear(&mut self, id: u32) {
        self.codes_mut(id).fill(0);
    }

    /// What entry `id`'s match says: for each term, the field and how.
    pub fn explained(&self, id: u32) -> Explained {
        explained(self.codes(id))
    }
}

/// Whether codes match anything.
fn matches_any(codes: &[u8]) -> bool {
    codes.iter().any(|&c| c > 0)
}

/// The field a code (not 0) is of.
fn field_of(c: u8) -> usize {
    (c as usize - 1) / WAYS
}

/// Codes, read out: for each term, the field and how it matched.
pub fn explained(codes: &[u8]) -> Explained {
    let how = [How::Prefix, How::Typo, How::Synonym, How::Stem, How::Exact];
    codes
        .iter()
        .map(|&c| (c > 0).then(|| (field_of(c), how[(c as usize - 1) % WAYS])))
        .collect()
}

/// How entries rank: most terms matched first, then the sum of each
/// term's weight (how it matched times its rarity among `n` entries:
/// inverse document frequency).
pub struct Weights {
    idf: [f32; MAX_TERMS],
    terms: usize,
}

impl Weights {
    /// The weights of the terms of what was found among `n` entries.
    pub fn of(found: &Found, n: usize) -> Weights {
        let terms = found.terms;
        let df = found
            .codes
            .par_chunks(terms.max(1) * 4096)
            .map(|chunk| {
                let mut df = [0usize; MAX_TERMS];
                for m in chunk.chunks_exact(terms.max(1)) {
                    for (d, &c) in df.iter_mut().zip(m) {
                        *d += usize::from(c > 0);
                    }
                }
                df
            })
            .reduce(
                || [0; MAX_TERMS],
                |a, b| std::array::from_fn(|k| a[k] + b[k]),
            );
        let total = n.max(1) as f32;
        let idf = std::array::from_fn(|k| {
            let d = df[k] as f32;
            ((total - d + 0.5) / (d + 0.5) + 1.0).ln()
        });
        Weights { idf, terms }
    }

    /// An entry's score: the terms it holds in the top bits, their weights
    /// below (0 when it holds none).
    pub fn score(&self, codes: &[u8]) -> u32 {
        let count = codes.iter().filter(|&&c| c > 0).count() as u32;
        let s: f32 = codes
            .iter()
            .zip(&self.idf[..self.terms])
            .map(|(&c, w)| w * VALUES[c as usize])
            .sum();
        count << 20 | (s * 100.0).min(1_048_575.0) as u32
    }
}

/// The entries that matched something ranked as [`Weights`] says, best
/// first, ties to the lower id; `n` entries weigh the terms.
pub fn rank(found: &Found, n: usize) -> Vec<Hit> {
    let weights = Weights::of(found, n);
    let mut hits: Vec<Hit> = found
        .matched()
        .map(|(id, codes)| Hit {
            id,
            score: weights.score(codes),
        })
        .collect();
    hits.par_sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    hits
}

/// Levels of the merge: each number of terms a hit holds.
const LEVELS: usize = MAX_TERMS + 1;

/// Groups of the merge: for each level, the strict hits then the others;
/// then the strict hits the ranking does not hold.
const GROUPS: usize = 2 * LEVELS + 1;

/// The group of the strict hits the ranking does not hold.
const UNSEEN: usize = 2 * LEVELS;

/// One ranking of both, as ids: most terms held first; among entries
/// holding as many, those that hold every term as fzf matches them
/// (`strict` hits: a title, a prefix of it, company and year) first, in the
/// strict order (the higher strict score, then the lower id), then the
/// others by weight; strict hits `found` does not hold (letters scattered
/// in a title) follow, in the strict order. `n` entries weigh the terms.
/// (A strict hit once counted a term more: letters of a word scattered
/// through a URL then beat a title holding both words.)
pub fn merge(strict: &[Hit], found: &Found, n: usize) -> Vec<u32> {
    // The strict hits come in candidate order, ids ascending: one walk
    // beside the entries pairs them, with no table by id.
    let strict: Cow<'_, [Hit]> = if strict.is_sorted_by_key(|h| h.id) {
        Cow::Borrowed(strict)
    } else {
        let mut s = strict.to_vec();
        s.sort_unstable_by_key(|h| h.id);
        Cow::Owned(s)
    };
    let weights = Weights::of(found, n);
    // Each hit's group (best first) and its order in it, smallest first:
    // strict hits by their order, the others by their weight (ties go to
    // the lower id). Strict hits `found` does not hold come last.
    let place = |codes: &[u8], strict: Option<u32>| -> (usize, u32) {
        if !matches_any(codes) {
            return (UNSEEN, strict.map_or(0, |s| !s));
        }
        let score = weights.score(codes);
        let count = (score >> 20) as usize;
        let rest = score & 0xF_FFFF;
        let level = count.min(LEVELS - 1);
        match strict {
            Some(s) => ((LEVELS - 1 - level) * 2, !s),
            None => ((LEVELS - 1 - level) * 2 + 1, 0xF_FFFF - rest),
        }
    };
    // Two walks: the first counts each group, the second writes each key
    // in its place. Keys built first and moved after would take twice
    // the memory.
    let mut starts = [0usize; GROUPS + 1];
    walk(&strict, found, |_, codes, s| {
        starts[place(codes, s).0 + 1] += 1
    });
    for g in 1..starts.len() {
        starts[g] += starts[g - 1];
    }
    // Each key two halves, the order then the id, so that once sorted the
    // ids move down into the same memory: the result takes no more.
    let total = starts[GROUPS];
    let mut out = vec![0u32; 2 * total];
    let (keys, _) = out.as_chunks_mut::<2>();
    let mut at = starts;
    walk(&strict, found, |id, codes, s| {
        let (g, order) = place(codes, s);
        keys[at[g]] = [order, id];
        at[g] += 1;
    });
    let mut groups: Vec<&mut [[u32; 2]]> = Vec::with_capacity(GROUPS);
    let mut left = &mut keys[..];
    for g in 0..GROUPS {
        let (group, after) = left.split_at_mut(starts[g + 1] - starts[g]);
        groups.push(group);
        left = after;
    }
    groups.into_par_iter().for_each(|g| {
        g.par_sort_unstable_by_key(|&[order, id]| u64::from(order) << 32 | u64::from(id))
    });
    // The id of key `i` is at `2i + 1`, at or after `i`: read before
    // it is written over.
    for i in 0..total {
        out[i] = out[2 * i + 1];
    }
    out.truncate(total);
    out.shrink_to_fit();
    out
}

/// Calls `f` with each entry that `found` holds or `strict` (sorted by
/// id) has, in id order: its id, codes (empty past `found`'s end) and
/// strict score.
fn walk(strict: &[Hit], found: &Found, mut f: impl FnMut(u32, &[u8], Option<u32>)) {
    let mut next = strict.iter().peekable();
    for (id, codes) in found.codes.chunks_exact(found.terms.max(1)).enumerate() {
        let id = id as u32;
        let mut s = None;
        while let Some(h) = next.next_if(|h| h.id <= id) {
            if h.id == id {
                s = Some(h.score);
            }
        }
        if s.is_some() || matches_any(codes) {
            f(id, codes, s);
        }
    }
    for h in next {
        f(h.id, &[], Some(h.score));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::relaxed::as_page_code;

    /// A found set of one-term entries.
    fn one_term(codes: &[(u32, u8)], entries: usize) -> Found {
        let mut f = Found::new(entries, 1);
        for &(id, c) in codes {
            f.codes_mut(id)[0] = c;
        }
        f
    }

    fn ids(found: &Found) -> Vec<u32> {
        found.matched().map(|(id, _)| id).collect()
    }

    /// A code of `how` in `field`.
    fn code(field: usize, how: How) -> u8 {
        (field * WAYS) as u8 + how as u8
    }

    #[test]
    fn a_word_whole_on_a_page_does_not_set_aside_a_prefix_in_a_title() {
        let prefix_in_title = code(0, How::Prefix);
        let whole_on_a_page = as_page_code(How::Exact as u8);
        assert_eq!(
            whole_on_a_page as usize,
            PAGE_FIELD * WAYS + How::Exact as usize
        );
        let mut found = one_term(&[(1, prefix_in_title), (2, whole_on_a_page)], 4);
        found.settle_typos();
        assert_eq!(ids(&found), [1, 2]);
        // A word whole in a link's own text does.
        let mut found = one_term(&[(1, prefix_in_title), (3, code(1, How::Exact))], 4);
        found.settle_typos();
        assert_eq!(ids(&found), [3]);
    }

    #[test]
    fn typos_go_only_for_the_terms_some_entry_holds_as_typed() {
        let mut found = Found::new(3, 2);
        found
            .codes_mut(0)
            .copy_from_slice(&[code(0, How::Typo), code(1, How::Typo)]);
        found.codes_mut(1).copy_from_slice(&[code(1, How::Stem), 0]);
        found
            .codes_mut(2)
            .copy_from_slice(&[code(2, How::Prefix), 0]);
        found.settle_typos();
        // The first term was typed (entry 1 holds it by stem): its near
        // matches go, and entry 2 with them; the second term was not.
        assert_eq!(found.codes(0), [0, code(1, How::Typo)]);
        assert_eq!(ids(&found), [0, 1]);
        assert_eq!(
            found.explained(0),
            [None, Some((1, How::Typo))],
            "field and way read back"
        );
    }

    #[test]
    fn ranks_by_terms_held_then_weight_then_id() {
        let mut found = Found::new(5, 2);
        found
            .codes_mut(0)
            .copy_from_slice(&[code(3, How::Exact), 0]);
        found
            .codes_mut(1)
            .copy_from_slice(&[code(0, How::Exact), 0]);
        found
            .codes_mut(2)
            .copy_from_slice(&[code(3, How::Typo), code(3, How::Typo)]);
        found
            .codes_mut(4)
            .copy_from_slice(&[code(0, How::Exact), 0]);
        let ranked: Vec<u32> = rank(&found, 5).iter().map(|h| h.id).collect();
        assert_eq!(ranked, [2, 1, 4, 0]);
        // Two terms held count 2 in the top bits.
        assert_eq!(rank(&found, 5)[0].score >> 20, 2);
    }

    #[test]
    fn merge_orders_by_terms_then_strict_hits_then_weight() {
        // Entries 1..=7 ranked: two terms or one, of weights by field.
        let mut found = Found::new(10, 2);
        let both = |f: usize| [code(f, How::Exact), code(f, How::Exact)];
        let first = |f: usize| [code(f, How::Exact), 0];
        found.codes_mut(1).copy_from_slice(&both(3));
        found.codes_mut(2).copy_from_slice(&first(2));
        found.codes_mut(3).copy_from_slice(&both(1));
        found.codes_mut(4).copy_from_slice(&both(1));
        found.codes_mut(5).copy_from_slice(&first(0));
        found.codes_mut(6).copy_from_slice(&both(4));
        found.codes_mut(7).copy_from_slice(&first(2));
        let strict = [
            Hit { id: 2, score: 100 },
            Hit { id: 3, score: 5 },
            Hit { id: 6, score: 100 },
            Hit { id: 7, score: 300 },
            Hit { id: 8, score: 1000 },
            Hit { id: 9, score: 1000 },
        ];
        // Both terms: strict hits first (6, 3: strict order), then by
        // weight (4, 1); one term: strict (7, 2) then 5; then strict hits
        // the ranking did not see (8, 9: ties to the lower id).
        let want = vec![6, 3, 4, 1, 7, 2, 5, 8, 9];
        assert_eq!(merge(&strict, &found, 10), want);
        // Strict hits in another order merge alike.
        let mut shuffled = strict.to_vec();
        shuffled.reverse();
        assert_eq!(merge(&shuffled, &found, 10), want);
        // A strict hit past the found entries (none held) still follows.
        let past = [Hit { id: 12, score: 1 }];
        assert_eq!(merge(&past, &found, 10), vec![3, 4, 1, 6, 5, 2, 7, 12]);
    }
}
