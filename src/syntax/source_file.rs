//! Reading one Erlang source file (`.erl`, `.hrl`) into memory: decoded
//! text, line index and the path every output shows.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{decode_owned, relative_path, LineIndex};

/// A decoded source file. Cheap to clone: the text and the line index are
/// shared.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the scanned root, `/` separators.
    pub path: String,
    /// The decoded text (UTF-8 in memory whatever the file's encoding).
    /// An `Arc<String>`, not `Arc<str>`: the text read from disk becomes
    /// the `String` without a copy, where `Arc<str>` would copy every file
    /// once more (page faults were a tenth of `scan`).
    pub text: Arc<String>,
    /// Byte offset to line and column, built on first use: indexing
    /// counts lines as it goes (see `LineCursor`), and most files are
    /// never asked for a position afterwards (it was 6% of a `scan`).
    line_index: Arc<OnceLock<LineIndex>>,
    /// Notes made while reading (Latin-1 fallback); moved into the module
    /// index so they are reported with the file's other diagnostics.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl SourceFile {
    /// A source file from text already in memory (tests, editors).
    pub fn from_text(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = Arc::new(text.into());
        SourceFile {
            path: path.into(),
            line_index: Arc::default(),
            text,
            diagnostics: Vec::new(),
        }
    }

    /// Byte offset to line and column (built now if not yet).
    pub(crate) fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        self.line_index().position(&self.text, offset)
    }

    /// True for a header (`.hrl`), which has no `-module`.
    pub(crate) fn is_header(&self) -> bool {
        self.path.ends_with(".hrl")
    }

    /// An escript named `.erl` (its first line is `#!`): escript compiles
    /// it whatever its `-module`, or without one.
    pub(crate) fn is_escript(&self) -> bool {
        self.text.starts_with("#!")
    }

    /// A diagnostic at a byte offset of this file.
    pub(crate) fn diagnostic_at(
        &self,
        severity: Severity,
        code: &'static str,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic::new(
            severity,
            code,
            self.path.clone(),
            line,
            Some(column),
            message,
        )
    }
}

/// The code of the note on a template file skipped.
pub const TEMPLATE_FILE: &str = "template-file";

/// The offset of `-module({{` (spaces allowed): a mustache placeholder
/// where the module name goes is never Erlang, always a template
/// (rebar3's `priv/templates`, code generators).
fn template_placeholder(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(bytes, b"-module").find(|&at| {
        let rest = &bytes[at + b"-module".len()..];
        let mut it = rest.iter().copied().filter(|b| !b.is_ascii_whitespace());
        it.next() == Some(b'(') && it.next() == Some(b'{') && it.next() == Some(b'{')
    })
}

/// Reads and decodes `path`, reporting it relative to `root`. A file larger
/// than `max_bytes`, or one that cannot be read, is a diagnostic; a file that
/// fell back to Latin-1 without a `coding:` comment is read, with a note.
pub fn read_source(root: &Path, path: &Path, max_bytes: u64) -> Result<SourceFile, Diagnostic> {
    read_source_as(relative_path(root, path), path, max_bytes)
}

/// [`read_source`] for a path already made relative (`rel`).
pub(crate) fn read_source_as(
    rel: String,
    path: &Path,
    max_bytes: u64,
) -> Result<SourceFile, Diagnostic> {
    // Offsets are kept in 32 bits (tokens, tree-sitter), so cap the size there too.
    let max_bytes = max_bytes.min(u64::from(u32::MAX));
    let bytes = crate::source::read_file(path, &rel, max_bytes)?;
    // NUL never appears in Erlang source: this is an object file, an
    // archive or an image with an .erl name. Say so once instead of
    // reporting every byte that does not lex.
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err(Diagnostic::file_level(
            Severity::Warning,
            "binary-file",
            &rel,
            "binary data (contains NUL bytes), not Erlang source: skipped",
        ));
    }
    if let Some(at) = template_placeholder(&bytes) {
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count() as u32;
        return Err(Diagnostic::new(
            Severity::Info,
            TEMPLATE_FILE,
            &rel,
            line,
            None,
            "a template (`-module({{...}})` placeholder, as in rebar3 templates), \
             not Erlang source: skipped",
        ));
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let (decoded, invalid_line) = decode_owned(bytes);
    let mut diagnostics = Vec::new();
    if bom {
        diagnostics.push(Diagnostic::file_level(
            Severity::Info,
            "byte-order-mark",
            &rel,
            "starts with a UTF-8 byte-order mark: read without it, but erlc rejects it \
             (`illegal character`); save the file without a BOM",
        ));
    }
    if decoded.fell_back_to_latin1 {
        // Point at the first byte that is not UTF-8, where erlc gives up.
        let line = invalid_line.unwrap_or(1);
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "latin1-fallback",
            &rel,
            line,
            None,
            "not valid UTF-8 and no `%% coding: latin-1` comment: read as Latin-1, \
             but the compiler rejects this file (add the comment or re-encode as UTF-8)",
        ));
    }
    let text = Arc::new(decoded.text);
    Ok(SourceFile {
        path: rel,
        line_index: Arc::default(),
        text,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_relative_path_and_notes_latin1_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("src").join("a.erl");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"-module(a).\n%% caf\xe9\n").unwrap();
        let f = read_source(dir.path(), &p, 1 << 20).unwrap();
        assert_eq!(f.path, "src/a.erl");
        assert_eq!(f.diagnostics.len(), 1);
        assert_eq!(f.diagnostics[0].code, "latin1-fallback");
        assert!(f.text.contains("café"));
    }

    #[test]
    fn too_large_and_missing_are_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.erl");
        std::fs::write(&p, "-module(b).\n").unwrap();
        let e = read_source(dir.path(), &p, 4).unwrap_err();
        assert_eq!((e.code, e.file.as_str()), ("file-too-large", "b.erl"));
        let e = read_source(dir.path(), &dir.path().join("nope.erl"), 100).unwrap_err();
        assert_eq!((e.code, e.file.as_str()), ("unreadable-file", "nope.erl"));
    }
}
