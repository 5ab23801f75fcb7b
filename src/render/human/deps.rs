//! `otpmap deps`: the application graph as indented trees, then each
//! release's boot order, then diagnostics.

use super::{diagnostics, table};
use crate::graph::{Analysis, AppNode, AppSource, BootAction, EdgeKind, GraphView, NodeKind, Run};
use crate::render::shown::shown;
use crate::render::Painter;
use anstyle::AnsiColor;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::BTreeSet;

/// What the renderer is told besides the analysis.
pub struct DepsContext<'a> {
    /// The OTP lib directory read, if any.
    pub(crate) otp_root: Option<&'a str>,
    /// Show the releases section (off when focused on one app).
    pub(crate) show_releases: bool,
    /// The view holds only the project's own apps (`--all` not given).
    pub(crate) own_apps_only: bool,
    /// Edges implied by a longer path are left out (`--reduce`).
    pub(crate) reduced: bool,
    /// OTP's apps are hidden (`--no-otp`).
    pub(crate) hide_otp: bool,
}

/// The apps every application needs: listed once in the summary, not
/// under each app.
const BASE_APPS: [&str; 2] = ["kernel", "stdlib"];

/// Renders the trees, the boot orders and the diagnostics.
pub fn render(run: &Run, view: &GraphView, ctx: &DepsContext, p: &Painter) -> String {
    let (project, analysis) = (&run.project, &run.analysis);
    let g = &analysis.graph;
    let mut out = summary(analysis, view, ctx, p);
    let edge_set: BTreeSet<EdgeIndex> = view.edges.iter().copied().collect();
    let mut expanded: BTreeSet<NodeIndex> = BTreeSet::new();
    out.push('\n');
    for &root in &view.roots {
        out.push_str(&node_line(g.node(root), None, p));
        out.push('\n');
        let mut path = vec![root];
        expanded.insert(root);
        tree(
            analysis,
            view,
            &edge_set,
            root,
            "",
            &mut path,
            &mut expanded,
            ctx,
            p,
            &mut out,
        );
    }

    if ctx.show_releases && !project.releases.is_empty() {
        out.push_str(&format!("\n{}\n", p.heading("Boot order")));
        for (r, plan) in project.releases.iter().zip(&analysis.plans) {
            let profile = r
                .profile
                .as_ref()
                .map(|x| format!(" (profile {})", shown(x)))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {}{}  {}\n",
                p.name(&r.name),
                p.dim(&crate::render::vsn::vsn_label(&r.vsn)),
                profile,
                p.dim(&format!("{}:{}", r.file, r.line))
            ));
            if let Some(cycle) = &plan.cycle {
                out.push_str(&format!(
                    "    {}: {}\n",
                    p.paint(AnsiColor::Red.on_default().bold(), "no boot order"),
                    shown(&cycle.join(" -> "))
                ));
                continue;
            }
            if !plan.undefined.is_empty() {
                out.push_str(&format!(
                    "    {}: systools finds {} undefined\n",
                    p.paint(AnsiColor::Red.on_default().bold(), "no boot order"),
                    shown(&plan.undefined.join(", "))
                ));
                continue;
            }
            let mut rows = Vec::new();
            let mut n = 0;
            for s in &plan.steps {
                let number = if s.action == BootAction::Start {
                    n += 1;
                    n.to_string()
                } else {
                    "-".to_owned()
                };
                let note = match (s.action, &s.included_by) {
                    (BootAction::Load, Some(by)) => format!("loaded, started by {by}'s tree"),
                    (BootAction::Load, None) => "loaded, not started".to_owned(),
                    (BootAction::None, _) => "not loaded".to_owned(),
                    (BootAction::Start, _) => String::new(),
                };
                let pulled = s
                    .pulled_in_by
                    .as_ref()
                    .map(|by| format!("needed by {by}"))
                    .unwrap_or_default();
                let note = [note, pulled]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                let ty = s.start_type.as_str().to_owned();
                rows.push(vec![
                    (number.clone(), p.dim(&number)),
                    (s.app.clone(), p.name(&s.app)),
                    (ty.clone(), ty),
                    (note.clone(), p.dim(&note)),
                ]);
            }
            out.push_str(&table(&rows, "    "));
            if !plan.missing.is_empty() {
                out.push_str(&format!(
                    "    {}: {}\n",
                    p.paint(AnsiColor::Red.on_default(), "missing, left out"),
                    shown(&plan.missing.join(", "))
                ));
            }
        }
    }

    out.push_str(&diagnostics(&run.diagnostics, p));
    crate::render::shown::for_terminal(&out, p.enabled)
}

