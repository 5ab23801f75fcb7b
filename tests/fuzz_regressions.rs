//! Inputs the fuzzers (`fuzz/`) found bugs with, replayed through the same
//! drivers the fuzz targets use: `tests/fuzz_regressions/<target>/*` must go
//! through without a panic and with the drivers' checks holding. The tests
//! after the replay pin down what each fixed bug now reports.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod drive;

use std::path::Path;

/// Runs `driver` on every file under `tests/fuzz_regressions/<target>`,
/// naming the file that fails.
fn replay(target: &str, driver: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        let outcome = std::panic::catch_unwind(|| driver(&bytes));
        assert!(outcome.is_ok(), "{} fails again", p.display());
    }
}

#[test]
fn term_inputs_replay() {
    replay("term", drive::term);
}

#[test]
fn erlang_mk_inputs_replay() {
    replay("erlang_mk", drive::erlang_mk);
}

#[test]
fn source_inputs_replay() {
    replay("source", drive::source);
}
