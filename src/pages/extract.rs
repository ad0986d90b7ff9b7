//! A page's readable text from what a server sent: the article, as
//! Mozilla's Readability finds it (`dom_smoothie`, a port of it), written
//! as Markdown; the charset the page declares; PDFs and other kinds
//! recorded without text.

use dom_smoothie::{Config, Readability, TextMode};

use super::{Page, PageKind};
use crate::health::check::Body;

/// The longest title a link gets from its page, in characters.
const MAX_TITLE_CHARS: usize = 200;

/// The page `body` is, fetched for the link `url` at `fetched_at`.
pub fn page_from(url: &str, body: &Body, fetched_at: i64) -> Page {
    let mime = body
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut page = Page {
        url: url.to_string(),
        final_url: body.final_url.clone(),
        fetched_at,
        kind: PageKind::Other(mime.clone()),
        title: String::new(),
        description: String::new(),
        text: String::new(),
        truncated: body.truncated,
    };
    let head = &body.bytes[..body.bytes.len().min(1024)];
    if mime == "application/pdf" || head.starts_with(b"%PDF") {
        page.kind = PageKind::Pdf;
    } else if mime == "text/html"
        || mime == "application/xhtml+xml"
        || (mime.is_empty() && looks_like_html(head))
    {
        page.kind = PageKind::Html;
        let html = decode(&body.bytes, &body.content_type);
        let base = if body.final_url.is_empty() {
            url
        } else {
            &body.final_url
        };
        let (title, description, text) = readable(&html, base);
        page.title = title;
        page.description = description;
        page.text = text;
    } else if mime.starts_with("text/") {
        page.kind = PageKind::Text;
        page.text = decode(&body.bytes, &body.content_type);
    }
    page
}

/// Whether bytes sent without a type begin as HTML does.
fn looks_like_html(head: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = lower.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The page's text in the charset its header or `<meta>` declares; UTF-8
/// when it declares none or one nobody knows (bytes that are not UTF-8
/// become U+FFFD, never an error).
pub fn decode(bytes: &[u8], content_type: &str) -> String {
    let label = charset_of(content_type).or_else(|| {
        let head = &bytes[..bytes.len().min(4096)];
        meta_charset(&String::from_utf8_lossy(head).to_ascii_lowercase())
    });
    match label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes())) {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            encoding.decode_without_bom_handling(bytes).0.into_owned()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// `charset=…` of a `Content-Type`.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The charset of `<meta charset="…">` or `<meta http-equiv … content="…; charset=…">`.
fn meta_charset(lower_head: &str) -> Option<String> {
    let at = lower_head.find("charset=")?;
    let rest = &lower_head[at + "charset=".len()..];
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

/// The title, description and readable text (Markdown) of an HTML page.
fn readable(html: &str, url: &str) -> (String, String, String) {
    let config = Config {
        text_mode: TextMode::Markdown,
        ..Config::default()
    };
    // A URL Readability does not take (not absolute) only loses the
    // making of relative links absolute.
    let reader = Readability::new(html, Some(url), Some(config.clone()))
        .or_else(|_| Readability::new(html, None, Some(config)));
    let Ok(mut reader) = reader else {
        return (String::new(), String::new(), plain_text(html));
    };
    match reader.parse() {
        Ok(article) => {
            let text = tidy(&article.text_content);
            let mut description = one_line(article.excerpt.as_deref().unwrap_or(""));
            // Without a description of its own, Readability takes the first
            // paragraph: shown twice it says nothing more.
            let start: String = text.chars().take(description.len() + 2048).collect();
            if one_line(&start).contains(&description) {
                description.clear();
            }
            (one_line(&article.title), description, text)
        }
        // Too little to call an article: the page's words all the same.
        Err(_) => (
            one_line(&reader.get_article_title()),
            String::new(),
            plain_text(html),
        ),
    }
}

/// Runs of blank lines made one, spaces at line ends taken off.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Words on one line, control characters (a terminal's escapes) dropped.
fn one_line(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of an HTML page without its markup, scripts and styles, a
/// paragraph a block: for pages too short to call an article.
fn plain_text(html: &str) -> String {
    use html5gum::{Token, Tokenizer};
    let mut out = String::new();
    let mut skip = 0usize;
    let hidden = |name: &[u8]| matches!(name, b"script" | b"style" | b"noscript" | b"template");
    let block = |name: &[u8]| {
        matches!(
            name,
            b"p" | b"div" | b"br" | b"li" | b"h1" | b"h2" | b"h3" | b"h4" | b"tr" | b"section"
        )
    };
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(t) => {
                if hidden(t.name.as_slice()) && !t.self_closing {
                    skip += 1;
                }
                if block(t.name.as_slice()) {
                    out.push('\n');
                }
            }
            Token::EndTag(t) => {
                if hidden(t.name.as_slice()) {
                    skip = skip.saturating_sub(1);
                }
                if block(t.name.as_slice()) {
                    out.push('\n');
                }
            }
            Token::String(s) if skip == 0 => out.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    let lines: Vec<String> = out
        .lines()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n\n")
}

/// The title of the page at `url`, asked within `timeout` (for a link
/// added without one), under the link check's rules (redirects, the
/// private-address rule); why not, in a few words, when there is none.
pub fn fetch_title(
    url: &str,
    check: &crate::config::CheckSettings,
    timeout: std::time::Duration,
) -> Result<String, String> {
    let mut settings = check.clone();
    settings.timeout_secs = timeout.as_secs().max(1);
    settings.connect_timeout_secs = settings.connect_timeout_secs.min(settings.timeout_secs);
    let agent = crate::health::check::agent(&settings);
    let now = crate::health::now_secs();
    // A title stands near the top: the first megabyte holds it.
    let (health, body) =
        crate::health::check::check_and_read(&agent, url, &settings, now, Some(1 << 20));
    let Some(body) = body else {
        return Err(health.reason);
    };
    let page = page_from(url, &body, now);
    if page.title.is_empty() {
        Err(format!("the page ({}) has no title", page.kind.label()))
    } else if page.title.chars().count() > MAX_TITLE_CHARS {
        // A page's whole text is no title: its start is.
        let cut: String = page.title.chars().take(MAX_TITLE_CHARS - 1).collect();
        Ok(format!("{}…", cut.trim_end()))
    } else {
        Ok(page.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_charset_is_read_from_the_header_or_meta() {
        assert_eq!(
            charset_of("text/html; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            meta_charset("<meta charset=\"windows-1252\">").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(
            meta_charset("<meta http-equiv=content-type content=\"text/html; charset=utf-8\">")
                .as_deref(),
            Some("utf-8")
        );
        assert_eq!(decode(b"caf\xe9", "text/html; charset=latin1"), "café");
        assert_eq!(decode(b"caf\xe9", "text/html"), "caf\u{fffd}");
        // A charset nobody knows is read as UTF-8.
        assert_eq!(
            decode(b"<meta charset=\"x\xff\">ok", ""),
            "<meta charset=\"x\u{fffd}\">ok"
        );
    }
}
