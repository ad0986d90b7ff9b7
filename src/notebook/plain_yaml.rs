//! Plain YAML front matter (`key: value` lines of strings and flow lists
//! of strings) read without the YAML parser, as most notes write it;
//! anything else is `None` and goes to yaml-rust2. A property test checks
//! that both read what this accepts the same.

/// A value of plain front matter.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum YamlValue {
    /// A string (a plain or quoted scalar YAML reads as one).
    Str(String),
    /// A flow sequence of strings, `[a, "b"]`.
    List(Vec<String>),
}

/// Front matter made only of `key: value` lines whose values are strings or
/// flow sequences of strings, as yaml-rust2 would read them; `None` for
/// anything else (block lists, numbers, comments, escapes, multi-line …).
pub(super) fn yaml_mapping(body: &str) -> Option<std::collections::HashMap<&str, YamlValue>> {
    if body.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f) {
        return None;
    }
    let mut map = std::collections::HashMap::new();
    for line in body.split('\n') {
        if line.trim().is_empty() {
            continue;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        let key_ok = key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        let rest = line[colon + 1..].strip_prefix(' ')?;
        if !key_ok || map.contains_key(key) {
            return None;
        }
        let value = rest.trim_matches(' ');
        let value = match value.as_bytes().first()? {
            b'[' => YamlValue::List(flow_list(value.strip_prefix('[')?.strip_suffix(']')?)?),
            _ => YamlValue::Str(scalar(value, false)?),
        };
        map.insert(key, value);
    }
    Some(map)
}

/// A scalar that YAML reads as this string, quoted or plain; `None` for
/// one it reads otherwise (a number, a boolean, null) or might.
fn scalar(value: &str, in_flow: bool) -> Option<String> {
    let quoted = |q: char| {
        let inner = value.strip_prefix(q)?.strip_suffix(q)?;
        (!inner.contains(q) && !inner.contains('\\')).then(|| inner.to_string())
    };
    match value.chars().next()? {
        '"' => return quoted('"'),
        '\'' => return quoted('\''),
        _ => {}
    }
    let indicator = |c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c);
    if value.starts_with(indicator)
        || value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
        || (in_flow && value.contains([',', '[', ']', '{', '}', ':', '#']))
    {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    let typed = matches!(lower.as_str(), "~" | "null" | "true" | "false")
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(['.', '+'])
        || value.parse::<i64>().is_ok()
        || value.parse::<f64>().is_ok();
    (!typed).then(|| value.to_string())
}

/// The items of a flow sequence's inside, each a string.
fn flow_list(inner: &str) -> Option<Vec<String>> {
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| scalar(item.trim_matches(' '), true))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    use crate::notebook::simple::tests::pick;

    const KEYS: &[&str] = &[
        "title",
        "tags",
        "url",
        "date",
        "summary",
        "categories",
        "keywords",
        "source",
        "link",
        "published",
        "description",
    ];
    const KEYS_SPECIAL: &[&str] = &["last-modified", "Title", " title", "#c", ""];
    /// Values YAML reads as strings or lists of strings, and near misses.
    const VALUES: &[&str] = &[
        "Synthetic 0",
        "Acme outage",
        "\"quoted\"",
        "'single'",
        "2019-03-12",
        "0b101",
        "007x",
        "1_000",
        "[a, b]",
        "[\"postmortem\"]",
        "[]",
        "['x', \"y\"]",
        "https://a.example/x",
        "a#b",
        "東京",
        "a, b",
        "it's",
        " padded ",
        "Nov 23, 2026",
        "v1.2.3",
        "-x",
        "a-b",
    ];
    const VALUES_SPECIAL: &[&str] = &[
        "\"esc \\\" q\"",
        "'it''s'",
        "2019",
        "1.5",
        "0x1F",
        "0o17",
        "+1",
        "007",
        ".inf",
        "nan",
        "true",
        "True",
        "null",
        "~",
        "yes",
        "[a, 1]",
        "[a, \"b, c\"]",
        "[a, [b]]",
        "- x",
        "a: b",
        "a #b",
        "",
        "*alias",
        "&anchor x",
        "|",
        ">",
        "x:",
        "{a: b}",
        "\"unclosed",
        "@x",
        "%x",
        "`x`",
        "[a, ]",
    ];

    fn front_matter() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (
                pick(KEYS, KEYS_SPECIAL),
                prop::sample::select(&[": ", ": ", ": ", ":", ":  "][..]),
                pick(VALUES, VALUES_SPECIAL),
            ),
            0..5,
        )
        .prop_map(|lines| {
            lines
                .iter()
                .map(|(k, sep, v)| format!("{k}{sep}{v}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Plain front matter read without the YAML parser reads as it does.
        #[test]
        fn simple_front_matter_is_the_yaml_parsers(body in front_matter()) {
            if yaml_mapping(&body).is_some() {
                let mut w = Vec::new();
                prop_assert_eq!(
                    crate::notebook::document::yaml_front_matter(&body, &mut w, true),
                    crate::notebook::document::yaml_front_matter(&body, &mut w, false),
                    "{:?}", body
                );
            }
        }
    }

    #[test]
    fn the_property_test_reaches_plain_front_matter() {
        // Guards the generator: the property means little unless many
        // generated bodies take the plain path.
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let bodies = front_matter();
        let plain = (0..2000)
            .filter(|_| {
                let b = bodies.new_tree(&mut runner).unwrap().current();
                b.contains(':') && yaml_mapping(&b).is_some()
            })
            .count();
        assert!(plain > 100, "{plain}");
    }
}
