//! The boot order of each release: which applications its boot script
//! loads and starts, in which order, reproducing what relx, reltool and
//! systools do (see `docs/deps.md` for the sources read).
//!
//! Two steps, as in the real tools:
//! 1. **Expand** the release spec into the full application list of the
//!    `.rel` file: relx adds every app reachable through `applications`,
//!    `included_applications` and (when present) `optional_applications`,
//!    depth first, each after what it needs; reltool starts from kernel and
//!    stdlib and adds each app before what it needs; a systools `.rel`
//!    file is taken as written.
//! 2. **Sort** that list the way `systools_make:sort_appls/1` does: a
//!    stable topological sort that keeps the `.rel` order wherever
//!    dependencies allow, after reordering each app's `applications` and
//!    `included_applications` by their position in the `.rel`.

use super::app_graph::{AppGraph, AppSource};
use crate::model::{Release, ReleaseSource, StartType};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the boot script does with an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BootAction {
    /// Loaded, then started with `application:start_boot/2`.
    Start,
    /// Loaded only: start type `load`, or included by another app (whose
    /// supervisor starts it).
    Load,
    /// In the release (its code is on the path) but neither loaded nor
    /// started: start type `none`.
    None,
}

impl BootAction {
    /// The name used in every output.
    #[cfg(test)]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BootAction::Start => "start",
            BootAction::Load => "load",
            BootAction::None => "none",
        }
    }
}

/// One application of a release, in boot script order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BootStep {
    pub(crate) app: String,
    /// The start type written in the `.rel` file.
    #[serde(rename = "type")]
    pub(crate) start_type: StartType,
    pub(crate) action: BootAction,
    /// The app whose `included_applications` holds this one.
    pub(crate) included_by: Option<String>,
    /// Not named by the release spec: pulled in by this app's needs.
    pub(crate) pulled_in_by: Option<String>,
}

/// The boot plan of one release.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BootPlan {
    /// Every application of the release in boot script order; empty when a
    /// cycle leaves no order.
    pub(crate) steps: Vec<BootStep>,
    /// The dependency cycle that makes a boot order impossible.
    pub(crate) cycle: Option<Vec<String>>,
    /// Apps the release needs that exist nowhere (relx would refuse to
    /// build it; they are left out of the plan).
    pub(crate) missing: Vec<String>,
    /// Apps in the release whose own needs are unknown (unfetched deps, OTP
    /// without an installation): the order around them is an estimate.
    pub(crate) unresolved: Vec<String>,
    /// For `.rel` files: apps the listed ones need but the file does not
    /// list (systools refuses such a file).
    pub(crate) unlisted: Vec<String>,
    /// Apps the release holds that systools still cannot place: an app
    /// uses the app that includes it, deeper than OTP allows. systools
    /// refuses the release with `undefined_applications`; no boot order.
    pub(crate) undefined: Vec<String>,
    /// Started apps that need an app the release only loads or does not
    /// load: the boot fails with `{not_started, App}`.
    pub(crate) not_started: Vec<(String, String)>,
}

impl BootPlan {
    /// The applications the boot script starts, in order: the release's
    /// `boot_order`.
    pub fn boot_order(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter(|s| s.action == BootAction::Start)
            .map(|s| s.app.clone())
            .collect()
    }
}

/// One line of a `.rel` file, as the expansion produces it.
#[derive(Debug, Clone)]
struct RelEntry {
    name: String,
    start_type: StartType,
    /// The release spec's override of `included_applications`.
    included: Option<Vec<String>>,
    pulled_in_by: Option<String>,
}

/// The needs of one app as the sort sees them.
#[derive(Debug, Clone)]
struct Needs {
    applications: Vec<String>,
    included: Vec<String>,
    optional: Vec<String>,
}

/// Plans every release of the project, in the order of `releases`.
pub(crate) fn plan_releases(graph: &AppGraph, releases: &[Release]) -> Vec<BootPlan> {
    releases.iter().map(|r| plan(graph, r)).collect()
}

