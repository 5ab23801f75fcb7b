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
mod path_glob;
pub mod registry;
pub(crate) mod rules;
pub(crate) mod statistics;
mod suppression;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::graph::calls::{ChainStep, Code};
use crate::model::{is_test_path, AppOrigin, ModuleSource, Project, ToolConfig};
use crate::syntax::{SourceFile, Span};
use config::LintConfig;
use registry::RuleMeta;

/// One step of a finding's call chain, as outputs show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEntry {
    /// `module:function/arity`.
    pub function: String,
    pub file: String,
    pub line: u32,
    pub(crate) column: u32,
}

impl ChainEntry {
    /// The step of a call-graph chain.
    fn from_step(step: &ChainStep) -> ChainEntry {
        ChainEntry {
            function: step.function.to_string(),
            file: step.file.clone(),
            line: step.span.line,
            column: step.span.column,
        }
    }
}

/// A lint finding. Positions are 1-based; columns count characters; the
/// end is exclusive (one past the last character), as in SARIF.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// Relative to the scanned root, `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    /// From the root function to the function holding the finding.
    pub chain: Vec<ChainEntry>,
    /// The change that fixes it, in a sentence.
    pub fix: Option<String>,
    /// Extra facts: partial results, other roots reaching the same place.
    pub notes: Vec<String>,
    /// Set when the finding's file, or a file on its chain, was not fully
    /// read: the finding may be imprecise. Which files, where, why.
    pub(crate) partial: Option<String>,
    /// What the finding is about when that is not the code at its place
    /// (a pair of applications, whose first use may move): the baseline's
    /// fingerprint then.
    pub subject: Option<String>,
}

impl Finding {
    /// A finding of `rule` (at its default severity) at `span` of `file`.
    pub fn new(
        rule: &'static RuleMeta,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Finding {
        let (end_line, end_column) = file.position(span.end.max(span.start));
        Finding {
            rule,
            severity: rule.default_severity,
            file: file.path.clone(),
            line: span.line.max(1),
            column: span.column.max(1),
            end_line,
            end_column,
            message: message.into(),
            chain: Vec::new(),
            fix: None,
            notes: Vec::new(),
            partial: None,
            subject: None,
        }
    }

    /// A finding at a line and column of a file whose text is not at hand
    /// (an `.app.src`).
    fn at_line(
        rule: &'static RuleMeta,
        file: &str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity,
            file: file.to_owned(),
            line: line.max(1),
            column: column.max(1),
            end_line: line.max(1),
            end_column: column.max(1),
            message: message.into(),
            chain: Vec::new(),
            fix: None,
            notes: Vec::new(),
            partial: None,
            subject: None,
        }
    }

    /// The order every output uses.
    fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.rule.code,
            &self.message,
        )
    }
}

/// What a rule may read.
pub(crate) struct Context<'a> {
    pub(crate) project: &'a Project,
    /// The project's functions, parsed on demand and shared by the rules
    /// and the supervision evaluator (one cache per run).
    pub(crate) code: Code<'a>,
    pub(crate) config: &'a LintConfig,
    /// Every supervisor's evaluated flags and child specs, computed by the
    /// first rule that asks ([`Context::supervisors`]).
    supervisors: std::sync::OnceLock<Vec<crate::graph::supervision::specs::SupervisorSpecs>>,
    /// What the default build (with `--define`) compiles.
    build: build::DefaultBuild<'a>,
    /// The application trees the supervisors were read from, set with them.
    trees: std::sync::OnceLock<Vec<crate::graph::supervision::AppTree>>,
    /// Who is started before whom ([`Context::boot_path`]).
    boot_path: std::sync::OnceLock<boot_path::BootPath>,
    /// The walk from every `init/1`, shared by the rules that judge its
    /// calls ([`Context::init_walk`]).
    init_walk: std::sync::OnceLock<rules::blocking_init::Walked>,
}

/// What a rule's test lints with: the project's code and configuration
/// (no `--config`), for [`TestLint::cx`].
#[cfg(test)]
pub(crate) struct TestLint<'p> {
    pub(crate) project: &'p Project,
    pub(crate) shared: crate::eval::Code<'p>,
    pub(crate) config: LintConfig,
}

#[cfg(test)]
impl<'p> TestLint<'p> {
    pub(crate) fn new(project: &'p Project) -> TestLint<'p> {
        TestLint {
            project,
            shared: crate::graph::supervision::code(project),
            config: LintConfig::from_project(project, None),
        }
    }

    /// A lint context over the project, as [`run`] makes one.
    fn cx(&self) -> Context<'_> {
        Context {
            project: self.project,
            code: Code::new(&self.project.sources, &self.shared),
            config: &self.config,
            supervisors: Default::default(),
            build: build::DefaultBuild::new(self.project, &[]),
            trees: Default::default(),
            boot_path: Default::default(),
            init_walk: Default::default(),
        }
    }
}

