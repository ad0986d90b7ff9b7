//! One link checked over HTTP: HEAD, then GET where HEAD is refused;
//! redirects followed one hop at a time, so that each hop's permanence is
//! known; a time limit for the whole link.

use std::io;
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::unversioned::transport::DefaultConnector;

use super::resolve::BoundedResolver;
use super::{Health, Status};
use crate::config::CheckSettings;

/// Redirect hops followed before giving up.
const MAX_HOPS: usize = 10;

/// The User-Agent: says what is asking, so site owners know.
pub fn user_agent() -> String {
    format!(
        "opsbook/{} (link check; +https://github.com/opsbook/opsbook)",
        env!("CARGO_PKG_VERSION")
    )
}

/// An HTTP client set up for checks: no redirects followed on its own,
/// HTTP errors as answers, the settings' time limits.
pub fn agent(settings: &CheckSettings) -> Agent {
    let config = Agent::config_builder()
        .timeout_connect(Some(settings.connect_timeout()))
        .timeout_global(Some(settings.timeout()))
        .max_redirects(0)
        // A connection left stalled by one answer must not be handed to the
        // next link of its host: every request gets a connection of its own.
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .http_status_as_error(false)
        .user_agent(user_agent())
        .build();
    // Names are looked up on a few threads with a timeout, so that a
    // resolver that hangs cannot stall the check nor take a thread a link.
    let resolver =
        BoundedResolver::new(settings.concurrency.clamp(1, 8), settings.connect_timeout());
    Agent::with_parts(config, DefaultConnector::default(), resolver)
}

/// A page's answer, read when asked ([`check_and_read`]): at most a bound
/// of bytes, the rest cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The bytes read.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, as sent (empty when none).
    pub content_type: String,
    /// Whether the page was longer than the bound and cut there.
    pub truncated: bool,
    /// Where the redirects ended (the link's own URL when there were none).
    pub final_url: String,
}

/// What one request gave.
enum Answer {
    /// A server answered with this code and, for a redirect, this location
    /// (`Err` when it was not UTF-8), and the body when it was asked for
    /// (`Err`: why it could not be read).
    Code(
        u16,
        Option<Result<String, ()>>,
        Option<Result<Body, String>>,
    ),
    /// No answer.
    Failed(Failure),
}

/// A request that got no answer.
struct Failure {
    /// The status to record.
    status: Status,
    /// Why, in a few words.
    reason: String,
    /// The server was reached but broke off (a reset, a garbled answer):
    /// one that does so on HEAD may still answer GET.
    get_may_answer: bool,
}

impl Failure {
    fn new(status: Status, reason: impl Into<String>, get_may_answer: bool) -> Failure {
        Failure {
            status,
            reason: reason.into(),
            get_may_answer,
        }
    }
}

/// Checks one web link; `now` is when, in seconds since 1970.
pub fn check_url(agent: &Agent, url: &str, settings: &CheckSettings, now: i64) -> Health {
    check_and_read(agent, url, settings, now, None).0
}

