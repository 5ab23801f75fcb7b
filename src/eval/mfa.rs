//! A function by name: what the evaluator calls and what the call graph
//! walks.

use std::fmt;

/// A function: `module:function/arity`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Mfa {
    pub(crate) module: String,
    pub(crate) function: String,
    pub(crate) arity: u32,
}

impl Mfa {
    /// `module:function/arity`.
    pub(crate) fn new(module: impl Into<String>, function: impl Into<String>, arity: u32) -> Mfa {
        Mfa {
            module: module.into(),
            function: function.into(),
            arity,
        }
    }
}

impl fmt::Display for Mfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.module, self.function, self.arity)
    }
}
