//! Which calls may add children to a supervisor: a statement whose value
//! is dropped is evaluated only then ([`super::clauses::needed_statements`]).
//! The functions that call `supervisor:start_child/2` themselves, or
//! through a wrapper, are given ([`Evaluator::adds_children`]); a function
//! calling one of them, up to [`CALLEE_DEPTH`] calls away (`add_all/2` looping over `add/2`,
//! scalaris' `add_childs/3` over `add_child/3`), is found here by reading
//! the project's functions that the statement calls, once each.

use super::evaluator::Evaluator;
use super::memo::Found;
use super::mfa::Mfa;
use crate::syntax::{Expr, ExprKind, Walk};

/// How many calls deep a statement's callees are read: deeper chains from
/// a dropped statement to a function known to add children are taken as
/// adding none. Each level reads (and parses) more of the project: at 4,
/// `tree` on OTP's lib ran 22% more instructions, most of them parsing
/// functions nothing else reads; 2 covers the loops met (a loop over a
/// helper, a `lists:foreach/2` over a wrapper's caller).
const CALLEE_DEPTH: u8 = 2;

impl Evaluator<'_, '_> {
    /// Whether `e` calls `supervisor:start_child/2`, a function of
    /// [`Evaluator::adds_children`], or a function of the project that
    /// calls one of those, directly or not (looked for in funs too, for
    /// `lists:foreach/2`, and in `fun f/1` references). Calls whose value
    /// is dropped are skipped otherwise.
    pub(super) fn may_add_children(&self, module: &str, e: &Expr) -> bool {
        self.expr_adds(module, e, CALLEE_DEPTH)
    }

    /// Whether calling `mfa` may add children ([`Evaluator::may_add_children`]).
    pub(super) fn function_adds_children(&self, mfa: &Mfa) -> bool {
        self.callee_adds(mfa, CALLEE_DEPTH)
    }

    fn expr_adds(&self, module: &str, e: &Expr, depth: u8) -> bool {
        let mut found = false;
        crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
            if found {
                return Walk::SkipChildren;
            }
            if let Some(mfa) = callee(x, module) {
                found = self.mfa_adds(&mfa, depth);
            }
            if found {
                Walk::SkipChildren
            } else {
                Walk::Continue
            }
        });
        found
    }

    /// Whether the call of `mfa` found by [`Evaluator::expr_adds`] adds
    /// children.
    fn mfa_adds(&self, mfa: &Mfa, depth: u8) -> bool {
        self.is_start_child(&mfa.module, &mfa.function, mfa.arity as usize)
            || self.callee_adds(mfa, depth)
    }

    fn callee_adds(&self, mfa: &Mfa, depth: u8) -> bool {
        if self.adds_children.contains(mfa) {
            return true;
        }
        if depth == 0 {
            return false;
        }
        match self.adders.borrow().get(mfa) {
            Some(Found::Adds) => return true,
            Some(Found::Reading) => return false,
            Some(Found::None(d)) if *d >= depth => return false,
            _ => {}
        }
        // Functions outside the project are opaque: they add nothing here.
        let Some(loaded) = self.code.loaded(mfa) else {
            self.adders
                .borrow_mut()
                .insert(mfa.clone(), Found::None(u8::MAX));
            return false;
        };
        self.adders.borrow_mut().insert(mfa.clone(), Found::Reading);
        // As `expr_adds` over each body in turn: the same callees in the
        // same order, up to the first that adds.
        let callees = loaded.callees.get_or_init(|| {
            let mut out = Vec::new();
            for d in loaded.defs.iter() {
                for e in d.function.clauses.iter().flat_map(|c| &c.body) {
                    crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
                        out.extend(callee(x, &d.module.name));
                        Walk::Continue
                    });
                }
            }
            out
        });
        let adds = callees.iter().any(|mfa| self.mfa_adds(mfa, depth - 1));
        let found = if adds {
            Found::Adds
        } else {
            Found::None(depth)
        };
        self.adders.borrow_mut().insert(mfa.clone(), found);
        adds
    }
}

/// The function `x` calls or refers to (`fun f/1`), when it names one.
fn callee(x: &Expr, module: &str) -> Option<Mfa> {
    match &x.kind {
        ExprKind::Call {
            module: m,
            function,
            args,
        } => named(m.as_deref(), function, args.len() as u32, module),
        ExprKind::FunRef {
            module: m,
            function,
            arity,
        } => match &arity.kind {
            ExprKind::Integer { value: Some(a), .. } => u32::try_from(a.get())
                .ok()
                .and_then(|a| named(m.as_deref(), function, a, module)),
            _ => None,
        },
        _ => None,
    }
}

/// The function a call or `fun` reference names, when its module and name
/// are atoms (a local one in `module`).
fn named(m: Option<&Expr>, function: &Expr, arity: u32, module: &str) -> Option<Mfa> {
    let m = match m {
        Some(m) => m.as_atom()?,
        None => module,
    };
    Some(Mfa::new(m, function.as_atom()?, arity))
}
