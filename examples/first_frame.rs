//! The whole process, from start to its first frame: opsbook started in a
//! pseudo-terminal on a synthetic notebook, timed until the status bar of
//! the first frame shows. Five runs, the median and the range.
//! `cargo run --release --example first_frame -- 1000000`
//! (after `cargo run --release --example measure -- 1000000` made the notebook).

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn first_frame(binary: &Path, notebook: &Path, home: &Path) -> Duration {
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
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

fn main() {
    let (links, dir) = opsbook::synth::existing_example_notebook();
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/opsbook");
    let home = tempfile::tempdir().expect("home");
    let mut runs: Vec<f64> = (0..5)
        .map(|_| first_frame(&binary, Path::new(&dir), home.path()).as_secs_f64())
        .collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "{links} links: start to first frame median {:.2} s (runs {:.2}–{:.2} s)",
        runs[2], runs[0], runs[4]
    );
}
