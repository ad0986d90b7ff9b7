//! Searching off the UI thread: the newest query wins, stale ones stop early,
//! and a query that only grew narrows the previous results.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use super::{Hit, Query, Scorer, filter};

/// The candidates a worker searches.
pub trait Corpus: Send + Sync {
    /// Work shared by all candidates of one query, such as scoring heading paths once.
    type Prepared: Sync;
    /// Number of candidates.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Does the shared work of a query.
    fn prepare(&self, query: &Query, scorer: &mut Scorer) -> Self::Prepared;
    /// Scores candidate `id`.
    fn score(
        &self,
        prepared: &Self::Prepared,
        query: &Query,
        id: u32,
        scorer: &mut Scorer,
    ) -> Option<u32>;
}

/// Searches a whole corpus at once, best first (the one-shot CLI search).
pub fn search_all<C: Corpus>(corpus: &C, query: &Query) -> Vec<Hit> {
    run(corpus, query, None, &|| false).unwrap_or_default()
}

fn run<C: Corpus>(
    corpus: &C,
    query: &Query,
    candidates: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Hit>, super::Cancelled> {
    if query.is_empty() {
        let all = candidates.map_or_else(|| (0..corpus.len() as u32).collect(), <[u32]>::to_vec);
        return Ok(all.into_iter().map(|id| Hit { id, score: 0 }).collect());
    }
    let prepared = corpus.prepare(query, &mut Scorer::default());
    filter(
        corpus.len(),
        candidates,
        |id, scorer| corpus.score(&prepared, query, id, scorer),
        cancelled,
    )
}

/// Results of one query sent back by a [`SearchWorker`].
#[derive(Debug)]
pub struct Results {
    /// The query they answer.
    pub query: String,
    /// Matches, best first.
    pub hits: Vec<Hit>,
    /// Candidates in all.
    pub total: usize,
    /// Sequence number of the request.
    pub generation: u64,
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
                let mut previous: Option<(Query, Vec<u32>)> = None;
                while let Ok(mut request) = req_rx.recv() {
                    // Only the newest waiting request matters.
                    while let Ok(newer) = req_rx.try_recv() {
                        request = newer;
                    }
                    let (generation, text) = request;
                    let query = Query::new(&text);
                    let candidates = previous
                        .as_ref()
                        .filter(|(q, _)| query.narrows(q))
                        .map(|(_, ids)| ids.as_slice());
                    let stale = || latest.load(Ordering::Relaxed) != generation;
                    let Ok(hits) = run(corpus.as_ref(), &query, candidates, &stale) else {
                        continue;
                    };
                    if !query.is_empty() {
                        let mut ids: Vec<u32> = hits.iter().map(|h| h.id).collect();
                        ids.sort_unstable();
                        previous = Some((query, ids));
                    } else {
                        previous = None;
                    }
                    let answer = Results {
                        query: text,
                        hits,
                        total: corpus.len(),
                        generation,
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Words(Vec<&'static str>);

    impl Corpus for Words {
        type Prepared = ();
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
            if r.generation == generation {
                return r;
            }
        }
    }

    #[test]
    fn answers_the_newest_query_and_narrows() {
        let mut w = SearchWorker::start(Arc::new(Words(vec!["reddit", "matrix", "redis"])), || {});
        w.search("zzz");
        let g = w.search("re");
        let r = answer(&w, g);
        assert_eq!((r.query.as_str(), r.total), ("re", 3));
        assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![0, 2]);
        let g = w.search("red");
        assert_eq!(answer(&w, g).hits.len(), 2);
        let g = w.search("redd");
        assert_eq!(
            answer(&w, g).hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![0]
        );
        let g = w.search("");
        assert_eq!(answer(&w, g).hits.len(), 3);
    }
}
