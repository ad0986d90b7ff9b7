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

use rust_stemmers::{Algorithm, Stemmer};

/// How a word of the query matched, best first, with what it is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// As the start of a longer word (`joel` in `joelonsoftware`).
    Prefix = 1,
    /// With a typo.
    Typo = 2,
    /// By a word of the ops vocabulary.
    Synonym = 3,
    /// By its stem.
    Stem = 4,
    /// As written.
    Exact = 5,
}

/// How many ways a word matches ([`How`]).
pub(super) const WAYS: usize = 5;

/// The shortest query word (in characters) that matches as the start of
/// a longer word.
const PREFIX_MIN_CHARS: usize = 4;

/// Field weights, BM25F's boosts: a link's title above its entry's text,
/// above its headings and note, above the words of its URL, above what
/// the page it points at says (kept by `opsbook fetch`).
const FIELD_WEIGHTS: [f32; FIELDS] = [3.0, 1.5, 1.0, 0.7, 0.4];

/// Fields a term may match in: four of the link's own, and its page's.
const FIELDS: usize = 5;

/// The field of a kept page's words.
pub const PAGE_FIELD: usize = 4;

/// Words of no weight in a query.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "did", "do", "for", "from", "got",
    "had", "has", "have", "i", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
    "our", "so", "that", "the", "their", "them", "they", "this", "to", "too", "us", "very", "was",
    "we", "were", "what", "when", "which", "with", "you", "your",
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
    &["dir", "directory", "folder"],
    &["lfi", "learning from incidents"],
    &[
        "hacked",
        "compromised",
        "breach",
        "attack",
        "intrusion",
        "infected",
    ],
    &["iot", "internet of things", "webcam", "camera"],
    &["ntp", "clock", "leap second", "time sync"],
    &["billing", "billed", "charged", "invoice"],
    &["outage", "downtime", "incident"],
    &["postmortem", "post-mortem", "retrospective"],
];

/// Forms of a word that stemming does not join: irregular verbs and
/// plurals, each group's words one word to the ranking.
const IRREGULAR: &[&[&str]] = &[
    &["run", "ran"],
    &["break", "broke", "broken"],
    &["go", "went", "gone"],
    &["take", "took", "taken"],
    &["fall", "fell", "fallen"],
    &["lose", "lost"],
    &["freeze", "froze", "frozen"],
    &["write", "wrote", "written"],
    &["overwrite", "overwrote", "overwritten"],
    &["rewrite", "rewrote", "rewritten"],
    &["begin", "began", "begun"],
    &["bring", "brought"],
    &["catch", "caught"],
    &["hold", "held"],
    &["send", "sent"],
    &["build", "built"],
    &["rebuild", "rebuilt"],
    &["find", "found"],
    &["give", "gave", "given"],
    &["know", "knew", "known"],
    &["make", "made"],
    &["see", "saw", "seen"],
    &["spend", "spent"],
    &["drive", "drove", "driven"],
    &["feel", "felt"],
    &["fly", "flew", "flown"],
    &["forget", "forgot", "forgotten"],
    &["grow", "grew", "grown"],
    &["hang", "hung"],
    &["hide", "hid", "hidden"],
    &["keep", "kept"],
    &["lead", "led"],
    &["mean", "meant"],
    &["pay", "paid"],
    &["rise", "rose", "risen"],
    &["say", "said"],
    &["sell", "sold"],
    &["shake", "shook", "shaken"],
    &["shoot", "shot"],
    &["sink", "sank", "sunk"],
    &["speak", "spoke", "spoken"],
    &["spin", "spun"],
    &["stand", "stood"],
    &["steal", "stole", "stolen"],
    &["stick", "stuck"],
    &["strike", "struck"],
    &["teach", "taught"],
    &["tear", "tore", "torn"],
    &["tell", "told"],
    &["think", "thought"],
    &["throw", "threw", "thrown"],
    &["wake", "woke", "woken"],
    &["win", "won"],
    &["undo", "undid", "undone"],
    &["child", "children"],
    &["mouse", "mice"],
    &["index", "indices", "indexes"],
];

