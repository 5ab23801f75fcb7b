//! Who is started before whom: the order in which a boot starts the
//! processes of the application trees, to judge the calls an `init/1`
//! makes to a registered process (`blocking-init`, `start-order`).
//!
//! OTP starts one application at a time, in the boot script's order, and
//! `application:start` returns once the application's top supervisor has
//! started its whole tree. A supervisor starts its children one by one
//! inside its own `init/1`, each child's subtree before the next sibling.
//! So while `init/1` of a process runs, the processes already running are
//! those of the applications started before its own and, in its own tree,
//! its older siblings and its ancestors' older siblings, with everything
//! below them. Its ancestors are registered but still in their `init/1`:
//! a call to one is not answered before the call times out.

use std::collections::{BTreeSet, HashMap};

use crate::graph::supervision::{AppTree, StartCall, Strategy, TreeNode};
use crate::model::Project;
use crate::syntax::print::atom_text;
use crate::syntax::{Expr, ExprKind};

/// What OTP's start order says about a call from `init/1` to a registered
/// process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The process is running before the caller's `init/1`: why, in a
    /// clause ("`db` is started before, by `top_sup` (child `db`) at
    /// src/top_sup.erl:12").
    Safe(String),
    /// The process is not running yet, or is an ancestor still in its
    /// `init/1`: why, and what happens then.
    Later(Later),
    /// The trees do not say (a name no tree registers, a process started
    /// in several places that disagree).
    Unknown,
}

/// Why a called process is not there when `init/1` calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Later {
    /// "which app `b` starts after app `a` in release `r`".
    pub(crate) why: String,
    /// True when the process is registered but still in its own `init/1`
    /// (an ancestor): the call waits for its timeout. Otherwise the name
    /// is not registered yet and the call exits at once with `noproc`.
    pub(crate) registered: bool,
}

/// Where one process is started in an application tree.
#[derive(Debug, Clone)]
struct Place {
    /// The index of its tree.
    tree: usize,
    /// Its application (the tree's).
    app: String,
    /// Its position in the tree, depth-first: the order processes start.
    seq: usize,
    /// The last position of its subtree.
    end: usize,
    /// Set when the process is started at run time (a `simple_one_for_one`
    /// instance, a child `start_child` adds after the boot, or below
    /// one): who starts it, in words.
    run_time: Option<String>,
    /// Set when a `start_child` call adds it to a supervisor that is not
    /// `simple_one_for_one`, from a start function (`start_servers/2`) or
    /// from a call otpmap did not see: it may well run during the boot
    /// (a module list started by configuration), so it is neither.
    unsure: bool,
    /// False when the default build does not start it.
    present: bool,
    /// True when every build and configuration starts it: neither it nor
    /// a supervisor above it is conditional.
    always: bool,
    /// Who starts it, in words: "child `db` of `top_sup` at src/top_sup.erl:12".
    by: String,
}

impl Place {
    fn at_boot(&self) -> bool {
        self.run_time.is_none() && !self.unsure && self.present
    }
}

/// The start order of every process the application trees start.
#[derive(Debug, Default)]
pub(crate) struct BootPath {
    /// By registered name in Erlang syntax (`{local,db}`).
    by_name: HashMap<String, Vec<Place>>,
    /// By callback module.
    by_callback: HashMap<String, Vec<Place>>,
    /// Each release's name and the applications its boot starts, in order.
    releases: Vec<(String, Vec<String>)>,
    /// Each application's `applications`, transitively.
    needs: HashMap<String, BTreeSet<String>>,
}

impl BootPath {
    /// The start order of the trees `trees` (those of `tree`, in boot
    /// order), in the releases of `project`.
    pub(crate) fn new(project: &Project, trees: &[AppTree]) -> BootPath {
        let mut path = BootPath::default();
        for (i, t) in trees.iter().enumerate() {
            // An included application's tree is started by the including
            // application's supervisor, where that tree shows it.
            if !t.included_in.is_empty() {
                continue;
            }
            let by = format!("the top supervisor of app `{}`", t.app);
            let mut seq = 0;
            let when = (None, false);
            path.add(i, &t.app, &t.root, by, when, (true, true), false, &mut seq);
        }
        let graph = crate::graph::AppGraph::build(project, &crate::model::OtpLibrary::none());
        let plans = crate::graph::boot_order::plan_releases(&graph, &project.releases);
        path.releases = project
            .releases
            .iter()
            .zip(plans)
            .filter(|(_, plan)| !plan.steps.is_empty())
            .map(|(r, plan)| (r.name.clone(), plan.boot_order()))
            .collect();
        for app in &project.apps {
            let mut seen = BTreeSet::new();
            let mut work: Vec<&str> = app.applications.iter().map(|a| a.name.as_str()).collect();
            while let Some(name) = work.pop() {
                if !seen.insert(name.to_owned()) {
                    continue;
                }
                if let Some(a) = project.app(name) {
                    work.extend(a.applications.iter().map(|d| d.name.as_str()));
                }
            }
            path.needs.entry(app.name.clone()).or_default().extend(seen);
        }
        path
    }

