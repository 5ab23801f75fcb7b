//! `otpmap report`: one self-contained HTML page with everything the other
//! commands show (overview, application graph, supervision trees with what a
//! crash takes down, lint findings, diagnostics), for a newcomer's browser.

use std::path::Path;
use std::process::Command;

use clap::Args;

use crate::commands::common::{emit, CommonArgs};
use crate::exit_code;
use crate::graph::{supervision, Run};
use crate::lint::{self, LintOptions};
use crate::model::OtpLibrary;
use crate::progress::Progress;
use crate::render::report::{self, Provenance};

/// Arguments of `otpmap report`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  otpmap report -o otpmap-report.html
  otpmap report path/to/repo -o map.html \\
      --source-url 'https://github.com/org/repo/blob/{rev}/{path}#L{line}'

The page is one file (no network, opens from file://). The JSON it renders
from is the `otpmap.report/1` document (docs/json.md, docs/report.md).")]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Link every source location: `{path}` (from the repository's top),
    /// `{line}` and `{rev}` (`git rev-parse HEAD` when PATH is in a git
    /// checkout) are filled in. Without it locations are `file:line` text.
    #[arg(long, value_name = "TEMPLATE")]
    source_url: Option<String>,
    /// Evaluation steps the supervision evaluator may spend on one value
    /// of a supervisor's `init/1` [default: 10000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    max_steps: Option<u64>,
}

/// Runs `report`.
pub(crate) fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    if let Some(url) = &args.source_url {
        if !url.contains("{path}") {
            anyhow::bail!(
                "--source-url `{url}` has no `{{path}}`: write it like \
                 'https://github.com/org/repo/blob/{{rev}}/{{path}}#L{{line}}'"
            );
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            anyhow::bail!("--source-url `{url}` must start with https:// or http://");
        }
    }
    let progress = Progress::new(args.common.progress_enabled(true));
    progress.stage("reading the project");
    let project = super::load_project(&args.common)?;
    progress.stage("linting");
    let options = LintOptions {
        select: Vec::new(),
        ignore: Vec::new(),
        extra_config: None,
        extra_config_diagnostics: Vec::new(),
        defines: Vec::new(),
        max_steps: args.max_steps.map(|n| n as usize),
        show_safe: false,
    };
    let lint_report =
        lint::run(&project, &options).map_err(|e| anyhow::anyhow!("cannot run the lint: {e}"))?;
    // OTP's own applications are one folded node: their `.app` files
    // (and so the machine's OTP installation) change nothing shown.
    let analysing = Run::analyse(project, &OtpLibrary::none()).with_checks();
    progress.stage("evaluating supervisors");
    let limits = supervision::Limits::with_steps(args.max_steps.map(|n| n as usize));
    let trees =
        supervision::analyse_with(analysing.project(), analysing.boot_orders(), None, limits);
    let run = analysing
        .with_drawn_trees(trees)
        .with_diagnostics(lint_report.diagnostics.iter().cloned())
        .finish();
    progress.stage("writing the page");
    let provenance = provenance(&args.common.path, args.source_url.as_deref());
    let doc = report::document(&run, &lint_report, &provenance);
    let html = report::page(&doc);
    progress.finish();
    emit(&html, args.common.output.as_deref())?;
    let code = super::exit_code(exit_code::CLEAN, &run.diagnostics, true);
    super::keep_until_exit((run, lint_report));
    Ok(code)
}

/// The page's title and what source links are built from.
fn provenance(path: &Path, source_url: Option<&str>) -> Provenance {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new("."))
    };
    // Only asked for with --source-url: the page is otherwise the same in
    // every checkout of the same files.
    let git = |args: &[&str]| -> Option<String> {
        source_url?;
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    Provenance {
        name,
        revision: git(&["rev-parse", "HEAD"]),
        prefix: git(&["rev-parse", "--show-prefix"]).unwrap_or_default(),
        source_url: source_url.map(str::to_owned),
    }
}
