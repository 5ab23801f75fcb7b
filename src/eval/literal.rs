//! Terms written in Erlang syntax (an `.app.src` env value, an application
//! start argument) read as values.

use std::sync::Arc;

use super::code::*;
use super::value::{inline_items, Item, Loc, Val, Value};
use crate::syntax::ast::UnaryOp;
use crate::syntax::{Expr, ExprKind};

/// Reads a term printed in Erlang syntax (an `.app.src` env value, an
/// application start argument) as a value.
pub(crate) fn term_text_value(text: &str, loc: Option<Loc>) -> Option<Val> {
    use crate::syntax::{index_module, SourceFile};
    let src = format!("-module('$term').\nt() ->\n{text}\n.\n");
    let index = index_module(SourceFile::from_text("$term", src));
    let f = index.function("t", 0)?;
    let body = &f.clauses.first()?.body;
    let [expr] = body.as_slice() else {
        return None;
    };
    let ctx = ModCtx {
        name: String::new(),
        file: Arc::from(""),
        app: None,
    };
    let v = literal(&ctx, expr)?;
    Some(restamp_deep(&v, &loc))
}

/// A literal expression as a value (no variables, no calls).
pub(super) fn literal(ctx: &ModCtx, e: &Expr) -> Option<Val> {
    let loc = None;
    let _ = ctx;
    Some(match &e.kind {
        ExprKind::Atom(a) => Val::atom(a, loc),
        ExprKind::Integer { value, .. } => Val::new(Value::Int(value.as_ref()?.get()), loc),
        ExprKind::Float { value, .. } => Val::new(Value::Float(*value), loc),
        ExprKind::String(s) => Val::new(Value::Str(s.clone()), loc),
        ExprKind::Tuple(es) => Val::tuple(
            es.iter().map(|x| literal(ctx, x)).collect::<Option<_>>()?,
            loc,
        ),
        ExprKind::List { elems, tail } => {
            let mut items: Vec<Item> = elems
                .iter()
                .map(|x| literal(ctx, x).map(Item::One))
                .collect::<Option<_>>()?;
            if let Some(t) = tail {
                items.push(Item::Splice(literal(ctx, t)?));
            }
            Val::new(Value::List(inline_items(&items)), loc)
        }
        ExprKind::Map(fields) => Val::new(
            Value::Map(
                fields
                    .iter()
                    .map(|f| Some((literal(ctx, &f.key)?, literal(ctx, &f.value)?)))
                    .collect::<Option<_>>()?,
            ),
            loc,
        ),
        ExprKind::Binary(_) => binary_literal(e)?,
        ExprKind::UnaryOp {
            op: UnaryOp::Minus,
            operand,
        } => match literal(ctx, operand)?.kind() {
            Value::Int(i) => Val::new(Value::Int(-i), loc),
            Value::Float(f) => Val::new(Value::Float(-f), loc),
            _ => return None,
        },
        _ => return None,
    })
}

pub(super) fn binary_literal(e: &Expr) -> Option<Val> {
    let ExprKind::Binary(els) = &e.kind else {
        return None;
    };
    let mut text = String::new();
    for el in els {
        if el.size.is_some() {
            return None;
        }
        match &el.value.kind {
            ExprKind::String(s) if el.types.iter().all(|t| t == "utf8") => text.push_str(s),
            _ => return None,
        }
    }
    Some(Val::new(Value::Binary(text), None))
}

pub(super) fn restamp_deep(v: &Val, loc: &Option<Loc>) -> Val {
    let kind = match v.kind() {
        Value::Tuple(es) => Value::Tuple(es.iter().map(|e| restamp_deep(e, loc)).collect()),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|i| match i {
                    Item::One(e) => Item::One(restamp_deep(e, loc)),
                    other => other.clone(),
                })
                .collect(),
        ),
        Value::Map(kvs) => Value::Map(
            kvs.iter()
                .map(|(k, x)| (restamp_deep(k, loc), restamp_deep(x, loc)))
                .collect(),
        ),
        other => other.clone(),
    };
    Val::new(kind, loc.clone())
}
