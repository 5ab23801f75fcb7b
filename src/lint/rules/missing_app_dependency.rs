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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::graph::calls::Mfa;
use crate::lint::registry::RuleMeta;
use crate::lint::{Context, Finding};
use crate::model::{App, ModuleSource};
use crate::syntax::literal::atom_value;
use crate::syntax::token::{tokenize_into, Token, TokenKind};
use crate::syntax::{walk_function, ExprKind, Span, Walk};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "OTP003",
    name: "missing-app-dependency",
    default_severity: Severity::Warning,
    source: include_str!("missing_app_dependency.rs"),
    check: Some(check),
    reads_supervisors: false,
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
    let macro_atoms = macro_atoms(cx);
    let found: Vec<Finding> = modules
        .par_iter()
        .flat_map_iter(|m| check_module(cx, m, &macro_atoms))
        .collect();
    out.extend(found);
}

/// The atoms written in each macro body of the project, by the address of
/// its definition (lexed once, though headers are included many times).
type MacroAtoms = HashMap<usize, Vec<String>>;

fn macro_atoms(cx: &Context<'_>) -> MacroAtoms {
    let sources = &cx.project.sources;
    let defines = sources
        .modules
        .iter()
        .map(|m| &m.index)
        .chain(sources.headers.values())
        .flat_map(|i| i.defines.iter());
    let mut tokens = Vec::new();
    let mut out = MacroAtoms::new();
    for d in defines {
        let atoms = atoms_in(&d.raw_body, &mut tokens);
        if !atoms.is_empty() {
            out.insert(Arc::as_ptr(d) as usize, atoms);
        }
    }
    out
}

/// The atoms written in `text`, quoted ones by their name.
fn atoms_in(text: &str, tokens: &mut Vec<Token>) -> Vec<String> {
    tokens.clear();
    tokenize_into(text, tokens);
    tokens
        .iter()
        .filter_map(|t| match t.kind {
            TokenKind::Atom => Some(t.text(text).to_owned()),
            TokenKind::QuotedAtom => Some(atom_value(t.text(text))),
            _ => None,
        })
        .collect()
}

/// The functions of `m` (name, arity) that may refer to a module of
/// another application: those whose text names a project module of
/// another application, and, when a macro visible in the module names one,
/// those that use a macro. A reference is an atom in the code or in a macro
/// body, so the other functions need no parse (the rule's main cost).
fn candidates(
    cx: &Context<'_>,
    m: &ModuleSource,
    macro_atoms: &MacroAtoms,
    elsewhere: &dyn Fn(&str) -> bool,
) -> HashSet<(String, u32)> {
    let mut out = HashSet::new();
    // What the walk reads: the module the name resolves to.
    let Some(code) = cx.code.module(&m.name) else {
        return out;
    };
    let macros_refer = code.macros.defines().any(|d| {
        macro_atoms
            .get(&(Arc::as_ptr(d) as usize))
            .is_some_and(|atoms| atoms.iter().any(|a| elsewhere(a)))
    });
    let text = &code.index.file.text;
    let mut tokens = Vec::new();
    for entry in &code.index.functions {
        let body = text.get(entry.range.clone()).unwrap_or("");
        tokens.clear();
        tokenize_into(body, &mut tokens);
        let refers = tokens.iter().any(|t| match t.kind {
            TokenKind::Atom => elsewhere(t.text(body)),
            TokenKind::QuotedAtom => elsewhere(&atom_value(t.text(body))),
            TokenKind::Question | TokenKind::DoubleQuestion => macros_refer,
            _ => false,
        });
        if refers {
            out.insert((entry.name.clone(), entry.arity));
        }
    }
    out
}

fn check_module(cx: &Context<'_>, m: &ModuleSource, macro_atoms: &MacroAtoms) -> Vec<Finding> {
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
    let elsewhere = |module: &str| {
        cx.code
            .module(module)
            .and_then(|b| b.app.as_deref())
            .is_some_and(|b| b != app.name && !declared.contains(b))
    };
    let candidates = candidates(cx, m, macro_atoms, &elsewhere);
    let mut seen = HashSet::new();
    for entry in &m.index.functions {
        if !seen.insert((&entry.name, entry.arity))
            || !candidates.contains(&(entry.name.clone(), entry.arity))
        {
            continue;
        }
        let Some(f) = cx
            .code
            .function_once(&Mfa::new(&m.name, &entry.name, entry.arity))
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
