//! The library functions the evaluator knows: pure BIFs and `lists`,
//! `maps`, `proplists` functions over known values; the application and
//! OS environment (unknown at compile time: an `Alt` of the default and
//! "set otherwise"); and the OTP start functions, which return a [`Process`]
//! instead of running anything.

use std::sync::Arc;

use super::eval::{list_append, Evaluator, ModCtx, EVALUATION_LIMIT, RAISES};
use super::pattern::equal;
use super::value::{inline_items, Closure, Cond, Item, Loc, Process, StartKind, Val, Value};
use crate::syntax::ast::BinaryOp;
use crate::syntax::print::atom_text;

/// The value of `m:f(args)` when the evaluator knows the function; `None`
/// when it does not (the caller then looks in the project).
pub(super) fn call(
    ev: &mut Evaluator<'_, '_>,
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
        return Some(Val::unknown(
            "result of supervisor:start_child/2",
            at.clone(),
        ));
    }
    let loc = at.clone();
    let n = args.len();
    let v = match (m, f, n) {
        ("erlang", "error" | "exit" | "throw" | "raise", _) => Val::unknown(RAISES, loc),
        ("erlang", "self", 0) => Val::unknown("self()", loc),
        ("erlang", "make_ref", 0) => Val::unknown("make_ref()", loc),
        ("erlang", "node", 0) => Val::unknown("node()", loc),
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
                match r.as_tuple() {
                    Some([t, y]) if t.as_atom() == Some("true") => vec![Item::One(y.clone())],
                    _ => keep_if(&r, x, None, &loc),
                }
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
            if elems.len() > ev.limits.list {
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
                    } => ev
                        .adds_children
                        .contains(&(module.clone(), function.clone(), *arity)),
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
fn lift_pure(
    ev: &mut Evaluator<'_, '_>,
    m: &str,
    f: &str,
    args: &[Val],
    at: &Option<Loc>,
) -> Option<Val> {
    // Structural list functions work on lists with unknown parts as they are.
    let structural = matches!(
        (m, f, args.len()),
        ("lists", "flatten" | "append", 1) | ("lists", "append", 2)
    );
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

fn text_arg(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(_) => None,
        _ => v.as_text(),
    }
}

fn list_of(items: Vec<Val>, loc: Option<Loc>) -> Val {
    Val::list(items, loc)
}

fn boolean(b: bool, loc: Option<Loc>) -> Val {
    Val::atom(if b { "true" } else { "false" }, loc)
}

/// True for the pure functions [`pure`] knows.
fn is_pure(m: &str, f: &str) -> bool {
    matches!(
        (m, f),
        (
            "erlang",
            "element"
                | "tuple_size"
                | "length"
                | "hd"
                | "tl"
                | "atom_to_list"
                | "list_to_atom"
                | "list_to_existing_atom"
                | "atom_to_binary"
                | "binary_to_atom"
                | "binary_to_existing_atom"
                | "binary_to_list"
                | "list_to_binary"
                | "iolist_to_binary"
                | "integer_to_list"
                | "integer_to_binary"
                | "list_to_integer"
                | "list_to_tuple"
                | "tuple_to_list"
                | "is_atom"
                | "is_integer"
                | "is_list"
                | "is_tuple"
                | "is_map"
                | "is_binary"
                | "is_boolean"
                | "is_number"
                | "is_float"
                | "is_function"
                | "is_pid"
                | "max"
                | "min"
                | "abs"
        ) | (
            "lists",
            "flatten"
                | "append"
                | "reverse"
                | "seq"
                | "member"
                | "concat"
                | "nth"
                | "keyfind"
                | "keystore"
                | "keyreplace"
                | "keydelete"
                | "zip"
                | "duplicate"
                | "last"
                | "sublist"
                | "usort"
                | "sort"
        ) | ("proplists", "get_value" | "get_bool" | "lookup")
            | ("timer", "seconds" | "minutes" | "hours" | "hms")
            | (
                "maps",
                "get" | "merge" | "put" | "from_list" | "find" | "is_key" | "to_list"
            )
    )
}

/// Pure functions of known values.
fn pure(m: &str, f: &str, args: &[Val], at: &Option<Loc>) -> Option<Val> {
    let loc = at.clone();
    let n = args.len();
    if !is_pure(m, f) || n == 0 {
        return None;
    }
    // Type tests answer on anything known.
    if m == "erlang" && f.starts_with("is_") && n == 1 {
        let a = &args[0];
        if matches!(a.kind(), Value::Unknown(_) | Value::Alt(_)) {
            return Some(Val::unknown(
                format!("{f}({})", super::words::value(a)),
                loc,
            ));
        }
        let r = match (f, a.kind()) {
            ("is_atom", Value::Atom(_)) => true,
            ("is_boolean", Value::Atom(x)) => x == "true" || x == "false",
            ("is_integer" | "is_number", Value::Int(_)) => true,
            ("is_float" | "is_number", Value::Float(_)) => true,
            ("is_list", Value::List(_) | Value::Str(_)) => true,
            ("is_tuple", Value::Tuple(_) | Value::Record { .. }) => true,
            ("is_map", Value::Map(_)) => true,
            ("is_binary", Value::Binary(_)) => true,
            ("is_function", Value::Fun(_)) => true,
            ("is_pid", Value::Pid(_)) => true,
            _ => false,
        };
        return Some(boolean(r, loc));
    }
    if let Some(u) = args.iter().find_map(|a| a.as_unknown()) {
        if !matches!(
            (m, f),
            ("lists", "flatten" | "append") | ("proplists" | "maps", _)
        ) {
            return Some(Val::unknown(u.reason.clone(), loc));
        }
    }
    let v = match (m, f, n) {
        ("erlang", "element", 2) => {
            let (Some(i), Some(t)) = (args[0].as_int(), args[1].as_tuple()) else {
                return Some(Val::unknown("element/2 of a value not known", loc));
            };
            match usize::try_from(i - 1).ok().and_then(|i| t.get(i)) {
                Some(v) => v.clone(),
                None => Val::unknown(RAISES, loc),
            }
        }
        ("erlang", "tuple_size", 1) => match args[0].as_tuple() {
            Some(t) => Val::new(Value::Int(t.len() as i128), loc),
            None => Val::unknown("tuple_size/1", loc),
        },
        ("erlang", "length", 1) => match args[0].as_proper_list() {
            Some(l) => Val::new(Value::Int(l.len() as i128), loc),
            None => Val::unknown("length of a list not known", loc),
        },
        ("erlang", "hd", 1) => match args[0].as_proper_list() {
            Some(l) if !l.is_empty() => l[0].clone(),
            _ => Val::unknown("hd/1", loc),
        },
        ("erlang", "tl", 1) => match args[0].as_proper_list() {
            Some(l) if !l.is_empty() => list_of(l[1..].to_vec(), loc),
            _ => Val::unknown("tl/1", loc),
        },
        ("erlang", "atom_to_list", 1) => match args[0].as_atom() {
            Some(a) => Val::new(Value::Str(a.to_owned()), loc),
            None => Val::unknown("atom_to_list/1", loc),
        },
        ("erlang", "atom_to_binary", 1 | 2) => match args[0].as_atom() {
            Some(a) => Val::new(Value::Binary(a.to_owned()), loc),
            None => Val::unknown("atom_to_binary", loc),
        },
        ("erlang", "list_to_atom" | "list_to_existing_atom", 1) => match text_arg(&args[0]) {
            Some(t) => Val::atom(&t, loc),
            None => Val::unknown("list_to_atom of a list not known", loc),
        },
        ("erlang", "binary_to_atom" | "binary_to_existing_atom", 1 | 2) => match args[0].kind() {
            Value::Binary(t) => Val::atom(t, loc),
            _ => Val::unknown("binary_to_atom", loc),
        },
        ("erlang", "binary_to_list", 1) => match args[0].kind() {
            Value::Binary(t) => Val::new(Value::Str(t.clone()), loc),
            _ => Val::unknown("binary_to_list", loc),
        },
        ("erlang", "list_to_binary" | "iolist_to_binary", 1) => match iolist_text(&args[0]) {
            Some(t) => Val::new(Value::Binary(t), loc),
            None => Val::unknown(format!("{f}/1"), loc),
        },
        ("erlang", "integer_to_list", 1) => match args[0].as_int() {
            Some(i) => Val::new(Value::Str(i.to_string()), loc),
            None => Val::unknown("integer_to_list/1", loc),
        },
        ("erlang", "integer_to_binary", 1) => match args[0].as_int() {
            Some(i) => Val::new(Value::Binary(i.to_string()), loc),
            None => Val::unknown("integer_to_binary/1", loc),
        },
        ("erlang", "list_to_integer", 1) => match text_arg(&args[0]).and_then(|t| t.parse().ok()) {
            Some(i) => Val::new(Value::Int(i), loc),
            None => Val::unknown("list_to_integer/1", loc),
        },
        ("erlang", "list_to_tuple", 1) => match args[0].as_proper_list() {
            Some(l) => Val::tuple(l, loc),
            None => Val::unknown("list_to_tuple/1", loc),
        },
        ("erlang", "tuple_to_list", 1) => match args[0].as_tuple() {
            Some(t) => list_of(t.to_vec(), loc),
            None => Val::unknown("tuple_to_list/1", loc),
        },
        ("erlang", "max" | "min", 2) => match (args[0].as_int(), args[1].as_int()) {
            (Some(a), Some(b)) => {
                let r = if f == "max" { a.max(b) } else { a.min(b) };
                Val::new(Value::Int(r), loc)
            }
            _ => Val::unknown(format!("{f}/2"), loc),
        },
        // Child specs write shutdowns and periods this way; timer's own
        // arithmetic, so a project without OTP's sources gets the numbers
        // a project with them gets.
        ("timer", "seconds", 1) => ms(1000, &args[0], loc),
        ("timer", "minutes", 1) => ms(60_000, &args[0], loc),
        ("timer", "hours", 1) => ms(3_600_000, &args[0], loc),
        ("timer", "hms", 3) => {
            let hm = binop(
                BinaryOp::Add,
                &ms(3_600_000, &args[0], None),
                &ms(60_000, &args[1], None),
                None,
            );
            binop(BinaryOp::Add, &hm, &ms(1000, &args[2], None), loc)
        }
        ("erlang", "abs", 1) => match args[0].as_int() {
            Some(a) => Val::new(Value::Int(a.abs()), loc),
            None => Val::unknown("abs/1", loc),
        },
        ("lists", "flatten", 1) => Val::new(Value::List(flatten(&args[0])), loc),
        ("lists", "append", 1) => {
            let items = match args[0].kind() {
                Value::List(items) => items
                    .iter()
                    .map(|i| match i {
                        Item::One(x) => Item::Splice(x.clone()),
                        Item::Many { template, reason } => Item::Many {
                            template: Val::unknown(
                                format!("element of {}", super::words::value(template)),
                                template.loc().cloned(),
                            ),
                            reason: reason.clone(),
                        },
                        Item::Splice(x) => Item::Splice(Val::unknown(
                            format!(
                                "lists:append/1 of a list not known ({})",
                                super::words::value(x)
                            ),
                            x.loc().cloned(),
                        )),
                    })
                    .collect(),
                _ => vec![Item::Splice(args[0].clone())],
            };
            Val::new(Value::List(inline_items(&items)), loc)
        }
        ("lists", "append", 2) => list_append(&args[0], &args[1], loc),
        ("lists", "reverse", 1) => match args[0].as_proper_list() {
            Some(mut l) => {
                l.reverse();
                list_of(l, loc)
            }
            None => Val::unknown("lists:reverse/1 of a list not known", loc),
        },
        ("lists", "seq", 2) => match (args[0].as_int(), args[1].as_int()) {
            (Some(a), Some(b)) if b - a < 10_000 => list_of(
                (a..=b)
                    .map(|i| Val::new(Value::Int(i), loc.clone()))
                    .collect(),
                loc,
            ),
            _ => Val::unknown("lists:seq/2", loc),
        },
        ("lists", "member", 2) => match args[1].as_proper_list() {
            Some(l) => {
                let mut r = Some(false);
                for x in &l {
                    r = super::value::or3(r, equal(&args[0], x));
                }
                match r {
                    Some(b) => boolean(b, loc),
                    None => Val::unknown("lists:member/2", loc),
                }
            }
            None => Val::unknown("lists:member/2 of a list not known", loc),
        },
        ("lists", "concat", 1) => {
            let Some(l) = args[0].as_proper_list() else {
                return Some(Val::unknown("lists:concat/1", loc));
            };
            let mut s = String::new();
            for x in l {
                match x.kind() {
                    Value::Atom(a) => s.push_str(a),
                    Value::Int(i) => s.push_str(&i.to_string()),
                    _ => match x.as_text() {
                        Some(t) => s.push_str(&t),
                        None => return Some(Val::unknown("lists:concat/1", loc)),
                    },
                }
            }
            Val::new(Value::Str(s), loc)
        }
        ("lists", "nth", 2) => match (args[0].as_int(), args[1].as_proper_list()) {
            (Some(i), Some(l)) => match usize::try_from(i - 1).ok().and_then(|i| l.get(i)) {
                Some(v) => v.clone(),
                None => Val::unknown(RAISES, loc),
            },
            _ => Val::unknown("lists:nth/2", loc),
        },
        ("lists", "last", 1) => match args[0].as_proper_list() {
            Some(l) if !l.is_empty() => l[l.len() - 1].clone(),
            _ => Val::unknown("lists:last/1", loc),
        },
        ("lists", "sublist", 2) => match (args[0].as_proper_list(), args[1].as_int()) {
            (Some(l), Some(n)) => list_of(l.into_iter().take(n.max(0) as usize).collect(), loc),
            _ => Val::unknown("lists:sublist/2", loc),
        },
        ("lists", "duplicate", 2) => match args[0].as_int() {
            Some(k) if (0..=1000).contains(&k) => list_of(vec![args[1].clone(); k as usize], loc),
            _ => Val::unknown("lists:duplicate/2", loc),
        },
        ("lists", "zip", 2) => match (args[0].as_proper_list(), args[1].as_proper_list()) {
            (Some(a), Some(b)) if a.len() == b.len() => list_of(
                a.into_iter()
                    .zip(b)
                    .map(|(x, y)| Val::tuple(vec![x, y], loc.clone()))
                    .collect(),
                loc,
            ),
            _ => Val::unknown("lists:zip/2", loc),
        },
        ("lists", "keyfind", 3) => match (args[1].as_int(), args[2].as_proper_list()) {
            (Some(i), Some(l)) => keyfind(&args[0], i, &l, loc),
            _ => Val::unknown("lists:keyfind/3", loc),
        },
        ("lists", "keystore" | "keyreplace", 4) | ("lists", "keydelete", 3) => {
            match (args[1].as_int(), args[2].as_proper_list()) {
                (Some(i), Some(l)) => keyupdate(f, &args[0], i, l, args.get(3), loc),
                _ => Val::unknown(format!("lists:{f}/{}", args.len()), loc),
            }
        }
        ("lists", "usort" | "sort", 1) => match args[0].as_proper_list() {
            Some(l) if l.iter().all(|x| x.as_atom().is_some()) => {
                let mut l = l;
                l.sort_by(|a, b| a.as_atom().cmp(&b.as_atom()));
                if f == "usort" {
                    l.dedup_by(|a, b| a.as_atom() == b.as_atom());
                }
                list_of(l, loc)
            }
            _ => Val::unknown(format!("lists:{f}/1"), loc),
        },
        ("proplists", "get_value", 2 | 3) => {
            let default = args
                .get(2)
                .cloned()
                .unwrap_or_else(|| Val::atom("undefined", loc.clone()));
            proplist_get(&args[0], &args[1], default, loc)
        }
        ("proplists", "get_bool", 2) => {
            let v = proplist_get(
                &args[0],
                &args[1],
                Val::atom("false", loc.clone()),
                loc.clone(),
            );
            match v.as_atom() {
                Some("true") => v,
                Some(_) => boolean(false, loc),
                None => v,
            }
        }
        ("maps", "get", 2 | 3) => map_get(&args[1], &args[0], args.get(2).cloned(), loc),
        ("maps", "find", 2) => {
            let v = map_get(
                &args[1],
                &args[0],
                Some(Val::atom("$otpmap_missing", loc.clone())),
                loc.clone(),
            );
            match v.as_atom() {
                Some("$otpmap_missing") => Val::atom("error", loc),
                _ if v.as_unknown().is_some() => v,
                _ => Val::tuple(vec![Val::atom("ok", loc.clone()), v], loc),
            }
        }
        ("maps", "is_key", 2) => {
            let v = map_get(
                &args[1],
                &args[0],
                Some(Val::atom("$otpmap_missing", loc.clone())),
                loc.clone(),
            );
            match v.as_atom() {
                Some("$otpmap_missing") => boolean(false, loc),
                _ if v.as_unknown().is_some() => v,
                _ => boolean(true, loc),
            }
        }
        ("maps", "merge", 2) => match (args[0].kind(), args[1].kind()) {
            (Value::Map(a), Value::Map(b)) => {
                let mut out = a.clone();
                for (k, v) in b {
                    match out.iter_mut().find(|(ok, _)| ok.key_fp() == k.key_fp()) {
                        Some(slot) => slot.1 = v.clone(),
                        None => out.push((k.clone(), v.clone())),
                    }
                }
                Val::new(Value::Map(out), loc)
            }
            _ => Val::unknown("maps:merge/2 of a map not known", loc),
        },
        ("maps", "put", 3) => match args[2].kind() {
            Value::Map(a) => {
                let mut out = a.clone();
                match out
                    .iter_mut()
                    .find(|(ok, _)| ok.key_fp() == args[0].key_fp())
                {
                    Some(slot) => slot.1 = args[1].clone(),
                    None => out.push((args[0].clone(), args[1].clone())),
                }
                Val::new(Value::Map(out), loc)
            }
            _ => Val::unknown("maps:put/3 on a map not known", loc),
        },
        ("maps", "from_list", 1) => match args[0].as_proper_list() {
            Some(l) => {
                let mut out: Vec<(Val, Val)> = Vec::new();
                for x in l {
                    match x.as_tuple() {
                        Some([k, v]) => {
                            match out.iter_mut().find(|(ok, _)| ok.key_fp() == k.key_fp()) {
                                Some(slot) => slot.1 = v.clone(),
                                None => out.push((k.clone(), v.clone())),
                            }
                        }
                        _ => return Some(Val::unknown("maps:from_list/1", loc)),
                    }
                }
                Val::new(Value::Map(out), loc)
            }
            None => Val::unknown("maps:from_list/1 of a list not known", loc),
        },
        ("maps", "to_list", 1) => match args[0].kind() {
            Value::Map(kvs) => list_of(
                kvs.iter()
                    .map(|(k, v)| Val::tuple(vec![k.clone(), v.clone()], loc.clone()))
                    .collect(),
                loc,
            ),
            _ => Val::unknown("maps:to_list/1", loc),
        },
        _ => return None,
    };
    Some(v)
}

fn iolist_text(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Binary(s) | Value::Str(s) => Some(s.clone()),
        Value::Int(c) => u32::try_from(*c)
            .ok()
            .and_then(char::from_u32)
            .map(String::from),
        Value::List(_) => {
            let mut s = String::new();
            for x in v.as_proper_list()? {
                s.push_str(&iolist_text(&x)?);
            }
            Some(s)
        }
        _ => None,
    }
}

