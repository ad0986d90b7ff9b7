//! Git for the tests: no global or system configuration read, a fixed
//! author, and a helper that fails the test with git's own message.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// The environment every git in the tests runs with.
pub const GIT_ENV: [(&str, &str); 6] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_NAME", "Tester"),
    ("GIT_AUTHOR_EMAIL", "tester@example.org"),
    ("GIT_COMMITTER_NAME", "Tester"),
    ("GIT_COMMITTER_EMAIL", "tester@example.org"),
];

/// `c` with `GIT_ENV` set.
pub fn git_env(c: &mut Command) -> &mut Command {
    c.envs(GIT_ENV.iter().map(|(k, v)| (*k, *v)))
}

/// Runs git in `dir`; its standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = git_env(&mut Command::new("git"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}