impl Context<'_> {
    /// Every supervisor of the project, with its flags and child specs as
    /// the supervision evaluator reads them (shared by the child-spec rules).
    fn supervisors(&self) -> &[crate::graph::supervision::specs::SupervisorSpecs] {
        self.supervisors.get_or_init(|| {
            let linted: std::collections::HashSet<&str> =
                self.lint_modules().map(|m| m.name.as_str()).collect();
            let (trees, specs) = crate::graph::supervision::specs::all_with_trees(
                self.project,
                self.code.shared(),
                &|m| linted.contains(m),
                crate::graph::supervision::Limits::with_steps(self.config.max_steps),
            );
            let _ = self.trees.set(trees);
            specs
        })
    }

    /// Who is started before whom, from the application trees and the
    /// releases' boot orders. Read only by rules that run after the
    /// supervisors are evaluated ([`boot_path::READERS`]).
    fn boot_path(&self) -> &boot_path::BootPath {
        self.boot_path.get_or_init(|| {
            self.supervisors();
            let trees = self.trees.get().map_or(&[][..], Vec::as_slice);
            boot_path::BootPath::new(self.project, trees)
        })
    }

    /// The walk from every `init/1` (and special process start) of the
    /// linted code, done once for the rules that read it.
    fn init_walk(&self) -> &rules::blocking_init::Walked {
        self.init_walk
            .get_or_init(|| rules::blocking_init::walk(self, true))
    }

    /// The modules whose code the lint analyses: sources of the project's
    /// own applications, and modules outside any application that are not
    /// tests, examples or fetched dependencies (a Mix or hand-made layout
    /// whose apps otpmap does not see). Excluded paths and apps are left
    /// out.
    fn lint_modules(&self) -> impl Iterator<Item = &ModuleSource> {
        self.project.sources.modules.iter().filter(move |m| {
            let own = match &m.app {
                Some(app) => self
                    .project
                    .app(app)
                    .is_some_and(|a| a.origin == AppOrigin::Project),
                None => !self.project.is_fetched(&m.file),
            };
            let own = own && !is_test_path(&m.file);
            own && !self.config.is_excluded(&m.file, m.app.as_deref())
        })
    }
}

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
    let mut names = options.select.iter().chain(&options.ignore);
    if let Some(bad) = names.find(|n| registry::find(n).is_none()) {
        return Err(LintError::UnknownRule(bad.clone()));
    }
    let mut config = LintConfig::from_project(project, options.extra_config.as_ref());
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
        .filter(|r| selected(r) && config.may_run(r))
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
    };
    // Evaluating every supervisor runs beside the rules that do not read
    // the supervisors; those that do run after both. A rule waiting for
    // the evaluation inside the join would block a rayon thread, and the
    // evaluation would go on with one thread. Findings are sorted below, so
    // the order rules run in does not show.
    let mut findings = Vec::new();
    let mut internal_errors = Vec::new();
    let run_rules = |rules: &[&RuleMeta],
                     findings: &mut Vec<Finding>,
                     internal_errors: &mut Vec<Diagnostic>| {
        for rule in rules {
            if let Some(check) = rule.check {
                // A bug in one rule loses that rule's findings only (those it
                // made before the panic are dropped: they may be half-built).
                let mut found = Vec::new();
                let what = format!("running the lint rule `{}`", rule.name);
                match crate::internal_error::guard(".", &what, || check(&cx, &mut found)) {
                    Ok(()) => findings.append(&mut found),
                    Err(d) => internal_errors.push(d),
                }
            }
        }
    };
    // The rules judging init/1's calls by the start order read the trees
    // too: they run late, and the walk they share runs beside the
    // evaluation.
    let (late, early): (Vec<&RuleMeta>, Vec<&RuleMeta>) = rules
        .iter()
        .copied()
        .partition(|r| r.reads_supervisors || boot_path::READERS.contains(&r.code));
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
                if late.iter().any(|r| boot_path::READERS.contains(&r.code)) {
                    // Likewise: a panic is met again by the rule that reads it.
                    let _ = crate::internal_error::guard(".", "walking init/1", || {
                        cx.init_walk();
                    });
                }
                run_rules(&early, &mut findings, &mut internal_errors)
            },
        );
        run_rules(&late, &mut findings, &mut internal_errors);
    }
    findings.retain_mut(|f| match config.setting(f.rule, &f.file) {
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
    });
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
    let suppressions = suppression::collect(&cx);
    let unused = suppression::apply(&suppressions, &mut findings, &rules);
    if unused_enabled {
        for f in unused.into_iter().filter(compiled) {
            if let Some(sev) = config.setting(f.rule, &f.file) {
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
    Ok(LintReport {
        findings,
        diagnostics: sink.finish(),
        rules,
        partial,
        baseline: None,
    })
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

/// The source text of a project file (module or header) by relative path,
/// for renderers that show code.
pub(crate) fn source_file<'a>(project: &'a Project, path: &str) -> Option<&'a SourceFile> {
    if let Some(h) = project.sources.headers.get(path) {
        return Some(&h.file);
    }
    project
        .sources
        .modules
        .iter()
        .find(|m| m.file == path)
        .map(|m| &*m.index.file)
}
