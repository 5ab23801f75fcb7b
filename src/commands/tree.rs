//! `otpmap tree`: the supervision tree of every application, from source.

use std::path::Path;

use anyhow::bail;
use clap::{Args, ValueEnum};

use super::deps::SvgRenderer;
use crate::commands::common::{emit, emit_bytes, CommonArgs};
use crate::exit_code;
use crate::graph::{supervision, Run};
use crate::model::OtpLibrary;
use crate::progress::Progress;
use crate::render::{self, diagram, Painter};

/// Output formats of `tree`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TreeFormat {
    /// Box-drawing trees for the terminal.
    Human,
    /// The `otpmap.tree/1` document (docs/json.md).
    Json,
    /// Graphviz DOT.
    Dot,
    /// SVG (graphviz when installed, else a built-in layout).
    Svg,
    /// PNG (needs graphviz).
    Png,
    /// A Mermaid flowchart for markdown.
    Mermaid,
}

impl TreeFormat {
    /// The format an output file's extension implies.
    fn from_extension(path: &Path) -> Option<TreeFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => TreeFormat::Dot,
            "svg" => TreeFormat::Svg,
            "png" => TreeFormat::Png,
            "mmd" | "mermaid" => TreeFormat::Mermaid,
            "json" => TreeFormat::Json,
            "txt" => TreeFormat::Human,
            _ => return None,
        })
    }
}

/// Arguments of `otpmap tree`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  otpmap tree\n  otpmap tree --app my_app\n  \
                        otpmap tree --format mermaid > docs/supervision.mmd\n  \
                        otpmap tree -o supervision.svg          (format from the extension)\n  \
                        otpmap tree --format json | jq '.trees[].root.children[].id'\n  \
                        otpmap tree --root my_pool_sup          (a supervisor no app starts)\n\n\
                        What the evaluator follows and what it reports as unresolved: docs/tree.md"
)]
pub(crate) struct TreeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output format [default: from the extension of -o, else human].
    #[arg(long, short = 'f', value_enum)]
    format: Option<TreeFormat>,
    /// Only the tree of this application.
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// Only the tree under this supervisor, started by no application
    /// here (a library's pool supervisor): `Module` (its `start_link`, else
    /// its `init/1`) or `Module:Function`.
    #[arg(long, value_name = "MODULE[:FUNCTION]", conflicts_with = "app")]
    root: Option<String>,
    /// Evaluation steps the supervision evaluator may spend on one value
    /// of a supervisor's `init/1` (and its start functions); more resolves
    /// more of what costly code computes, at more time [default: 10000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    max_steps: Option<u64>,
    /// How to lay out SVG.
    #[arg(long, value_enum, default_value_t = SvgRenderer::Auto)]
    renderer: SvgRenderer,
}

/// Runs `tree`.
pub(crate) fn run(args: &TreeArgs) -> anyhow::Result<i32> {
    let format = args
        .format
        .or_else(|| {
            args.common
                .output
                .as_deref()
                .and_then(TreeFormat::from_extension)
        })
        .unwrap_or(TreeFormat::Human);
    args.renderer.check_available(format == TreeFormat::Svg)?;
    let progress = Progress::new(args.common.progress_enabled(format == TreeFormat::Human));
    progress.stage("reading the project");
    let project = super::load_project(&args.common)?;
    // Release boot orders (trees are listed in boot order). OTP's own
    // dependencies do not change the order of the project's apps.
    let analysing = Run::analyse(project, &OtpLibrary::none());
    let project = analysing.project();
    if let Some(name) = &args.app {
        let with_trees: Vec<&str> =
            supervision::roots::apps_in_boot_order(project, analysing.boot_orders())
                .iter()
                .map(|a| a.name.as_str())
                .collect();
        if !with_trees.contains(&name.as_str()) {
            let listed = if with_trees.is_empty() {
                "no application here has one".to_owned()
            } else {
                format!("applications with a tree: {}", with_trees.join(", "))
            };
            match project.app(name) {
                Some(_) => bail!(
                    "application `{name}` has no `mod` callback, so no supervision tree; {listed}"
                ),
                None => bail!(
                    "no application `{name}` in {}; {listed}",
                    args.common.path.display()
                ),
            }
        }
    }
    progress.stage("evaluating supervisors");
    let limits = supervision::Limits::with_steps(args.max_steps.map(|n| n as usize));
    let trees = match &args.root {
        Some(root) => {
            let (module, function) = match root.split_once(':') {
                Some((m, f)) => (m, Some(f)),
                None => (root.as_str(), None),
            };
            if module.is_empty() || function.is_some_and(|f| f.is_empty() || f.contains('/')) {
                bail!("--root takes `Module` or `Module:Function`, not `{root}`");
            }
            supervision::analyse_root(project, module, function, limits).map_err(|why| {
                anyhow::anyhow!(
                    "{why}; `otpmap tree` lists the supervisors no application starts at the end"
                )
            })?
        }
        None => supervision::analyse_with(
            project,
            analysing.boot_orders(),
            args.app.as_deref(),
            limits,
        ),
    };
    let run = analysing.with_drawn_trees(trees).finish();
    progress.finish();
    let out = args.common.output.as_deref();
    let diagram = || render::tree_diagram::diagram(run.trees());
    match format {
        TreeFormat::Human => emit(
            &render::human::tree::render(&run, &Painter::new(args.common.color_enabled())),
            out,
        )?,
        TreeFormat::Json => emit(&render::json::tree::render(&run), out)?,
        TreeFormat::Dot => emit(&diagram::to_dot(&diagram()), out)?,
        TreeFormat::Mermaid => {
            let d = diagram();
            let text = diagram::to_mermaid(&d);
            emit(&text, out)?;
            if let Some(w) = render::diagram_limits::mermaid_warning(
                &d,
                &text,
                "--app NAME or --root SUPERVISOR",
            ) {
                eprintln!("otpmap: {w}");
            }
        }
        TreeFormat::Svg => {
            let (svg, renderer) = diagram::to_svg(
                &diagram(),
                args.renderer != SvgRenderer::Builtin,
                "--app NAME or --root SUPERVISOR",
            )?;
            emit(&svg, out)?;
            if !args.common.quiet {
                eprintln!("otpmap: SVG laid out by {}", renderer.describe());
            }
        }
        TreeFormat::Png => emit_bytes(&diagram::to_png(&diagram())?, out)?,
    }
    let shown = matches!(format, TreeFormat::Human | TreeFormat::Json);
    let code = super::exit_code(exit_code::CLEAN, &run.diagnostics, shown);
    super::keep_until_exit(run);
    Ok(code)
}
