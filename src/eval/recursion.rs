//! Recursions over a list that is not known (an env list "set
//! otherwise"): their value is a list of zero or more elements like the
//! one a step adds (`computed` children), not an unknown on a clause text.
//!
//! [`Evaluator::apply`] cuts a recursion that would unfold again over
//! values known no better ([`super::evaluator::open_recursion`]). Two
//! shapes of recursion build lists, and both are read here:
//! - an accumulator (`f([S | T], Acc) -> f(T, [spec(S) | Acc])`): at the
//!   cut, the accumulator is the first call's plus what one step added,
//!   so [`Evaluator::widen`] evaluates the clauses that end the recursion
//!   on the first accumulator and the added elements as templates;
//! - body recursion (`f([S | T]) -> [spec(S) | f(T)]`): the cut call's
//!   value is spliced into the list its caller returns, so
//!   [`Evaluator::close_recursion`] turns that caller's other elements
//!   into templates.
//!
//! Either way the clause that ends the recursion (`[]` or the first
//! accumulator) is covered by "zero or more", and
//! [`Evaluator::close_recursion`] keeps the covering alternative alone.
//! (Methods of the evaluator, so that it calls them without importing
//! this file: no import cycle.)

use super::clauses::clause_calls_itself;
use super::evaluator::Evaluator;
use super::mfa::Mfa;
use super::value::{Cond, Env, Item, KeyFp, Loc, Val, Value};
use super::FnDef;
use crate::syntax::Clause;

impl Evaluator<'_, '_> {
    /// The reason of the value of a recursive call cut at `key`.
    pub(super) fn cut_reason(module: &str, function: &str, arity: usize) -> String {
        format!(
            "{}:{}/{arity} recurses over a value not known",
            crate::syntax::print::atom_text(module),
            crate::syntax::print::atom_text(function)
        )
    }

    /// What the templates of a recursion over `args` stand for, in words: the
    /// unknown argument that chooses the clause (an env key "set otherwise").
    pub(super) fn many_reason(choosing: &[bool], args: &[Val]) -> String {
        let over = choosing
            .iter()
            .zip(args)
            .filter(|(&c, _)| c)
            .find_map(|(_, a)| a.as_unknown());
        match over {
            Some(u) => format!("computed from a list not known ({})", u.describe()),
            None => "computed from a list not known".to_owned(),
        }
    }

