//! ## What it does
//!
//! Compares each child spec's `type` with what its start function really
//! starts, followed by the supervision evaluator from the `start` MFA to
//! the OTP start call: a child typed `worker` (also by default, when a
//! map leaves `type` out) whose start function starts a supervisor
//! (`supervisor:start_link`, or a module declaring
//! `-behaviour(supervisor)`), and a child typed `supervisor` whose start
//! function starts a `gen_server`, `gen_statem`, `gen_fsm` or `gen_event`
//! manager. Start functions that cannot be followed, `supervisor_bridge`
//! processes and hand-written `proc_lib` processes are not judged. A
//! `type` that differs between branches is not checked; a child that
//! exists only on some branches is, and the finding notes the condition.
//!
//! ## Why is this bad?
//!
//! `type` is not decoration. Release upgrades (`release_handler`) walk the
//! tree through the children typed `supervisor`, calling
//! `supervisor:which_children/1` on them: a supervisor typed `worker` hides
//! its whole subtree from the upgrade, whose processes then keep running
//! old code, and a `gen_server` typed `supervisor` receives a call it does
//! not understand and the upgrade fails. The map form's `shutdown` default
//! follows the type too: a supervisor typed `worker` gets 5000 ms instead
//! of `infinity`, and can be killed while stopping its children.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     {ok, {#{strategy => one_for_one},
//!           [#{id => conn_sup, start => {conn_sup, start_link, []}}]}}.   % type defaults to worker
//! ```
//!
//! ## How to fix
//!
//! Write the type that matches the process:
//!
//! ```erlang
//!           [#{id => conn_sup, start => {conn_sup, start_link, []}, type => supervisor}]
//! ```

use crate::diagnostic::Severity;
use crate::graph::supervision::value::StartKind;
use crate::graph::supervision::{ChildType, FieldValue, TreeNode};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};

use super::{finding_at, init_name, linted_supervisors, presence_note, settled, Once};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP009",
    name: "child-type-mismatch",
    default_severity: Severity::Warning,
    source: include_str!("child_type_mismatch.rs"),
    check: Some(check),
    reads_supervisors: true,
    finds: "type `worker` for a child whose start function starts a supervisor, type `supervisor` for one that starts a gen_server, gen_statem, gen_fsm or gen_event",
};

/// The OTP start call, when a child's start function starts a process of
/// a behaviour that is never a supervisor.
pub(crate) fn starts_a_worker(c: &TreeNode) -> Option<&str> {
    let p = c.started.process.as_ref()?;
    match p.kind {
        StartKind::GenServer | StartKind::GenStatem | StartKind::GenFsm | StartKind::GenEvent => {
            Some(&p.call)
        }
        _ => None,
    }
}

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut once = Once::default();
    for s in linted_supervisors(cx) {
        for c in &s.node.children {
            let Some(spec) = &c.spec else { continue };
            if !settled(&spec.child_type) {
                continue;
            }
            // For people: parts of the start and id not known as `…`, not `?`.
            let start = c.start.as_deref().map_or_else(
                || "its start function".to_owned(),
                crate::graph::supervision::words::call_text,
            );
            let id = crate::graph::supervision::words::term_text(&c.id);
            let (message, fix) = match spec.child_type.get() {
                Some(ChildType::Worker) if c.started.is_supervisor() => {
                    let how = match &spec.child_type.value {
                        FieldValue::Default(_) => "typed worker (the default: `type` is left out)",
                        _ => "typed worker",
                    };
                    (
                        format!(
                            "child `{}` of {} is {how}, but {start} starts the supervisor {}",
                            id,
                            init_name(s),
                            c.started.callback.as_deref().unwrap_or("?"),
                        ),
                        "write `type => supervisor` (and `shutdown => infinity`)",
                    )
                }
                Some(ChildType::Supervisor) => {
                    let Some(call) = starts_a_worker(c) else {
                        continue;
                    };
                    (
                        format!(
                            "child `{}` of {} is typed supervisor, but {start} starts a {} \
                             ({call})",
                            id,
                            init_name(s),
                            c.started.behaviour.as_deref().unwrap_or("worker"),
                        ),
                        "write `type => worker` and a finite shutdown",
                    )
                }
                _ => continue,
            };
            let Some(mut f) = finding_at(
                cx,
                &RULE,
                &[
                    spec.child_type.loc.as_ref(),
                    spec.loc.as_ref(),
                    c.loc.as_ref(),
                ],
                message,
            ) else {
                continue;
            };
            f.notes.extend(presence_note(c));
            f.fix = Some(fix.to_owned());
            once.push(out, "", f);
        }
    }
}
