//! `otpmap deps`: the application dependency graph, each release's boot
//! order, and the dependency checks.

use crate::commands::common::{emit, emit_bytes, CommonArgs};
use crate::exit_code;
use crate::graph::{self, Focus, GraphView, Run, ViewOptions};
use crate::load::otp::{lib_dir_from_path, lib_dir_of, read_otp_library};
use crate::model::OtpLibrary;
use crate::progress::Progress;
use crate::render::{self, diagram, Painter};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Output formats of `deps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DepsFormat {
    /// Indented trees, boot orders, diagnostics.
    Human,
    /// Graphviz DOT text.
    Dot,
    /// SVG: graphviz's layout when `dot` is installed, else the built-in one.
    Svg,
    /// PNG (needs graphviz).
    Png,
    /// A Mermaid flowchart for GitHub markdown.
    Mermaid,
    /// The `otpmap.deps/1` document.
    Json,
}

impl DepsFormat {
    /// The format an output file's extension implies.
    fn from_extension(path: &Path) -> Option<DepsFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => DepsFormat::Dot,
            "svg" => DepsFormat::Svg,
            "png" => DepsFormat::Png,
            "mmd" | "mermaid" => DepsFormat::Mermaid,
            "json" => DepsFormat::Json,
            "txt" => DepsFormat::Human,
            _ => return None,
        })
    }
}

/// Which program lays out an SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum SvgRenderer {
    /// graphviz when `dot` is on PATH, else the built-in layout.
    #[default]
    Auto,
    /// graphviz's `dot`; an error when it is not installed.
    Graphviz,
    /// The built-in pure-Rust layout (layout-rs): same output everywhere.
    Builtin,
}

impl SvgRenderer {
    /// Fails early, before the project is read, when SVG must come from
    /// graphviz and graphviz is not there.
    pub(crate) fn check_available(self, svg: bool) -> anyhow::Result<()> {
        if svg && self == SvgRenderer::Graphviz && !diagram::graphviz_available() {
            anyhow::bail!(
                "--renderer graphviz: graphviz's `dot` is not installed (apt-get install graphviz, \
                 brew install graphviz); --renderer builtin works without it"
            );
        }
        Ok(())
    }
}

/// The environment variable that sets the OTP root when no flag does.
const OTP_ROOT_ENV: &str = "OTPMAP_OTP_ROOT";

/// Where OTP's own `.app` files come from. Shared by the commands that
/// build the application graph.
#[derive(Debug, Clone, Args)]
pub(crate) struct OtpRootArgs {
    /// Read OTP's .app files from DIR (an OTP root or its lib dir) so OTP
    /// apps show their own dependencies. Default: $OTPMAP_OTP_ROOT if set
    /// (empty: none), else the lib dir of the `erl` on PATH, if any.
    #[arg(long, value_name = "DIR", conflicts_with = "no_otp_root")]
    otp_root: Option<PathBuf>,
    /// Do not read any OTP installation: OTP apps are leaves, known by name
    /// (OTP 25's list). Output then does not depend on the machine.
    #[arg(long)]
    no_otp_root: bool,
}

impl OtpRootArgs {
    /// Reads the OTP installation asked for. A `--otp-root` that is not an
    /// OTP installation is a bad argument; a missing `erl` is not.
    pub(crate) fn library(&self) -> anyhow::Result<OtpLibrary> {
        if self.no_otp_root {
            return Ok(OtpLibrary::none());
        }
        // OTPMAP_OTP_ROOT stands in for the flags: a directory, or empty
        // for none (tests and CI pin the output with it).
        let from_env = std::env::var_os(OTP_ROOT_ENV);
        let asked = match (&self.otp_root, &from_env) {
            (Some(dir), _) => Some(dir.clone()),
            (None, Some(v)) if v.is_empty() => return Ok(OtpLibrary::none()),
            (None, Some(v)) => Some(PathBuf::from(v)),
            (None, None) => None,
        };
        let lib = match &asked {
            Some(dir) => Some(lib_dir_of(dir).ok_or_else(|| {
                anyhow::anyhow!(
                    "--otp-root {}: not an OTP installation (expected a lib dir holding \
                     kernel-<vsn>/, or a directory whose lib/ does)",
                    dir.display()
                )
            })?),
            None => lib_dir_from_path(),
        };
        match lib {
            Some(dir) => read_otp_library(&dir)
                .map_err(|e| anyhow::anyhow!("cannot read OTP lib dir {}: {e}", dir.display())),
            None => Ok(OtpLibrary::none()),
        }
    }
}

/// Arguments of `otpmap deps`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  otpmap deps                              the project's apps, boot order per release, checks
  otpmap deps --all                        with dependencies and OTP apps, one each
  otpmap deps --format svg -o deps.svg     diagram (graphviz if installed, else built in)
  otpmap deps -o deps.mmd                  Mermaid, for GitHub markdown (format from the extension)
  otpmap deps --app web --depth 2 --no-otp what web needs, two levels, without OTP
  otpmap deps --reverse shop_common        who depends on shop_common

Exit codes: 0 (dependency problems are diagnostics, not failures), 2 on bad
arguments or an unknown --app/--reverse name.")]
pub(crate) struct DepsArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output format; default: from the -o extension, else human.
    #[arg(long, short = 'f', value_enum)]
    format: Option<DepsFormat>,
    #[command(flatten)]
    otp: OtpRootArgs,
    /// Hide OTP's applications.
    #[arg(long)]
    no_otp: bool,
    /// Only NAME and what it depends on, transitively.
    #[arg(long, value_name = "NAME", conflicts_with = "reverse")]
    app: Option<String>,
    /// Only NAME and the apps that depend on it, transitively.
    #[arg(long, value_name = "NAME")]
    reverse: Option<String>,
    /// At most N edges from --app/--reverse NAME (or from the project's apps).
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    /// Leave these apps out (and what is reached only through them);
    /// repeat the option or separate names with commas.
    #[arg(long, value_name = "NAME[,NAME...]", value_delimiter = ',')]
    exclude: Vec<String>,
    /// How to lay out SVG.
    #[arg(long, value_enum, default_value_t = SvgRenderer::Auto)]
    renderer: SvgRenderer,
    /// Show every application: dependencies, OTP's and missing apps too,
    /// one node each. By default the whole-graph view shows the project's
    /// own apps, and diagrams fold the others into one node per kind
    /// (JSON always holds every app).
    #[arg(long)]
    all: bool,
    /// Leave out an edge when a longer path implies it (A needs C because A
    /// needs B and B needs C): transitive reduction. The default for dot,
    /// svg, png and mermaid.
    #[arg(long, conflicts_with = "no_reduce")]
    reduce: bool,
    /// Draw every edge, also those a longer path implies (the default for
    /// human and json).
    #[arg(long)]
    no_reduce: bool,
}

/// Runs `deps`.
pub(crate) fn run(args: &DepsArgs) -> anyhow::Result<i32> {
    let format = args
        .format
        .or_else(|| {
            args.common
                .output
                .as_deref()
                .and_then(DepsFormat::from_extension)
        })
        .unwrap_or(DepsFormat::Human);
    args.renderer.check_available(format == DepsFormat::Svg)?;
    let progress = Progress::new(args.common.progress_enabled(format == DepsFormat::Human));
    progress.stage("reading the project");
    let otp = args.otp.library()?;
    let project = super::load_project(&args.common)?;
    progress.stage("building the application graph");
    let run = Run::analyse(project, &otp).with_checks().finish();
    let analysis = &run.analysis;
    let focus = match (&args.app, &args.reverse) {
        (Some(a), _) => Focus::DependenciesOf(a.clone()),
        (None, Some(r)) => Focus::DependentsOf(r.clone()),
        (None, None) => Focus::All,
    };
    let drawn = !matches!(format, DepsFormat::Human | DepsFormat::Json);
    // JSON keeps every app: a program reading it filters for itself.
    let own_apps_only = format == DepsFormat::Human && !args.all;
    let opts = ViewOptions {
        focus: focus.clone(),
        depth: args.depth,
        exclude: args.exclude.iter().cloned().collect(),
        hide_otp: args.no_otp,
        own_apps_only,
    };
    let mut view = GraphView::select(&analysis.graph, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    let reduce = args.reduce || (drawn && !args.no_reduce);
    if reduce && !drawn {
        view.reduce(&analysis.graph);
    }
    progress.finish();

    let otp_root = otp
        .lib_dir
        .as_ref()
        .map(|d| d.to_string_lossy().into_owned());
    let out = args.common.output.as_deref();
    let has_own = analysis
        .graph
        .nodes_by_name()
        .into_iter()
        .any(|i| analysis.graph.node(i).source == graph::AppSource::Project);
    let diagram_opts = render::deps_diagram::DiagramOptions {
        fold: !args.all && focus == Focus::All && has_own,
        reduce,
    };
    let diagram = || {
        render::deps_diagram::diagram(&analysis.graph, &view, &run.project.releases, diagram_opts)
    };
    let narrow = "--app NAME and --depth N (or --exclude NAME)";
    match format {
        DepsFormat::Human => {
            let ctx = render::human::deps::DepsContext {
                otp_root: otp_root.as_deref(),
                show_releases: focus == Focus::All,
                own_apps_only: own_apps_only && has_own && focus == Focus::All,
                reduced: reduce,
                hide_otp: args.no_otp,
            };
            let painter = Painter::new(args.common.color_enabled());
            emit(
                &render::human::deps::render(&run, &view, &ctx, &painter),
                out,
            )?;
        }
        DepsFormat::Json => emit(
            &render::json::deps::render(&run, &view, otp_root.as_deref()),
            out,
        )?,
        DepsFormat::Dot => emit(&diagram::to_dot(&diagram()), out)?,
        DepsFormat::Mermaid => {
            let d = diagram();
            let text = diagram::to_mermaid(&d);
            emit(&text, out)?;
            if let Some(w) = render::diagram_limits::mermaid_warning(&d, &text, narrow) {
                eprintln!("otpmap: {w}");
            }
        }
        DepsFormat::Svg => {
            let (svg, renderer) =
                diagram::to_svg(&diagram(), args.renderer != SvgRenderer::Builtin, narrow)?;
            emit(&svg, out)?;
            if !args.common.quiet {
                eprintln!("otpmap: SVG laid out by {}", renderer.describe());
            }
        }
        DepsFormat::Png => emit_bytes(&diagram::to_png(&diagram())?, out)?,
    }
    let shown = matches!(format, DepsFormat::Human | DepsFormat::Json);
    Ok(super::exit_code(exit_code::CLEAN, &run.diagnostics, shown))
}
