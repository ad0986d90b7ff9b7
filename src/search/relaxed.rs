//! Ranked retrieval for what the strict match misses: every word of the
//! query counts, and a link holding most of them still comes. A word of
//! the query matches a word of a link as it is, by its stem (Snowball,
//! English: `restarting` finds `restart`), by the ops vocabulary (`k8s`
//! finds `kubernetes`, `db` finds `database`), or with a typo (one edit
//! for words of 4 letters or more, two from 8: `kuberntes`); a match as
//! written counts most, then a stem, a synonym, a typo. Fields weigh as
//! BM25F would have them: the title, then the entry's text with its
//! detail lines, then headings, note title and tags, then the URL's words.
//! Words that say nothing (`the`, `of`) do not count, and a word that many
//! links hold counts less than a rare one (inverse document frequency).

use std::collections::HashMap;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use super::Hit;
use crate::notebook::Notebook;

/// How a word of the query matched, best first, with what it is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// With a typo.
    Typo = 1,
    /// By a word of the ops vocabulary.
    Synonym = 2,
    /// By its stem.
    Stem = 3,
    /// As written.
    Exact = 4,
}

impl How {
    fn worth(self) -> f32 {
        match self {
            How::Exact => 1.0,
            How::Stem => 0.85,
            How::Synonym => 0.75,
            How::Typo => 0.6,
        }
    }
}

/// Field weights, BM25F's boosts: a link's title above its entry's text,
/// above its headings and note, above the words of its URL.
const FIELD_WEIGHTS: [f32; 4] = [3.0, 1.5, 1.0, 0.7];

/// Words of no weight in a query.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of",
    "on", "or", "that", "the", "their", "this", "to", "was", "were", "with", "when",
];

/// The ops vocabulary: each group's words stand for each other. A word
/// of several (`load balancer`) matches when all of its words are there.
const SYNONYMS: &[&[&str]] = &[
    &["k8s", "kubernetes", "kube"],
    &["gcp", "gce", "google cloud", "gke"],
    &["aws", "amazon web services", "amazon"],
    &["az", "availability zone"],
    &["azure", "microsoft azure"],
    &["db", "database", "databases"],
    &["lb", "load balancer", "loadbalancer"],
    &["alb", "application load balancer"],
    &["elb", "elastic load balancer", "load balancer"],
    &["dns", "domain name system", "resolver"],
    &["tls", "ssl", "certificate", "cert"],
    &["oom", "out of memory", "memory"],
    &["ci", "continuous integration"],
    &["cd", "continuous delivery", "deploy"],
    &["pg", "postgres", "postgresql"],
    &["mysql", "mariadb"],
    &["vm", "virtual machine", "instance"],
    &["ha", "high availability", "failover"],
    &["dc", "datacenter", "data center"],
    &["sre", "site reliability"],
    &["slo", "service level objective"],
    &["sla", "service level agreement"],
    &["cve", "vulnerability"],
    &["iam", "identity", "permissions"],
    &["ec2", "elastic compute cloud"],
    &["s3", "simple storage service"],
    &["rds", "relational database service"],
    &["eks", "elastic kubernetes service"],
    &["cdn", "content delivery network"],
    &["bgp", "border gateway protocol"],
    &["ddos", "denial of service"],
    &["api", "apis"],
    &["auth", "authentication", "login"],
    &["oauth", "tokens"],
    &["rm", "delete", "deleted", "deletion", "wiped", "removed"],
    &["outage", "downtime", "incident"],
    &["postmortem", "post-mortem", "retrospective"],
];

/// A team's own synonym groups (`[search] synonyms`), set once at start.
static TEAM_SYNONYMS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();

/// Uses a team's own synonym groups beside the built-in vocabulary, for
/// the rest of the process (the first call wins).
pub fn use_team_synonyms(groups: Vec<Vec<String>>) {
    let _ = TEAM_SYNONYMS.set(groups);
}