/// Checks one web link as [`check_url`] does and, when `read` gives a
/// bound in bytes, reads the page it ends on (asked with GET at once,
/// redirects followed under the same rules), cut at the bound.
pub fn check_and_read(
    agent: &Agent,
    url: &str,
    settings: &CheckSettings,
    now: i64,
    read: Option<u64>,
) -> (Health, Option<Body>) {
    let deadline = Instant::now() + settings.timeout();
    let mut health = Health::new(url, Status::Error, "", now);
    let mut current = url.to_string();
    let mut permanent = true;
    let mut hops = 0;
    let mut use_get = read.is_some();
    let failed = |h, s, r| (failed(h, s, r), None);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return failed(health, Status::Error, timed_out(settings));
        }
        let answer = request(agent, &current, use_get.then_some(read), left, settings);
        let (code, location, body) = match answer {
            Answer::Failed(f) if f.get_may_answer && !use_get => {
                use_get = true;
                continue;
            }
            Answer::Failed(f) => return failed(health, f.status, f.reason),
            Answer::Code(code, location, body) => (code, location, body),
        };
        health.code = Some(code);
        if !use_get && code >= 400 {
            // HEAD refused (405, 501) or answered wrongly (403, 404 on HEAD only).
            use_get = true;
            continue;
        }
        if (300..400).contains(&code) && code != 304 {
            let location = match location {
                Some(Err(())) => {
                    return failed(
                        health,
                        Status::Error,
                        format!("HTTP {code} to an address that is not UTF-8: not followed"),
                    );
                }
                Some(Ok(l)) => Some(l),
                None => None,
            };
            if let Some(c) = location.as_deref().and_then(super::unsafe_url_char) {
                return failed(
                    health,
                    Status::Error,
                    format!(
                        "HTTP {code} to an address holding {}: not followed",
                        crate::escape::visible(&c.to_string())
                    ),
                );
            }
            let Some(next) = location.and_then(|l| url::Url::parse(&current).ok()?.join(&l).ok())
            else {
                return failed(
                    health,
                    Status::Error,
                    format!("HTTP {code} without a Location"),
                );
            };
            hops += 1;
            if hops > MAX_HOPS {
                return failed(health, Status::Error, "too many redirects".to_string());
            }
            if !matches!(next.scheme(), "http" | "https") {
                return failed(
                    health,
                    Status::Error,
                    format!("redirects to a non-web address ({}:)", next.scheme()),
                );
            }
            if !settings.private_redirects
                && let Some(host) = private_elsewhere(&current, &next, settings)
            {
                return failed(
                    health,
                    Status::Error,
                    format!("redirects to a private address ({host}): not followed"),
                );
            }
            permanent &= matches!(code, 301 | 308);
            current = next.to_string();
            continue;
        }
        let moved = hops > 0;
        if moved {
            health.final_url = Some(current.clone());
            health.permanent = permanent && !front_page_of_a_page(url, &current);
        }
        let (status, reason) = match code {
            200..=299 if moved => (
                Status::Redirected,
                redirect_reason(url, &current, permanent),
            ),
            200..=299 => (Status::Ok, format!("HTTP {code}")),
            404 | 410 => (Status::Dead, format!("HTTP {code}")),
            _ => (Status::Error, format!("HTTP {code}")),
        };
        health.status = status;
        health.reason = reason;
        // A page that ends on its site's front page is gone: the front
        // page is not kept in its place.
        let gone = moved && front_page_of_a_page(url, &current);
        let body = match body.filter(|_| matches!(code, 200..=299) && !gone) {
            Some(Ok(mut b)) => {
                b.final_url = current;
                Some(b)
            }
            // The page answers: only its text is missing, and the status says so.
            Some(Err(why)) => {
                health.reason = format!("{}; {why}", health.reason);
                None
            }
            None => None,
        };
        return (health, body);
    }
}

/// The host of `next`, when a redirect from `current` leads to another host
/// (another name, address or port) whose address is private (see
/// [`super::is_private`]); names are looked up first, with the connect
/// timeout. A link whose own host is private is checked as written: only
/// where a redirect leads is asked.
fn private_elsewhere(current: &str, next: &url::Url, settings: &CheckSettings) -> Option<String> {
    let from = url::Url::parse(current).ok()?;
    let same = from.host_str() == next.host_str()
        && from.port_or_known_default() == next.port_or_known_default();
    if same {
        return None;
    }
    let host = next.host()?;
    let port = next.port_or_known_default().unwrap_or(80);
    let private = match host {
        url::Host::Ipv4(ip) => super::is_private(ip.into()),
        url::Host::Ipv6(ip) => super::is_private(ip.into()),
        url::Host::Domain(name) => {
            let name = name.to_string();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                use std::net::ToSocketAddrs;
                let _ = tx.send(
                    (name.as_str(), port)
                        .to_socket_addrs()
                        .map(|a| a.collect::<Vec<_>>()),
                );
            });
            match rx.recv_timeout(settings.connect_timeout()) {
                Ok(Ok(addrs)) => addrs.iter().any(|a| super::is_private(a.ip())),
                // Unknown: the request that follows finds out as for any link.
                _ => false,
            }
        }
    };
    private.then(|| next.host_str().unwrap_or("").to_string())
}

fn failed(mut health: Health, status: Status, reason: String) -> Health {
    health.status = status;
    health.reason = reason;
    health
}

fn timed_out(settings: &CheckSettings) -> String {
    format!("timed out after {} s", settings.timeout().as_secs())
}

