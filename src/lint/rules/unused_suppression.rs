//! ## What it does
//!
//! Reports `%% otpmap:ignore RULE reason` comments that suppress nothing:
//! the rule they name found nothing on the line below them, or they name
//! no rule, or a rule that does not exist. A suppression of a rule that did
//! not run (disabled in the configuration, or left out with `--select` /
//! `--ignore`) is not reported.
//!
//! ## Why is this bad?
//!
//! A suppression is a claim that a finding is understood and accepted.
//! Once the code under it changes, the claim is stale: it hides nothing
//! today, and tomorrow it may hide a new, real finding on that line that
//! nobody reviewed. A misspelt rule name suppresses nothing at all.
//!
//! ## Example
//!
//! ```erlang
//! init([]) ->
//!     %% otpmap:ignore blocking-init the registry is local
//!     {ok, #{}}.
//! ```
//!
//! ## How to fix
//!
//! Remove the comment, or move it to the line before the finding it is
//! meant for, or correct the rule's name (`otpmap lint --list-rules`).

use crate::diagnostic::Severity;
use crate::lint::registry::RuleMeta;

/// The rule. The lint engine makes its findings (see `lint::suppression::apply`).
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP004",
    name: "unused-suppression",
    default_severity: Severity::Warning,
    source: include_str!("unused_suppression.rs"),
    check: None,
    reads_supervisors: false,
    finds: "`otpmap:ignore` comments that suppress nothing",
};
