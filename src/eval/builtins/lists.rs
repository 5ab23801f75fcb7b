//! `lists`, `proplists` and `maps` functions over values partly known:
//! lookups, updates, folds and maps over lists not known.

use super::super::equal::equal;
use super::super::reason::{EVALUATION_LIMIT, RAISES};
use super::super::value::{inline_items, Cond, Item, Loc, Val, Value};
use super::callback::Callback;

pub(super) fn keyfind(key: &Val, pos: i128, l: &[Val], loc: Option<Loc>) -> Val {
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
/// keydelete); keystore appends `new` when there is none. When an element
/// before a match may or may not match (a key not known, an element or
/// part of the list not known: a plugin's child spec merged by id,
/// couchdb's `couch_epi_sup:merge/2`), the known elements stay and `new`
/// is zero or more elements like it: it replaces one or is added
/// (keydelete: unknown, an element may be gone).
pub(super) fn keyupdate(
    f: &str,
    key: &Val,
    pos: i128,
    items: Vec<Item>,
    new: Option<&Val>,
    loc: Option<Loc>,
) -> Val {
    let Ok(i) = usize::try_from(pos - 1) else {
        return Val::unknown(RAISES, loc);
    };
    let mut out = Vec::with_capacity(items.len() + 1);
    let (mut hit, mut undecided) = (false, false);
    for item in inline_items(&items) {
        if hit || undecided {
            out.push(item);
            continue;
        }
        let Item::One(x) = &item else {
            undecided = true;
            out.push(item);
            continue;
        };
        match x.as_tuple().map(|t| t.get(i).map(|e| equal(e, key))) {
            Some(Some(Some(true))) => {
                hit = true;
                if let Some(new) = new {
                    out.push(Item::One(new.clone()));
                }
                continue;
            }
            Some(Some(None)) => undecided = true,
            None if x.as_unknown().is_some() => undecided = true,
            _ => {}
        }
        out.push(item);
    }
    if undecided {
        let Some(new) = new else {
            return Val::unknown(
                format!("lists:{f}/3: the element it deletes is not known"),
                loc,
            );
        };
        out.push(Item::Many {
            template: new.clone(),
            reason: format!(
                "lists:{f}/4 with a key not known: replaces an element with the same key, \
                 or is added"
            ),
        });
    } else if !hit && f == "keystore" {
        out.extend(new.cloned().map(Item::One));
    }
    Val::new(Value::List(out), loc)
}

pub(super) fn proplist_get(key: &Val, list: &Val, default: Val, loc: Option<Loc>) -> Val {
    let Some(l) = list.as_proper_list() else {
        return match list.as_unknown() {
            // The list's reason, once (as `map_get` does).
            Some(u) => Val::unknown(u.reason.clone(), loc),
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

pub(super) fn map_get(map: &Val, key: &Val, default: Option<Val>, loc: Option<Loc>) -> Val {
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
        // Unknown for the map's reason, as other functions of an unknown
        // value are (a suffix per lookup repeated itself: "(map value)
        // (map value)").
        Value::Unknown(u) => Val::unknown(u.reason.clone(), loc),
        _ => Val::unknown("maps:get/2 of a value not known", loc),
    }
}

/// A fold over a list that is not known: when the fun adds elements to
/// the accumulator (`[Spec | Acc]`, `Acc ++ [Spec]`), the result is the
/// accumulator and zero or more elements like those, built from an
/// element not known (`computed` children); otherwise not known.
pub(super) fn fold_not_known<E: Callback>(
    ev: &mut E,
    f: &str,
    args: &[Val],
    loc: &Option<Loc>,
) -> Val {
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
pub(super) fn keep_if(r: &Val, x: &Val, _cond: Option<&str>, loc: &Option<Loc>) -> Vec<Item> {
    match r.as_atom() {
        Some("true") => vec![Item::One(x.clone())],
        Some(_) => Vec::new(),
        None => {
            let d = r
                .default_view()
                .and_then(|d| d.as_atom().map(|a| a == "true"));
            let text = format!("filter keeps {}", crate::eval::words::value(x));
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

/// What `lists:filtermap/2` keeps of `x` when its fun returned `r`: `Y`
/// for `{true, Y}`, `x` for `true`, nothing for `false`; on each branch
/// when `r` depends on one, so that a `{true, Worker}` on one branch keeps
/// `Worker`, not the element it was made from.
pub(super) fn filtermap_keep(r: &Val, x: &Val, loc: &Option<Loc>) -> Vec<Item> {
    let keeps = |v: &Val| matches!(v.as_tuple(), Some([t, _]) if t.as_atom() == Some("true"));
    if keeps(r) {
        if let Some([_, y]) = r.as_tuple() {
            return vec![Item::One(y.clone())];
        }
    }
    if let Value::Alt(alts) = r.kind() {
        if alts.iter().any(|(_, a)| keeps(a)) {
            let branches = alts
                .iter()
                .map(|(c, a)| {
                    let kept = filtermap_keep(a, x, loc);
                    (c.clone(), Val::new(Value::List(kept), loc.clone()))
                })
                .collect();
            return vec![Item::Splice(Val::new(Value::Alt(branches), loc.clone()))];
        }
    }
    keep_if(r, x, None, loc)
}

/// Maps each element of a list through `f`; elements not known are
/// mapped once, as a template.
pub(super) fn map_items<E: Callback>(
    ev: &mut E,
    list: &Val,
    loc: Option<Loc>,
    f: &mut dyn FnMut(&mut E, &Val) -> Vec<Item>,
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
        if n > ev.limits().list {
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
                        Item::One(t) => out.push(Item::Many {
                            template: t,
                            reason: reason.clone(),
                        }),
                        Item::Splice(t) => splice_templates(&t, &reason, &mut out),
                        many => out.push(many),
                    }
                }
            }
        }
    }
    Val::new(Value::List(inline_items(&out)), loc)
}

/// The templates of a list spliced in for each element of a list not
/// known (`lists:flatmap(fun child_specs/1, Listeners)`): each element of
/// the spliced list, of every alternative of it, is one template, once
/// (told apart as `Val::key_fp` does: unknown parts by their reason).
/// The list itself is not a template: its elements are what the outer
/// list holds.
pub(super) fn splice_templates(t: &Val, reason: &str, out: &mut Vec<Item>) {
    let push = |x: &Val, out: &mut Vec<Item>| {
        let seen = out
            .iter()
            .any(|i| matches!(i, Item::Many { template, .. } if template.key_fp() == x.key_fp()));
        if !seen {
            out.push(Item::Many {
                template: x.clone(),
                reason: reason.to_owned(),
            });
        }
    };
    match t.kind() {
        Value::List(items) => {
            for i in items {
                match i {
                    Item::One(x) => push(x, out),
                    Item::Splice(x) | Item::Many { template: x, .. } => {
                        splice_templates(x, reason, out);
                    }
                }
            }
        }
        Value::Alt(alts) => {
            for (_, x) in alts {
                splice_templates(x, reason, out);
            }
        }
        _ => push(t, out),
    }
}

/// `lists:flatten/1`: nested lists inlined, alternatives flattened each.
pub(crate) fn flatten(v: &Val) -> Vec<Item> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || flatten_inner(v))
}

pub(super) fn flatten_inner(v: &Val) -> Vec<Item> {
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

pub(super) fn list_of(items: Vec<Val>, loc: Option<Loc>) -> Val {
    Val::list(items, loc)
}
