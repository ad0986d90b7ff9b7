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
    /// Ask first: the host in Unicode and as written on the wire.
    Confirm {
        /// The URL to open on yes.
        url: String,
        /// The host as people read it.
        decoded: String,
        /// The host in ASCII (punycode).
        raw: String,
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
    let (decoded, _) = idna::domain_to_unicode(&raw);
    let written_in_punycode = url.to_ascii_lowercase().contains("xn--");
    if written_in_punycode || mixes_scripts(&decoded) {
        return Verdict::Confirm {
            url: parsed.to_string(),
            decoded,
            raw,
        };
    }
    Verdict::Open(parsed.to_string())
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

    #[test]
    fn homograph_hosts_ask_first() {
        assert_eq!(
            check("https://аpple.com/login", LinkKind::Web),
            Verdict::Confirm {
                url: "https://xn--pple-43d.com/login".into(),
                decoded: "аpple.com".into(),
                raw: "xn--pple-43d.com".into(),
            }
        );
        assert!(matches!(
            check("https://xn--80ak6aa92e.com/", LinkKind::Web),
            Verdict::Confirm { .. }
        ));
        assert_eq!(
            check("https://東京.jp/", LinkKind::Web),
            Verdict::Open("https://xn--1lqs71d.jp/".into())
        );
        assert!(!mixes_scripts("github.com"));
    }
}
