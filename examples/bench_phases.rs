//! Single-threaded timing of the indexing phases over files already in
//! memory: `cargo run --release --example bench_phases -- [DIR]`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use otpmap::syntax::forms::{split_forms_into, Forms};
use otpmap::syntax::token::tokenize_into;
use otpmap::syntax::{index_module, SourceFile};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/lib/erlang/lib".to_owned());
    let paths: Vec<PathBuf> = otpmap::discover::erlang_sources(Path::new(&dir));
    let files: Vec<SourceFile> = paths
        .iter()
        .filter_map(|p| otpmap::syntax::read_source(Path::new(&dir), p, 64 << 20).ok())
        .collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    for _ in 0..3 {
        let t = Instant::now();
        for p in &paths {
            let _ = std::fs::read(p);
        }
        let read = t.elapsed();
        let t = Instant::now();
        let mut toks = Vec::new();
        let mut n = 0;
        for f in &files {
            toks.clear();
            tokenize_into(&f.text, &mut toks);
            n += toks.len();
        }
        let lex = t.elapsed();
        let t = Instant::now();
        let mut buf = Forms::default();
        for f in &files {
            buf = split_forms_into(f, buf);
        }
        let split = t.elapsed();
        let t = Instant::now();
        for f in &files {
            let _ = index_module(f.clone());
        }
        let index = t.elapsed();
        println!(
            "{} MB, {} tokens: read {:?}, lex {:?} ({:.0} MB/s), split {:?}, index {:?}",
            bytes >> 20,
            n,
            read,
            lex,
            bytes as f64 / lex.as_secs_f64() / 1e6,
            split,
            index
        );
    }
}
