//! Operators on values: list append, map update, unary operators.

use super::reason::RAISES;
use super::value::{inline_items, Item, Loc, Val, Value};
use crate::syntax::ast::UnaryOp;

/// `A ++ B`.
pub(crate) fn list_append(a: &Val, b: &Val, loc: Option<Loc>) -> Val {
    if let (Value::Str(x), Value::Str(y)) = (a.kind(), b.kind()) {
        return Val::new(Value::Str(format!("{x}{y}")), loc);
    }
    let mut items = match a.kind() {
        Value::List(items) => items.clone(),
        Value::Str(_) => inline_items(&[Item::Splice(a.clone())]),
        _ => vec![Item::Splice(a.clone())],
    };
    items.push(Item::Splice(b.clone()));
    Val::new(Value::List(inline_items(&items)), loc)
}

pub(super) fn map_update(base: &Val, kvs: &[(Val, Val)], loc: Option<Loc>) -> Val {
    match base.kind() {
        Value::Map(old) => {
            let mut m = old.clone();
            for (k, v) in kvs {
                match m.iter_mut().find(|(ok, _)| ok.key_fp() == k.key_fp()) {
                    Some(slot) => slot.1 = v.clone(),
                    None => m.push((k.clone(), v.clone())),
                }
            }
            Val::new(Value::Map(m), loc)
        }
        Value::Unknown(u) => Val::unknown(u.reason.clone(), loc),
        _ => Val::unknown(RAISES, loc),
    }
}

pub(super) fn unary(op: UnaryOp, v: &Val, loc: Option<Loc>) -> Val {
    match (op, v.kind()) {
        (UnaryOp::Minus, Value::Int(i)) => Val::new(Value::Int(-i), loc),
        (UnaryOp::Minus, Value::Float(f)) => Val::new(Value::Float(-f), loc),
        (UnaryOp::Plus, Value::Int(_) | Value::Float(_)) => v.at(loc),
        (UnaryOp::Not, Value::Atom(a)) if a == "true" => Val::atom("false", loc),
        (UnaryOp::Not, Value::Atom(a)) if a == "false" => Val::atom("true", loc),
        (UnaryOp::Bnot, Value::Int(i)) => Val::new(Value::Int(!i), loc),
        (_, Value::Unknown(u)) => Val::unknown(u.reason.clone(), loc),
        _ => Val::unknown(format!("{} {}", op.as_str(), super::words::operand(v)), loc),
    }
}
