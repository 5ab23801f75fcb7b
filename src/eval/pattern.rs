//! Pattern matching and guards over partially known values: `Yes` when
//! the pattern matches whatever the unknown parts are, `No` when it cannot,
//! `Maybe` otherwise (variables are then bound to what is known, or to
//! unknowns that carry the reason).

use super::code::*;
use super::equal::equal;
use super::evaluator::*;
use super::value::{inline_items, Cond, Env, Item, Val, Value};
use crate::syntax::{Expr, ExprKind};

pub(super) fn from_bool(b: Option<bool>) -> Match {
    match b {
        Some(true) => Match::Yes,
        Some(false) => Match::No,
        None => Match::Maybe,
    }
}

impl Evaluator<'_, '_> {
    /// Matches `pat` against `val`, binding its variables into `env`.
    pub(crate) fn match_pattern(
        &mut self,
        ctx: &ModCtx,
        pat: &Expr,
        val: &Val,
        env: &mut Env,
    ) -> Match {
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            self.match_inner(ctx, pat, val, env)
        })
    }

    pub(super) fn match_inner(
        &mut self,
        ctx: &ModCtx,
        pat: &Expr,
        val: &Val,
        env: &mut Env,
    ) -> Match {
        use ExprKind as K;
        // A variable binds whatever it is given, alternatives included.
        if let K::Var(v) = &pat.kind {
            if v == "_" {
                return Match::Yes;
            }
            return match env.get(v) {
                Some(bound) => from_bool(equal(bound, val)),
                None => {
                    env.insert(v.clone(), val.clone());
                    Match::Yes
                }
            };
        }
        if let K::Match { pattern, value } = &pat.kind {
            let a = self.match_pattern(ctx, pattern, val, env);
            if a == Match::No {
                return a;
            }
            return a.and(self.match_pattern(ctx, value, val, env));
        }
        match val.kind() {
            Value::Alt(alts) => return self.match_alt(ctx, pat, alts, env),
            Value::Unknown(u) => {
                let reason = u.reason.clone();
                self.bind_unknown(pat, &reason, val, env);
                return Match::Maybe;
            }
            _ => {}
        }
        let loc = ctx.loc(pat.span);
        match &pat.kind {
            K::Atom(_) | K::Integer { .. } | K::Float { .. } | K::String(_) | K::Binary(_) => {
                let mut scratch = Env::default();
                let p = self.eval(ctx, pat, &mut scratch);
                if p.as_unknown().is_some() {
                    self.bind_unknown(pat, "binary pattern", val, env);
                    return Match::Maybe;
                }
                from_bool(equal(&p, val))
            }
            K::UnaryOp { .. } => {
                let mut scratch = env.clone();
                let p = self.eval(ctx, pat, &mut scratch);
                from_bool(equal(&p, val))
            }
            K::Tuple(ps) => match val.kind() {
                Value::Tuple(vs) if vs.len() == ps.len() => {
                    let mut r = Match::Yes;
                    for (p, v) in ps.iter().zip(vs) {
                        r = r.and(self.match_pattern(ctx, p, v, env));
                        if r == Match::No {
                            return r;
                        }
                    }
                    r
                }
                Value::Record { .. } => {
                    self.bind_unknown(pat, "record matched as a tuple", val, env);
                    Match::Maybe
                }
                _ => Match::No,
            },
            K::List { elems, tail } => {
                let looked_at = elems.len() + usize::from(tail.is_none());
                if let Some(alts) = spliced_alternatives(val, looked_at) {
                    return self.match_alt(ctx, pat, &alts, env);
                }
                self.match_list(ctx, elems, tail.as_deref(), val, env)
            }
            K::Map(fields) => {
                let Value::Map(kvs) = val.kind() else {
                    return Match::No;
                };
                let mut r = Match::Yes;
                for f in fields {
                    let mut scratch = env.clone();
                    let k = self.eval(ctx, &f.key, &mut scratch);
                    let found = kvs.iter().find(|(vk, _)| equal(vk, &k) == Some(true));
                    match found {
                        Some((_, v)) => {
                            let v = v.clone();
                            r = r.and(self.match_pattern(ctx, &f.value, &v, env));
                        }
                        None if val.is_concrete() => return Match::No,
                        None => {
                            self.bind_unknown(&f.value, "map key not known", val, env);
                            r = r.and(Match::Maybe);
                        }
                    }
                    if r == Match::No {
                        return r;
                    }
                }
                r
            }
            K::Record { name, fields } => match val.kind() {
                Value::Record {
                    name: n,
                    fields: vfs,
                } => {
                    if **n != **name {
                        return Match::No;
                    }
                    let mut r = Match::Yes;
                    for f in fields {
                        let Some(p) = &f.value else { continue };
                        match vfs.iter().find(|(vf, _)| *vf == f.name) {
                            Some((_, v)) => {
                                let v = v.clone();
                                r = r.and(self.match_pattern(ctx, p, &v, env));
                            }
                            None => {
                                self.bind_unknown(p, "record field default", val, env);
                                r = r.and(Match::Maybe);
                            }
                        }
                        if r == Match::No {
                            return r;
                        }
                    }
                    r
                }
                Value::Tuple(_) => {
                    self.bind_unknown(pat, "record matched as a tuple", val, env);
                    Match::Maybe
                }
                _ => Match::No,
            },
            K::BinaryOp {
                op: crate::syntax::ast::BinaryOp::Append,
                lhs,
                rhs,
            } if matches!(lhs.kind, K::String(_)) && text_of(val).is_some() => {
                // "prefix" ++ Rest on a known string.
                let (K::String(prefix), Some(text)) = (&lhs.kind, text_of(val)) else {
                    return Match::Maybe;
                };
                match text.strip_prefix(prefix.as_str()) {
                    Some(rest) => {
                        let rest = Val::new(Value::Str(rest.to_owned()), val.loc().cloned());
                        self.match_pattern(ctx, rhs, &rest, env)
                    }
                    None => Match::No,
                }
            }
            K::BinaryOp { .. } => {
                // "prefix" ++ Rest and similar.
                self.bind_unknown(pat, "string prefix pattern", val, env);
                Match::Maybe
            }
            _ => {
                let _ = loc;
                self.bind_unknown(pat, "pattern not understood", val, env);
                Match::Maybe
            }
        }
    }

    pub(super) fn match_alt(
        &mut self,
        ctx: &ModCtx,
        pat: &Expr,
        alts: &[(Cond, Val)],
        env: &mut Env,
    ) -> Match {
        let mut results: Vec<(Cond, Match, Env)> = Vec::new();
        for (c, v) in alts {
            let mut e = env.clone();
            let r = self.match_pattern(ctx, pat, v, &mut e);
            results.push((c.clone(), r, e));
        }
        let matching: Vec<&(Cond, Match, Env)> =
            results.iter().filter(|(_, r, _)| *r != Match::No).collect();
        if matching.is_empty() {
            return Match::No;
        }
        let new_vars: Vec<String> = matching[0]
            .2
            .keys()
            .filter(|k| !env.contains_key(*k))
            .cloned()
            .collect();
        let loc = ctx.loc(pat.span);
        for var in new_vars {
            let vals: Vec<(Cond, Val)> = matching
                .iter()
                .filter_map(|(c, _, e)| Some((c.clone(), e.get(&var)?.clone())))
                .collect();
            let v = if vals.len() == 1 {
                vals[0].1.clone()
            } else {
                self.make_alt(vals, loc.clone())
            };
            env.insert(var, v);
        }
        if results.iter().all(|(_, r, _)| *r == Match::Yes) {
            Match::Yes
        } else {
            Match::Maybe
        }
    }

    pub(super) fn match_list(
        &mut self,
        ctx: &ModCtx,
        elems: &[Expr],
        tail: Option<&Expr>,
        val: &Val,
        env: &mut Env,
    ) -> Match {
        let items = match val.kind() {
            Value::List(items) => inline_items(items),
            Value::Str(_) => inline_items(&[Item::Splice(val.clone())]),
            _ => return Match::No,
        };
        let mut r = Match::Yes;
        for (i, p) in elems.iter().enumerate() {
            match items.get(i) {
                Some(Item::One(v)) => {
                    let v = v.clone();
                    r = r.and(self.match_pattern(ctx, p, &v, env));
                    if r == Match::No {
                        return r;
                    }
                }
                Some(_) => {
                    // A spliced or computed part: lengths are not known.
                    let u = Val::unknown("element of a list not fully known", val.loc().cloned());
                    for p in &elems[i..] {
                        self.match_pattern(ctx, p, &u, env);
                    }
                    if let Some(t) = tail {
                        self.match_pattern(ctx, t, &u, env);
                    }
                    return Match::Maybe;
                }
                None => return Match::No,
            }
        }
        let rest = &items[elems.len().min(items.len())..];
        match tail {
            None => {
                if rest.is_empty() {
                    r
                } else if rest.iter().any(|i| matches!(i, Item::One(_))) {
                    // One element at least: longer than the pattern.
                    Match::No
                } else {
                    Match::Maybe.and(r)
                }
            }
            Some(t) => {
                let rest_val = Val::new(Value::List(rest.to_vec()), val.loc().cloned());
                r.and(self.match_pattern(ctx, t, &rest_val, env))
            }
        }
    }

    /// Binds every unbound variable of `pat` to an unknown with `reason`.
    pub(super) fn bind_unknown(&mut self, pat: &Expr, reason: &str, from: &Val, env: &mut Env) {
        let loc = from.loc().cloned();
        crate::syntax::walk_expr(pat, Default::default(), &mut |e, _| {
            if let ExprKind::Var(v) = &e.kind {
                if v != "_" && !env.contains_key(v) {
                    env.insert(v.clone(), Val::unknown(reason, loc.clone()));
                }
            }
            crate::syntax::Walk::Continue
        });
    }

    /// A guard sequence: `Yes` when some guard surely holds. `env` is
    /// left as it was.
    pub(super) fn guards(&mut self, ctx: &ModCtx, guards: &[Vec<Expr>], env: &mut Env) -> Match {
        if guards.is_empty() {
            return Match::Yes;
        }
        let mut any = Match::No;
        for g in guards {
            let mut all = Match::Yes;
            for test in g {
                // A test that cannot bind is run on the bindings
                // themselves: a copy of them per test was a tenth of
                // matching a clause.
                let v = if binds_nothing(test) {
                    self.eval(ctx, test, env)
                } else {
                    self.eval(ctx, test, &mut env.clone())
                };
                let r = truth(&v);
                all = all.and(r);
                if all == Match::No {
                    break;
                }
            }
            any = match (any, all) {
                (_, Match::Yes) | (Match::Yes, _) => Match::Yes,
                (Match::No, Match::No) => Match::No,
                _ => Match::Maybe,
            };
            if any == Match::Yes {
                break;
            }
        }
        any
    }
}

