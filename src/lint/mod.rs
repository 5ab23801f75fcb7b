//! The lint stage: rules over the project model, for people and CI.
//!
//! [`run`] reads the configuration ([`config`]), runs the enabled rules
//! ([`registry`], one file each under [`rules`]), applies per-path
//! settings and exclusions, removes suppressed findings and reports the
//! suppressions that suppressed nothing ([`suppression`]), and sorts the
//! result.

pub(crate) mod baseline;
mod boot_path;
pub(crate) mod build;
pub mod config;
pub(crate) mod fingerprint;
pub mod registry;
pub(crate) mod rules;
mod source;
pub(crate) mod statistics;
mod suppression;

use crate::diagnostic::{self, Diagnostic};
use crate::graph::calls::Code;
use crate::model::{is_test_path, Project, ToolConfig};
use config::LintConfig;
#[cfg(test)]
pub(crate) use registry::TestLint;
pub use registry::{ChainEntry, Finding};
use registry::{Context, RuleMeta};
pub(crate) use source::source_file;
use std::collections::HashMap;
use suppression::Suppression;

/// How to run the lint.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Run only these rules (names or codes); empty for all enabled.
    pub select: Vec<String>,
    /// Do not run these rules.
    pub ignore: Vec<String>,
    /// A configuration given on the command line; it applies to the whole
    /// project and wins over the files in the tree.
    pub extra_config: Option<ToolConfig>,
    /// What reading `extra_config`'s file reported: shown with the
    /// lint's other diagnostics.
    pub extra_config_diagnostics: Vec<Diagnostic>,
    /// Macros the build defines (`--define TEST`): code under
    /// `-ifdef(TEST)` is linted only then.
    pub defines: Vec<String>,
    /// Evaluation steps per value of a supervisor's `init/1`
    /// (`--max-steps`; `None`: the default).
    pub max_steps: Option<usize>,
    /// Report calls from `init/1` that the start order makes safe, as
    /// infos (`--show-safe`).
    pub show_safe: bool,
}

/// The result of a lint run.
#[derive(Debug, Clone)]
pub struct LintReport {
    /// Sorted by file, line, column, code.
    pub findings: Vec<Finding>,
    /// The project's diagnostics and the configuration's, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The rules that ran, in code order.
    pub rules: Vec<&'static RuleMeta>,
    /// The project's files that were not fully read (not read at all, or
    /// with syntax errors), sorted: findings in them, or reached through
    /// them, may be missing.
    pub(crate) partial: Vec<crate::model::PartialRead>,
    /// Set when a baseline was applied (`--baseline`).
    pub(crate) baseline: Option<baseline::Outcome>,
}

/// Runs the lint over a loaded project. Problems with options (an unknown
/// rule name) are errors; problems with configuration files are diagnostics.
pub fn run(project: &Project, options: &LintOptions) -> Result<LintReport, LintError> {
    run_then(project, options, Leave::Free)
}

/// [`run`] for a command whose process exits once the report is written:
/// what the rules built (every parsed body, the trees, the walks) is left
/// in memory instead of freed one allocation at a time, a twentieth of a
/// `lint` of OTP's lib spent on one thread while the other waited.
pub(crate) fn run_before_exit(
    project: &Project,
    options: &LintOptions,
) -> Result<LintReport, LintError> {
    run_then(project, options, Leave::ForTheExit)
}

/// What becomes of the rules' work once the report is made.
#[derive(PartialEq)]
enum Leave {
    Free,
    ForTheExit,
}

