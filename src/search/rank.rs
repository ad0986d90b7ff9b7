//! How a match ranks. Each query term is scored against each field of a
//! candidate and counts where it does best:
//!
//! 1. how it matches: a whole word beats the start of a word, which beats
//!    letters inside a word, which beat letters scattered (fuzzy);
//! 2. where: the title beats the item's text, which beats the headings,
//!    which beat the URL;
//! 3. the matcher's own score (or, for words, how early they stand).
//!
//! Ties go to the shorter candidate. Long fields (an item's description)
//! match words only, never scattered letters, so a long text cannot match
//! every short query.

use memchr::arch::all::packedpair::Pair;
use memchr::{memchr2, memchr2_iter};
use nucleo_matcher::chars::{normalize, to_lower_case};

/// A text of a candidate, and what a match in it is worth.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    /// The text.
    pub text: &'a str,
    /// 1 (URL) to 4 (title).
    pub weight: u8,
    /// Whether scattered letters may match here.
    pub fuzzy: bool,
}

/// Field weights.
pub mod weight {
    /// The link's title.
    pub const TITLE: u8 = 4;
    /// The text of the item (or note) itself.
    pub const TEXT: u8 = 3;
    /// Heading path, document title and tags.
    pub const CONTEXT: u8 = 2;
    /// The URL.
    pub const URL: u8 = 1;
}

const TIER: u32 = 100_000;
const WEIGHT: u32 = 10_000;
/// The most a match's bonus adds (below one step of field weight).
pub const BONUS_MAX: u32 = 9_999;

/// How a term's letters stand in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// Scattered (fuzzy).
    Scattered = 1,
    /// In one piece, inside a word.
    Inside = 2,
    /// In one piece at the start of a word.
    WordStart = 3,
    /// A whole word.
    Word = 4,
}

/// The value of a term's match: how, where, and a bonus below both.
pub fn value(fit: Fit, weight: u8, bonus: u32) -> u32 {
    fit as u32 * TIER + u32::from(weight) * WEIGHT + bonus.min(BONUS_MAX)
}

/// How a match of terms with `values` in a candidate of `len` bytes ranks:
/// higher is better; shorter candidates win ties.
pub fn total(values: u32, len: usize) -> u32 {
    let shortness = 255 - (len / 8).min(255) as u32;
    values.saturating_mul(256).saturating_add(shortness)
}

/// A term as typed, for finding it as a word. Case matters only when the
/// term has capitals (smart case).
#[derive(Clone, Debug)]
pub struct Word {
    text: String,
    fold: bool,
    /// The byte of the term looked for first: the rarest in most texts
    /// (memchr's own guess), so fewer places are compared in full.
    rare: usize,
}

impl Word {
    /// The word of a term's needle.
    pub fn new(needle: &str) -> Word {
        let lower = needle.to_ascii_lowercase();
        Word {
            text: needle.to_string(),
            fold: !needle.chars().any(char::is_uppercase),
            rare: Pair::new(lower.as_bytes()).map_or(0, |p| usize::from(p.index1())),
        }
    }

    /// Every byte where the term stands in one piece in `hay`.
    pub fn positions<'h>(&'h self, hay: &'h str) -> impl Iterator<Item = usize> + 'h {
        let needle = self.text.as_bytes();
        let bytes = hay.as_bytes();
        let rare = needle.get(self.rare).copied().unwrap_or(0);
        let (a, b) = if self.fold {
            (rare.to_ascii_lowercase(), rare.to_ascii_uppercase())
        } else {
            (rare, rare)
        };
        let end = if needle.is_empty() || needle.len() > bytes.len() {
            0
        } else {
            bytes.len() - needle.len() + 1
        };
        // Where the rare byte is, the term would start `rare` bytes before.
        let from = if end == 0 { 0 } else { self.rare };
        memchr2_iter(a, b, &bytes[from..from + end]).filter(move |&i| {
            let candidate = &bytes[i..i + needle.len()];
            if self.fold {
                candidate.eq_ignore_ascii_case(needle)
            } else {
                candidate == needle
            }
        })
    }

