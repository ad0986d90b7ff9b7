//! How many postmortems of a list filed by category get the year a careful
//! reader gives them: `cargo run --release --example years -- DIR JUDGED.tsv`.
//!
//! `JUDGED.tsv` holds `line`, `url`, `judged_year` (empty: the item names
//! no year) for the first link of each item, judged by reading the list
//! before any of this code ran on it. Prints dated items read right, wrong
//! and missed, and undated items given a year.

use std::collections::HashMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(judged)) = (args.next(), args.next()) else {
        eprintln!("usage: years DIR JUDGED.tsv");
        std::process::exit(2);
    };
    let loaded = match opsbook::storage::load(std::path::Path::new(&dir)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("years: {e}");
            std::process::exit(1);
        }
    };
    let nb = loaded.notebook;
    let mut years: HashMap<(u32, String), (Option<u16>, bool)> = HashMap::new();
    for l in nb.links() {
        let line = l.doc.line_of(l.link.offset as usize);
        years.insert((line, l.url().to_string()), (l.year(), l.year_inferred()));
    }
    let text = match std::fs::read_to_string(&judged) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("years: {judged}: {e}");
            std::process::exit(1);
        }
    };
    let (mut dated, mut right, mut wrong, mut missed, mut undated, mut false_years) =
        (0, 0, 0, 0, 0, 0);
    for row in text.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (Some(line), Some(url), judged) = (
            cols.first().and_then(|l| l.parse::<u32>().ok()),
            cols.get(1),
            cols.get(2).and_then(|y| y.trim().parse::<u16>().ok()),
        ) else {
            continue;
        };
        let (read, inferred) = years
            .get(&(line, url.to_string()))
            .copied()
            .unwrap_or((None, false));
        match judged {
            Some(y) => {
                dated += 1;
                match read {
                    Some(r) if r == y => right += 1,
                    Some(r) => {
                        wrong += 1;
                        println!("wrong   line {line}: read {r}, judged {y}  {url}");
                    }
                    None => {
                        missed += 1;
                        println!("missed  line {line}: judged {y}  {url}");
                    }
                }
            }
            None => {
                undated += 1;
                if let (Some(r), true) = (read, inferred) {
                    false_years += 1;
                    println!("false   line {line}: read {r}, the item names none  {url}");
                }
            }
        }
    }
    let share = if dated > 0 {
        100.0 * right as f64 / dated as f64
    } else {
        0.0
    };
    println!(
        "{dated} dated: {right} right ({share:.1}%), {wrong} wrong, {missed} missed; {undated} undated: {false_years} given a year"
    );
}
