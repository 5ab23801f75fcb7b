//! Structural equality of values known in part: what `=:=`, pattern
//! matching and the list functions ask.

use super::value::{Val, Value};

/// Structural equality: `None` when unknown parts decide it.
pub(crate) fn equal(a: &Val, b: &Val) -> Option<bool> {
    use Value as V;
    match (a.kind(), b.kind()) {
        (V::Unknown(_), _) | (_, V::Unknown(_)) | (V::Pid(_), _) | (_, V::Pid(_)) => None,
        (V::Alt(alts), _) => all_same(alts.iter().map(|(_, x)| equal(x, b))),
        (_, V::Alt(alts)) => all_same(alts.iter().map(|(_, x)| equal(a, x))),
        (V::Atom(x), V::Atom(y)) => Some(x == y),
        (V::Int(x), V::Int(y)) => Some(x == y),
        (V::Float(x), V::Float(y)) => Some(x == y),
        (V::Int(x), V::Float(y)) | (V::Float(y), V::Int(x)) => Some(*x as f64 == *y),
        (V::Binary(x), V::Binary(y)) => Some(x == y),
        (V::Str(x), V::Str(y)) => Some(x == y),
        (V::Tuple(x), V::Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            conj(x.iter().zip(y).map(|(p, q)| equal(p, q)))
        }
        (V::List(_) | V::Str(_), V::List(_) | V::Str(_)) => {
            let (Some(x), Some(y)) = (a.as_proper_list(), b.as_proper_list()) else {
                return None;
            };
            if x.len() != y.len() {
                return Some(false);
            }
            conj(x.iter().zip(&y).map(|(p, q)| equal(p, q)))
        }
        (V::Map(x), V::Map(y)) => {
            if !a.is_concrete() || !b.is_concrete() {
                return None;
            }
            Some(x.len() == y.len() && a.key_fp() == b.key_fp())
        }
        (V::Record { .. }, V::Record { .. }) => {
            if a.is_concrete() && b.is_concrete() {
                Some(a.key_fp() == b.key_fp())
            } else {
                None
            }
        }
        (V::Record { .. }, V::Tuple(_)) | (V::Tuple(_), V::Record { .. }) => None,
        (V::Fun(_), _) | (_, V::Fun(_)) => None,
        _ => Some(false),
    }
}

fn conj(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut r = Some(true);
    for x in it {
        r = super::value::and3(r, x);
        if r == Some(false) {
            return r;
        }
    }
    r
}

fn all_same(mut it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let first = it.next()?;
    for x in it {
        if x != first {
            return None;
        }
    }
    first
}
