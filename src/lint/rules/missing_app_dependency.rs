//! ## What it does
//!
//! Finds calls from a module of application A into a module of another
//! application B of the project (or of a fetched dependency, with
//! `--include-deps`) when A does not list B in `applications`,
//! `included_applications` or `optional_applications` of its `.app.src`.
//! Remote calls `b_mod:f(...)`, `fun b_mod:f/1` and `-behaviour(b_mod)`
//! count. One finding per calling module and missing application, at the
//! first call.
//!
//! ## Why is this bad?
//!
//! The `applications` list is what makes OTP start B before A, what puts B
//! in a release built from A, and what `xref` and `rebar3 release` trust.
//! A call into B that the list does not declare works on a developer's
//! node where everything is loaded, and fails in production with `undef`
//! or `noproc`: B was not included in the release, or was started after A.
//! When B is started first only because another listed application depends
//! on it, the order is an accident that the next refactoring breaks.
//!
//! ## Example
//!
//! ```erlang
//! %% apps/web/src/web.app.src
//! {application, web, [{applications, [kernel, stdlib, cowboy]}, ...]}.
//!
//! %% apps/web/src/web_orders.erl
//! create(Order) -> store_orders:insert(Order).   % store_orders is in app store
//! ```
//!
//! ## How to fix
//!
//! Add the application to `applications` (or `included_applications` when A
//! starts B's tree itself, or `optional_applications` when A works without
//! it):
//!
//! ```erlang
//! {application, web, [{applications, [kernel, stdlib, cowboy, store]}, ...]}.
//! ```

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::graph::calls::Mfa;
use crate::lint::registry::RuleMeta;
use crate::lint::{Context, Finding};
use crate::model::{App, ModuleSource};
use crate::syntax::{walk_function, ExprKind, Span, Walk};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "OTP003",
    name: "missing-app-dependency",
    default_severity: Severity::Warning,
    source: include_str!("missing_app_dependency.rs"),
    check: Some(check),
};

/// A reference from a module to another application's module.
struct Reference {
    span: Span,
    target: String,
    app: String,
}

/// Runs the rule.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let apps_with_code: BTreeSet<&str> = cx
        .project
        .sources
        .modules
        .iter()
        .filter_map(|m| m.app.as_deref())
        .collect();
    if apps_with_code.len() < 2 {
        return;
    }
    let modules: Vec<&ModuleSource> = cx.lint_modules().filter(|m| m.app.is_some()).collect();
    let found: Vec<Finding> = modules
        .par_iter()
        .flat_map_iter(|m| check_module(cx, m))
        .collect();
    out.extend(found);
}

fn check_module(cx: &Context<'_>, m: &ModuleSource) -> Vec<Finding> {
    let Some(app) = m.app.as_deref().and_then(|a| cx.project.app(a)) else {
        return Vec::new();
    };
    let declared: HashSet<&str> = app
        .applications
        .iter()
        .chain(&app.included_applications)
        .chain(&app.optional_applications)
        .map(|r| r.name.as_str())
        .collect();
    let owner = |module: &str| -> Option<String> {
        let b = cx.code.module(module)?.app.as_deref()?;
        (b != app.name && !declared.contains(b)).then(|| b.to_owned())
    };
    // Per missing app: the first reference and how many there are.
    let mut refs: BTreeMap<String, (Reference, usize)> = BTreeMap::new();
    let mut add = |r: Reference| match refs.get_mut(&r.app) {
        Some((first, n)) => {
            *n += 1;
            if r.span.start < first.span.start {
                *first = r;
            }
        }
        None => {
            refs.insert(r.app.clone(), (r, 1));
        }
    };
    for b in &m.index.behaviours {
        if let Some(name) = m.macros.expand(&b.name).as_atom() {
            if let Some(target_app) = owner(name) {
                add(Reference {
                    span: b.span,
                    target: format!("behaviour `{name}`"),
                    app: target_app,
                });
            }
        }
    }
    let mut seen = HashSet::new();
    for entry in &m.index.functions {
        if !seen.insert((&entry.name, entry.arity)) {
            continue;
        }
        let Some(f) = cx
            .code
            .function(&Mfa::new(&m.name, &entry.name, entry.arity))
        else {
            continue;
        };
        walk_function(&f.function, &mut |e, _| {
            let (module, text) = match &e.kind {
                ExprKind::Call {
                    module: Some(md),
                    function,
                    args,
                } => match (md.as_atom(), function.as_atom()) {
                    (Some(md), Some(f)) => (md, format!("`{md}:{f}/{}`", args.len())),
                    _ => return Walk::Continue,
                },
                ExprKind::FunRef {
                    module: Some(md),
                    function,
                    arity,
                } => match (md.as_atom(), function.as_atom()) {
                    (Some(md), Some(f)) => (
                        md,
                        format!(
                            "`fun {md}:{f}/{}`",
                            arity.as_integer().map_or("_".to_owned(), |a| a.to_string())
                        ),
                    ),
                    _ => return Walk::Continue,
                },
                _ => return Walk::Continue,
            };
            if let Some(target_app) = owner(module) {
                add(Reference {
                    span: e.span,
                    target: text,
                    app: target_app,
                });
            }
            Walk::Continue
        });
    }
    refs.into_values()
        .map(|(r, n)| finding(cx, m, app, r, n))
        .collect()
}

fn finding(cx: &Context<'_>, m: &ModuleSource, app: &App, r: Reference, n: usize) -> Finding {
    let mut f = Finding::new(
        &RULE,
        &m.index.file,
        r.span,
        format!(
            "`{}` (application `{}`) uses {} of application `{}`, which `{}` does not list in \
             `applications`",
            m.name, app.name, r.target, r.app, app.name
        ),
    );
    f.fix = Some(format!(
        "add `{}` to `applications` in {} (or to `included_applications` / \
         `optional_applications`)",
        r.app, app.file
    ));
    if n > 1 {
        f.notes.push(format!(
            "{} more {} of `{}` in this module",
            n - 1,
            if n == 2 { "use" } else { "uses" },
            r.app
        ));
    }
    if let Some(via) = started_via(cx, app, &r.app) {
        f.notes.push(format!(
            "`{}` is started before `{}` only because `{via}` depends on it",
            r.app, app.name
        ));
    }
    f
}

/// A listed application through which `target` is a transitive dependency.
fn started_via(cx: &Context<'_>, app: &App, target: &str) -> Option<String> {
    for direct in app.application_names() {
        let mut stack = vec![direct];
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(a) = stack.pop() {
            if !seen.insert(a) {
                continue;
            }
            if a == target {
                return Some(direct.to_owned());
            }
            if let Some(x) = cx.project.app(a) {
                stack.extend(x.application_names());
            }
        }
    }
    None
}