fn keyfind(key: &Val, pos: i128, l: &[Val], loc: Option<Loc>) -> Val {
    let Ok(i) = usize::try_from(pos - 1) else {
        return Val::unknown(RAISES, loc);
    };
    for x in l {
        let Some(t) = x.as_tuple() else {
            if x.as_unknown().is_some() {
                return Val::unknown("lists:keyfind/3 in a list not known", loc);
            }
            continue;
        };
        match t.get(i).map(|e| equal(e, key)) {
            Some(Some(true)) => return x.clone(),
            Some(None) => return Val::unknown("lists:keyfind/3", loc),
            _ => {}
        }
    }
    Val::atom("false", loc)
}

/// `lists:keystore/4`, `keyreplace/4` and `keydelete/3`: the first tuple
/// whose `pos`th element is `key` is replaced by `new` (deleted for
/// keydelete); keystore appends `new` when there is none. A list element
/// or key that may or may not match makes the result unknown.
fn keyupdate(
    f: &str,
    key: &Val,
    pos: i128,
    mut l: Vec<Val>,
    new: Option<&Val>,
    loc: Option<Loc>,
) -> Val {
    let Ok(i) = usize::try_from(pos - 1) else {
        return Val::unknown(RAISES, loc);
    };
    let mut hit = None;
    for (n, x) in l.iter().enumerate() {
        let Some(t) = x.as_tuple() else {
            if x.as_unknown().is_some() {
                return Val::unknown(format!("lists:{f} in a list not known"), loc);
            }
            continue;
        };
        match t.get(i).map(|e| equal(e, key)) {
            Some(Some(true)) => {
                hit = Some(n);
                break;
            }
            Some(None) => return Val::unknown(format!("lists:{f}"), loc),
            _ => {}
        }
    }
    match (hit, new) {
        (Some(n), Some(new)) => l[n] = new.clone(),
        (Some(n), None) => {
            l.remove(n);
        }
        (None, Some(new)) if f == "keystore" => l.push(new.clone()),
        (None, _) => {}
    }
    list_of(l, loc)
}