/// Other forms of a query word that its stem does not reach: the rest of
/// its irregular group, and the word without a negating `un`
/// (`unnoticed` finds `noticing`, `unreachable` finds `reach`).
fn other_forms(word: &str) -> Vec<String> {
    let mut out: Vec<String> = IRREGULAR
        .iter()
        .filter(|g| g.contains(&word))
        .flat_map(|g| g.iter().filter(|f| **f != word).map(|f| f.to_string()))
        .collect();
    if let Some(rest) = word.strip_prefix("un")
        && rest.chars().count() >= 5
    {
        out.push(rest.to_string());
    }
    out
}

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

/// At most this many words of a query are ranked (the rest are ignored).
pub const MAX_TERMS: usize = 16;

/// One word of the query and what it may match.
struct Term {
    word: String,
    /// Its stems: its own, then those of its other forms (`ran` → `run`,
    /// `unnoticed` → `notic`), which Snowball does not reach.
    stems: Vec<String>,
    /// Synonyms, each a phrase of stemmed words, as masks of the query's
    /// phrase words ([`Relaxed::phrase_words`]), with how they match: as a
    /// synonym of the word, or (`How::Typo`) of a word it is a typo of
    /// (`kuberntes` finds `k8s` as `kubernetes` does).
    phrases: Vec<(u128, How)>,
    max_edits: usize,
    /// Whether it matches as the start of a longer word.
    prefix: bool,
    /// Which letters it holds ([`letters`]), to rule typos out quickly.
    letters: u64,
}

/// A query read for ranked retrieval.
pub struct Relaxed {
    terms: Vec<Term>,
    /// Every word of every synonym phrase of the terms (stemmed), each a
    /// bit of [`WordMatch::phrase_words`].
    phrase_words: Vec<String>,
    stemmer: Stemmer,
}

/// What one word of a text is to a query: how it matches each term, and
/// which words of the terms' synonym phrases it stands for. A word's
/// worth depends on the word alone, so both the scan and the index read
/// it once per distinct word.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub(super) struct WordMatch {
    /// How it matches each term.
    pub how: [Option<How>; MAX_TERMS],
    /// Bit `b` set: the word's stem is phrase word `b`.
    pub phrase_words: u128,
}

impl WordMatch {
    /// Whether the word counts for the query at all.
    pub fn counts(&self) -> bool {
        self.phrase_words != 0 || self.how.iter().any(Option::is_some)
    }
}

/// The first three bytes of a stem (a whole stem when shorter; stems are
/// ASCII-lowercase in the main, and a cut inside a character only makes
/// the prefix test miss, never match wrongly).
pub(super) fn prefix(s: &str) -> &str {
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

/// Calls `f` with each word of `text`, lowercase, in a buffer of its own
/// (no allocation per word: a million links hold tens of millions).
pub(super) fn each_word(text: &str, lower: &mut String, mut f: impl FnMut(&str)) {
    for raw in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        lower.clear();
        if raw.is_ascii() {
            lower.push_str(raw);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(raw.chars().flat_map(char::to_lowercase));
        }
        f(lower);
    }
}

/// A bit for each letter or digit a word holds (the rest share one): an
/// edit changes at most two bits, so words whose bits differ in more than
/// twice the edits allowed are no typo of each other.
fn letters(word: &str) -> u64 {
    word.chars().fold(0, |m, c| {
        m | 1
            << match c {
                'a'..='z' => c as u32 - 'a' as u32,
                '0'..='9' => 26 + c as u32 - '0' as u32,
                _ => 63,
            }
    })
}

