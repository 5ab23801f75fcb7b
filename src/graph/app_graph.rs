//! The application dependency graph: the project's apps, its deps and the
//! OTP apps they name, joined by what each `.app` says it needs.

use crate::model::OtpLibrary;
use crate::model::{App, AppKind, AppOrigin, AppRef, DepSource, Project};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Where an application in the graph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AppSource {
    /// Part of the scanned code base.
    Project,
    /// A declared dependency (rebar.config, erlang.mk), or an app fetched
    /// under `_build`/`deps` (`--include-deps`).
    Dep,
    /// Part of OTP.
    Otp,
    /// Named somewhere, found nowhere.
    Missing,
}

impl AppSource {
    /// The name used in every output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AppSource::Project => "project",
            AppSource::Dep => "dep",
            AppSource::Otp => "otp",
            AppSource::Missing => "missing",
        }
    }
}

/// `regular` (has a `mod` callback), `library`, or `unknown` when no
/// resource file was read (an unfetched dep, OTP without an installation,
/// a missing app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NodeKind {
    Regular,
    Library,
    Unknown,
}

impl NodeKind {
    /// The name used in every output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            NodeKind::Regular => "regular",
            NodeKind::Library => "library",
            NodeKind::Unknown => "unknown",
        }
    }
}

/// An application in the graph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AppNode {
    pub(crate) name: String,
    pub(crate) vsn: Option<String>,
    pub(crate) kind: NodeKind,
    pub(crate) source: AppSource,
    /// For a declared dep: where it is fetched from.
    pub(crate) dep_source: Option<DepSource>,
    /// For a dep declared only under a rebar3 profile (or erlang.mk's
    /// `build`/`test` deps): that profile.
    pub(crate) dep_profile: Option<String>,
    /// The resource file (or Makefile) it was read from, relative to the
    /// scanned root; `None` for OTP, unfetched deps and missing apps.
    pub(crate) file: Option<String>,
    /// Where it is declared: the resource file's `{application, ...}` line,
    /// or the dep's line in rebar.config.
    pub(crate) declared_at: Option<(String, u32)>,
    /// Whether its `applications` lists are known (a resource file was read).
    pub(crate) resolved: bool,
    /// `applications`, in the order the resource file gives them.
    pub(crate) applications: Vec<String>,
    pub(crate) included_applications: Vec<String>,
    pub(crate) optional_applications: Vec<String>,
    /// Names of the releases that boot, load or ship it (filled from the
    /// boot plans), sorted.
    pub(crate) releases: Vec<String>,
}

/// How one application names another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EdgeKind {
    /// `applications`: started before.
    Applications,
    /// `included_applications`: loaded, and started by the includer's
    /// supervision tree.
    IncludedApplications,
    /// `optional_applications`: started before when present.
    OptionalApplications,
}

impl EdgeKind {
    /// The resource file key, used in every output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Applications => "applications",
            EdgeKind::IncludedApplications => "included_applications",
            EdgeKind::OptionalApplications => "optional_applications",
        }
    }
}

/// An edge from an app to an app it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppEdge {
    pub(crate) kind: EdgeKind,
    /// The file and line naming the target, for project and fetched apps.
    pub(crate) at: Option<(String, u32)>,
}

/// The application graph. Edges point from an app to what it needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct AppGraph {
    pub(crate) graph: DiGraph<AppNode, AppEdge>,
    index: BTreeMap<String, NodeIndex>,
}

impl AppGraph {
    /// Builds the graph of everything the project's apps, deps and releases
    /// name, following OTP apps' own `.app` files when `otp` has them.
    pub(crate) fn build(project: &Project, otp: &OtpLibrary) -> AppGraph {
        let mut g = AppGraph::default();
        // Project apps first, then fetched deps: a name is resolved by the
        // first app that has it.
        let mut apps: Vec<&App> = project.apps.iter().collect();
        apps.sort_by_key(|a| {
            (
                a.origin != AppOrigin::Project,
                a.name.clone(),
                a.dir.clone(),
            )
        });
        let mut by_name: BTreeMap<&str, &App> = BTreeMap::new();
        for a in &apps {
            by_name.entry(a.name.as_str()).or_insert(a);
        }
        let mut declared: BTreeMap<&str, &crate::model::Dep> = BTreeMap::new();
        for d in &project.deps {
            // The main profile's declaration is the one that matters.
            let keep = declared
                .get(d.name.as_str())
                .is_none_or(|old| old.profile.is_some() && d.profile.is_none());
            if keep {
                declared.insert(d.name.as_str(), d);
            }
        }

        let mut queue: VecDeque<String> = VecDeque::new();
        for a in by_name.values() {
            queue.push_back(a.name.clone());
        }
        for d in declared.keys() {
            queue.push_back((*d).to_owned());
        }
        for r in &project.releases {
            for a in &r.apps {
                queue.push_back(a.name.clone());
            }
        }
        // What only rebar.lock names (transitive deps) is a dependency, not
        // an app found nowhere; a node only when something names it.
        let locked: Vec<crate::model::Dep> = project
            .locks
            .iter()
            .filter(|l| !declared.contains_key(l.name.as_str()))
            .map(|l| l.as_dep())
            .collect();
        for d in &locked {
            declared.entry(d.name.as_str()).or_insert(d);
        }
        let mut done: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = queue.pop_front() {
            if !done.insert(name.clone()) {
                continue;
            }
            let node = make_node(&name, &by_name, &declared, otp);
            let from = g.add_node(node);
            let targets: Vec<Target> = match by_name.get(name.as_str()) {
                Some(app) => app_targets(app),
                None => match otp.get(&name) {
                    Some(o) => otp_targets(o),
                    None => vec![],
                },
            };
            for (to_name, kind, at) in targets {
                let to = match g.index.get(&to_name) {
                    Some(&i) => i,
                    None => {
                        let i = g.add_node(make_node(&to_name, &by_name, &declared, otp));
                        queue.push_back(to_name.clone());
                        i
                    }
                };
                g.graph.add_edge(from, to, AppEdge { kind, at });
            }
        }
        g
    }