/// Whether evaluating `e` leaves the bindings it is evaluated with as they
/// were: only forms that evaluate their parts with the same bindings and
/// bind nothing themselves (no match, `case`, `if`, `try`, block, ...).
fn binds_nothing(e: &Expr) -> bool {
    let mut pure = true;
    crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
        use ExprKind as K;
        pure &= matches!(
            x.kind,
            K::Atom(_)
                | K::Var(_)
                | K::Integer { .. }
                | K::Float { .. }
                | K::String(_)
                | K::Call { .. }
                | K::BinaryOp { .. }
                | K::UnaryOp { .. }
                | K::Tuple(_)
                | K::List { .. }
                | K::RecordField { .. }
                | K::RecordIndex { .. }
        );
        if pure {
            crate::syntax::Walk::Continue
        } else {
            crate::syntax::Walk::SkipChildren
        }
    });
    pure
}

/// A guard test's value as a match.
pub(super) fn truth(v: &Val) -> Match {
    match v.kind() {
        Value::Atom(a) if a == "true" => Match::Yes,
        Value::Unknown(_) | Value::Pid(_) => Match::Maybe,
        Value::Alt(alts) => {
            let rs: Vec<Match> = alts.iter().map(|(_, x)| truth(x)).collect();
            if rs.iter().all(|r| *r == Match::Yes) {
                Match::Yes
            } else if rs.iter().all(|r| *r == Match::No) {
                Match::No
            } else {
                Match::Maybe
            }
        }
        _ => Match::No,
    }
}

