//! `otpmap blast`: what a crash of one process takes down, read from the
//! static supervision trees and the releases' start types.

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::commands::common::{emit, CommonArgs};
use crate::exit_code;
use crate::graph::blast;
use crate::graph::{supervision, Run};
use crate::model::OtpLibrary;
use crate::progress::Progress;
use crate::render::{self, Painter};

/// Output formats of `blast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BlastFormat {
    /// Sentences for people.
    Human,
    /// The `otpmap.blast/1` document (docs/json.md).
    Json,
}

/// Arguments of `otpmap blast`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  otpmap blast store_order_queue            a child id, module or registered name
  otpmap blast store_orders_sup/store_order_queue   a path of child ids, nearest last
  otpmap blast db_conn path/to/repo --app billing
  otpmap blast store_cart --format json

The rules are OTP's: who a strategy restarts, restart types, intensity and
period, auto_shutdown, and the application's start type (docs/blast.md).")]
pub(crate) struct BlastArgs {
    /// The process: a child id, a module, a registered name, or a path of
    /// child ids (`sup/child`).
    #[arg(value_name = "NAME")]
    name: String,
    #[command(flatten)]
    common: CommonArgs,
    /// Only look in this application's tree.
    #[arg(long, value_name = "APP")]
    app: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = BlastFormat::Human)]
    format: BlastFormat,
}

/// Runs `blast`.
pub(crate) fn run(args: &BlastArgs) -> anyhow::Result<i32> {
    let human = args.format == BlastFormat::Human;
    let progress = Progress::new(args.common.progress_enabled(human));
    progress.stage("reading the project");
    let project = super::load_project(&args.common)?;
    // The releases' boot orders tell which apps a release starts as
    // dependencies (permanent, as systools does).
    let analysing = Run::analyse(project, &OtpLibrary::none());
    progress.stage("evaluating supervisors");
    let run = analysing.with_trees(args.app.as_deref()).finish();
    let trees = run.trees();
    progress.finish();
    if let Some(app) = &args.app {
        if !trees.trees.iter().any(|t| &t.app == app) {
            let with: Vec<&str> = trees.trees.iter().map(|t| t.app.as_str()).collect();
            bail!(
                "no supervision tree for application `{app}`; applications with a tree: {}",
                if with.is_empty() {
                    "none".to_owned()
                } else {
                    with.join(", ")
                }
            );
        }
    }
    let all = blast::find(trees, &args.name, args.app.as_deref());
    // An application included by another is drawn twice: inside the
    // includer's tree, where a release starts it, and on its own. Without
    // --app the includer's is the one meant; the other is named in a note.
    let (matches, elsewhere): (Vec<_>, Vec<_>) = if all.iter().any(|m| !m.included) {
        all.into_iter().partition(|m| !m.included)
    } else {
        (all, Vec::new())
    };
    let found = match matches.as_slice() {
        [] => bail!(
            "no process `{}` in the supervision trees{}; name a child id, a module or a \
             registered name (otpmap tree lists them){}",
            args.name,
            args.app
                .as_ref()
                .map(|a| format!(" of `{a}`"))
                .unwrap_or_default(),
            close_names(trees, &args.name)
        ),
        [one] => one,
        many => {
            let listed: Vec<String> = many
                .iter()
                .map(|m| format!("  {}: {}", m.app, m.path.join("/")))
                .collect();
            bail!(
                "`{}` names {} processes:\n{}\nname one by its path of child ids \
                 (`sup/child`), or pass --app",
                args.name,
                many.len(),
                listed.join("\n")
            )
        }
    };
    let Some(mut report) = blast::blast(&run.project.releases, &run.boot_orders, trees, found)
    else {
        bail!("internal error: `{}` was found but not reached", args.name);
    };
    for m in &elsewhere {
        report.notes.push(format!(
            "application {} (included here) has this process too when started on its own: \
             otpmap blast {} --app {}",
            m.app,
            m.path.join("/"),
            m.app
        ));
    }
    let text = match args.format {
        BlastFormat::Human => {
            render::human::blast::render(&report, &Painter::new(args.common.color_enabled()))
        }
        BlastFormat::Json => render::json::blast::render(&report),
    };
    emit(&text, args.common.output.as_deref())?;
    super::keep_until_exit(run);
    Ok(exit_code::CLEAN)
}

/// Ids that contain the name, or that it contains: a typo's neighbours.
fn close_names(trees: &supervision::Supervision, name: &str) -> String {
    fn collect(node: &supervision::TreeNode, out: &mut Vec<String>) {
        out.push(node.id.clone());
        if let Some(s) = &node.supervisor {
            for c in &s.children {
                collect(c, out);
            }
        }
    }
    let mut ids = Vec::new();
    for t in &trees.trees {
        collect(&t.root, &mut ids);
    }
    let needle = name.to_ascii_lowercase();
    let mut close: Vec<String> = ids
        .into_iter()
        .filter(|id| {
            let id = id.to_ascii_lowercase();
            !needle.is_empty() && (id.contains(&needle) || needle.contains(&id))
        })
        .collect();
    close.sort();
    close.dedup();
    close.truncate(8);
    if close.is_empty() {
        String::new()
    } else {
        format!("; close: {}", close.join(", "))
    }
}
