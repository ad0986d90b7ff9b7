//! What a search found, kept to narrow the next key's: each strict hit
//! and what scoring it learned ([`super::Corpus::Memo`]), in parts, each
//! part of the query that last scored it.
//!
//! A query that grows keeps a subset of the hits of the one before, in
//! their order, so it narrows them in place: no key copies the hits, and
//! a search holds one list of them, not two (at a million links that list
//! is what memory peaks on). A search cut short by a newer key leaves the
//! parts it reached narrowed to its own query and the rest as they were;
//! the next key narrows them all if it narrows every query they are of,
//! else searches every candidate.

use rayon::prelude::*;

use super::{Cancelled, Hit, Query, Scorer};

/// Candidates in a part: as many as one thread scores between looks at
/// whether to stop.
const PART: usize = 1024;

/// A run of hits of one query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Part {
    /// Where its hits start.
    start: usize,
    /// How many.
    len: usize,
    /// The query they are hits of (an index into `queries`).
    query: usize,
}

/// The strict hits of the last queries, to narrow the next.
pub struct Narrowing<M> {
    /// The queries parts are of.
    queries: Vec<Query>,
    hits: Vec<Hit>,
    /// What scoring each hit learned, beside it.
    memos: Vec<M>,
    /// In order, not overlapping; hits between parts are gone.
    parts: Vec<Part>,
}

impl<M: Copy + Default + Send + Sync> Narrowing<M> {
    /// The hits of `query` over every candidate (in candidate order), each
    /// with what was learned of it.
    pub fn new(query: Query, hits: Vec<Hit>, memos: Vec<M>) -> Narrowing<M> {
        let mut n = Narrowing {
            queries: vec![query],
            hits,
            memos,
            parts: Vec::new(),
        };
        n.fit();
        n.split(0);
        n
    }

    /// Gives back what the lists hold beyond their hits, when that is
    /// much: a search reserves room for every candidate, and narrowing
    /// leaves fewer.
    fn fit(&mut self) {
        if self.hits.capacity() > self.hits.len() + self.hits.len() / 4 + 4 * PART {
            self.hits.shrink_to_fit();
            self.memos.shrink_to_fit();
        }
    }

    /// Parts of `PART` hits over all the hits, of query `query`.
    fn split(&mut self, query: usize) {
        let len = self.hits.len();
        self.parts = (0..len)
            .step_by(PART)
            .map(|start| Part {
                start,
                len: PART.min(len - start),
                query,
            })
            .collect();
    }

    /// Whether every hit `query` can have is here: it narrows every query
    /// kept, those of the parts (when no hit is left, the query that left
    /// none).
    pub fn narrowed_by(&self, query: &Query) -> bool {
        !self.queries.is_empty() && self.queries.iter().all(|q| query.narrows(q))
    }

    /// The hits left, in candidate order, when the last narrowing was not
    /// cut short (else some may be of an earlier query).
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// Hits left.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len).sum()
    }

    /// Whether none are left.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the hits of `query` (which must narrow every part: see
    /// [`Narrowing::narrowed_by`]), scoring each hit with `score` and its
    /// memo, in slices of about `slice` candidates; `found` is called with
    /// the hits of each part after its slice. Gives up between slices once
    /// `cancelled` says so, with the parts reached narrowed.
    pub fn narrow<F>(
        &mut self,
        query: &Query,
        slice: usize,
        score: F,
        cancelled: &(dyn Fn() -> bool + Sync),
        found: &mut dyn FnMut(&[Hit]),
    ) -> Result<(), Cancelled>
    where
        F: Fn(u32, &mut M, &mut Scorer) -> Option<u32> + Sync,
    {
        let mine = self.queries.len();
        self.queries.push(query.clone());
        let mut views = views(&mut self.parts, &mut self.hits, &mut self.memos);
        let mut done = 0;
        while done < views.len() {
            if cancelled() {
                self.forget_unused_queries();
                return Err(Cancelled);
            }
            let mut end = done;
            let mut size = 0;
            while end < views.len() && size < slice {
                size += views[end].0.len;
                end += 1;
            }
            views[done..end].par_iter_mut().for_each_init(
                Scorer::default,
                |scorer, (part, hits, memos)| {
                    let mut kept = 0;
                    for at in 0..part.len {
                        let id = hits[at].id;
                        let mut memo = memos[at];
                        if let Some(s) = score(id, &mut memo, scorer) {
                            // `kept` ≤ `at`: what is overwritten was read.
                            hits[kept] = Hit { id, score: s };
                            memos[kept] = memo;
                            kept += 1;
                        }
                    }
                    part.len = kept;
                    part.query = mine;
                },
            );
            for (part, hits, _) in &views[done..end] {
                found(&hits[..part.len]);
            }
            done = end;
        }
        drop(views);
        self.close_gaps(mine);
        Ok(())
    }

    /// Moves the hits together, drops the queries they no longer are of,
    /// and splits them into parts anew (narrowing leaves parts small).
    fn close_gaps(&mut self, query: usize) {
        let mut at = 0;
        for p in &self.parts {
            self.hits.copy_within(p.start..p.start + p.len, at);
            self.memos.copy_within(p.start..p.start + p.len, at);
            at += p.len;
        }
        self.hits.truncate(at);
        self.memos.truncate(at);
        self.fit();
        let q = self.queries.swap_remove(query);
        self.queries = vec![q];
        self.split(0);
    }

    /// Drops the queries no part is of, so searches cut short one after
    /// another do not pile them up.
    fn forget_unused_queries(&mut self) {
        let mut map = vec![usize::MAX; self.queries.len()];
        let mut kept = Vec::new();
        for p in &mut self.parts {
            if map[p.query] == usize::MAX {
                map[p.query] = kept.len();
                kept.push(p.query);
            }
            p.query = map[p.query];
        }
        let mut old: Vec<Option<Query>> = std::mem::take(&mut self.queries)
            .into_iter()
            .map(Some)
            .collect();
        self.queries = kept.iter().filter_map(|&q| old[q].take()).collect();
    }
}

