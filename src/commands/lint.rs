//! `otpmap lint`: start-up hazards, for people and CI.

use crate::commands::common::{emit, CommonArgs};
use crate::diagnostic::Severity;
use crate::exit_code;
use crate::lint::{self, registry, LintOptions};
use crate::model::ToolConfig;
use crate::progress::Progress;
use crate::render::{self, Painter};
use anyhow::Context as _;
use clap::{Args, ValueEnum};

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    /// Code frames with the offending line, the call chain and the fix.
    Human,
    /// The `otpmap.lint/1` document (docs/json.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=...`).
    Github,
    /// GitLab CI's code quality report (Code Climate JSON).
    Gitlab,
    /// One line each: `file:line:col: severity[rule] message`.
    Short,
}

/// The lowest severity that makes `lint` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Info,
    Warning,
    Error,
}

impl FailOn {
    /// The severity this level names.
    pub(crate) fn severity(self) -> Severity {
        match self {
            FailOn::Info => Severity::Info,
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        }
    }
}

/// Arguments of `otpmap lint`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  otpmap lint                                   lint the current directory
  otpmap lint --format sarif -o otpmap.sarif    for GitHub code scanning
  otpmap lint --format github                   annotations in a GitHub Actions log
  otpmap lint --format gitlab -o gl-code-quality.json   GitLab code quality report
  otpmap lint --format short                    file:line:col: severity[rule] message
  otpmap lint --fail-on error                   exit 1 only for errors
  otpmap lint --select blocking-init            run one rule
  otpmap lint --explain blocking-init           what a rule finds and how to fix it
  otpmap lint --write-baseline otpmap-baseline.json   record today's findings
  otpmap lint --baseline otpmap-baseline.json   fail only on new findings

Suppress one finding with a comment on the line before it:
  %% otpmap:ignore blocking-init <reason>
Configure rules in otpmap.config or {otpmap, [{lint, [...]}]} in rebar.config
(docs/lint.md).

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 otpmap could not do its job.")]
pub(crate) struct LintArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning, value_name = "LEVEL")]
    fail_on: FailOn,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Run only these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Evaluation steps the supervision evaluator may spend on one value
    /// of a supervisor's `init/1` (and its start functions); more resolves
    /// more of what costly code computes, at more time [default: 10000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    max_steps: Option<u64>,
    /// Do not run these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Read this otpmap.config too; it applies to the whole project and
    /// wins over the configuration files in the tree.
    #[arg(long, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    /// List the rules and exit.
    #[arg(long, conflicts_with = "explain")]
    list_rules: bool,
    /// Print a rule's documentation and exit.
    #[arg(long, value_name = "RULE")]
    explain: Option<String>,
    /// Record today's findings in FILE and exit 0 (then lint with
    /// `--baseline FILE` to fail only on new ones).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<std::path::PathBuf>,
    /// Report and fail only on findings not in FILE (written by
    /// `--write-baseline`); list its entries that no longer occur.
    #[arg(long, value_name = "FILE")]
    baseline: Option<std::path::PathBuf>,
    /// Lint as if the build defined these macros (comma-separated or
    /// repeated): code under `-ifdef(TEST)` is linted only with
    /// `--define TEST`.
    #[arg(long, value_delimiter = ',', value_name = "MACRO")]
    define: Vec<String>,
    /// Print only the number of findings per rule and per application
    /// (human or JSON); the exit code is as without it.
    #[arg(long)]
    statistics: bool,
    /// Also report, as infos, the calls from init/1 to a registered
    /// process that OTP's start order makes safe, with the reason.
    #[arg(long)]
    show_safe: bool,
}

/// Runs `lint`.
pub(crate) fn run(args: &LintArgs) -> anyhow::Result<i32> {
    if args.list_rules {
        let text = match args.format {
            LintFormat::Json => render::json::lint::rules(),
            _ => render::human::lint::rules(&Painter::new(args.common.color_enabled())),
        };
        emit(&text, args.common.output.as_deref())?;
        return Ok(exit_code::CLEAN);
    }
    if let Some(name) = &args.explain {
        let rule = registry::find(name).ok_or_else(|| {
            anyhow::anyhow!("unknown rule `{name}` (otpmap lint --list-rules shows them)")
        })?;
        emit(&rule.markdown_body(), args.common.output.as_deref())?;
        return Ok(exit_code::CLEAN);
    }

    let human = args.format == LintFormat::Human;
    let progress = Progress::new(args.common.progress_enabled(human));
    progress.stage("reading the project");
    let project = super::load_project(&args.common)?;
    let mut extra_diags = Vec::new();
    let extra_config = match &args.config {
        Some(path) => {
            if !path.is_file() {
                anyhow::bail!("--config {}: no such file", path.display());
            }
            let shown = path.display().to_string();
            let (terms, diags) = crate::config::read_terms(path, &shown);
            extra_diags = diags;
            Some(ToolConfig {
                file: shown,
                dir: ".".to_owned(),
                terms,
            })
        }
        None => None,
    };
    progress.stage("linting");
    let options = LintOptions {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extra_config,
        extra_config_diagnostics: extra_diags,
        defines: args.define.clone(),
        max_steps: args.max_steps.map(|n| n as usize),
        show_safe: args.show_safe,
    };
    // Read before linting: a bad baseline is found without waiting.
    let baseline = match &args.baseline {
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "cannot read the baseline {shown} (write one with `otpmap lint --write-baseline {shown}`)"
                )
            })?;
            Some((lint::baseline::read(&text, &shown)?, shown))
        }
        None => None,
    };
    let mut report = lint::run_before_exit(&project, &options).context("cannot run the lint")?;
    progress.finish();

    if let Some(path) = &args.write_baseline {
        let text = lint::baseline::write(&project, &report.findings);
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        emit(
            &format!(
                "wrote {} to {}: `otpmap lint --baseline {}` now fails only on new ones\n",
                match report.findings.len() {
                    1 => "1 finding".to_owned(),
                    n => format!("{n} findings"),
                },
                path.display(),
                path.display()
            ),
            args.common.output.as_deref(),
        )?;
        let code = super::exit_code(exit_code::CLEAN, &report.diagnostics, false);
        super::keep_until_exit((project, report));
        return Ok(code);
    }
    if let Some((entries, shown)) = baseline {
        let outcome = lint::baseline::apply(&project, &entries, &shown, &mut report.findings);
        report.baseline = Some(outcome);
    }

    let fail_on = args.fail_on.severity();
    let text = match args.format {
        LintFormat::Human if args.statistics => render::human::lint::statistics(
            &project,
            &report,
            &Painter::new(args.common.color_enabled()),
        ),
        LintFormat::Json if args.statistics => render::json::lint::statistics(&project, &report),
        LintFormat::Human => render::human::lint::render(
            &project,
            &report,
            fail_on,
            &Painter::new(args.common.color_enabled()),
        ),
        LintFormat::Json => render::json::lint::render(&report),
        LintFormat::Sarif => render::sarif::lint::render(&project, &report),
        LintFormat::Github => render::github::lint::render(&report),
        LintFormat::Gitlab => render::gitlab::lint::render(&project, &report),
        LintFormat::Short => render::short::lint::render(&report),
    };
    emit(&text, args.common.output.as_deref())?;
    let failing = report.findings.iter().any(|f| f.severity >= fail_on);
    let code = if failing && !args.exit_zero {
        exit_code::FINDINGS
    } else {
        exit_code::CLEAN
    };
    // Every lint format shows diagnostics (SARIF as notifications).
    let code = super::exit_code(code, &report.diagnostics, true);
    super::keep_until_exit((project, report));
    Ok(code)
}
