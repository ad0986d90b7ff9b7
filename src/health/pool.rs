//! Many links checked at once: at most `concurrency` requests in flight and
//! `per_host` to any one host, hosts taken in turn so that one big site does
//! not hold up the rest; links that failed for a passing reason are tried
//! once more after all others; dead links get their archived copy looked up.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::check::{Body, agent, check_and_read};
use super::{Health, Status, archive, host_key, now_secs};
use crate::config::CheckSettings;

/// Work for a checking thread.
enum Job {
    /// Check a link; the attempt is 0, or 1 for the retry pass.
    Check(String, u8),
    /// Look up the archived copy of a link found dead.
    Archive(Box<Health>),
}

struct Host {
    waiting: VecDeque<Job>,
    in_flight: usize,
}

#[derive(Default)]
struct Queue {
    hosts: Vec<Host>,
    by_key: HashMap<String, usize>,
    cursor: usize,
    waiting: usize,
    in_flight: usize,
    retry: Vec<String>,
}

impl Queue {
    fn host(&mut self, key: &str) -> usize {
        if let Some(&i) = self.by_key.get(key) {
            return i;
        }
        self.hosts.push(Host {
            waiting: VecDeque::new(),
            in_flight: 0,
        });
        self.by_key.insert(key.to_string(), self.hosts.len() - 1);
        self.hosts.len() - 1
    }

    fn push(&mut self, host: usize, job: Job) {
        self.hosts[host].waiting.push_back(job);
        self.waiting += 1;
    }

    fn push_check(&mut self, url: String, attempt: u8) {
        let i = self.host(&host_key(&url));
        self.push(i, Job::Check(url, attempt));
    }

    /// The next job of the next host in turn with room for one more request.
    fn take(&mut self, per_host: usize) -> Option<(usize, Job)> {
        let n = self.hosts.len();
        for step in 0..n {
            let i = (self.cursor + step) % n;
            let host = &mut self.hosts[i];
            if host.in_flight < per_host
                && let Some(job) = host.waiting.pop_front()
            {
                host.in_flight += 1;
                self.waiting -= 1;
                self.in_flight += 1;
                self.cursor = (i + 1) % n;
                return Some((i, job));
            }
        }
        None
    }
}

/// How a check of many links ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Every link was checked (or the check was stopped).
    Done,
    /// The first links tried all got no answer, no host answered at all:
    /// the check stopped there, since every link would seem dead offline.
    /// Their results were not reported.
    Offline {
        /// Links tried before the check stopped.
        tried: usize,
    },
}

/// Checks every URL (web links only: the caller skips the rest), calling
/// `found` with each final result as it comes, from the checking threads.
/// Returns early, leaving links unchecked, once `stop` is set, or once the
/// first links tried show that no network is here.
pub fn check_all(
    urls: Vec<String>,
    settings: &CheckSettings,
    stop: &AtomicBool,
    found: &(dyn Fn(Health) + Sync),
) -> Ended {
    check_and_read_all(urls, settings, None, stop, &|h, _| found(h))
}

/// [`check_all`], reading each page that answers (at most `read` bytes,
/// when given): `found` gets its body beside its health.
pub fn check_and_read_all(
    urls: Vec<String>,
    settings: &CheckSettings,
    read: Option<u64>,
    stop: &AtomicBool,
    found: &(dyn Fn(Health, Option<Body>) + Sync),
) -> Ended {
    let check =
        |agent: &ureq::Agent, url: &str| check_and_read(agent, url, settings, now_secs(), read);
    check_all_with(urls, settings, stop, found, &check)
}

/// The check of one link: its health, and its page when it was read.
type CheckOne<'a> = dyn Fn(&ureq::Agent, &str) -> (Health, Option<Body>) + Sync + 'a;

