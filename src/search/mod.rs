//! Fuzzy matching, kept behind this one module so the matcher can be swapped.
//!
//! nucleo-matcher (the matcher of helix and television) scores each query
//! atom against every field of a candidate; a candidate matches when every
//! atom matches some field, and its score is the sum of each atom's best.
//! Fields are matched in place: nothing is copied per candidate.

pub mod corpus;
pub mod found;
pub mod index;
pub mod narrowing;
pub mod pages;
pub mod rank;
pub mod ranked;
pub mod relaxed;
pub mod worker;

pub use corpus::{LinkCorpus, NoteCorpus};
pub use rank::Field;
pub use worker::search_links;
pub use worker::{Corpus, Results, SearchWorker};

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// A parsed query: whitespace-separated atoms, fzf syntax (`'exact`, `^prefix`, `suffix$`, `!not`).
#[derive(Clone, Debug)]
pub struct Query {
    text: String,
    atoms: Vec<Atom>,
    /// Each atom's needle, to find it as a word.
    words: Vec<rank::Word>,
}

impl Query {
    /// Parses a query typed by the user (smart case: case matters only when it has capitals).
    pub fn new(text: &str) -> Query {
        let pattern = Pattern::parse(text, CaseMatching::Smart, Normalization::Smart);
        let words = pattern
            .atoms
            .iter()
            .map(|a| rank::Word::new(&a.needle_text().chars().collect::<String>()))
            .collect();
        Query {
            text: text.to_string(),
            atoms: pattern.atoms,
            words,
        }
    }

    /// The query as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.atoms.len()
    }

    /// Whether the query matches everything.
    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// Byte ranges of `text` where a term of the query stands in one piece,
    /// sorted, for showing what matched in a long text.
    pub fn word_ranges(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = self
            .atoms
            .iter()
            .zip(&self.words)
            .filter(|(a, w)| !a.negative && !w.is_empty())
            .flat_map(|(_, w)| w.positions(text).map(move |i| i..i + w.len()))
            .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            .collect();
        out.sort_by_key(|r| r.start);
        out
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
    /// The document of the last candidate scored (a link or a piece of
    /// text): candidates come in id order, so the next one is mostly in the
    /// same document.
    pub doc_hint: usize,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            doc_hint: 0,
        }
    }
}

impl Scorer {
    /// The score of a candidate whose fields all count alike (as titles,
    /// scattered letters allowed), or `None` when some atom matches no field.
    pub fn score(&mut self, query: &Query, fields: &[&str]) -> Option<u32> {
        let fields: Vec<Field<'_>> = fields
            .iter()
            .map(|text| Field {
                text,
                weight: rank::weight::TITLE,
                fuzzy: true,
            })
            .collect();
        let len = fields.iter().map(|f| f.text.len()).sum();
        self.rank(query, &fields, &[], len)
    }

    /// What each atom of the query is worth in one field: a field shared by
    /// many candidates (a heading path) is valued once with this, then passed
    /// to [`Scorer::rank`]. A negative atom's value is `Some` when its text
    /// is present.
    pub fn atom_values(&mut self, query: &Query, field: Field<'_>) -> Vec<Option<u32>> {
        (0..query.atoms.len())
            .map(|i| self.atom_value(query, i, field))
            .collect()
    }

    fn atom_value(&mut self, query: &Query, i: usize, field: Field<'_>) -> Option<u32> {
        self.unscattered_value(query, i, field)
            .or_else(|| self.scattered_value(query, i, field))
    }

    /// The value of atom `i` in `field` short of letters scattered: the
    /// term in one piece for a fuzzy atom, or the matcher's verdict for
    /// fzf's exact, prefix, suffix and negative terms.
    fn unscattered_value(&mut self, query: &Query, i: usize, field: Field<'_>) -> Option<u32> {
        let atom = &query.atoms[i];
        let word = &query.words[i];
        if atom.negative {
            // The matcher scores a negative atom `None` when its text is present.
            let absent = atom
                .score(Utf32Str::new(field.text, &mut self.buf), &mut self.matcher)
                .is_some();
            return (!absent).then_some(0);
        }
        if atom.kind == AtomKind::Fuzzy {
            let (fit, at) = word.find(field.text)?;
            return Some(rank::value(fit, field.weight, rank::earliness(at)));
        }
        // fzf's exact, prefix and suffix terms: the matcher decides, the word ranks.
        let s = atom.score(Utf32Str::new(field.text, &mut self.buf), &mut self.matcher)?;
        let fit = word
            .find(field.text)
            .map_or(rank::Fit::Inside, |(f, _)| f.max(rank::Fit::Inside));
        Some(rank::value(fit, field.weight, u32::from(s)))
    }

