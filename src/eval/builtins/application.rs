//! `application:get_env` and `get_application`, `os:getenv` and `init:get_argument`: the env and
//! the command line are not known at compile time, so a value read there
//! is the default build's (nothing set, no flag given) or "set
//! otherwise".

use super::super::code::ModCtx;
use super::super::value::{Cond, Loc, Val};
use super::callback::Callback;
use crate::syntax::print::atom_text;

/// The application `get_env/1` reads: the one whose tree is evaluated
/// (OTP asks the calling process's group leader, its application master),
/// else the calling module's.
fn running_app<E: Callback>(ev: &E, ctx: Option<&ModCtx>) -> Option<String> {
    ev.app()
        .cloned()
        .or_else(|| ctx.and_then(|c| c.app.clone()))
}

/// `application:get_env/1,2,3`, `os:getenv/1,2`, `init:get_argument/1`.
pub(super) fn env_call<E: Callback>(
    ev: &mut E,
    ctx: Option<&ModCtx>,
    m: &str,
    f: &str,
    args: &[Val],
    at: &Option<Loc>,
) -> Option<Val> {
    let loc = at.clone();
    match (m, f, args.len()) {
        ("application", "get_env", 1..=3) => {
            let (app, key, default) = match args {
                [k] => (running_app(ev, ctx), k, None),
                [a, k] => (a.as_atom().map(str::to_owned), k, None),
                [a, k, d] => (a.as_atom().map(str::to_owned), k, Some(d)),
                _ => return None,
            };
            let (Some(app), Some(key)) = (app, key.as_atom()) else {
                return Some(Val::unknown(
                    "application env (application or key not known)",
                    loc,
                ));
            };
            let name = format!("{}.{}", atom_text(&app), atom_text(key));
            let written = ev.code().app_env(&app, key).cloned();
            let short = |v: &Val| crate::eval::words::cap(&crate::eval::words::value(v), 40);
            let unknown = Val::unknown(format!("application env {name}"), loc.clone());
            let ok = |v: Val| Val::tuple(vec![Val::atom("ok", loc.clone()), v], loc.clone());
            let (dflt_cond, dflt, other) = match (&written, default) {
                (Some(w), Some(_)) => (
                    format!("{name} = {} (.app.src env)", short(w)),
                    w.clone(),
                    unknown,
                ),
                (Some(w), None) => (
                    format!("{name} = {} (.app.src env)", short(w)),
                    ok(w.clone()),
                    ok(unknown),
                ),
                (None, Some(d)) => (
                    format!("{name} unset (default {})", short(d)),
                    d.clone(),
                    unknown,
                ),
                (None, None) => (
                    format!("{name} unset"),
                    Val::atom("undefined", loc.clone()),
                    ok(unknown),
                ),
            };
            Some(ev.make_alt(
                vec![
                    (Cond::new(dflt_cond, Some(true)), dflt),
                    (
                        Cond::new(
                            format!("{name} set in sys.config or at run time"),
                            Some(false),
                        ),
                        other,
                    ),
                ],
                loc,
            ))
        }
        // The application of the calling process: the one started.
        ("application", "get_application", 0) => Some(match running_app(ev, ctx) {
            Some(app) => Val::tuple(
                vec![Val::atom("ok", loc.clone()), Val::atom(&app, loc.clone())],
                loc,
            ),
            None => Val::unknown("application of the calling process", loc),
        }),
        // The application a module belongs to.
        ("application", "get_application", 1) => Some(
            match args[0]
                .as_atom()
                .and_then(|m| ev.code().module(m))
                .and_then(|m| m.app.clone())
            {
                Some(app) => Val::tuple(
                    vec![Val::atom("ok", loc.clone()), Val::atom(&app, loc.clone())],
                    loc,
                ),
                None => Val::unknown("application of a module not known", loc),
            },
        ),
        // The whole env of the running application (or of the one named):
        // the `.app.src` list in the default build.
        ("application", "get_all_env", 0 | 1) => {
            let app = match args {
                [] => running_app(ev, ctx),
                [a] => a.as_atom().map(str::to_owned),
                _ => None,
            };
            let Some(app) = app else {
                return Some(Val::unknown("application env (application not known)", loc));
            };
            let env = ev.code().env();
            let mut written: Vec<(&String, &Val)> = env
                .get(&app)
                .map(|e| e.iter().collect())
                .unwrap_or_default();
            written.sort_by(|a, b| a.0.cmp(b.0));
            let list = Val::list(
                written
                    .into_iter()
                    .map(|(k, v)| {
                        Val::tuple(vec![Val::atom(k, loc.clone()), v.clone()], loc.clone())
                    })
                    .collect(),
                loc.clone(),
            );
            let name = atom_text(&app);
            Some(ev.make_alt(
                vec![
                    (
                        Cond::new(
                            format!("the env of {name} is as in its .app.src"),
                            Some(true),
                        ),
                        list,
                    ),
                    (
                        Cond::new(
                            format!("{name} env set in sys.config or at run time"),
                            Some(false),
                        ),
                        Val::unknown(format!("application env of {name}"), loc.clone()),
                    ),
                ],
                loc,
            ))
        }
        ("application", "get_all_env" | "get_key" | "get_all_key", _) => {
            Some(Val::unknown(format!("application:{f}/{}", args.len()), loc))
        }
        ("os", "getenv", 1 | 2) => {
            let Some(var) = args[0].as_text() else {
                return Some(Val::unknown("OS environment variable", loc));
            };
            let dflt = args
                .get(1)
                .cloned()
                .unwrap_or_else(|| Val::atom("false", loc.clone()));
            Some(ev.make_alt(
                vec![
                    (Cond::new(format!("${var} unset"), Some(true)), dflt),
                    (
                        Cond::new(format!("${var} set"), Some(false)),
                        Val::unknown(format!("OS environment variable {var}"), loc.clone()),
                    ),
                ],
                loc,
            ))
        }
        ("init", "get_argument", 1) => {
            let Some(flag) = args[0].as_atom() else {
                return Some(Val::unknown("command line flag not known", loc));
            };
            let given = Val::tuple(
                vec![
                    Val::atom("ok", loc.clone()),
                    Val::unknown(format!("arguments of the -{flag} flag"), loc.clone()),
                ],
                loc.clone(),
            );
            Some(ev.make_alt(
                vec![
                    (
                        Cond::new(format!("no -{flag} flag on the command line"), Some(true)),
                        Val::atom("error", loc.clone()),
                    ),
                    (
                        Cond::new(format!("-{flag} flag on the command line"), Some(false)),
                        given,
                    ),
                ],
                loc,
            ))
        }
        _ => None,
    }
}
