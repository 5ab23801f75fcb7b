//! `otpmap tree`: the supervision tree of every application, from source.

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::cli::{emit, emit_bytes, CommonArgs};
use crate::exit_code;
use crate::graph::supervision;
use crate::progress::Progress;
use crate::render::{self, diagram, Painter};

/// Output formats of `tree`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TreeFormat {
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

/// Arguments of `otpmap tree`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  otpmap tree\n  otpmap tree --app my_app\n  \
                        otpmap tree --format mermaid > docs/supervision.md\n  \
                        otpmap tree --format json | jq '.trees[].root.children[].id'\n\n\
                        What the evaluator follows and what it reports as unresolved: docs/tree.md"
)]
pub struct TreeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TreeFormat::Human)]
    pub format: TreeFormat,
    /// Only the tree of this application.
    #[arg(long, value_name = "NAME")]
    pub app: Option<String>,
}

/// Runs `tree`.
pub fn run(args: &TreeArgs) -> anyhow::Result<i32> {
    let progress = Progress::new(
        args.common
            .progress_enabled(args.format == TreeFormat::Human),
    );
    progress.stage("reading the project");
    let mut project = crate::model::load(&args.common.path, &args.common.load_options())
        .map_err(super::root_error)?;
    // Release boot orders (trees are listed in boot order). OTP's own
    // dependencies do not change the order of the project's apps.
    let graph = crate::graph::analyse(&project, &crate::graph::OtpLibrary::none());
    for (release, plan) in project.releases.iter_mut().zip(&graph.plans) {
        release.boot_order = plan.boot_order();
    }
    if let Some(name) = &args.app {
        let with_trees: Vec<&str> = supervision::roots::apps_in_boot_order(&project)
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
    let trees = supervision::analyse(&project, args.app.as_deref());
    progress.finish();
    let out = args.common.output.as_deref();
    match args.format {
        TreeFormat::Human => emit(
            &render::human::tree::render(
                &trees,
                &project.diagnostics,
                &Painter::new(args.common.color_enabled()),
            ),
            out,
        )?,
        TreeFormat::Json => emit(
            &render::json::tree::render(&trees, &project.diagnostics),
            out,
        )?,
        TreeFormat::Dot => emit(
            &diagram::to_dot(&render::tree_diagram::diagram(&trees)),
            out,
        )?,
        TreeFormat::Mermaid => emit(
            &diagram::to_mermaid(&render::tree_diagram::diagram(&trees)),
            out,
        )?,
        TreeFormat::Svg => {
            let (svg, renderer) = diagram::to_svg(&render::tree_diagram::diagram(&trees), true);
            if renderer == diagram::Renderer::LayoutRs && !args.common.quiet {
                eprintln!("note: laid out by the {}", renderer.describe());
            }
            emit(&svg, out)?
        }
        TreeFormat::Png => emit_bytes(
            &diagram::to_png(&render::tree_diagram::diagram(&trees))?,
            out,
        )?,
    }
    Ok(exit_code::CLEAN)
}