impl Relaxed {
    /// The query's plain words, with `extra` synonym groups of the team's
    /// own (`[search] synonyms`); `None` when it holds none: a query of
    /// only fzf's strict terms (`'x`, `^x`, `x$`, `!x`) stays strict.
    pub fn new(query: &str, extra: &[Vec<String>]) -> Option<Relaxed> {
        let stemmer = Stemmer::create(Algorithm::English);
        let stem = |w: &str| stemmer.stem(w).into_owned();
        let mut terms: Vec<Term> = Vec::new();
        let mut phrase_words: Vec<String> = Vec::new();
        for atom in query.split_whitespace() {
            if atom.starts_with(['\'', '^', '!']) || atom.ends_with('$') {
                continue;
            }
            for w in words(atom) {
                if STOP_WORDS.contains(&w.as_str())
                    || terms.iter().any(|t| t.word == w)
                    || terms.len() == MAX_TERMS
                {
                    continue;
                }
                let max_edits = match w.chars().count() {
                    0..=3 => 0,
                    4..=7 => 1,
                    _ => 2,
                };
                let team = TEAM_SYNONYMS.get().map(Vec::as_slice).unwrap_or(&[]);
                let groups = SYNONYMS
                    .iter()
                    .map(|g| g.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                    .chain(extra.iter().cloned())
                    .chain(team.iter().cloned());
                // A group holding the word (or its stem) gives synonyms; one
                // holding a word the query's is a typo of, typos.
                let mut alternatives: Vec<(Vec<String>, How)> = Vec::new();
                for g in groups {
                    let how = if g.iter().any(|s| *s == w || stem(s) == stem(&w)) {
                        How::Synonym
                    } else if max_edits > 0
                        && g.iter().any(|s| {
                            !s.contains(' ')
                                && s.chars().count() >= 4
                                && strsim::osa_distance(s, &w) <= max_edits
                        })
                    {
                        How::Typo
                    } else {
                        continue;
                    };
                    for phrase in g {
                        let p: Vec<String> = words(&phrase).map(|x| stem(&x)).collect();
                        if p.is_empty() || p == [stem(&w)] {
                            continue;
                        }
                        match alternatives.iter_mut().find(|(q, _)| *q == p) {
                            Some((_, h)) if how == How::Synonym => *h = How::Synonym,
                            Some(_) => {}
                            None => alternatives.push((p, how)),
                        }
                    }
                }
                let mut phrases = Vec::new();
                for (p, how) in alternatives {
                    let mut mask = 0u128;
                    for s in p {
                        let bit = match phrase_words.iter().position(|x| *x == s) {
                            Some(b) => b,
                            None => {
                                phrase_words.push(s);
                                phrase_words.len() - 1
                            }
                        };
                        // More phrase words than bits: the rest are not read.
                        if bit < 128 {
                            mask |= 1 << bit;
                        } else {
                            mask = 0;
                            break;
                        }
                    }
                    if mask != 0 {
                        phrases.push((mask, how));
                    }
                }
                phrase_words.truncate(128);
                let mut stems = vec![stem(&w)];
                for form in other_forms(&w) {
                    let f = stem(&form);
                    if !stems.contains(&f) {
                        stems.push(f);
                    }
                }
                terms.push(Term {
                    prefix: w.chars().count() >= PREFIX_MIN_CHARS,
                    stems,
                    letters: letters(&w),
                    word: w,
                    phrases,
                    max_edits,
                });
            }
        }
        (!terms.is_empty()).then_some(Relaxed {
            terms,
            phrase_words,
            stemmer,
        })
    }

    /// The number of terms read.
    pub(super) fn len(&self) -> usize {
        self.terms.len()
    }

    /// Each term's word as typed (lowercase) and the edits a typo of it may
    /// have: what the index looks words up by.
    pub(super) fn lookups(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.terms.iter().map(|t| (t.word.as_str(), t.max_edits))
    }

    /// The prefixes a word must start with to match by stem or as the
    /// start of a longer word: the terms' stems' and their phrase words'.
    pub(super) fn stem_prefixes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .terms
            .iter()
            .flat_map(|t| t.stems.iter().map(|s| prefix(s)))
            .chain(
                self.terms
                    .iter()
                    .filter(|t| t.prefix)
                    .map(|t| prefix(&t.word)),
            )
            .chain(self.phrase_words.iter().map(|p| prefix(p)))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// What a word (lowercase) is to the query. A stem match needs the word
    /// to start as the stem does, so stems are asked only of the few words
    /// that do: most words are settled by a compare.
    pub(super) fn classify(&self, word: &str) -> WordMatch {
        let mut m = WordMatch::default();
        let mut stem: Option<String> = None;
        let mut bits: Option<u64> = None;
        let mut stem_is = |p: &str| -> bool {
            stem.get_or_insert_with(|| self.stemmer.stem(word).into_owned()) == p
        };
        for (k, t) in self.terms.iter().enumerate() {
            m.how[k] = if word == t.word {
                Some(How::Exact)
            } else if t
                .stems
                .iter()
                .any(|s| word.starts_with(prefix(s)) && stem_is(s))
            {
                Some(How::Stem)
            } else if t.max_edits > 0
                && word.len().abs_diff(t.word.len()) <= t.max_edits
                && (*bits.get_or_insert_with(|| letters(word)) ^ t.letters).count_ones() as usize
                    <= 2 * t.max_edits
                && strsim::osa_distance(word, &t.word) <= t.max_edits
            {
                Some(How::Typo)
            } else if t.prefix && word.len() > t.word.len() && word.starts_with(&t.word) {
                Some(How::Prefix)
            } else {
                None
            };
        }
        for (b, p) in self.phrase_words.iter().enumerate() {
            if word.starts_with(prefix(p)) && stem_is(p) {
                m.phrase_words |= 1 << b;
            }
        }
        m
    }

    /// Offers a synonym match in `field` to each term whose phrase has all
    /// its words among `bits`.
    fn phrases_in(&self, field: usize, bits: u128, codes: &mut [u8]) {
        if bits == 0 {
            return;
        }
        for (k, how) in self.phrases_completed(bits) {
            offer(codes, k, field, how);
        }
    }

    /// Offers each way `m` matches, in `field`, to the terms' codes.
    pub(super) fn offer_word(&self, codes: &mut [u8], m: &WordMatch, field: usize) {
        for (k, how) in m.how.iter().take(self.terms.len()).enumerate() {
            if let Some(h) = how {
                offer(codes, k, field, *h);
            }
        }
    }

    /// Whether any phrase of the query has two words or more.
    pub(super) fn has_long_phrases(&self) -> bool {
        self.terms
            .iter()
            .flat_map(|t| &t.phrases)
            .any(|(m, _)| m.count_ones() > 1)
    }

    /// The terms whose phrases `bits` (a field's phrase words) complete,
    /// beside single words: for the index.
    pub(super) fn phrases_completed(&self, bits: u128) -> impl Iterator<Item = (usize, How)> + '_ {
        self.terms.iter().enumerate().filter_map(move |(k, t)| {
            // A synonym before a typo's synonym, when both complete.
            t.phrases
                .iter()
                .filter(|&&(m, _)| completes(bits, m))
                .map(|&(_, how)| how)
                .min_by_key(|&how| how != How::Synonym)
                .map(|how| (k, how))
        })
    }