/// Plans one release.
fn plan(graph: &AppGraph, release: &Release) -> BootPlan {
    let mut plan = BootPlan::default();
    let entries = match release.source {
        ReleaseSource::Rebar3 | ReleaseSource::Relx => expand_relx(graph, release, &mut plan),
        ReleaseSource::Reltool => expand_reltool(graph, release, &mut plan),
        ReleaseSource::Rel => expand_rel_file(graph, release, &mut plan),
    };
    let needs: BTreeMap<String, Needs> = entries
        .iter()
        .map(|e| {
            let mut n = needs_of(graph, &e.name);
            if let Some(inc) = &e.included {
                n.included = inc.clone();
            }
            (e.name.clone(), n)
        })
        .collect();
    plan.unresolved = entries
        .iter()
        .filter(|e| graph.app(&e.name).is_some_and(|n| !n.resolved))
        .map(|e| e.name.clone())
        .collect();
    plan.unresolved.sort();
    if release.source == ReleaseSource::Rel {
        let listed: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        let mut unlisted = BTreeSet::new();
        for e in &entries {
            let n = &needs[&e.name];
            for a in n.applications.iter().chain(&n.included) {
                if !listed.contains(a.as_str()) && !n.optional.contains(a) {
                    unlisted.insert(a.clone());
                }
            }
        }
        plan.unlisted = unlisted.into_iter().collect();
    }

    // reltool writes its boot script with its own copy of the sort, which
    // lacks systools' rewrite of uses of included apps.
    let rewrite_included_uses = release.source != ReleaseSource::Reltool;
    let sorted = systools_sort(&entries, &needs, rewrite_included_uses);
    if !sorted.circular.is_empty() {
        plan.cycle = Some(
            release_cycle(graph, &entries, &sorted.circular)
                .or_else(|| sorted_cycle(&sorted))
                .unwrap_or_else(|| sorted.circular.clone()),
        );
        return plan;
    }
    // Names the release does not hold are reported as missing or unlisted
    // already (and the order around them is still worth showing); a name
    // it does hold is systools refusing an include chain it cannot order.
    let listed: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    plan.undefined = sorted
        .undefined
        .iter()
        .filter(|n| listed.contains(n.as_str()))
        .cloned()
        .collect();
    if !plan.undefined.is_empty() {
        return plan;
    }
    let by_name: BTreeMap<&str, &RelEntry> = entries.iter().map(|e| (e.name.as_str(), e)).collect();
    // create_start_appls/1: an app included by any app of the release is
    // loaded, never started by the script.
    let mut includer: BTreeMap<&str, &str> = BTreeMap::new();
    for name in &sorted.order {
        for inc in &needs[name].included {
            includer.entry(inc.as_str()).or_insert(name.as_str());
        }
    }
    for name in &sorted.order {
        let Some(e) = by_name.get(name.as_str()) else {
            continue;
        };
        let included_by = includer.get(name.as_str()).map(|s| (*s).to_owned());
        let action = match (e.start_type, &included_by) {
            (StartType::None, _) => BootAction::None,
            (_, Some(_)) | (StartType::Load, _) => BootAction::Load,
            _ => BootAction::Start,
        };
        plan.steps.push(BootStep {
            app: name.clone(),
            start_type: e.start_type,
            action,
            included_by,
            pulled_in_by: e.pulled_in_by.clone(),
        });
    }
    let started: BTreeSet<&str> = plan
        .steps
        .iter()
        .filter(|s| s.action == BootAction::Start)
        .map(|s| s.app.as_str())
        .collect();
    for s in plan.steps.iter().filter(|s| s.action == BootAction::Start) {
        let n = &needs[&s.app];
        for a in &n.applications {
            if !started.contains(a.as_str())
                && !n.optional.contains(a)
                && by_name.contains_key(a.as_str())
            {
                plan.not_started.push((s.app.clone(), a.clone()));
            }
        }
    }
    plan
}