fn summary(analysis: &Analysis, view: &GraphView, ctx: &DepsContext, p: &Painter) -> String {
    let g = &analysis.graph;
    let count = |src: AppSource| {
        view.nodes
            .iter()
            .filter(|&&i| g.node(i).source == src)
            .count()
    };
    let reduced = if ctx.reduced {
        " (reduced: none implied by a longer path)"
    } else {
        ""
    };
    let mut out = if ctx.own_apps_only {
        let all = |src: AppSource| {
            g.nodes_by_name()
                .into_iter()
                .filter(|&i| g.node(i).source == src)
                .count()
        };
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} {}, {}{reduced}\n  {}\n",
            p.heading("Applications"),
            plural(view.nodes.len(), "project app", "project apps"),
            plural(view.edges.len(), "edge", "edges"),
            p.dim(&format!(
                "not shown: {} deps, {} OTP, {} missing (--all shows them)",
                all(AppSource::Dep),
                all(AppSource::Otp),
                all(AppSource::Missing)
            ))
        )
    } else {
        format!(
            "{} {} apps ({} project, {} deps, {} OTP, {} missing), {} edges{reduced}\n",
            p.heading("Applications"),
            view.nodes.len(),
            count(AppSource::Project),
            count(AppSource::Dep),
            count(AppSource::Otp),
            count(AppSource::Missing),
            view.edges.len()
        )
    };
    if !view.reversed
        && view
            .nodes
            .iter()
            .any(|&i| BASE_APPS.contains(&g.node(i).name.as_str()))
    {
        out.push_str(&format!(
            "  {}\n",
            p.dim(
                "kernel and stdlib, which every application needs, are not repeated under each app"
            )
        ));
    }
    match ctx.otp_root {
        Some(root) => out.push_str(&format!("  OTP apps read from {}\n", p.dim(root))),
        None => out.push_str(&format!(
            "  {}\n",
            p.dim("OTP apps are leaves: no OTP installation read (--otp-root DIR)")
        )),
    }
    out
}

/// Deepest level of the human tree.
const MAX_TREE_DEPTH: usize = 64;

#[allow(clippy::too_many_arguments)]
fn tree(
    analysis: &Analysis,
    view: &GraphView,
    edge_set: &BTreeSet<EdgeIndex>,
    at: NodeIndex,
    prefix: &str,
    path: &mut Vec<NodeIndex>,
    expanded: &mut BTreeSet<NodeIndex>,
    ctx: &DepsContext,
    p: &Painter,
    out: &mut String,
) {
    let g = &analysis.graph;
    let children = children(analysis, view, edge_set, at);
    // Each level indents by four columns: a chain of 3 000 apps drew 54 MB.
    if path.len() > MAX_TREE_DEPTH && !children.is_empty() {
        out.push_str(&format!(
            "{prefix}└── {}\n",
            p.dim(&format!(
                "... deeper levels not drawn (more than {MAX_TREE_DEPTH}); \
                 --format json or --app NAME show them"
            ))
        ));
        return;
    }
    let outside = if ctx.own_apps_only {
        outside_needs(analysis, at, ctx.hide_otp)
    } else {
        None
    };
    for (k, (child, kind)) in children.iter().enumerate() {
        let last = k + 1 == children.len() && outside.is_none();
        let (branch, indent) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        let node = g.node(*child);
        let mut line = node_line(node, Some((*kind, view.reversed)), p);
        let has_children = !self::children(analysis, view, edge_set, *child).is_empty()
            || (ctx.own_apps_only && outside_needs(analysis, *child, ctx.hide_otp).is_some());
        let on_path = path.contains(child);
        if on_path {
            line.push_str(&format!(
                " {}",
                p.paint(AnsiColor::Red.on_default().bold(), "(cycle)")
            ));
        } else if has_children && expanded.contains(child) {
            line.push_str(&p.dim(" (*)"));
        }
        out.push_str(&format!("{prefix}{branch}{line}\n"));
        if on_path || expanded.contains(child) {
            continue;
        }
        expanded.insert(*child);
        path.push(*child);
        let deeper = format!("{prefix}{indent}");
        tree(
            analysis, view, edge_set, *child, &deeper, path, expanded, ctx, p, out,
        );
        path.pop();
    }
    if let Some(line) = outside {
        out.push_str(&format!("{prefix}└── {}\n", p.dim(&line)));
    }
}

