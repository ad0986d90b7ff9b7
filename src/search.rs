//! Fuzzy matching, kept behind this one module so the matcher can be swapped.
//!
//! nucleo-matcher (the matcher of helix and television) scores each query
//! atom against every field of a candidate; a candidate matches when every
//! atom matches some field, and its score is the sum of each atom's best.
//! Fields are matched in place: nothing is copied per candidate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use nucleo_matcher::pattern::{Atom, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// A parsed query: whitespace-separated atoms, fzf syntax (`'exact`, `^prefix`, `suffix$`, `!not`).
#[derive(Clone, Debug)]
pub struct Query {
    text: String,
    atoms: Vec<Atom>,
}

impl Query {
    /// Parses a query typed by the user (smart case: case matters only when it has capitals).
    pub fn new(text: &str) -> Query {
        let pattern = Pattern::parse(text, CaseMatching::Smart, Normalization::Smart);
        Query {
            text: text.to_string(),
            atoms: pattern.atoms,
        }
    }

    /// The query as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the query matches everything.
    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// Whether every candidate of `self` is a candidate of `previous`: the query
    /// only grew, so the previous results can be narrowed instead of searching anew.
    pub fn narrows(&self, previous: &Query) -> bool {
        !previous.is_empty()
            && self.text.starts_with(&previous.text)
            && !self.text.contains(['!', '|'])
            && !previous.text.ends_with('\\')
            && self.atoms.len() >= previous.atoms.len()
    }
}

/// A matcher with its buffers; one per thread.
pub struct Scorer {
    matcher: Matcher,
    buf: Vec<char>,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }
}

impl Scorer {
    /// The score of a candidate's fields, or `None` when some atom matches no field.
    pub fn score(&mut self, query: &Query, fields: &[&str]) -> Option<u32> {
        let mut total = 0u32;
        for atom in &query.atoms {
            let mut best: Option<u16> = None;
            for field in fields {
                let hay = Utf32Str::new(field, &mut self.buf);
                let s = atom.score(hay, &mut self.matcher);
                if atom.negative {
                    // A negative atom scores None when its text is present.
                    s?;
                } else if let Some(s) = s {
                    best = Some(best.map_or(s, |b| b.max(s)));
                }
            }
            if !atom.negative {
                total += u32::from(best?);
            }
        }
        Some(total)
    }