    /// The value of a recursive call cut by [`Evaluator::apply`] when an
    /// argument is an accumulator: `first` are the arguments of the call the
    /// recursion started from, `args` those of the cut call one step later.
    /// An argument that grew by elements at its front or back is the first
    /// one with those elements as templates, and the clauses that do not
    /// recurse are evaluated on it. When another argument changed too (a
    /// counter), the elements one step adds may depend on it: the step is
    /// evaluated again with that argument not known, and its cut read
    /// instead. `None` when no argument is such an accumulator.
    pub(super) fn widen(
        &mut self,
        defs: &[FnDef],
        choosing: &[bool],
        first: &[Val],
        args: &[Val],
        reason: &str,
        at: &Option<Loc>,
    ) -> Option<Val> {
        let [d] = defs else {
            return None;
        };
        if first.len() != args.len() {
            return None;
        }
        let mut widened = Vec::with_capacity(args.len());
        let mut step = first.to_vec();
        let (mut grew, mut varies) = (false, false);
        for (i, ((&c, f), a)) in choosing.iter().zip(first).zip(args).enumerate() {
            let both_unknown = f.as_unknown().is_some() && a.as_unknown().is_some();
            if c || both_unknown || f.key_fp() == a.key_fp() {
                widened.push(a.clone());
            } else if let Some(w) = grown(f, a, reason) {
                grew = true;
                widened.push(w);
            } else {
                let changing = Val::unknown(
                    "changes at each step of a recursion over a value not known",
                    a.loc().cloned(),
                );
                varies |= f.as_unknown().is_none();
                step[i] = changing.clone();
                widened.push(changing);
            }
        }
        if !grew {
            return None;
        }
        let arity = args.len();
        let (steps, ends): (Vec<Clause>, Vec<Clause>) = d
            .function
            .clauses
            .iter()
            .cloned()
            .partition(|c| clause_calls_itself(c, &d.function.name, &d.module.name, arity));
        let name = d.function.name.clone();
        let describe = Some((d.module.name.as_str(), name.as_str()));
        // `steps` and `ends` are copies, gone after this call: their
        // bodies are not kept by where they are ([`Evaluator::needed`]).
        let stable = std::mem::replace(&mut self.stable_ast, false);
        let v = if varies {
            // Steps again from `step`, whose changing arguments are not known
            // (so its own cut does not come back here).
            let key = Mfa::new(&d.module.name, &d.function.name, arity as u32);
            self.open_calls.push((key, step.clone()));
            let v = self.apply_clauses(&d.module, &steps, &step, &Env::default(), at, describe);
            self.open_calls.pop();
            Some(v)
        } else if ends.is_empty() {
            None
        } else {
            // Only a list built by the recursion is read so: what is computed
            // from one (`case Failed of [] -> true; _ -> {error, Failed} end`)
            // stays the cut's unknown, as it was.
            Some(self.apply_clauses(&d.module, &ends, &widened, &Env::default(), at, describe))
        };
        self.stable_ast = stable;
        v.filter(|v| returns_templates(v, reason))
    }

    /// The value an open recursion's first call returns, `v`, with the
    /// recursion read: elements beside the cut call's value in a list become
    /// templates (body recursion), and an alternative of the clauses that a
    /// list with this recursion's templates covers is dropped (the `[]` of
    /// the clause ending the recursion is "zero" of "zero or more"), as is
    /// the cut value of a step that adds nothing.
    pub(super) fn close_recursion(
        &mut self,
        v: Val,
        cut: &str,
        reason: &str,
        at: &Option<Loc>,
    ) -> Val {
        match v.kind() {
            Value::List(_) => body_templates(&v, cut, reason).unwrap_or(v),
            Value::Alt(alts) => {
                let alts: Vec<(Cond, Val)> = alts
                    .iter()
                    .map(|(c, x)| {
                        (
                            c.clone(),
                            body_templates(x, cut, reason).unwrap_or(x.clone()),
                        )
                    })
                    .collect();
                // A step that adds nothing (`f([_ | T], Acc) -> f(T, Acc)`)
                // gives what the other steps give: its cut value adds nothing
                // to their templates.
                let templated = alts.iter().any(|(_, x)| has_templates(x, reason));
                let mut kept: Vec<(Cond, Val)> = Vec::new();
                for (c, x) in alts {
                    if templated && x.as_unknown().is_some_and(|u| u.reason == cut) {
                        continue;
                    }
                    if let Some(k) = kept.iter_mut().find(|(_, k)| covers(k, &x, reason)) {
                        k.0 = joined(&k.0, &c);
                    } else if let Some(i) = kept.iter().position(|(_, k)| covers(&x, k, reason)) {
                        let (kc, _) = kept.remove(i);
                        kept.push((joined(&kc, &c), x));
                    } else {
                        kept.push((c, x));
                    }
                }
                self.make_alt(kept, at.clone())
            }
            _ => v,
        }
    }
}

/// Whether `v`, or one of its alternatives, is a list with templates of
/// this recursion.
fn returns_templates(v: &Val, reason: &str) -> bool {
    super::evaluator::alternatives(v, 16)
        .iter()
        .any(|(_, x)| has_templates(x, reason))
}

