//! `otpmap diff`: what a change does to the map. Both sides go through
//! the whole pipeline (load, boot orders, trees, lint); `diff` compares
//! the results.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::commands::common::{emit, CommonArgs};
use crate::commands::lint::FailOn;
use crate::discover::revision::Repository;
use crate::exit_code;
use crate::graph::Run;
use crate::lint::{self, LintOptions, LintReport};
use crate::model::OtpLibrary;
use crate::progress::Progress;
use crate::render::{self, Painter};

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Sections for the terminal.
    Human,
    /// The `otpmap.diff/1` document (docs/json.md).
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
}

/// Arguments of `otpmap diff`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  otpmap diff                         merge base with main (or master) vs the work tree
  otpmap diff main                    main vs the work tree
  otpmap diff v1.4.0 v1.5.0           two revisions
  otpmap diff main HEAD apps/billing  a folder of the repository
  otpmap diff main --format markdown -o otpmap-diff.md   for a pull-request comment
  otpmap diff main --fail-on-new warning                 exit 1 on new findings

Both sides are read from git (git archive) without touching the work tree.
A folder given after the revisions is the project to map; an argument that
is a folder on disk is taken as that folder, not as a revision.")]
pub(crate) struct DiffArgs {
    /// The old side: a git revision [default: the merge base of HEAD and
    /// the default branch].
    #[arg(value_name = "BASE")]
    base: Option<String>,
    /// The new side: a git revision [default: the work tree].
    #[arg(value_name = "HEAD")]
    head: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,
    /// Exit 1 when the change adds lint findings at or above this severity.
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on_new: Option<FailOn>,
}

/// What one side's pipeline made: the run, with its trees, and the lint.
struct SideRun {
    run: Run,
    lint: LintReport,
}

fn analyse(dir: &Path, common: &CommonArgs) -> anyhow::Result<SideRun> {
    // A side with no Erlang project is an error, as for every command.
    let side = CommonArgs {
        path: dir.to_owned(),
        ..common.clone()
    };
    let project = super::load_project(&side)?;
    let run = Run::analyse(project, &OtpLibrary::none())
        .with_trees(None)
        .finish();
    // The default build, every rule: what `otpmap lint` reports.
    let lint = lint::run(&run.project, &LintOptions::default())?;
    Ok(SideRun { run, lint })
}

/// Splits the positional words into revisions and the project folder: the
/// last word is the folder when it is one on disk.
fn revisions_and_path(args: &DiffArgs) -> (Vec<String>, PathBuf) {
    let mut revs: Vec<String> = [&args.base, &args.head]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut path = args.common.path.clone();
    if path == Path::new(".") {
        if let Some(last) = revs.last() {
            if Path::new(last).is_dir() {
                path = PathBuf::from(last);
                revs.pop();
            }
        }
    }
    (revs, path)
}

/// Runs `diff`.
pub(crate) fn run(args: &DiffArgs) -> anyhow::Result<i32> {
    let (revs, path) = revisions_and_path(args);
    let repo = Repository::open(&path)?;
    let (base_label, base) = match revs.first() {
        Some(rev) => (rev.clone(), repo.resolve(rev)?),
        None => repo.default_base()?,
    };
    let head = match revs.get(1) {
        Some(rev) => Some((rev.clone(), repo.resolve(rev)?)),
        None => None,
    };
    let human = args.format == DiffFormat::Human;
    let progress = Progress::new(args.common.progress_enabled(human));
    let work = tempfile::Builder::new()
        .prefix("otpmap-diff")
        .tempdir()
        .map_err(|e| anyhow::anyhow!("cannot make a temporary folder: {e}"))?;
    progress.stage(&format!("reading {base_label}"));
    let base_dir = work.path().join("base");
    std::fs::create_dir_all(&base_dir)?;
    let base_run = analyse(&repo.checkout(&base, &base_dir)?, &args.common)?;
    let (head_label, head_run) = match &head {
        Some((label, commit)) => {
            progress.stage(&format!("reading {label}"));
            let dir = work.path().join("head");
            std::fs::create_dir_all(&dir)?;
            (
                label.clone(),
                analyse(&repo.checkout(commit, &dir)?, &args.common)?,
            )
        }
        None => {
            progress.stage("reading the work tree");
            ("the work tree".to_owned(), analyse(&path, &args.common)?)
        }
    };
    progress.finish();
    fn side(r: &SideRun) -> crate::diff::Side<'_> {
        crate::diff::Side {
            project: &r.run.project,
            boot_orders: &r.run.boot_orders,
            trees: r.run.trees(),
            lint: &r.lint,
        }
    }
    let diff = crate::diff::compare(&side(&base_run), &side(&head_run));
    let labels = render::diff_labels(&base_label, &base, &head_label);
    let text = match args.format {
        DiffFormat::Human => {
            render::human::diff::render(&diff, &labels, &Painter::new(args.common.color_enabled()))
        }
        DiffFormat::Json => render::json::diff::render(&diff, &labels),
        DiffFormat::Markdown => render::markdown::diff::render(&diff, &labels),
    };
    emit(&text, args.common.output.as_deref())?;
    let failing = args.fail_on_new.is_some_and(|level| {
        diff.findings_new
            .iter()
            .any(|f| f.severity >= level.severity())
    });
    super::keep_until_exit((base_run, head_run));
    Ok(if failing {
        exit_code::FINDINGS
    } else {
        exit_code::CLEAN
    })
}
