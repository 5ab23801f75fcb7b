//! Dynamic children: every `supervisor:start_child/2` call site of the
//! project, with the supervisor it targets when that is statically known.
//! Files are prefiltered by their bytes and functions by their text, so
//! only functions that mention `start_child` are parsed.

use serde::Serialize;

use super::eval::{Evaluator, ModCtx};
use super::value::{Env, Loc, Val, Value};
use crate::syntax::{walk_function, Expr, ExprKind, Walk};

/// What a `start_child` call targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Target {
    /// A locally registered name (or a module name).
    Local(String),
    /// `{global, Name}`, the name printed.
    Global(String),
    /// `{via, Module, Name}`, printed.
    Via(String),
    /// Not statically known; why.
    Unknown(String),
}

/// One `supervisor:start_child/2` call.
#[derive(Debug, Clone)]
pub struct StartChildSite {
    /// The function calling it: `courier:deliver/2`.
    pub caller: String,
    /// The same as module, function and arity.
    pub caller_key: (String, String, u32),
    pub loc: Loc,
    pub target: Target,
    /// The second argument as written.
    pub spec: String,
    /// The second argument's value when evaluated alone (a list of extra
    /// arguments for a `simple_one_for_one` supervisor, a child spec for
    /// the others).
    pub spec_value: Val,
}

impl StartChildSite {
    /// The number of extra start arguments, when the second argument is a
    /// list of known length.
    pub fn extra_args(&self) -> Option<usize> {
        match self.spec_value.kind() {
            Value::List(_) | Value::Str(_) => self.spec_value.as_proper_list().map(|l| l.len()),
            _ => None,
        }
    }
}

/// Finds every `supervisor:start_child/2` call site.
pub fn start_child_sites(ev: &mut Evaluator<'_, '_>) -> Vec<StartChildSite> {
    let sources = &ev.code.project.sources;
    let mut out = Vec::new();
    for m in &sources.modules {
        out.extend(module_sites(ev, m));
    }
    out
}

/// The `supervisor:start_child/2` call sites of one module.
pub fn module_sites(
    ev: &mut Evaluator<'_, '_>,
    m: &crate::model::ModuleSource,
) -> Vec<StartChildSite> {
    let finder = memchr::memmem::Finder::new(b"start_child");
    let mut out = Vec::new();
    // A test suite or helper outside the apps' sources starts children in
    // a test run, not at boot: its calls are not the tree's.
    if m.app.is_none() && crate::model::is_test_path(&m.file) {
        return out;
    }
    let text = &m.index.file.text;
    if finder.find(text.as_bytes()).is_none() {
        return out;
    }
    let Some(ctx) = ev.code.module(&m.name) else {
        return out;
    };
    for entry in &m.index.functions {
        let body = text.get(entry.span.start..entry.span.end).unwrap_or("");
        if finder.find(body.as_bytes()).is_none() {
            continue;
        }
        let function = m.macros.expand_shared(&entry.function());
        let caller = format!(
            "{}:{}/{}",
            crate::syntax::print::atom_text(&m.name),
            crate::syntax::print::atom_text(&function.name),
            function.arity
        );
        let mut calls: Vec<(Expr, Expr, crate::syntax::Span)> = Vec::new();
        walk_function(&function, &mut |e, _| {
            if let ExprKind::Call {
                module: Some(module),
                function,
                args,
            } = &e.kind
            {
                if module.as_atom() == Some("supervisor")
                    && function.as_atom() == Some("start_child")
                    && args.len() == 2
                {
                    calls.push((args[0].clone(), args[1].clone(), e.span));
                }
            }
            Walk::Continue
        });
        for (sup, spec, span) in calls {
            ev.begin();
            let target = target_of(ev, &ctx, &function, &sup);
            let spec_value = value_alone(ev, &ctx, &function, &spec);
            let Some(loc) = ctx.loc(span) else { continue };
            out.push(StartChildSite {
                caller: caller.clone(),
                caller_key: (m.name.clone(), function.name.clone(), function.arity),
                loc,
                target,
                spec: spec.to_string(),
                spec_value,
            });
        }
    }
    out
}

