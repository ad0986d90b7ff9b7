//! The fault run: `opsbook sync` killed (`kill -9`) at 100 random moments,
//! and `opsbook jot` racing an editor that saves as fast as it can; counts
//! the lines lost. One command, after a build of the binary:
//!
//! ```sh
//! cargo build --release && cargo run --release --example faults -- [KILLS] [RACE_SECS] [SEED]
//! ```
//!
//! Runs in a temporary folder with its own git remote; git reads no global
//! or system configuration. Exits 1 if any line is lost.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const GIT_ENV: [(&str, &str); 6] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_NAME", "Fault run"),
    ("GIT_AUTHOR_EMAIL", "faults@example.org"),
    ("GIT_COMMITTER_NAME", "Fault run"),
    ("GIT_COMMITTER_EMAIL", "faults@example.org"),
];

/// A small seeded random source (xorshift64*): runs can be repeated.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(GIT_ENV)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The opsbook binary built beside this example.
fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target folder");
    let bin = dir.join("opsbook");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    bin
}

fn opsbook(bin: &Path, home: &Path) -> Command {
    let mut c = Command::new(bin);
    c.envs(GIT_ENV)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn main() {
    let mut args = std::env::args().skip(1);
    let kills: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let race_secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x5eed_f00d);
    let bin = binary();
    let tmp = tempfile::tempdir().expect("temporary folder");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let lost_sync = sync_kills(&bin, tmp.path(), &home, kills, Rng(seed | 1));
    let lost_race = jot_race(&bin, tmp.path(), &home, Duration::from_secs(race_secs));
    println!("lines lost: {}", lost_sync + lost_race);
    if lost_sync + lost_race > 0 {
        std::process::exit(1);
    }
}

/// Kills `opsbook sync` at random moments while both clones add lines;
/// after each kill a plain sync must finish with every line in place.
fn sync_kills(bin: &Path, tmp: &Path, home: &Path, kills: usize, mut rng: Rng) -> usize {
    let remote = tmp.join("remote.git");
    git(
        tmp,
        &[
            "init",
            "--quiet",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    let seed = tmp.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git(&seed, &["init", "--quiet", "-b", "main"]);
    std::fs::write(
        seed.join("cal.md"),
        "# Lunch and learn\n\n- Nov 2, 2026 - Start\n",
    )
    .unwrap();
    std::fs::write(seed.join("theirs.md"), "# Theirs\n").unwrap();
    git(&seed, &["add", "."]);
    git(&seed, &["commit", "--quiet", "-m", "seed"]);
    git(
        &seed,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(&seed, &["push", "--quiet", "-u", "origin", "main"]);
    let (a, b) = (tmp.join("a"), tmp.join("b"));
    for c in [&a, &b] {
        git(
            tmp,
            &[
                "clone",
                "--quiet",
                remote.to_str().unwrap(),
                c.to_str().unwrap(),
            ],
        );
    }
    let mut expected: Vec<(String, &str)> = Vec::new();
    let (mut killed, mut finished, mut lost) = (0, 0, 0);
    let start = Instant::now();
    for i in 0..kills {
        // The other clone adds a line and syncs as usual.
        let theirs = format!("- their line {i}\n");
        let path = b.join("theirs.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}{theirs}")).unwrap();
        let _ = opsbook(bin, home)
            .args(["sync", "--notebook"])
            .arg(&b)
            .status();
        expected.push((theirs, "theirs.md"));
        // This clone jots, then its sync is killed at a random moment.
        let mine = format!("topic {i}");
        let _ = opsbook(bin, home)
            .args(["jot", "--notebook"])
            .arg(&a)
            .arg(&mine)
            .status();
        expected.push((format!("  - {mine}\n"), "cal.md"));
        let mut child = opsbook(bin, home)
            .args(["sync", "--notebook"])
            .arg(&a)
            .spawn()
            .expect("sync starts");
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        match child.try_wait() {
            Ok(Some(_)) => finished += 1,
            _ => {
                let _ = child.kill();
                killed += 1;
            }
        }
        let _ = child.wait();
        // A plain sync afterwards: must finish, and lose nothing.
        let ok = opsbook(bin, home)
            .args(["sync", "--notebook"])
            .arg(&a)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!("sync after kill {i} did not finish");
        }
    }
    let _ = opsbook(bin, home)
        .args(["sync", "--notebook"])
        .arg(&b)
        .status();
    for (line, file) in &expected {
        let upstream = git(&a, &["show", &format!("origin/main:{file}")]);
        let here = std::fs::read_to_string(a.join(file)).unwrap_or_default();
        if !upstream.contains(line.as_str()) || !here.contains(line.as_str()) {
            lost += 1;
            println!("lost {line:?} of {file}");
        }
    }
    println!(
        "sync: {kills} runs, {killed} killed mid-way, {finished} done before the kill, {} lines checked, {lost} lost ({:.0} s)",
        expected.len(),
        start.elapsed().as_secs_f64()
    );
    lost
}

/// `opsbook jot` in a loop while an editor saves as fast as it can.
fn jot_race(bin: &Path, tmp: &Path, home: &Path, length: Duration) -> usize {
    let notes = tmp.join("race");
    std::fs::create_dir_all(&notes).unwrap();
    let cal = notes.join("cal.md");
    std::fs::write(&cal, "# Cal\n\n- Nov 22, 2020 - Retro\n\n## Editor\n").unwrap();
    let stop = AtomicBool::new(false);
    let (editor, jots) = std::thread::scope(|scope| {
        let editor = scope.spawn(|| {
            let mut saved = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let text = std::fs::read_to_string(&cal).unwrap();
                let line = format!("editor line {}\n", saved.len());
                let at = text.len();
                let hash = opsbook::notebook::edit::content_hash(text.as_bytes());
                if opsbook::storage::write_edit(&cal, hash, at..at, &line).is_ok() {
                    saved.push(line);
                }
                // An editor saving every 10 ms: far faster than any autosave.
                std::thread::sleep(Duration::from_millis(10));
            }
            saved
        });
        let until = Instant::now() + length;
        let mut jots = Vec::new();
        while Instant::now() < until {
            let words = format!("jot {}", jots.len());
            let ok = opsbook(bin, home)
                .args(["jot", "--notebook"])
                .arg(&notes)
                .arg(&words)
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                jots.push(words);
            }
        }
        stop.store(true, Ordering::Relaxed);
        (editor.join().unwrap(), jots)
    });
    let text = std::fs::read_to_string(&cal).unwrap();
    let lost = editor.iter().filter(|l| !text.contains(l.as_str())).count()
        + jots
            .iter()
            .filter(|j| !text.contains(&format!("- {j}\n")))
            .count();
    println!(
        "jot race: {} jots and {} editor saves in {} s, {lost} lost",
        jots.len(),
        editor.len(),
        length.as_secs()
    );
    lost
}
