//! Times indexing a source tree (attributes only: no function body is
//! parsed): `cargo run --release --example index_corpus -- [DIR]`.
//! Compare with `rg -c 'init\(' -g '*.erl' -g '*.hrl' DIR`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use otpmap::syntax::{index_files, IndexOptions};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/lib/erlang/lib".to_owned());
    let root = Path::new(&dir);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    for _ in 0..runs {
        let t = Instant::now();
        let paths: Vec<PathBuf> = otpmap::discover::erlang_sources(root);
        let walked = t.elapsed();
        let indexes = index_files(root, &paths, IndexOptions::default());
        let total = t.elapsed();
        let forms: usize = indexes.iter().map(|i| i.functions.len()).sum();
        let diags: usize = indexes.iter().map(|i| i.diagnostics.len()).sum();
        let t = Instant::now();
        drop(indexes);
        let dropped = t.elapsed();
        println!(
            "{} files, {} functions, {} diagnostics: walk {:?}, walk and index {:?} (then drop {:?})",
            paths.len(),
            forms,
            diags,
            walked,
            total,
            dropped
        );
    }
}
