//! Transitive reduction: an edge A -> C is left out when A reaches C
//! through other apps anyway (A -> B -> C), so a diagram shows each need
//! once, where it comes from. Apps in a cycle keep their edges among
//! themselves, and an edge is only dropped for a path between different
//! cycles (strongly connected components), so no app loses a way to reach
//! what it reached before.

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

/// An edge given to [`reduce`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReducibleEdge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// Whether the edge may be left out (`applications` edges; an
    /// `included_applications` edge says more than "needs").
    pub(crate) removable: bool,
    /// Whether the edge counts as a path that makes another one redundant
    /// (not `optional_applications`: the app may be absent).
    pub(crate) carries: bool,
}

/// Which edges a transitive reduction keeps (`true`) over `nodes` nodes.
pub(crate) fn reduce(nodes: usize, edges: &[ReducibleEdge]) -> Vec<bool> {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(nodes, edges.len());
    let ix: Vec<_> = (0..nodes).map(|_| g.add_node(())).collect();
    for e in edges.iter().filter(|e| e.carries) {
        g.add_edge(ix[e.from], ix[e.to], ());
    }
    // tarjan_scc lists components sinks first: a component's successors
    // all have lower numbers.
    let sccs = tarjan_scc(&g);
    let mut comp = vec![0usize; nodes];
    for (c, members) in sccs.iter().enumerate() {
        for n in members {
            comp[n.index()] = c;
        }
    }
    let k = sccs.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); k];
    for e in edges.iter().filter(|e| e.carries) {
        let (a, b) = (comp[e.from], comp[e.to]);
        if a != b && !succ[a].contains(&b) {
            succ[a].push(b);
        }
    }
    // What each component reaches through at least one other component.
    let words = k.div_ceil(64);
    let mut reach: Vec<Vec<u64>> = vec![vec![0; words]; k];
    for c in 0..k {
        let mut r = vec![0u64; words];
        for &s in &succ[c] {
            r[s / 64] |= 1 << (s % 64);
            for (w, x) in r.iter_mut().zip(&reach[s]) {
                *w |= x;
            }
        }
        reach[c] = r;
    }
    let through_other = |a: usize, b: usize| {
        succ[a]
            .iter()
            .any(|&s| s != b && reach[s][b / 64] & (1 << (b % 64)) != 0)
    };
    edges
        .iter()
        .map(|e| {
            let (a, b) = (comp[e.from], comp[e.to]);
            !(e.removable && a != b && through_other(a, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(from: usize, to: usize) -> ReducibleEdge {
        ReducibleEdge {
            from,
            to,
            removable: true,
            carries: true,
        }
    }

    #[test]
    fn drops_the_shortcut_of_a_chain() {
        // 0 -> 1 -> 2, and 0 -> 2.
        assert_eq!(reduce(3, &[e(0, 1), e(1, 2), e(0, 2)]), [true, true, false]);
    }

    #[test]
    fn keeps_edges_that_a_cycle_needs() {
        // 0 <-> 1, both -> 2: reaching 2 through each other would drop
        // both edges if the cycle were not taken as one.
        let kept = reduce(3, &[e(0, 1), e(1, 0), e(0, 2), e(1, 2)]);
        assert_eq!(kept, [true, true, true, true]);
    }

    #[test]
    fn an_optional_path_does_not_make_an_edge_redundant() {
        let optional = ReducibleEdge {
            carries: false,
            ..e(0, 1)
        };
        assert_eq!(reduce(3, &[optional, e(1, 2), e(0, 2)]), [true, true, true]);
    }

    #[test]
    fn an_included_edge_is_kept() {
        let included = ReducibleEdge {
            removable: false,
            ..e(0, 2)
        };
        assert_eq!(reduce(3, &[e(0, 1), e(1, 2), included]), [true, true, true]);
    }
}
