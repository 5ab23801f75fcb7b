//! ## What it does
//!
//! Finds two child specs with the same `id` in the list a supervisor's
//! `init/1` returns (or that its start function adds with
//! `supervisor:start_child/2` while starting). Specs are read with the
//! supervision evaluator, so ids built by macros, local functions and list
//! comprehensions over known lists count, in both the tuple and the map
//! form. Two children that exist on different branches (one under
//! `-ifdef(TEST)`, the other under `-else`) are not a duplicate; a child
//! on a branch and one that is always there are, and the finding notes
//! the condition.
//!
//! ## Why is this bad?
//!
//! A supervisor identifies its children by id. With two equal ids, it
//! refuses the whole list: `supervisor:start_link` returns
//! `{error, {start_spec, {duplicate_child_name, Id}}}`, the supervisor's
//! own parent fails to start it, and the node does not boot. A copied child spec or a
//! `?CHILD(Mod)` macro used twice for the same module is the usual cause.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     {ok, {#{strategy => one_for_one},
//!           [#{id => worker, start => {pool_worker, start_link, [a]}},
//!            #{id => worker, start => {pool_worker, start_link, [b]}}]}}.
//! ```
//!
//! ## How to fix
//!
//! Give every child its own id (any term: `{worker, a}` works):
//!
//! ```erlang
//!           [#{id => {worker, a}, start => {pool_worker, start_link, [a]}},
//!            #{id => {worker, b}, start => {pool_worker, start_link, [b]}}]
//! ```
//!
//! Ids that are not statically known (computed at run time) are not
//! compared.

use crate::diagnostic::Severity;
use crate::graph::supervision::{FieldValue, TreeNode};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};

use super::{finding_at, init_name, linted_supervisors, presence_note, Once};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP005",
    name: "duplicate-child-id",
    default_severity: Severity::Error,
    source: include_str!("duplicate_child_id.rs"),
    check: Some(check),
    reads_supervisors: true,
    finds: "two child specs with the same id in one supervisor",
};

/// The id of a child when it is written (or computed) and known, and the
/// child is one child (not a template for a computed list).
fn known_id(c: &TreeNode) -> Option<&str> {
    let spec = c.spec.as_ref()?;
    if c.computed.is_some() {
        return None;
    }
    match &spec.id.value {
        FieldValue::Given(id) if spec.id.condition.is_none() => Some(id),
        _ => None,
    }
}

/// Whether two children can be in the list at once: one of them is always
/// there, or both are there under the same conditions. Children of
/// different branches are not compared (their conditions may exclude each
/// other).
fn together(a: &TreeNode, b: &TreeNode) -> bool {
    a.presence.is_always() || b.presence.is_always() || a.presence == b.presence
}

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut once = Once::default();
    for s in linted_supervisors(cx) {
        let children = &s.node.children;
        for (j, c) in children.iter().enumerate() {
            let Some(id) = known_id(c) else { continue };
            let Some((i, first)) = children[..j]
                .iter()
                .enumerate()
                .find(|(_, p)| known_id(p) == Some(id) && together(p, c))
            else {
                continue;
            };
            let spec = c.spec.as_ref();
            let at = first
                .spec
                .as_ref()
                .and_then(|f| f.id.loc.as_ref().or(f.loc.as_ref()))
                .or(first.loc.as_ref())
                .map_or_else(String::new, |l| format!(" at {l}"));
            let id = crate::graph::supervision::words::term_text(id);
            let message = format!(
                "duplicate child id `{id}` in {}: child #{} has the same id (#{}{at}); the \
                 supervisor fails to start with {{duplicate_child_name, {id}}}",
                init_name(s),
                j + 1,
                i + 1,
            );
            let Some(mut f) = finding_at(
                cx,
                &RULE,
                &[
                    spec.and_then(|x| x.id.loc.as_ref()),
                    spec.and_then(|x| x.loc.as_ref()),
                    c.loc.as_ref(),
                ],
                message,
            ) else {
                continue;
            };
            f.notes.extend(presence_note(c));
            f.fix = Some("give each child spec its own id".to_owned());
            once.push(out, "", f);
        }
    }
}
