//! The partial evaluator: runs Erlang functions over values known in part,
//! from the source alone. Two stages run it: configuration scripts
//! (`config::script`, `rebar.config.script`) and supervision trees
//! (`graph::supervision`, a supervisor's `init/1`). It depends on the
//! syntax layer only; each stage says what code there is through a
//! [`Source`] and answers calls of its own through a [`Host`].
//!
//! - [`value`]: the values (terms, unknowns with their reason,
//!   alternatives under conditions, started processes) and [`words`], the
//!   same values in words for people;
//! - [`code`]: the functions of a [`Source`], parsed and macro-expanded once;
//! - [`evaluator`] and its parts: calls, clauses and patterns
//!   ([`pattern`]), expressions, the library functions it knows
//!   (`builtins`, one file per OTP module or family), bounded by [`Limits`].
//!
//! (The example is the unit test `doc_example`.)

mod adders;
mod builtins;
mod clause_words;
mod clauses;
mod code;
mod cut;
mod equal;
mod evaluator;
mod expr;
mod key_fp;
mod limits;
mod literal;
mod memo;
mod mfa;
mod ops;
mod pattern;
mod reason;
mod recursion;
mod term_text;
pub(crate) mod value;
pub(crate) mod words;

#[cfg(test)]
mod tests;

pub(crate) use code::{AppEnv, Code, FnDef, LoadedFunction, ModCtx, ModuleView, Source};
pub(crate) use equal::equal;
pub(crate) use evaluator::{alternatives, conj, Evaluator, Host, StartChildEffect};
pub(crate) use limits::Limits;
pub(crate) use literal::term_text_value;
pub(crate) use mfa::Mfa;
pub(crate) use reason::{is_raise, EVALUATION_LIMIT};
pub(crate) use value::{Cond, Env, Loc, Val, Value};
