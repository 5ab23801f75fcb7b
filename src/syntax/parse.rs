//! tree-sitter parsing: one reusable parser per thread, only the byte
//! ranges asked for (offsets stay those of the whole file), a time budget
//! per call, and syntax errors turned into diagnostics.

use std::cell::RefCell;
use std::ops::Range;
use std::time::{Duration, Instant};

use tree_sitter::{Node, ParseOptions, ParseState, Parser, Point, Tree};

use super::forms::PARSE_ERROR;
use super::source_file::SourceFile;
use crate::diagnostic::{Diagnostic, Severity};

/// The default time one parse call may take before it is abandoned.
pub const DEFAULT_PARSE_BUDGET: Duration = Duration::from_secs(5);

/// At most this many syntax errors are reported per parse: after the
/// first few, tree-sitter's recovery mostly reports echoes.
const MAX_ERRORS_PER_PARSE: usize = 20;

thread_local! {
    /// Creating a parser allocates its stacks; reuse one per thread.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Result<Parser, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_erlang::LANGUAGE.into())
        .map_err(|e| format!("cannot load the Erlang grammar: {e}"))?;
    Ok(parser)
}

/// Runs `f` with this thread's parser (a fresh one if it is in use).
fn with_parser<R>(f: impl FnOnce(&mut Parser) -> R) -> Result<R, String> {
    PARSER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            if slot.is_none() {
                *slot = Some(new_parser()?);
            }
            match slot.as_mut() {
                Some(p) => Ok(f(p)),
                None => Err("no parser".to_owned()),
            }
        }
        Err(_) => Ok(f(&mut new_parser()?)),
    })
}

/// The tree-sitter point (row, byte column) of a byte offset.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let row = memchr::memchr_iter(b'\n', before).count();
    Point {
        row,
        column: offset - line_start,
    }
}

/// Parses the given byte ranges of `file` (all of it when `ranges` is
/// empty). Ranges must be sorted and disjoint. Exceeding `budget` gives a
/// diagnostic instead of a tree.
pub(crate) fn parse_ranges(
    file: &SourceFile,
    ranges: &[Range<usize>],
    budget: Duration,
) -> Result<Tree, Diagnostic> {
    let text = &*file.text;
    let ts_ranges: Vec<tree_sitter::Range> = ranges
        .iter()
        .map(|r| tree_sitter::Range {
            start_byte: r.start,
            end_byte: r.end,
            start_point: point_at(text, r.start),
            end_point: point_at(text, r.end),
        })
        .collect();
    let failure = |message: String| {
        Diagnostic::file_level(Severity::Error, "parse-failed", file.path.clone(), message)
    };
    let at = ranges.first().map_or(0, |r| r.start);
    let result = with_parser(|parser| {
        if parser.set_included_ranges(&ts_ranges).is_err() {
            return Err(failure(
                "internal error: parse ranges out of order".to_owned(),
            ));
        }
        let deadline = Instant::now() + budget;
        let mut timed_out = false;
        let mut progress = |_: &ParseState| {
            timed_out = Instant::now() >= deadline;
            timed_out
        };
        let bytes = text.as_bytes();
        // Valid code the grammar misreads is read through same-length rewrites.
        let patches = super::patch::patches(text, ranges);
        let tree = parser.parse_with_options(
            &mut |i, _| super::patch::read_at(bytes, &patches, i),
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        match tree {
            Some(t) => Ok(t),
            None => {
                // A cancelled parser would otherwise resume this parse next time.
                parser.reset();
                if timed_out {
                    Err(file.diagnostic_at(
                        Severity::Error,
                        "parse-timeout",
                        at,
                        format!(
                            "parsing took longer than the budget of {} ms; skipped",
                            budget.as_millis()
                        ),
                    ))
                } else {
                    Err(failure("tree-sitter returned no tree".to_owned()))
                }
            }
        }
    });
    result.map_err(failure)?
}

/// Diagnostics for every `ERROR` and `MISSING` node under `node` (the rest
/// of the tree stays usable).
pub(crate) fn syntax_errors(file: &SourceFile, node: Node<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    collect_errors(file, node, &mut out);
    out
}

fn collect_errors(file: &SourceFile, node: Node<'_>, out: &mut Vec<Diagnostic>) {
    // Iterative: a pathological file can nest deeper than the stack allows.
    let mut cursor = node.walk();
    loop {
        let n = cursor.node();
        if out.len() >= MAX_ERRORS_PER_PARSE {
            return;
        }
        let descend = if n.is_missing() {
            out.push(file.diagnostic_at(
                Severity::Error,
                PARSE_ERROR,
                n.start_byte(),
                format!("syntax error: missing `{}`", n.kind()),
            ));
            false
        } else if n.is_error() {
            out.push(file.diagnostic_at(
                Severity::Error,
                PARSE_ERROR,
                n.start_byte(),
                format!("syntax error at `{}`", snippet(&file.text, n.byte_range())),
            ));
            false
        } else {
            n.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The start of a node's text, one line, at most 30 characters.
pub(crate) fn snippet(text: &str, range: Range<usize>) -> String {
    let s = text.get(range).unwrap_or("");
    let line = s.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(30).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out
}

/// Parses a whole file and returns its syntax errors (used for a full
/// check, and to measure the cheap check against tree-sitter).
pub fn parse_file_errors(file: &SourceFile, budget: Duration) -> Vec<Diagnostic> {
    match parse_ranges(file, &[], budget) {
        Ok(tree) => syntax_errors(file, tree.root_node()),
        Err(d) => vec![d],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_keep_file_offsets() {
        let text = "-module(m).\nf() -> ok.\ng() -> {.\nh() -> 1.\n";
        let file = SourceFile::from_text("m.erl", text);
        let start = text.find("h()").unwrap();
        let range = start..text.len();
        let tree = parse_ranges(&file, std::slice::from_ref(&range), DEFAULT_PARSE_BUDGET).unwrap();
        let root = tree.root_node();
        assert!(!root.has_error());
        let decl = root.named_child(0).unwrap();
        assert_eq!(decl.kind(), "fun_decl");
        assert_eq!(decl.start_byte(), start);
        assert_eq!(decl.start_position().row, 3);
    }

    #[test]
    fn errors_become_diagnostics() {
        let text = "-module(m).\nf() -> ok.\ng() -> {.\n";
        let file = SourceFile::from_text("m.erl", text);
        let errs = parse_file_errors(&file, DEFAULT_PARSE_BUDGET);
        assert!(!errs.is_empty());
        assert!(
            errs.iter().all(|d| d.line == 3 && d.code == PARSE_ERROR),
            "{errs:?}"
        );
    }

    #[test]
    fn budget_exceeded_is_a_diagnostic_and_parser_recovers() {
        let mut text = String::from("-module(m).\n");
        for i in 0..20000 {
            text.push_str(&format!(
                "f{i}(X) -> case X of {{a, B}} -> [B | X]; _ -> ok end.\n"
            ));
        }
        let file = SourceFile::from_text("big.erl", text);
        let err = parse_ranges(&file, &[], Duration::ZERO).unwrap_err();
        assert_eq!(err.code, "parse-timeout");
        let small = SourceFile::from_text("s.erl", "f() -> ok.\n");
        let tree = parse_ranges(&small, &[], DEFAULT_PARSE_BUDGET).unwrap();
        assert!(!tree.root_node().has_error());
    }
}
