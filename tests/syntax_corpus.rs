//! The syntax stage over OTP's own sources (the `erlang-src` package):
//! every file indexed without a panic, module names equal to file stems,
//! and the cheap structural check compared with tree-sitter.
//!
//! Ignored by default (it parses ~1,500 files); run with
//! `cargo test --release --test syntax_corpus -- --ignored --nocapture`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use otpmap::syntax::parse::{parse_file_errors, DEFAULT_PARSE_BUDGET};
use otpmap::syntax::{index_files, walk_function, ExprKind, IndexOptions, Walk};

const OTP_LIB: &str = "/usr/lib/erlang/lib";

fn corpus() -> Option<Vec<PathBuf>> {
    if !Path::new(OTP_LIB).is_dir() {
        return None;
    }
    let paths = otpmap::discover::erlang_sources(Path::new(OTP_LIB));
    Some(paths)
}

#[test]
#[ignore = "reads all of OTP's sources; run with --ignored"]
fn otp_sources_index_cleanly() {
    let Some(paths) = corpus() else {
        eprintln!("skipped: {OTP_LIB} is missing (install erlang-src)");
        return;
    };
    let root = Path::new(OTP_LIB);
    let t = Instant::now();
    let indexes = index_files(root, &paths, IndexOptions::default());
    let index_time = t.elapsed();
    assert_eq!(indexes.len(), paths.len());

    let mut wrong_names = Vec::new();
    let mut cheap_only = Vec::new();
    let mut tree_only = Vec::new();
    let mut functions = 0usize;
    let mut error_nodes = Vec::new();
    let t = Instant::now();
    for (path, index) in paths.iter().zip(&indexes) {
        assert!(!index.is_unreadable(), "{:?}", index.diagnostics);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if path.extension().is_some_and(|x| x == "erl") && index.name() != Some(stem) {
            wrong_names.push(format!("{}: {:?}", index.file.path, index.name()));
        }
        let cheap: Vec<_> = index
            .diagnostics
            .iter()
            .filter(|d| d.code == "parse-error")
            .collect();
        let tree = parse_file_errors(&index.file, DEFAULT_PARSE_BUDGET);
        if !cheap.is_empty() && tree.is_empty() {
            cheap_only.push(format!(
                "{}:{}:{}: {}",
                cheap[0].file,
                cheap[0].line,
                cheap[0].column.unwrap_or(0),
                cheap[0].message
            ));
        }
        if cheap.is_empty() && !tree.is_empty() {
            tree_only.push(format!(
                "{}:{}:{}: {}",
                tree[0].file,
                tree[0].line,
                tree[0].column.unwrap_or(0),
                tree[0].message
            ));
        }
        for f in &index.functions {
            functions += 1;
            let function = f.function();
            walk_function(&function, &mut |e, _| {
                if let ExprKind::Error(reason) = &e.kind {
                    error_nodes.push(format!("{}:{}: {reason}", index.file.path, e.span.line));
                }
                Walk::Continue
            });
        }
    }
    let parse_time = t.elapsed();
    eprintln!(
        "{} files indexed in {:?}; {} functions parsed in {:?} ({} error nodes)",
        paths.len(),
        index_time,
        functions,
        parse_time,
        error_nodes.len()
    );
    for e in &error_nodes {
        eprintln!("error node: {e}");
    }
    for t in &tree_only {
        eprintln!("tree-sitter error in a file the cheap check passes: {t}");
    }
    for a in &cheap_only {
        eprintln!("cheap-check alarm on a file tree-sitter parses cleanly: {a}");
    }
    assert!(
        wrong_names.is_empty(),
        "module names differ from file stems: {wrong_names:#?}"
    );
    // A false alarm is a cheap-check error in a file tree-sitter parses
    // cleanly. (The converse happens: tree-sitter-erlang treats `maybe` as a
    // keyword where OTP 25 code uses it as an atom; those are listed above.)
    assert!(
        cheap_only.is_empty(),
        "{} false alarms of the cheap check",
        cheap_only.len()
    );
}