    /// Each term's best match over the fields of a link (raw Markdown:
    /// its markup splits words as spaces do), offered to `codes` (a byte
    /// a term: [`super::found::Found`]).
    pub(super) fn matches(&self, fields: &[&str; 4], lower: &mut String, codes: &mut [u8]) {
        for (i, field) in fields.iter().enumerate() {
            let mut bits = 0u128;
            each_word(field, lower, |w| {
                let m = self.classify(w);
                self.offer_word(codes, &m, i);
                bits |= m.phrase_words;
            });
            self.phrases_in(i, bits, codes);
        }
    }
}

/// Whether the phrase words seen, `bits`, hold every word of a phrase.
fn completes(bits: u128, phrase: u128) -> bool {
    bits & phrase == phrase
}

/// What each code is worth: its field's weight times its way's.
pub(super) const VALUES: [f32; FIELDS * WAYS + 1] = {
    let mut v = [0.0; FIELDS * WAYS + 1];
    // A prefix, a typo, a synonym, a stem, as written.
    let worth = [0.5, 0.6, 0.75, 0.85, 1.0];
    let mut c = 1;
    while c < v.len() {
        v[c] = FIELD_WEIGHTS[(c - 1) / WAYS] * worth[(c - 1) % WAYS];
        c += 1;
    }
    v
};