    /// Whether the term's letters may stand in `hay` in order, scattered:
    /// `false` only when they surely do not, so the matcher, which first
    /// splits the whole text into graphemes, is spared most texts that
    /// cannot match. A letter beyond ASCII counts as every letter it folds
    /// to as the matcher folds it (`é` as `e`, `K` the kelvin sign as `k`).
    pub fn may_be_scattered_in(&self, hay: &str) -> bool {
        if !self.text.is_ascii() {
            return true;
        }
        let needle = self.text.as_bytes();
        if hay.is_ascii() {
            let bytes = hay.as_bytes();
            let mut at = 0;
            return needle.iter().all(|&c| {
                let found = memchr2(c.to_ascii_lowercase(), c.to_ascii_uppercase(), &bytes[at..]);
                found.map(|i| at += i + 1).is_some()
            });
        }
        let mut rest = hay.chars();
        needle.iter().all(|&c| {
            let c = char::from(c.to_ascii_lowercase());
            rest.any(|h| folds_to(h, c))
        })
    }

    /// The length of the term in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the term is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Where the term stands in one piece in `hay`, and how well: the best
    /// fit, and at which byte.
    pub fn find(&self, hay: &str) -> Option<(Fit, usize)> {
        let needle = self.text.as_bytes();
        let bytes = hay.as_bytes();
        let mut best: Option<(Fit, usize)> = None;
        for i in self.positions(hay) {
            let starts = i == 0 || !is_word_byte(bytes[i - 1]);
            let ends = bytes
                .get(i + needle.len())
                .is_none_or(|&c| !is_word_byte(c));
            let fit = match (starts, ends) {
                (true, true) => Fit::Word,
                (true, false) => Fit::WordStart,
                _ => Fit::Inside,
            };
            if best.is_none_or(|(f, _)| fit > f) {
                best = Some((fit, i));
                if fit == Fit::Word {
                    break;
                }
            }
        }
        best
    }
}

/// Whether the matcher may take `h` for the lowercase ASCII letter `c`,
/// whichever it does first of folding case and dropping accents.
fn folds_to(h: char, c: char) -> bool {
    if h.is_ascii() {
        return h.to_ascii_lowercase() == c;
    }
    normalize(to_lower_case(h)).to_ascii_lowercase() == c
        || to_lower_case(normalize(h)).to_ascii_lowercase() == c
}

/// Letters and digits continue a word; non-ASCII bytes count as letters.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// A bonus for standing early in a text (at most 999: less than what the
/// second link of an item gives up, see [`SECONDARY`]).
pub fn earliness(at: usize) -> u32 {
    999u32.saturating_sub(at as u32)
}

