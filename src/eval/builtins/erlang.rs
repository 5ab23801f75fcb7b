//! Erlang's operators and term order over known values.

use super::super::equal::equal;
use super::super::reason::RAISES;
use super::super::value::{Item, Loc, Val, Value};
use super::lists::list_of;
use crate::syntax::ast::BinaryOp;

/// `unit * v`, as timer's functions compute milliseconds.
pub(super) fn ms(unit: i128, v: &Val, loc: Option<Loc>) -> Val {
    binop(BinaryOp::Mul, &Val::new(Value::Int(unit), None), v, loc)
}

/// Arithmetic, comparison and boolean operators on known values.
pub(crate) fn binop(op: BinaryOp, a: &Val, b: &Val, loc: Option<Loc>) -> Val {
    use BinaryOp as O;
    // `X and false` is false and `X or true` true for any boolean X (and
    // a non-boolean X raises, which no start code relies on): a flag read
    // at run time beside an env default still gives the default build.
    let decides = match op {
        O::And => Some("false"),
        O::Or => Some("true"),
        _ => None,
    };
    if let Some(d) = decides {
        for (known, other) in [(a, b), (b, a)] {
            if known.as_atom() == Some(d) && other.as_unknown().is_some() {
                return Val::new(Value::Atom(d.to_owned()), loc);
            }
        }
    }
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
        (O::Eq | O::ExactEq | O::Ne | O::ExactNe, _, _) => match equal(a, b) {
            Some(r) => boolean(r == matches!(op, O::Eq | O::ExactEq), loc),
            None => Val::unknown(
                format!(
                    "{} {} {}",
                    crate::eval::words::operand(a),
                    op.as_str(),
                    crate::eval::words::operand(b)
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
                crate::eval::words::operand(a),
                op.as_str(),
                crate::eval::words::operand(b)
            ),
            loc,
        ),
    }
}

/// Erlang's term order between types (number < atom < fun < pid < tuple
/// < map < [] < list < binary), for values of different types.
pub(super) fn type_rank(v: &Val) -> Option<u8> {
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

pub(super) fn bool_of(a: &str) -> Option<bool> {
    match a {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

pub(super) fn boolean(b: bool, loc: Option<Loc>) -> Val {
    Val::atom(if b { "true" } else { "false" }, loc)
}