/// What the sort knows an app needs. An app whose resource file was not
/// read (an unfetched dep, OTP without an installation) is assumed to need
/// kernel and stdlib, as every OTP application and nearly every library
/// does; this keeps kernel and stdlib first, where systools puts them.
fn needs_of(graph: &AppGraph, name: &str) -> Needs {
    match graph.app(name) {
        Some(n) if n.resolved => Needs {
            applications: n.applications.clone(),
            included: n.included_applications.clone(),
            optional: n.optional_applications.clone(),
        },
        Some(n) if n.source != AppSource::Missing => Needs {
            applications: match name {
                "kernel" => vec![],
                "stdlib" => vec!["kernel".to_owned()],
                _ => vec!["kernel".to_owned(), "stdlib".to_owned()],
            },
            included: vec![],
            optional: vec![],
        },
        _ => Needs {
            applications: vec![],
            included: vec![],
            optional: vec![],
        },
    }
}

fn exists(graph: &AppGraph, name: &str) -> bool {
    graph
        .app(name)
        .is_some_and(|n| n.source != AppSource::Missing)
}

/// relx (`rlx_resolve:subset/7`): for each goal in order, depth first
/// through `applications ++ included_applications ++
/// optional_applications`, each app after the apps it names; an optional
/// app that exists nowhere is skipped. The start type is the goal's, else
/// `load` for an app some app of the release includes, else `permanent`
/// (`rlx_release:create_app_spec/3`).
fn expand_relx(graph: &AppGraph, release: &Release, plan: &mut BootPlan) -> Vec<RelEntry> {
    fn visit(
        graph: &AppGraph,
        name: &str,
        parent: Option<&str>,
        optional_here: &[String],
        seen: &mut BTreeSet<String>,
        out: &mut Vec<(String, Option<String>)>,
        missing: &mut BTreeSet<String>,
    ) {
        if seen.contains(name) {
            return;
        }
        if !exists(graph, name) {
            if !optional_here.iter().any(|o| o == name) {
                missing.insert(name.to_owned());
            }
            return;
        }
        seen.insert(name.to_owned());
        let n = needs_of(graph, name);
        for child in n.applications.iter().chain(&n.included).chain(&n.optional) {
            visit(graph, child, Some(name), &n.optional, seen, out, missing);
        }
        out.push((name.to_owned(), parent.map(str::to_owned)));
    }

    // A goal given twice: relx's lists:keyfind/3 takes the first.
    let mut goals: BTreeMap<&str, &crate::model::ReleaseApp> = BTreeMap::new();
    for a in &release.apps {
        goals.entry(a.name.as_str()).or_insert(a);
    }
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut missing = BTreeSet::new();
    for goal in &release.apps {
        visit(
            graph,
            &goal.name,
            None,
            &[],
            &mut seen,
            &mut order,
            &mut missing,
        );
    }
    plan.missing = missing.into_iter().collect();
    let world_included: BTreeSet<String> = order
        .iter()
        .flat_map(|(n, _)| needs_of(graph, n).included)
        .collect();
    order
        .into_iter()
        .map(|(name, parent)| {
            let goal = goals.get(name.as_str());
            // The model does not record whether `permanent` was written or
            // defaulted; only the printed type of an included app can
            // differ, and the script loads it without starting it either way.
            let start_type = match goal {
                Some(g) if g.start_type != StartType::Permanent => g.start_type,
                _ if world_included.contains(&name) => StartType::Load,
                _ => StartType::Permanent,
            };
            RelEntry {
                included: goal.and_then(|g| g.included.clone()),
                pulled_in_by: if goal.is_some() { None } else { parent },
                start_type,
                name,
            }
        })
        .collect()
}