/// Which code a term keeps when a link matches it in several ways: any
/// match as the word stands (written, by stem or synonym) before a near
/// one (a typo, a prefix: so those can be set aside without losing what
/// else matched, [`settle_typos`]), then the one worth more (field
/// weights and worths make every value distinct).
fn preferred(c: u8) -> (bool, f32) {
    (c > 0 && !is_near(c), VALUES[c as usize])
}

/// Whether a code is a near match: with a typo, or as a prefix.
pub(super) fn is_near(c: u8) -> bool {
    c > 0 && (c as usize - 1) % WAYS < How::Synonym as usize - 1
}

/// A code of any field made the same match in the page field.
pub(super) fn as_page_code(c: u8) -> u8 {
    if c == 0 {
        0
    } else {
        (PAGE_FIELD * WAYS) as u8 + (c - 1) % WAYS as u8 + 1
    }
}

/// The code of two that a term keeps ([`preferred`]).
pub(super) fn better_code(a: u8, b: u8) -> u8 {
    if preferred(b) > preferred(a) { b } else { a }
}

/// Keeps `how` in `field` for term `k` if it is preferred to what the
/// term has.
pub(super) fn offer(codes: &mut [u8], k: usize, field: usize, how: How) {
    let c = (field * WAYS) as u8 + how as u8;
    if preferred(c) > preferred(codes[k]) {
        codes[k] = c;
    }
}

/// The fields of a link as the ranking reads them: its title; its entry
/// with the detail lines (raw: for a note that is a link, what it says);
/// its headings, note title and tags, and the item it is nested in (a
/// link under a topic: `- Propagation of standards` then `  - <url>`);
/// its URL.
pub(super) fn link_fields<'a>(
    l: &crate::notebook::LinkRef<'a>,
    context: &'a str,
    keep: &'a mut (std::borrow::Cow<'a, str>, String, String),
) -> [&'a str; 4] {
    keep.0 = l.title();
    let entry: &'a str = match l.doc.link_entry_span(l.link) {
        Some(r) => &l.doc.source[r],
        None => {
            keep.1 = l.context();
            &keep.1
        }
    };
    let around: &'a str = match parent_item_text(l) {
        Some(parent) => {
            keep.2 = format!("{context} {parent}");
            &keep.2
        }
        None => context,
    };
    [&keep.0, entry, around, l.url()]
}

/// The text of the item a link's item is nested in, if it is nested.
fn parent_item_text<'a>(l: &crate::notebook::LinkRef<'a>) -> Option<&'a str> {
    use crate::notebook::NodeKind;
    let node = l.doc.node(l.link.node());
    if !matches!(node.kind(), NodeKind::Item { .. }) {
        return None;
    }
    let parent = node.parent();
    matches!(l.doc.node(parent).kind(), NodeKind::Item { .. }).then(|| l.doc.content(parent))
}

/// A link's context field: its headings, note title and tags.
pub(super) fn link_context(l: &crate::notebook::LinkRef<'_>) -> String {
    format!(
        "{} {} {}",
        l.heading_path(),
        l.doc.title,
        l.doc.tags.join(" ")
    )
}