/// A page whose redirects end on the site's front page is most likely
/// gone: a rewrite to it would lose the page.
fn front_page_of_a_page(from: &str, to: &str) -> bool {
    let path = |u: &str| {
        url::Url::parse(u)
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    };
    !path(from).trim_matches('/').is_empty() && path(to).trim_matches('/').is_empty()
}

fn redirect_reason(from: &str, to: &str, permanent: bool) -> String {
    if front_page_of_a_page(from, to) {
        "redirected to the site's front page: the page is likely gone".to_string()
    } else if permanent {
        "moved permanently".to_string()
    } else {
        "moved for now".to_string()
    }
}

/// One request: HEAD, or GET when `get` is given, reading the body of a
/// success up to the bound it holds.
fn request(
    agent: &Agent,
    url: &str,
    get: Option<Option<u64>>,
    left: Duration,
    s: &CheckSettings,
) -> Answer {
    let request = if get.is_some() {
        agent.get(url)
    } else {
        agent.head(url)
    };
    let result = request.config().timeout_global(Some(left)).build().call();
    match result {
        Ok(response) => {
            // Sites send UTF-8 paths unencoded (the URL parser encodes
            // them); bytes that are not UTF-8 are no address the server
            // sent, and are never made into one.
            let location = response
                .headers()
                .get("location")
                .map(|v| String::from_utf8(v.as_bytes().to_vec()).map_err(|_| ()));
            let code = response.status().as_u16();
            let body = match get.flatten() {
                Some(bound) if (200..300).contains(&code) => {
                    Some(read_body(response, bound).map_err(|e| {
                        if e.kind() == io::ErrorKind::TimedOut || e.to_string().contains("timeout")
                        {
                            format!("page not read in time ({})", timed_out(s))
                        } else {
                            format!("page not read: {}", one_line(&e.to_string()))
                        }
                    }))
                }
                // The body is not read: dropping it closes the connection.
                _ => None,
            };
            Answer::Code(code, location, body)
        }
        Err(e) => Answer::Failed(classify(&e, s)),
    }
}

/// Reads at most `bound` bytes of an answer, saying whether there was more.
fn read_body(response: ureq::http::Response<ureq::Body>, bound: u64) -> io::Result<Body> {
    use std::io::Read;
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(bound + 1)
        .read_to_end(&mut bytes)?;
    let truncated = bytes.len() as u64 > bound;
    bytes.truncate(bound as usize);
    Ok(Body {
        bytes,
        content_type,
        truncated,
        final_url: String::new(),
    })
}

/// What a request that got no answer means.
fn classify(e: &ureq::Error, s: &CheckSettings) -> Failure {
    use ureq::Error as E;
    let (dead, error) = (Status::Dead, Status::Error);
    match e {
        E::HostNotFound => Failure::new(dead, "unknown host", false),
        E::Io(io) if lookup_failed(io) => {
            if io.to_string().contains("Temporary failure") {
                Failure::new(error, "name lookup failed for now", false)
            } else {
                Failure::new(dead, "unknown host", false)
            }
        }
        E::Timeout(_) => Failure::new(error, timed_out(s), false),
        E::ConnectionFailed => Failure::new(error, "connection refused", false),
        E::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused => Failure::new(error, "connection refused", false),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                Failure::new(error, timed_out(s), false)
            }
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe => Failure::new(error, "connection reset", true),
            _ => Failure::new(error, one_line(&io.to_string()), true),
        },
        E::TooManyRedirects => Failure::new(error, "too many redirects", true),
        E::Tls(_) | E::Rustls(_) => {
            Failure::new(error, format!("TLS: {}", one_line(&e.to_string())), true)
        }
        E::Protocol(_) => Failure::new(error, "not an HTTP answer", true),
        E::BadUri(_) => Failure::new(Status::Skipped, "not a web address", false),
        other => Failure::new(error, one_line(&other.to_string()), true),
    }
}

/// Whether the system's resolver failed (ureq passes getaddrinfo's failure
/// on as an I/O error).
fn lookup_failed(io: &io::Error) -> bool {
    io.to_string().contains("lookup address")
}

fn one_line(s: &str) -> String {
    crate::escape::visible(&s.replace(['\n', '\r'], " ")).into_owned()
}
