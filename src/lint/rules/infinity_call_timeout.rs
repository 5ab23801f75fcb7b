//! ## What it does
//!
//! Finds synchronous calls to a process with the timeout `infinity`:
//! `gen_server:call/3`, `gen_statem:call/3` (also `{dirty_timeout,
//! infinity}` and `{clean_timeout, infinity}`), `gen_fsm:sync_send_event/3`,
//! `gen_fsm:sync_send_all_state_event/3` and `gen_event:call/4`, anywhere in
//! the project's application code.
//!
//! ## Why is this bad?
//!
//! The timeout of a call is its back-pressure bound. With `infinity`, a
//! server that is stuck, slow or overloaded makes every caller wait
//! forever, and the callers' own callers after them: one blocked process
//! freezes a whole chain of them, and nothing crashes to tell you. Called
//! from `init/1`, it stalls the boot. The default timeout, 5 seconds, turns
//! the same situation into an exit that supervisors and logs can see.
//!
//! ## Example
//!
//! ```erlang
//! lookup(Key) ->
//!     gen_server:call(cache, {lookup, Key}, infinity).
//! ```
//!
//! ## How to fix
//!
//! Give a finite timeout that fits the work (or leave the default) and
//! decide what a timeout means for the caller:
//!
//! ```erlang
//! lookup(Key) ->
//!     gen_server:call(cache, {lookup, Key}, 2000).
//! ```
//!
//! For long work, reply later with `gen_server:reply/2` and have the caller
//! use `gen_server:send_request/2` with a deadline. Where waiting forever is
//! the design (a call into your own supervisor during shutdown), suppress
//! the finding with a reason: `%% otpmap:ignore infinity-call-timeout <reason>`.
//! The rule is `info` by default: raise it with
//! `{rules, [{'infinity-call-timeout', warning}]}`.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::graph::calls::Mfa;
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};
use crate::syntax::{walk_function, Expr, ExprKind, Walk};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP002",
    name: "infinity-call-timeout",
    default_severity: Severity::Info,
    source: include_str!("infinity_call_timeout.rs"),
    check: Some(check),
    reads_supervisors: false,
    finds: "`gen_server:call`/`gen_statem:call` with the timeout `infinity`",
};

/// Calls whose last argument is the timeout: (module, function, arity).
const CALLS: &[(&str, &str, usize)] = &[
    ("gen_server", "call", 3),
    ("gen_statem", "call", 3),
    ("gen_fsm", "sync_send_event", 3),
    ("gen_fsm", "sync_send_all_state_event", 3),
    ("gen_event", "call", 4),
];

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let modules: Vec<_> = cx.lint_modules().collect();
    let infinity = memchr::memmem::Finder::new("infinity");
    let found: Vec<Finding> = modules
        .par_iter()
        .with_max_len(crate::syntax::FILES_PER_JOB)
        .flat_map_iter(|m| {
            let text = &m.index.file.text;
            let mut found = Vec::new();
            // Where `infinity` is written: most modules never, most
            // functions of the others neither.
            let at: Vec<usize> = infinity.find_iter(text.as_bytes()).collect();
            if at.is_empty() {
                return found;
            }
            // A listed call names its module (`gen_server`, ...) in the
            // function's text, or through a macro that names it.
            let mut macros_name_gen = None;
            let mut seen = HashSet::new();
            for entry in &m.index.functions {
                let span = entry.range();
                let first = at.partition_point(|&i| i < span.start);
                let end = at.get(first).map(|&i| i + "infinity".len());
                if end.is_none_or(|end| end > span.end) {
                    continue;
                }
                let body = text.get(span).unwrap_or("");
                let may_call = body.contains("gen_")
                    || (body.contains('?')
                        && *macros_name_gen.get_or_insert_with(|| {
                            m.macros.defines().any(|d| d.raw_body().contains("gen_"))
                        }));
                if !may_call || !seen.insert((entry.name(), entry.arity)) {
                    continue;
                }
                let mfa = Mfa::new(&m.name, entry.name(), entry.arity);
                let Some(f) = cx.code.function(&mfa) else {
                    continue;
                };
                walk_function(&f.function, &mut |e, _| {
                    if let Some((name, timeout)) = infinite_call(e) {
                        let mut finding = Finding::new(
                            &RULE,
                            &m.index.file,
                            timeout.span,
                            format!(
                                "`{name}` with timeout `infinity`: the caller waits forever if \
                                 the process is stuck, slow or overloaded (no back-pressure bound)"
                            ),
                        );
                        finding.fix = Some(
                            "give a finite timeout (the default is 5000 ms) and handle the \
                             timeout exit"
                                .to_owned(),
                        );
                        found.push(finding);
                    }
                    Walk::Continue
                });
            }
            found
        })
        .collect();
    out.extend(found);
}

/// A listed call with an infinite timeout: its name and the timeout argument.
fn infinite_call(e: &Expr) -> Option<(String, &Expr)> {
    let ExprKind::Call {
        module: Some(m),
        function,
        args,
    } = &e.kind
    else {
        return None;
    };
    let (m, f) = (m.as_atom()?, function.as_atom()?);
    let &(_, _, arity) = CALLS
        .iter()
        .find(|(cm, cf, ca)| *cm == m && *cf == f && *ca == args.len())?;
    let timeout = &args[arity - 1];
    let infinite = match &timeout.kind {
        ExprKind::Atom(a) => a == "infinity",
        // gen_statem's {dirty_timeout, T} and {clean_timeout, T}.
        ExprKind::Tuple(t) if m == "gen_statem" => {
            t.len() == 2
                && matches!(t[0].as_atom(), Some("dirty_timeout" | "clean_timeout"))
                && t[1].as_atom() == Some("infinity")
        }
        _ => false,
    };
    infinite.then(|| (format!("{m}:{f}/{}", args.len()), timeout))
}