/// Each part with its hits and memos, to change apart from the others.
fn views<'a, M>(
    parts: &'a mut [Part],
    mut hits: &'a mut [Hit],
    mut memos: &'a mut [M],
) -> Vec<(&'a mut Part, &'a mut [Hit], &'a mut [M])> {
    let mut out = Vec::with_capacity(parts.len());
    let mut offset = 0;
    for part in parts {
        let skip = part.start - offset;
        let (_, rest) = std::mem::take(&mut hits).split_at_mut(skip);
        let (mine, rest) = rest.split_at_mut(part.len);
        hits = rest;
        let (_, rest) = std::mem::take(&mut memos).split_at_mut(skip);
        let (my_memos, rest) = rest.split_at_mut(part.len);
        memos = rest;
        offset = part.start + part.len;
        out.push((part, mine, my_memos));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores a candidate of these words as `q` does, counting in its memo
    /// how often it was scored.
    fn scorer<'a>(
        words: &'a [String],
        q: &str,
    ) -> impl Fn(u32, &mut u32, &mut Scorer) -> Option<u32> + Sync + 'a {
        let q = Query::new(q);
        move |id, times_scored, s| {
            *times_scored += 1;
            s.score(&q, &[words[id as usize].as_str()])
        }
    }

    fn words(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| match i % 4 {
                0 => format!("kubernetes {i}"),
                1 => format!("kube {i}"),
                2 => format!("kafka {i}"),
                _ => format!("redis {i}"),
            })
            .collect()
    }

    fn ids(n: &Narrowing<u32>) -> Vec<u32> {
        n.hits().iter().map(|h| h.id).collect()
    }

    /// The narrowing after a whole search for `q` over `words`.
    fn searched(words: &[String], q: &str) -> Narrowing<u32> {
        let score = scorer(words, q);
        let mut scorer_ = Scorer::default();
        let mut hits = Vec::new();
        let mut memos = Vec::new();
        for id in 0..words.len() as u32 {
            let mut memo = 0;
            if let Some(s) = score(id, &mut memo, &mut scorer_) {
                hits.push(Hit { id, score: s });
                memos.push(memo);
            }
        }
        Narrowing::new(Query::new(q), hits, memos)
    }

    #[test]
    fn narrowing_in_place_keeps_the_hits_of_the_longer_query_in_order() {
        let w = words(5000);
        let mut n = searched(&w, "ku");
        assert_eq!(n.len(), 2500);
        let q = Query::new("kuber");
        assert!(n.narrowed_by(&q));
        let mut seen = 0;
        n.narrow(&q, 700, scorer(&w, "kuber"), &|| false, &mut |h| {
            seen += h.len()
        })
        .expect("not cut short");
        assert_eq!(seen, 1250);
        let want: Vec<u32> = (0..5000).step_by(4).collect();
        assert_eq!(ids(&n), want);
        // Each memo went with its hit: scored twice, by `ku` and `kuber`.
        assert!(n.memos.iter().all(|&m| m == 2));
        assert_eq!(n.parts.len(), 2);
        assert!(!n.narrowed_by(&Query::new("kafka")));
        // Narrowed to nothing, it still knows what it narrowed.
        n.narrow(
            &Query::new("kubernetez"),
            700,
            scorer(&w, "kubernetez"),
            &|| false,
            &mut |_| {},
        )
        .expect("not cut short");
        assert!(n.is_empty());
        assert!(!n.narrowed_by(&Query::new("kube")));
        assert!(n.narrowed_by(&Query::new("kubernetez 1")));
    }

    #[test]
    fn a_narrowing_cut_short_narrows_on_from_each_parts_own_query() {
        let w = words(10_000);
        let mut n = searched(&w, "k");
        assert_eq!(n.len(), 7500);
        // Cut short after the first slice: the parts it reached are of
        // `ku`, the rest still of `k`.
        let slices = std::sync::atomic::AtomicBool::new(false);
        let stop = || slices.load(std::sync::atomic::Ordering::Relaxed);
        let result = n.narrow(
            &Query::new("ku"),
            2048,
            scorer(&w, "ku"),
            &stop,
            &mut |_| slices.store(true, std::sync::atomic::Ordering::Relaxed),
        );
        assert_eq!(result, Err(Cancelled));
        assert_eq!(n.queries.len(), 2);
        assert!(n.len() < 7500 && n.len() > 5000, "{}", n.len());
        // `kub` narrows both `k` and `ku`; `kafka` only `k`.
        assert!(!n.narrowed_by(&Query::new("kafka")));
        assert!(n.narrowed_by(&Query::new("kub")));
        n.narrow(
            &Query::new("kub"),
            2048,
            scorer(&w, "kub"),
            &|| false,
            &mut |_| {},
        )
        .expect("not cut short");
        let want: Vec<u32> = (0..10_000).filter(|i| i % 4 < 2).collect();
        assert_eq!(ids(&n), want);
        assert_eq!(n.queries.len(), 1);
        assert_eq!(n.len(), 5000);
    }
}
