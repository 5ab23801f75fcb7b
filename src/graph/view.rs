//! The part of the graph a reader asked for: what one app depends on
//! (`--app`), who depends on it (`--reverse`), how deep (`--depth`), minus
//! what they left out (`--exclude`, `--no-otp`).

use super::app_graph::{AppGraph, AppSource, EdgeKind};
use super::reduce::ReducibleEdge;
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Where the view starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Focus {
    /// The whole graph; `--depth` counts from the project's own apps.
    #[default]
    All,
    /// The app and what it depends on, transitively.
    DependenciesOf(String),
    /// The app and who depends on it, transitively.
    DependentsOf(String),
}

/// What to show.
#[derive(Debug, Clone, Default)]
pub(crate) struct ViewOptions {
    pub(crate) focus: Focus,
    /// Edges from the starting apps; `None` for no limit.
    pub(crate) depth: Option<usize>,
    /// Apps to leave out; the walk does not go through them.
    pub(crate) exclude: BTreeSet<String>,
    /// Leave out OTP's apps.
    pub(crate) hide_otp: bool,
    /// With [`Focus::All`], only the project's own apps (when it has any):
    /// the default of `deps`, which `--all` turns off.
    pub(crate) own_apps_only: bool,
}

/// A named app is not in the graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no application named `{name}` in the graph{}", suggestion(.close))]
pub(crate) struct ViewError {
    name: String,
    /// Names close to the one asked for, closest first.
    pub(crate) close: Vec<String>,
}

fn suggestion(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", close.join(", "))
    }
}

/// The selected nodes and edges, with the apps the walk started from.
#[derive(Debug, Clone, Default)]
pub struct GraphView {
    pub(crate) nodes: BTreeSet<NodeIndex>,
    /// Edges between selected nodes, sorted by (from, to, kind) names.
    pub(crate) edges: Vec<EdgeIndex>,
    /// Where a tree rendering starts, sorted by name.
    pub(crate) roots: Vec<NodeIndex>,
    /// True for `--reverse`: trees go from an app to its dependents.
    pub(crate) reversed: bool,
}

impl GraphView {
    /// Selects part of `graph`.
    pub(crate) fn select(graph: &AppGraph, opts: &ViewOptions) -> Result<GraphView, ViewError> {
        let own_only = opts.own_apps_only
            && opts.focus == Focus::All
            && graph
                .nodes_by_name()
                .into_iter()
                .any(|i| graph.node(i).source == AppSource::Project);
        let allowed = |i: NodeIndex| {
            let n = graph.node(i);
            let hidden = (opts.hide_otp && n.source == AppSource::Otp)
                || (own_only && n.source != AppSource::Project);
            !opts.exclude.contains(&n.name) && !hidden
        };
        let (starts, reversed) = match &opts.focus {
            Focus::All => {
                let own: Vec<NodeIndex> = graph
                    .nodes_by_name()
                    .into_iter()
                    .filter(|&i| graph.node(i).source == AppSource::Project)
                    .collect();
                let starts = if own.is_empty() || opts.depth.is_none() {
                    graph.nodes_by_name()
                } else {
                    own
                };
                (starts, false)
            }
            Focus::DependenciesOf(name) => (vec![lookup(graph, name)?], false),
            Focus::DependentsOf(name) => (vec![lookup(graph, name)?], true),
        };
        let mut dist: BTreeMap<NodeIndex, usize> = BTreeMap::new();
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &s in &starts {
            // The app asked for is shown even if excluded by --no-otp.
            let asked = opts.focus != Focus::All;
            if asked || allowed(s) {
                dist.insert(s, 0);
                queue.push_back(s);
            }
        }
        while let Some(n) = queue.pop_front() {
            let d = dist[&n];
            if opts.depth.is_some_and(|max| d >= max) {
                continue;
            }
            let next: Vec<NodeIndex> = if reversed {
                graph.in_edges(n).iter().map(|&e| graph.ends(e).0).collect()
            } else {
                graph
                    .out_edges(n)
                    .iter()
                    .map(|&e| graph.ends(e).1)
                    .collect()
            };
            for m in next {
                if allowed(m) && !dist.contains_key(&m) {
                    dist.insert(m, d + 1);
                    queue.push_back(m);
                }
            }
        }
        let nodes: BTreeSet<NodeIndex> = dist.keys().copied().collect();
        let mut edges: Vec<(String, String, EdgeKind, EdgeIndex)> = graph
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = graph.ends(e);
                (nodes.contains(&a) && nodes.contains(&b)).then(|| {
                    (
                        graph.node(a).name.clone(),
                        graph.node(b).name.clone(),
                        graph.graph[e].kind,
                        e,
                    )
                })
            })
            .collect();
        edges.sort();
        edges.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1 && x.2 == y.2);
        let roots = match &opts.focus {
            Focus::All => tree_roots(graph, &nodes),
            _ => starts,
        };
        Ok(GraphView {
            nodes,
            edges: edges.into_iter().map(|(_, _, _, e)| e).collect(),
            roots,
            reversed,
        })
    }
}

