//! What each drawing back end can take: the built-in layout's cost,
//! estimated from the diagram's shape before laying it out (so a refusal is
//! the same on every machine and every run), and Mermaid's edge and text
//! limits (GitHub renders an error box past them).

use super::diagram_model::Diagram;
use std::collections::BTreeMap;

/// Mermaid's default `maxEdges` (mermaid.js.org config schema, 500 since
/// Mermaid 10.x); GitHub renders with the defaults.
const MERMAID_MAX_EDGES: usize = 500;

/// Mermaid's default `maxTextSize`, in characters.
const MERMAID_MAX_TEXT: usize = 50_000;

/// The warning to print when a Mermaid text is past what GitHub draws.
/// `narrow` names the options that draw less.
pub(crate) fn mermaid_warning(d: &Diagram, text: &str, narrow: &str) -> Option<String> {
    let edges = d.edges.len();
    let chars = text.chars().count();
    let mut over = Vec::new();
    if edges > MERMAID_MAX_EDGES {
        over.push(format!(
            "{edges} edges (Mermaid's default maxEdges is {MERMAID_MAX_EDGES})"
        ));
    }
    if chars > MERMAID_MAX_TEXT {
        over.push(format!(
            "{chars} characters (Mermaid's default maxTextSize is {MERMAID_MAX_TEXT})"
        ));
    }
    (!over.is_empty()).then(|| {
        format!(
            "warning: this Mermaid diagram has {}: GitHub shows an error instead of it; \
             draw less with {narrow}, or use --format svg",
            over.join(" and ")
        )
    })
}

/// The estimated work of the built-in layout, in seconds on the machine it
/// was measured on (a 2-core CI runner shared with other builds); past
/// [`BUILTIN_BUDGET_SECONDS`] the layout is refused.
///
/// layout-rs spends its time in two places, both measured on generated
/// graphs of 50 to 300 nodes: its DAG check, which walks every path (it
/// runs after each edge is added, so the work is edges × Σ over edges of
/// the paths starting at the edge's head), and its crossing reduction,
/// which compares every pair of nodes of a row with the next row (50
/// rounds; dummy nodes of long edges count). Graph shape matters more than
/// size: 100 nodes in a deep narrow DAG took 30 s, 200 in a wide one 6 s.
pub(crate) fn builtin_layout_seconds(d: &Diagram) -> f64 {
    let index: BTreeMap<&str, usize> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let n = d.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut edges = 0usize;
    for e in &d.edges {
        if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            if a != b {
                out[a].push(b);
                edges += 1;
            }
        }
    }
    let dag = acyclic(&out);
    // Paths starting at each node (itself included), heads before tails.
    let order = topological(&dag);
    let mut paths = vec![1.0f64; n];
    let mut level = vec![0usize; n];
    for &v in order.iter().rev() {
        paths[v] += dag[v].iter().map(|&w| paths[w]).sum::<f64>();
    }
    for &v in &order {
        for &w in &dag[v] {
            level[w] = level[w].max(level[v] + 1);
        }
    }
    let head_paths: f64 = dag.iter().flatten().map(|&w| paths[w]).sum();
    let check = edges as f64 * head_paths;
    // Row widths with the dummy nodes long edges leave on each row.
    let rows = level.iter().max().map_or(1, |m| m + 2);
    let mut width = vec![0.0f64; rows];
    for &l in &level {
        width[l] += 1.0;
    }
    for (v, succ) in dag.iter().enumerate() {
        for &w in succ {
            for row in width.iter_mut().take(level[w]).skip(level[v] + 1) {
                *row += 1.0;
            }
        }
    }
    let crossing: f64 = width.windows(2).map(|w| w[0] * w[0] * w[1]).sum();
    check * 2.4e-9 + crossing * 3.2e-6
}

/// Past this estimate the built-in layout is refused (it ran for more than
/// 300 s on a 135-application graph before this bound).
pub(crate) const BUILTIN_BUDGET_SECONDS: f64 = 5.0;

/// The edges of `out` with those closing a cycle (found depth first, in
/// node order) reversed, as layout-rs reverses them.
pub(super) fn acyclic(out: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = out.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*k) {
                *k += 1;
                match state[w] {
                    0 => {
                        dag[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => dag[w].push(v),
                    _ => dag[v].push(w),
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    dag
}

/// A topological order of an acyclic graph (Kahn's algorithm).
pub(super) fn topological(dag: &[Vec<usize>]) -> Vec<usize> {
    let mut indegree = vec![0usize; dag.len()];
    for &w in dag.iter().flatten() {
        indegree[w] += 1;
    }
    let mut ready: Vec<usize> = (0..dag.len()).filter(|&v| indegree[v] == 0).collect();
    let mut order = Vec::with_capacity(dag.len());
    while let Some(v) = ready.pop() {
        order.push(v);
        for &w in &dag[v] {
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    order
}
