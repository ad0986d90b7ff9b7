//! The user's own `git`, run with a timeout: their SSH keys, credential
//! helpers, signing and hooks apply. Nothing of git is re-implemented here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

/// How long one git command may take before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Why a git command failed.
#[derive(Debug, Error)]
pub enum GitError {
    /// `git` is not installed or cannot start.
    #[error("cannot run git: {0}")]
    Start(std::io::Error),
    /// It ran past the timeout and was stopped.
    #[error("git {0} took longer than {1} s and was stopped")]
    Timeout(String, u64),
    /// It failed; the last line it printed says why.
    #[error("git {command} failed: {why}")]
    Failed {
        /// The subcommand.
        command: String,
        /// Its last line of output.
        why: String,
    },
}

/// A work tree and the git that runs in it.
#[derive(Clone, Debug)]
pub struct Git {
    /// The folder git runs in (the notebook).
    pub dir: PathBuf,
    /// The timeout of each command.
    pub timeout: Duration,
}

impl Git {
    /// Git in `dir`.
    pub fn new(dir: &Path) -> Git {
        Git {
            dir: dir.to_path_buf(),
            timeout: TIMEOUT,
        }
    }

    /// Runs `git args…` and gives its standard output.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let mut child = Command::new("git")
            .args(args)
            .current_dir(&self.dir)
            // Never stop to ask for a password in a terminal we do not show.
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_EDITOR", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(GitError::Start)?;
        // Both pipes are drained on threads so that a chatty git never blocks.
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = pipe.read_to_end(&mut out);
                String::from_utf8_lossy(&out).into_owned()
            })
        };
        let out = child.stdout.take().map(|p| drain(Box::new(p)));
        let err = child.stderr.take().map(|p| drain(Box::new(p)));
        let start = Instant::now();
        let status = loop {
            match child.try_wait().map_err(GitError::Start)? {
                Some(status) => break status,
                None if start.elapsed() > self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(GitError::Timeout(
                        args.first().copied().unwrap_or("").to_string(),
                        self.timeout.as_secs(),
                    ));
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
        let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
        if status.success() {
            return Ok(stdout);
        }
        let why = stderr
            .lines()
            .chain(stdout.lines())
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("hint:"))
            .unwrap_or("no output")
            .to_string();
        Err(GitError::Failed {
            command: args.first().copied().unwrap_or("").to_string(),
            why,
        })
    }

    /// Whether the folder is inside a git work tree.
    pub fn is_work_tree(&self) -> bool {
        self.run(&["rev-parse", "--is-inside-work-tree"])
            .is_ok_and(|o| o.trim() == "true")
    }

    /// The text of `path` (relative to the work tree's top) at `rev`, or
    /// `None` when it does not exist there.
    pub fn show(&self, rev: &str, path: &str) -> Option<String> {
        self.run(&["show", &format!("{rev}:{path}")]).ok()
    }

    /// The commit a name points to.
    pub fn rev(&self, name: &str) -> Option<String> {
        self.run(&["rev-parse", "--verify", "--quiet", name])
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}