/// The text of a known string (a list of characters), not of an atom.
pub(super) fn text_of(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Str(_) | Value::List(_) => v.as_text(),
        _ => None,
    }
}

/// Alternatives with few values that are lists, spliced into a list
/// (`[A, B | Extra]`, `Extra` one of `[C]` or `[]`), more than this are
/// matched as a list not fully known.
const SPLICED_ALTERNATIVES: usize = 4;

/// The list `val` once for each alternative of the first spliced part
/// among its first `looked_at` + 1 items, when that part is one of a few
/// lists: a pattern of fixed length (`[C]`, `[C | T]`) then matches each
/// on its own, under its condition, instead of binding elements of a list
/// not fully known on every clause.
fn spliced_alternatives(val: &Val, looked_at: usize) -> Option<Vec<(Cond, Val)>> {
    let Value::List(items) = val.kind() else {
        return None;
    };
    let items = inline_items(items);
    let i = items
        .iter()
        .take(looked_at + 1)
        .position(|i| !matches!(i, Item::One(_)))?;
    let Item::Splice(x) = &items[i] else {
        return None;
    };
    let Value::Alt(alts) = x.kind() else {
        return None;
    };
    if alts.len() > SPLICED_ALTERNATIVES
        || !alts
            .iter()
            .all(|(_, a)| matches!(a.kind(), Value::List(_) | Value::Str(_)))
    {
        return None;
    }
    Some(
        alts.iter()
            .map(|(c, a)| {
                let mut out = items[..i].to_vec();
                out.push(Item::Splice(a.clone()));
                out.extend_from_slice(&items[i + 1..]);
                (
                    c.clone(),
                    Val::new(Value::List(inline_items(&out)), val.loc().cloned()),
                )
            })
            .collect(),
    )
}
