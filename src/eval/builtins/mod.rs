//! The library functions the evaluator knows: pure BIFs and `lists`,
//! `maps`, `proplists` functions over known values; the application and
//! OS environment (unknown at compile time: an `Alt` of the default and
//! "set otherwise"); and the OTP start functions, which return a [`Process`]
//! instead of running anything.

mod application;
mod callback;
mod erlang;
mod format;
mod lists;
mod pure;
mod start;

use application::env_call;
pub(super) use callback::Callback;
pub(super) use erlang::binop;
use lists::{filtermap_keep, fold_not_known, keep_if, map_items};
use pure::{is_pure, pure};
use start::start_call;

use super::code::ModCtx;
use super::mfa::Mfa;
use super::reason::RAISES;
use super::value::{Closure, Item, Loc, Val, Value};

/// The value of `m:f(args)` when the evaluator knows the function; `None`
/// when it does not (the caller then looks in the project).
pub(super) fn call<E: Callback>(
    ev: &mut E,
    ctx: Option<&ModCtx>,
    m: &str,
    f: &str,
    args: &[Val],
    at: &Option<Loc>,
) -> Option<Val> {
    if let Some(v) = start_call(m, f, args, at) {
        return Some(v);
    }
    if let Some(v) = env_call(ev, ctx, m, f, args, at) {
        return Some(v);
    }
    if (m, f, args.len()) == ("supervisor", "start_child", 2) {
        ev.record_start_child(&args[0], &args[1], at);
        // `{ok, Pid}`, as at boot, where every child starts (or the node
        // does not): a loop `case start_child(..) of {ok, _} -> next;
        // Error -> Error end` goes on to the next child, unconditionally,
        // instead of branching at each (scalaris' `sup:add_childs/3`).
        let pid = Val::unknown("the process supervisor:start_child/2 started", at.clone());
        return Some(Val::tuple(
            vec![Val::atom("ok", at.clone()), pid],
            at.clone(),
        ));
    }
    let loc = at.clone();
    let n = args.len();
    let v = match (m, f, n) {
        ("erlang", "error" | "exit" | "throw" | "raise", _) => Val::unknown(RAISES, loc),
        // The body of a function the runtime implements (a NIF, or a BIF's
        // stub in erts's erlang.erl): its value is not known, and it does
        // not raise.
        ("erlang", "nif_error", 1 | 2) => {
            Val::unknown("implemented by the runtime, not in Erlang", loc)
        }
        ("erlang", "self", 0) => Val::unknown("self()", loc),
        ("erlang", "make_ref", 0) => Val::unknown("make_ref()", loc),
        ("erlang", "node", 0) => Val::unknown("node()", loc),
        // Facts of the running system: known only at run time, not a
        // function missing from the project.
        ("erlang", "system_info", 1) => Val::unknown(
            format!(
                "erlang:system_info({}) at run time",
                super::words::argument(&args[0])
            ),
            loc,
        ),
        ("os", "type", 0) => Val::unknown("the OS type at run time (os:type())", loc),
        ("persistent_term", "get", 1 | 2) => Val::unknown(
            format!(
                "persistent term {}, set at run time",
                super::words::argument(&args[0])
            ),
            loc,
        ),
        // A table's rows are written at run time: what a read gives is
        // not in the code (ranch reads its listeners' options so).
        (
            "ets",
            "lookup" | "lookup_element" | "member" | "match" | "match_object" | "select"
            | "tab2list" | "first" | "last" | "next" | "prev" | "info",
            _,
        ) => {
            let table = match args[0].as_atom() {
                Some(name) => format!("the ETS table {}", crate::syntax::print::atom_text(name)),
                None => "an ETS table".to_owned(),
            };
            Val::unknown(format!("{m}:{f}/{n} of {table}, filled at run time"), loc)
        }
        ("erlang", "get", 1) => Val::unknown(
            format!(
                "process dictionary key {}, set at run time",
                super::words::argument(&args[0])
            ),
            loc,
        ),
        // A formatted text of known parts is made here; any other is not
        // computed, even when OTP's stdlib is the project (linting OTP's
        // lib): reading io_lib_format's clauses cost 4 000 steps a call
        // (inets' httpd names), for a text that came out unknown all the
        // same. Taken as any other project sees it: a call out of the
        // project.
        ("io_lib", "format" | "fwrite", 2 | 3) => match format::format(&args[0], &args[1]) {
            Some(text) if n == 2 => Val::new(Value::Str(text), loc),
            _ => Val::external(format!("io_lib:{f}/{n}"), loc),
        },
        ("erlang", "apply", 3) => {
            let (Some(m), Some(f)) = (args[0].as_atom(), args[1].as_atom()) else {
                return Some(Val::unknown("apply/3 of a function known at run time", loc));
            };
            match args[2].as_proper_list() {
                Some(a) => ev.remote_call(ctx, m, f, a, loc),
                None => Val::unknown("apply/3 with arguments not known", loc),
            }
        }
        ("erlang", "apply", 2) => match args[1].as_proper_list() {
            Some(a) => ev.apply_fun(&args[0], a, loc),
            None => Val::unknown("apply/2 with arguments not known", loc),
        },
        ("lists", "map", 2) => {
            let fun = args[0].clone();
            map_items(ev, &args[1], loc.clone(), &mut |ev, x| {
                vec![Item::One(ev.apply_fun(&fun, vec![x.clone()], loc.clone()))]
            })
        }
        ("lists", "flatmap", 2) => {
            let fun = args[0].clone();
            map_items(ev, &args[1], loc.clone(), &mut |ev, x| {
                vec![Item::Splice(ev.apply_fun(
                    &fun,
                    vec![x.clone()],
                    loc.clone(),
                ))]
            })
        }
        ("lists", "filter", 2) => {
            let fun = args[0].clone();
            map_items(ev, &args[1], loc.clone(), &mut |ev, x| {
                let r = ev.apply_fun(&fun, vec![x.clone()], loc.clone());
                keep_if(&r, x, None, &loc)
            })
        }
        ("lists", "filtermap", 2) => {
            let fun = args[0].clone();
            map_items(ev, &args[1], loc.clone(), &mut |ev, x| {
                let r = ev.apply_fun(&fun, vec![x.clone()], loc.clone());
                filtermap_keep(&r, x, &loc)
            })
        }
        ("lists", "foldl" | "foldr", 3) => {
            if let Value::Alt(_) = args[2].kind() {
                // A list from the env (`get_env(app, scopes, [])`): folded
                // on each alternative, the default one included.
                let (fun, acc) = (args[0].clone(), args[1].clone());
                return Some(ev.lift1(&args[2], loc.clone(), &mut |ev, l| {
                    call(ev, ctx, m, f, &[fun.clone(), acc.clone(), l.clone()], at)
                        .unwrap_or_else(|| Val::unknown(RAISES, loc.clone()))
                }));
            }
            let Some(mut elems) = args[2].as_proper_list() else {
                return Some(fold_not_known(ev, f, args, &loc));
            };
            if f == "foldr" {
                elems.reverse();
            }
            if elems.len() > ev.limits().list {
                return Some(ev.limit("list too long", loc));
            }
            let mut acc = args[1].clone();
            for x in elems {
                acc = ev.apply_fun(&args[0], vec![x, acc], loc.clone());
            }
            acc
        }
        ("lists", "foreach", 2) => {
            // Run only for the children a fun may add at boot.
            let adds = match args[0].kind() {
                Value::Fun(c) => match c.as_ref() {
                    Closure::Named {
                        module,
                        function,
                        arity,
                    } => ev.function_adds_children(&Mfa::new(
                        module.as_str(),
                        function.as_str(),
                        *arity,
                    )),
                    Closure::Lambda {
                        module, clauses, ..
                    } => clauses
                        .iter()
                        .any(|c| c.body.iter().any(|e| ev.may_add_children(module, e))),
                },
                _ => false,
            };
            if adds {
                let fun = args[0].clone();
                map_items(ev, &args[1], loc.clone(), &mut |ev, x| {
                    ev.apply_fun(&fun, vec![x.clone()], loc.clone());
                    Vec::new()
                });
            }
            Val::atom("ok", loc)
        }
        _ => return lift_pure(ev, m, f, args, at),
    };
    Some(v)
}

/// A pure function of known values, applied to each alternative of its
/// arguments.
fn lift_pure<E: Callback>(
    ev: &mut E,
    m: &str,
    f: &str,
    args: &[Val],
    at: &Option<Loc>,
) -> Option<Val> {
    // Structural list functions work on lists with unknown parts as they
    // are; one of a few lists (`lists:append(case .. end)`) is each of them.
    let structural = matches!(
        (m, f, args.len()),
        ("lists", "flatten" | "append", 1) | ("lists", "append", 2)
    ) && !(args.len() == 1 && matches!(args[0].kind(), Value::Alt(_)));
    if !structural {
        if let Some(i) = args.iter().position(|a| matches!(a.kind(), Value::Alt(_))) {
            if !is_pure(m, f) {
                return None;
            }
            let arg = args[i].clone();
            let args = args.to_vec();
            return Some(ev.lift1(&arg, at.clone(), &mut |ev, x| {
                let mut a = args.clone();
                a[i] = x.clone();
                lift_pure(ev, m, f, &a, at).unwrap_or_else(|| Val::unknown("", None))
            }));
        }
    }
    pure(m, f, args, at)
}
