//! Application roots: from an app's `mod` callback, run `Mod:start(normal,
//! StartArgs)` to the top supervisor's start call. Apps are listed in boot
//! order when a release names them.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::app_root::AppRoot;
use super::start::find_process;
use crate::eval::value::{Loc, Process, Val};
use crate::eval::{term_text_value, Evaluator, StartChildEffect};
use crate::model::{App, AppKind, AppOrigin, Project};

/// Runs the application callback's `start/2`.
pub(crate) fn app_root(ev: &mut Evaluator<'_, '_>, app: &App) -> Option<AppRoot> {
    let m = app.mod_.as_ref()?;
    let start = format!("{}:start/2", crate::syntax::print::atom_text(&m.module));
    let Some(ctx) = ev.code.module(&m.module) else {
        return Some(AppRoot {
            start,
            loc: None,
            process: Err(format!(
                "application callback module {} is not in the project",
                m.module
            )),
            effects: Vec::new(),
            note: None,
        });
    };
    let Some(defs) = ev.code.function(&m.module, "start", 2) else {
        return Some(AppRoot {
            start,
            loc: Some(Loc {
                file: ctx.file.clone(),
                line: 1,
                column: 1,
                end: 0,
            }),
            process: Err(format!("{}:start/2 is not defined", m.module)),
            effects: Vec::new(),
            note: None,
        });
    };
    let loc = defs.first().and_then(|d| ctx.loc(d.function.span));
    let app_loc = Some(Loc {
        file: Arc::from(app.file.as_str()),
        line: app.line,
        column: 1,
        end: 0,
    });
    let args = term_text_value(&m.args, app_loc.clone())
        .unwrap_or_else(|| Val::unknown(format!("start argument {}", m.args), app_loc));
    ev.begin();
    let result = ev.call(
        &m.module,
        "start",
        vec![Val::atom("normal", loc.clone()), args],
        loc.clone(),
    );
    let mut effects = std::mem::take(&mut ev.start_child_effects);
    let mut process = find_process(&result);
    let mut note = None;
    if let Err(reason) = &process {
        if let Some((found, why)) = called_supervisor(ev, &defs, reason) {
            process = Ok(found);
            note = Some(why);
            effects.append(&mut ev.start_child_effects);
        }
    }
    if note.is_none() {
        note = super::start::effects_cut_note(ev, &format!("{}:start/2", m.module), &effects);
    }
    effects.extend(start_phase_effects(ev, m));
    Some(AppRoot {
        start,
        loc,
        process,
        effects,
        note,
    })
}

/// The `supervisor:start_child/2` calls of `Module:start_phase/3`, run for
/// each of `start_phases` in order: the application master makes them
/// after `start/2` returns and before the application counts as started,
/// so what they add is part of the boot, not of the run time.
fn start_phase_effects(
    ev: &mut Evaluator<'_, '_>,
    m: &crate::model::AppMod,
) -> Vec<StartChildEffect> {
    let mut effects = Vec::new();
    if m.start_phases.is_empty() {
        return effects;
    }
    let Some(ctx) = ev.code.module(&m.module) else {
        return effects;
    };
    let Some(defs) = ev.code.function(&m.module, "start_phase", 3) else {
        return effects;
    };
    let loc = defs.first().and_then(|d| ctx.loc(d.function.span));
    for phase in &m.start_phases {
        let args = term_text_value(&phase.args, loc.clone())
            .unwrap_or_else(|| Val::unknown(format!("phase argument {}", phase.args), loc.clone()));
        // A budget of its own per phase, like start/2's.
        ev.begin();
        ev.call(
            &m.module,
            "start_phase",
            vec![
                Val::atom(&phase.phase, loc.clone()),
                Val::atom("normal", loc.clone()),
                args,
            ],
            loc.clone(),
        );
        effects.append(&mut ev.start_child_effects);
    }
    effects
}

