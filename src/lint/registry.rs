//! The rules by name and code. A code is never renumbered and never
//! reused: a retired rule keeps its code out of use.
//!
//! Each rule's documentation is the `//!` comment at the top of its file
//! (`src/lint/rules/<name>.rs`), included here at compile time; the pages
//! under `docs/rules/` are generated from it and a test fails when they are
//! stale (`OTPMAP_BLESS=1 cargo test --test lint_docs` rewrites them).
//!
//! A rule is a [`RuleMeta`] whose check reads a [`Context`] and gives
//! [`Finding`]s: those types are here, with the list, so that the registry
//! and its rules name each other and nothing else of the lint
//! (docs/architecture.md, "Import cycles").

use super::boot_path;
use super::build;
use super::config::LintConfig;
use super::rules;
use super::suppression::{self, Suppression};
use crate::diagnostic::Severity;
use crate::graph::calls::{ChainStep, Code};
use crate::model::{is_test_path, AppOrigin, ModuleSource, Project};
use crate::syntax::{SourceFile, Span};

/// What a rule checks.
type CheckFn = fn(&Context<'_>, &mut Vec<Finding>);

/// One rule: its stable identity, default severity, documentation and check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `OTP` and three digits.
    pub(crate) code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub(crate) default_severity: Severity,
    /// The rule's source file, whose leading `//!` comment is its documentation.
    pub(crate) source: &'static str,
    /// The check; `None` for findings the engine itself makes (unused suppressions).
    pub(crate) check: Option<CheckFn>,
    /// True when the check reads the supervisors' evaluated specs
    /// ([`Context::supervisors`]), which the lint then computes
    /// on one thread while the other rules run.
    pub(crate) reads_supervisors: bool,
    /// What it finds, in a few words: the last column of the rule tables
    /// in README.md and docs/lint.md, which are generated.
    pub(crate) finds: &'static str,
}

/// Every rule, in code order: each file of `src/lint/rules/` (see there).
pub static RULES: &[&RuleMeta] = rules::ALL;

/// The rule with this name or code. Names are also accepted with `_`
/// for `-` (`blocking_init`), as Erlang atoms are easier written that way,
/// and codes in any case.
pub fn find(name_or_code: &str) -> Option<&'static RuleMeta> {
    let wanted = name_or_code.trim().replace('_', "-");
    RULES
        .iter()
        .copied()
        .find(|r| r.name == wanted || r.code.eq_ignore_ascii_case(&wanted))
}

/// The code of the rule with this name or code ([`find`]), for the
/// configuration to check the rule names it is given.
pub(crate) fn rule_code(name_or_code: &str) -> Option<&'static str> {
    find(name_or_code).map(|r| r.code)
}

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
    pub(super) fn from_step(step: &ChainStep) -> ChainEntry {
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
        let (end_line, end_column) = file.position(span.end.max(span.start) as usize);
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
    pub(crate) fn at_line(
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
    pub(super) fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
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
    pub(super) supervisors:
        std::sync::OnceLock<Vec<crate::graph::supervision::specs::SupervisorSpecs>>,
    /// What the default build (with `--define`) compiles.
    pub(super) build: build::DefaultBuild<'a>,
    /// The application trees the supervisors were read from, set with them.
    pub(super) trees: std::sync::OnceLock<Vec<crate::graph::supervision::AppTree>>,
    /// Who is started before whom ([`Context::boot_path`]).
    pub(super) boot_path: std::sync::OnceLock<boot_path::BootPath>,
    /// The walk from every `init/1`, shared by the rules that judge its
    /// calls ([`Context::init_walk`]).
    pub(super) init_walk: std::sync::OnceLock<rules::blocking_init::Walked>,
    /// The suppression comments, read by the first that asks
    /// ([`Context::suppressions`]).
    pub(super) suppressions: std::sync::OnceLock<Vec<Suppression>>,
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
            config: LintConfig::from_project(project, None, &rule_code),
        }
    }

    /// A lint context over the project, as [`super::run`] makes one.
    pub(crate) fn cx(&self) -> Context<'_> {
        Context {
            project: self.project,
            code: Code::new(&self.project.sources, &self.shared),
            config: &self.config,
            supervisors: Default::default(),
            build: build::DefaultBuild::new(self.project, &[]),
            trees: Default::default(),
            boot_path: Default::default(),
            init_walk: Default::default(),
            suppressions: Default::default(),
        }
    }
}