/// With only the project's apps shown, what an app needs from outside the
/// project, on one line: `also needs: cowboy, ranch (dep); ssl (OTP)`.
/// kernel and stdlib are left out, as everywhere in the tree.
fn outside_needs(analysis: &Analysis, at: NodeIndex, hide_otp: bool) -> Option<String> {
    let g = &analysis.graph;
    let mut groups: [(AppSource, &str, Vec<String>); 3] = [
        (AppSource::Dep, "dep", vec![]),
        (AppSource::Otp, "OTP", vec![]),
        (AppSource::Missing, "missing", vec![]),
    ];
    let mut edges = g.out_edges(at);
    edges.sort();
    for e in edges {
        let n = g.node(g.ends(e).1);
        if BASE_APPS.contains(&n.name.as_str()) || (hide_otp && n.source == AppSource::Otp) {
            continue;
        }
        if let Some(group) = groups.iter_mut().find(|(src, _, _)| *src == n.source) {
            let name = match g.graph[e].kind {
                EdgeKind::OptionalApplications => format!("{} optional", n.name),
                EdgeKind::IncludedApplications => format!("{} included", n.name),
                EdgeKind::Applications => n.name.clone(),
            };
            if !group.2.contains(&name) {
                group.2.push(name);
            }
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .filter(|(_, _, names)| !names.is_empty())
        .map(|(_, what, names)| format!("{} ({what})", shown(&names.join(", "))))
        .collect();
    (!parts.is_empty()).then(|| format!("also needs: {}", parts.join("; ")))
}

/// The next level of the tree in the order the resource file names them
/// (`applications`, then optional, then included), or the dependents by
/// name for `--reverse`.
fn children(
    analysis: &Analysis,
    view: &GraphView,
    edge_set: &BTreeSet<EdgeIndex>,
    at: NodeIndex,
) -> Vec<(NodeIndex, EdgeKind)> {
    let g = &analysis.graph;
    let dir = if view.reversed {
        Direction::Incoming
    } else {
        Direction::Outgoing
    };
    let mut edges: Vec<(EdgeIndex, NodeIndex, EdgeKind)> = g
        .graph
        .edges_directed(at, dir)
        .filter(|e| edge_set.contains(&e.id()))
        .map(|e| {
            let other = if view.reversed {
                e.source()
            } else {
                e.target()
            };
            (e.id(), other, e.weight().kind)
        })
        .collect();
    if view.reversed {
        edges.sort_by(|a, b| g.node(a.1).name.cmp(&g.node(b.1).name));
    } else {
        edges.sort_by_key(|e| e.0);
    }
    // Forward, kernel and stdlib under every app would be most of the
    // tree; the summary says so once.
    let skip_base = !view.reversed && !BASE_APPS.contains(&g.node(at).name.as_str());
    let mut seen = BTreeSet::new();
    edges
        .into_iter()
        .filter(|(_, n, _)| !(skip_base && BASE_APPS.contains(&g.node(*n).name.as_str())))
        .filter(|(_, n, _)| seen.insert(*n))
        .map(|(_, n, k)| (n, k))
        .collect()
}

/// One app; `via` is the edge that led here, and whether the tree runs
/// from an app to its dependents.
fn node_line(n: &AppNode, via: Option<(EdgeKind, bool)>, p: &Painter) -> String {
    let mut line = p.name(&n.name);
    if let Some(v) = &n.vsn {
        line.push_str(&format!(" {}", p.dim(&crate::render::vsn::vsn_label(v))));
    }
    let what = match (n.source, n.kind) {
        (AppSource::Missing, _) => p.paint(AnsiColor::Red.on_default().bold(), "missing"),
        (AppSource::Otp, _) => p.dim("otp"),
        (AppSource::Dep, kind) => {
            let mut about: Vec<String> = n
                .dep_source
                .map(|s| match s {
                    crate::model::DepSource::Hex => "hex",
                    crate::model::DepSource::Git => "git",
                    crate::model::DepSource::Hg => "hg",
                    crate::model::DepSource::Path => "path",
                    crate::model::DepSource::Other => "other",
                })
                .into_iter()
                .map(str::to_owned)
                .collect();
            if let Some(profile) = &n.dep_profile {
                about.push(format!("profile {}", shown(profile)));
            }
            let src = if about.is_empty() {
                String::new()
            } else {
                format!(" ({})", about.join(", "))
            };
            match kind {
                NodeKind::Unknown => format!("dep{src}"),
                k => format!("{} dep{src}", k.as_str()),
            }
        }
        (AppSource::Project, NodeKind::Regular) => p.accent("regular"),
        (AppSource::Project, k) => k.as_str().to_owned(),
    };
    line.push_str(&format!("  {what}"));
    match via {
        Some((EdgeKind::IncludedApplications, false)) => line.push_str("  included"),
        Some((EdgeKind::IncludedApplications, true)) => line.push_str("  includes it"),
        Some((EdgeKind::OptionalApplications, false)) => line.push_str("  optional"),
        Some((EdgeKind::OptionalApplications, true)) => line.push_str("  needs it optionally"),
        _ => {}
    }
    if !n.releases.is_empty() && n.source != AppSource::Otp {
        line.push_str(&format!(
            "  {}",
            p.dim(&format!("[{}]", n.releases.join(", ")))
        ));
    }
    line
}
