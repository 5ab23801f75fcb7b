//! The supervision trees as a [`Diagram`]: supervisors as rounded boxes
//! labelled with their strategy and intensity (typed supervisors that are
//! not expanded too, without them), workers as ovals, dynamic
//! templates as notes; conditional children dashed, unresolved ones red.
//! Edges carry the start order.

use super::diagram_model::{Cluster, Diagram, Direction, Edge, Emphasis, LineStyle, Node, Shape};
use crate::graph::supervision::{ChildType, Supervision, TreeNode};

/// The diagram of every tree (one cluster per application when several).
pub fn diagram(s: &Supervision) -> Diagram {
    let mut d = Diagram {
        name: "supervision".to_owned(),
        direction: Direction::TopDown,
        nodes: Vec::new(),
        edges: Vec::new(),
        clusters: Vec::new(),
    };
    for t in &s.trees {
        let first = d.nodes.len();
        add(&mut d, &t.root, &t.app);
        if s.trees.len() > 1 {
            d.clusters.push(Cluster {
                id: t.app.clone(),
                label: format!("{} ({})", t.app, t.start),
                nodes: d.nodes[first..].iter().map(|n| n.id.clone()).collect(),
            });
        }
    }
    d
}

fn add(d: &mut Diagram, n: &TreeNode, path: &str) {
    let mut label = vec![crate::render::term_text(&n.id)];
    if let Some(m) = &n.module {
        if *m != n.id {
            label.push(m.clone());
        }
    }
    let restart = n.restart.map_or("?", |r| r.as_str());
    let shutdown = n.shutdown.map_or("?".to_owned(), |s| s.to_string());
    let is_sup = n.supervisor.is_some() || n.child_type == Some(ChildType::Supervisor);
    match &n.supervisor {
        Some(s) => {
            let strategy = s.strategy.map_or("?", |x| x.as_str());
            let rate = match (s.intensity, s.period) {
                (Some(i), Some(p)) => format!("{i}/{p}s"),
                _ => "?/?".to_owned(),
            };
            label.push(format!("{strategy} {rate}"));
        }
        // Typed supervisor whose init/1 was not evaluated (a dependency,
        // a hand-written proc_lib supervisor): no strategy to show.
        None if is_sup => label.push("supervisor, not expanded".to_owned()),
        None => {
            if let Some(b) = &n.started.behaviour {
                label.push(b.clone());
            }
        }
    }
    label.push(format!("{restart}, shutdown {shutdown}"));
    if n.dynamic {
        label.push("dynamic".to_owned());
    }
    let (shape, class) = match (is_sup, n.dynamic) {
        (_, true) => (Shape::Note, "dynamic"),
        (true, false) => (Shape::RoundedBox, "supervisor"),
        (false, false) => (Shape::Oval, "worker"),
    };
    if n.partial.is_some() {
        label.push("partial: code not fully read".to_owned());
    }
    // A partial node is drawn like an unresolved one: not to be trusted whole.
    let (emphasis, class) = if !n.unresolved.is_empty() || n.partial.is_some() {
        (Emphasis::Problem, "unresolved")
    } else if n.dynamic || !n.presence.is_always() || n.computed.is_some() {
        (Emphasis::Dashed, class)
    } else {
        (Emphasis::Normal, class)
    };
    d.nodes.push(Node {
        id: path.to_owned(),
        label,
        shape,
        emphasis,
        class,
    });
    if let Some(s) = &n.supervisor {
        for (i, c) in s.children.iter().enumerate() {
            let child = format!("{path}/{}", i + 1);
            // The edge before the child's subtree: edges come out in start
            // order, which is the order graphviz and Mermaid place them in.
            d.edges.push(Edge {
                from: path.to_owned(),
                to: child.clone(),
                style: if c.dynamic || !c.presence.is_always() {
                    LineStyle::Dashed
                } else {
                    LineStyle::Solid
                },
                label: Some(if c.dynamic {
                    "*".to_owned()
                } else {
                    (i + 1).to_string()
                }),
            });
            add(d, c, &child);
        }
    }
}
