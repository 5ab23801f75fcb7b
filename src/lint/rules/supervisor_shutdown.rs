//! ## What it does
//!
//! Finds child specs of type `supervisor` whose `shutdown` is
//! `brutal_kill` or a number of milliseconds instead of `infinity`, in
//! what a supervisor's `init/1` returns (and in the specs its start
//! function adds while starting), read with the supervision evaluator.
//! The map form's default for a supervisor child is `infinity` and is
//! never reported. A `shutdown` or `type` that differs between branches,
//! or is not statically known, is not checked; a child that exists only on
//! some branches is, and the finding notes the condition. A child typed
//! `supervisor` whose start function starts a `gen_server`, `gen_statem`,
//! `gen_fsm` or `gen_event` is left to `child-type-mismatch`: there the
//! type is what is wrong.
//!
//! ## Why is this bad?
//!
//! To stop a child supervisor, its parent sends it an exit signal and
//! waits `shutdown`; the child supervisor then stops its own children one
//! by one, each with its own `shutdown`. A finite timeout on the child
//! supervisor can run out while its children are still stopping: the
//! parent kills it, and its children are left to die from the broken links
//! without their `terminate/2` running to the end (the OTP documentation:
//! the shutdown time of a supervisor child "must be set to infinity").
//! `brutal_kill` does the same at once.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     {ok, {{one_for_one, 5, 10},
//!           [{conn_sup, {conn_sup, start_link, []}, permanent, 5000, supervisor, [conn_sup]}]}}.
//! ```
//!
//! ## How to fix
//!
//! Give supervisor children `infinity` (bound the time of each worker
//! instead, in its own spec):
//!
//! ```erlang
//!           [{conn_sup, {conn_sup, start_link, []}, permanent, infinity, supervisor, [conn_sup]}]
//! ```

use crate::diagnostic::Severity;
use crate::graph::supervision::{ChildType, Shutdown};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};

use super::{finding_at, init_name, linted_supervisors, presence_note, settled, Once};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP008",
    name: "supervisor-shutdown",
    default_severity: Severity::Warning,
    source: include_str!("supervisor_shutdown.rs"),
    check: Some(check),
    reads_supervisors: true,
    finds: "`brutal_kill` or a finite shutdown for a child of type `supervisor`",
};

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut once = Once::default();
    for s in linted_supervisors(cx) {
        for c in &s.node.children {
            let Some(spec) = &c.spec else { continue };
            if spec.child_type.get() != Some(&ChildType::Supervisor)
                || !settled(&spec.child_type)
                || !settled(&spec.shutdown)
                || super::child_type_mismatch::starts_a_worker(c).is_some()
            {
                continue;
            }
            let what = match spec.shutdown.get() {
                Some(Shutdown::BrutalKill) => {
                    "`brutal_kill` kills it at once, before it can stop its own children".to_owned()
                }
                Some(Shutdown::Timeout(ms)) => format!(
                    "a shutdown of {ms} ms can run out while it is still stopping its own \
                     children, and then it is killed"
                ),
                _ => continue,
            };
            let message = format!(
                "supervisor child `{}` of {} has shutdown `{}`: {what}; a supervisor child's \
                 shutdown should be infinity",
                crate::graph::supervision::words::term_text(&c.id),
                init_name(s),
                spec.shutdown.raw.as_deref().unwrap_or("?"),
            );
            let Some(mut f) = finding_at(
                cx,
                &RULE,
                &[
                    spec.shutdown.loc.as_ref(),
                    spec.loc.as_ref(),
                    c.loc.as_ref(),
                ],
                message,
            ) else {
                continue;
            };
            f.notes.extend(presence_note(c));
            f.fix = Some(
                "use `infinity` for a supervisor child; bound each worker's shutdown in its own \
                 spec"
                    .to_owned(),
            );
            once.push(out, "", f);
        }
    }
}
