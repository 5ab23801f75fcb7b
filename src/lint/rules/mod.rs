//! The rules, one file each. A rule file starts with its documentation
//! (the `//!` comment, from which `docs/rules/<name>.md` is generated) and
//! defines `RULE` and the function that checks it.
//!
//! Every file here but this one is a rule. The module list and [`ALL`]
//! between the `rules:start`/`rules:end` comments are generated from the
//! files of this folder: `tests/lint_docs.rs` fails when they are stale
//! and `OTPMAP_BLESS=1 cargo test --test lint_docs` rewrites them, so no
//! list is edited by hand (docs/architecture.md, "Where things go").

// rules:start (generated: OTPMAP_BLESS=1 cargo test --test lint_docs)
pub(crate) mod blocking_init;
pub(crate) mod child_type_mismatch;
pub(crate) mod duplicate_child_id;
pub(crate) mod infinity_call_timeout;
pub(crate) mod invalid_child_spec;
pub(crate) mod missing_app_dependency;
pub(crate) mod simple_one_for_one_spec_count;
pub(crate) mod start_order;
pub(crate) mod supervisor_shutdown;
pub(crate) mod unused_suppression;

/// Every rule, in code order.
pub(crate) static ALL: &[&RuleMeta] = &[
    &blocking_init::RULE,
    &infinity_call_timeout::RULE,
    &missing_app_dependency::RULE,
    &unused_suppression::RULE,
    &duplicate_child_id::RULE,
    &simple_one_for_one_spec_count::RULE,
    &invalid_child_spec::RULE,
    &supervisor_shutdown::RULE,
    &child_type_mismatch::RULE,
    &start_order::RULE,
];
// rules:end

use std::collections::HashSet;

use crate::graph::supervision::specs::SupervisorSpecs;
use crate::graph::supervision::{Field, Loc, TreeNode};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};
use crate::syntax::Span;

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

/// The supervisors the child-spec rules check: those whose callback
/// module is linted (not a test, an example or a fetched dependency).
fn linted_supervisors<'a>(cx: &'a Context<'_>) -> Vec<&'a SupervisorSpecs> {
    let linted: HashSet<&str> = cx.lint_modules().map(|m| m.name.as_str()).collect();
    cx.supervisors()
        .iter()
        .filter(|s| linted.contains(s.module.as_str()))
        .collect()
}

/// A finding at the first of `locs` that is in a project file (a module or
/// a header), spanning the value written there.
fn finding_at(
    cx: &Context<'_>,
    rule: &'static RuleMeta,
    locs: &[Option<&Loc>],
    message: String,
) -> Option<Finding> {
    let loc = locs.iter().flatten().next()?;
    let file = crate::lint::source::source_file(cx.project, &loc.file)?;
    let span = Span::new(0, loc.end, loc.line, loc.column);
    // An end before the start would be a location from another file (a
    // function defined in a header): point at the start only.
    let end_ok = loc.end > 0 && file.position(loc.end) > (loc.line, loc.column);
    Some(if end_ok {
        Finding::new(rule, file, span, message)
    } else {
        Finding::at_line(rule, &loc.file, loc.line, loc.column, message)
    })
}

/// A field's value is checked only when it is the same on every branch:
/// a value that is not known, or that holds in the default build only
/// (an env default, an `-ifdef`), is left alone.
fn settled<T>(f: &Field<T>) -> bool {
    f.condition.is_none() && f.unresolved().is_none()
}

/// For a child that exists only on some branches: the condition, for a
/// finding's notes.
fn presence_note(child: &TreeNode) -> Option<String> {
    if child.presence.is_always() {
        return None;
    }
    let build = match child.presence.default() {
        Some(true) => "; it is in the default build",
        Some(false) => "; it is not in the default build",
        None => "",
    };
    Some(format!(
        "this child exists only when {}{build}",
        child.presence.text()
    ))
}

/// The supervisor a child spec belongs to, for messages: `courier_sup:init/1`.
fn init_name(s: &SupervisorSpecs) -> String {
    format!("{}:init/1", crate::syntax::print::atom_text(&s.module))
}

/// Findings of one rule, one per place and kind: a spec written once but
/// evaluated for many children (a comprehension, a macro, a fun) is
/// reported once, at the place it is written.
#[derive(Default)]
struct Once {
    seen: HashSet<(String, u32, u32, &'static str)>,
}

impl Once {
    /// Pushes `f` unless a finding of the same `kind` is already at its place.
    fn push(&mut self, out: &mut Vec<Finding>, kind: &'static str, f: Finding) {
        if self.seen.insert((f.file.clone(), f.line, f.column, kind)) {
            out.push(f);
        }
    }
}