/// reltool (`reltool_target:merge_apps/2`): kernel and stdlib, then the
/// release's apps, each followed by the apps it needs (`applications`
/// without the optional ones, then `included_applications`); an app met
/// again later in the work list is taken at its later place.
fn expand_reltool(graph: &AppGraph, release: &Release, plan: &mut BootPlan) -> Vec<RelEntry> {
    // An app given twice: reltool merges it at its last place, with that
    // entry's type.
    let specs: BTreeMap<&str, &crate::model::ReleaseApp> =
        release.apps.iter().map(|a| (a.name.as_str(), a)).collect();
    let mut merged: Vec<RelEntry> = Vec::new();
    let mut missing = BTreeSet::new();
    let mut run =
        |work: Vec<(String, Option<String>)>, default_type: bool, merged: &mut Vec<RelEntry>| {
            let mut work: std::collections::VecDeque<(String, Option<String>)> = work.into();
            while let Some((name, parent)) = work.pop_front() {
                let later = work.iter().any(|(n, _)| *n == name);
                if later || merged.iter().any(|m| m.name == name) {
                    continue;
                }
                if !exists(graph, &name) {
                    missing.insert(name.clone());
                    continue;
                }
                let spec = specs.get(name.as_str());
                let n = needs_of(graph, &name);
                let mut front: Vec<(String, Option<String>)> = n
                    .applications
                    .iter()
                    .filter(|a| !n.optional.contains(a) && exists(graph, a))
                    .chain(&n.included)
                    .map(|a| (a.clone(), Some(name.clone())))
                    .collect();
                merged.push(RelEntry {
                    start_type: match spec {
                        Some(s) if !default_type => s.start_type,
                        _ => StartType::Permanent,
                    },
                    included: spec.and_then(|s| s.included.clone()),
                    pulled_in_by: if spec.is_some() { None } else { parent },
                    name,
                });
                front.extend(work);
                work = front.into();
            }
        };
    run(
        vec![("kernel".to_owned(), None), ("stdlib".to_owned(), None)],
        true,
        &mut merged,
    );
    run(
        release
            .apps
            .iter()
            .map(|a| (a.name.clone(), None))
            .collect(),
        false,
        &mut merged,
    );
    plan.missing = missing.into_iter().collect();
    merged
}

/// A systools `.rel` file lists the release exactly.
fn expand_rel_file(graph: &AppGraph, release: &Release, plan: &mut BootPlan) -> Vec<RelEntry> {
    let mut out = Vec::new();
    for a in &release.apps {
        if !exists(graph, &a.name) {
            plan.missing.push(a.name.clone());
            continue;
        }
        out.push(RelEntry {
            name: a.name.clone(),
            start_type: a.start_type,
            included: a.included.clone(),
            pulled_in_by: None,
        });
    }
    out
}

/// The result of the systools sort.
#[derive(Debug, Default)]
struct Sorted {
    order: Vec<String>,
    circular: Vec<String>,
    /// Names systools could not place (`undefined_applications`).
    undefined: Vec<String>,
    /// The edges the sort followed: each app to the apps it had to come
    /// after (`applications` as rewritten, then `included_applications`),
    /// without the pairs OTP exempts.
    after: BTreeMap<String, Vec<String>>,
}