impl GraphView {
    /// Leaves out the edges a transitive reduction drops
    /// ([`super::reduce`]): `applications` edges implied by a longer path.
    pub(crate) fn reduce(&mut self, graph: &AppGraph) {
        let index: BTreeMap<NodeIndex, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, k))
            .collect();
        let edges: Vec<ReducibleEdge> = self
            .edges
            .iter()
            .map(|&e| {
                let (a, b) = graph.ends(e);
                let kind = graph.graph[e].kind;
                ReducibleEdge {
                    from: index[&a],
                    to: index[&b],
                    removable: kind == EdgeKind::Applications,
                    carries: kind != EdgeKind::OptionalApplications,
                }
            })
            .collect();
        let keep = super::reduce::reduce(self.nodes.len(), &edges);
        let mut k = keep.iter();
        self.edges.retain(|_| k.next().copied().unwrap_or(true));
    }
}

/// For the whole graph: the selected apps nothing selected depends on,
/// project apps first; then, for apps only reachable through a cycle, the
/// first of them by name, until every app is under some root.
fn tree_roots(graph: &AppGraph, nodes: &BTreeSet<NodeIndex>) -> Vec<NodeIndex> {
    let mut roots: Vec<NodeIndex> = nodes
        .iter()
        .copied()
        .filter(|&i| {
            !graph
                .in_edges(i)
                .iter()
                .any(|&e| nodes.contains(&graph.ends(e).0))
        })
        .collect();
    let mut covered: BTreeSet<NodeIndex> = BTreeSet::new();
    let reach = |from: NodeIndex, covered: &mut BTreeSet<NodeIndex>| {
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if !covered.insert(n) {
                continue;
            }
            for e in graph.out_edges(n) {
                let m = graph.ends(e).1;
                if nodes.contains(&m) {
                    stack.push(m);
                }
            }
        }
    };
    for &r in &roots {
        reach(r, &mut covered);
    }
    let mut rest: Vec<NodeIndex> = nodes.iter().copied().collect();
    rest.sort_by_key(|&i| {
        let n = graph.node(i);
        (n.source != AppSource::Project, n.name.clone())
    });
    for i in rest {
        if !covered.contains(&i) {
            roots.push(i);
            reach(i, &mut covered);
        }
    }
    roots.sort_by_key(|&i| {
        let n = graph.node(i);
        (n.source, n.name.clone())
    });
    roots
}

fn lookup(graph: &AppGraph, name: &str) -> Result<NodeIndex, ViewError> {
    graph.find(name).ok_or_else(|| ViewError {
        name: name.to_owned(),
        close: close_names(name, graph.names()),
    })
}

/// Up to five names within a small edit distance of `name`, or containing
/// it, closest first.
fn close_names<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, String)> = candidates
        .filter_map(|c| {
            let d = edit_distance(name, c);
            let contains = c.contains(name) || name.contains(c);
            (d <= limit || contains)
                .then(|| (if contains { d.min(limit) } else { d }, c.to_owned()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, c)| c).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_finds_typos_and_substrings() {
        let names = ["web", "store", "shop_common", "backoffice"];
        assert_eq!(close_names("webb", names.iter().copied()), vec!["web"]);
        assert_eq!(
            close_names("common", names.iter().copied()),
            vec!["shop_common"]
        );
        assert!(close_names("zzzzzzzz", names.iter().copied()).is_empty());
    }
}