/// The value of an argument evaluated on its own: a variable is followed to
/// the last `Var = Expr` before it in the function, evaluated alone too.
fn value_alone(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    e: &Expr,
) -> Val {
    let mut env = Env::new();
    let mut seen = Vec::new();
    bind_vars(ev, ctx, function, e, &mut env, &mut seen);
    ev.eval(ctx, e, &mut env)
}

fn bind_vars(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    e: &Expr,
    env: &mut Env,
    seen: &mut Vec<String>,
) {
    let mut vars = Vec::new();
    crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
        if let ExprKind::Var(v) = &x.kind {
            vars.push(v.clone());
        }
        Walk::Continue
    });
    for v in vars {
        if seen.contains(&v) || seen.len() > 16 {
            continue;
        }
        seen.push(v.clone());
        // The last `Pattern = Expr` before `e` whose pattern binds `v`.
        let mut found: Option<(Expr, Expr)> = None;
        walk_function(function, &mut |x, _| {
            if let ExprKind::Match {
                pattern,
                value: rhs,
            } = &x.kind
            {
                if x.span.start < e.span.start && binds(pattern, &v) {
                    found = Some(((**pattern).clone(), (**rhs).clone()));
                }
            }
            Walk::Continue
        });
        let Some((pattern, rhs)) = found else {
            let argument = function
                .clauses
                .iter()
                .any(|c| c.patterns.iter().any(|p| binds(p, &v)));
            let why = if argument {
                format!(
                    "`{v}` is an argument of {}/{}",
                    function.name, function.arity
                )
            } else {
                format!("`{v}` is bound by a pattern that is not followed")
            };
            env.insert(v, Val::unknown(why, None));
            continue;
        };
        {
            bind_vars(ev, ctx, function, &rhs, env, seen);
            let mut inner = env.clone();
            let val = ev.eval(ctx, &rhs, &mut inner);
            let mut bound = Env::new();
            ev.match_pattern(ctx, &pattern, &val, &mut bound);
            if let Some(x) = bound.remove(&v) {
                env.insert(v, x);
            }
        }
    }
}

fn binds(pattern: &Expr, var: &str) -> bool {
    let mut found = false;
    crate::syntax::walk_expr(pattern, Default::default(), &mut |x, _| {
        if matches!(&x.kind, ExprKind::Var(p) if p == var) {
            found = true;
        }
        Walk::Continue
    });
    found
}

fn target_of(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    sup: &Expr,
) -> Target {
    let v = value_alone(ev, ctx, function, sup);
    match v.kind() {
        Value::Atom(a) => Target::Local(a.clone()),
        // The pid a start call returned: its registered name, or its module.
        Value::Pid(p) => match p.name.as_ref().and_then(Val::as_tuple) {
            Some([scope, n]) if scope.as_atom() == Some("local") => {
                Target::Local(n.as_atom().unwrap_or_default().to_owned())
            }
            Some([scope, n]) if scope.as_atom() == Some("global") => Target::Global(n.to_erlang()),
            Some([scope, _, _]) if scope.as_atom() == Some("via") => {
                Target::Via(p.name.as_ref().map(Val::to_erlang).unwrap_or_default())
            }
            _ => match p.callback.as_atom() {
                Some(m) => Target::Local(m.to_owned()),
                None => Target::Unknown(format!("supervisor `{sup}`: a pid of an unknown module")),
            },
        },
        Value::Tuple(es) => match es.first().and_then(Val::as_atom) {
            Some("global") if es.len() == 2 => Target::Global(es[1].to_erlang()),
            Some("via") if es.len() == 3 => Target::Via(v.to_erlang()),
            // {Name, Node}: a supervisor on another node.
            _ if es.len() == 2 && es[0].as_atom().is_some() => {
                Target::Local(es[0].as_atom().unwrap_or_default().to_owned())
            }
            _ => Target::Unknown(format!("supervisor reference {}", v.to_erlang())),
        },
        Value::Unknown(u) => Target::Unknown(format!("supervisor `{sup}`: {}", u.describe())),
        _ => Target::Unknown(format!("supervisor `{sup}` is {}", v.to_erlang())),
    }
}