/// What a link's match says: for each term, the field and how it matched.
pub type Explained = Vec<Option<(usize, How)>>;

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
            let m = r.classify(&lower);
            let hit = m.how.iter().any(Option::is_some)
                || r.terms.iter().any(|t| {
                    t.phrases
                        .iter()
                        .any(|&(mask, _)| mask.count_ones() == 1 && m.phrase_words & mask == mask)
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
    use crate::search::found::{Found, explained};

    #[test]
    fn a_page_match_never_displaces_a_whole_match_in_a_links_own_field() {
        // What lets typos be settled before the pages' matches join.
        let own = (1..=(PAGE_FIELD * WAYS) as u8).filter(|&c| !is_near(c));
        for c in own {
            for p in (PAGE_FIELD * WAYS + 1..=FIELDS * WAYS).map(|p| p as u8) {
                assert_eq!(better_code(c, p), c, "{c} against page code {p}");
            }
        }
    }

    fn fields<'a>(title: &'a str, text: &'a str) -> [&'a str; 4] {
        [title, text, "", ""]
    }

    /// Each term's code in a link of this title and text.
    fn codes(r: &Relaxed, title: &str, text: &str) -> Vec<u8> {
        let mut codes = vec![0; r.len()];
        r.matches(&fields(title, text), &mut String::new(), &mut codes);
        codes
    }

    #[test]
    fn words_match_as_written_by_stem_by_vocabulary_and_with_typos() {
        let r = Relaxed::new("restarting k8s kuberntes postgress the", &[]).unwrap();
        let got = explained(&codes(
            &r,
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

    #[test]
    fn a_typo_of_a_word_of_the_vocabulary_finds_its_synonyms_as_a_typo() {
        // `kuberntes` is a typo of `kubernetes`, whose synonym is `k8s`; a
        // team's own group works alike (`hellmann` for `hellman`).
        let team = [vec!["hellman".to_string(), "karpenter".to_string()]];
        let r = Relaxed::new("kuberntes hellmann", &team).unwrap();
        assert_eq!(
            explained(&codes(&r, "k8s at home", "scaling with karpenter")),
            [Some((0, How::Typo)), Some((1, How::Typo))]
        );
        // The word itself still finds them as synonyms, worth more.
        let r = Relaxed::new("kubernetes", &[]).unwrap();
        assert_eq!(
            explained(&codes(&r, "k8s at home", "")),
            [Some((0, How::Synonym))]
        );
    }

    #[test]
    fn irregular_forms_negations_and_prefixes_match_and_typed_words_shed_typos() {
        let r = Relaxed::new("ran unnoticed joel steam", &[]).unwrap();
        let both = codes(
            &r,
            "Running dry without noticing",
            "stream of https://joelonsoftware.com",
        );
        assert_eq!(
            explained(&both),
            [
                Some((0, How::Stem)),
                Some((0, How::Stem)),
                Some((1, How::Prefix)),
                Some((1, How::Typo)),
            ]
        );
        // Another link holds `steam` as typed: the typo goes, and a link
        // left with nothing goes too.
        let mut found = Found::new(2, r.len());
        found.codes_mut(0).copy_from_slice(&both);
        found.codes_mut(1).copy_from_slice(&codes(&r, "Steam", ""));
        found.settle_typos();
        assert_eq!(found.explained(0)[3], None);
        assert_eq!(found.matched().count(), 2);
        let one = Relaxed::new("steam", &[]).unwrap();
        let mut alone = Found::new(2, 1);
        alone
            .codes_mut(0)
            .copy_from_slice(&codes(&one, "stream", ""));
        alone
            .codes_mut(1)
            .copy_from_slice(&codes(&one, "Steam", ""));
        alone.settle_typos();
        assert_eq!(alone.matched().map(|x| x.0).collect::<Vec<_>>(), [1]);
    }
}
