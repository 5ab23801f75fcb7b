//! Decoding a file's bytes the way `file:consult/1` does, which is stricter
//! than [`crate::source::decode`]: `epp:set_encoding/1` looks in the first
//! two lines for a comment with `coding: latin-1` or `coding: utf-8`
//! (`coding=` too, any case, nothing else such as `latin1`), defaults to
//! UTF-8, and reading then fails on bytes that are not UTF-8. A byte-order
//! mark is kept, and the scanner refuses it.

use super::value::{Pos, TermError};

/// The text of `bytes` as `file:consult/1` reads it.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, TermError> {
    if declared_encoding(bytes) == Some(Declared::Latin1) {
        return Ok(bytes.iter().map(|&b| char::from(b)).collect());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let text = std::str::from_utf8(valid).unwrap_or_default();
            let line = text.matches('\n').count() + 1;
            let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(TermError {
                pos: Pos {
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    column: u32::try_from(column).unwrap_or(u32::MAX),
                },
                message: "the file is not valid UTF-8 (a Latin-1 file needs a \
                          `%% coding: latin-1` comment on its first or second line)"
                    .to_owned(),
            })
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    Latin1,
    Utf8,
}

/// The encoding named by a `coding:` comment in the first two lines, read
/// as `epp:read_encoding_from_file/2` does: after a `%`, the first `coding`
/// followed by optional spaces and `:` or `=`, then spaces, then a name
/// whose `-`-separated alphanumeric parts start `latin`, `1` or `utf`, `8`.
/// The first such name decides, even when it names neither encoding.
fn declared_encoding(bytes: &[u8]) -> Option<Declared> {
    let mut i = 0;
    let mut line = 0;
    let mut in_comment = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            if line == 2 {
                return None;
            }
            in_comment = false;
            i += 1;
            continue;
        }
        if !in_comment {
            in_comment = b == b'%';
            i += 1;
            continue;
        }
        if bytes[i..].starts_with(b"coding") {
            let mut j = i + "coding".len();
            while bytes.get(j) == Some(&b' ') {
                j += 1;
            }
            if matches!(bytes.get(j), Some(b':' | b'=')) {
                j += 1;
                while bytes.get(j) == Some(&b' ') {
                    j += 1;
                }
                return encoding_name(&bytes[j..]);
            }
        }
        i += 1;
    }
    None
}

fn encoding_name(bytes: &[u8]) -> Option<Declared> {
    let end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
        .unwrap_or(bytes.len());
    let name = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
    let mut parts = name.split('-');
    match (parts.next(), parts.next()) {
        (Some("latin"), Some("1")) => Some(Declared::Latin1),
        (Some("utf"), Some("8")) => Some(Declared::Utf8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_epp() {
        let d = |s: &[u8]| declared_encoding(s);
        assert_eq!(d(b"%% -*- coding: latin-1 -*-\n"), Some(Declared::Latin1));
        assert_eq!(d(b"a.\n%% coding=Latin-1\n"), Some(Declared::Latin1));
        assert_eq!(d(b"a.\n\n%% coding: latin-1\n"), None);
        assert_eq!(d(b"%% coding: latin1\n"), None);
        assert_eq!(d(b"%% coding: iso-8859-1\n"), None);
        assert_eq!(d(b"%% encoding: utf-8\n"), Some(Declared::Utf8));
        assert_eq!(d(b"%% coding latin-1\n"), None);
        assert_eq!(d(b"%% coding : latin-1\n"), Some(Declared::Latin1));
        assert_eq!(d(b"{a, \"%\"}. coding: latin-1\n"), Some(Declared::Latin1));
    }

    #[test]
    fn invalid_utf8_is_an_error_with_a_position() {
        let e = decode(b"a.\nb\xe9.\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, column: 2 });
        assert_eq!(
            decode(b"%% coding: latin-1\n\xe9.").unwrap(),
            "%% coding: latin-1\n\u{e9}."
        );
    }
}