    /// Character positions of `field` that the query matches, for highlighting.
    pub fn indices(&mut self, query: &Query, field: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for atom in query.atoms.iter().filter(|a| !a.negative) {
            let hay = Utf32Str::new(field, &mut self.buf);
            atom.indices(hay, &mut self.matcher, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A matching candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Candidate index.
    pub id: u32,
    /// Higher is better.
    pub score: u32,
}

/// Why a search stopped early.
#[derive(Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Candidates searched between checks for cancellation.
const CHUNK: usize = 4096;

/// Scores `candidates` (all of `0..count` when `None`) in parallel, best first
/// (ties in candidate order). `cancelled` is polled between chunks.
pub fn filter<'a, F>(
    query: &Query,
    count: usize,
    candidates: Option<&[u32]>,
    fields: F,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Hit>, Cancelled>
where
    F: Fn(u32, &mut dyn FnMut(&[&str]) -> Option<u32>) -> Option<u32> + Sync + 'a,
{
    let score_chunk =
        |scorer: &mut Scorer, ids: &mut dyn Iterator<Item = u32>| -> Result<Vec<Hit>, Cancelled> {
            if cancelled() {
                return Err(Cancelled);
            }
            let mut hits = Vec::new();
            for id in ids {
                let score = fields(id, &mut |f: &[&str]| scorer.score(query, f));
                if let Some(score) = score {
                    hits.push(Hit { id, score });
                }
            }
            Ok(hits)
        };
    let chunks: Vec<Vec<Hit>> = match candidates {
        Some(ids) => ids
            .par_chunks(CHUNK)
            .map_init(Scorer::default, |s, c| {
                score_chunk(s, &mut c.iter().copied())
            })
            .collect::<Result<_, _>>()?,
        None => (0..count.div_ceil(CHUNK))
            .into_par_iter()
            .map_init(Scorer::default, |s, c| {
                let start = (c * CHUNK) as u32;
                let end = ((c + 1) * CHUNK).min(count) as u32;
                score_chunk(s, &mut (start..end))
            })
            .collect::<Result<_, _>>()?,
    };
    let mut hits: Vec<Hit> = chunks.into_iter().flatten().collect();
    hits.par_sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    Ok(hits)
}

/// Results of one query sent back by a [`SearchWorker`].
#[derive(Debug)]
pub struct Results {
    /// The query they answer.
    pub query: String,
    /// Matches, best first.
    pub hits: Vec<Hit>,
    /// Candidates searched in all.
    pub total: usize,
    /// Sequence number of the request.
    pub generation: u64,
}

/// The candidates a worker searches: a count and a way to read their fields.
pub trait Corpus: Send + Sync + 'static {
    /// Number of candidates.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Calls `score` with the fields of candidate `id`.
    fn score(&self, id: u32, score: &mut dyn FnMut(&[&str]) -> Option<u32>) -> Option<u32>;
}

/// Runs searches on its own thread: the newest query wins, stale ones are
/// dropped mid-way, and a query that only grew narrows the previous results.
pub struct SearchWorker {
    requests: mpsc::Sender<(u64, String)>,
    generation: Arc<AtomicU64>,
    /// Answers, newest last.
    pub results: mpsc::Receiver<Results>,
    next: u64,
}

impl SearchWorker {
    /// Starts a worker over a corpus; `wake` is called after each answer.
    pub fn start<C: Corpus>(corpus: Arc<C>, wake: impl Fn() + Send + 'static) -> SearchWorker {
        let (req_tx, req_rx) = mpsc::channel::<(u64, String)>();
        let (res_tx, res_rx) = mpsc::channel();
        let generation = Arc::new(AtomicU64::new(0));
        let latest = Arc::clone(&generation);
        std::thread::Builder::new()
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
                    let hits = if query.is_empty() {
                        Ok((0..corpus.len() as u32)
                            .map(|id| Hit { id, score: 0 })
                            .collect())
                    } else {
                        filter(
                            &query,
                            corpus.len(),
                            candidates,
                            |id, s| corpus.score(id, s),
                            &stale,
                        )
                    };
                    let Ok(hits) = hits else { continue };
                    let mut ids: Vec<u32> = hits.iter().map(|h| h.id).collect();
                    ids.sort_unstable();
                    previous = (!query.is_empty()).then_some((query, ids));
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
            })
            .expect("spawning the search thread");
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
        // The worker only stops when this sender is dropped.
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

    const ITEMS: [[&str; 2]; 4] = [
        [
            "Reddit Pi Day Outage",
            "https://www.reddit.com/r/RedditEng/pi",
        ],
        ["CircleCI Security Breach", "https://circleci.com/blog"],
        [
            "Reddit Thread: Weirdest Outages",
            "https://www.reddit.com/r/ExperiencedDevs",
        ],
        ["Matrix Apr 2019", "https://matrix.org/blog"],
    ];

    fn run(q: &str, candidates: Option<&[u32]>) -> Vec<u32> {
        filter(
            &Query::new(q),
            ITEMS.len(),
            candidates,
            |id, s| s(&ITEMS[id as usize]),
            &|| false,
        )
        .expect("not cancelled")
        .into_iter()
        .map(|h| h.id)
        .collect()
    }

    #[test]
    fn every_atom_must_match_some_field() {
        assert_eq!(run("reddit pi", None), vec![0, 2]);
        assert_eq!(run("reddit day", None), vec![0]);
        assert_eq!(run("reddit", None), vec![0, 2]);
        assert_eq!(run("circleci.com", None), vec![1]);
        assert_eq!(run("reddit !thread", None), vec![0]);
        assert_eq!(run("zzz", None), Vec::<u32>::new());
    }

    #[test]
    fn narrowing_searches_only_the_given_candidates() {
        assert_eq!(run("outage", Some(&[2])), vec![2]);
        assert!(Query::new("reddit pi").narrows(&Query::new("reddit")));
        assert!(!Query::new("redd").narrows(&Query::new("reddit")));
        assert!(!Query::new("reddit !x").narrows(&Query::new("reddit")));
    }

    #[test]
    fn cancellation_stops_the_search() {
        let r = filter(
            &Query::new("a"),
            4,
            None,
            |id, s| s(&ITEMS[id as usize]),
            &|| true,
        );
        assert_eq!(r, Err(Cancelled));
    }

    #[test]
    fn indices_mark_matched_characters() {
        let mut s = Scorer::default();
        assert_eq!(s.indices(&Query::new("rpi"), "Reddit Pi"), vec![0, 7, 8]);
    }

    struct Items;
    impl Corpus for Items {
        fn len(&self) -> usize {
            ITEMS.len()
        }
        fn score(&self, id: u32, score: &mut dyn FnMut(&[&str]) -> Option<u32>) -> Option<u32> {
            score(&ITEMS[id as usize])
        }
    }

    #[test]
    fn worker_answers_the_newest_query() {
        let mut w = SearchWorker::start(Arc::new(Items), || {});
        w.search("reddit");
        let g = w.search("matrix");
        let answer = loop {
            let r = w.results.recv().expect("worker alive");
            if r.generation == g {
                break r;
            }
        };
        assert_eq!(answer.query, "matrix");
        assert_eq!(
            answer.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(answer.total, 4);
    }
}