/// When `start/2` does not evaluate to a started process (a parse
/// transform rewrites it, erlando's `do([error_m || ...])`; a
/// configuration loader before the start call runs out of steps), the
/// supervisor it calls by name: the one function starting with `start`
/// of a project module that declares `-behaviour(supervisor)`, called
/// anywhere in `start/2`, its arguments unknown. Several candidates:
/// none is guessed.
fn called_supervisor(
    ev: &mut Evaluator<'_, '_>,
    defs: &[crate::eval::FnDef],
    reason: &str,
) -> Option<(Arc<Process>, String)> {
    let mut calls: Vec<(String, String, usize, Option<Loc>)> = Vec::new();
    for d in defs {
        crate::syntax::walk_function(&d.function, &mut |e, _| {
            if let crate::syntax::ExprKind::Call {
                module: Some(m),
                function,
                args,
            } = &e.kind
            {
                if let (Some(m), Some(f)) = (m.as_atom(), function.as_atom()) {
                    let supervisor =
                        ev.code.source.module(m).is_some_and(|v| {
                            super::unstarted::declares_supervisor(v.index, v.macros)
                        });
                    if supervisor
                        && f.starts_with("start")
                        && !calls.iter().any(|c| c.0 == m && c.1 == f)
                    {
                        calls.push((m.to_owned(), f.to_owned(), args.len(), d.module.loc(e.span)));
                    }
                }
            }
            crate::syntax::Walk::Continue
        });
    }
    let [(m, f, arity, loc)] = calls.as_slice() else {
        return None;
    };
    let args = (0..*arity)
        .map(|i| {
            Val::unknown(
                format!(
                    "argument {} of {m}:{f}/{arity} (start/2 not evaluated)",
                    i + 1
                ),
                loc.clone(),
            )
        })
        .collect();
    // A fresh budget: start/2's own evaluation may have spent it all.
    ev.begin();
    let result = ev.call(m, f, args, loc.clone());
    let process = find_process(&result).ok()?;
    let at = loc
        .as_ref()
        .map_or(String::new(), |l| format!(" at {}:{}", l.file, l.line));
    Some((
        process,
        format!(
            "start/2 could not be evaluated ({reason}): the top supervisor is the one it \
             starts by name, {m}:{f}/{arity}{at}, its arguments unknown"
        ),
    ))
}

/// The apps that get a tree (the project's own, with a `mod`), in boot
/// order: the apps of each release in its boot order (`boot_orders`, one
/// per release, from the run's plans; computed here from `applications`
/// and `included_applications` for a release with none), then the others
/// by name.
pub(crate) fn apps_in_boot_order<'p>(
    project: &'p Project,
    boot_orders: &[Vec<String>],
) -> Vec<&'p App> {
    let regular: Vec<&App> = project
        .apps
        .iter()
        .filter(|a| {
            a.kind == AppKind::Regular && a.mod_.is_some() && a.origin == AppOrigin::Project
        })
        .collect();
    let by_name: HashMap<&str, &App> = project.apps.iter().map(|a| (a.name.as_str(), a)).collect();
    let mut order: Vec<String> = Vec::new();
    for (i, r) in project.releases.iter().enumerate() {
        let boot: Vec<String> = match boot_orders.get(i) {
            Some(planned) if !planned.is_empty() => planned.clone(),
            _ => boot_order(r.apps.iter().map(|a| a.name.as_str()), &by_name),
        };
        for a in boot {
            if !order.contains(&a) {
                order.push(a);
            }
        }
    }
    let mut out: Vec<&App> = Vec::new();
    let mut seen = BTreeSet::new();
    for name in &order {
        for a in regular.iter().filter(|a| &a.name == name) {
            if seen.insert((a.name.clone(), a.dir.clone())) {
                out.push(a);
            }
        }
    }
    for a in regular {
        if seen.insert((a.name.clone(), a.dir.clone())) {
            out.push(a);
        }
    }
    out
}

/// A depth-first order in which every app comes after what it needs.
fn boot_order<'a>(roots: impl Iterator<Item = &'a str>, apps: &HashMap<&str, &App>) -> Vec<String> {
    fn visit(
        name: &str,
        apps: &HashMap<&str, &App>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        if !seen.insert(name.to_owned()) {
            return;
        }
        if let Some(a) = apps.get(name) {
            for d in a.applications.iter().chain(&a.included_applications) {
                visit(&d.name, apps, seen, out);
            }
        }
        out.push(name.to_owned());
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in roots {
        visit(r, apps, &mut seen, &mut out);
    }
    out
}

/// The apps that include `app` in their `included_applications`.
pub(crate) fn included_in(project: &Project, app: &str) -> Vec<String> {
    let mut out: Vec<String> = project
        .apps
        .iter()
        .filter(|a| a.included_applications.iter().any(|i| i.name == app))
        .map(|a| a.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}
