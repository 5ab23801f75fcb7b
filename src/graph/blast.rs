//! What a crash takes down: for one process of a supervision tree, who is
//! restarted with it, how many crashes each supervisor above it tolerates
//! before it gives up, and what the application's start type in each
//! release makes of a top supervisor that gives up.
//!
//! The rules are OTP's `supervisor` and `application` ones (OTP 25):
//! - a `temporary` child is never restarted and its exit is not counted;
//!   a `transient` one is restarted unless it exits `normal`, `shutdown`
//!   or `{shutdown, _}`; a `permanent` one always;
//! - `one_for_one` restarts the child, `one_for_all` every child,
//!   `rest_for_one` the child and the ones started after it,
//!   `simple_one_for_one` the instance; siblings that are terminated but
//!   `temporary` are not started again;
//! - a supervisor that has restarted more than `intensity` times within
//!   `period` seconds exits with reason `shutdown`, which its parent treats
//!   as any exit of that child: a `permanent` supervisor is restarted (and
//!   counted), a `transient` or `temporary` one is not (so the escalation
//!   stops there and its part of the tree stays down);
//! - with `auto_shutdown` (`any_significant`, `all_significant`), a
//!   significant child that is not restarted makes its supervisor exit
//!   with `shutdown` too;
//! - an application whose top supervisor exits stops; a `permanent` or
//!   `transient` one (the reason is `shutdown`, not `normal`) takes the
//!   node down, a `temporary` one does not.

use crate::graph::supervision::{RestartType, Strategy, Supervision, TreeNode};
use crate::model::{Release, StartType};

/// A process as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ProcessRef {
    /// The child id in Erlang syntax (the root: its name or module).
    pub(crate) id: String,
    module: Option<String>,
    /// The registered name in Erlang syntax.
    pub(crate) name: Option<String>,
    /// Processes below it, itself not included.
    pub(crate) below: usize,
    pub(crate) file: Option<String>,
    pub(crate) line: Option<u32>,
}

impl ProcessRef {
    fn of(node: &TreeNode) -> ProcessRef {
        ProcessRef {
            id: node.id.clone(),
            module: node.module.clone(),
            name: node.started.name.clone(),
            below: count_below(node),
            file: node.loc.as_ref().map(|l| l.file.to_string()),
            line: node.loc.as_ref().map(|l| l.line),
        }
    }
}

fn count_below(node: &TreeNode) -> usize {
    node.supervisor
        .as_ref()
        .map_or(0, |s| s.children.iter().map(|c| 1 + count_below(c)).sum())
}

/// What one supervisor does when the process below it on the path exits.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    /// The supervisor.
    pub(crate) supervisor: ProcessRef,
    pub(crate) strategy: Option<Strategy>,
    pub(crate) intensity: Option<u64>,
    pub(crate) period: Option<u64>,
    /// `auto_shutdown` when not `never`.
    pub(crate) auto_shutdown: Option<String>,
    /// The child on the path: the crashed process, or the supervisor
    /// below that gave up.
    pub(crate) child: ProcessRef,
    /// The child's restart type.
    pub(crate) restart: Option<RestartType>,
    /// Whether the child is `significant`.
    pub(crate) significant: bool,
    /// What this supervisor does about the exit.
    pub(crate) outcome: Outcome,
    /// Restarted together with the child (the child first).
    pub(crate) restarted: Vec<ProcessRef>,
    /// Terminated with it but not started again (temporary siblings).
    pub(crate) terminated: Vec<ProcessRef>,
    /// Siblings left running.
    pub(crate) untouched: Vec<ProcessRef>,
}

/// What a supervisor does about one exit of its child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Restarted, and counted against the intensity.
    Restarted,
    /// Not restarted: temporary, or transient exiting `shutdown`.
    NotRestarted,
    /// Not restarted, and a significant child: the supervisor shuts down.
    AutoShutdown,
    /// The restart type or the strategy is not known.
    Unknown,
}

/// What the application's exit does in one release.
#[derive(Debug, Clone)]
pub(crate) struct ReleaseOutcome {
    /// `None` for "no release names it" (`application:start/1`: temporary).
    pub(crate) release: Option<String>,
    pub(crate) start_type: StartType,
    pub(crate) node_stops: bool,
}

/// The whole answer for one process.
#[derive(Debug, Clone)]
pub(crate) struct Blast {
    pub(crate) app: String,
    pub(crate) process: ProcessRef,
    /// Child ids from the top supervisor down to the process.
    pub(crate) path: Vec<String>,
    /// The process is an instance of a `simple_one_for_one` template.
    pub(crate) instance: bool,
    /// From the process's supervisor up, as far as an exit travels.
    pub(crate) levels: Vec<Level>,
    /// Set when the exit reaches the top supervisor of the application
    /// and makes it exit: the application stops.
    pub(crate) application_stops: bool,
    /// Per release (or the default start type when none names the app).
    pub(crate) releases: Vec<ReleaseOutcome>,
    /// Crashes of the process that stop the application when they come
    /// fast enough: one group per level, `intensity + 1` exits of the
    /// level's child within `period` seconds.
    pub(crate) crashes_to_stop_app: Option<u64>,
    /// Things to know (a conditional child, an unknown flag).
    pub(crate) notes: Vec<String>,
}

