//! A local HTTP server for the link-check tests: every answer a real site
//! gives (200, 301, 302, 404, 410, 503, a refused HEAD, a page too slow, a
//! reset connection) and a fake Wayback availability API. It counts the
//! requests to each path and the most ever in flight at once, so tests can
//! check retries and the per-host limit. Nothing leaves 127.0.0.1.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// Requests per `METHOD /path`.
    pub hits: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    /// The most requests in flight at once.
    pub max_in_flight: AtomicUsize,
    /// User-Agent headers received.
    pub agents: Mutex<Vec<String>>,
}

impl Seen {
    /// Requests to `METHOD /path`.
    pub fn hits(&self, key: &str) -> usize {
        self.hits.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

/// A running server; `base` is `http://127.0.0.1:PORT`.
pub struct Server {
    /// The address, without a trailing slash.
    pub base: String,
    /// What it saw.
    pub seen: Arc<Seen>,
}

/// Starts a server on a free port, answering on its own threads until the
/// test process ends.
pub fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let seen = Arc::new(Seen::default());
    let s = Arc::clone(&seen);
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let s = Arc::clone(&s);
            let b = b.clone();
            std::thread::spawn(move || serve(stream, &s, &b));
        }
    });
    Server { base, seen }
}

fn serve(mut stream: TcpStream, seen: &Seen, base: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("user-agent")
        {
            seen.agents.lock().unwrap().push(v.trim().to_string());
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    *seen
        .hits
        .lock()
        .unwrap()
        .entry(format!("{method} {path}"))
        .or_default() += 1;
    let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let head = method == "HEAD";
    // A Location of raw UTF-8, as some sites send.
    if path == "/utf8" {
        let _ = stream.write_all(
            "HTTP/1.1 301 Moved Permanently\r\nConnection: close\r\nContent-Length: 0\r\nLocation: /ok/neü\r\n\r\n"
                .as_bytes(),
        );
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    // A Location whose bytes are not UTF-8 (Latin-1 `ü`).
    if path == "/latin1" {
        let mut answer =
            b"HTTP/1.1 301 Moved Permanently\r\nConnection: close\r\nContent-Length: 0\r\nLocation: /ok/ne".to_vec();
        answer.extend_from_slice(b"\xfc\r\n\r\n");
        let _ = stream.write_all(&answer);
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    if let Some(page) = page(path, base) {
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        let _ = stream.write_all(&page);
        let _ = stream.flush();
        return;
    }
    let port = base.rsplit(':').next().unwrap_or("80");
    let answer = match path {
        "/ok" | "/" => respond(200, None, "fine"),
        // Redirects a page on the web must not be followed to: the
        // machine's own other ports and addresses, the local network.
        "/to-loopback" => respond(
            301,
            Some(format!("http://127.0.0.2:{port}/internal-admin")),
            "",
        ),
        "/to-localhost" => respond(
            301,
            Some("http://localhost:1/internal-admin".to_string()),
            "",
        ),
        "/to-zero" => respond(
            302,
            Some(format!("http://0.0.0.0:{port}/internal-admin")),
            "",
        ),
        "/to-v6" => respond(301, Some(format!("http://[::1]:{port}/internal-admin")), ""),
        "/to-lan" => respond(301, Some("http://10.1.2.3/internal-admin".to_string()), ""),
        "/to-bidi" => respond(301, Some("/ok/\u{202e}gnp.exe".to_string()), ""),
        "/moved" => respond(301, Some(format!("{base}/ok")), ""),
        "/moved-twice" => respond(301, Some("/moved".to_string()), ""),
        "/temp" => respond(302, Some("/ok".to_string()), ""),
        "/to-front" => respond(301, Some("/".to_string()), ""),
        "/missing" | "/evil-missing" | "/phish-missing" | "/bidi-missing" => {
            respond(404, None, "no")
        }
        "/to-js" => respond(301, Some("javascript:alert(1)".to_string()), ""),
        p if p.starts_with("/ok/") => respond(200, None, "fine"),
        "/gone" => respond(410, None, "no"),
        "/down" => respond(503, None, "later"),
        "/no-head" if head => respond(405, None, ""),
        "/no-head" => respond(200, None, "fine"),
        "/loop" => respond(302, Some("/loop".to_string()), ""),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            respond(200, None, "late")
        }
        "/reset" => {
            // SO_LINGER 0: closing sends a reset, not an orderly close.
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            unsafe {
                libc::setsockopt(
                    stream.as_raw_fd(),
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    &linger as *const _ as *const libc::c_void,
                    std::mem::size_of::<libc::linger>() as libc::socklen_t,
                );
            }
            seen.in_flight.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        p if p.starts_with("/busy/") => {
            // `?together=N`: held until N requests are in flight (or 2 s
            // pass), so a limit of N is reached however slow the machine.
            let together = query
                .strip_prefix("together=")
                .and_then(|n| n.parse::<usize>().ok());
            match together {
                Some(n) => {
                    let until = std::time::Instant::now() + Duration::from_secs(2);
                    while seen.in_flight.load(Ordering::SeqCst) < n
                        && std::time::Instant::now() < until
                    {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
                None => std::thread::sleep(Duration::from_millis(150)),
            }
            respond(200, None, "fine")
        }
        "/wayback/available" => respond(200, None, &availability(query, base)),
        _ => respond(404, None, "no"),
    };
    // Out of flight before the answer leaves: the client may send its next
    // request the moment it has read this one.
    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
}

/// The pages of `/pages/…`: what `opsbook fetch` keeps the text of.
fn page(path: &str, base: &str) -> Option<Vec<u8>> {
    let html = |body: &str| with_type(200, "text/html; charset=utf-8", body.as_bytes());
    Some(match path {
        "/pages/article" => html(ARTICLE),
        "/pages/ir-2403" => html(ETCD),
        "/pages/moved" => {
            let mut a = respond(301, Some(format!("{base}/pages/article")), "").into_bytes();
            a.shrink_to_fit();
            a
        }
        "/pages/huge" => {
            let mut body = String::from("<html><head><title>Huge</title></head><body><article>");
            let para = "<p>The huge page repeats its one paragraph about a runaway log volume many times over.</p>\n";
            while body.len() < 6 << 20 {
                body.push_str(para);
            }
            body.push_str("<p>the very end, never kept</p></article></body></html>");
            html(&body)
        }
        "/pages/report.pdf" => with_type(200, "application/pdf", b"%PDF-1.4\n% a postmortem\n"),
        "/pages/diagram.png" => with_type(200, "image/png", b"\x89PNG\r\n\x1a\n"),
        "/pages/bad-charset" => {
            let mut body = b"<html><head><meta charset=\"\xff\xfe\"><title>Caf\xe9 outage</title></head><body><article>".to_vec();
            body.extend_from_slice(
                b"<h1>Caf\xe9 outage</h1><p>The espresso machine's controller rebooted every hour because its certificate had expired, and the point of sale went down with it each time.</p><p>We renewed the certificate by hand and set a reminder thirty days before the next expiry.</p></article></body></html>",
            );
            with_type(200, "text/html", &body)
        }
        "/pages/latin1" => with_type(
            200,
            "text/html; charset=ISO-8859-1",
            b"<html><head><title>Caf\xe9</title></head><body><p>Le caf\xe9 est ferm\xe9.</p></body></html>",
        ),
        "/pages/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            html(ETCD)
        }
        _ => return None,
    })
}

/// An article with the menus, sidebar and footer of a real blog around it.
pub const ARTICLE: &str = r#"<!doctype html>
<html><head><title>How a config push took down DNS | Example Eng Blog</title>
<meta name="description" content="A bad config push to our resolvers broke DNS for 42 minutes.">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/careers">Careers at Example</a></li><li><a href="/pricing">Pricing</a></li></ul></nav></header>
<aside class="sidebar"><h3>Popular posts</h3><ul><li><a href="/p/1">Ten tips for interviewing</a></li><li><a href="/p/2">Our offsite in Lisbon</a></li></ul></aside>
<main><article>
<h1>How a config push took down DNS</h1>
<p>On March 3rd a configuration push to our authoritative resolvers removed the zone file for our main domain. For 42 minutes, lookups for every service returned SERVFAIL, and customers could not reach the dashboard or the API.</p>
<p>The push passed review because the diff looked empty: the generator had silently dropped the zone when a template variable was missing. Our canary only checked that the resolver process stayed up, not that it answered.</p>
<h2>What we changed</h2>
<p>Canaries now resolve a fixed list of names before and after each push, and a push that changes the number of zones by more than one is refused. See the <a href="https://example.com/runbooks/dns">DNS runbook</a> for the rollback steps we followed.</p>
<p>We are also moving the generator to fail loudly on a missing variable, which would have stopped this push before review.</p>
</article></main>
<footer><p>Copyright 2024 Example Inc. Subscribe to our newsletter for more stories.</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body></html>"#;

/// A page whose title says nothing of what happened: its words are in the body only.
pub const ETCD: &str = r#"<!doctype html>
<html><head><title>Incident report 2024-03</title></head><body>
<article>
<h1>Incident report 2024-03</h1>
<p>Three of our five control-plane members were restarted in the same maintenance window. The cluster's etcd quorum was lost for eleven minutes, and the API servers refused every write while it was gone.</p>
<p>Scheduling stopped, deployments hung, and the on-call engineer restored the members one at a time from their snapshots before quorum returned.</p>
<p>Maintenance now drains one member at a time and waits for the cluster to report healthy before the next.</p>
</article>
</body></html>"#;

fn with_type(code: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut a = format!(
        "HTTP/1.1 {code} OK\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    a.extend_from_slice(body);
    a
}

fn respond(code: u16, location: Option<String>, body: &str) -> String {
    let reason = match code {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        _ => "Service Unavailable",
    };
    let mut s = format!(
        "HTTP/1.1 {code} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(l) = location {
        s.push_str(&format!("Location: {l}\r\n"));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

/// The fake availability API: a copy of `/missing…` from 2019, none of the rest.
fn availability(query: &str, base: &str) -> String {
    let url = query.strip_prefix("url=").unwrap_or("");
    let url = url.replace("%3A", ":").replace("%2F", "/");
    if url == format!("{base}/phish-missing") {
        // An archive answer that points off the archive: a phishing page.
        return r#"{"archived_snapshots": {"closest": {"status": "200", "available": true, "url": "https://evil.example/phish", "timestamp": "20190312093015"}}}"#
            .to_string();
    }
    if url == format!("{base}/bidi-missing") {
        return format!(
            r#"{{"archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": "http://web.archive.org/web/20190312093015/{base}/x\u202egnp.exe", "timestamp": "20190312093015"}}}}}}"#
        );
    }
    if url == format!("{base}/evil-missing") {
        // A broken or hostile archive: a copy no note may link to.
        return r#"{"archived_snapshots": {"closest": {"status": "200", "available": true, "url": "javascript:alert(document.cookie)", "timestamp": "20190312093015"}}}"#
            .to_string();
    }
    if url.starts_with(&format!("{base}/missing")) {
        format!(
            r#"{{"url": "{url}", "archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": "http://web.archive.org/web/20190312093015/{url}", "timestamp": "20190312093015"}}}}}}"#
        )
    } else {
        format!(r#"{{"url": "{url}", "archived_snapshots": {{}}}}"#)
    }
}