/// The built-in vocabulary, a group a line (`k8s = kubernetes, kube`), for
/// `opsbook config`.
pub fn vocabulary_lines() -> Vec<String> {
    SYNONYMS
        .iter()
        .map(|g| format!("{} = {}", g[0], g[1..].join(", ")))
        .collect()
}

/// One word of the query and what it may match.
struct Term {
    word: String,
    stem: String,
    /// Synonyms, each a phrase of stemmed words.
    alternatives: Vec<Vec<String>>,
    max_edits: usize,
}

/// A query read for ranked retrieval.
pub struct Relaxed {
    terms: Vec<Term>,
    stemmer: Stemmer,
}

/// The first three bytes of a stem (a whole stem when shorter; stems are
/// ASCII-lowercase in the main, and a cut inside a character only makes
/// the prefix test miss, never match wrongly).
fn prefix(s: &str) -> &str {
    let mut n = s.len().min(3);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// The lowercase words of a text, split at anything not a letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Relaxed {
    /// The query's plain words, with `extra` synonym groups of the team's
    /// own (`[search] synonyms`); `None` when it holds none: a query of
    /// only fzf's strict terms (`'x`, `^x`, `x$`, `!x`) stays strict.
    pub fn new(query: &str, extra: &[Vec<String>]) -> Option<Relaxed> {
        let stemmer = Stemmer::create(Algorithm::English);
        let stem = |w: &str| stemmer.stem(w).into_owned();
        let mut terms = Vec::new();
        for atom in query.split_whitespace() {
            if atom.starts_with(['\'', '^', '!']) || atom.ends_with('$') {
                continue;
            }
            for w in words(atom) {
                if STOP_WORDS.contains(&w.as_str()) || terms.iter().any(|t: &Term| t.word == w) {
                    continue;
                }
                let team = TEAM_SYNONYMS.get().map(Vec::as_slice).unwrap_or(&[]);
                let groups = SYNONYMS
                    .iter()
                    .map(|g| g.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                    .chain(extra.iter().cloned())
                    .chain(team.iter().cloned())
                    .filter(|g| g.iter().any(|s| *s == w || stem(s) == stem(&w)));
                let mut alternatives: Vec<Vec<String>> = Vec::new();
                for g in groups {
                    for phrase in g {
                        let p: Vec<String> = words(&phrase).map(|x| stem(&x)).collect();
                        if p != [stem(&w)] && !alternatives.contains(&p) {
                            alternatives.push(p);
                        }
                    }
                }
                let letters = w.chars().count();
                let max_edits = match letters {
                    0..=3 => 0,
                    4..=7 => 1,
                    _ => 2,
                };
                terms.push(Term {
                    stem: stem(&w),
                    word: w,
                    alternatives,
                    max_edits,
                });
            }
        }
        (!terms.is_empty()).then_some(Relaxed { terms, stemmer })
    }

    /// How term `t` matches a word (already lowercase), if at all. The
    /// stem is asked only of words that begin as the term's stem or one of
    /// its synonyms does: most words of a link are settled by a compare.
    fn match_word(&self, t: &Term, word: &str) -> (Option<How>, Option<String>) {
        if word == t.word {
            return (Some(How::Exact), None);
        }
        let might_stem = word.starts_with(prefix(&t.stem))
            || t.alternatives
                .iter()
                .flatten()
                .any(|p| word.starts_with(prefix(p)));
        let stem = might_stem.then(|| self.stemmer.stem(word).into_owned());
        if stem.as_deref() == Some(t.stem.as_str()) {
            return (Some(How::Stem), stem);
        }
        let typo = t.max_edits > 0
            && word.len().abs_diff(t.word.len()) <= t.max_edits
            && strsim::osa_distance(word, &t.word) <= t.max_edits;
        (typo.then_some(How::Typo), stem)
    }

    /// Each term's best match over the fields of a link (raw Markdown:
    /// its markup splits words as spaces do): `(field, how)`.
    fn matches(&self, fields: &[&str; 4]) -> Vec<Option<(usize, How)>> {
        let mut best: Vec<Option<(f32, usize, How)>> = vec![None; self.terms.len()];
        let mut lower = String::new();
        for (i, field) in fields.iter().enumerate() {
            // Stems of the field's words, for phrases of the ops vocabulary.
            let mut stems: Vec<String> = Vec::new();
            for raw in field
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                lower.clear();
                lower.extend(raw.chars().flat_map(char::to_lowercase));
                for (k, t) in self.terms.iter().enumerate() {
                    let (how, stem) = self.match_word(t, &lower);
                    if let Some(stem) = stem {
                        stems.push(stem);
                    }
                    if let Some(how) = how {
                        let value = FIELD_WEIGHTS[i] * how.worth();
                        if best[k].is_none_or(|b| value > b.0) {
                            best[k] = Some((value, i, how));
                        }
                    }
                }
            }
            for (k, t) in self.terms.iter().enumerate() {
                let synonym = t
                    .alternatives
                    .iter()
                    .any(|phrase| phrase.iter().all(|p| stems.iter().any(|s| s == p)));
                let value = FIELD_WEIGHTS[i] * How::Synonym.worth();
                if synonym && best[k].is_none_or(|b| value > b.0) {
                    best[k] = Some((value, i, How::Synonym));
                }
            }
        }
        best.into_iter()
            .map(|b| b.map(|(_, i, h)| (i, h)))
            .collect()
    }
}