/// `systools_make:add_top_apps_to_uses/3` (when `rewrite_included_uses`),
/// then `sort_used_and_incl_appls/2` and `sort_appls/1`, step for step, on
/// names.
fn systools_sort(
    entries: &[RelEntry],
    needs: &BTreeMap<String, Needs>,
    rewrite_included_uses: bool,
) -> Sorted {
    let position: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    // sort_appl_list/2: a stable sort by position in the .rel; names the
    // .rel does not hold (`{optional, Name}`) sort after every position.
    let by_rel_order = |list: &[String]| -> Vec<String> {
        if list.len() < 2 {
            return list.to_vec();
        }
        let mut keyed: Vec<(usize, String)> = list
            .iter()
            .map(|n| {
                (
                    position.get(n.as_str()).copied().unwrap_or(usize::MAX),
                    n.clone(),
                )
            })
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        keyed.into_iter().map(|(_, n)| n).collect()
    };
    let tops = if rewrite_included_uses {
        add_top_apps_to_uses(entries, needs)
    } else {
        BTreeMap::new()
    };
    let uses: BTreeMap<&str, Vec<String>> = entries
        .iter()
        .map(|e| {
            let raw = tops.get(&e.name).unwrap_or(&needs[&e.name].applications);
            (e.name.as_str(), by_rel_order(raw))
        })
        .collect();
    let includes: BTreeMap<&str, Vec<String>> = entries
        .iter()
        .map(|e| (e.name.as_str(), by_rel_order(&needs[&e.name].included)))
        .collect();

    let mut list: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    let mut visited: Vec<String> = Vec::new();
    let mut out = Sorted::default();
    for e in entries {
        let name = e.name.as_str();
        let after = uses[name]
            .iter()
            .chain(&includes[name])
            .filter(|t| {
                !includes
                    .get(t.as_str())
                    .is_some_and(|inc| inc.iter().any(|i| i == name))
            })
            .cloned()
            .collect();
        out.after.insert(e.name.clone(), after);
    }
    // The algorithm terminates on its own; the cap only guards against a
    // translation mistake turning into a hang.
    let mut budget = (list.len() + 1) * (list.len() + 1) * 4 + 16;
    while !list.is_empty() && budget > 0 {
        budget -= 1;
        let name = list.remove(0);
        let (found_uses, rest, not_found) =
            find_all(&name, &uses[name.as_str()], list, &visited, &includes);
        let optional = &needs[&name].optional;
        out.undefined
            .extend(not_found.into_iter().filter(|n| !optional.contains(n)));
        let (found_incs, rest, not_found) =
            find_all(&name, &includes[name.as_str()], rest, &visited, &includes);
        out.undefined.extend(not_found);
        let mut needed = found_uses;
        needed.extend(found_incs);
        if needed.is_empty() {
            out.order.push(name.clone());
            visited.push(name);
            list = rest;
        } else {
            let new_circular: Vec<String> = needed
                .iter()
                .filter(|n| visited.contains(n))
                .cloned()
                .collect();
            if !new_circular.is_empty() {
                out.circular.push(name.clone());
                out.circular.extend(new_circular.iter().cloned());
            }
            let mut next: Vec<String> = needed
                .into_iter()
                .filter(|n| !new_circular.contains(n))
                .collect();
            next.push(name.clone());
            next.extend(rest);
            list = next;
            visited.push(name);
        }
    }
    out.circular.sort();
    out.circular.dedup();
    out.undefined.sort();
    out.undefined.dedup();
    out
}

