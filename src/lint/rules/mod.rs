//! The rules, one file each. A rule file starts with its documentation
//! (the `//!` comment, from which `docs/rules/<name>.md` is generated) and
//! defines `RULE` and the function that checks it.

pub mod blocking_init;
pub mod infinity_call_timeout;
pub mod missing_app_dependency;
pub mod unused_suppression;

use crate::model::ModuleSource;
use crate::syntax::ExprKind;

/// The behaviours a module declares, macros resolved with its macro table
/// (`-behaviour(?GEN_SERVER)`); every alternative of a conditional macro.
pub(crate) fn behaviours(m: &ModuleSource) -> Vec<String> {
    let mut out = Vec::new();
    for b in &m.index.behaviours {
        let expanded = m.macros.expand(&b.name);
        match &expanded.kind {
            ExprKind::Atom(a) => out.push(a.clone()),
            ExprKind::Conditional(alts) => out.extend(
                alts.iter()
                    .filter_map(|a| a.expr.as_atom().map(str::to_owned)),
            ),
            _ => {}
        }
    }
    out
}

/// An expression shortened for a message.
pub(crate) fn short(e: &crate::syntax::Expr) -> String {
    let s = e.to_string();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 40 {
        let cut: String = s.chars().take(37).collect();
        format!("{cut}...")
    } else {
        s
    }
}