/// Where a name points: the app and the child-id path of each match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) app: String,
    pub(crate) path: Vec<String>,
    /// The app is included by another, whose tree starts it: this match
    /// is the tree drawn on its own.
    pub(crate) included: bool,
}

/// Whether `node` answers to `name`: its child id, its module, its
/// registered name (`x` for `{local,x}`, `{global,x}`, `{via,M,x}`), or
/// the id path's tail (`store_orders_sup/store_order_queue`).
fn answers_to(node: &TreeNode, name: &str) -> bool {
    let registered = node.started.name.as_deref().map(registered_name);
    node.id == name
        || node.module.as_deref() == Some(name)
        || node.started.callback.as_deref() == Some(name)
        || registered.as_deref() == Some(name)
        || node.started.name.as_deref() == Some(name)
}

/// `{local,x}` → `x`; `{via,m,x}` → `x`.
fn registered_name(name: &str) -> String {
    let inner = name
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(name);
    inner.rsplit(',').next().unwrap_or(inner).trim().to_owned()
}

/// Every process of the trees that `name` names, in tree order. `name`
/// may be a path of ids (`a/b`): its last part names the process and the
/// others its supervisors, nearest last.
pub(crate) fn find(trees: &Supervision, name: &str, app: Option<&str>) -> Vec<Match> {
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    let mut found = Vec::new();
    for tree in &trees.trees {
        if app.is_some_and(|a| a != tree.app) {
            continue;
        }
        let mut path = Vec::new();
        walk(&tree.root, &parts, &mut path, &mut |p| {
            found.push(Match {
                app: tree.app.clone(),
                path: p.to_vec(),
                included: !tree.included_in.is_empty(),
            })
        });
    }
    found
}

fn walk(node: &TreeNode, parts: &[&str], path: &mut Vec<String>, hit: &mut dyn FnMut(&[String])) {
    path.push(node.id.clone());
    if let Some((last, above)) = parts.split_last() {
        if answers_to(node, last) && path_ends_with(path, above) {
            hit(path);
        }
    }
    if let Some(sup) = &node.supervisor {
        for child in &sup.children {
            walk(child, parts, path, hit);
        }
    }
    path.pop();
}

/// Whether the supervisors above (all of `path` but its last) end with `above`.
fn path_ends_with(path: &[String], above: &[&str]) -> bool {
    let sups = &path[..path.len() - 1];
    sups.len() >= above.len()
        && sups[sups.len() - above.len()..]
            .iter()
            .zip(above)
            .all(|(s, a)| s == a)
}

/// The nodes from the root to the process at `path`.
fn nodes_on<'a>(root: &'a TreeNode, path: &[String]) -> Option<Vec<&'a TreeNode>> {
    let (first, rest) = path.split_first()?;
    if root.id != *first {
        return None;
    }
    let mut nodes = vec![root];
    for id in rest {
        let here = nodes.last()?;
        let next = here
            .supervisor
            .as_ref()?
            .children
            .iter()
            .find(|c| c.id == *id)?;
        nodes.push(next);
    }
    Some(nodes)
}

