//! ## What it does
//!
//! Finds child specs and supervisor flags that OTP's supervisor refuses,
//! so that it does not start: bad `restart`, `shutdown`, `type`, `start`
//! or `modules` values, maps without `id` or `start`, values that are no
//! child spec, and bad strategies, intensities and periods.
//!
//! It reads what a supervisor's `init/1` returns (and the specs its start
//! function adds with `supervisor:start_child/2` while starting) with the
//! supervision evaluator, in both the tuple and the map form, and reports:
//!
//! - a child that is no child spec: a tuple of another size than six, an
//!   atom, a list;
//! - a map without `id` or without `start`;
//! - `start` that is not `{Module, Function, Args}` with atoms and a list;
//! - `restart` other than `permanent`, `transient`, `temporary`;
//! - `shutdown` other than `brutal_kill`, `infinity` or an integer >= 0;
//! - `type` other than `worker`, `supervisor`;
//! - `modules` other than `dynamic` or a list of atoms;
//! - `significant` other than `true`, `false`, or `true` with `restart`
//!   `permanent`;
//! - a strategy other than `one_for_one`, `one_for_all`, `rest_for_one`,
//!   `simple_one_for_one`; an intensity that is no integer >= 0; a period
//!   that is no integer > 0; `auto_shutdown` other than `never`,
//!   `any_significant`, `all_significant`.
//!
//! The finding points at the offending value. Values that are not
//! statically known, and values that differ between branches (an env
//! default, an `-ifdef`), are not checked: the value the node will really
//! use is not known, and a wrong guess would be a false alarm on valid
//! code. A child that exists only on some branches is checked, and the
//! finding notes the condition. Map keys OTP does not know are ignored, as
//! OTP ignores them.
//!
//! ## Why is this bad?
//!
//! The supervisor checks every child spec and its flags before starting
//! anything. One bad value and `supervisor:start_link` returns
//! `{error, {start_spec, {invalid_restart_type, forever}}}` (or
//! `{error, {supervisor_data, {invalid_intensity, -1}}}`, ...): the
//! supervisor does not start, and neither does the node. A spelling
//! mistake in a rarely booted configuration is enough.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     {ok, {{one_for_one, 5, 10},
//!           [{cache, {cache, start_link, []}, permanant, 5000, worker, [cache]}]}}.
//! ```
//!
//! ## How to fix
//!
//! Use one of the values OTP accepts (here `permanent`). The map form,
//! with its defaults, leaves less to get wrong:
//!
//! ```erlang
//!           [#{id => cache, start => {cache, start_link, []}}]
//! ```

use crate::diagnostic::Severity;
use crate::graph::supervision::{Cond, Field, FieldValue, Form, RestartType, SupFlags, TreeNode};
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};

use super::{finding_at, init_name, linted_supervisors, presence_note, Once};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP007",
    name: "invalid-child-spec",
    default_severity: Severity::Error,
    source: include_str!("invalid_child_spec.rs"),
    check: Some(check),
    reads_supervisors: true,
    finds: "child spec and sup flags values OTP refuses (restart, shutdown, type, start, modules, significant; strategy, intensity, period, auto_shutdown), maps without `id` or `start`, values that are no child spec",
};

/// A field whose value is written, the same on every branch, and invalid.
fn invalid<T>(f: &Field<T>) -> Option<&str> {
    match (&f.value, &f.condition) {
        (FieldValue::Invalid, None) => f.raw.as_deref(),
        _ => None,
    }
}

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut once = Once::default();
    for s in linted_supervisors(cx) {
        let owner = init_name(s);
        let branches: Vec<(Option<&Cond>, &SupFlags)> = if s.node.branch_flags.is_empty() {
            s.node.flags.iter().map(|f| (None, f)).collect()
        } else {
            s.node
                .branch_flags
                .iter()
                .map(|(c, f)| (Some(c), f))
                .collect()
        };
        for (cond, flags) in branches {
            for (kind, mut f) in check_flags(cx, &owner, flags) {
                if let Some(c) = cond.filter(|c| !c.text.is_empty()) {
                    f.notes
                        .push(format!("these flags are returned only when {}", c.text));
                }
                once.push(out, kind, f);
            }
        }
        for c in &s.node.children {
            for (kind, mut f) in check_child(cx, &owner, c) {
                f.notes.extend(presence_note(c));
                once.push(out, kind, f);
            }
        }
    }
}

