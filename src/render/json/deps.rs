//! `otpmap deps --format json`: schema `otpmap.deps/1` (see `docs/json.md`).

use crate::diagnostic::Diagnostic;
use crate::graph::{AppGraph, AppSource, BootStep, GraphView, NodeKind, Run};
use crate::model::{DepSource, ReleaseSource};
use petgraph::graph::EdgeIndex;
use serde::Serialize;

/// The schema name and version written in every deps document.
const SCHEMA: &str = "otpmap.deps/1";

#[derive(Serialize)]
struct DepsDoc<'a> {
    schema: &'static str,
    /// The OTP lib directory read, or null when OTP apps are leaves.
    otp_root: Option<String>,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    releases: Vec<ReleaseOut<'a>>,
    cycles: Vec<Vec<String>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct NodeOut<'a> {
    name: &'a str,
    vsn: Option<&'a str>,
    kind: NodeKind,
    source: AppSource,
    dep_source: Option<DepSource>,
    dep_profile: Option<&'a str>,
    file: Option<&'a str>,
    releases: &'a [String],
}

/// One edge of the application graph as JSON shows it (`deps` and the
/// report's embedded graph).
#[derive(Serialize)]
pub(crate) struct EdgeOut<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    file: Option<&'a str>,
    line: Option<u32>,
}

impl<'a> EdgeOut<'a> {
    pub(crate) fn of(g: &'a AppGraph, e: EdgeIndex) -> EdgeOut<'a> {
        let (a, b) = g.ends(e);
        let w = &g.graph[e];
        EdgeOut {
            from: &g.node(a).name,
            to: &g.node(b).name,
            kind: w.kind.as_str(),
            file: w.at.as_ref().map(|(f, _)| f.as_str()),
            line: w.at.as_ref().map(|(_, l)| *l),
        }
    }

    /// What tells two edges apart: their ends and kind.
    pub(crate) fn key(&self) -> (&str, &str, &str) {
        (self.from, self.to, self.kind)
    }
}

#[derive(Serialize)]
struct ReleaseOut<'a> {
    name: &'a str,
    vsn: &'a str,
    source: ReleaseSource,
    profile: Option<&'a str>,
    file: &'a str,
    line: u32,
    boot: &'a [BootStep],
    boot_order: Vec<String>,
    cycle: Option<&'a [String]>,
    missing: &'a [String],
    undefined: &'a [String],
    unresolved: &'a [String],
}

/// Renders the deps document for the selected view. Releases and
/// diagnostics are always whole; nodes and edges follow the filters.
pub fn render(run: &Run, view: &GraphView, otp_root: Option<&str>) -> String {
    let (project, analysis) = (&run.project, &run.analysis);
    let g = &analysis.graph;
    let mut nodes: Vec<NodeOut> = view
        .nodes
        .iter()
        .map(|&i| {
            let n = g.node(i);
            NodeOut {
                name: &n.name,
                vsn: n.vsn.as_deref(),
                kind: n.kind,
                source: n.source,
                dep_source: n.dep_source,
                dep_profile: n.dep_profile.as_deref(),
                file: n.file.as_deref(),
                releases: &n.releases,
            }
        })
        .collect();
    nodes.sort_by(|a, b| a.name.cmp(b.name));
    let edges = view.edges.iter().map(|&e| EdgeOut::of(g, e)).collect();
    let releases = project
        .releases
        .iter()
        .zip(&analysis.plans)
        .map(|(r, p)| ReleaseOut {
            name: &r.name,
            vsn: &r.vsn,
            source: r.source,
            profile: r.profile.as_deref(),
            file: &r.file,
            line: r.line,
            boot: &p.steps,
            boot_order: p.boot_order(),
            cycle: p.cycle.as_deref(),
            missing: &p.missing,
            undefined: &p.undefined,
            unresolved: &p.unresolved,
        })
        .collect();
    let doc = DepsDoc {
        schema: SCHEMA,
        otp_root: otp_root.map(str::to_owned),
        nodes,
        edges,
        releases,
        cycles: g.cycles(),
        diagnostics: &run.diagnostics,
    };
    super::to_string(&doc)
}