fn proplist_get(key: &Val, list: &Val, default: Val, loc: Option<Loc>) -> Val {
    let Some(l) = list.as_proper_list() else {
        return match list.as_unknown() {
            Some(u) => Val::unknown(format!("{} (proplist value)", u.reason), loc),
            None => Val::unknown("proplists:get_value/2 of a list not known", loc),
        };
    };
    for x in l {
        match x.kind() {
            Value::Tuple(t) if !t.is_empty() => match equal(&t[0], key) {
                Some(true) => {
                    return match t.len() {
                        2 => t[1].clone(),
                        _ => x.clone(),
                    }
                }
                Some(false) => {}
                None => return Val::unknown("proplists:get_value/2", loc),
            },
            Value::Atom(_) if equal(&x, key) == Some(true) => return Val::atom("true", loc),
            Value::Unknown(_) | Value::Alt(_) => {
                return Val::unknown("proplists:get_value/2 in a list not known", loc)
            }
            _ => {}
        }
    }
    default
}

fn map_get(map: &Val, key: &Val, default: Option<Val>, loc: Option<Loc>) -> Val {
    match map.kind() {
        Value::Map(kvs) => {
            for (k, v) in kvs {
                match equal(k, key) {
                    Some(true) => return v.clone(),
                    Some(false) => {}
                    None => return Val::unknown("maps:get/2 with a key not known", loc),
                }
            }
            default.unwrap_or_else(|| Val::unknown(RAISES, loc))
        }
        Value::Unknown(u) => Val::unknown(format!("{} (map value)", u.reason), loc),
        _ => Val::unknown("maps:get/2 of a value not known", loc),
    }
}

