//! Expressions: what each form of the language evaluates to.

use std::sync::Arc;

use super::clauses::*;
use super::code::*;
use super::evaluator::*;
use super::mfa::Mfa;
use super::ops::*;
use super::reason::{is_raise, EVALUATION_LIMIT, RAISES};
use super::value::{inline_items, Closure, Cond, Env, Item, Loc, Val, Value};
use crate::syntax::ast::{BinaryOp, Qualifier, TryExpr};
use crate::syntax::{Clause, Expr, ExprKind};

impl<'c, 'p> Evaluator<'c, 'p> {
    /// Evaluates one expression, binding what its matches bind into `env`.
    pub(crate) fn eval(&mut self, ctx: &ModCtx, e: &Expr, env: &mut Env) -> Val {
        self.steps += 1;
        if self.out_of_steps() {
            return self.limit("too many steps", ctx.loc(e.span));
        }
        let v = stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.eval_inner(ctx, e, env));
        if v.size() > self.limits.value_size {
            let loc = ctx.loc(e.span);
            let cut = self.limit("value too large", loc.clone());
            // Only the large parts are lost: a child spec list whose every
            // spec carries a large configuration keeps its specs (CloudI's
            // cloudi_core_i_sup, once its loader's value is kept).
            return shrink(&v, self.limits.value_size, &loc).unwrap_or(cut);
        }
        v
    }

    pub(super) fn eval_inner(&mut self, ctx: &ModCtx, e: &Expr, env: &mut Env) -> Val {
        let loc = ctx.loc(e.span);
        use ExprKind as K;
        match &e.kind {
            K::Atom(a) => Val::atom(a, loc),
            K::Var(v) => match env.get(v) {
                Some(val) => val.clone(),
                None => Val::unknown(format!("unbound variable {v}"), loc),
            },
            K::Integer { value, .. } => match value {
                Some(i) => Val::new(Value::Int(i.get()), loc),
                None => Val::unknown("integer too large", loc),
            },
            K::Float { value, .. } => Val::new(Value::Float(*value), loc),
            K::String(s) => Val::new(Value::Str(s.clone()), loc),
            K::Concat(parts) => {
                let mut text = String::new();
                for p in parts {
                    let v = self.eval(ctx, p, env);
                    match v.as_text() {
                        Some(t) if !matches!(v.kind(), Value::Atom(_)) => text.push_str(&t),
                        _ => return Val::unknown(format!("string built from {p}"), loc),
                    }
                }
                Val::new(Value::Str(text), loc)
            }
            K::Binary(els) => self.binary(ctx, els, env, loc),
            K::Tuple(es) => {
                let vs = self.eval_each(ctx, es, env);
                Val::tuple(vs, loc)
            }
            K::List { elems, tail } => {
                let last = elems.len().saturating_sub(1);
                let mut items: Vec<Item> = elems
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        Item::One(if i < last || tail.is_some() {
                            self.within_share(|ev| ev.eval(ctx, x, env))
                        } else {
                            self.eval(ctx, x, env)
                        })
                    })
                    .collect();
                if let Some(t) = tail {
                    items.push(Item::Splice(self.eval(ctx, t, env)));
                }
                Val::new(Value::List(inline_items(&items)), loc)
            }
            K::Map(fields) => {
                let kvs = fields
                    .iter()
                    .map(|f| (self.eval(ctx, &f.key, env), self.eval(ctx, &f.value, env)))
                    .collect();
                Val::new(Value::Map(kvs), loc)
            }
            K::MapUpdate { base, fields } => {
                let b = self.eval(ctx, base, env);
                let kvs: Vec<(Val, Val)> = fields
                    .iter()
                    .map(|f| (self.eval(ctx, &f.key, env), self.eval(ctx, &f.value, env)))
                    .collect();
                self.lift1(&b, loc.clone(), &mut |_, b| {
                    map_update(b, &kvs, loc.clone())
                })
            }
            K::Record { name, fields } => {
                let fs = fields
                    .iter()
                    .map(|f| {
                        let v = match &f.value {
                            Some(x) => self.eval(ctx, x, env),
                            None => Val::atom("undefined", loc.clone()),
                        };
                        (f.name.clone(), v)
                    })
                    .collect();
                Val::new(
                    Value::Record {
                        name: name.to_string(),
                        fields: fs,
                    },
                    loc,
                )
            }
            K::RecordUpdate { base, name, fields } => {
                let b = self.eval(ctx, base, env);
                let new: Vec<(String, Val)> = fields
                    .iter()
                    .filter_map(|f| Some((f.name.clone(), self.eval(ctx, f.value.as_ref()?, env))))
                    .collect();
                match b.kind() {
                    Value::Record { name: n, fields } if **n == **name => {
                        let mut fs = fields.clone();
                        for (k, v) in new {
                            match fs.iter_mut().find(|(f, _)| *f == k) {
                                Some(slot) => slot.1 = v,
                                None => fs.push((k, v)),
                            }
                        }
                        Val::new(
                            Value::Record {
                                name: name.to_string(),
                                fields: fs,
                            },
                            loc,
                        )
                    }
                    _ => Val::unknown(format!("record #{name}{{}} not known"), loc),
                }
            }
            K::RecordField { base, name, field } => {
                let b = self.eval(ctx, base, env);
                match b.kind() {
                    Value::Record { name: n, fields } if **n == **name => fields
                        .iter()
                        .find(|(f, _)| **f == **field)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| {
                            Val::unknown(format!("default of #{name}.{field}"), loc)
                        }),
                    Value::Unknown(u) => Val::new(Value::Unknown(u.clone()), loc),
                    _ => Val::unknown(format!("field #{name}.{field} not known"), loc),
                }
            }
            K::RecordIndex { .. } => Val::unknown("record field index", loc),
            K::Call {
                module,
                function,
                args,
            } => self.eval_call(ctx, module.as_deref(), function, args, env, loc),
            K::Remote { .. } => Val::unknown(format!("{e}"), loc),
            K::FunRef {
                module,
                function,
                arity,
            } => {
                let m = match module {
                    Some(m) => self.eval(ctx, m, env),
                    None => Val::atom(&ctx.name, loc.clone()),
                };
                let f = self.eval(ctx, function, env);
                let a = self.eval(ctx, arity, env);
                match (m.as_atom(), f.as_atom(), a.as_int()) {
                    (Some(m), Some(f), Some(a)) => Val::new(
                        Value::Fun(Arc::new(Closure::Named {
                            module: m.to_owned(),
                            function: f.to_owned(),
                            arity: a as u32,
                        })),
                        loc,
                    ),
                    _ => Val::unknown(format!("{e}"), loc),
                }
            }
            K::Fun { clauses, name } => Val::new(
                Value::Fun(Arc::new(Closure::Lambda {
                    module: ctx.name.clone(),
                    clauses: Arc::new(clauses.clone()),
                    env: Arc::new(env.clone()),
                    name: name.as_deref().map(str::to_owned),
                })),
                loc,
            ),
            K::Match { pattern, value } => {
                if !has_vars(pattern) && !self.may_add_children(&ctx.name, value) {
                    if let ExprKind::Call { .. } = value.kind {
                        // Nothing to bind: the call's value does not matter.
                        if raises_call(value) {
                            return Val::unknown(RAISES, loc);
                        }
                        return Val::unknown(format!("{value}"), loc);
                    }
                }
                let v = self.eval(ctx, value, env);
                if is_raise(&v) {
                    return v;
                }
                let mut scratch = env.clone();
                match self.match_pattern(ctx, pattern, &v, &mut scratch) {
                    Match::No => Val::unknown(RAISES, loc),
                    _ => {
                        *env = scratch;
                        v
                    }
                }
            }
            K::MaybeMatch { .. } | K::Maybe { .. } => Val::unknown("maybe expression", loc),
            K::BinaryOp { op, lhs, rhs } => self.binary_op(ctx, *op, lhs, rhs, env, loc),
            K::UnaryOp { op, operand } => {
                let v = self.eval(ctx, operand, env);
                let op = *op;
                self.lift1(&v, loc.clone(), &mut |_, v| unary(op, v, loc.clone()))
            }
            K::Case { expr, clauses } => {
                // The subject with a share of the steps: a configuration
                // loader that runs out leaves steps for the branches,
                // whose values are the case's (CloudI's application start).
                let s = self.within_share(|ev| ev.eval(ctx, expr, env));
                if is_raise(&s) {
                    return s;
                }
                // Written only when the case has several branches: most
                // evaluations take one.
                let bound = super::words::bound_literals(expr, env);
                let written = std::cell::OnceCell::new();
                let scrut = || written.get_or_init(|| super::words::subject_text(expr, &bound));
                self.branch(ctx, clauses, &[s], env, loc, |c| {
                    if super::words::is_catch_all(c) {
                        let at = clauses.iter().position(|x| std::ptr::eq(x, c));
                        super::words::catch_all_text(scrut(), clauses, at.unwrap_or(0))
                    } else {
                        format!("{}{}{}", scrut(), super::value::MATCHES, clause_text(c))
                    }
                })
            }
            K::If(clauses) => self.branch(ctx, clauses, &[], env, loc, |c| {
                guards_text(&c.guards).unwrap_or_else(|| "true".to_owned())
            }),
            K::Receive { .. } => Val::unknown("value received from a message", loc),
            K::Try(t) => {
                let TryExpr {
                    body, of_clauses, ..
                } = &**t;
                let mut inner = env.clone();
                let v = self.eval_body(ctx, body, &mut inner);
                if of_clauses.is_empty() || is_raise(&v) {
                    return v;
                }
                let scrut = "try".to_owned();
                self.branch(ctx, of_clauses, &[v], env, loc, |c| {
                    if super::words::is_catch_all(c) {
                        let at = of_clauses.iter().position(|x| std::ptr::eq(x, c));
                        let scrut = format!("{scrut} result");
                        super::words::catch_all_text(&scrut, of_clauses, at.unwrap_or(0))
                    } else {
                        format!("{scrut} result{}{}", super::value::MATCHES, clause_text(c))
                    }
                })
            }
            K::Catch(x) => self.eval(ctx, x, env),
            K::Block(es) => {
                // What a block binds stays bound after it.
                let exported = exported_vars(&[es.as_slice()], env);
                self.eval_body_exporting(ctx, es, env, &exported)
            }
            K::ListComprehension {
                template,
                qualifiers,
            } => {
                let mut items = Vec::new();
                let mut count = 0;
                self.comprehension(
                    ctx,
                    template,
                    qualifiers,
                    env.clone(),
                    &mut items,
                    &mut count,
                    &loc,
                );
                Val::new(Value::List(inline_items(&items)), loc)
            }
            K::BinaryComprehension { .. } => Val::unknown("binary comprehension", loc),
            K::MapComprehension { .. } => Val::unknown("map comprehension", loc),
            K::Macro(m) => Val::unknown(
                format!(
                    "{}: {}",
                    crate::syntax::macros::macro_text(&m.name),
                    m.unresolved.as_deref().unwrap_or("not expanded")
                ),
                loc,
            ),
            K::MacroString(s) => Val::new(Value::Str(s.clone()), loc),
            K::Conditional(alts) => {
                let mut out = Vec::new();
                for a in alts {
                    let cond = self.code.condition(&ctx.name, &a.condition);
                    let mut inner = env.clone();
                    out.push((cond, self.eval(ctx, &a.expr, &mut inner)));
                }
                self.make_alt(out, loc)
            }
            K::Error(reason) => Val::unknown(format!("syntax error: {reason}"), loc),
        }
    }

    /// A `case`, `if` or `try ... of`: the possible clauses, each body run
    /// with its bindings; variables bound on every branch stay bound.
    pub(super) fn branch(
        &mut self,
        ctx: &ModCtx,
        clauses: &[Clause],
        subject: &[Val],
        env: &mut Env,
        loc: Option<Loc>,
        describe: impl Fn(&Clause) -> String,
    ) -> Val {
        let mut branches = self.select(ctx, clauses, subject, env);
        if branches.is_empty() {
            return Val::unknown(RAISES, loc);
        }
        // A statement of a branch that binds what the code after the
        // `case` reads runs, even when the branch's own value does not
        // need it (`Mod = fsm, Args = [...]` in each branch, then
        // `start_link(Mod, Args)`).
        let bodies: Vec<&[Expr]> = clauses.iter().map(|c| c.body.as_slice()).collect();
        let exported = exported_vars(&bodies, env);
        if branches.len() == 1 {
            if let Some(b) = branches.pop() {
                let mut benv = b.env;
                let v = self.eval_body_exporting(ctx, &clauses[b.index].body, &mut benv, &exported);
                *env = benv;
                return v;
            }
        }
        let mut results: Vec<(Cond, Val, Env)> = Vec::new();
        for b in branches {
            let cond = b.cond(describe(&clauses[b.index]));
            let mut benv = b.env;
            let v = self.on_branch(&cond, |ev| {
                ev.eval_body_exporting(ctx, &clauses[b.index].body, &mut benv, &exported)
            });
            results.push((cond, v, benv));
        }
        results.retain(|(_, v, _)| !is_raise(v));
        if results.is_empty() {
            return Val::unknown(RAISES, loc);
        }
        // Variables every surviving branch binds.
        let new_vars: Vec<String> = results[0]
            .2
            .keys()
            .filter(|k| !env.contains_key(*k))
            .filter(|k| results.iter().all(|(_, _, e)| e.contains_key(*k)))
            .cloned()
            .collect();
        for var in new_vars {
            let alts: Vec<(Cond, Val)> = results
                .iter()
                .map(|(c, _, e)| (c.clone(), e[&var].clone()))
                .collect();
            let v = self.make_alt(alts, loc.clone());
            env.insert(var, v);
        }
        let alts = results.into_iter().map(|(c, v, _)| (c, v)).collect();
        self.make_alt(alts, loc)
    }

    pub(super) fn eval_call(
        &mut self,
        ctx: &ModCtx,
        module: Option<&Expr>,
        function: &Expr,
        args: &[Expr],
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        let argv: Vec<Val> = self.eval_each(ctx, args, env);
        if let Some(m) = module {
            let mv = self.eval(ctx, m, env);
            let fv = self.eval(ctx, function, env);
            let Some(f) = fv.as_atom().map(str::to_owned) else {
                return Val::unknown(
                    format!("call of a function known at run time: {fv}", fv = function),
                    loc,
                );
            };
            return self.lift1(&mv, loc.clone(), &mut |ev, mv| match mv.as_atom() {
                Some(m) => ev.remote_call(Some(ctx), m, &f, argv.clone(), loc.clone()),
                None => match mv.as_unknown() {
                    Some(u) => Val::unknown(
                        format!(
                            "call of {f}/{} in a module known at run time ({})",
                            argv.len(),
                            u.reason
                        ),
                        loc.clone(),
                    ),
                    None => Val::unknown(
                        format!("call of {f} in {}", super::words::value(mv)),
                        loc.clone(),
                    ),
                },
            });
        }
        if let ExprKind::Atom(name) = &function.kind {
            let key = Mfa::new(ctx.name.as_str(), name.as_str(), argv.len() as u32);
            if let Some(defs) = self.code.loaded(&key) {
                return self.apply_loaded(&ctx.name, name, key, Some(defs), argv, loc);
            }
            return self.remote_call(Some(ctx), "erlang", name, argv, loc);
        }
        let fv = self.eval(ctx, function, env);
        self.apply_fun(&fv, argv, loc)
    }

    /// Calls a fun value.
    pub(crate) fn apply_fun(&mut self, fv: &Val, args: Vec<Val>, loc: Option<Loc>) -> Val {
        match fv.kind() {
            Value::Fun(c) => match c.as_ref() {
                Closure::Named {
                    module,
                    function,
                    arity,
                } => {
                    if *arity as usize != args.len() {
                        return Val::unknown(RAISES, loc);
                    }
                    self.remote_call(None, module, function, args, loc)
                }
                Closure::Lambda {
                    module,
                    clauses,
                    env,
                    name,
                } => {
                    if self.call_depth() >= self.limits.depth {
                        return self.limit("call depth", loc);
                    }
                    let ctx = match self.code.module(module) {
                        Some(c) => c,
                        None => Arc::new(ModCtx {
                            name: module.clone(),
                            file: Arc::from(""),
                            app: None,
                        }),
                    };
                    // A fun's head variables are new variables that shadow
                    // the captured ones (`fun(Version) -> ..` with `Version`
                    // bound outside matches any argument), and a named fun
                    // sees itself under its name.
                    let mut head_vars: Vec<&str> = Vec::new();
                    for c in clauses.iter() {
                        for p in &c.patterns {
                            each_var(p, &mut |v| {
                                if env.contains_key(v) {
                                    head_vars.push(v);
                                }
                            });
                        }
                    }
                    let own;
                    let env = if name.is_some() || !head_vars.is_empty() {
                        let mut e = (**env).clone();
                        for v in head_vars {
                            e.remove(v);
                        }
                        if let Some(n) = name {
                            e.insert(n.clone(), fv.clone());
                        }
                        own = e;
                        &own
                    } else {
                        &**env
                    };
                    let fun = Mfa::new(module.as_str(), "-fun-", args.len() as u32);
                    self.stack.push((fun, false, None, false));
                    // A fun's clauses are copied when it is made.
                    let stable = std::mem::replace(&mut self.stable_ast, false);
                    let v = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
                        self.apply_clauses(&ctx, clauses, &args, env, &loc, None)
                    });
                    self.stable_ast = stable;
                    self.stack.pop();
                    v
                }
            },
            Value::Alt(_) => self.lift1(fv, loc.clone(), &mut |ev, f| {
                ev.apply_fun(f, args.clone(), loc.clone())
            }),
            Value::Unknown(u) => {
                Val::unknown(format!("call of a fun not known ({})", u.reason), loc)
            }
            _ => Val::unknown(RAISES, loc),
        }
    }

    /// Applies `f` to each alternative of `v` (or to `v` itself).
    pub(super) fn lift1(
        &mut self,
        v: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val) -> Val,
    ) -> Val {
        match v.kind() {
            Value::Alt(alts) => {
                let alts = alts.clone();
                let out = alts
                    .into_iter()
                    .map(|(c, x)| {
                        let r = self.on_branch(&c, |ev| ev.lift1(&x, loc.clone(), f));
                        (c, r)
                    })
                    .collect();
                self.make_alt(out, loc)
            }
            _ => {
                // Each alternative costs an evaluation: without this, one
                // step over nested alternatives does work without bound.
                self.steps += 1;
                if self.out_of_steps() {
                    return self.limit("too many steps", loc);
                }
                f(self, v)
            }
        }
    }

    /// Applies `f` to each pair of alternatives of `a` and `b`.
    pub(super) fn lift2(
        &mut self,
        a: &Val,
        b: &Val,
        loc: Option<Loc>,
        f: &mut dyn FnMut(&mut Self, &Val, &Val) -> Val,
    ) -> Val {
        let b = b.clone();
        self.lift1(a, loc.clone(), &mut |ev, a| {
            let a = a.clone();
            ev.lift1(&b, loc.clone(), &mut |ev, b| f(ev, &a, b))
        })
    }

    pub(super) fn binary(
        &mut self,
        ctx: &ModCtx,
        els: &[crate::syntax::ast::BinElement],
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        let mut text = String::new();
        for el in els {
            let v = self.eval(ctx, &el.value, env);
            if el.size.is_some() {
                return Val::unknown("binary built at run time", loc);
            }
            let is_bin = el.types.iter().any(|t| t == "binary" || t == "bytes");
            match v.kind() {
                Value::Str(s) if !is_bin => text.push_str(s),
                Value::Binary(s) if is_bin => text.push_str(s),
                Value::Int(c) if el.types.is_empty() && (0..256).contains(c) => {
                    text.push(char::from(*c as u8))
                }
                _ => return Val::unknown("binary built at run time", loc),
            }
        }
        Val::new(Value::Binary(text), loc)
    }

    pub(super) fn binary_op(
        &mut self,
        ctx: &ModCtx,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        env: &mut Env,
        loc: Option<Loc>,
    ) -> Val {
        match op {
            BinaryOp::AndAlso | BinaryOp::OrElse => {
                let a = self.eval(ctx, lhs, env);
                let short = if op == BinaryOp::AndAlso {
                    "false"
                } else {
                    "true"
                };
                match a.as_atom() {
                    Some(x) if x == short => a,
                    Some("true") | Some("false") => {
                        let mut inner = env.clone();
                        self.eval(ctx, rhs, &mut inner)
                    }
                    _ => Val::unknown(format!("{lhs} {} {rhs}", op.as_str()), loc),
                }
            }
            BinaryOp::Send => self.eval(ctx, rhs, env),
            _ => {
                let a = self.eval(ctx, lhs, env);
                let b = self.eval(ctx, rhs, env);
                if op == BinaryOp::Append {
                    return list_append(&a, &b, loc);
                }
                self.lift2(&a, &b, loc.clone(), &mut |_, a, b| {
                    super::builtins::binop(op, a, b, loc.clone())
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn comprehension(
        &mut self,
        ctx: &ModCtx,
        template: &Expr,
        qualifiers: &[Qualifier],
        env: Env,
        out: &mut Vec<Item>,
        count: &mut usize,
        loc: &Option<Loc>,
    ) {
        let Some((q, rest)) = qualifiers.split_first() else {
            let mut env = env;
            *count += 1;
            out.push(Item::One(self.eval(ctx, template, &mut env)));
            return;
        };
        match q {
            Qualifier::Filter(f) => {
                let mut fenv = env.clone();
                let v = self.eval(ctx, f, &mut fenv);
                match v.as_atom() {
                    Some("true") => self.comprehension(ctx, template, rest, env, out, count, loc),
                    Some(_) => {}
                    None if v.as_unknown().is_some() || matches!(v.kind(), Value::Alt(_)) => {
                        // Kept or dropped at run time: a conditional element.
                        let mut inner = Vec::new();
                        let cond = Cond::new(
                            format!("{f}"),
                            v.default_view()
                                .and_then(|d| d.as_atom().map(|a| a == "true")),
                        );
                        self.on_branch(&cond, |ev| {
                            ev.comprehension(ctx, template, rest, env, &mut inner, count, loc)
                        });
                        let other = Cond::new(format!("not ({f})"), cond.default.map(|d| !d));
                        let kept = Val::new(Value::List(inner), loc.clone());
                        let dropped = Val::list(Vec::new(), loc.clone());
                        out.push(Item::Splice(Val::new(
                            Value::Alt(vec![(cond, kept), (other, dropped)]),
                            loc.clone(),
                        )));
                    }
                    None => {}
                }
            }
            Qualifier::Generator {
                pattern, source, ..
            } => {
                let mut genv = env.clone();
                let src = self.eval(ctx, source, &mut genv);
                self.generate(
                    ctx, template, pattern, source, &src, rest, env, out, count, loc,
                );
            }
            _ => {
                let mut tenv = env;
                let t = self.eval(ctx, template, &mut tenv);
                out.push(Item::Many {
                    template: t,
                    reason: "comprehension over a binary or map".to_owned(),
                });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn generate(
        &mut self,
        ctx: &ModCtx,
        template: &Expr,
        pattern: &Expr,
        source_expr: &Expr,
        src: &Val,
        rest: &[Qualifier],
        env: Env,
        out: &mut Vec<Item>,
        count: &mut usize,
        loc: &Option<Loc>,
    ) {
        let items = match src.kind() {
            Value::List(items) => items.clone(),
            Value::Str(_) => inline_items(&[Item::Splice(src.clone())]),
            Value::Alt(alts) => {
                let mut conds = Vec::new();
                for (c, a) in alts.clone() {
                    let mut inner = Vec::new();
                    self.on_branch(&c, |ev| {
                        ev.generate(
                            ctx,
                            template,
                            pattern,
                            source_expr,
                            &a,
                            rest,
                            env.clone(),
                            &mut inner,
                            count,
                            loc,
                        )
                    });
                    conds.push((c, Val::new(Value::List(inner), loc.clone())));
                }
                out.push(Item::Splice(Val::new(Value::Alt(conds), loc.clone())));
                return;
            }
            _ => vec![Item::Splice(src.clone())],
        };
        for item in items {
            if *count > self.limits.list {
                self.limit_hit = true;
                out.push(Item::Many {
                    template: Val::unknown(EVALUATION_LIMIT, loc.clone()),
                    reason: format!("{EVALUATION_LIMIT}: list too long"),
                });
                return;
            }
            match item {
                Item::One(v) => {
                    let mut e = env.clone();
                    match self.match_pattern(ctx, pattern, &v, &mut e) {
                        Match::No => {}
                        _ => self.comprehension(ctx, template, rest, e, out, count, loc),
                    }
                }
                Item::Splice(v) if matches!(v.kind(), Value::Alt(_) | Value::List(_)) => {
                    self.generate(
                        ctx,
                        template,
                        pattern,
                        source_expr,
                        &v,
                        rest,
                        env.clone(),
                        out,
                        count,
                        loc,
                    );
                }
                Item::Splice(v) | Item::Many { template: v, .. } => {
                    // Elements not known: one template element stands for them.
                    let reason = match v.as_unknown() {
                        Some(u) => {
                            format!("list comprehension over {source_expr} ({})", u.describe())
                        }
                        None => format!("list comprehension over {source_expr}"),
                    };
                    let elem = Val::unknown(format!("element of {source_expr}"), v.loc().cloned());
                    let mut e = env.clone();
                    let _ = self.match_pattern(ctx, pattern, &elem, &mut e);
                    let mut inner = Vec::new();
                    self.many.push(reason.clone());
                    self.comprehension(ctx, template, rest, e, &mut inner, count, loc);
                    self.many.pop();
                    for i in inner {
                        match i {
                            Item::One(t) => out.push(Item::Many {
                                template: t,
                                reason: reason.clone(),
                            }),
                            other => out.push(other),
                        }
                    }
                }
            }
        }
    }
}

/// `v` with its parts larger than a share of `max` unknown, the share
/// made smaller until the whole is under `max`; `None` when even its
/// small parts are too many (a list of 100,000 atoms).
fn shrink(v: &Val, max: u32, loc: &Option<Loc>) -> Option<Val> {
    fn go(v: &Val, part: u32, loc: &Option<Loc>) -> Val {
        if v.size() <= part {
            return v.clone();
        }
        let at = v.loc().cloned().or_else(|| loc.clone());
        // Large because one of its parts is: that part is cut. Large
        // because of many small parts: the whole.
        if largest_part(v) <= part {
            return Val::unknown(format!("{EVALUATION_LIMIT}: value too large"), at);
        }
        let kind = match v.kind() {
            Value::Tuple(es) => Value::Tuple(es.iter().map(|x| go(x, part, loc)).collect()),
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| match i {
                        Item::One(x) => Item::One(go(x, part, loc)),
                        Item::Splice(x) => Item::Splice(go(x, part, loc)),
                        Item::Many { template, reason } => Item::Many {
                            template: go(template, part, loc),
                            reason: reason.clone(),
                        },
                    })
                    .collect(),
            ),
            Value::Map(kvs) => Value::Map(
                kvs.iter()
                    .map(|(k, x)| (go(k, part, loc), go(x, part, loc)))
                    .collect(),
            ),
            Value::Record { name, fields } => Value::Record {
                name: name.clone(),
                fields: fields
                    .iter()
                    .map(|(k, x)| (k.clone(), go(x, part, loc)))
                    .collect(),
            },
            Value::Alt(alts) => Value::Alt(
                alts.iter()
                    .map(|(c, x)| (c.clone(), go(x, part, loc)))
                    .collect(),
            ),
            _ => {
                return Val::unknown(format!("{EVALUATION_LIMIT}: value too large"), at);
            }
        };
        Val::new(kind, at)
    }
    let mut part = max / 8;
    while part >= 16 {
        let small = go(v, part, loc);
        if small.as_unknown().is_some() {
            return None;
        }
        if small.size() <= max {
            return Some(small);
        }
        part /= 8;
    }
    None
}

/// The size of `v`'s largest direct part.
fn largest_part(v: &Val) -> u32 {
    let sizes: Box<dyn Iterator<Item = u32> + '_> = match v.kind() {
        Value::Tuple(es) => Box::new(es.iter().map(Val::size)),
        Value::List(items) => Box::new(items.iter().map(|i| match i {
            Item::One(x) | Item::Splice(x) => x.size(),
            Item::Many { template, .. } => template.size(),
        })),
        Value::Map(kvs) => Box::new(kvs.iter().map(|(k, x)| k.size().max(x.size()))),
        Value::Record { fields, .. } => Box::new(fields.iter().map(|(_, x)| x.size())),
        Value::Alt(alts) => Box::new(alts.iter().map(|(_, x)| x.size())),
        _ => Box::new(std::iter::empty()),
    };
    sizes.max().unwrap_or(0)
}
