//! Pure functions of known values: BIFs, `lists`, `maps`, `string`,
//! `filename`, `timer` and the like.

use super::super::equal::equal;
use super::super::ops::list_append;
use super::super::reason::RAISES;
use super::super::value::{inline_items, Item, Loc, Val, Value};
use super::erlang::{binop, boolean, ms};
use super::lists::{flatten, keyfind, keyupdate, list_of, map_get, proplist_get};
use crate::syntax::ast::BinaryOp;

/// Pure functions of known values.
pub(super) fn pure(m: &str, f: &str, args: &[Val], at: &Option<Loc>) -> Option<Val> {
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
                format!("{f}({})", crate::eval::words::value(a)),
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
                                format!("element of {}", crate::eval::words::value(template)),
                                template.loc().cloned(),
                            ),
                            reason: reason.clone(),
                        },
                        Item::Splice(x) => Item::Splice(Val::unknown(
                            format!(
                                "lists:append/1 of a list not known ({})",
                                crate::eval::words::value(x)
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
            // Templates of a list not known (an accumulator folded over
            // an env list) stay templates, in reverse order.
            None => match args[0].kind() {
                Value::List(items)
                    if inline_items(items)
                        .iter()
                        .all(|i| !matches!(i, Item::Splice(_))) =>
                {
                    let mut items = inline_items(items);
                    items.reverse();
                    Val::new(Value::List(items), loc)
                }
                _ => Val::unknown("lists:reverse/1 of a list not known", loc),
            },
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
                    r = crate::eval::value::or3(r, equal(&args[0], x));
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

pub(super) fn iolist_text(v: &Val) -> Option<String> {
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

pub(super) fn text_arg(v: &Val) -> Option<String> {
    match v.kind() {
        Value::Atom(_) => None,
        _ => v.as_text(),
    }
}

/// True for the pure functions [`pure`] knows.
pub(super) fn is_pure(m: &str, f: &str) -> bool {
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
