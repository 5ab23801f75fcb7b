//! The syntax stage: Erlang sources (`.erl`, `.hrl`) read into a module
//! index and an owned AST.
pub mod forms;
pub mod literal;
mod source_file;
mod structure;
pub mod token;

pub use source_file::{read_source, SourceFile};
