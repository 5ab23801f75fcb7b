//! The application graph as a [`Diagram`]: regular apps are ovals and
//! library apps boxes (as in recon's `app_deps`), OTP apps muted, missing
//! apps red; `included_applications` edges bold, `optional_applications`
//! dashed; an app that belongs to exactly one release sits in that
//! release's cluster. Folded, the apps from outside the project are one
//! node per kind (dependencies, OTP, missing); reduced, an edge implied by
//! a longer path is left out.

use super::diagram_model::{Cluster, Diagram, Direction, Edge, Emphasis, LineStyle, Node, Shape};
use crate::graph::reduce::{reduce, ReducibleEdge};
use crate::graph::{AppGraph, AppSource, EdgeKind, GraphView, NodeKind};
use crate::model::Release;
use std::collections::{BTreeMap, BTreeSet};

/// How to draw the selected apps.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DiagramOptions {
    /// One node for all dependencies, one for OTP's apps, one for missing
    /// apps, instead of a node each.
    pub(crate) fold: bool,
    /// Leave out edges a longer path implies (transitive reduction).
    pub(crate) reduce: bool,
}

/// The id of the node that stands for the folded apps of one source. App
/// names are atoms; none holds a space and parentheses.
fn folded_id(source: AppSource) -> Option<&'static str> {
    match source {
        AppSource::Project => None,
        AppSource::Dep => Some("(dependencies)"),
        AppSource::Otp => Some("(OTP applications)"),
        AppSource::Missing => Some("(missing applications)"),
    }
}

/// Builds the diagram of the selected part of the graph.
pub(crate) fn diagram(
    graph: &AppGraph,
    view: &GraphView,
    releases: &[Release],
    opts: DiagramOptions,
) -> Diagram {
    let whole = diagram_of_each(graph, view, releases);
    let d = if opts.fold {
        fold(graph, view, whole)
    } else {
        whole
    };
    if opts.reduce {
        reduced(d)
    } else {
        d
    }
}

/// Replaces every app from outside the project by the node of its source.
fn fold(graph: &AppGraph, view: &GraphView, d: Diagram) -> Diagram {
    let source: BTreeMap<&str, AppSource> = view
        .nodes
        .iter()
        .map(|&i| (graph.node(i).name.as_str(), graph.node(i).source))
        .collect();
    let target = |name: &str| -> String {
        match source.get(name).copied().and_then(folded_id) {
            Some(id) => id.to_owned(),
            None => name.to_owned(),
        }
    };
    let mut counts: BTreeMap<&'static str, (AppSource, usize)> = BTreeMap::new();
    for &s in source.values() {
        if let Some(id) = folded_id(s) {
            counts.entry(id).or_insert((s, 0)).1 += 1;
        }
    }
    let mut nodes: Vec<Node> = d
        .nodes
        .into_iter()
        .filter(|n| {
            source
                .get(n.id.as_str())
                .copied()
                .and_then(folded_id)
                .is_none()
        })
        .collect();
    for (id, (s, count)) in counts {
        let (what, emphasis, class) = match s {
            AppSource::Dep => ("dependencies", Emphasis::Dashed, "dep"),
            AppSource::Otp => ("OTP applications", Emphasis::Muted, "otp"),
            _ => ("missing applications", Emphasis::Problem, "missing"),
        };
        let what = if count == 1 {
            what.replace("dependencies", "dependency")
                .replace("applications", "application")
        } else {
            what.to_owned()
        };
        nodes.push(Node {
            id: id.to_owned(),
            label: vec![format!("{count} {what}"), "--all draws each".to_owned()],
            shape: Shape::Box,
            emphasis,
            class,
        });
    }
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut seen = BTreeSet::new();
    let mut edges = Vec::new();
    for e in d.edges {
        let (from, to) = (target(&e.from), target(&e.to));
        // Within a folded node, and the same need twice, are one edge.
        let key = (from.clone(), to.clone(), e.label.clone());
        if from != to && seen.insert(key) {
            edges.push(Edge { from, to, ..e });
        }
    }
    edges.sort_by(|a, b| (&a.from, &a.to, &a.label).cmp(&(&b.from, &b.to, &b.label)));
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let clusters = d
        .clusters
        .into_iter()
        .map(|c| Cluster {
            nodes: c
                .nodes
                .into_iter()
                .filter(|n| ids.contains(n.as_str()))
                .collect(),
            ..c
        })
        .filter(|c| !c.nodes.is_empty())
        .collect();
    Diagram {
        nodes,
        edges,
        clusters,
        ..d
    }
}