/// A fold over a list that is not known: when the fun adds elements to
/// the accumulator (`[Spec | Acc]`, `Acc ++ [Spec]`), the result is the
/// accumulator and zero or more elements like those, built from an
/// element not known (`computed` children); otherwise not known.
fn fold_not_known(ev: &mut Evaluator<'_, '_>, f: &str, args: &[Val], loc: &Option<Loc>) -> Val {
    let not_known = || Val::unknown(format!("lists:{f}/3 over a list not known"), loc.clone());
    let Some(acc) = args[1].as_proper_list() else {
        return not_known();
    };
    let reason = match args[2].as_unknown() {
        Some(u) => format!("computed from a list not known ({})", u.describe()),
        None => "computed from a list not known".to_owned(),
    };
    let elem = Val::unknown("element of a list not known", args[2].loc().cloned());
    let r = ev.for_many(&reason, |ev| {
        ev.apply_fun(&args[0], vec![elem, args[1].clone()], loc.clone())
    });
    let Some(items) = r.as_proper_list() else {
        return not_known();
    };
    let same = |a: &[Val], b: &[Val]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.key_fp() == y.key_fp())
    };
    let n = acc.len();
    if items.len() <= n {
        return not_known();
    }
    let many = |added: &[Val]| -> Vec<Item> {
        added
            .iter()
            .map(|t| Item::Many {
                template: t.clone(),
                reason: reason.clone(),
            })
            .collect()
    };
    let out: Vec<Item> = if same(&items[items.len() - n..], &acc) {
        let mut out = many(&items[..items.len() - n]);
        out.extend(acc.iter().cloned().map(Item::One));
        out
    } else if same(&items[..n], &acc) {
        let mut out: Vec<Item> = acc.iter().cloned().map(Item::One).collect();
        out.extend(many(&items[n..]));
        out
    } else {
        return not_known();
    };
    Val::new(Value::List(out), loc.clone())
}