fn run_then(
    project: &Project,
    options: &LintOptions,
    leave: Leave,
) -> Result<LintReport, LintError> {
    let mut names = options.select.iter().chain(&options.ignore);
    if let Some(bad) = names.find(|n| registry::find(n).is_none()) {
        return Err(LintError::UnknownRule(bad.clone()));
    }
    let mut config =
        LintConfig::from_project(project, options.extra_config.as_ref(), &registry::rule_code);
    config.max_steps = options.max_steps;
    config.show_safe = options.show_safe;
    let selected = |r: &RuleMeta| {
        (options.select.is_empty()
            || options
                .select
                .iter()
                .any(|n| registry::find(n).is_some_and(|s| s.code == r.code)))
            && !options
                .ignore
                .iter()
                .any(|n| registry::find(n).is_some_and(|s| s.code == r.code))
    };
    let rules: Vec<&'static RuleMeta> = registry::RULES
        .iter()
        .copied()
        .filter(|r| selected(r) && config.may_run(r.code))
        .collect();

    let shared = crate::graph::supervision::code(project);
    let cx = Context {
        project,
        code: Code::new(&project.sources, &shared),
        config: &config,
        supervisors: Default::default(),
        build: build::DefaultBuild::new(project, &options.defines),
        trees: Default::default(),
        boot_path: Default::default(),
        init_walk: Default::default(),
        suppressions: Default::default(),
    };
    // Evaluating every supervisor runs beside the rules that do not read
    // the supervisors; those that do run after both. A rule waiting for
    // the evaluation inside the join would block a rayon thread, and the
    // evaluation would go on with one thread. Findings are sorted below, so
    // the order rules run in does not show.
    let mut findings = Vec::new();
    let mut internal_errors = Vec::new();
    let run_rule = |rule: &RuleMeta| -> Result<Vec<Finding>, Diagnostic> {
        let mut found = Vec::new();
        if let Some(check) = rule.check {
            // A bug in one rule loses that rule's findings only (those it
            // made before the panic are dropped: they may be half-built).
            let what = format!("running the lint rule `{}`", rule.name);
            crate::internal_error::guard(".", &what, || check(&cx, &mut found))?;
        }
        Ok(found)
    };
    let gather = |results: Vec<Result<Vec<Finding>, Diagnostic>>,
                  findings: &mut Vec<Finding>,
                  internal_errors: &mut Vec<Diagnostic>| {
        for result in results {
            match result {
                Ok(mut found) => findings.append(&mut found),
                Err(d) => internal_errors.push(d),
            }
        }
    };
    let run_rules = |rules: &[&RuleMeta],
                     findings: &mut Vec<Finding>,
                     internal_errors: &mut Vec<Diagnostic>| {
        gather(
            rules.iter().map(|r| run_rule(r)).collect(),
            findings,
            internal_errors,
        );
    };
    // The rules judging init/1's calls by the start order read the trees
    // too: they run late, and the walk they share runs beside the
    // evaluation.
    let (late, early): (Vec<&RuleMeta>, Vec<&RuleMeta>) = rules
        .iter()
        .copied()
        .partition(|r| r.reads_supervisors || boot_path::READERS.contains(&r.code));
    let reads_boot_path = late.iter().any(|r| boot_path::READERS.contains(&r.code));
    if late.is_empty() {
        run_rules(&early, &mut findings, &mut internal_errors);
    } else {
        rayon::join(
            || {
                // A panic here is not reported from this arm: the evaluation
                // is left undone, and the first rule that reads the
                // supervisors runs it again inside its own guard.
                let _ = crate::internal_error::guard(".", "evaluating the supervisors", || {
                    cx.supervisors();
                });
            },
            || {
                if reads_boot_path {
                    // Likewise: a panic is met again by the rule that reads it.
                    let _ = crate::internal_error::guard(".", "walking init/1", || {
                        cx.init_walk();
                    });
                }
                run_rules(&early, &mut findings, &mut internal_errors)
            },
        );
        // The late rules run beside each other (`blocking-init`'s last
        // stretch, `start-order` and the child-spec rules were 25 ms on
        // one thread on OTP's lib). What they share and make lazily is
        // made first: a lazy value whose making waits on rayon's threads
        // could be asked for again, on the same thread, by a rule that
        // thread picks up meanwhile. A panic is met again by the rule.
        if reads_boot_path {
            let _ = crate::internal_error::guard(".", "ordering the boot", || {
                cx.boot_path();
            });
        }
        let _ = crate::internal_error::guard(".", "reading suppression comments", || {
            cx.suppressions();
        });
        // After a panic something is still to make: one rule at a time.
        let made = cx.supervisors.get().is_some()
            && cx.suppressions.get().is_some()
            && (!reads_boot_path || (cx.init_walk.get().is_some() && cx.boot_path.get().is_some()));
        if made {
            use rayon::prelude::*;
            gather(
                late.par_iter().map(|r| run_rule(r)).collect(),
                &mut findings,
                &mut internal_errors,
            );
        } else {
            run_rules(&late, &mut findings, &mut internal_errors);
        }
    }
    findings.retain_mut(
        |f| match config.setting(f.rule.code, f.rule.default_severity, &f.file) {
            Some(sev)
                if !config.is_excluded(
                    &f.file,
                    crate::model::owning_app(&f.file, &project.apps).map(|a| a.name.as_str()),
                ) =>
            {
                // A rule may say less than its severity (a walk cut short is
                // an info): the configured severity never raises that.
                f.severity = if f.severity < f.rule.default_severity {
                    f.severity.min(sev)
                } else {
                    sev
                };
                true
            }
            _ => false,
        },
    );
    // Code the default build does not compile does not ship: neither a
    // finding in it nor one reached through it. The child-spec rules judge
    // every branch on purpose (a wrong spec is wrong where it runs) and
    // say in their notes whether the default build has the child.
    let compiled = |f: &Finding| {
        f.rule.reads_supervisors
            || (cx.build.compiles(&f.file, f.line)
                && f.chain.iter().all(|c| cx.build.compiles(&c.file, c.line)))
    };
    findings.retain(compiled);
    let unused_enabled = rules
        .iter()
        .any(|r| r.code == rules::unused_suppression::RULE.code);
    let suppressions = cx.suppressions();
    let unused = apply_suppressions(suppressions, &mut findings, &rules);
    if unused_enabled {
        for f in unused.into_iter().filter(compiled) {
            if let Some(sev) = config.setting(f.rule.code, f.rule.default_severity, &f.file) {
                findings.push(Finding { severity: sev, ..f });
            }
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());

    // After the rules: the bodies they parsed count too.
    let partial = partial_files(&cx);
    for f in &mut findings {
        let on_chain = |file: &str| f.file == file || f.chain.iter().any(|c| c.file == file);
        let gaps: Vec<String> = partial
            .iter()
            .filter(|g| on_chain(&g.file))
            .map(|g| g.to_string())
            .collect();
        if !gaps.is_empty() {
            f.partial = Some(gaps.join("; "));
        }
    }

    // The lint's run: loading's diagnostics, the configuration's, and the
    // parse timeouts of the bodies the rules read (collected last).
    let mut sink = diagnostic::Sink::new();
    sink.add(project.diagnostics.iter().cloned());
    sink.add(options.extra_config_diagnostics.iter().cloned());
    sink.add(config.diagnostics.iter().cloned());
    sink.add(internal_errors);
    sink.add(project.sources.late_diagnostics());
    if leave == Leave::ForTheExit {
        std::mem::forget(cx);
        std::mem::forget(shared);
    }
    Ok(LintReport {
        findings,
        diagnostics: sink.finish(),
        rules,
        partial,
        baseline: None,
    })
}

/// Removes the findings the suppressions cover and returns findings for
/// the suppressions that covered nothing (for rules that ran) or name no
/// rule at all.
fn apply_suppressions(
    suppressions: &[Suppression],
    findings: &mut Vec<Finding>,
    ran: &[&'static RuleMeta],
) -> Vec<Finding> {
    let mut used = vec![false; suppressions.len()];
    // By file and line: a finding looks only at the comments above it.
    let mut at: HashMap<(&str, u32), Vec<usize>> = HashMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        at.entry((s.file.as_str(), s.target_line))
            .or_default()
            .push(i);
    }
    findings.retain(|f| {
        let mut keep = true;
        let here = at.get(&(f.file.as_str(), f.line));
        for &i in here.into_iter().flatten() {
            let s = &suppressions[i];
            if s.rules
                .iter()
                .any(|n| registry::find(n).is_some_and(|r| r.code == f.rule.code))
            {
                used[i] = true;
                keep = false;
            }
        }
        keep
    });
    let mut unused = Vec::new();
    for (s, used) in suppressions.iter().zip(used) {
        if used {
            continue;
        }
        let message = if s.rules.is_empty() {
            "suppression names no rule: write `otpmap:ignore RULE reason`".to_owned()
        } else if let Some(bad) = s.rules.iter().find(|n| registry::find(n).is_none()) {
            format!("suppression names `{bad}`, which is no rule (otpmap lint --list-rules)")
        } else if s
            .rules
            .iter()
            .filter_map(|n| registry::find(n))
            .any(|r| ran.iter().any(|x| x.code == r.code))
        {
            format!(
                "unused suppression: no {} finding on line {}; remove the comment",
                s.rules.join(", "),
                s.target_line
            )
        } else {
            // The rule did not run (disabled or not selected): cannot tell.
            continue;
        };
        let mut f = Finding::at_line(
            &rules::unused_suppression::RULE,
            &s.file,
            s.line,
            s.column,
            message,
        );
        f.end_column = s.end_column;
        f.fix = Some("remove the comment".to_owned());
        unused.push(f);
    }
    unused
}

/// The linted modules, and the project's own headers, that were not
/// fully read.
fn partial_files(cx: &Context<'_>) -> Vec<crate::model::PartialRead> {
    let headers = cx
        .project
        .sources
        .headers
        .iter()
        .filter(|(file, _)| !cx.project.is_fetched(file) && !is_test_path(file))
        .map(|(_, h)| &**h);
    let mut out: Vec<crate::model::PartialRead> = cx
        .lint_modules()
        .map(|m| &*m.index)
        .chain(headers)
        .filter_map(crate::model::partial_read)
        .collect();
    out.sort();
    out
}

/// Why a lint run could not start.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    #[error("unknown rule `{0}` (otpmap lint --list-rules shows them)")]
    UnknownRule(String),
}