    fn add_node(&mut self, node: AppNode) -> NodeIndex {
        if let Some(&i) = self.index.get(&node.name) {
            return i;
        }
        let name = node.name.clone();
        let i = self.graph.add_node(node);
        self.index.insert(name, i);
        i
    }

    /// The node named `name`.
    pub(crate) fn find(&self, name: &str) -> Option<NodeIndex> {
        self.index.get(name).copied()
    }

    /// The node at `i`.
    pub(crate) fn node(&self, i: NodeIndex) -> &AppNode {
        &self.graph[i]
    }

    /// The app named `name`.
    pub(crate) fn app(&self, name: &str) -> Option<&AppNode> {
        self.find(name).map(|i| &self.graph[i])
    }

    /// All node indices, sorted by app name.
    pub(crate) fn nodes_by_name(&self) -> Vec<NodeIndex> {
        self.index.values().copied().collect()
    }

    /// All names, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The edges leaving `i`, sorted by target name then kind.
    pub(crate) fn out_edges(&self, i: NodeIndex) -> Vec<EdgeIndex> {
        self.sorted_edges(i, Direction::Outgoing)
    }

    /// The edges arriving at `i`, sorted by source name then kind.
    pub(crate) fn in_edges(&self, i: NodeIndex) -> Vec<EdgeIndex> {
        self.sorted_edges(i, Direction::Incoming)
    }

    fn sorted_edges(&self, i: NodeIndex, dir: Direction) -> Vec<EdgeIndex> {
        let mut edges: Vec<_> = self
            .graph
            .edges_directed(i, dir)
            .map(|e| {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                (self.graph[other].name.as_str(), e.weight().kind, e.id())
            })
            .collect();
        edges.sort();
        edges.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        edges.into_iter().map(|(_, _, e)| e).collect()
    }

    /// The two ends of an edge.
    pub(crate) fn ends(&self, e: EdgeIndex) -> (NodeIndex, NodeIndex) {
        // Edge indices handed out by this graph are always valid.
        self.graph
            .edge_endpoints(e)
            .unwrap_or((NodeIndex::new(0), NodeIndex::new(0)))
    }

    /// Records which releases hold each app.
    pub(crate) fn set_releases(&mut self, membership: &BTreeMap<String, BTreeSet<String>>) {
        for (app, releases) in membership {
            if let Some(i) = self.find(app) {
                self.graph[i].releases = releases.iter().cloned().collect();
            }
        }
    }

