//! The two shapes every change is made of, here so that the comparisons
//! (mod.rs, trees.rs) share them without importing each other.

use serde::Serialize;

/// A place in a file of one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct At {
    pub(crate) file: String,
    pub(crate) line: u32,
}

/// A value that changed: before and after, as written (null when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Change<T> {
    pub(crate) before: T,
    pub(crate) after: T,
}
