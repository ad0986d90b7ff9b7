//! The whole process, from start to its first frame: opsbook started in a
//! pseudo-terminal on a synthetic notebook, timed until the status bar of
//! the first frame shows. Five runs, the median and the range; then the
//! process's memory two seconds after its first frame (its indexes built),
//! against the notebook's bytes.
//! `cargo run --release --example first_frame -- 1000000`
//! (after `cargo run --release --example measure -- 1000000` made the notebook).
//! `BINARY=/path/to/opsbook` measures another build (an older commit's, for
//! a side-by-side run in the same hour); by default, target/release/opsbook.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A field of /proc/PID/status, in bytes.
fn status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

/// Time to the first frame, and the peak and resident memory two seconds later.
fn first_frame(binary: &Path, notebook: &Path, home: &Path) -> (Duration, u64, u64) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 36,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(binary);
    cmd.arg("--notebook");
    cmd.arg(notebook);
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(36).unwrap(),
        std::num::NonZeroU16::new(120).unwrap(),
        0,
    );
    let mut buf = [0u8; 65536];
    let elapsed = loop {
        let n = reader.read(&mut buf).expect("read");
        parser.process(&buf[..n]);
        if parser.screen().contents().contains(" NORMAL ") {
            break start.elapsed();
        }
    };
    // Keep reading, so a frame never blocks on a full pty.
    let until = Instant::now() + Duration::from_secs(settle());
    std::thread::spawn(move || while reader.read(&mut buf).is_ok_and(|n| n > 0) {});
    std::thread::sleep(until.saturating_duration_since(Instant::now()));
    let pid = child.process_id().unwrap_or(0);
    let memory = (status(pid, "VmHWM:"), status(pid, "VmRSS:"));
    let _ = child.kill();
    let _ = child.wait();
    (elapsed, memory.0, memory.1)
}

/// Seconds to wait after the first frame before reading the memory: long
/// enough for the search index to be built (`SETTLE_SECS`, 8 by default).
fn settle() -> u64 {
    std::env::var("SETTLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8)
}

fn main() {
    let (links, dir) = opsbook::synth::existing_example_notebook();
    let binary = std::env::var_os("BINARY")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/opsbook"));
    let home = tempfile::tempdir().expect("home");
    let measured: Vec<(Duration, u64, u64)> = (0..5)
        .map(|_| first_frame(&binary, Path::new(&dir), home.path()))
        .collect();
    let mut runs: Vec<f64> = measured.iter().map(|m| m.0.as_secs_f64()).collect();
    runs.sort_by(f64::total_cmp);
    let bytes = opsbook::storage::load(Path::new(&dir))
        .expect("loads")
        .notebook
        .source_bytes() as f64;
    let most =
        |f: fn(&(Duration, u64, u64)) -> u64| measured.iter().map(f).max().unwrap_or(0) as f64;
    println!(
        "{}, {links} links: start to first frame median {:.2} s (runs {:.2}–{:.2} s)",
        binary.display(),
        runs[2],
        runs[0],
        runs[4]
    );
    println!(
        "memory {} s after the first frame (the search index built), most of five runs: peak {:.1} MB = {:.2}x the notebook, resident {:.1} MB = {:.2}x",
        settle(),
        most(|m| m.1) / 1e6,
        most(|m| m.1) / bytes,
        most(|m| m.2) / 1e6,
        most(|m| m.2) / bytes
    );
}
