//! Searching off the UI thread: the newest query wins, stale ones stop early,
//! and a query that only grew narrows the previous results.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::narrowing::Narrowing;
use super::{
    Cancelled, Candidates, Hit, Query, Scorer, filter, score_all, score_all_memo, sort_hits,
};

/// The candidates a worker searches.
pub trait Corpus: Send + Sync {
    /// Work shared by all candidates of one query, such as scoring heading paths once.
    type Prepared: Sync;
    /// What scoring a candidate learns of it that holds for every query
    /// (where its text is), kept for the next query while the results
    /// narrow; `()` where nothing is worth keeping.
    type Memo: Copy + Default + Send + Sync;
    /// Number of candidates.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many candidates can match at all: the total shown beside the hits.
    fn searchable(&self) -> usize {
        self.len()
    }
    /// Whether candidate `id` can match at all: an empty query lists these.
    fn holds(&self, _id: u32, _scorer: &mut Scorer) -> bool {
        true
    }
    /// Does the shared work of a query.
    fn prepare(&self, query: &Query, scorer: &mut Scorer) -> Self::Prepared;
    /// The ids of the strict hits of `query` (in candidate order) merged
    /// with a ranking by how much of it each candidate holds, best first;
    /// `None` where the corpus ranks strictly only. Gives up, `None`, once
    /// `cancelled` says so.
    fn relaxed(
        &self,
        _query: &str,
        _strict: &[Hit],
        _cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<u32>> {
        None
    }
    /// Scores candidate `id`.
    fn score(
        &self,
        prepared: &Self::Prepared,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32>;
    /// Scores candidate `id` as [`Corpus::score`] does, with what an
    /// earlier query learned of it in `memo` (the default when nothing),
    /// and keeps there what it learns.
    fn score_memo(
        &self,
        prepared: &Self::Prepared,
        query: &Query,
        id: u32,
        _memo: &mut Self::Memo,
        scorer: &mut Scorer,
    ) -> Option<u32> {
        self.score(prepared, query, id, scorer)
    }
}

/// Searches a whole corpus at once, best first (the one-shot CLI search).
pub fn search_all<C: Corpus>(corpus: &C, query: &Query) -> Vec<Hit> {
    if query.is_empty() {
        return every(corpus)
            .into_iter()
            .map(|id| Hit { id, score: 0 })
            .collect();
    }
    let prepared = corpus.prepare(query, &mut Scorer::default());
    filter(
        corpus.len(),
        None,
        |id, scorer| corpus.score(&prepared, query, id, scorer),
        &|| false,
    )
    .unwrap_or_default()
}

/// The id of every candidate that can match, in order.
fn every<C: Corpus>(corpus: &C) -> Vec<u32> {
    let mut scorer = Scorer::default();
    (0..corpus.len() as u32)
        .filter(|&id| corpus.holds(id, &mut scorer))
        .collect()
}

/// Results of one query sent back by a [`SearchWorker`].
#[derive(Debug)]
pub struct Results {
    /// The query they answer.
    pub query: String,
    /// The ids of the matches, best first (while `done` is false: of the
    /// best found so far).
    pub hits: Vec<u32>,
    /// Candidates in all.
    pub total: usize,
    /// Sequence number of the request.
    pub generation: u64,
    /// False while the search is still going: more answers will follow.
    pub done: bool,
}

/// Candidates scored between looks at the clock and the newest request.
const SLICE: usize = 32 * 1024;
/// When a long search first shows what it has found so far, and how often after.
const FIRST_PROGRESS: Duration = Duration::from_millis(8);
/// How often a long search shows what it has found so far.
const PROGRESS_EVERY: Duration = Duration::from_millis(25);
/// How many of the best matches a progress answer carries.
const PROGRESS_HITS: usize = 1000;
/// How long the worker waits, idle after a search, before it gives the
/// memory the search passed through back to the system.
const GIVE_BACK_AFTER: Duration = Duration::from_secs(2);

/// The best hits found so far: at most twice `PROGRESS_HITS`, so that
/// showing progress never goes over all the hits found.
#[derive(Default)]
struct Leaders {
    hits: Vec<Hit>,
    /// The worst of the `PROGRESS_HITS` best when last counted: a hit
    /// no better is not one of the best.
    floor: Option<Hit>,
}

/// Whether `a` ranks before `b`: the higher score, then the lower id.
fn before(a: &Hit, b: &Hit) -> bool {
    (b.score, a.id) < (a.score, b.id)
}

impl Leaders {
    /// Counts in more hits.
    fn add(&mut self, part: &[Hit]) {
        match self.floor {
            Some(floor) => self
                .hits
                .extend(part.iter().filter(|h| before(h, &floor)).copied()),
            None => self.hits.extend_from_slice(part),
        }
        if self.hits.len() > 2 * PROGRESS_HITS {
            let (_, &mut worst, _) = self.hits.select_nth_unstable_by(PROGRESS_HITS - 1, |a, b| {
                b.score.cmp(&a.score).then(a.id.cmp(&b.id))
            });
            self.hits.truncate(PROGRESS_HITS);
            self.floor = Some(worst);
        }
    }

    /// The `PROGRESS_HITS` best, sorted.
    fn sorted(&self) -> Vec<Hit> {
        best(&self.hits, PROGRESS_HITS)
    }
}

/// Calls `progress` with the best hits so far when one is due: first
/// after `FIRST_PROGRESS`, then every `PROGRESS_EVERY`.
struct Progress<'a> {
    leaders: Leaders,
    last: Instant,
    wait: Duration,
    progress: &'a mut dyn FnMut(Vec<Hit>),
}

impl Progress<'_> {
    /// Counts in more hits, and shows the best so far if due.
    fn add(&mut self, hits: &[Hit]) {
        self.leaders.add(hits);
        if self.last.elapsed() >= self.wait {
            (self.progress)(self.leaders.sorted());
            self.last = Instant::now();
            self.wait = PROGRESS_EVERY;
        }
    }
}