/// `[X]` when `r` is `true`, nothing when `false`, a conditional element
/// otherwise.
fn keep_if(r: &Val, x: &Val, _cond: Option<&str>, loc: &Option<Loc>) -> Vec<Item> {
    match r.as_atom() {
        Some("true") => vec![Item::One(x.clone())],
        Some(_) => Vec::new(),
        None => {
            let d = r
                .default_view()
                .and_then(|d| d.as_atom().map(|a| a == "true"));
            let text = format!("filter keeps {}", super::words::value(x));
            vec![Item::Splice(Val::new(
                Value::Alt(vec![
                    (
                        Cond::new(text.clone(), d),
                        Val::list(vec![x.clone()], loc.clone()),
                    ),
                    (
                        Cond::new(format!("not ({text})"), d.map(|b| !b)),
                        Val::list(Vec::new(), loc.clone()),
                    ),
                ]),
                loc.clone(),
            ))]
        }
    }
}

/// Maps each element of a list through `f`; elements not known are
/// mapped once, as a template.
fn map_items(
    ev: &mut Evaluator<'_, '_>,
    list: &Val,
    loc: Option<Loc>,
    f: &mut dyn FnMut(&mut Evaluator<'_, '_>, &Val) -> Vec<Item>,
) -> Val {
    let items = match list.kind() {
        Value::List(items) => items.clone(),
        Value::Str(_) => inline_items(&[Item::Splice(list.clone())]),
        Value::Alt(_) => {
            return ev.lift1(list, loc.clone(), &mut |ev, l| {
                map_items(ev, l, loc.clone(), f)
            });
        }
        _ => vec![Item::Splice(list.clone())],
    };
    let mut out = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        if n > ev.limits.list {
            out.push(Item::Many {
                template: Val::unknown(EVALUATION_LIMIT, loc.clone()),
                reason: format!("{EVALUATION_LIMIT}: list too long"),
            });
            break;
        }
        match item {
            Item::One(x) => out.extend(f(ev, &x)),
            Item::Splice(x) if matches!(x.kind(), Value::Alt(_)) => {
                let v = map_items(ev, &x, loc.clone(), f);
                out.push(Item::Splice(v));
            }
            Item::Splice(x) | Item::Many { template: x, .. } => {
                let reason = match x.as_unknown() {
                    Some(u) => format!("computed from a list not known ({})", u.describe()),
                    None => "computed from a list not known".to_owned(),
                };
                let elem = match x.as_unknown() {
                    Some(_) => Val::unknown("element of a list not known", x.loc().cloned()),
                    None => x.clone(),
                };
                for i in ev.for_many(&reason, |ev| f(ev, &elem)) {
                    match i {
                        Item::One(t) | Item::Splice(t) => out.push(Item::Many {
                            template: t,
                            reason: reason.clone(),
                        }),
                        many => out.push(many),
                    }
                }
            }
        }
    }
    Val::new(Value::List(inline_items(&out)), loc)
}

