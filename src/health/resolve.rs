//! Name lookups for the link check on a few threads of their own: a lookup
//! waits at most the connect timeout, the lookups of a host are done once
//! per check, and a resolver that hangs holds at most `threads` threads,
//! never one per link.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ureq::Error;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How a name is looked up: the system's resolver, or a test's.
type LookupFn = fn(&str) -> io::Result<Vec<SocketAddr>>;

fn system_lookup(addr: &str) -> io::Result<Vec<SocketAddr>> {
    addr.to_socket_addrs().map(Iterator::collect)
}

/// One lookup asked of the pool: `host:port`, and where its answer goes.
struct Lookup {
    addr: String,
    answer: SyncSender<io::Result<Vec<SocketAddr>>>,
}

/// The lookups of one check: a bounded pool of threads and what they found.
pub struct BoundedResolver {
    jobs: SyncSender<Lookup>,
    found: Arc<Mutex<HashMap<String, Vec<SocketAddr>>>>,
    wait: Duration,
}

impl fmt::Debug for BoundedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedResolver").finish()
    }
}

impl BoundedResolver {
    /// A pool of `threads` lookup threads; a lookup waits at most `wait`.
    /// The threads end once the resolver is dropped and their lookup returns.
    pub fn new(threads: usize, wait: Duration) -> BoundedResolver {
        BoundedResolver::with_lookup(threads, wait, system_lookup)
    }

    /// [`BoundedResolver::new`] with the lookup given.
    fn with_lookup(threads: usize, wait: Duration, lookup: LookupFn) -> BoundedResolver {
        let threads = threads.max(1);
        // Queued lookups beyond the running ones: more would only wait past
        // their timeout behind a stalled resolver.
        let (jobs, queue) = mpsc::sync_channel::<Lookup>(threads * 4);
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..threads {
            let queue: Arc<Mutex<Receiver<Lookup>>> = Arc::clone(&queue);
            std::thread::spawn(move || {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok(job) = next else { return };
                    let found = lookup(&job.addr);
                    let _ = job.answer.send(found);
                }
            });
        }
        BoundedResolver {
            jobs,
            found: Arc::default(),
            wait,
        }
    }

    /// The addresses of `host:port`, looked up once per check.
    pub fn lookup(&self, addr: &str, timeout: Duration) -> io::Result<Vec<SocketAddr>> {
        if let Ok(ip) = addr.parse::<SocketAddr>() {
            return Ok(vec![ip]);
        }
        if let Some(known) = self
            .found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(addr)
        {
            return Ok(known.clone());
        }
        let (answer, wait) = mpsc::sync_channel(1);
        let job = Lookup {
            addr: addr.to_string(),
            answer,
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "name lookups are not answering",
                ));
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(io::Error::other("no lookup threads"));
            }
        }
        match wait.recv_timeout(timeout.min(self.wait)) {
            Ok(Ok(addrs)) => {
                self.found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(addr.to_string(), addrs.clone());
                Ok(addrs)
            }
            Ok(Err(e)) => Err(e),
            Err(RecvTimeoutError::Timeout) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "name lookup timed out",
            )),
            Err(RecvTimeoutError::Disconnected) => Err(io::Error::other("lookup thread gone")),
        }
    }
}

impl Resolver for BoundedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(Error::HostNotFound);
        };
        let addr = DefaultResolver::host_and_port(scheme, authority).ok_or(Error::HostNotFound)?;
        let wait = if timeout.after.is_not_happening() {
            self.wait
        } else {
            *timeout.after
        };
        let addrs = match self.lookup(&addr, wait) {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                return Err(Error::Timeout(timeout.reason));
            }
            Err(e) => return Err(Error::Io(e)),
        };
        let mut result = self.empty();
        for a in config.ip_family().keep_wanted(addrs.into_iter()).take(16) {
            result.push(a);
        }
        if result.is_empty() {
            Err(Error::HostNotFound)
        } else {
            Ok(result)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolver_that_hangs_holds_a_bounded_number_of_threads_and_lookups() {
        fn hangs(_: &str) -> io::Result<Vec<SocketAddr>> {
            std::thread::sleep(Duration::from_secs(30));
            Ok(Vec::new())
        }
        let r = BoundedResolver::with_lookup(1, Duration::from_millis(50), hangs);
        let reasons: Vec<String> = (0..7)
            .map(|i| {
                let e = r.lookup(&format!("h{i}.example:443"), Duration::from_secs(60));
                e.expect_err("no answer").to_string()
            })
            .collect();
        // The one thread is stuck on the first; four more wait their turn and
        // time out; then the queue is full and lookups fail at once.
        assert_eq!(reasons[..5], ["name lookup timed out"; 5]);
        assert_eq!(reasons[5..], ["name lookups are not answering"; 2]);
    }

    #[test]
    fn addresses_are_looked_up_once_and_literals_not_at_all() {
        let r = BoundedResolver::new(2, Duration::from_secs(5));
        assert_eq!(
            r.lookup("127.0.0.1:80", Duration::from_secs(1)).unwrap(),
            ["127.0.0.1:80".parse::<SocketAddr>().unwrap()]
        );
        let first = r.lookup("localhost:8080", Duration::from_secs(5)).unwrap();
        assert!(
            first
                .iter()
                .all(|a| a.ip().is_loopback() && a.port() == 8080),
            "{first:?}"
        );
        assert_eq!(r.found.lock().unwrap().len(), 1);
        assert_eq!(
            r.lookup("localhost:8080", Duration::from_secs(5)).unwrap(),
            first
        );
    }
}