/// Searches in slices, calling `progress` with the best matches so far every
/// `PROGRESS_EVERY`, so a search over a million links shows results at once
/// and refines them. A query that narrows what `previous` holds narrows it
/// in place; any other searches every candidate, `previous` gone first.
/// Either way `previous` then holds the hits of `query`; gives back the
/// best of them, sorted. Cut short, `previous` holds what narrowing
/// reached (see [`Narrowing`]), or nothing.
fn stream<C: Corpus>(
    corpus: &C,
    query: &Query,
    previous: &mut Option<Narrowing<C::Memo>>,
    cancelled: &(dyn Fn() -> bool + Sync),
    progress: &mut dyn FnMut(Vec<Hit>),
) -> Result<Vec<Hit>, Cancelled> {
    let prepared = corpus.prepare(query, &mut Scorer::default());
    let mut shown = Progress {
        leaders: Leaders::default(),
        last: Instant::now(),
        wait: FIRST_PROGRESS,
        progress,
    };
    if let Some(narrowing) = previous.as_mut().filter(|p| p.narrowed_by(query)) {
        narrowing.narrow(
            query,
            SLICE,
            |id, memo, scorer| corpus.score_memo(&prepared, query, id, memo, scorer),
            cancelled,
            &mut |hits| shown.add(hits),
        )?;
        return Ok(shown.leaders.sorted());
    }
    // Not narrowed: what the query before found goes before this one's
    // hits come.
    *previous = None;
    let n = corpus.len();
    // At most every candidate: sized once, the lists are never copied as
    // they grow, and pages never written stay out of memory.
    let mut hits = Vec::with_capacity(n);
    let mut learned = Vec::with_capacity(n);
    let mut start = 0;
    while start < n {
        let end = (start + SLICE).min(n);
        let (part, memos) = score_all_memo(
            Candidates::Range(start as u32, end as u32),
            None,
            |id, memo, scorer| corpus.score_memo(&prepared, query, id, memo, scorer),
            cancelled,
        )?;
        shown.add(&part);
        hits.extend(part);
        learned.extend(memos);
        start = end;
    }
    if cancelled() {
        return Err(Cancelled);
    }
    *previous = Some(Narrowing::new(query.clone(), hits, learned));
    Ok(shown.leaders.sorted())
}

