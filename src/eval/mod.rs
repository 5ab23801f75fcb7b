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
//! ```
//! use otpmap::eval::{Code, Evaluator, ModuleView, Source, Val};
//! use otpmap::syntax::{index_module, MacroContext, MacroTable, SourceFile};
//!
//! struct One(otpmap::syntax::ModuleIndex, MacroTable);
//! impl Source for One {
//!     fn module(&self, name: &str) -> Option<ModuleView<'_>> {
//!         (name == "m").then(|| ModuleView {
//!             name: "m",
//!             file: "m.erl",
//!             app: None,
//!             index: &self.0,
//!             macros: &self.1,
//!         })
//!     }
//! }
//! let index = index_module(SourceFile::from_text("m.erl", "-module(m).\nf(X) -> {ok, X + 1}.\n"));
//! let macros = MacroTable::new(index.defines.iter().cloned(), MacroContext::for_module(&index));
//! let one = One(index, macros);
//! let code = Code::new(&one);
//! let mut ev = Evaluator::new(&code);
//! ev.begin();
//! let v = ev.call("m", "f", vec![Val::new(otpmap::eval::Value::Int(41), None)], None);
//! assert_eq!(v.to_erlang(), "{ok,42}");
//! ```

mod builtins;
mod clauses;
mod code;
mod evaluator;
mod expr;
mod limits;
mod literal;
mod memo;
mod mfa;
mod ops;
mod pattern;
mod term_text;
pub(crate) mod value;
pub(crate) mod words;

#[cfg(test)]
mod tests;

pub use code::{condition_cond, AppEnv, Code, FnDef, LoadedFunction, ModCtx, ModuleView, Source};
pub use evaluator::{
    alternatives, conj, is_raise, shorten, Evaluator, Host, Match, StartChildEffect,
    EVALUATION_LIMIT, RAISES,
};
pub(crate) use limits::Limits;
pub(crate) use literal::term_text_value;
pub(crate) use mfa::Mfa;
pub(crate) use pattern::equal;
pub(crate) use value::{Cond, Env, Loc, Val, Value};