/// `to` when it is `from` with elements added at its front or back: `from`
/// with those elements as templates standing for zero or more like them.
fn grown(from: &Val, to: &Val, reason: &str) -> Option<Val> {
    let a = items(from)?;
    let b = items(to)?;
    if b.len() <= a.len() {
        return None;
    }
    let n = b.len() - a.len();
    let many = |added: &[Item]| -> Option<Vec<Item>> {
        added
            .iter()
            .map(|i| match i {
                // An element that one step may add (`lists:keystore/4` with
                // a key not known) is one of the recursion's too.
                Item::One(t) | Item::Many { template: t, .. } => Some(Item::Many {
                    template: t.clone(),
                    reason: reason.to_owned(),
                }),
                Item::Splice(_) => None,
            })
            .collect()
    };
    let out = if same(&b[n..], &a) {
        let mut out = many(&b[..n])?;
        out.extend(a);
        out
    } else if same(&b[..a.len()], &a) {
        let added = many(&b[a.len()..])?;
        let mut out = a;
        out.extend(added);
        out
    } else {
        return None;
    };
    Some(Val::new(Value::List(out), to.loc().cloned()))
}

/// `[Spec | f(T)]` with `f(T)` cut: `[Many(Spec)]`. `None` unless the list
/// holds the cut value once, spliced, and otherwise elements.
fn body_templates(v: &Val, cut: &str, reason: &str) -> Option<Val> {
    let Value::List(items) = v.kind() else {
        return None;
    };
    let is_cut =
        |i: &Item| matches!(i, Item::Splice(x) if x.as_unknown().is_some_and(|u| u.reason == cut));
    if items.iter().filter(|i| is_cut(i)).count() != 1 {
        return None;
    }
    let out: Option<Vec<Item>> = items
        .iter()
        .filter(|i| !is_cut(i))
        .map(|i| match i {
            Item::One(t) => Some(Item::Many {
                template: t.clone(),
                reason: reason.to_owned(),
            }),
            Item::Many { .. } => Some(i.clone()),
            Item::Splice(_) => None,
        })
        .collect();
    Some(Val::new(Value::List(out?), v.loc().cloned()))
}

/// Whether `wide` is `narrow` with templates of this recursion (`reason`)
/// added: then `wide` stands for `narrow` too.
fn covers(wide: &Val, narrow: &Val, reason: &str) -> bool {
    let (Some(w), Some(n)) = (items(wide), items(narrow)) else {
        return false;
    };
    let ours = |i: &Item| matches!(i, Item::Many { reason: r, .. } if r == reason);
    let rest: Vec<Item> = w.iter().filter(|i| !ours(i)).cloned().collect();
    rest.len() < w.len() && same(&rest, &n)
}

/// Whether `v` is a list with templates of this recursion (`reason`).
fn has_templates(v: &Val, reason: &str) -> bool {
    items(v).is_some_and(|is| {
        is.iter()
            .any(|i| matches!(i, Item::Many { reason: r, .. } if r == reason))
    })
}

/// The items of a list value (spliced lists and strings inlined); a value
/// that is not a list stands as one spliced item.
fn items(v: &Val) -> Option<Vec<Item>> {
    match v.kind() {
        Value::List(_) | Value::Str(_) | Value::Unknown(_) => {
            Some(super::value::inline_items(&[Item::Splice(v.clone())]))
        }
        _ => None,
    }
}

fn same(a: &[Item], b: &[Item]) -> bool {
    fn fp(i: &Item) -> (u8, KeyFp) {
        match i {
            Item::One(x) => (0, x.key_fp()),
            Item::Splice(x) => (1, x.key_fp()),
            Item::Many { template, .. } => (2, template.key_fp()),
        }
    }
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| fp(x) == fp(y))
}

fn joined(a: &Cond, b: &Cond) -> Cond {
    Cond::new(
        super::evaluator::shorten_joined(
            [a.text.as_str(), b.text.as_str()],
            " or ",
            super::evaluator::COND_TEXT,
        ),
        super::value::or3(a.default, b.default),
    )
}