/// The `k` best hits, sorted.
fn best(hits: &[Hit], k: usize) -> Vec<Hit> {
    let mut top = hits.to_vec();
    if top.len() > k {
        top.select_nth_unstable_by(k, |a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
        top.truncate(k);
    }
    sort_hits(&mut top);
    top
}

/// A search thread over one corpus.
pub struct SearchWorker {
    requests: mpsc::Sender<(u64, String)>,
    generation: Arc<AtomicU64>,
    /// Answers, in the order they were found.
    pub results: mpsc::Receiver<Results>,
    next: u64,
}

impl SearchWorker {
    /// Starts a worker; `wake` is called after each answer so the UI can redraw.
    pub fn start<C: Corpus + 'static>(
        corpus: Arc<C>,
        wake: impl Fn() + Send + 'static,
    ) -> SearchWorker {
        let (req_tx, req_rx) = mpsc::channel::<(u64, String)>();
        let (res_tx, res_rx) = mpsc::channel();
        let generation = Arc::new(AtomicU64::new(0));
        let latest = Arc::clone(&generation);
        let spawned = std::thread::Builder::new()
            .name("opsbook-search".into())
            .spawn(move || {
                // The strict hits of the last queries, to narrow the next.
                let mut previous: Option<Narrowing<C::Memo>> = None;
                // Whether a search ran since memory was last given back.
                let mut searched = false;
                loop {
                    let mut request = match req_rx.recv_timeout(GIVE_BACK_AFTER) {
                        Ok(request) => request,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            // What searches passed through goes back to the
                            // system once nobody types: giving it back
                            // after each key would make the next one take
                            // fresh pages again.
                            if std::mem::take(&mut searched) {
                                crate::memory::give_back_free_pages();
                            }
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    };
                    // Only the newest waiting request matters.
                    while let Ok(newer) = req_rx.try_recv() {
                        request = newer;
                    }
                    let (generation, text) = request;
                    let query = Query::new(&text);
                    let total = corpus.searchable();
                    let stale = || latest.load(Ordering::Relaxed) != generation;
                    let mut progress = |hits: Vec<Hit>| {
                        let _ = res_tx.send(Results {
                            query: text.clone(),
                            hits: hits.iter().map(|h| h.id).collect(),
                            total,
                            generation,
                            done: false,
                        });
                        wake();
                    };
                    searched = true;
                    let ids = if query.is_empty() {
                        previous = None;
                        every(corpus.as_ref())
                    } else {
                        let Ok(leaders) = stream(
                            corpus.as_ref(),
                            &query,
                            &mut previous,
                            &stale,
                            &mut progress,
                        ) else {
                            continue;
                        };
                        let Some(hits) = previous.as_ref().map(Narrowing::hits) else {
                            continue;
                        };
                        if stale() {
                            continue;
                        }
                        // The best strict hits show at once; the ranking
                        // by how much of the query each link holds
                        // follows, if not stale.
                        progress(leaders);
                        match corpus.relaxed(&text, hits, &stale) {
                            Some(merged) => merged,
                            None => {
                                let mut sorted = hits.to_vec();
                                sort_hits(&mut sorted);
                                sorted.iter().map(|h| h.id).collect()
                            }
                        }
                    };
                    if stale() {
                        continue;
                    }
                    let answer = Results {
                        query: text,
                        hits: ids,
                        total,
                        generation,
                        done: true,
                    };
                    if res_tx.send(answer).is_err() {
                        return;
                    }
                    wake();
                }
            });
        if let Err(e) = spawned {
            // Without a thread the UI shows no results; say why instead of panicking.
            eprintln!("opsbook: cannot start the search thread: {e}");
        }
        SearchWorker {
            requests: req_tx,
            generation,
            results: res_rx,
            next: 0,
        }
    }

    /// Asks for a search; earlier requests still running are abandoned.
    pub fn search(&mut self, query: &str) -> u64 {
        self.next += 1;
        self.generation.store(self.next, Ordering::Relaxed);
        // Sending fails only if the thread is gone, and then there is nobody to answer.
        let _ = self.requests.send((self.next, query.to_string()));
        self.next
    }

    /// The newest answer that has arrived, if any.
    pub fn latest(&self) -> Option<Results> {
        self.results.try_iter().last()
    }
}

/// Link ids matching a query, best first: those that hold every term (as
/// fzf matches), then those ranked by how much of the query they hold
/// ([`super::relaxed`]: word forms, ops vocabulary, typos).
pub fn search_links(notebook: &crate::notebook::Notebook, query: &str) -> Vec<u32> {
    search_ranked(&super::LinkCorpus::new(notebook), query)
}

