//! The reasons of unknown values that the evaluator gives and its parts
//! (the built-ins, the operators, the supervision trees) test for.

use super::value::Val;

/// The reason given when an evaluation bound is hit.
pub(crate) const EVALUATION_LIMIT: &str = "evaluation limit";

/// The reason of the value of a call that raises (`erlang:error/1`, ...):
/// a branch that raises is not a possible result.
pub(crate) const RAISES: &str = "raises an exception";

/// True for the value of an expression that raises.
pub(crate) fn is_raise(v: &Val) -> bool {
    v.as_unknown().is_some_and(|u| u.reason == RAISES)
}
