//! One run of the analysis over a loaded project: the value renderers and
//! commands read (docs/architecture.md, "The Run").
//!
//! [`Run::analyse`] takes the project from the loading stage, builds its
//! [`Analysis`] (graph, boot plans, checks: [`analyse`]); the command then adds what it asks for (the checks'
//! diagnostics, the supervision trees, another stage's diagnostics) and
//! [`Analysing::finish`] gives the [`Run`]. Nothing is written back into
//! the project: the boot orders live here, and every stage's diagnostics
//! go into one sink, sorted once.

use super::app_graph::AppGraph;
use super::boot_order::{self, BootPlan};
use super::checks;
use super::supervision::{self, Supervision};
use crate::diagnostic::{Diagnostic, Sink};
use crate::model::{OtpLibrary, Project};
use std::collections::{BTreeMap, BTreeSet};

/// The graph, the boot plans (one per release, in the project's release
/// order) and what the checks found.
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    pub(crate) graph: AppGraph,
    pub(crate) plans: Vec<BootPlan>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Builds the graph, plans every release and runs the checks.
pub(crate) fn analyse(project: &Project, otp: &OtpLibrary) -> Analysis {
    let mut graph = AppGraph::build(project, otp);
    let plans = boot_order::plan_releases(&graph, &project.releases);
    let mut membership: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (release, plan) in project.releases.iter().zip(&plans) {
        let apps = plan
            .steps
            .iter()
            .map(|s| s.app.clone())
            .chain(release.apps.iter().map(|a| a.name.clone()));
        for app in apps {
            membership
                .entry(app)
                .or_default()
                .insert(release.name.clone());
        }
    }
    graph.set_releases(&membership);
    let diagnostics = checks::check(project, &graph, &plans);
    Analysis {
        graph,
        plans,
        diagnostics,
    }
}

/// What one run of otpmap made of a project.
pub struct Run {
    /// The project as the loading stage read it.
    pub project: Project,
    /// The application graph, each release's boot plan and the checks.
    pub(crate) analysis: Analysis,
    /// Each release's boot order (empty when it has none, a cycle), in
    /// the order of `project.releases`.
    pub boot_orders: Vec<Vec<String>>,
    /// The supervision trees, when the command drew them.
    pub trees: Option<Supervision>,
    /// Every stage's diagnostics the command shows, in output order,
    /// each once.
    pub diagnostics: Vec<Diagnostic>,
}

/// A run being built: the graph and boot orders are known; trees and
/// diagnostics are added before [`Analysing::finish`].
pub struct Analysing {
    project: Project,
    analysis: Analysis,
    boot_orders: Vec<Vec<String>>,
    trees: Option<Supervision>,
    sink: Sink,
}

impl Run {
    /// Builds the application graph of `project` (OTP's apps read from
    /// `otp`) and plans its releases.
    pub fn analyse(project: Project, otp: &OtpLibrary) -> Analysing {
        let analysis = analyse(&project, otp);
        let boot_orders = analysis.plans.iter().map(|p| p.boot_order()).collect();
        Analysing {
            project,
            analysis,
            boot_orders,
            trees: None,
            sink: Sink::new(),
        }
    }

    /// The supervision trees; empty when the command drew none.
    pub(crate) fn trees(&self) -> &Supervision {
        static NONE: std::sync::OnceLock<Supervision> = std::sync::OnceLock::new();
        self.trees
            .as_ref()
            .unwrap_or_else(|| NONE.get_or_init(Supervision::default))
    }
}

impl Analysing {
    /// The project being analysed.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Each release's boot order, in the order of the project's releases.
    pub fn boot_orders(&self) -> &[Vec<String>] {
        &self.boot_orders
    }

    /// Shows the dependency checks' diagnostics (`scan`, `deps`, `report`).
    pub fn with_checks(mut self) -> Analysing {
        self.sink.add(self.analysis.diagnostics.iter().cloned());
        self
    }

    /// Evaluates the supervision tree of every application (or only of
    /// `only_app`) with the default limits, in boot order.
    pub fn with_trees(self, only_app: Option<&str>) -> Analysing {
        let trees = supervision::analyse(&self.project, &self.boot_orders, only_app);
        self.with_drawn_trees(trees)
    }

    /// Adds trees the command evaluated itself (`--root`, `--max-steps`)
    /// over [`Analysing::project`] and [`Analysing::boot_orders`].
    pub fn with_drawn_trees(mut self, trees: Supervision) -> Analysing {
        self.sink.add(trees.diagnostics.iter().cloned());
        self.trees = Some(trees);
        self
    }

    /// Adds another stage's diagnostics (the lint's, for `report`).
    pub fn with_diagnostics(
        mut self,
        diagnostics: impl IntoIterator<Item = Diagnostic>,
    ) -> Analysing {
        self.sink.add(diagnostics);
        self
    }

    /// The run: the loading stage's diagnostics, the parse timeouts met by
    /// every stage that read function bodies (so collected last), and
    /// what was added, sorted once.
    pub fn finish(mut self) -> Run {
        self.sink.add(self.project.diagnostics.iter().cloned());
        self.sink.add(self.project.sources.late_diagnostics());
        Run {
            project: self.project,
            analysis: self.analysis,
            boot_orders: self.boot_orders,
            trees: self.trees,
            diagnostics: self.sink.finish(),
        }
    }
}
