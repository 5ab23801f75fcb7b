//! ## What it does
//!
//! Finds `simple_one_for_one` supervisors whose `init/1` returns no child
//! spec, or more than one. The strategy and the list are read with the
//! supervision evaluator (sup flags in the tuple or the map form, lists
//! built by macros, functions and comprehensions over known lists).
//! Children that exist only on some branches count as possibly absent:
//! the rule reports a list that has more than one spec on every branch,
//! or none on any. A list whose length is not known statically (a
//! comprehension over a list known only at run time) is not checked.
//!
//! ## Why is this bad?
//!
//! A `simple_one_for_one` supervisor starts no child of its own: its one
//! child spec is the template from which `supervisor:start_child/2` starts
//! every instance. With an empty list or several specs,
//! `supervisor:start_link` returns `{error, {bad_start_spec, Specs}}` and
//! the node does not boot.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     {ok, {#{strategy => simple_one_for_one},
//!           [#{id => conn, start => {conn, start_link, []}},
//!            #{id => conn_monitor, start => {conn_monitor, start_link, []}}]}}.
//! ```
//!
//! ## How to fix
//!
//! Keep the template only, and move the other children to a supervisor of
//! another strategy (often the parent of this one):
//!
//! ```erlang
//! init([]) ->
//!     {ok, {#{strategy => simple_one_for_one},
//!           [#{id => conn, start => {conn, start_link, []}}]}}.
//! ```

use crate::diagnostic::Severity;
use crate::graph::supervision::Strategy;
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};

use super::{finding_at, init_name, linted_supervisors, settled, Once};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP006",
    name: "simple-one-for-one-spec-count",
    default_severity: Severity::Error,
    source: include_str!("simple_one_for_one_spec_count.rs"),
    check: Some(check),
    reads_supervisors: true,
    finds: "a `simple_one_for_one` supervisor with no child spec or more than one",
};

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut once = Once::default();
    for s in linted_supervisors(cx) {
        let Some(flags) = &s.node.flags else { continue };
        if flags.strategy.get() != Some(&Strategy::SimpleOneForOne) || !settled(&flags.strategy) {
            continue;
        }
        let children = &s.node.children;
        // A list of unknown length: a computed template or a value that
        // is not known.
        if children
            .iter()
            .any(|c| c.computed.is_some() || (c.spec.is_none() && c.not_a_spec.is_none()))
        {
            continue;
        }
        // init/1 not read, or returning nothing usable.
        if !s.node.problems.is_empty() {
            continue;
        }
        let always = children.iter().filter(|c| c.presence.is_always()).count();
        let (message, locs) = if children.is_empty() {
            (
                format!(
                    "simple_one_for_one supervisor {} returns no child spec; it needs exactly \
                     one, the template of its children (supervisor:start_link returns \
                     {{error, {{bad_start_spec, []}}}})",
                    init_name(s)
                ),
                vec![flags.strategy.loc.as_ref(), flags.loc.as_ref()],
            )
        } else if always > 1 {
            let second = children.iter().filter(|c| c.presence.is_always()).nth(1);
            (
                format!(
                    "simple_one_for_one supervisor {} returns {always} child specs; it takes \
                     exactly one, the template of its children (supervisor:start_link returns \
                     {{error, {{bad_start_spec, Specs}}}})",
                    init_name(s)
                ),
                vec![
                    second.and_then(|c| c.spec.as_ref().and_then(|x| x.loc.as_ref())),
                    second.and_then(|c| c.loc.as_ref()),
                    flags.strategy.loc.as_ref(),
                ],
            )
        } else {
            continue;
        };
        if let Some(mut f) = finding_at(cx, &RULE, &locs, message) {
            f.fix = Some(
                "keep one child spec (the template) and move the others to a supervisor of \
                 another strategy"
                    .to_owned(),
            );
            once.push(out, "", f);
        }
    }
}
