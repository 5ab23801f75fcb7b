//! Source text: decoding bytes the way Erlang does, and mapping byte offsets
//! to the line and column a person sees.

use crate::diagnostic::{Diagnostic, Severity};
use std::path::Path;

/// A decoded file: the text with any byte-order mark removed.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// True when the file was not valid UTF-8 and had no `coding:` comment:
    /// the compiler would reject it, so callers may say so.
    pub(crate) fell_back_to_latin1: bool,
}

/// Decodes a file's bytes: a `coding: latin-1` comment in the first two lines
/// selects Latin-1 (as epp does), otherwise UTF-8, falling back to Latin-1
/// when the bytes are not valid UTF-8. A UTF-8 BOM is dropped.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_owned(bytes.to_vec()).0
}

/// [`decode`] of bytes the caller gives up: valid UTF-8 (nearly every
/// file) becomes the text without a copy. Also returns, for a Latin-1
/// fallback, the 1-based line of the first byte that is not UTF-8.
pub(crate) fn decode_owned(mut bytes: Vec<u8>) -> (Decoded, Option<u32>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if declares_latin1(&bytes) {
        let decoded = Decoded {
            text: latin1_to_string(&bytes),
            fell_back_to_latin1: false,
        };
        return (decoded, None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (
            Decoded {
                text,
                fell_back_to_latin1: false,
            },
            None,
        ),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..valid]).count() as u32;
            let decoded = Decoded {
                text: latin1_to_string(&bytes),
                fell_back_to_latin1: true,
            };
            (decoded, Some(line))
        }
    }
}

fn latin1_to_string(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Looks for `coding: latin-1` (or `latin1`, `iso-8859-1`) in a comment on
/// one of the first two lines, as `epp:read_encoding/1` does.
fn declares_latin1(bytes: &[u8]) -> bool {
    let mut lines = bytes.split(|&b| b == b'\n').take(2);
    lines.any(|line| {
        let Some(pct) = line.iter().position(|&b| b == b'%') else {
            return false;
        };
        let comment = String::from_utf8_lossy(&line[pct..]).to_ascii_lowercase();
        let Some(at) = comment.find("coding") else {
            return false;
        };
        let rest = comment[at + "coding".len()..].trim_start_matches([':', '=', ' ', '\t']);
        rest.starts_with("latin-1") || rest.starts_with("latin1") || rest.starts_with("iso-8859-1")
    })
}

/// Maps byte offsets in a text to 1-based lines and columns. Columns count
/// characters, so they are right for Latin-1 and multi-byte UTF-8; a `\r`
/// before `\n` ends a line like `\n` alone.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Byte offsets as `u32`, as in tokens: half the memory of `usize` on
    /// a large tree, where every file's index stays for the whole run
    /// (texts over 4 GiB are not read: see `--max-file-size`).
    line_starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| (i + 1) as u32));
        line_starts.shrink_to_fit();
        LineIndex { line_starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// The byte offsets where 1-based `line` starts and where the next
    /// starts (`usize::MAX` after the last line).
    pub(crate) fn line_bounds(&self, line: u32) -> (usize, usize) {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(i).map_or(0, |&s| s as usize);
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(usize::MAX, |&e| e as usize);
        (start, end)
    }

    /// The 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.line_starts[line as usize - 1] as usize;
        let offset = offset.min(text.len());
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line, column as u32 + 1)
    }

    /// The text of a 1-based line without its line ending.
    pub(crate) fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(i) else {
            return "";
        };
        let start = start as usize;
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(text.len(), |&e| e as usize);
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// Lines and columns of increasing offsets, counted as it goes: the
/// indexing of a file asks for the position of each form in order, and
/// counting newlines up to there costs a tenth of building a
/// [`LineIndex`], which most files never need after indexing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineCursor {
    /// The offset last asked for (clamped to the text).
    offset: usize,
    /// Its 1-based line.
    line: u32,
    /// The offset of its line's first byte.
    line_start: usize,
}

impl LineCursor {
    /// The 1-based line and character column of a byte offset, as
    /// [`LineIndex::position`] gives them. An offset before the last one
    /// asked for counts again from the start of the text.
    pub(crate) fn position(&mut self, text: &str, offset: usize) -> (u32, u32) {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        if offset < self.offset || self.line == 0 {
            *self = LineCursor {
                offset: 0,
                line: 1,
                line_start: 0,
            };
        }
        let skipped = &bytes[self.offset..offset];
        if let Some(last) = memchr::memrchr(b'\n', skipped) {
            self.line += memchr::memchr_iter(b'\n', skipped).count() as u32;
            self.line_start = self.offset + last + 1;
        }
        self.offset = offset;
        let column = text
            .get(self.line_start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - self.line_start);
        (self.line, column as u32 + 1)
    }
}