    /// Every dependency cycle, each as a path that starts and ends at its
    /// alphabetically first app (`auth -> session -> profile -> auth`).
    /// Follows `applications` and `included_applications` (both order the
    /// boot) and `optional_applications`, except the pair OTP allows: when X
    /// includes Y, Y may list X.
    pub(crate) fn cycles(&self) -> Vec<Vec<String>> {
        let ordering = self.ordering_graph();
        let mut cycles = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&ordering) {
            let self_loop = scc.len() == 1 && ordering.contains_edge(scc[0], scc[0]);
            if scc.len() < 2 && !self_loop {
                continue;
            }
            let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
            let Some(&start) = scc.iter().min_by_key(|i| &self.graph[**i].name) else {
                continue;
            };
            if let Some(path) = self.shortest_cycle(&ordering, start, &members) {
                cycles.push(path);
            }
        }
        cycles.sort();
        cycles
    }

    /// The graph the boot order follows: same nodes, one edge per ordered
    /// pair, without the edges OTP exempts (Y lists X while X includes Y).
    fn ordering_graph(&self) -> DiGraph<(), ()> {
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(self.graph.node_count(), 0);
        for _ in self.graph.node_indices() {
            g.add_node(());
        }
        for e in self.graph.edge_references() {
            let (from, to) = (e.source(), e.target());
            let exempt = e.weight().kind != EdgeKind::IncludedApplications
                && self.graph[to]
                    .included_applications
                    .contains(&self.graph[from].name);
            if !exempt && !g.contains_edge(from, to) {
                g.add_edge(from, to, ());
            }
        }
        g
    }

    /// A shortest path from `start` back to itself inside one strongly
    /// connected component, by names, visiting neighbours alphabetically.
    fn shortest_cycle(
        &self,
        g: &DiGraph<(), ()>,
        start: NodeIndex,
        members: &BTreeSet<NodeIndex>,
    ) -> Option<Vec<String>> {
        let mut prev: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        let mut seen = BTreeSet::from([start]);
        while let Some(n) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = g.neighbors(n).filter(|m| members.contains(m)).collect();
            next.sort_by_key(|m| &self.graph[*m].name);
            for m in next {
                if m == start {
                    let mut path = vec![self.graph[start].name.clone()];
                    let mut cur = n;
                    let mut back = vec![];
                    while cur != start {
                        back.push(self.graph[cur].name.clone());
                        cur = *prev.get(&cur)?;
                    }
                    back.reverse();
                    path.extend(back);
                    path.push(self.graph[start].name.clone());
                    return Some(path);
                }
                if seen.insert(m) {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        None
    }
}

/// An app named by another: (name, how, where it is named).
type Target = (String, EdgeKind, Option<(String, u32)>);

fn names(refs: &[AppRef]) -> Vec<String> {
    refs.iter().map(|r| r.name.clone()).collect()
}

fn make_node(
    name: &str,
    by_name: &BTreeMap<&str, &App>,
    declared: &BTreeMap<&str, &crate::model::Dep>,
    otp: &OtpLibrary,
) -> AppNode {
    let mut node = AppNode {
        name: name.to_owned(),
        vsn: None,
        kind: NodeKind::Unknown,
        source: AppSource::Missing,
        dep_source: None,
        dep_profile: None,
        file: None,
        declared_at: None,
        resolved: false,
        applications: vec![],
        included_applications: vec![],
        optional_applications: vec![],
        releases: vec![],
    };
    if let Some(app) = by_name.get(name) {
        node.vsn = app.vsn.clone();
        node.kind = match app.kind {
            AppKind::Regular => NodeKind::Regular,
            AppKind::Library => NodeKind::Library,
        };
        node.source = match app.origin {
            AppOrigin::Project => AppSource::Project,
            AppOrigin::Dep => AppSource::Dep,
        };
        node.dep_source = declared.get(name).map(|d| d.source);
        node.dep_profile = declared.get(name).and_then(|d| d.profile.clone());
        node.file = Some(app.file.clone());
        node.declared_at = Some((app.file.clone(), app.line));
        node.resolved = true;
        node.applications = names(&app.applications);
        node.included_applications = names(&app.included_applications);
        node.optional_applications = names(&app.optional_applications);
    } else if let Some(dep) = declared.get(name) {
        node.source = AppSource::Dep;
        node.dep_source = Some(dep.source);
        node.dep_profile = dep.profile.clone();
        node.declared_at = Some((dep.file.clone(), dep.line));
    } else if let Some(o) = otp.get(name) {
        node.source = AppSource::Otp;
        node.vsn = o.vsn.clone();
        node.kind = if o.regular {
            NodeKind::Regular
        } else {
            NodeKind::Library
        };
        node.resolved = true;
        node.applications = o.applications.clone();
        node.included_applications = o.included_applications.clone();
        node.optional_applications = o.optional_applications.clone();
    } else if otp.is_otp(name) {
        node.source = AppSource::Otp;
    }
    node
}

/// What a project or fetched app names, one edge per target: an app in
/// both `applications` and `optional_applications` is an optional edge.
fn app_targets(app: &App) -> Vec<Target> {
    let optional: BTreeSet<&str> = app
        .optional_applications
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let mut out = Vec::new();
    let mut seen: BTreeSet<(String, EdgeKind)> = BTreeSet::new();
    let mut push = |r: &AppRef, kind: EdgeKind| {
        if seen.insert((r.name.clone(), kind)) {
            out.push((r.name.clone(), kind, Some((app.file.clone(), r.line))));
        }
    };
    for r in &app.applications {
        if !optional.contains(r.name.as_str()) {
            push(r, EdgeKind::Applications);
        }
    }
    for r in &app.optional_applications {
        push(r, EdgeKind::OptionalApplications);
    }
    for r in &app.included_applications {
        push(r, EdgeKind::IncludedApplications);
    }
    out
}

fn otp_targets(o: &crate::model::OtpApp) -> Vec<Target> {
    let optional: BTreeSet<&str> = o.optional_applications.iter().map(String::as_str).collect();
    let mut out: Vec<Target> = Vec::new();
    for a in &o.applications {
        if !optional.contains(a.as_str()) {
            out.push((a.clone(), EdgeKind::Applications, None));
        }
    }
    for a in &o.optional_applications {
        out.push((a.clone(), EdgeKind::OptionalApplications, None));
    }
    for a in &o.included_applications {
        out.push((a.clone(), EdgeKind::IncludedApplications, None));
    }
    out
}
