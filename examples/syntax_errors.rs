//! Prints every syntax error otpmap finds in the `.erl` files under DIR:
//! from indexing and from tree-sitter on every function body, as `lint`
//! and `tree` would meet them. `cargo run --example syntax_errors -- DIR`.
//! To compare with what erlc accepts (tests/syntax_oracle.rs).

use std::path::{Path, PathBuf};

use otpmap::syntax::forms::PARSE_ERROR;
use otpmap::syntax::{index_files, IndexOptions};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/lib/erlang/lib".to_owned());
    let root = Path::new(&dir);
    let paths: Vec<PathBuf> = otpmap::discover::erlang_sources(root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    let indexes = index_files(root, &paths, IndexOptions::default());
    let mut files = 0;
    for index in &indexes {
        let mut errors: Vec<_> = index
            .diagnostics
            .iter()
            .chain(index.functions.iter().flat_map(|f| f.diagnostics()))
            .filter(|d| d.code == PARSE_ERROR)
            .collect();
        errors.sort_by_key(|d| (d.line, d.column));
        errors.dedup_by_key(|d| d.line);
        if !errors.is_empty() {
            files += 1;
        }
        for d in errors {
            println!("{}:{}: {}", d.file, d.line, d.message);
        }
    }
    eprintln!("{} files, {} with syntax errors", paths.len(), files);
}