/// What happens at one supervisor when `child` (at `index` among its
/// children) exits abnormally (`crashed`) or with `shutdown` (a supervisor
/// below that gave up).
fn level(sup_node: &TreeNode, index: usize, crashed: bool) -> Level {
    let sup = sup_node.supervisor.as_ref();
    let children: &[TreeNode] = sup.map_or(&[], |s| &s.children);
    let child = &children[index];
    let strategy = sup.and_then(|s| s.strategy);
    let auto_shutdown = sup
        .and_then(|s| s.flags.as_ref())
        .and_then(|f| f.auto_shutdown.get().cloned())
        .filter(|a| a != "never");
    let significant = child
        .spec
        .as_ref()
        .and_then(|s| s.significant.get().copied())
        .unwrap_or(false);
    let restart = child.restart;
    let restarted_at_all = match restart {
        Some(RestartType::Permanent) => Some(true),
        Some(RestartType::Transient) => Some(crashed),
        Some(RestartType::Temporary) => Some(false),
        None => None,
    };
    let outcome = match (restarted_at_all, strategy) {
        (Some(true), Some(_)) => Outcome::Restarted,
        (Some(false), _) if significant && auto_shutdown.is_some() => Outcome::AutoShutdown,
        (Some(false), _) => Outcome::NotRestarted,
        _ => Outcome::Unknown,
    };
    let mut restarted = Vec::new();
    let mut terminated = Vec::new();
    let mut untouched = Vec::new();
    // Children that the default build does not start are no processes to
    // restart; children that may or may not exist are listed.
    let siblings = children
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != index && c.presence.default() != Some(false));
    if outcome == Outcome::Restarted {
        restarted.push(ProcessRef::of(child));
        for (i, sibling) in siblings {
            let with_it = match strategy {
                Some(Strategy::OneForAll) => true,
                Some(Strategy::RestForOne) => i > index,
                _ => false,
            };
            // A simple_one_for_one template is no process of its own.
            if with_it && !sibling.dynamic {
                if sibling.restart == Some(RestartType::Temporary) {
                    terminated.push(ProcessRef::of(sibling));
                } else {
                    restarted.push(ProcessRef::of(sibling));
                }
            } else if !sibling.dynamic {
                untouched.push(ProcessRef::of(sibling));
            }
        }
    } else {
        untouched.extend(
            siblings
                .filter(|(_, s)| !s.dynamic)
                .map(|(_, s)| ProcessRef::of(s)),
        );
    }
    Level {
        supervisor: ProcessRef::of(sup_node),
        strategy,
        intensity: sup.and_then(|s| s.intensity),
        period: sup.and_then(|s| s.period),
        auto_shutdown,
        child: ProcessRef::of(child),
        restart,
        significant,
        outcome,
        restarted,
        terminated,
        untouched,
    }
}

/// The blast of the process at `m`; `None` when the path is not in the trees.
/// `boot_orders` are the releases' boot orders, one per release (the run's).
pub(crate) fn blast(
    releases: &[Release],
    boot_orders: &[Vec<String>],
    trees: &Supervision,
    m: &Match,
) -> Option<Blast> {
    let tree = trees.trees.iter().find(|t| t.app == m.app)?;
    let nodes = nodes_on(&tree.root, &m.path)?;
    let process = *nodes.last()?;
    let mut notes = Vec::new();
    let mut levels = Vec::new();
    let mut application_stops = false;
    let mut crashes: Option<u64> = Some(1);
    if nodes.len() == 1 {
        // The top supervisor itself: its exit is the application's.
        application_stops = true;
    }
    // From the process's supervisor up: the exit of the node below.
    let mut crashed = true;
    for depth in (0..nodes.len() - 1).rev() {
        let sup_node = nodes[depth];
        let child = nodes[depth + 1];
        let index = sup_node
            .supervisor
            .as_ref()?
            .children
            .iter()
            .position(|c| std::ptr::eq(c, child))?;
        let lvl = level(sup_node, index, crashed);
        if !child.presence.is_always() {
            notes.push(format!(
                "`{}` exists only on some branches ({})",
                child.id,
                child.presence.text()
            ));
        }
        let outcome = lvl.outcome;
        let gives_up = match outcome {
            Outcome::Restarted => {
                match lvl.intensity {
                    Some(i) => crashes = crashes.map(|c| c.saturating_mul(i.saturating_add(1))),
                    None => crashes = None,
                }
                lvl.intensity.is_some()
            }
            Outcome::AutoShutdown => true,
            Outcome::NotRestarted | Outcome::Unknown => false,
        };
        levels.push(lvl);
        if !gives_up {
            if outcome != Outcome::Restarted {
                crashes = None;
            }
            break;
        }
        // The supervisor above exits with `shutdown`.
        crashed = false;
        if depth == 0 {
            application_stops = true;
        }
    }
    if !application_stops {
        crashes = None;
    }
    let releases = release_outcomes(releases, boot_orders, &m.app);
    if process.supervisor.is_some() && nodes.len() > 1 {
        notes.push(format!(
            "killed brutally, `{}` leaves its children to exit on their own: a registered \
             child that traps exits may still hold its name when the restart comes, and each \
             failed restart counts against the intensity above",
            process.id
        ));
    }
    let instance = process.dynamic;
    if instance {
        notes.push(format!(
            "`{}` is a template: each instance started by start_child is restarted alone",
            process.id
        ));
    }
    Some(Blast {
        app: m.app.clone(),
        process: ProcessRef::of(process),
        path: m.path.clone(),
        instance,
        levels,
        application_stops,
        releases,
        crashes_to_stop_app: crashes,
        notes,
    })
}

