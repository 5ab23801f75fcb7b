//! ## What it does
//!
//! Finds an `init/1` that makes a synchronous call to a registered process
//! the boot has not started yet when that `init/1` runs: a younger
//! sibling, a supervisor above it, or a process of an application started
//! after its own or not first.
//!
//! The calls are `gen_server:call`, `gen_statem:call`, `gen_event:call`,
//! `gen_fsm:sync_send_event`, also made through an API function such as
//! `db:lookup(Key)`, to an atom or `{global, Name}`. Not started yet is:
//!
//! - a process the same supervision tree starts later (a younger sibling,
//!   a younger sibling of an ancestor, a child of the caller);
//! - a supervisor above the caller: it is registered, but still in its own
//!   `init/1` starting its children, so it cannot answer;
//! - a process of another application that is not started first: one
//!   that starts after the caller's application in a release's boot
//!   order, or that a release does not start; without a release, one
//!   whose application is not in the caller's `applications` (directly
//!   or through them).
//!
//! The order is read from the supervision trees `otpmap tree` draws and
//! from each release's boot order (`otpmap deps`). A call to a process
//! started *before* the caller (an older sibling, an ancestor's older
//! sibling, an application in `applications`, or one every release
//! starts earlier) is safe, and not a `blocking-init` warning either
//! (`--show-safe` lists those as infos, with the reason). A call whose
//! target the trees do not place (a pid in a variable, a name no tree
//! registers, a process started only at run time) is left to
//! `blocking-init`. So is a call from an `init/1` that runs only at run
//! time (a `simple_one_for_one` instance): by then the boot is done.
//!
//! ## Why is this bad?
//!
//! A process that is not started yet has no registered name: the call
//! exits at once with `noproc`, `init/1` crashes, and so does the
//! supervisor starting it: the application does not start and the boot
//! fails, on every boot. A call to a supervisor above the caller waits
//! for the call's timeout (forever with `infinity`), then crashes the
//! same way. The code may work in a shell, where everything was started
//! by hand, and in tests that start the processes in another order.
//!
//! ## Example
//!
//! ```erlang
//! %% shop_sup: the cache is started before the price server it calls.
//! init([]) ->
//!     {ok, {#{strategy => one_for_one},
//!           [#{id => cache, start => {cache, start_link, []}},
//!            #{id => prices, start => {prices, start_link, []}}]}}.
//!
//! %% cache.erl
//! init([]) ->
//!     Rates = gen_server:call(prices, rates),
//!     {ok, #{rates => Rates}}.
//! ```
//!
//! is reported as
//!
//! ```text
//! error[OTP010] start-order: init/1 of gen_server `cache` calls `prices` (gen_server:call/2), which app `shop` starts after it, as child `prices` of `shop_sup` at src/shop_sup.erl:5: `prices` is not registered yet, so the call exits with noproc and the boot fails
//! ```
//!
//! ## How to fix
//!
//! Start the called process first: move its child spec before the
//! caller's, or list its application in the caller's `applications` in
//! the `.app.src` (then every release starts it first). If the two must
//! start in this order, make the call after `init/1`: return
//! `{ok, State, {continue, post_init}}` and call in `handle_continue/2`.
//! A call to a supervisor above the caller cannot be made during the
//! boot at all: pass what the caller needs as a start argument.

use std::collections::BTreeMap;

use super::blocking_init::ProcessCall;
use crate::diagnostic::Severity;
use crate::lint::boot_path::{registered_shown, Later, Verdict};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{ChainEntry, Context, Finding};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP010",
    name: "start-order",
    default_severity: Severity::Error,
    source: include_str!("start_order.rs"),
    check: Some(check),
    reads_supervisors: false,
    finds: "a synchronous call from `init/1` to a registered process the boot has not started yet (a younger sibling, a supervisor above, an application started later or not first)",
};

/// Runs the rule: one finding per call, at the `init/1` with the shortest
/// chain to it; the others reaching it are named in a note.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let walked = cx.init_walk();
    type Key = (String, usize, usize);
    let mut by_call: BTreeMap<Key, Vec<(ProcessCall<'_>, Later)>> = BTreeMap::new();
    for (call, verdict) in walked.process_calls(cx) {
        let Verdict::Later(later) = verdict else {
            continue;
        };
        let here = call.chain.last().map_or(call.root, |s| &s.function);
        let key = (
            here.module.clone(),
            call.expr.span.start as usize,
            call.expr.span.end as usize,
        );
        by_call.entry(key).or_default().push((call, later));
    }
    for (_, mut group) in by_call {
        group.sort_by(|a, b| (a.0.chain.len(), a.0.root).cmp(&(b.0.chain.len(), b.0.root)));
        let Some((call, later)) = group.first() else {
            continue;
        };
        let Some(mut f) = finding(cx, call, later) else {
            continue;
        };
        let others: Vec<String> = group[1..].iter().map(|(c, _)| c.root.to_string()).collect();
        if !others.is_empty() {
            const SHOWN: usize = 5;
            let more = match others.len().saturating_sub(SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            let shown: Vec<&str> = others.iter().take(SHOWN).map(String::as_str).collect();
            f.notes
                .push(format!("also reached from {}{more}", shown.join(", ")));
        }
        out.push(f);
    }
}

/// The process a call names, as messages show it.
fn registered_shown_of(call: &ProcessCall<'_>) -> Option<String> {
    call.to.and_then(registered_shown)
}

fn finding(cx: &Context<'_>, call: &ProcessCall<'_>, later: &Later) -> Option<Finding> {
    let here = call.chain.last().map_or(call.root, |s| &s.function);
    let module = cx.code.module(&here.module)?;
    let to = registered_shown_of(call)?;
    let what = if later.registered {
        "the call waits for its timeout, then init/1 crashes and the boot fails".to_owned()
    } else {
        format!("`{to}` is not registered yet, so the call exits with noproc and the boot fails")
    };
    // "in init/1 of gen_server `x`" reads "init/1 of gen_server `x`" here.
    let of = call
        .root_text
        .strip_prefix("in ")
        .unwrap_or(&call.root_text);
    let message = format!("{of} calls `{to}` ({}), {}: {what}", call.callee, later.why);
    let mut f = Finding::new(&RULE, &module.index.file, call.expr.span, message);
    f.chain = call.chain.iter().map(ChainEntry::from_step).collect();
    let mut steps: Vec<String> = call.chain.iter().map(|s| s.function.to_string()).collect();
    steps.push(call.callee.to_owned());
    if steps.len() > 2 {
        f.notes
            .push(format!("reached through {}", steps.join(" -> ")));
    }
    f.fix = Some(if later.registered {
        format!(
            "do not call a supervisor above `{}` during the boot: pass what init/1 needs \
             as a start argument",
            call.root.module
        )
    } else {
        format!(
            "start `{to}` before `{}` (move its child spec earlier, or list its \
             application in `applications`), or make the call after init/1 \
             (`{{continue, post_init}}`)",
            call.root.module
        )
    });
    Some(f)
}
