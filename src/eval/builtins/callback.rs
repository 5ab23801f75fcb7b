//! What the built-ins ask of the evaluator that calls them: a fun or a
//! function applied (`lists:map/2`, `apply/3`), alternatives made and
//! split, bounds. The evaluator implements it, so the built-ins depend on
//! this trait and not on the evaluator (docs/architecture.md: one way).

use super::super::code::{Code, ModCtx};
use super::super::limits::Limits;
use super::super::mfa::Mfa;
use super::super::value::{Cond, Loc, Val};
use crate::syntax::Expr;

/// The evaluator, as the built-ins call back into it.
pub(crate) trait Callback {
    /// The code of the run.
    fn code(&self) -> &Code<'_>;
    /// The bounds of the evaluation.
    fn limits(&self) -> &Limits;
    /// The application whose tree is being evaluated, if any.
    fn app(&self) -> Option<&String>;
    /// Whether calling the function may add children to a supervisor.
    fn function_adds_children(&self, mfa: &Mfa) -> bool;
    /// Whether `e` (in `module`) may add children to a supervisor.
    fn may_add_children(&self, module: &str, e: &Expr) -> bool;
    /// Records a `supervisor:start_child(Target, Spec)` call.
    fn record_start_child(&mut self, target: &Val, spec: &Val, at: &Option<Loc>);
    /// Evaluates `f` as the template of a list's elements not known.
    fn for_many<T>(&mut self, reason: &str, f: impl FnOnce(&mut Self) -> T) -> T;
    /// The value of hitting the bound `what`.
    fn limit(&mut self, what: &str, at: Option<Loc>) -> Val;
    /// A remote call `module:function(args)`.
    fn remote_call(
        &mut self,
        ctx: Option<&ModCtx>,
        module: &str,
        function: &str,
        args: Vec<Val>,
        at: Option<Loc>,
    ) -> Val;
    /// Applies the fun `fv` to `args`.
    fn apply_fun(&mut self, fv: &Val, args: Vec<Val>, loc: Option<Loc>) -> Val;
    /// Applies `f` to each alternative of `v` (or to `v` itself).
    fn lift1(
        &mut self,
        v: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val) -> Val,
    ) -> Val;
    /// An `Alt` from alternatives.
    fn make_alt(&mut self, alts: Vec<(Cond, Val)>, at: Option<Loc>) -> Val;
}