/// The largest file read by default (`--max-file-size`): generated
/// sources of megabytes are common, a source of tens is an accident.
pub(crate) const DEFAULT_MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a file's bytes; a file that cannot be read or is larger than
/// `max_bytes` is a diagnostic naming it (`rel`, relative to the root).
pub(crate) fn read_file(path: &Path, rel: &str, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::NotFound => "it vanished before it could be read".to_owned(),
            _ => e.to_string(),
        };
        Diagnostic::file_level(
            Severity::Error,
            "unreadable-file",
            rel,
            format!("cannot read: {reason}; skipped"),
        )
    };
    let too_large = |len: u64| {
        Diagnostic::file_level(
            Severity::Warning,
            "file-too-large",
            rel,
            format!(
                "skipped: {len} bytes is over the limit of {max_bytes} bytes \
                 (raise it with --max-file-size)"
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        return Err(unreadable(std::io::Error::other("it is a directory")));
    }
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    // Read at most one byte over the limit: the file may grow meanwhile
    // (a log, a file being generated), and a FIFO has no length at all.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A path relative to the scanned root, with `/` separators, as every output
/// shows it. A path outside the root is shown as given.
pub(crate) fn relative_path(root: &Path, path: &Path) -> String {
    match plain_relative_path(root, path) {
        Some(rel) => rel.to_owned(),
        None => components_relative_path(root, path),
    }
}

/// [`relative_path`] for any path: its components after `root`, joined.
fn components_relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// [`relative_path`] without parsing components, for the paths a walk
/// makes (`root` joined with names): the bytes after `root` and one `/`,
/// when they are UTF-8 and what the components would give back joined.
/// Parsing components cost 4 000 instructions a path, on the one thread
/// discovery runs on, before anything else can start.
#[cfg(unix)]
fn plain_relative_path<'a>(root: &Path, path: &'a Path) -> Option<&'a str> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    let rest = path.as_os_str().as_bytes().strip_prefix(root)?;
    let rest = if root.ends_with(b"/") {
        rest
    } else {
        rest.strip_prefix(b"/")?
    };
    let rest = std::str::from_utf8(rest).ok()?;
    // `.` and empty components are what `components` drops.
    rest.split('/')
        .all(|c| !c.is_empty() && c != ".")
        .then_some(rest)
}

#[cfg(not(unix))]
fn plain_relative_path<'a>(_: &Path, _: &'a Path) -> Option<&'a str> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_path_is_what_components_give() {
        for (root, path) in [
            (
                "/usr/lib/erlang/lib",
                "/usr/lib/erlang/lib/kernel-8.5/src/code.erl",
            ),
            (
                "/usr/lib/erlang/lib/",
                "/usr/lib/erlang/lib/kernel-8.5/src/code.erl",
            ),
            (".", "./src/a.erl"),
            ("/", "/src/a.erl"),
            ("/p", "/p"),
            ("/p", "/p/"),
            ("/p", "/pq/a.erl"),
            ("/p", "/p//a.erl"),
            ("/p", "/p/./a.erl"),
            ("/p", "/p/a/../b.erl"),
            ("a/./b", "a/./b/c.erl"),
            ("/p", "/elsewhere/a.erl"),
        ] {
            assert_eq!(
                relative_path(Path::new(root), Path::new(path)),
                components_relative_path(Path::new(root), Path::new(path)),
                "{root} {path}"
            );
        }
    }

    #[test]
    fn latin1_comment_selects_latin1() {
        let d = decode(b"%% -*- coding: latin-1 -*-\n-module(a).\n%% caf\xe9\n");
        assert!(d.text.contains("café"));
        assert!(!d.fell_back_to_latin1);
    }

    #[test]
    fn invalid_utf8_falls_back() {
        let d = decode(b"-module(a).\n%% caf\xe9\n");
        assert!(d.fell_back_to_latin1);
    }

    #[test]
    fn bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBF-module(a).");
        assert_eq!(d.text, "-module(a).");
    }

    #[test]
    fn read_file_failures_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.erl");
        std::fs::write(&p, "-module(a).\n").unwrap();
        assert_eq!(read_file(&p, "a.erl", 12).unwrap().len(), 12);
        let e = read_file(&p, "a.erl", 11).unwrap_err();
        assert_eq!((e.code, e.file.as_str()), ("file-too-large", "a.erl"));
        assert!(e.message.contains("--max-file-size"));
        let e = read_file(&dir.path().join("gone.erl"), "gone.erl", 100).unwrap_err();
        assert_eq!(e.code, "unreadable-file");
        assert!(e.message.contains("vanished"), "{}", e.message);
        let e = read_file(dir.path(), "d.erl", 100).unwrap_err();
        assert!(e.message.contains("directory"), "{}", e.message);
    }

    #[test]
    fn cursor_positions_match_the_line_index() {
        let text = "a.\r\nbé = 1.\n\n%% ü\nc() -> ok.\n";
        let idx = LineIndex::new(text);
        let mut cursor = LineCursor::default();
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        // In order, repeated, backwards and past the end.
        for &off in offsets
            .iter()
            .chain(&[3, 3, 0, 9, text.len(), text.len() + 5])
        {
            assert_eq!(cursor.position(text, off), idx.position(text, off), "{off}");
        }
    }

    #[test]
    fn crlf_positions() {
        let text = "a.\r\nbé = 1.\r\n";
        let idx = LineIndex::new(text);
        let off = text.find('=').unwrap();
        assert_eq!(idx.position(text, off), (2, 4));
        assert_eq!(idx.line_text(text, 1), "a.");
    }
}
