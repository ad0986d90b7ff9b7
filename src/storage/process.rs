//! Which opsbook processes are alive: temporary files and journal entries
//! carry the pid of the process that made them, so a new start cleans up
//! after dead ones and never touches a running instance's.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// This process's id.
pub fn this() -> u32 {
    std::process::id()
}

/// Whether a process with this id is running.
pub fn alive(pid: u32) -> bool {
    if pid == this() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // Signal 0 checks without sending; EPERM means it exists but is not ours.
        let r = unsafe { libc::kill(pid, 0) };
        let exists = r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
        // A process killed but not yet reaped by its parent (a zombie, `Z`)
        // answers the signal, yet runs no more: its journal is a leftover.
        exists && !zombie(pid as u32)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Whether a process has ended and waits for its parent to reap it
/// (`/proc/PID/stat`'s third field is `Z`); false where it cannot be read.
fn zombie(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    stat.rfind(')')
        .and_then(|i| stat[i + 1..].split_whitespace().next())
        .is_some_and(|state| state == "Z")
}

/// When a process started, in clock ticks since boot (`/proc/PID/stat`'s
/// 22nd field): with its pid, what names one process for good, since pids
/// are handed out again. `None` where it cannot be read.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// One running program: its pid and when it started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The process id.
    pub pid: u32,
    /// When it started (see [`start_time`]); 0 when unknown.
    pub started: u64,
}

impl Instance {
    /// This process.
    pub fn this() -> Instance {
        Instance {
            pid: this(),
            started: start_time(this()).unwrap_or(0),
        }
    }

    /// Written as `PID-STARTED`, as names and marker files carry it.
    pub fn label(&self) -> String {
        format!("{}-{}", self.pid, self.started)
    }

    /// Read from `PID-STARTED`, or a bare `PID` (from before start times
    /// were kept: started unknown).
    pub fn parse(text: &str) -> Option<Instance> {
        let (pid, started) = text.trim().split_once('-').unwrap_or((text.trim(), "0"));
        Some(Instance {
            pid: pid.parse().ok()?,
            started: started.parse().ok()?,
        })
    }

    /// Whether this program is still running: its pid is alive and, when
    /// both are known, started when it did (a reused pid is another program).
    pub fn alive(&self) -> bool {
        // Pid 0 is nobody (a mark left for whoever comes next).
        if self.pid == 0 || !alive(self.pid) {
            return false;
        }
        match (self.started, start_time(self.pid)) {
            (0, _) | (_, None) => true,
            (then, Some(now)) => then == now,
        }
    }
}

/// The pid in a name such as `.opsbook-1234-Xy9.tmp` or `0123abcd-1234.json`,
/// after `prefix`.
pub fn pid_after<'a>(name: &'a str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?;
    let digits: &'a str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    digits.parse().ok()
}

/// Temporary files of atomic writes left by processes that died during a
/// save, in `dir` and the folders under it (hidden ones too), are removed;
/// those of live instances are kept. Returns how many were removed.
pub fn clean_stale_temp_files(dir: &Path) -> usize {
    let old = SystemTime::now() - Duration::from_secs(600);
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            if !name.starts_with(".opsbook-") || !name.ends_with(".tmp") {
                return false;
            }
            match pid_after(&name, ".opsbook-") {
                Some(pid) => !alive(pid),
                // From before temporary files carried a pid: stale once old.
                None => e
                    .metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .is_some_and(|t| t < old),
            }
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_child_not_yet_reaped_is_not_alive() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep runs");
        let pid = child.id();
        assert!(alive(pid));
        child.kill().expect("killed");
        // Not waited for yet: a zombie until `wait`.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !zombie(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(zombie(pid));
        assert!(!alive(pid));
        child.wait().expect("reaped");
    }

    #[test]
    fn an_instance_is_its_pid_and_start_time_so_a_reused_pid_is_not_it() {
        let me = Instance::this();
        assert!(me.started > 0);
        assert!(me.alive());
        assert_eq!(Instance::parse(&me.label()), Some(me));
        // Pid 1 is running, but started long before this test: not "me".
        let init = Instance {
            pid: 1,
            started: me.started,
        };
        assert!(alive(1) && !init.alive());
        assert_eq!(
            Instance::parse("1234"),
            Some(Instance {
                pid: 1234,
                started: 0
            })
        );
        assert!(!Instance::parse("2147483000-5").unwrap().alive());
    }

    #[test]
    fn pids_are_read_from_names() {
        assert_eq!(pid_after(".opsbook-1234-Xy9.tmp", ".opsbook-"), Some(1234));
        assert_eq!(pid_after(".opsbook-Xy9.tmp", ".opsbook-"), None);
        assert!(alive(this()));
    }

    #[test]
    fn temp_files_of_dead_processes_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        // A pid far above any the kernel hands out.
        let dead = dir.path().join("sub/.opsbook-2147483000-abc.tmp");
        let live = dir.path().join(format!(".opsbook-{}-abc.tmp", this()));
        let note = dir.path().join("note.md");
        for p in [&dead, &live, &note] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(clean_stale_temp_files(dir.path()), 1);
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(note.exists());
    }
}