/// What a link gives up for following another in its item (the company or
/// source link after the write-up): more than two terms' earliness, less
/// than one term's step in field weight.
pub const SECONDARY: u32 = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scattered_letters_are_ruled_out_only_when_surely_absent() {
        let w = Word::new("kbn");
        assert!(w.may_be_scattered_in("Kubernetes"));
        assert!(!w.may_be_scattered_in("kernel bug"), "n before b only");
        assert!(!w.may_be_scattered_in("cafe bank"));
        // A letter beyond ASCII counts as the letters it folds to.
        assert!(!w.may_be_scattered_in("k é n"));
        assert!(Word::new("kue").may_be_scattered_in("Kübé"));
        assert!(Word::new("kub").may_be_scattered_in("\u{212A}ubernetes"));
        assert!(!Word::new("kub").may_be_scattered_in("東京 kernel"));
        // A term beyond ASCII: the matcher decides.
        assert!(Word::new("kubé").may_be_scattered_in("nothing alike"));
        // Whatever it rules out, the matcher finds nothing in either.
        let mut s = crate::search::Scorer::default();
        let q = crate::search::Query::new("kbn");
        assert_eq!(s.score(&q, &["kernel bug"]), None);
        assert_eq!(s.score(&q, &["cafe bank"]), None);
        assert!(s.score(&q, &["Kubernetes"]).is_some());
    }

    #[test]
    fn what_the_matcher_matches_is_never_ruled_out() {
        let hays = [
            "Kübernetes outage",
            "\u{212A}ubernetes",
            "ＫＵＢＥ full width",
            "Straße ǅungla Ǆ",
            "e\u{301}tcd cafe\u{301}",
            "東京 outage — ÖU ou",
            "ﬁle system ﬂaky",
            "İstanbul ΩMEGA",
        ];
        let needles = [
            "kub", "kube", "ou", "oU", "etcd", "cafe", "file", "fl", "istan", "dz", "ss", "x",
        ];
        use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
        let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
        let mut buf = Vec::new();
        let mut matches = 0;
        for hay in hays {
            for needle in needles {
                let pattern = Pattern::parse(needle, CaseMatching::Smart, Normalization::Smart);
                let hay32 = nucleo_matcher::Utf32Str::new(hay, &mut buf);
                let matched = pattern.score(hay32, &mut matcher).is_some();
                matches += usize::from(matched);
                let kept = Word::new(needle).may_be_scattered_in(hay);
                assert!(kept || !matched, "{needle:?} in {hay:?}");
            }
        }
        // Folding case and accents, the matcher takes 13 of them (`Kübernetes`
        // for `kub`, `İstanbul` for `istan`, `ß` for an `s`).
        assert_eq!(matches, 13);
        assert!(!Word::new("x").may_be_scattered_in(hays[5]));
    }

    #[test]
    fn every_place_a_term_stands_is_found_in_order() {
        let at = |w: &str, hay: &str| Word::new(w).positions(hay).collect::<Vec<_>>();
        assert_eq!(at("ou", "our house; you OU"), vec![0, 5, 12, 15]);
        assert_eq!(at("bernet", "kubernetes Bernet"), vec![2, 11]);
        assert_eq!(at("Bernet", "kubernetes Bernet"), vec![11]);
        assert_eq!(at("café", "le café, CAFÉ"), vec![3]);
        assert_eq!(at("outage", "out"), Vec::<usize>::new());
        assert_eq!(at("zq", "azqzq"), vec![1, 3]);
    }

    #[test]
    fn words_are_found_with_how_well_they_fit() {
        let w = Word::new("health");
        assert_eq!(
            w.find("disabled Health checks"),
            Some((Fit::Word, 9)),
            "case folds"
        );
        assert_eq!(w.find("healthy"), Some((Fit::WordStart, 0)));
        assert_eq!(w.find("unhealthy, then health"), Some((Fit::Word, 16)));
        assert_eq!(w.find("unhealthy"), Some((Fit::Inside, 2)));
        assert_eq!(w.find("h e a l t h"), None);
        assert_eq!(Word::new("Health").find("health"), None, "capitals matter");
        assert_eq!(
            Word::new("us-east").find("in us-east;"),
            Some((Fit::Word, 3))
        );
        assert_eq!(Word::new("café").find("le café."), Some((Fit::Word, 3)));
    }

    #[test]
    fn how_beats_where_beats_bonus() {
        assert!(value(Fit::Word, weight::URL, 0) > value(Fit::WordStart, weight::TITLE, 9_999));
        assert!(value(Fit::Inside, weight::TITLE, 0) > value(Fit::Inside, weight::TEXT, 9_999));
        assert!(value(Fit::Inside, weight::URL, 0) > value(Fit::Scattered, weight::TITLE, 99_999));
        assert!(total(10, 1000) > total(9, 0));
        assert!(total(10, 10) > total(10, 100));
    }
}