    /// Records `node` and everything below it, depth-first from `seq`.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        tree: usize,
        app: &str,
        node: &TreeNode,
        by: String,
        (run_time, unsure): (Option<String>, bool),
        (present, always): (bool, bool),
        in_simple: bool,
        seq: &mut usize,
    ) {
        let here = *seq;
        *seq += 1;
        // An instance of a simple_one_for_one template is started at run
        // time; a child another supervisor gets from `start_child` is
        // only when the call is not made by a start function.
        let run_time = run_time.or_else(|| {
            (node.dynamic && (in_simple || !started_by_a_start_function(node)))
                .then(|| started_by(node))
        });
        let unsure = unsure || (node.dynamic && run_time.is_none());
        let present = present && node.presence.default() != Some(false);
        let always = always && node.presence.is_always();
        let module = node.started.callback.clone();
        let supervisor = module.as_deref().map_or("?".to_owned(), atom_text);
        if let Some(s) = &node.supervisor {
            for child in &s.children {
                let at = child
                    .loc
                    .as_ref()
                    .map(|l| format!(" at {}:{}", l.file, l.line))
                    .unwrap_or_default();
                let by = format!("child `{}` of `{supervisor}`{at}", child.id);
                let simple = s.strategy == Some(Strategy::SimpleOneForOne);
                let when = (run_time.clone(), unsure);
                let presence = (present, always);
                self.add(tree, app, child, by, when, presence, simple, seq);
            }
        }
        let place = Place {
            tree,
            app: app.to_owned(),
            seq: here,
            end: *seq - 1,
            run_time,
            unsure,
            present,
            always,
            by,
        };
        if let Some(name) = &node.started.name {
            self.by_name
                .entry(name.clone())
                .or_default()
                .push(place.clone());
        }
        if let Some(m) = module {
            self.by_callback.entry(m).or_default().push(place);
        }
    }

    /// When every place that starts the process of `callback` is at run
    /// time: who starts it ("started at run time by `f/1` at file:line").
    pub(crate) fn run_time_only(&self, callback: &str) -> Option<String> {
        let places = self.by_callback.get(callback)?;
        if places.iter().any(|p| p.run_time.is_none()) {
            return None;
        }
        places.first()?.run_time.clone()
    }

    /// Whether any tree starts a process of `callback` (at boot, at run
    /// time or possibly either).
    pub(crate) fn places(&self, callback: &str) -> bool {
        self.by_callback.contains_key(callback)
    }

    /// What the start order says about `init/1` of `callback` calling the
    /// process `to` (the first argument of `gen_server:call`).
    pub(crate) fn judge(&self, callback: &str, to: &Expr) -> Verdict {
        let Some(name) = registered_name(to) else {
            return Verdict::Unknown;
        };
        let shown = registered_shown(to).unwrap_or_default();
        let started: Vec<&Place> = self
            .by_callback
            .get(callback)
            .into_iter()
            .flatten()
            .filter(|p| p.run_time.is_none() && !p.unsure)
            .collect();
        // A caller the default build or configuration does not start (a
        // child of one `case` branch on an environment key) still starts
        // after its older siblings whenever it starts: a call to one that
        // every configuration starts is safe. It is not judged late: the
        // configuration that starts it may well start the other process
        // first, or not at all.
        let in_default: Vec<&Place> = started.iter().copied().filter(|p| p.present).collect();
        let judges_late = !in_default.is_empty();
        let callers = if judges_late { in_default } else { started };
        let called: Vec<&Place> = self
            .by_name
            .get(&name)
            .into_iter()
            .flatten()
            .filter(|p| p.at_boot() && (judges_late || p.always))
            .collect();
        if callers.is_empty() || called.is_empty() {
            return Verdict::Unknown;
        }
        let mut safe = None;
        let mut unknown = false;
        for x in &callers {
            let orders: Vec<Order> = called.iter().map(|y| self.order(y, x, &shown)).collect();
            if let Some(why) = orders.iter().find_map(|o| match o {
                Order::Before(why) => Some(why.clone()),
                _ => None,
            }) {
                safe.get_or_insert(why);
            } else if let Some(later) = orders.into_iter().find_map(|o| match o {
                Order::After(later) => Some(later),
                _ => None,
            }) {
                if !judges_late {
                    unknown = true;
                    continue;
                }
                // Started here, the caller's boot fails.
                return Verdict::Later(later);
            } else {
                unknown = true;
            }
        }
        match safe {
            Some(why) if !unknown => Verdict::Safe(why),
            _ => Verdict::Unknown,
        }
    }

    /// Whether `y` runs before `init/1` of `x` does.
    fn order(&self, y: &Place, x: &Place, shown: &str) -> Order {
        if y.tree == x.tree {
            return if y.end < x.seq {
                Order::Before(format!(
                    "`{shown}` is started before it in the tree of app `{}`, as {}",
                    y.app, y.by
                ))
            } else if y.seq < x.seq {
                Order::After(Later {
                    why: format!(
                        "which is a supervisor above it in the tree of app `{}` ({}), still \
                         in its own init/1 starting its children, so it cannot answer",
                        y.app, y.by
                    ),
                    registered: true,
                })
            } else if y.seq > x.seq {
                Order::After(Later {
                    why: format!("which app `{}` starts after it, as {}", y.app, y.by),
                    registered: false,
                })
            } else {
                Order::Unknown
            };
        }
        let (a, b) = (&x.app, &y.app);
        if a == b {
            return Order::Unknown;
        }
        if self.needs.get(a).is_some_and(|n| n.contains(b)) {
            return Order::Before(format!(
                "`{shown}` is started by app `{b}` (as {}), which app `{a}` needs \
                 (`applications`), so OTP starts it first",
                y.by
            ));
        }
        let with_a: Vec<&(String, Vec<String>)> = self
            .releases
            .iter()
            .filter(|(_, order)| order.contains(a))
            .collect();
        if with_a.is_empty() {
            // No release says when `a` starts. Only a dependency the other
            // way round orders the two; otherwise `b` may be started by
            // hand first (a script, `ensure_all_started` in a main module).
            if !self.needs.get(b).is_some_and(|n| n.contains(a)) {
                return Order::Unknown;
            }
            return Order::After(Later {
                why: format!(
                    "which app `{b}` starts (as {}), and app `{b}` needs app `{a}` \
                     (`applications`), so OTP starts `{b}` after `{a}`",
                    y.by
                ),
                registered: false,
            });
        }
        for (release, order) in &with_a {
            let ia = order.iter().position(|n| n == a);
            let ib = order.iter().position(|n| n == b);
            let why = match (ib, ia) {
                (Some(ib), Some(ia)) if ib < ia => continue,
                (Some(_), _) => format!(
                    "which app `{b}` starts after app `{a}` in release `{release}` (as {})",
                    y.by
                ),
                (None, _) => format!(
                    "which app `{b}` starts (as {}), but release `{release}` does not start \
                     app `{b}`",
                    y.by
                ),
            };
            return Order::After(Later {
                why,
                registered: false,
            });
        }
        let names: Vec<String> = with_a.iter().map(|(r, _)| format!("`{r}`")).collect();
        let releases = match names.as_slice() {
            [one] => format!("release {one}"),
            _ => format!("every release that starts it ({})", names.join(", ")),
        };
        Order::Before(format!(
            "`{shown}` is started by app `{b}` (as {}), which starts before app `{a}` in \
             {releases}",
            y.by
        ))
    }
}