/// [`check_all`] with the check of one link given: the pool's own rules
/// (turns, limits, the retry pass, offline) tested without a network.
fn check_all_with(
    urls: Vec<String>,
    settings: &CheckSettings,
    stop: &AtomicBool,
    found: &(dyn Fn(Health, Option<Body>) + Sync),
    check: &CheckOne,
) -> Ended {
    let agent = agent(settings);
    let per_host = settings.per_host.max(1);
    let mut queue = Queue::default();
    let total = urls.len();
    for url in urls {
        queue.push_check(url, 0);
    }
    // Lookups of copies wait their turn at the archive's host like any
    // link, so that many dead links never hold the other checks up.
    let archive_host = (!settings.archive_api.is_empty()).then(|| {
        let key = host_key(&settings.archive_api);
        queue.host(&key)
    });
    let shared = (Mutex::new(queue), Condvar::new());
    // Whether any server answered at all: without one, "unknown host" means
    // no network here, not a dead link.
    let answered = AtomicBool::new(false);
    let workers = settings.concurrency.clamp(1, 256).min(total.max(1));
    // Offline: every link of the first round (one a worker) got no answer
    // and nothing answered at all. A whole round, not the first few
    // results: unknown hosts come back faster than pages, online too.
    let unanswered = AtomicUsize::new(0);
    let offline = AtomicBool::new(false);
    let halted = || stop.load(Ordering::Relaxed) || offline.load(Ordering::Relaxed);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let (lock, wake) = &shared;
                while let Some((host, job)) = next_job(&shared, &halted, per_host) {
                    let after = match job {
                        Job::Archive(mut health) => {
                            match archive::lookup(&agent, &settings.archive_api, &health.url) {
                                Ok(copy) => health.archived = copy,
                                Err(e) => health.archive_error = Some(e.to_string()),
                            }
                            After::Report(*health, None)
                        }
                        Job::Check(url, attempt) => {
                            let (health, body) = check(&agent, &url);
                            if health.code.is_some() {
                                answered.store(true, Ordering::Relaxed);
                            } else if attempt == 0
                                && unanswered.fetch_add(1, Ordering::Relaxed) + 1 >= workers
                                && !answered.load(Ordering::Relaxed)
                            {
                                offline.store(true, Ordering::Relaxed);
                            }
                            if offline.load(Ordering::Relaxed) {
                                After::Dropped
                            } else {
                                after_check(health, body, attempt, &answered, archive_host)
                            }
                        }
                    };
                    // Reported before the job counts as done, so that the
                    // retry pass starts only after every report.
                    let after = match after {
                        After::Report(health, body) => {
                            found(health, body);
                            None
                        }
                        After::Dropped => None,
                        more => Some(more),
                    };
                    let mut q = lock.lock().unwrap_or_else(|e| e.into_inner());
                    q.hosts[host].in_flight -= 1;
                    q.in_flight -= 1;
                    match after {
                        Some(After::Retry(url)) => q.retry.push(url),
                        Some(After::LookUp(archive, health)) => {
                            q.push(archive, Job::Archive(Box::new(health)));
                        }
                        _ => {}
                    }
                    wake.notify_all();
                }
            });
        }
    });
    if offline.load(Ordering::Relaxed) {
        Ended::Offline {
            tried: unanswered.load(Ordering::Relaxed),
        }
    } else {
        Ended::Done
    }
}

/// What follows a job.
enum After {
    /// Nothing: the check found itself offline.
    Dropped,
    /// The link's result is final, with its page when it was read.
    Report(Health, Option<Body>),
    /// The link failed for a passing reason: try it again after the rest.
    Retry(String),
    /// The link is dead: look up its copy at the archive's host.
    LookUp(usize, Health),
}

/// What follows checking a link on its `attempt` (0, or 1 in the retry pass).
fn after_check(
    mut health: Health,
    body: Option<Body>,
    attempt: u8,
    answered: &AtomicBool,
    archive_host: Option<usize>,
) -> After {
    let passing =
        health.status == Status::Error || (health.status == Status::Dead && health.code.is_none());
    if passing && attempt == 0 {
        return After::Retry(health.url);
    }
    if health.code.is_none() && health.status == Status::Dead && !answered.load(Ordering::Relaxed) {
        health.status = Status::Error;
        health.reason = "unknown host, and no host answered: offline?".into();
    }
    match archive_host {
        Some(a) if health.status == Status::Dead => After::LookUp(a, health),
        _ => After::Report(health, body),
    }
}

