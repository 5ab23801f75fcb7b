//! The syntax stage: Erlang sources (`.erl`, `.hrl`) read into a module
//! index and an owned AST.
//!
//! Indexing is cheap: a lexer-aware pass cuts each file into forms at the
//! Erlang dot, classifies them and checks their bracket and `end`
//! structure ([`forms`]); simple attributes are read from its tokens.
//! tree-sitter runs only on what an analysis asks for: a function body, a
//! macro replacement, a record's fields, each parsed alone on first access
//! and cached ([`items`]). [`macros`] expands macro calls over the AST.
//!
//! ```
//! use otpmap::syntax::{index_module, walk_function, ExprKind, MacroContext, MacroTable, SourceFile, Walk};
//!
//! let src = "-module(db).\n-behaviour(gen_server).\n-define(HOST, \"db.example\").\n\
//!            init([]) -> {ok, S} = gen_tcp:connect(?HOST, 5432, []), {ok, S}.\n";
//! let index = index_module(SourceFile::from_text("src/db.erl", src));
//! assert_eq!(index.name(), Some("db"));
//! assert_eq!(index.behaviours[0].atom(), Some("gen_server"));
//!
//! // Parsed now, on first access; macros expanded with the module's table.
//! let init = index.function("init", 1).unwrap();
//! let table = MacroTable::new(index.defines.iter().cloned(), MacroContext::for_module(&index));
//! let init = table.expand_function(&init);
//! let mut calls = Vec::new();
//! walk_function(&init, &mut |e, ctx| {
//!     if let ExprKind::Call { module: Some(m), function, args } = &e.kind {
//!         calls.push((format!("{m}:{function}/{}", args.len()), args[0].to_string(), ctx.in_fun));
//!     }
//!     Walk::Continue
//! });
//! assert_eq!(calls, [("gen_tcp:connect/3".to_owned(), "\"db.example\"".to_owned(), false)]);
//! ```

pub mod ast;
mod attributes;
mod behaviours;
pub(crate) mod call_args;
pub(crate) mod condition;
mod fast;
pub mod forms;
pub(crate) mod items;
mod kinds;
pub(crate) mod limits;
pub(crate) mod literal;
mod lower;
pub(crate) mod macro_tokens;
pub(crate) mod macros;
pub(crate) mod module;
pub mod parse;
mod patch;
pub(crate) mod print;
pub(crate) mod queries;
mod source_file;
mod structure;
pub mod token;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use ast::{
    walk_expr, walk_exprs, walk_function, Clause, Expr, ExprKind, Function, Span, Walk, WalkContext,
};
pub use condition::{Branch, CondTerm, Condition, TestKind};
pub(crate) use forms::split_forms;
pub use items::{Define, FunctionEntry, MacroBody, RecordDecl};
pub use macros::{DefineList, DefineLists, Definitions, DefinitionsIter, MacroContext, MacroTable};
pub use module::{
    index_module, index_module_with, Behaviour, Export, Include, IndexOptions, ModuleIndex,
    ModuleName,
};
pub use source_file::{read_source, SourceFile, TEMPLATE_FILE};

/// The most files (or modules, or functions) one rayon job takes in a
/// pass over them: rayon otherwise cuts the list in as many pieces as
/// threads and cuts again only the pieces it steals, and a piece holding
/// a few big files kept one thread busy while the other waited (20-30 ms
/// of a 100 ms index of OTP's lib). A file takes 60 µs on average, a job
/// about a microsecond.
pub(crate) const FILES_PER_JOB: usize = 4;

/// Reads and indexes `paths` in parallel: one index per path, in input
/// order, whatever the number of threads. A file that cannot be read
/// (missing, too large), or met a bug in otpmap (an `internal-error`),
/// gives an empty index whose diagnostics say why
/// ([`ModuleIndex::is_unreadable`]).
pub fn index_files(root: &Path, paths: &[PathBuf], options: IndexOptions) -> Vec<ModuleIndex> {
    let indexes = paths
        .par_iter()
        .with_max_len(FILES_PER_JOB)
        .map(|p| {
            // A bug met in one file is that file's diagnostic, not the run's end.
            let rel = crate::source::relative_path(root, p);
            let indexed = crate::internal_error::guard(&rel, "reading this file", || {
                // The path as shown, made once: it was a tenth of reading a file.
                match source_file::read_source_as(rel.clone(), p, options.max_bytes) {
                    Ok(f) => index_module_with(f, options.parse_budget),
                    Err(d) => ModuleIndex::unreadable(root, p, d),
                }
            });
            indexed.unwrap_or_else(|d| ModuleIndex::unreadable(root, p, d))
        })
        .collect();
    // Each thread kept the token buffer of the largest file it split (10 MB
    // on OTP's lib); the rest of the run only adds to the peak, and on a
    // virtual machine every page touched is paid for again (see
    // docs/performance.md).
    rayon::broadcast(|_| module::drop_split_buffers());
    indexes
}