/// The diagram without the edges a longer path implies; included edges
/// always stay, and an optional path makes no edge redundant.
fn reduced(d: Diagram) -> Diagram {
    let index: BTreeMap<&str, usize> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let known: Vec<&Edge> = d
        .edges
        .iter()
        .filter(|e| index.contains_key(e.from.as_str()) && index.contains_key(e.to.as_str()))
        .collect();
    let given: Vec<ReducibleEdge> = known
        .iter()
        .map(|e| ReducibleEdge {
            from: index[e.from.as_str()],
            to: index[e.to.as_str()],
            removable: e.style == LineStyle::Solid,
            carries: e.style != LineStyle::Dashed,
        })
        .collect();
    let keep = reduce(d.nodes.len(), &given);
    let edges = known
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(e, _)| e.clone())
        .collect();
    Diagram { edges, ..d }
}

/// One node per selected app.
fn diagram_of_each(graph: &AppGraph, view: &GraphView, releases: &[Release]) -> Diagram {
    let mut nodes = Vec::new();
    for &i in &view.nodes {
        let n = graph.node(i);
        let mut label = vec![match &n.vsn {
            Some(v) => format!("{} {}", n.name, super::vsn::vsn_label(v)),
            None => n.name.clone(),
        }];
        if n.source == AppSource::Missing {
            label.push("(missing)".to_owned());
        } else if n.releases.len() > 1 && n.source != AppSource::Otp {
            label.push(format!("in {}", n.releases.join(", ")));
        }
        let shape = match n.kind {
            NodeKind::Regular => Shape::Oval,
            NodeKind::Library | NodeKind::Unknown => Shape::Box,
        };
        let (emphasis, class) = match (n.source, n.kind) {
            (AppSource::Missing, _) => (Emphasis::Problem, "missing"),
            (AppSource::Otp, _) => (Emphasis::Muted, "otp"),
            (_, NodeKind::Regular) => (Emphasis::Normal, "regular"),
            (_, NodeKind::Library) => (Emphasis::Normal, "library"),
            // A dep whose .app was not read: its own needs are unknown.
            (_, NodeKind::Unknown) => (Emphasis::Dashed, "dep"),
        };
        nodes.push(Node {
            id: n.name.clone(),
            label,
            shape,
            emphasis,
            class,
        });
    }
    nodes.sort_by(|a, b| a.id.cmp(&b.id));

    let edges = view
        .edges
        .iter()
        .map(|&e| {
            let (a, b) = graph.ends(e);
            let (style, label) = match graph.graph[e].kind {
                EdgeKind::Applications => (LineStyle::Solid, None),
                EdgeKind::IncludedApplications => (LineStyle::Bold, Some("included".to_owned())),
                EdgeKind::OptionalApplications => (LineStyle::Dashed, Some("optional".to_owned())),
            };
            Edge {
                from: graph.node(a).name.clone(),
                to: graph.node(b).name.clone(),
                style,
                label,
            }
        })
        .collect();

    let mut clusters: Vec<Cluster> = Vec::new();
    for r in releases {
        if clusters.iter().any(|c| c.id == r.name) {
            continue;
        }
        let mut members: Vec<String> = view
            .nodes
            .iter()
            .map(|&i| graph.node(i))
            .filter(|n| n.releases.len() == 1 && n.releases[0] == r.name)
            .map(|n| n.name.clone())
            .collect();
        members.sort();
        if !members.is_empty() {
            clusters.push(Cluster {
                id: r.name.clone(),
                label: format!("release {} {}", r.name, r.vsn),
                nodes: members,
            });
        }
    }
    clusters.sort_by(|a, b| a.id.cmp(&b.id));

    Diagram {
        name: "deps".to_owned(),
        direction: Direction::TopDown,
        nodes,
        edges,
        clusters,
    }
}