/// Whether one process runs before another's `init/1`.
enum Order {
    Before(String),
    After(Later),
    Unknown,
}

/// Whether the first `start_child` call adding `node` is made by a start
/// function (`start/2`, `start_link`, `start_servers/2`, `init/1`,
/// `boot/0`, `setup`): then it may run during the boot, called by a
/// module list the configuration names. Unknown callers count as such.
fn started_by_a_start_function(node: &TreeNode) -> bool {
    let Some(call) = node.start_calls.first() else {
        return true;
    };
    let function = call
        .caller
        .split_once(':')
        .map_or(call.caller.as_str(), |(_, f)| f);
    ["start", "init", "boot", "setup"]
        .iter()
        .any(|p| function.starts_with(p))
}

/// Who starts a child at run time, in words.
fn started_by(node: &TreeNode) -> String {
    match node.start_calls.first() {
        Some(StartCall { caller, loc, .. }) => format!(
            "started at run time by {caller} at {}:{}",
            loc.file, loc.line
        ),
        None => "started at run time (a `simple_one_for_one` instance or a \
                 `supervisor:start_child` call)"
            .to_owned(),
    }
}

/// The name a call's first argument names, in Erlang syntax as the trees
/// write it: `db` is `{local,db}`, `{global, db}` is `{global,db}`.
fn registered_name(to: &Expr) -> Option<String> {
    if let Some(a) = to.as_atom() {
        return Some(format!("{{local,{}}}", atom_text(a)));
    }
    match &to.kind {
        ExprKind::Tuple(t) if t.len() == 2 && t[0].as_atom() == Some("global") => {
            Some(format!("{{global,{}}}", atom_text(t[1].as_atom()?)))
        }
        _ => None,
    }
}

/// The name as a message shows it: `db`, `{global,db}`.
pub(crate) fn registered_shown(to: &Expr) -> Option<String> {
    if let Some(a) = to.as_atom() {
        return Some(atom_text(a));
    }
    let name = registered_name(to)?;
    Some(name)
}

/// The rules that read the start order: they run once the supervisors
/// are evaluated.
pub(crate) const READERS: &[&str] = &["OTP001", "OTP010"];