/// The next job for a checking thread, waiting while every host with work
/// is at its limit; the retry pass starts once all else is done. `None`
/// when nothing is left, or the check is stopped.
fn next_job(
    shared: &(Mutex<Queue>, Condvar),
    halted: &dyn Fn() -> bool,
    per_host: usize,
) -> Option<(usize, Job)> {
    let (lock, wake) = shared;
    let mut q = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if halted() {
            wake.notify_all();
            return None;
        }
        if let Some(job) = q.take(per_host) {
            return Some(job);
        }
        if q.waiting == 0 && q.in_flight == 0 {
            if q.retry.is_empty() {
                wake.notify_all();
                return None;
            }
            for url in std::mem::take(&mut q.retry) {
                q.push_check(url, 1);
            }
            wake.notify_all();
            continue;
        }
        q = wake.wait(q).unwrap_or_else(|e| e.into_inner());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_taken_in_turn_within_their_limit() {
        let mut q = Queue::default();
        for u in [
            "https://a.x/1",
            "https://a.x/2",
            "https://a.x/3",
            "https://b.x/1",
        ] {
            q.push_check(u.to_string(), 0);
        }
        let urls: Vec<String> = std::iter::from_fn(|| q.take(1))
            .map(|(_, job)| match job {
                Job::Check(u, _) => u,
                Job::Archive(h) => h.url,
            })
            .collect();
        assert_eq!(urls, ["https://a.x/1", "https://b.x/1"]);
        assert_eq!((q.waiting, q.in_flight), (2, 2));
    }

    fn run(urls: &[&str], check: &(dyn Fn(&ureq::Agent, &str) -> Health + Sync)) -> Vec<Health> {
        run_to_end(urls, check).0
    }

    fn run_to_end(
        urls: &[&str],
        check: &(dyn Fn(&ureq::Agent, &str) -> Health + Sync),
    ) -> (Vec<Health>, Ended) {
        let settings = CheckSettings {
            archive_api: String::new(),
            ..CheckSettings::default()
        };
        let out = Mutex::new(Vec::new());
        let found = |h: Health, _| out.lock().unwrap().push(h);
        let urls = urls.iter().map(|u| u.to_string()).collect();
        let check = |agent: &ureq::Agent, url: &str| (check(agent, url), None);
        let ended = check_all_with(urls, &settings, &AtomicBool::new(false), &found, &check);
        let mut v = out.into_inner().unwrap();
        v.sort_by(|a, b| a.url.cmp(&b.url));
        (v, ended)
    }

    #[test]
    fn unknown_hosts_are_dead_only_when_some_host_answered() {
        // Offline: the first round (16 workers) gets no answer; the check
        // stops there, reporting nothing, and the other links are not tried.
        let tried = AtomicUsize::new(0);
        let unknown = |_: &ureq::Agent, url: &str| {
            tried.fetch_add(1, Ordering::Relaxed);
            Health::new(url, Status::Dead, "unknown host", 0)
        };
        let urls: Vec<String> = (0..62).map(|i| format!("https://h{i}.example/")).collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let (offline, ended) = run_to_end(&urls, &unknown);
        assert_eq!(offline.len(), 0);
        let tried = tried.into_inner();
        assert_eq!(ended, Ended::Offline { tried });
        assert!((16..=31).contains(&tried), "{tried} links tried");
        // Two links, both unknown: the round is both of them.
        let unknown =
            |_: &ureq::Agent, url: &str| Health::new(url, Status::Dead, "unknown host", 0);
        let (two, ended) = run_to_end(&["https://a.example/", "https://b.example/"], &unknown);
        assert_eq!((two.len(), ended), (0, Ended::Offline { tried: 2 }));
        let mixed = |_: &ureq::Agent, url: &str| {
            if url.contains("a.example") {
                let mut h = Health::new(url, Status::Ok, "HTTP 200", 0);
                h.code = Some(200);
                h
            } else {
                Health::new(url, Status::Dead, "unknown host", 0)
            }
        };
        let online = run(&["https://a.example/", "https://b.example/"], &mixed);
        assert_eq!(
            online
                .iter()
                .map(|h| (h.status, h.reason.as_str()))
                .collect::<Vec<_>>(),
            [(Status::Ok, "HTTP 200"), (Status::Dead, "unknown host")]
        );
    }

    #[test]
    fn passing_failures_are_tried_once_more_after_the_rest() {
        let order = Mutex::new(Vec::new());
        let flaky = |_: &ureq::Agent, url: &str| {
            order.lock().unwrap().push(url.to_string());
            let mut h = Health::new(url, Status::Error, "HTTP 503", 0);
            h.code = Some(503);
            if url.ends_with("ok") {
                h.status = Status::Ok;
            }
            h
        };
        let results = run(&["https://a.example/down", "https://b.example/ok"], &flaky);
        assert_eq!(results.len(), 2);
        let order = order.into_inner().unwrap();
        assert_eq!(order.len(), 3);
        assert_eq!(order[2], "https://a.example/down");
    }
}
