//! The fast path against tree-sitter: for every function form of real
//! code, whenever the fast path gives a `Function`, it must equal what
//! tree-sitter and the `Lowerer` give, and tree-sitter must have found no
//! syntax error; and the fast path must take most functions.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use super::super::items::parse_function_tree_sitter;
use super::super::module::index_module_with;
use super::super::source_file::SourceFile;

/// What the comparison found over a set of files.
#[derive(Debug, Default)]
struct Stats {
    functions: usize,
    fast: usize,
    mismatches: Vec<String>,
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.functions += other.functions;
        self.fast += other.fast;
        self.mismatches.extend(other.mismatches);
    }

    fn share(&self) -> f64 {
        self.fast as f64 / self.functions.max(1) as f64
    }
}

/// Compares both paths on every function of one source text.
fn compare_text(path: &str, text: String) -> Stats {
    let index = index_module_with(SourceFile::from_text(path, text), Duration::from_secs(5));
    let mut stats = Stats::default();
    for entry in &index.functions {
        stats.functions += 1;
        let file: &Arc<SourceFile> = &entry.ctx.file;
        let fast = super::parse_function(file, &entry.range, &entry.name, entry.arity, entry.span);
        let Some(fast) = fast else { continue };
        stats.fast += 1;
        let reference = parse_function_tree_sitter(
            &entry.ctx,
            &entry.range,
            &entry.name,
            entry.arity,
            entry.span,
        );
        if !reference.diagnostics.is_empty() || *reference.function != fast {
            let mut fast_dbg = format!("{fast:#?}");
            let mut ts_dbg = format!("{:#?}", reference.function);
            fast_dbg.truncate(4000);
            ts_dbg.truncate(4000);
            stats.mismatches.push(format!(
                "{path}:{}: {}/{}: {} tree-sitter errors\n--- fast:\n{fast_dbg}\n--- tree-sitter:\n{ts_dbg}",
                entry.span.line,
                entry.name,
                entry.arity,
                reference.diagnostics.len(),
            ));
        }
    }
    stats
}

/// Compares both paths over every Erlang source under `dirs`.
fn compare_dirs(dirs: &[PathBuf]) -> Stats {
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| crate::discover::erlang_sources(d))
        .collect();
    files
        .par_iter()
        .map(|p| match std::fs::read(p) {
            Ok(bytes) => compare_text(
                &p.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ),
            Err(_) => Stats::default(),
        })
        .reduce(Stats::default, |mut a, b| {
            a.add(b);
            a
        })
}

fn assert_no_mismatch(stats: &Stats) {
    for m in stats.mismatches.iter().take(5) {
        eprintln!("{m}\n");
    }
    assert!(
        stats.mismatches.is_empty(),
        "{} of {} fast-path functions differ from tree-sitter",
        stats.mismatches.len(),
        stats.fast
    );
}

/// A few of OTP's applications, when OTP's sources are installed.
fn otp_apps() -> Vec<PathBuf> {
    let lib = Path::new("/usr/lib/erlang/lib");
    let Ok(entries) = std::fs::read_dir(lib) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                ["stdlib-", "kernel-", "inets-", "ssl-"]
                    .iter()
                    .any(|a| n.starts_with(a))
            })
        })
        .map(|p| p.join("src"))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn fast_path_equals_tree_sitter_on_samples_and_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stats = compare_dirs(&[root.join("samples"), root.join("tests/fixtures")]);
    eprintln!(
        "samples and fixtures: {} of {} functions on the fast path ({:.1}%)",
        stats.fast,
        stats.functions,
        100.0 * stats.share()
    );
    assert_no_mismatch(&stats);
    assert!(stats.functions > 500, "{stats:?}");
    assert!(stats.share() >= 0.6, "fast path share fell: {stats:?}");
}

#[test]
fn fast_path_equals_tree_sitter_on_otp() {
    let apps = otp_apps();
    if apps.is_empty() {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("OTP sources not found under /usr/lib/erlang/lib and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: OTP sources not found under /usr/lib/erlang/lib");
        return;
    }
    let stats = compare_dirs(&apps);
    eprintln!(
        "OTP stdlib, kernel, inets, ssl: {} of {} functions on the fast path ({:.1}%)",
        stats.fast,
        stats.functions,
        100.0 * stats.share()
    );
    assert_no_mismatch(&stats);
    assert!(stats.functions > 5000, "{stats:?}");
    assert!(stats.share() >= 0.8, "fast path share fell: {stats:?}");
}

/// The same comparison over any directories: set `OTPMAP_FAST_DIFF` to
/// them, separated by `:`, and run in release mode:
/// `OTPMAP_FAST_DIFF=/usr/lib/erlang/lib cargo test --release --lib fast -- --ignored`.
#[test]
#[ignore]
fn fast_path_equals_tree_sitter_on_env_dirs() {
    let Some(dirs) = std::env::var_os("OTPMAP_FAST_DIFF") else {
        panic!("set OTPMAP_FAST_DIFF to the directories to compare");
    };
    let mut total = Stats::default();
    for dir in std::env::split_paths(&dirs) {
        let stats = compare_dirs(std::slice::from_ref(&dir));
        eprintln!(
            "{}: {} of {} functions on the fast path ({:.1}%), {} mismatches",
            dir.display(),
            stats.fast,
            stats.functions,
            100.0 * stats.share(),
            stats.mismatches.len()
        );
        total.add(stats);
    }
    eprintln!(
        "total: {} of {} functions on the fast path ({:.1}%)",
        total.fast,
        total.functions,
        100.0 * total.share()
    );
    assert_no_mismatch(&total);
}