impl Context<'_> {
    /// Every supervisor of the project, with its flags and child specs as
    /// the supervision evaluator reads them (shared by the child-spec rules).
    pub(crate) fn supervisors(&self) -> &[crate::graph::supervision::specs::SupervisorSpecs] {
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
    pub(crate) fn boot_path(&self) -> &boot_path::BootPath {
        self.boot_path.get_or_init(|| {
            self.supervisors();
            let trees = self.trees.get().map_or(&[][..], Vec::as_slice);
            boot_path::BootPath::new(self.project, trees)
        })
    }

    /// The walk from every `init/1` (and special process start) of the
    /// linted code, done once for the rules that read it.
    pub(crate) fn init_walk(&self) -> &rules::blocking_init::Walked {
        self.init_walk
            .get_or_init(|| rules::blocking_init::walk(self, true))
    }

    /// Every suppression comment in the sources the lint analyses, read
    /// once for `blocking-init` and the run.
    pub(crate) fn suppressions(&self) -> &[Suppression] {
        self.suppressions.get_or_init(|| {
            use rayon::prelude::*;
            // Every text is searched for the marker: on rayon's threads,
            // as the rules that read them run after the others, on one.
            let headers = self
                .project
                .sources
                .headers
                .iter()
                .filter(|(path, _)| !self.config.is_excluded(path, None))
                .map(|(_, h)| &*h.file);
            let files: Vec<&crate::syntax::SourceFile> = self
                .lint_modules()
                .map(|m| &*m.index.file)
                .chain(headers)
                .collect();
            let is_rule = |t: &str| find(t).is_some();
            files
                .par_iter()
                .with_max_len(crate::syntax::FILES_PER_JOB)
                .flat_map_iter(|file| {
                    let mut out = Vec::new();
                    suppression::scan(file, &mut out, &is_rule);
                    out
                })
                .collect()
        })
    }

    /// The modules whose code the lint analyses: sources of the project's
    /// own applications, and modules outside any application that are not
    /// tests, examples, fetched dependencies or in rebar3's
    /// `extra_src_dirs` (a Mix or hand-made layout whose apps otpmap does
    /// not see). Excluded paths and apps are left out.
    pub(crate) fn lint_modules(&self) -> impl Iterator<Item = &ModuleSource> {
        self.project.sources.modules.iter().filter(move |m| {
            let own = match &m.app {
                Some(app) => self
                    .project
                    .app(app)
                    .is_some_and(|a| a.origin == AppOrigin::Project),
                None => {
                    !self.project.is_fetched(&m.file) && !self.project.in_extra_src_dir(&m.file)
                }
            };
            let own = own && !is_test_path(&m.file);
            own && !self.config.is_excluded(&m.file, m.app.as_deref())
        })
    }
}

impl RuleMeta {
    /// The documentation: the rule file's `//!` comment, in Markdown.
    pub(crate) fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }

    /// The first paragraph of the documentation, joined on one line.
    pub(crate) fn summary(&self) -> String {
        let doc = self.doc();
        let body = doc
            .lines()
            .skip_while(|l| l.trim().is_empty() || l.starts_with('#'))
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        body
    }

    /// The documentation page: title, code, default severity and the doc
    /// comment (what `--explain` prints).
    pub(crate) fn markdown_body(&self) -> String {
        format!(
            "# {name} ({code})\n\nDefault severity: **{sev}**.\n\n{doc}",
            name = self.name,
            code = self.code,
            sev = self.default_severity.as_str(),
            doc = self.doc(),
        )
    }

    /// The generated page `docs/rules/<name>.md`.
    pub fn markdown(&self) -> String {
        format!(
            "<!-- Generated from src/lint/rules/{file}.rs by `OTPMAP_BLESS=1 cargo test --test lint_docs`; edit the rule's doc comment instead. -->\n{body}",
            file = self.name.replace('-', "_"),
            body = self.markdown_body(),
        )
    }
}

/// The generated index `docs/rules/README.md`.
pub fn index_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated by `OTPMAP_BLESS=1 cargo test --test lint_docs`. -->\n\
         # Lint rules\n\n\
         Codes are stable and never renumbered. Configure rules in `otpmap.config` \
         (see [../lint.md](../lint.md)).\n\n\
         | code | name | default | what it finds |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | [{}]({}.md) | {} | {} |\n",
            r.code,
            r.name,
            r.name,
            r.default_severity.as_str(),
            r.summary().replace('|', "\\|")
        ));
    }
    out
}

/// The rule table of README.md and docs/lint.md (between the markers
/// `<!-- rules:start -->` and `<!-- rules:end -->`), each name linked to
/// its page under `docs`, the path from the file to `docs/rules/`.
pub fn rules_table(docs: &str) -> String {
    let mut out = String::from("| code | name | default | finds |\n| --- | --- | --- | --- |\n");
    for r in RULES {
        out.push_str(&format!(
            "| {} | [{}]({docs}{}.md) | {} | {} |\n",
            r.code,
            r.name,
            r.name,
            r.default_severity.as_str(),
            r.finds.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        codes.sort_unstable();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), RULES.len());
        assert_eq!(names.len(), RULES.len());
        for r in RULES {
            assert!(r.code.len() == 6 && r.code.starts_with("OTP"), "{}", r.code);
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            let doc = r.doc();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", r.name);
            }
        }
    }

    /// Codes are part of the contract: a rule never changes its code.
    #[test]
    fn codes_never_change() {
        let pinned = [
            ("blocking-init", "OTP001"),
            ("infinity-call-timeout", "OTP002"),
            ("missing-app-dependency", "OTP003"),
            ("unused-suppression", "OTP004"),
            ("duplicate-child-id", "OTP005"),
            ("simple-one-for-one-spec-count", "OTP006"),
            ("invalid-child-spec", "OTP007"),
            ("supervisor-shutdown", "OTP008"),
            ("child-type-mismatch", "OTP009"),
            ("start-order", "OTP010"),
        ];
        for (name, code) in pinned {
            assert_eq!(find(name).map(|r| r.code), Some(code));
        }
    }

    #[test]
    fn finds_by_name_code_and_underscore_name() {
        assert_eq!(find("blocking_init").map(|r| r.code), Some("OTP001"));
        assert_eq!(find("otp001").map(|r| r.name), Some("blocking-init"));
        assert!(find("nope").is_none());
    }
}