    /// The value of fuzzy atom `i` as letters scattered in `field`, where
    /// the field allows it.
    fn scattered_value(&mut self, query: &Query, i: usize, field: Field<'_>) -> Option<u32> {
        let atom = &query.atoms[i];
        if atom.negative
            || atom.kind != AtomKind::Fuzzy
            || !field.fuzzy
            || !query.words[i].may_be_scattered_in(field.text)
        {
            return None;
        }
        let s = atom.score(Utf32Str::new(field.text, &mut self.buf), &mut self.matcher)?;
        Some(rank::value(
            rank::Fit::Scattered,
            field.weight,
            u32::from(s),
        ))
    }

    /// How a candidate ranks: its own fields, the values of a shared field
    /// (empty when there is none), and its length for ties. `None` when some
    /// atom matches nowhere, or a negative atom matches somewhere.
    pub fn rank(
        &mut self,
        query: &Query,
        fields: &[Field<'_>],
        shared: &[Option<u32>],
        len: usize,
    ) -> Option<u32> {
        self.rank_less(query, fields, shared, len, 0)
    }

    /// [`Scorer::rank`], less `penalty` (a secondary link of an item).
    pub fn rank_less(
        &mut self,
        query: &Query,
        fields: &[Field<'_>],
        shared: &[Option<u32>],
        len: usize,
        penalty: u32,
    ) -> Option<u32> {
        let mut sum = 0u32;
        for (i, atom) in query.atoms.iter().enumerate() {
            let shared_value = shared.get(i).copied().flatten();
            if atom.negative {
                if shared_value.is_some()
                    || fields
                        .iter()
                        .any(|f| self.atom_value(query, i, *f).is_some())
                {
                    return None;
                }
                continue;
            }
            // The best value over the fields. A field whose best possible
            // match is no better than the best found cannot change it, and
            // letters in one piece anywhere beat letters scattered anywhere:
            // the costly scattered match is tried only after the others.
            let mut best = shared_value;
            for (f, scattered) in fields
                .iter()
                .map(|f| (f, false))
                .chain(fields.iter().map(|f| (f, true)))
            {
                let fit = if scattered {
                    rank::Fit::Scattered
                } else {
                    rank::Fit::Word
                };
                if best.is_some_and(|b| b >= rank::value(fit, f.weight, rank::BONUS_MAX)) {
                    continue;
                }
                let value = if scattered {
                    self.scattered_value(query, i, *f)
                } else {
                    self.unscattered_value(query, i, *f)
                };
                if let Some(v) = value {
                    best = Some(best.map_or(v, |b| b.max(v)));
                }
            }
            sum = sum.saturating_add(best?);
        }
        Some(rank::total(sum.saturating_sub(penalty), len))
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

/// Candidates searched between checks for cancellation, and shared out
/// between threads: small enough that one slow chunk does not keep the
/// other threads waiting at the end of a slice.
const CHUNK: usize = 1024;

/// Which candidates to score.
#[derive(Clone, Copy, Debug)]
pub enum Candidates<'a> {
    /// A range of ids.
    Range(u32, u32),
    /// These ids.
    List(&'a [u32]),
    /// The ids of these hits (of a query this one narrows).
    Hits(&'a [Hit]),
}

impl Candidates<'_> {
    /// Number of candidates.
    pub fn len(&self) -> usize {
        match self {
            Candidates::Range(a, b) => b.saturating_sub(*a) as usize,
            Candidates::List(ids) => ids.len(),
            Candidates::Hits(hits) => hits.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The candidates from `start` to `end` (positions, not ids).
    pub fn slice(&self, start: usize, end: usize) -> Candidates<'_> {
        match self {
            Candidates::Range(a, _) => Candidates::Range(a + start as u32, a + end as u32),
            Candidates::List(ids) => Candidates::List(&ids[start..end]),
            Candidates::Hits(hits) => Candidates::Hits(&hits[start..end]),
        }
    }
}

/// Best first, ties in candidate order.
pub fn sort_hits(hits: &mut [Hit]) {
    hits.par_sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
}

/// Scores candidates in parallel, unsorted. `cancelled` is polled between chunks.
pub fn score_all<F>(
    candidates: Candidates<'_>,
    score: F,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Hit>, Cancelled>
where
    F: Fn(u32, &mut Scorer) -> Option<u32> + Sync,
{
    let (hits, _) = score_all_memo::<(), _>(candidates, None, |id, _, s| score(id, s), cancelled)?;
    Ok(hits)
}

/// Scores candidates in parallel as [`score_all`] does, each with what
/// was learned of it before (`memos`, one a candidate in their order; the
/// default where there are none), and gives back the hits, in candidate
/// order, with what was learned of each.
pub fn score_all_memo<M, F>(
    candidates: Candidates<'_>,
    memos: Option<&[M]>,
    score: F,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<(Vec<Hit>, Vec<M>), Cancelled>
where
    M: Copy + Default + Send + Sync,
    F: Fn(u32, &mut M, &mut Scorer) -> Option<u32> + Sync,
{
    let n = candidates.len();
    let id_at = |at: usize| match candidates {
        Candidates::Range(start, _) => start + at as u32,
        Candidates::List(ids) => ids[at],
        Candidates::Hits(hits) => hits[at].id,
    };
    let chunks: Vec<Vec<(Hit, M)>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(Scorer::default, |scorer, c| {
            if cancelled() {
                return Err(Cancelled);
            }
            let (a, b) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
            Ok((a..b)
                .filter_map(|at| {
                    let id = id_at(at);
                    let mut memo = memos.and_then(|m| m.get(at)).copied().unwrap_or_default();
                    score(id, &mut memo, scorer).map(|score| (Hit { id, score }, memo))
                })
                .collect())
        })
        .collect::<Result<_, _>>()?;
    let found = chunks.iter().map(Vec::len).sum();
    let mut hits = Vec::with_capacity(found);
    let mut learned = Vec::with_capacity(found);
    for (hit, memo) in chunks.into_iter().flatten() {
        hits.push(hit);
        learned.push(memo);
    }
    Ok((hits, learned))
}

/// Scores `candidates` (all of `0..count` when `None`) in parallel, best first
/// (ties in candidate order). `cancelled` is polled between chunks.
pub fn filter<F>(
    count: usize,
    candidates: Option<&[u32]>,
    score: F,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<Hit>, Cancelled>
where
    F: Fn(u32, &mut Scorer) -> Option<u32> + Sync,
{
    let candidates = candidates.map_or(Candidates::Range(0, count as u32), Candidates::List);
    let mut hits = score_all(candidates, score, cancelled)?;
    sort_hits(&mut hits);
    Ok(hits)
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
        let q = Query::new(q);
        filter(
            ITEMS.len(),
            candidates,
            |id, s| s.score(&q, &ITEMS[id as usize]),
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
        let q = Query::new("a");
        let r = filter(4, None, |id, s| s.score(&q, &ITEMS[id as usize]), &|| true);
        assert_eq!(r, Err(Cancelled));
    }

    fn field(text: &str) -> Field<'_> {
        Field {
            text,
            weight: rank::weight::TITLE,
            fuzzy: true,
        }
    }

    #[test]
    fn a_shared_field_scored_once_counts_for_every_candidate() {
        let mut s = Scorer::default();
        let q = Query::new("matrix 2019 !reddit");
        let shared = s.atom_values(&q, field("Post-Mortem > 2019"));
        let own = [field("Matrix Apr"), field("https://matrix.org")];
        assert!(s.rank(&q, &own, &shared, 10).is_some());
        assert_eq!(s.score(&q, &["Matrix Apr", "https://matrix.org"]), None);
        let reddit = s.atom_values(&q, field("reddit"));
        let own = [field("Matrix 2019"), field("https://matrix.org")];
        assert_eq!(s.rank(&q, &own, &reddit, 10), None);
    }

    #[test]
    fn words_in_a_long_text_beat_letters_scattered_in_a_title() {
        let mut s = Scorer::default();
        let q = Query::new("health");
        let text = Field {
            text: "A config push disabled health checks on every load balancer",
            weight: rank::weight::TEXT,
            fuzzy: false,
        };
        let word = s.rank(&q, &[field("Acme"), text], &[], 60);
        let scattered = s.rank(&q, &[field("the athletic league")], &[], 20);
        assert!(word > scattered, "{word:?} {scattered:?}");
        // Scattered letters never match a long text.
        let long = Field {
            text: "the athletic league",
            weight: rank::weight::TEXT,
            fuzzy: false,
        };
        assert_eq!(s.rank(&q, &[long], &[], 20), None);
    }

    #[test]
    fn indices_mark_matched_characters() {
        let mut s = Scorer::default();
        assert_eq!(s.indices(&Query::new("rpi"), "Reddit Pi"), vec![0, 7, 8]);
    }
}