/// `lists:flatten/1`: nested lists inlined, alternatives flattened each.
pub fn flatten(v: &Val) -> Vec<Item> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || flatten_inner(v))
}

fn flatten_inner(v: &Val) -> Vec<Item> {
    let flat_alt = |alts: &[(Cond, Val)], loc: Option<Loc>| {
        Item::Splice(Val::new(
            Value::Alt(
                alts.iter()
                    .map(|(c, x)| {
                        let items = match x.kind() {
                            Value::List(_) | Value::Str(_) | Value::Alt(_) => flatten(x),
                            _ => vec![Item::One(x.clone())],
                        };
                        (c.clone(), Val::new(Value::List(items), x.loc().cloned()))
                    })
                    .collect(),
            ),
            loc,
        ))
    };
    match v.kind() {
        Value::List(items) => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    Item::One(x) => match x.kind() {
                        Value::List(_) | Value::Str(_) => out.extend(flatten(x)),
                        Value::Alt(alts) => out.push(flat_alt(alts, x.loc().cloned())),
                        _ => out.push(i.clone()),
                    },
                    Item::Splice(x) => match x.kind() {
                        Value::Alt(alts) => out.push(flat_alt(alts, x.loc().cloned())),
                        _ => out.push(i.clone()),
                    },
                    Item::Many { template, reason } => match template.kind() {
                        Value::List(_) => {
                            for t in flatten(template) {
                                match t {
                                    Item::One(x)
                                    | Item::Splice(x)
                                    | Item::Many { template: x, .. } => out.push(Item::Many {
                                        template: x,
                                        reason: reason.clone(),
                                    }),
                                }
                            }
                        }
                        _ => out.push(i.clone()),
                    },
                }
            }
            inline_items(&out)
        }
        Value::Str(_) => inline_items(&[Item::Splice(v.clone())]),
        Value::Alt(alts) => vec![flat_alt(alts, v.loc().cloned())],
        _ => vec![Item::Splice(v.clone())],
    }
}

