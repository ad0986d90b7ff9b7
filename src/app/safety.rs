//! Which links may be opened: only web and mail links, and hosts that could
//! pass for another (IDN homographs) only after the user says yes.

use url::Url;

use crate::notebook::LinkKind;

/// What to do with a link the user asked to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Open it.
    Open(String),
    /// Do not open it; say why.
    Refuse(String),
    /// Ask first: why, what the link seems to name, and the real host.
    Confirm {
        /// The URL to open on yes.
        url: String,
        /// What the link reads as (a Unicode host, or `user@host` with a user
        /// that looks like a host).
        decoded: String,
        /// The host the browser will really go to (ASCII, punycode).
        raw: String,
        /// Why the link may deceive, in one sentence.
        why: String,
    },
}

/// Decides whether a link may be opened.
pub fn check(url: &str, kind: LinkKind) -> Verdict {
    match kind {
        LinkKind::Placeholder => {
            return Verdict::Refuse(format!("`{url}` is a placeholder link: nothing to open"));
        }
        LinkKind::Relative => {
            return Verdict::Refuse(format!(
                "`{url}` is a relative link: no site to resolve it against"
            ));
        }
        _ => {}
    }
    let parsed = match Url::parse(url) {
        Ok(u) => u,
        Err(e) => return Verdict::Refuse(format!("cannot open `{url}`: {e}")),
    };
    match parsed.scheme() {
        "http" | "https" => {}
        "mailto" => return Verdict::Open(parsed.to_string()),
        other => {
            return Verdict::Refuse(format!(
                "not opening a `{other}:` link (only http, https and mailto open)"
            ));
        }
    }
    let Some(raw) = parsed.host_str().map(str::to_string) else {
        return Verdict::Refuse(format!("cannot open `{url}`: it has no host"));
    };
    // The host as the browser will read it: IDNA has already folded
    // full-width letters and dropped zero-width ones.
    let (decoded, _) = idna::domain_to_unicode(&raw);
    let confirm = |decoded: String, why: String| Verdict::Confirm {
        url: parsed.to_string(),
        decoded,
        raw: raw.clone(),
        why,
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // `https://accounts.google.com@evil.example/` goes to evil.example.
        let user = percent_decoded(parsed.username());
        return confirm(
            format!("{user}@{decoded}"),
            format!("The link puts `{user}@` before its real host."),
        );
    }
    if decoded.is_ascii() {
        if url.to_ascii_lowercase().contains("xn--") {
            return confirm(decoded, "The link's host is written in punycode.".into());
        }
        return Verdict::Open(parsed.to_string());
    }
    // Any letter that is not ASCII may pass for another: say what it looks like.
    // Each letter that is not ASCII replaced by the ASCII it is confusable
    // with (Unicode TR39), when there is one.
    let looks_like: String = decoded
        .chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let skeleton: String = unicode_security::skeleton(c.encode_utf8(&mut buf)).collect();
            if c.is_ascii() || !skeleton.is_ascii() {
                c.to_string()
            } else {
                skeleton
            }
        })
        .collect();
    let why = if looks_like.is_ascii() && looks_like != decoded {
        format!("The link's host is not plain ASCII and looks like {looks_like}.")
    } else if mixes_scripts(&decoded) {
        "The link's host mixes scripts and may pass for another one.".to_string()
    } else {
        "The link's host is not plain ASCII and may pass for another one.".to_string()
    };
    confirm(decoded.clone(), why)
}

fn percent_decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("u={s}").as_bytes())
        .next()
        .map_or_else(|| s.to_string(), |(_, v)| v.into_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other,
}

fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(match c as u32 {
        0x41..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        _ => Script::Other,
    })
}

/// Whether a label of the host mixes Latin, Greek or Cyrillic letters with
/// each other (the classic `аpple.com` with a Cyrillic `а`).
pub fn mixes_scripts(host: &str) -> bool {
    host.split('.').any(|label| {
        let mut first: Option<Script> = None;
        label.chars().filter_map(script).any(|s| match first {
            None => {
                first = Some(s);
                false
            }
            Some(f) => f != s && (f != Script::Other || s != Script::Other),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_open() {
        assert_eq!(
            check("https://k8s.af/", LinkKind::Web),
            Verdict::Open("https://k8s.af/".into())
        );
        assert_eq!(
            check("mailto:a@b.c", LinkKind::Mailto),
            Verdict::Open("mailto:a@b.c".into())
        );
        assert_eq!(
            check("/info/post-mortem-namecheap", LinkKind::Relative),
            Verdict::Refuse(
                "`/info/post-mortem-namecheap` is a relative link: no site to resolve it against"
                    .into()
            )
        );
        assert_eq!(
            check("#", LinkKind::Placeholder),
            Verdict::Refuse("`#` is a placeholder link: nothing to open".into())
        );
        assert_eq!(
            check("javascript:alert(1)", LinkKind::Other),
            Verdict::Refuse(
                "not opening a `javascript:` link (only http, https and mailto open)".into()
            )
        );
        assert_eq!(
            check("file:///etc/passwd", LinkKind::Other),
            Verdict::Refuse("not opening a `file:` link (only http, https and mailto open)".into())
        );
    }

    fn asks(url: &str) -> (String, String, String) {
        match check(url, LinkKind::Web) {
            Verdict::Confirm {
                decoded, raw, why, ..
            } => (decoded, raw, why),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn homograph_hosts_ask_first() {
        assert_eq!(
            check("https://аpple.com/login", LinkKind::Web),
            Verdict::Confirm {
                url: "https://xn--pple-43d.com/login".into(),
                decoded: "аpple.com".into(),
                raw: "xn--pple-43d.com".into(),
                why: "The link's host is not plain ASCII and looks like apple.com.".into(),
            }
        );
        // Whole-script homographs: every letter Cyrillic, or Greek.
        assert_eq!(
            asks("http://аррӏе.com/"),
            (
                "аррӏе.com".into(),
                "xn--80ak6aa92e.com".into(),
                "The link's host is not plain ASCII and looks like apple.com.".into()
            )
        );
        assert_eq!(
            asks("http://сосо.com/").2,
            "The link's host is not plain ASCII and looks like coco.com."
        );
        assert_eq!(
            asks("http://οοο.com/").2,
            "The link's host is not plain ASCII and looks like ooo.com."
        );
        assert_eq!(asks("https://xn--80ak6aa92e.com/").0, "аррӏе.com");
        // Any non-ASCII host asks, even one that passes for nothing.
        assert_eq!(
            asks("https://東京.jp/"),
            (
                "東京.jp".into(),
                "xn--1lqs71d.jp".into(),
                "The link's host is not plain ASCII and may pass for another one.".into()
            )
        );
        assert!(!mixes_scripts("github.com"));
    }

    #[test]
    fn a_user_before_the_host_asks_and_shows_the_real_host() {
        assert_eq!(
            asks("https://accounts.google.com@evil.example/"),
            (
                "accounts.google.com@evil.example".into(),
                "evil.example".into(),
                "The link puts `accounts.google.com@` before its real host.".into()
            )
        );
        assert_eq!(asks("http://user:pass@evil.example").1, "evil.example");
    }

    #[test]
    fn full_width_and_zero_width_forms_open_as_the_host_they_normalise_to() {
        assert_eq!(
            check("https://ｇｉｔｈｕｂ.com/", LinkKind::Web),
            Verdict::Open("https://github.com/".into())
        );
        assert_eq!(
            check("https://git\u{200b}hub.com/", LinkKind::Web),
            Verdict::Open("https://github.com/".into())
        );
    }
}