/// Ids of a corpus matching a query, best first, as the worker finds them:
/// the strict hits merged with the ranked ones where the corpus ranks.
pub fn search_ranked<C: Corpus>(corpus: &C, query: &str) -> Vec<u32> {
    let q = Query::new(query);
    if q.is_empty() {
        return search_all(corpus, &q).into_iter().map(|h| h.id).collect();
    }
    let prepared = corpus.prepare(&q, &mut Scorer::default());
    let mut strict = score_all(
        Candidates::Range(0, corpus.len() as u32),
        |id, scorer| corpus.score(&prepared, &q, id, scorer),
        &|| false,
    )
    .unwrap_or_default();
    match corpus.relaxed(query, &strict, &|| false) {
        Some(merged) => merged,
        None => {
            sort_hits(&mut strict);
            strict.into_iter().map(|h| h.id).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Words(Vec<&'static str>);

    impl Corpus for Words {
        type Prepared = ();
        type Memo = ();
        fn len(&self) -> usize {
            self.0.len()
        }
        fn prepare(&self, _: &Query, _: &mut Scorer) {}
        fn score(&self, _: &(), query: &Query, id: u32, scorer: &mut Scorer) -> Option<u32> {
            scorer.score(query, &[self.0[id as usize]])
        }
    }

    fn answer(w: &SearchWorker, generation: u64) -> Results {
        loop {
            let r = w.results.recv().expect("worker alive");
            if r.generation == generation && r.done {
                return r;
            }
        }
    }

    #[test]
    fn best_keeps_the_top_hits_in_order() {
        let hits: Vec<Hit> = (0..10).map(|id| Hit { id, score: id % 4 }).collect();
        let top: Vec<(u32, u32)> = best(&hits, 3)
            .into_iter()
            .map(|h| (h.id, h.score))
            .collect();
        assert_eq!(top, vec![(3, 3), (7, 3), (2, 2)]);
    }

    #[test]
    fn the_leaders_of_slices_are_the_best_of_all() {
        let hits: Vec<Hit> = (0..5_000u32)
            .map(|id| Hit {
                id,
                score: id.wrapping_mul(2_654_435_761) % 997,
            })
            .collect();
        let mut leaders = Leaders::default();
        for part in [&hits[..1_500], &hits[1_500..1_600], &hits[1_600..]] {
            leaders.add(part);
            assert!(leaders.hits.len() <= 2 * PROGRESS_HITS);
        }
        let sorted = leaders.sorted();
        assert_eq!(sorted, best(&hits, PROGRESS_HITS));
        // Counted in small parts, as narrowing gives them, alike.
        let mut small = Leaders::default();
        for part in hits.chunks(7) {
            small.add(part);
        }
        assert_eq!(small.sorted(), sorted);
        assert_eq!(sorted.len(), PROGRESS_HITS);
        assert_eq!(sorted[0].score, 996);
    }

    #[test]
    fn long_searches_report_progress_before_the_end() {
        struct Many;
        impl Corpus for Many {
            type Prepared = ();
            type Memo = ();
            fn len(&self) -> usize {
                200_000
            }
            fn prepare(&self, _: &Query, _: &mut Scorer) {}
            fn score(&self, _: &(), query: &Query, id: u32, scorer: &mut Scorer) -> Option<u32> {
                // Slow enough that progress is due before the end.
                std::thread::sleep(Duration::from_micros(if id.is_multiple_of(1000) {
                    500
                } else {
                    0
                }));
                scorer.score(query, &["opsbook search worker"])
            }
        }
        let mut partial = Vec::new();
        let mut previous = None;
        let best = stream(
            &Many,
            &Query::new("work"),
            &mut previous,
            &|| false,
            &mut |h| partial.push(h.len()),
        )
        .expect("not cancelled");
        assert_eq!(best.len(), PROGRESS_HITS);
        let hits = previous.expect("kept to narrow").hits().to_vec();
        assert_eq!(hits.len(), 200_000);
        assert!(!partial.is_empty());
        assert!(partial.iter().all(|&n| n == PROGRESS_HITS));
    }

    #[test]
    fn answers_the_newest_query_and_narrows() {
        let mut w = SearchWorker::start(Arc::new(Words(vec!["reddit", "matrix", "redis"])), || {});
        w.search("zzz");
        let g = w.search("re");
        let r = answer(&w, g);
        assert_eq!((r.query.as_str(), r.total), ("re", 3));
        assert_eq!(r.hits, vec![0, 2]);
        let g = w.search("red");
        assert_eq!(answer(&w, g).hits.len(), 2);
        let g = w.search("redd");
        assert_eq!(answer(&w, g).hits, vec![0]);
        let g = w.search("");
        assert_eq!(answer(&w, g).hits.len(), 3);
    }
}