/// `add_top_apps_to_uses/3`: when X uses A and A is included in T, X's
/// `applications` names T's top application (the includer of the
/// includer...) instead of A, so that X starts after the tree that runs A;
/// an included app's use of its own top app is dropped, and two apps under
/// the same top keep their uses.
fn add_top_apps_to_uses(
    entries: &[RelEntry],
    needs: &BTreeMap<String, Needs>,
) -> BTreeMap<String, Vec<String>> {
    // {IncApp, App} pairs in .rel order; lookups take the first, as
    // lists:keysearch/3 does.
    let mut includer: BTreeMap<&str, &str> = BTreeMap::new();
    for e in entries {
        for inc in &needs[&e.name].included {
            includer.entry(inc.as_str()).or_insert(e.name.as_str());
        }
    }
    // The top of every app, each walk stopping at an app whose top is
    // known: a walk per use was quadratic on a chain of 3 000 included
    // apps (a minute for `deps`).
    let mut tops: BTreeMap<&str, &str> = BTreeMap::new();
    for start in includer
        .keys()
        .copied()
        .chain(entries.iter().map(|e| e.name.as_str()))
    {
        if tops.contains_key(start) {
            continue;
        }
        let mut path = Vec::new();
        let mut on_path = BTreeSet::new();
        let mut cur = start;
        let found = loop {
            if let Some(&t) = tops.get(cur) {
                break t;
            }
            // An include cycle would loop forever in systools; stop
            // instead, at the app where the walk comes back, as before:
            // an app of the cycle is its own top, one leading into it
            // has the app where it enters.
            if !on_path.insert(cur) {
                let entry = path.iter().position(|&p| p == cur).unwrap_or(0);
                for &p in &path[entry..] {
                    tops.insert(p, p);
                }
                path.truncate(entry);
                break cur;
            }
            path.push(cur);
            match includer.get(cur) {
                Some(next) => cur = next,
                None => break cur,
            }
        };
        for p in path {
            tops.insert(p, found);
        }
    }
    let top = |app: &str| -> String { tops.get(app).copied().unwrap_or(app).to_owned() };
    let remove_first = |list: &mut Vec<String>, item: &str| {
        if let Some(i) = list.iter().position(|x| x == item) {
            list.remove(i);
        }
    };
    let mut out = BTreeMap::new();
    for e in entries {
        let uses = &needs[&e.name].applications;
        let my_top = top(&e.name);
        let mut acc = uses.clone();
        for used in uses {
            if *used == my_top {
                remove_first(&mut acc, &my_top);
            } else if let Some(dependent) = includer.get(used.as_str()) {
                let used_top = top(dependent);
                if acc.contains(&used_top) {
                    remove_first(&mut acc, used);
                } else if used_top != my_top {
                    remove_first(&mut acc, used);
                    acc.push(used_top);
                }
            }
        }
        out.insert(e.name.clone(), acc);
    }
    out
}

/// `find_all/6`: the apps among `names` still waiting in `list`, in the
/// order of `names`, taken out of `list`. An app that includes `checking`
/// is not pulled ahead of it (OTP allows "X includes Y, Y uses X").
/// Also returns the names neither waiting nor visited: systools counts
/// them as undefined applications, and so refuses the release.
fn find_all(
    checking: &str,
    names: &[String],
    mut list: Vec<String>,
    visited: &[String],
    includes: &BTreeMap<&str, Vec<String>>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut found = Vec::new();
    let mut not_found = Vec::new();
    // Erlang walks the reversed list and prepends: the same as walking in
    // order and appending.
    for n in names {
        let waiting = list.iter().position(|x| x == n);
        let includes_checking = includes
            .get(n.as_str())
            .is_some_and(|inc| inc.iter().any(|i| i == checking));
        match waiting {
            Some(pos) if !includes_checking => found.push(list.remove(pos)),
            _ if visited.contains(n) => {}
            _ => not_found.push(n.clone()),
        }
    }
    (found, list, not_found)
}

/// A shortest cycle through the first circular app, over the edges the
/// sort followed (systools' rewrite of included apps' uses can close a
/// cycle the graph itself does not have).
fn sorted_cycle(sorted: &Sorted) -> Option<Vec<String>> {
    for start in &sorted.circular {
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.as_str()]);
        let mut seen = BTreeSet::from([start.as_str()]);
        while let Some(n) = queue.pop_front() {
            for m in sorted.after.get(n).into_iter().flatten() {
                if m == start {
                    let mut path = vec![n.to_owned()];
                    let mut cur = n;
                    while let Some(p) = prev.get(cur) {
                        path.push((*p).to_owned());
                        cur = p;
                    }
                    path.reverse();
                    path.push(start.clone());
                    return Some(path);
                }
                if seen.insert(m.as_str()) {
                    prev.insert(m.as_str(), n);
                    queue.push_back(m.as_str());
                }
            }
        }
    }
    None
}

/// The cycle to show for a release: the first graph cycle made of the
/// release's apps, else the apps systools found circular.
fn release_cycle(
    graph: &AppGraph,
    entries: &[RelEntry],
    circular: &[String],
) -> Option<Vec<String>> {
    let in_release: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    graph.cycles().into_iter().find(|c| {
        c.iter().all(|a| in_release.contains(a.as_str())) && c.iter().any(|a| circular.contains(a))
    })
}
