//! The crate's layout, checked from its source text (std only, no parser
//! crate): files of `src/` do not depend on each other in cycles, and the
//! README's `## Layout` block names only paths that exist.
//!
//! A cycle between files is what makes a module hard to move, test or read
//! alone; the README's layout is what a newcomer reads first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Sets of files that together hold one type's `impl` blocks: they refer to
/// each other by design, so a cycle inside one set is not reported (a cycle
/// that reaches outside its set still is).
const IMPL_SPREAD: &[&[&str]] = &[&[
    "src/app/state.rs",
    "src/app/git.rs",
    "src/app/health.rs",
    "src/app/save.rs",
    "src/app/pages.rs",
]];

/// Where the paths named in the README's layout may start.
const LAYOUT_ROOTS: &str = "src/ tests/ benches/ examples/ docs/ data/ fuzz/";

/// The crate root: cargo's compile-time value, else the environment's (so
/// this file also runs when built alone with `rustc --test`).
fn root() -> PathBuf {
    let built = option_env!("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let run = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    built.or(run).expect("CARGO_MANIFEST_DIR is not set")
}

/// A word of source and its line; a path is a list of them.
type Word = (String, usize);

fn word(t: &[Word], k: usize) -> &str {
    t.get(k).map_or("", |w| w.0.as_str())
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_ident(w: &str) -> bool {
    w.starts_with(|c: char| word_char(c) && !c.is_ascii_digit())
}

/// Where the comment or literal starting at byte `i` ends, if one does:
/// `//…`, `/*…*/`, `"…"`, `r#"…"#` (and `b`, `br` forms), `'x'`, `'\n'`.
/// A lifetime (`'a`) is none.
fn skipped_end(src: &str, i: usize) -> Option<usize> {
    let rest = &src[i..];
    let raw = ["br", "r"].into_iter().find(|p| rest.starts_with(p));
    if let Some(p) = raw.filter(|_| !src[..i].ends_with(word_char)) {
        let hashes = rest[p.len()..].len() - rest[p.len()..].trim_start_matches('#').len();
        if rest[p.len() + hashes..].starts_with('"') {
            let (close, open) = (
                format!("\"{}", "#".repeat(hashes)),
                i + p.len() + hashes + 1,
            );
            let found = src[open..].find(&close);
            return Some(found.map_or(src.len(), |k| open + k + close.len()));
        }
    }
    let mut chars = rest.char_indices().skip(1);
    match rest.chars().next()? {
        '/' if rest.starts_with("//") => Some(rest.find('\n').map_or(src.len(), |k| i + k)),
        '/' if rest.starts_with("/*") => Some(rest.find("*/").map_or(src.len(), |k| i + k + 2)),
        '"' => {
            let mut escaped = false;
            for (k, c) in chars {
                if c == '"' && !escaped {
                    return Some(i + k + 1);
                }
                escaped = c == '\\' && !escaped;
            }
            Some(src.len())
        }
        '\'' => match (chars.next(), chars.next()) {
            (Some((_, '\\')), _) => Some(rest[2..].find('\'').map_or(src.len(), |k| i + k + 3)),
            (Some(_), Some((k, '\''))) => Some(i + k + 1),
            _ => None,
        },
        _ => None,
    }
}

/// The words of a file: identifiers, `::` and single punctuation, without
/// comments or literals (a path in a doc comment or a message is no
/// reference) and without `#[cfg(test)] mod … { … }` (what a module's tests
/// use is not what the module depends on).
fn words(src: &str) -> Vec<Word> {
    let (mut all, mut line, mut i) = (Vec::new(), 1, 0);
    while let Some(c) = src[i..].chars().next() {
        let skipped = skipped_end(src, i);
        let end = skipped.unwrap_or(match c {
            _ if word_char(c) => src[i..]
                .find(|c| !word_char(c))
                .map_or(src.len(), |k| i + k),
            ':' if src[i..].starts_with("::") => i + 2,
            _ => i + c.len_utf8(),
        });
        if skipped.is_none() && !c.is_whitespace() {
            all.push((src[i..end].to_string(), line));
        }
        line += src[i..end].matches('\n').count();
        i = end;
    }
    let (mut keep, mut i) = (vec![true; all.len()], 0);
    while i < all.len() {
        let mut j = i + 7 + usize::from(word(&all, i + 7) == "pub");
        if (0..7).all(|k| word(&all, i + k) == ["#", "[", "cfg", "(", "test", ")", "]"][k]) {
            if word(&all, j) == "(" {
                j += (j..all.len()).take_while(|&k| word(&all, k) != ")").count() + 1; // pub(super)
            }
            if word(&all, j) == "mod" && word(&all, j + 2) == "{" {
                let mut depth = 0;
                let end = (j + 2..all.len()).find(|&k| {
                    depth += i32::from(word(&all, k) == "{") - i32::from(word(&all, k) == "}");
                    depth == 0
                });
                j = end.unwrap_or(all.len() - 1);
                keep[i..=j].fill(false);
                i = j;
            }
        }
        i += 1;
    }
    let kept = all.into_iter().zip(keep);
    kept.filter_map(|(t, k)| k.then_some(t)).collect()
}

/// Reads the path or use-tree at `t[i]` (`a::b`, `a::{b, c::{d, self}}`,
/// `a::*`, `a as b`), pushing each leaf's whole path; returns where it ends.
fn use_tree(t: &[Word], mut i: usize, prefix: &[Word], out: &mut Vec<Vec<Word>>) -> usize {
    let mut path = prefix.to_vec();
    while word(t, i) == "{" || is_ident(word(t, i)) {
        if word(t, i) == "{" {
            i += 1;
            while i < t.len() && word(t, i) != "}" {
                let next = if word(t, i) == "," {
                    i
                } else {
                    use_tree(t, i, &path, out)
                };
                i = next.max(i + 1);
            }
            return i + 1;
        }
        path.push(t[i].clone());
        i += 1;
        if word(t, i) != "::" {
            out.push(path);
            return i + if word(t, i) == "as" { 2 } else { 0 };
        }
        i += 1;
    }
    out.push(path);
    i + usize::from(word(t, i) == "*")
}

/// The library's files (not `src/main.rs` or `src/bin/`) by module path:
/// `src/a/b.rs` is `a::b`, `src/a/mod.rs` is `a`, `src/lib.rs` is the crate.
fn library_files(root: &Path) -> BTreeMap<Vec<String>, String> {
    let (mut files, mut dirs) = (BTreeMap::new(), vec![root.join("src")]);
    while let Some(dir) = dirs.pop() {
        for p in fs::read_dir(dir).expect("read src/").flatten() {
            let p = p.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy();
            let rel = rel.replace('\\', "/");
            if p.is_dir() {
                dirs.push(p);
            } else if rel.ends_with(".rs") && rel != "src/main.rs" && !rel.starts_with("src/bin/") {
                let mut module: Vec<String> =
                    rel[4..rel.len() - 3].split('/').map(Into::into).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                files.insert(module, rel);
            }
        }
    }
    files
}

/// Edges `(from, to)` between files, each with the first line that makes it.
/// A path starting with `crate`, `self`, `super` or a child declared by
/// `mod x;` goes to the longest prefix that is a file. `mod x;` is no edge,
/// nor a path to the file itself, nor a `pub use` of the file's own
/// descendants: a module's facade re-exporting its parts does not use them.
/// A child's path to its parent's `mod.rs` is an edge: a parent that calls
/// into a child which uses the parent's own items is a circle.
type Edges = BTreeMap<(String, String), (usize, String)>;
fn edges(root: &Path, files: &BTreeMap<Vec<String>, String>) -> Edges {
    let mut edges = Edges::new();
    for (module, rel) in files {
        let src = fs::read_to_string(root.join(rel)).expect("read a source file");
        let t = words(&src);
        let declares = |k: &usize| word(&t, *k) == "mod" && word(&t, k + 2) == ";";
        let children: BTreeSet<&str> = (0..t.len())
            .filter(declares)
            .map(|k| word(&t, k + 1))
            .collect();
        let (mut paths, mut reexported, mut i) = (Vec::new(), BTreeSet::new(), 0);
        while i < t.len() {
            let inner = i > 0 && matches!(word(&t, i - 1), "::" | ".");
            let starts = is_ident(word(&t, i)) && word(&t, i + 1) == "::" && !inner;
            i = if starts {
                let before = paths.len();
                let next = use_tree(&t, i, &[], &mut paths);
                if i >= 2 && word(&t, i - 1) == "use" && word(&t, i - 2) == "pub" {
                    reexported.extend(before..paths.len());
                }
                next
            } else {
                i + 1
            };
        }
        for (n, path) in paths.into_iter().enumerate() {
            let ups = path.iter().take_while(|s| s.0 == "super").count();
            let (base, rest) = match path[0].0.as_str() {
                "crate" => (&module[..0], &path[1..]),
                "self" => (&module[..], &path[1..]),
                "super" => (&module[..module.len().saturating_sub(ups)], &path[ups..]),
                c if children.contains(c) => (&module[..], &path[..]),
                _ => continue,
            };
            let mut full: Vec<Word> = base.iter().map(|s| (s.clone(), path[0].1)).collect();
            full.extend(rest.iter().filter(|s| s.0 != "self").cloned());
            let names: Vec<String> = full.iter().map(|s| s.0.clone()).collect();
            let len = (0..=names.len())
                .rev()
                .find(|&l| files.contains_key(&names[..l]));
            let len = len.unwrap_or(0);
            let facade = reexported.contains(&n) && names[..len].starts_with(module);
            if names[..len] != module[..] && !facade {
                let line = full.get(len.wrapping_sub(1)).map_or(path[0].1, |s| s.1);
                let text = src.lines().nth(line - 1).unwrap_or("").trim().to_string();
                let to = files[&names[..len]].clone();
                edges.entry((rel.clone(), to)).or_insert((line, text));
            }
        }
    }
    edges
}

/// Strongly connected components of more than one file: for each file, the
/// files it reaches that reach it back.
fn cycles(files: &[&String], edges: &Edges) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let (mut seen, mut todo) = (BTreeSet::from([from.clone()]), vec![from.clone()]);
        while let Some(a) = todo.pop() {
            let from_a = edges.range((a.clone(), String::new())..);
            for ((_, b), _) in from_a.take_while(|e| e.0.0 == a) {
                if seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        files.iter().map(|&f| (f, reach(f))).collect();
    let mut comps = BTreeSet::new();
    for f in files {
        let back: Vec<String> = reached[f]
            .iter()
            .filter(|g| reached[g].contains(*f))
            .cloned()
            .collect();
        if back.len() > 1 {
            comps.insert(back);
        }
    }
    comps.into_iter().collect()
}

#[test]
fn no_import_cycles_between_files() {
    let root = root();
    let files = library_files(&root);
    assert!(
        files.contains_key(&Vec::new()),
        "no src/lib.rs under {}",
        root.display()
    );
    let edges = edges(&root, &files);
    let mut report = String::new();
    for comp in cycles(&files.values().collect::<Vec<_>>(), &edges) {
        if IMPL_SPREAD
            .iter()
            .any(|set| comp.iter().all(|f| set.contains(&f.as_str())))
        {
            continue;
        }
        writeln!(report, "cycle: {}", comp.join(", ")).unwrap();
        for a in &comp {
            if let Some(((_, b), (line, text))) =
                edges.iter().find(|e| e.0.0 == *a && comp.contains(&e.0.1))
            {
                writeln!(report, "    {a}:{line} -> {b}    {text}").unwrap();
            }
        }
    }
    assert!(
        report.is_empty(),
        "files of src/ that depend on each other in a cycle (move what they share into one of \
         them or a new file; or, for one type's impl blocks, list them in IMPL_SPREAD):\n{report}"
    );
}

#[test]
fn readme_layout_names_existing_paths() {
    let root = root();
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md at the crate root");
    let mut lines = readme.lines().skip_while(|l| *l != "## Layout");
    assert!(
        lines.next().is_some(),
        "README.md has no `## Layout` heading (exactly that line)"
    );
    let (mut in_block, mut named, mut missing) = (false, 0, Vec::new());
    for line in lines {
        let first = line.split_whitespace().next().unwrap_or("");
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            break; // the next heading ends the section
        } else if in_block && LAYOUT_ROOTS.split(' ').any(|r| first.starts_with(r)) {
            named += 1;
            let p = root.join(first);
            if !(if first.ends_with('/') {
                p.is_dir()
            } else {
                p.exists()
            }) {
                missing.push(first.to_string());
            }
        }
    }
    assert!(
        named > 0,
        "README.md's `## Layout` has no code block of paths under {LAYOUT_ROOTS}"
    );
    assert!(
        missing.is_empty(),
        "README.md's `## Layout` names paths that do not exist: {missing:?}"
    );
}
