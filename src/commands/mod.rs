//! One module per command: what it loads, which analyses it runs, and which
//! renderer prints it.

pub mod deps;
pub mod lint;
pub mod scan;
pub mod tree;

use crate::discover::DiscoverError;

/// Turns a root that cannot be walked into an error that says what to do.
pub fn root_error(e: DiscoverError) -> anyhow::Error {
    match e {
        DiscoverError::NotFound { path } => anyhow::anyhow!(
            "{}: no such file or directory; pass the directory of an Erlang project \
             (the one holding rebar.config, erlang.mk's Makefile or src/)",
            path.display()
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Ends the life of what a command built without freeing it: the process
/// exits right after the output is written, and freeing a large project's
/// indexes, one allocation at a time, cost a fifth of a `scan`.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}
