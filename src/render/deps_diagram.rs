//! The application graph as a [`Diagram`]: regular apps are ovals and
//! library apps boxes (as in recon's `app_deps`), OTP apps muted, missing
//! apps red; `included_applications` edges bold, `optional_applications`
//! dashed; an app that belongs to exactly one release sits in that
//! release's cluster.

use super::diagram::{Cluster, Diagram, Direction, Edge, Emphasis, LineStyle, Node, Shape};
use crate::graph::{AppGraph, AppSource, EdgeKind, GraphView, NodeKind};
use crate::model::Release;

/// Builds the diagram of the selected part of the graph.
pub fn diagram(graph: &AppGraph, view: &GraphView, releases: &[Release]) -> Diagram {
    let mut nodes = Vec::new();
    for &i in &view.nodes {
        let n = graph.node(i);
        let mut label = vec![match &n.vsn {
            Some(v) => format!("{} {v}", n.name),
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
