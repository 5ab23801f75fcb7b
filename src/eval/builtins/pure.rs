//! Pure functions of known values: BIFs, `lists`, `maps`, `string`,
//! `filename`, `timer` and the like.

use super::super::equal::equal;
use super::super::ops::list_append;
use super::super::reason::RAISES;
use super::super::value::{inline_items, Item, Loc, Val, Value};
use super::erlang::{binop, boolean, ms};
use super::lists::{flatten, keyfind, keyupdate, list_of, map_get, proplist_get, splice_templates};
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
            // Joined in place: guards ask this of every value not known.
            let mut reason = String::with_capacity(f.len() + 64);
            reason.push_str(f);
            reason.push('(');
            reason.push_str(&crate::eval::words::value(a));
            reason.push(')');
            return Some(Val::unknown(reason, loc));
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
        // A key or an element not known leaves a keyed update's list known
        // in part ([`keyupdate`]).
        let keyed = matches!((m, f), ("lists", "keystore" | "keyreplace"))
            && args.get(2).is_some_and(|l| l.as_unknown().is_none());
        if !keyed
            && !matches!(
                (m, f),
                ("lists", "flatten" | "append") | ("proplists" | "maps", _)
            )
        {
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
        // Chardata to a flat text: what `iolist_text` reads.
        ("unicode", "characters_to_list", 1) => match iolist_text(&args[0]) {
            Some(t) => Val::new(Value::Str(t), loc),
            None => Val::unknown("unicode:characters_to_list/1", loc),
        },
        ("unicode", "characters_to_binary", 1) => match iolist_text(&args[0]) {
            Some(t) => Val::new(Value::Binary(t), loc),
            None => Val::unknown("unicode:characters_to_binary/1", loc),
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
        // In Erlang's term order, numbers compared as numbers.
        ("erlang", "max" | "min", 2) => {
            match binop(BinaryOp::Lt, &args[0], &args[1], None).as_atom() {
                Some("true") => args[usize::from(f == "max")].at(loc),
                Some("false") => args[usize::from(f == "min")].at(loc),
                _ => Val::unknown(format!("{f}/2 of values not known"), loc),
            }
        }
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
        ("erlang", "abs", 1) => match args[0].kind() {
            Value::Int(a) => Val::new(Value::Int(a.abs()), loc),
            Value::Float(a) => Val::new(Value::Float(a.abs()), loc),
            _ => Val::unknown("abs/1", loc),
        },
        // Sizes computed from a scheduler count or a pool size
        // (`intensity => 1 + ceil(math:log2(N))`).
        ("erlang", "ceil" | "floor" | "round" | "trunc", 1) => match args[0].kind() {
            Value::Int(_) => args[0].clone(),
            Value::Float(x) => {
                let r = match f {
                    "ceil" => x.ceil(),
                    "floor" => x.floor(),
                    "round" => x.round(),
                    _ => x.trunc(),
                };
                if r.is_finite() && r.abs() < 1e30 {
                    Val::new(Value::Int(r as i128), loc)
                } else {
                    Val::unknown(RAISES, loc)
                }
            }
            _ => Val::unknown(format!("{f}/1 of a value that is not a number"), loc),
        },
        ("erlang", "float", 1) => match number(&args[0]) {
            Some(x) => Val::new(Value::Float(x), loc),
            None => Val::unknown("float/1 of a value that is not a number", loc),
        },
        ("math", _, 1 | 2) => match (number(&args[0]), args.get(1).map(number)) {
            (Some(x), None) => float_result(math1(f, x), loc),
            (Some(x), Some(Some(y))) if f == "pow" => float_result(Some(x.powf(y)), loc),
            _ => Val::unknown(format!("math:{f}/{n} of a value that is not a number"), loc),
        },
        ("erlang", "setelement", 3) => match (args[0].as_int(), args[1].as_tuple()) {
            (Some(i), Some(t)) => match usize::try_from(i - 1).ok().filter(|i| *i < t.len()) {
                Some(i) => {
                    let mut t = t.to_vec();
                    t[i] = args[2].clone();
                    Val::tuple(t, loc)
                }
                None => Val::unknown(RAISES, loc),
            },
            _ => Val::unknown("setelement/3 of a value not known", loc),
        },
        ("erlang", "size", 1) => match args[0].kind() {
            Value::Tuple(t) => Val::new(Value::Int(t.len() as i128), loc),
            Value::Binary(b) => Val::new(Value::Int(b.len() as i128), loc),
            _ => Val::unknown("size/1", loc),
        },
        ("erlang", "byte_size", 1) => match args[0].kind() {
            Value::Binary(b) => Val::new(Value::Int(b.len() as i128), loc),
            _ => Val::unknown("byte_size/1", loc),
        },
        ("erlang", "map_size", 1) => match args[0].kind() {
            Value::Map(kvs) => Val::new(Value::Int(kvs.len() as i128), loc),
            _ => Val::unknown("map_size/1", loc),
        },
        ("erlang", "map_get", 2) => map_get(&args[1], &args[0], None, loc),
        ("erlang", "binary_to_integer", 1) => match args[0].kind() {
            Value::Binary(t) => match t.parse() {
                Ok(i) => Val::new(Value::Int(i), loc),
                Err(_) => Val::unknown(RAISES, loc),
            },
            _ => Val::unknown("binary_to_integer/1", loc),
        },
        ("lists", "flatten", 1) => Val::new(Value::List(flatten(&args[0])), loc),
        ("lists", "append", 1) => append_all(&args[0], loc),
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
        ("lists", "enumerate", 1) => match args[0].as_proper_list() {
            Some(l) => list_of(
                l.into_iter()
                    .enumerate()
                    .map(|(i, x)| {
                        Val::tuple(
                            vec![Val::new(Value::Int(i as i128 + 1), loc.clone()), x],
                            loc.clone(),
                        )
                    })
                    .collect(),
                loc,
            ),
            None => Val::unknown("lists:enumerate/1 of a list not known", loc),
        },
        ("lists", "sum", 1) => match args[0].as_proper_list() {
            Some(l) => l.iter().fold(Val::new(Value::Int(0), None), |acc, x| {
                binop(BinaryOp::Add, &acc, x, loc.clone())
            }),
            None => Val::unknown("lists:sum/1 of a list not known", loc),
        },
        ("lists", "max" | "min", 1) => match args[0].as_proper_list() {
            Some(l) if !l.is_empty() => {
                let mut best = l[0].clone();
                for x in &l[1..] {
                    best = match pure("erlang", f, &[best, x.clone()], at) {
                        Some(v) => v,
                        None => return Some(Val::unknown(format!("lists:{f}/1"), loc)),
                    };
                }
                best.at(loc)
            }
            _ => Val::unknown(format!("lists:{f}/1 of a list not known"), loc),
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
            let items = match args[2].kind() {
                Value::List(items) => Some(items.clone()),
                Value::Str(_) => Some(inline_items(&[Item::Splice(args[2].clone())])),
                _ => None,
            };
            match (args[1].as_int(), items) {
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

/// `lists:append/1`: the elements of each list of the list, in order.
fn append_all(v: &Val, loc: Option<Loc>) -> Val {
    let items = match v.kind() {
        Value::List(items) => items
            .iter()
            .flat_map(|i| match i {
                Item::One(x) => vec![Item::Splice(x.clone())],
                // A comprehension whose template is a list
                // (`lists:append([specs(X) || X <- L])`): each element of
                // the template is a template.
                Item::Many { template, reason } => {
                    let mut out = Vec::new();
                    splice_templates(template, reason, &mut out);
                    out
                }
                // One of a few lists of lists (a comprehension over one of
                // a few lists): each appended.
                Item::Splice(x) if matches!(x.kind(), Value::Alt(_) | Value::List(_)) => {
                    vec![Item::Splice(append_all(x, x.loc().cloned()))]
                }
                Item::Splice(x) => vec![Item::Splice(Val::unknown(
                    format!(
                        "lists:append/1 of a list not known ({})",
                        crate::eval::words::value(x)
                    ),
                    x.loc().cloned(),
                ))],
            })
            .collect(),
        Value::Alt(alts) => {
            return Val::new(
                Value::Alt(
                    alts.iter()
                        .map(|(c, x)| (c.clone(), append_all(x, x.loc().cloned())))
                        .collect(),
                ),
                loc,
            )
        }
        _ => vec![Item::Splice(v.clone())],
    };
    Val::new(Value::List(inline_items(&items)), loc)
}

/// An integer or a float as a float.
fn number(v: &Val) -> Option<f64> {
    match v.kind() {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        _ => None,
    }
}

/// `math:F(x)` for the functions of one argument.
fn math1(f: &str, x: f64) -> Option<f64> {
    Some(match f {
        "log2" => x.log2(),
        "log" => x.ln(),
        "log10" => x.log10(),
        "sqrt" => x.sqrt(),
        "exp" => x.exp(),
        "ceil" => x.ceil(),
        "floor" => x.floor(),
        _ => return None,
    })
}

/// A float result; `badarith` (a NaN or an infinity) raises, as Erlang does.
fn float_result(r: Option<f64>, loc: Option<Loc>) -> Val {
    match r {
        Some(r) if r.is_finite() => Val::new(Value::Float(r), loc),
        Some(_) => Val::unknown(RAISES, loc),
        None => Val::unknown("a math function otpmap does not compute", loc),
    }
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
                | "ceil"
                | "floor"
                | "round"
                | "trunc"
                | "float"
                | "setelement"
                | "size"
                | "byte_size"
                | "map_size"
                | "map_get"
                | "binary_to_integer"
        ) | (
            "math",
            "log2" | "log" | "log10" | "sqrt" | "exp" | "pow" | "ceil" | "floor"
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
                | "enumerate"
                | "sum"
                | "max"
                | "min"
        ) | ("proplists", "get_value" | "get_bool" | "lookup")
            | ("unicode", "characters_to_list" | "characters_to_binary")
            | ("timer", "seconds" | "minutes" | "hours" | "hms")
            | (
                "maps",
                "get" | "merge" | "put" | "from_list" | "find" | "is_key" | "to_list"
            )
    )
}