/// Scores a link's four fields: its title; its entry with the detail
/// lines (raw: for a note that is a link, what it says); its headings,
/// note title and tags; its URL.
fn score_link(relaxed: &Relaxed, l: &crate::notebook::LinkRef<'_>) -> Vec<Option<(usize, How)>> {
    let context = format!(
        "{} {} {}",
        l.heading_path(),
        l.doc.title,
        l.doc.tags.join(" ")
    );
    let title = l.title();
    let said;
    let entry: &str = match l.doc.link_entry_span(l.link) {
        Some(r) => &l.doc.source[r],
        None => {
            said = l.context();
            &said
        }
    };
    relaxed.matches(&[&title, entry, &context, l.url()])
}

/// What a link's match says: for each term, the field and how it matched.
pub type Explained = Vec<Option<(usize, How)>>;

/// The links ranked by how much of `query` they hold, best first: most
/// terms matched first, then the sum of each term's weight (its field's
/// boost, how it matched, its rarity). `None` when the query has no plain
/// word. Stops early, with what it has, when `cancelled` says so.
pub fn rank_links(
    notebook: &Notebook,
    query: &str,
    extra: &[Vec<String>],
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(Hit, Explained)>> {
    let relaxed = Relaxed::new(query, extra)?;
    let n = notebook.link_count();
    let found: Vec<(u32, Explained)> = (0..n as u32)
        .into_par_iter()
        .with_min_len(4096)
        .filter_map(|id| {
            if cancelled() {
                return None;
            }
            let l = notebook.link(id)?;
            let m = score_link(&relaxed, &l);
            m.iter().any(Option::is_some).then_some((id, m))
        })
        .collect();
    // How many links each term matched: rarer terms weigh more.
    let mut df = vec![0usize; relaxed.terms.len()];
    for (_, m) in &found {
        for (i, x) in m.iter().enumerate() {
            if x.is_some() {
                df[i] += 1;
            }
        }
    }
    let total = n.max(1) as f32;
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| ((total - d as f32 + 0.5) / (d as f32 + 0.5) + 1.0).ln())
        .collect();
    let mut scored: Vec<(usize, f32, u32, Explained)> = found
        .into_iter()
        .map(|(id, m)| {
            let count = m.iter().filter(|x| x.is_some()).count();
            let s: f32 = m
                .iter()
                .zip(&idf)
                .filter_map(|(x, w)| x.map(|(f, h)| w * FIELD_WEIGHTS[f] * h.worth()))
                .sum();
            (count, s, id, m)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    Some(
        scored
            .into_iter()
            .map(|(count, s, id, m)| {
                let score = (count as u32) << 20 | (s * 100.0).min(1_048_575.0) as u32;
                (Hit { id, score }, m)
            })
            .collect(),
    )
}

/// One ranking of both: a link that holds every term as fzf matches them
/// counts one term more than the relaxed ranking gives it (so a title, a
/// prefix of it, or company and year still come first), ties going to the
/// strict order; strict matches the relaxed reading does not see (letters
/// scattered in a title) follow, in their order.
pub fn merge(strict: &[Hit], relaxed: &[(Hit, Explained)]) -> Vec<u32> {
    let strict_rank: HashMap<u32, usize> =
        strict.iter().enumerate().map(|(i, h)| (h.id, i)).collect();
    let mut both: Vec<(u32, u32, usize, u32)> = relaxed
        .iter()
        .map(|(h, _)| {
            let count = h.score >> 20;
            let rest = h.score & 0xF_FFFF;
            let bonus = u32::from(strict_rank.contains_key(&h.id));
            let tie = strict_rank.get(&h.id).copied().unwrap_or(usize::MAX);
            (count + bonus, rest, tie, h.id)
        })
        .collect();
    both.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.2.cmp(&b.2))
            .then(b.1.cmp(&a.1))
            .then(a.3.cmp(&b.3))
    });
    let mut seen: std::collections::HashSet<u32> = both.iter().map(|x| x.3).collect();
    let mut out: Vec<u32> = both.into_iter().map(|x| x.3).collect();
    out.extend(strict.iter().map(|h| h.id).filter(|id| seen.insert(*id)));
    out
}