/// `unit * v`, as timer's functions compute milliseconds.
fn ms(unit: i128, v: &Val, loc: Option<Loc>) -> Val {
    binop(BinaryOp::Mul, &Val::new(Value::Int(unit), None), v, loc)
}

/// Arithmetic, comparison and boolean operators on known values.
pub(super) fn binop(op: BinaryOp, a: &Val, b: &Val, loc: Option<Loc>) -> Val {
    use BinaryOp as O;
    if let Some(u) = a.as_unknown().or(b.as_unknown()) {
        return Val::unknown(u.reason.clone(), loc);
    }
    let int = |i: Option<i128>| match i {
        Some(i) => Val::new(Value::Int(i), loc.clone()),
        None => Val::unknown("arithmetic overflow", loc.clone()),
    };
    let num = |v: &Val| match v.kind() {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (op, a.kind(), b.kind()) {
        (O::Add, Value::Int(x), Value::Int(y)) => int(x.checked_add(*y)),
        (O::Sub, Value::Int(x), Value::Int(y)) => int(x.checked_sub(*y)),
        (O::Mul, Value::Int(x), Value::Int(y)) => int(x.checked_mul(*y)),
        // Erlang raises badarith; "overflow" would send the reader astray.
        (O::IntDiv | O::Rem, Value::Int(_), Value::Int(0)) => {
            Val::unknown("division by zero (badarith)", loc)
        }
        (O::Div, _, _) if num(a).is_some() && num(b) == Some(0.0) => {
            Val::unknown("division by zero (badarith)", loc)
        }
        (O::IntDiv, Value::Int(x), Value::Int(y)) => int(x.checked_div(*y)),
        (O::Rem, Value::Int(x), Value::Int(y)) => int(x.checked_rem(*y)),
        (O::Band, Value::Int(x), Value::Int(y)) => int(Some(x & y)),
        (O::Bor, Value::Int(x), Value::Int(y)) => int(Some(x | y)),
        (O::Bxor, Value::Int(x), Value::Int(y)) => int(Some(x ^ y)),
        (O::Bsl, Value::Int(x), Value::Int(y)) if (0..64).contains(y) => {
            int(x.checked_shl(*y as u32))
        }
        (O::Bsr, Value::Int(x), Value::Int(y)) if (0..64).contains(y) => {
            int(x.checked_shr(*y as u32))
        }
        (O::Add | O::Sub | O::Mul | O::Div, _, _) if num(a).is_some() && num(b).is_some() => {
            let (x, y) = (num(a).unwrap_or(0.0), num(b).unwrap_or(0.0));
            let r = match op {
                O::Add => x + y,
                O::Sub => x - y,
                O::Mul => x * y,
                _ => x / y,
            };
            Val::new(Value::Float(r), loc)
        }
        (O::Eq | O::ExactEq, _, _) => match equal(a, b) {
            Some(r) => boolean(r, loc),
            None => Val::unknown(
                format!(
                    "{} {} {}",
                    super::words::operand(a),
                    op.as_str(),
                    super::words::operand(b)
                ),
                loc,
            ),
        },
        (O::Ne | O::ExactNe, _, _) => match equal(a, b) {
            Some(r) => boolean(!r, loc),
            None => Val::unknown(
                format!(
                    "{} {} {}",
                    super::words::operand(a),
                    op.as_str(),
                    super::words::operand(b)
                ),
                loc,
            ),
        },
        (O::Lt | O::Gt | O::Le | O::Ge, _, _) => {
            let ord = match (num(a), num(b), a.kind(), b.kind()) {
                (Some(x), Some(y), _, _) => x.partial_cmp(&y),
                (_, _, Value::Atom(x), Value::Atom(y)) => Some(x.cmp(y)),
                // Strings compare as their lists of characters.
                (_, _, Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                _ => match (type_rank(a), type_rank(b)) {
                    (Some(x), Some(y)) if x != y => Some(x.cmp(&y)),
                    _ => None,
                },
            };
            match ord {
                Some(o) => boolean(
                    match op {
                        O::Lt => o.is_lt(),
                        O::Gt => o.is_gt(),
                        O::Le => o.is_le(),
                        _ => o.is_ge(),
                    },
                    loc,
                ),
                None => Val::unknown("comparison of values not known", loc),
            }
        }
        (O::And | O::Or | O::Xor, Value::Atom(x), Value::Atom(y)) => {
            let (Some(x), Some(y)) = (bool_of(x), bool_of(y)) else {
                return Val::unknown(RAISES, loc);
            };
            boolean(
                match op {
                    O::And => x && y,
                    O::Or => x || y,
                    _ => x != y,
                },
                loc,
            )
        }
        (O::Subtract, _, _) => match (a.as_proper_list(), b.as_proper_list()) {
            (Some(mut x), Some(y)) if a.is_concrete() && b.is_concrete() => {
                for r in y {
                    if let Some(i) = x.iter().position(|e| e.key_fp() == r.key_fp()) {
                        x.remove(i);
                    }
                }
                list_of(x, loc)
            }
            _ => Val::unknown("list subtraction of lists not known", loc),
        },
        _ => Val::unknown(
            format!(
                "{} {} {}",
                super::words::operand(a),
                op.as_str(),
                super::words::operand(b)
            ),
            loc,
        ),
    }
}

/// Erlang's term order between types (number < atom < fun < pid < tuple
/// < map < [] < list < binary), for values of different types.
fn type_rank(v: &Val) -> Option<u8> {
    Some(match v.kind() {
        Value::Int(_) | Value::Float(_) => 0,
        Value::Atom(_) => 1,
        Value::Fun(_) => 2,
        Value::Pid(_) => 3,
        Value::Tuple(_) | Value::Record { .. } => 4,
        Value::Map(_) => 5,
        Value::Str(s) if s.is_empty() => 6,
        Value::List(items) if items.is_empty() => 6,
        Value::Str(_) => 7,
        Value::List(items) if matches!(items.first(), Some(Item::One(_))) => 7,
        Value::Binary(_) => 8,
        _ => return None,
    })
}

fn bool_of(a: &str) -> Option<bool> {
    match a {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// `application:get_env/1,2,3` and `os:getenv/1,2`.
fn env_call(
    ev: &mut Evaluator<'_, '_>,
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
                [k] => (ctx.and_then(|c| c.app.clone()), k, None),
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
            let written = ev.code.app_env(&app, key).cloned();
            let short = |v: &Val| super::words::cap(&super::words::value(v), 40);
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
        _ => None,
    }
}

/// An OTP start function: the pid it returns, as a [`Process`].
fn start_call(m: &str, f: &str, args: &[Val], at: &Option<Loc>) -> Option<Val> {
    let loc = at.clone();
    let n = args.len();
    let kind = match (m, f) {
        ("supervisor", "start_link") if n == 2 || n == 3 => StartKind::Supervisor,
        ("supervisor_bridge", "start_link" | "start") if n == 2 || n == 3 => {
            StartKind::SupervisorBridge
        }
        ("gen_server", "start_link" | "start" | "start_monitor") if n == 3 || n == 4 => {
            StartKind::GenServer
        }
        ("gen_statem", "start_link" | "start" | "start_monitor") if n == 3 || n == 4 => {
            StartKind::GenStatem
        }
        ("gen_fsm", "start_link" | "start") if n == 3 || n == 4 => StartKind::GenFsm,
        ("gen_event", "start_link" | "start" | "start_monitor") if n <= 2 => StartKind::GenEvent,
        ("proc_lib", "start_link" | "start" | "start_monitor") if (3..=5).contains(&n) => {
            StartKind::ProcLib
        }
        ("proc_lib", "spawn_link" | "spawn" | "spawn_opt") if (1..=5).contains(&n) => {
            StartKind::ProcLib
        }
        ("erlang", "spawn_link" | "spawn" | "spawn_opt" | "spawn_monitor") => StartKind::Spawn,
        _ => return None,
    };
    let call = format!("{m}:{f}/{n}");
    let unknown_cb = || Val::unknown("process started from a fun", loc.clone());
    let (name, callback, arg) = match kind {
        StartKind::Supervisor | StartKind::SupervisorBridge => match args {
            [name, cb, a] => (Some(name.clone()), cb.clone(), Some(a.clone())),
            [cb, a] => (None, cb.clone(), Some(a.clone())),
            _ => return None,
        },
        StartKind::GenServer | StartKind::GenStatem | StartKind::GenFsm => match args {
            [name, cb, a, _] => (Some(name.clone()), cb.clone(), Some(a.clone())),
            [cb, a, _] => (None, cb.clone(), Some(a.clone())),
            _ => return None,
        },
        StartKind::GenEvent => {
            let name = args.first().filter(|a| a.as_tuple().is_some()).cloned();
            (name, Val::atom("gen_event", loc.clone()), None)
        }
        StartKind::ProcLib | StartKind::Spawn => {
            let start = f.starts_with("start");
            let listy = |v: &Val| matches!(v.kind(), Value::List(_) | Value::Str(_));
            match args {
                // spawn(Node, M, F, A) and spawn_opt(M, F, A, Opts) both have 4.
                [_node, m, _f, a, ..] if !start && !listy(&args[2]) => {
                    (None, m.clone(), Some(a.clone()))
                }
                [m, _f, a, ..] => (None, m.clone(), Some(a.clone())),
                _ => (None, unknown_cb(), None),
            }
        }
    };
    let pid = Val::new(
        Value::Pid(Arc::new(Process {
            kind,
            call,
            callback,
            arg,
            name,
            loc: loc.clone(),
        })),
        loc.clone(),
    );
    Some(match kind {
        StartKind::ProcLib if f.starts_with("spawn") => pid,
        StartKind::Spawn => pid,
        _ => Val::tuple(vec![Val::atom("ok", loc.clone()), pid], loc),
    })
}
