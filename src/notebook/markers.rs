//! The markers that open a block's line, as the block reader finds them and
//! as a node's text is found again after them: line ends, indentation, list
//! markers and a heading's `#`s.

/// Where the line ends: a line feed, or a carriage return not followed by one.
pub fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[from..]).map(|i| from + i) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// Width of leading whitespace (a tab advances to the next multiple of 4)
/// and the byte length of that whitespace.
pub fn indentation(text: &str) -> (u32, usize) {
    let mut width = 0u32;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b' ' => width += 1,
            b'\t' => width = (width / 4 + 1) * 4,
            _ => return (width, i),
        }
    }
    (width, text.len())
}

/// Length of a list marker with the spaces after it, if `rest` starts with
/// one (`rest` may run on past its line).
pub fn list_marker(rest: &str) -> Option<(usize, bool)> {
    let bytes = rest.as_bytes();
    let after_marker = |len: usize, ordered: bool| -> Option<(usize, bool)> {
        match bytes.get(len) {
            None | Some(b'\n' | b'\r') => Some((len, ordered)),
            Some(b' ' | b'\t') => {
                let spaces = bytes[len..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .count();
                Some((len + spaces, ordered))
            }
            _ => None,
        }
    };
    match bytes.first()? {
        b'-' | b'*' | b'+' => after_marker(1, false),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 {
                return None;
            }
            match bytes.get(digits) {
                Some(b'.' | b')') => after_marker(digits + 1, true),
                _ => None,
            }
        }
        _ if rest.starts_with('•') => after_marker('•'.len_utf8(), false),
        _ => None,
    }
}

/// The level of an ATX heading and where its text starts (`rest` may run on
/// past its line).
pub fn heading_level(rest: &str) -> Option<(u8, usize)> {
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    match rest.as_bytes().get(hashes) {
        None | Some(b'\n' | b'\r') => Some((hashes as u8, hashes)),
        Some(b' ' | b'\t') => Some((hashes as u8, hashes + 1)),
        _ => None,
    }
}