/// Byte ranges of `text`'s words that a word of `query` matches as the
/// ranking reads them (as written, by stem, by a one-word synonym, with a
/// typo), for showing why a result came.
pub fn word_ranges(query: &str, text: &str) -> Vec<std::ops::Range<usize>> {
    let Some(r) = Relaxed::new(query, &[]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut lower = String::new();
    let mut at = 0;
    for piece in text.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            let hit = r.terms.iter().any(|t| {
                let (how, stem) = r.match_word(t, &lower);
                how.is_some()
                    || t.alternatives.iter().any(|p| {
                        p.len() == 1
                            && stem
                                .as_ref()
                                .map_or_else(|| r.stemmer.stem(&lower) == p[0], |s| *s == p[0])
                    })
            });
            if hit {
                out.push(at..at + word.len());
            }
        }
        at += piece.len();
    }
    out
}

/// The query's strict terms (`'word`, `^word`, `word$`, `!word`), which
/// every result must satisfy, as a query of their own; empty when none.
pub fn strict_terms(query: &str) -> String {
    query
        .split_whitespace()
        .filter(|a| a.starts_with(['\'', '^', '!']) || a.ends_with('$'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query's terms, as read for ranking: for `--explain`.
pub fn terms(query: &str, extra: &[Vec<String>]) -> Vec<String> {
    Relaxed::new(query, extra)
        .map_or_else(Vec::new, |r| r.terms.into_iter().map(|t| t.word).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(title: &'a str, text: &'a str) -> [&'a str; 4] {
        [title, text, "", ""]
    }

    #[test]
    fn words_match_as_written_by_stem_by_vocabulary_and_with_typos() {
        let r = Relaxed::new("restarting k8s kuberntes postgress the", &[]).unwrap();
        let got = r.matches(&fields(
            "Cluster restart",
            "the kubernetes control plane and postgres",
        ));
        assert_eq!(
            got,
            [
                Some((0, How::Stem)),
                Some((1, How::Synonym)),
                Some((1, How::Typo)),
                Some((1, How::Typo)),
            ]
        );
        // `the` says nothing; a query of strict terms only stays strict.
        assert_eq!(r.terms.len(), 4);
        assert!(Relaxed::new("'exact ^start end$ !not", &[]).is_none());
    }
}
