//! The child list of a supervisor, flattened: each child spec value with
//! when it is present. Branches of a `case`, an `-ifdef`'d macro or an env
//! default give alternatives; a child found on every branch is
//! unconditional, one found on some is conditional (with the conditions of
//! those branches). A comprehension over a list that is not known gives one
//! template child marked as computed.

use crate::eval::value::{Cond, Item, KeyFp, Presence, Val, Value};

/// A child spec value with its presence.
#[derive(Debug, Clone)]
pub(crate) struct ChildItem {
    pub(crate) value: Val,
    pub(crate) presence: Presence,
    /// Set for a template standing for the elements of a computed list.
    pub(crate) computed: Option<String>,
}

/// The children of a child list value, in order.
pub(crate) fn child_items(list: &Val) -> Vec<ChildItem> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || items_of(list))
}

fn one(value: Val) -> ChildItem {
    ChildItem {
        value,
        presence: Presence::always(),
        computed: None,
    }
}

fn items_of(v: &Val) -> Vec<ChildItem> {
    match v.kind() {
        Value::List(items) => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    Item::One(x) => match x.kind() {
                        Value::Alt(alts) => out.extend(merge_branches(
                            alts.iter()
                                .map(|(c, a)| (c.clone(), element_alternative(a)))
                                .collect(),
                        )),
                        _ => out.push(one(x.clone())),
                    },
                    Item::Splice(x) => out.extend(child_items(x)),
                    Item::Many { template, reason } => {
                        // A template that is itself a list stands for its elements.
                        let mut inner = match template.kind() {
                            Value::List(_) => child_items(template),
                            _ => vec![one(template.clone())],
                        };
                        for c in &mut inner {
                            c.computed.get_or_insert_with(|| reason.clone());
                        }
                        out.extend(inner);
                    }
                }
            }
            out
        }
        Value::Str(s) if s.is_empty() => Vec::new(),
        Value::Alt(alts) => merge_branches(
            alts.iter()
                .map(|(c, a)| (c.clone(), child_items(a)))
                .collect(),
        ),
        _ => vec![one(v.clone())],
    }
}

/// An element that is one of several values: each a child (a list in an
/// element position is kept as a value; the decoder says it is invalid).
fn element_alternative(a: &Val) -> Vec<ChildItem> {
    match a.kind() {
        Value::Alt(alts) => merge_branches(
            alts.iter()
                .map(|(c, x)| (c.clone(), element_alternative(x)))
                .collect(),
        ),
        _ => vec![one(a.clone())],
    }
}

/// Merges the child lists of exhaustive alternatives in order: a child
/// found (by value) on every branch keeps its own presence, others get the
/// conditions of the branches that have them.
pub(crate) fn merge_branches(alts: Vec<(Cond, Vec<ChildItem>)>) -> Vec<ChildItem> {
    struct Merged {
        item: ChildItem,
        key: KeyFp,
        presence: Presence,
        /// Branches it was found in, and whether unconditionally in each.
        found: Vec<(usize, bool)>,
    }
    let n = alts.len();
    let mut out: Vec<Merged> = Vec::new();
    for (branch, (cond, items)) in alts.into_iter().enumerate() {
        let mut pos = 0;
        let keys: Vec<KeyFp> = items.iter().map(|i| i.value.key_fp()).collect();
        for (j, item) in items.into_iter().enumerate() {
            let key = keys[j];
            let free =
                |m: &Merged, k: &KeyFp| m.key == *k && !m.found.iter().any(|(b, _)| *b == branch);
            let hit = out[pos..]
                .iter()
                .position(|m| free(m, &key))
                .map(|i| i + pos);
            let here = item.presence.and(std::slice::from_ref(&cond));
            match hit {
                Some(i) => {
                    out[i].presence = out[i].presence.or(&here);
                    out[i].found.push((branch, item.presence.is_always()));
                    if out[i].item.computed.is_none() {
                        out[i].item.computed = item.computed;
                    }
                    pos = i + 1;
                }
                None => {
                    // Before the next child of this branch already placed,
                    // else after everything: earlier branches keep their order.
                    let at = keys[j + 1..]
                        .iter()
                        .find_map(|k| out[pos..].iter().position(|m| free(m, k)))
                        .map_or(out.len(), |i| i + pos);
                    let always = item.presence.is_always();
                    out.insert(
                        at,
                        Merged {
                            key,
                            presence: here,
                            found: vec![(branch, always)],
                            item,
                        },
                    );
                    pos = at + 1;
                }
            }
        }
    }
    out.into_iter()
        .map(|m| {
            let everywhere = m.found.len() == n && m.found.iter().all(|(_, a)| *a);
            let mut item = m.item;
            item.presence = if everywhere {
                Presence::always()
            } else {
                m.presence
            };
            item
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Val {
        Val::atom(s, None)
    }

    #[test]
    fn branch_only_children_are_conditional() {
        let yes = Cond::new("x", Some(true));
        let no = Cond::new("not x", Some(false));
        let alt = Val::new(
            Value::Alt(vec![
                (yes, Val::list(vec![a("m")], None)),
                (no, Val::list(vec![], None)),
            ]),
            None,
        );
        let list = Val::new(
            Value::List(vec![
                Item::One(a("a")),
                Item::Splice(alt),
                Item::One(a("b")),
            ]),
            None,
        );
        let items = child_items(&list);
        let names: Vec<String> = items.iter().map(|i| i.value.to_erlang()).collect();
        assert_eq!(names, ["a", "m", "b"]);
        assert!(items[0].presence.is_always());
        assert_eq!(items[1].presence.text(), "x");
        assert_eq!(items[1].presence.default(), Some(true));
        assert!(items[2].presence.is_always());
    }

    #[test]
    fn children_on_every_branch_are_unconditional() {
        let alt = Val::new(
            Value::Alt(vec![
                (Cond::new("p", None), Val::list(vec![a("a"), a("b")], None)),
                (Cond::new("q", None), Val::list(vec![a("a"), a("c")], None)),
            ]),
            None,
        );
        let items = child_items(&alt);
        let names: Vec<String> = items.iter().map(|i| i.value.to_erlang()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(items[0].presence.is_always());
        assert_eq!(items[1].presence.text(), "p");
        assert_eq!(items[2].presence.text(), "q");
    }
}