/// The application's start type in each release that starts it; with no
/// release naming it, `application:start/1`'s default, `temporary`.
fn release_outcomes(
    releases: &[Release],
    boot_orders: &[Vec<String>],
    app: &str,
) -> Vec<ReleaseOutcome> {
    let mut out: Vec<ReleaseOutcome> = releases
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let start_type = r
                .apps
                .iter()
                .find(|a| a.name == app)
                .map(|a| a.start_type)
                // Pulled in as a dependency: started permanent by the
                // boot script, as systools does.
                .or_else(|| {
                    boot_orders
                        .get(i)
                        .is_some_and(|order| order.iter().any(|a| a == app))
                        .then_some(StartType::Permanent)
                })?;
            Some(ReleaseOutcome {
                release: Some(r.name.clone()),
                start_type,
                node_stops: matches!(start_type, StartType::Permanent | StartType::Transient),
            })
        })
        .collect();
    if out.is_empty() {
        out.push(ReleaseOutcome {
            release: None,
            start_type: StartType::Temporary,
            node_stops: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::supervision::{analyse_modules, AppTree, Supervision};
    use crate::syntax::{index_module, SourceFile};

    /// A tree of one supervisor with `flags` and three workers.
    fn trees(flags: &str, restarts: [&str; 3]) -> Supervision {
        let children: Vec<String> = ["a", "b", "c"]
            .iter()
            .zip(restarts)
            .map(|(id, r)| {
                format!("#{{id => {id}, start => {{w, start_link, [{id}]}}, restart => {r}}}")
            })
            .collect();
        let sup = format!(
            "-module(s).\n-behaviour(supervisor).\n\
             start_link() -> supervisor:start_link({{local, s}}, s, []).\n\
             init([]) -> {{ok, {{{flags}, [{}]}}}}.\n",
            children.join(", ")
        );
        let worker = "-module(w).\n-behaviour(gen_server).\n\
                      start_link(N) -> gen_server:start_link({local, N}, w, [], []).\n";
        let files = [
            SourceFile::from_text("src/s.erl", &sup),
            SourceFile::from_text("src/w.erl", worker),
        ];
        let root = analyse_modules(
            files.into_iter().map(index_module).collect(),
            "s",
            "start_link",
            0,
        );
        Supervision {
            trees: vec![AppTree {
                app: "shop".into(),
                start: "shop_app:start/2".into(),
                loc: None,
                included_in: Vec::new(),
                root,
            }],
            diagnostics: Vec::new(),
            unstarted: Vec::new(),
        }
    }

    fn ids(refs: &[ProcessRef]) -> Vec<&str> {
        refs.iter().map(|r| r.id.as_str()).collect()
    }

    fn blast_of(t: &Supervision, name: &str) -> Blast {
        let m = find(t, name, None);
        assert_eq!(m.len(), 1, "{name}: {m:?}");
        blast(&[], &[], t, &m[0]).unwrap()
    }

    #[test]
    fn strategies_choose_who_is_restarted() {
        let perm = ["permanent"; 3];
        let b = blast_of(&trees("{one_for_one, 2, 5}", perm), "b");
        assert_eq!(ids(&b.levels[0].restarted), ["b"]);
        assert_eq!(ids(&b.levels[0].untouched), ["a", "c"]);
        let b = blast_of(&trees("{one_for_all, 2, 5}", perm), "b");
        assert_eq!(ids(&b.levels[0].restarted), ["b", "a", "c"]);
        let b = blast_of(&trees("{rest_for_one, 2, 5}", perm), "b");
        assert_eq!(ids(&b.levels[0].restarted), ["b", "c"]);
        assert_eq!(ids(&b.levels[0].untouched), ["a"]);
        // The top supervisor gives up after 3 crashes: the app stops.
        assert_eq!(b.crashes_to_stop_app, Some(3));
        assert!(b.application_stops);
        // No release names it: application:start/1 starts it temporary.
        assert!(!b.releases[0].node_stops);
    }

    #[test]
    fn temporary_children_are_not_restarted_nor_counted() {
        let t = trees(
            "{one_for_all, 0, 5}",
            ["temporary", "permanent", "permanent"],
        );
        let b = blast_of(&t, "a");
        assert_eq!(b.levels[0].outcome, Outcome::NotRestarted);
        assert!(!b.application_stops);
        assert_eq!(b.crashes_to_stop_app, None);
        // A temporary sibling is terminated with the others, not restarted.
        let b = blast_of(&t, "b");
        assert_eq!(ids(&b.levels[0].restarted), ["b", "c"]);
        assert_eq!(ids(&b.levels[0].terminated), ["a"]);
        // Intensity 0: the first crash stops the supervisor.
        assert_eq!(b.crashes_to_stop_app, Some(1));
    }

    #[test]
    fn names_registered_names_and_paths() {
        let t = trees("{one_for_one, 1, 5}", ["permanent"; 3]);
        assert_eq!(find(&t, "s/b", None).len(), 1);
        assert_eq!(find(&t, "x/b", None).len(), 0);
        assert_eq!(registered_name("{local,store}"), "store");
        assert_eq!(registered_name("{via,gproc,key}"), "key");
        // The module `w` starts all three workers.
        assert_eq!(find(&t, "w", None).len(), 3);
    }
}