/// The findings of one set of sup flags, each with its kind.
fn check_flags(cx: &Context<'_>, owner: &str, flags: &SupFlags) -> Vec<(&'static str, Finding)> {
    let mut found = Vec::new();
    let checks: [(&str, Option<&str>, _, &str); 3] = [
        (
            "strategy",
            invalid(&flags.strategy),
            flags.strategy.loc.as_ref(),
            "one_for_one, one_for_all, rest_for_one or simple_one_for_one",
        ),
        (
            "intensity",
            invalid(&flags.intensity),
            flags.intensity.loc.as_ref(),
            "an integer >= 0",
        ),
        (
            "period",
            invalid(&flags.period),
            flags.period.loc.as_ref(),
            "an integer > 0 (seconds)",
        ),
    ];
    for (what, raw, loc, valid) in checks {
        let Some(raw) = raw else { continue };
        let message = format!(
                    "invalid {what} `{raw}` in the sup flags of {owner}: supervisor:start_link \
                     returns {{error, {{supervisor_data, {{invalid_{what}, {raw}}}}}}}; use {valid}"
                );
        if let Some(f) = finding_at(cx, &RULE, &[loc, flags.loc.as_ref()], message) {
            found.push((what, f));
        }
    }
    let auto = &flags.auto_shutdown;
    if let (FieldValue::Given(v), None) = (&auto.value, &auto.condition) {
        if !matches!(v.as_str(), "never" | "any_significant" | "all_significant") {
            let raw = auto.raw.as_deref().unwrap_or(v);
            let message = format!(
                "invalid auto_shutdown `{raw}` in the sup flags of {owner}: \
                         supervisor:start_link returns {{error, {{supervisor_data, \
                         {{invalid_auto_shutdown, {raw}}}}}}}; use never, any_significant or \
                         all_significant"
            );
            if let Some(f) =
                finding_at(cx, &RULE, &[auto.loc.as_ref(), flags.loc.as_ref()], message)
            {
                found.push(("auto_shutdown", f));
            }
        }
    }
    found
}

/// The findings of one child, each with its kind.
fn check_child(cx: &Context<'_>, owner: &str, c: &TreeNode) -> Vec<(&'static str, Finding)> {
    let mut found = Vec::new();
    let mut add = |kind: &'static str, f: Option<Finding>| found.extend(f.map(|f| (kind, f)));
    if let Some(reason) = &c.not_a_spec {
        let message = format!(
            "{reason} in the child list of {owner}: supervisor:start_link returns \
             {{error, {{start_spec, {{invalid_child_spec, ...}}}}}}; a child spec is a map with \
             `id` and `start`, or a tuple of six"
        );
        add(
            "not_a_spec",
            finding_at(cx, &RULE, &[c.loc.as_ref()], message),
        );
    }
    let Some(spec) = &c.spec else {
        return found;
    };
    let at_spec = spec.loc.as_ref().or(c.loc.as_ref());
    if spec.form == Form::Map {
        for (key, field_raw) in [
            ("missing_id", &spec.id.raw),
            ("missing_start", &spec.start.raw),
        ] {
            if field_raw.is_none() {
                let message = format!(
                    "child spec map without `{}` in {owner}: supervisor:start_link returns \
                     {{error, {{start_spec, {key}}}}}",
                    &key["missing_".len()..]
                );
                add(key, finding_at(cx, &RULE, &[at_spec], message));
            }
        }
    }
    let fields: [(&str, Option<&str>, _, &str, &str); 6] = [
        (
            "start",
            invalid(&spec.start),
            spec.start.loc.as_ref(),
            "invalid_mfa",
            "{Module, Function, Args} with atoms and a list of arguments",
        ),
        (
            "restart",
            invalid(&spec.restart),
            spec.restart.loc.as_ref(),
            "invalid_restart_type",
            "permanent, transient or temporary",
        ),
        (
            "shutdown",
            invalid(&spec.shutdown),
            spec.shutdown.loc.as_ref(),
            "invalid_shutdown",
            "brutal_kill, infinity or a timeout in milliseconds (an integer >= 0)",
        ),
        (
            "type",
            invalid(&spec.child_type),
            spec.child_type.loc.as_ref(),
            "invalid_child_type",
            "worker or supervisor",
        ),
        (
            "modules",
            invalid(&spec.modules),
            spec.modules.loc.as_ref(),
            "invalid_modules",
            "dynamic or a list of module names",
        ),
        (
            "significant",
            invalid(&spec.significant),
            spec.significant.loc.as_ref(),
            "invalid_significant",
            "true or false",
        ),
    ];
    for (what, raw, loc, error, valid) in fields {
        let Some(raw) = raw else { continue };
        let message = format!(
            "invalid {what} `{raw}` in a child spec of {owner}: supervisor:start_link returns \
             {{error, {{start_spec, {{{error}, {raw}}}}}}}; use {valid}"
        );
        add(error, finding_at(cx, &RULE, &[loc, at_spec], message));
    }
    let significant = matches!(spec.significant.value, FieldValue::Given(true))
        && spec.significant.condition.is_none();
    let permanent = matches!(
        spec.restart.value,
        FieldValue::Given(RestartType::Permanent) | FieldValue::Default(RestartType::Permanent)
    ) && spec.restart.condition.is_none();
    if significant && permanent {
        let message = format!(
            "a permanent child cannot be significant, in a child spec of {owner}: \
             supervisor:start_link returns {{error, {{start_spec, {{bad_combination, ...}}}}}}; \
             make it transient or temporary, or not significant"
        );
        add(
            "bad_combination",
            finding_at(
                cx,
                &RULE,
                &[spec.significant.loc.as_ref(), at_spec],
                message,
            ),
        );
    }
    found
}
