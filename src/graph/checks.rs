//! Checks over the application graph and the boot plans. Each finding is a
//! [`Diagnostic`] with the file and line to fix; `scan`, `deps` and the lint
//! report them.

use super::app_graph::{AppGraph, AppSource, EdgeKind};
use super::boot_order::BootPlan;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Held, Project, Release, ReleaseSource};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// An app lists, in `applications` or `included_applications`, an app that
/// is not in the project, not a dependency and not part of OTP.
pub(crate) const UNKNOWN_APPLICATION: &str = "unknown-application";
/// An `optional_applications` entry exists nowhere: fine, but releases will
/// go without it.
pub(crate) const OPTIONAL_APPLICATION_ABSENT: &str = "optional-application-absent";
/// A dependency in `rebar.config` that no app lists: releases will neither
/// start nor include it.
pub(crate) const UNUSED_DEP: &str = "unused-dep";
/// A release names an app that exists nowhere.
pub(crate) const UNKNOWN_RELEASE_APP: &str = "unknown-release-app";
/// Applications that need each other in a circle.
pub(crate) const APP_CYCLE: &str = "app-cycle";
/// A release whose apps form a cycle: no boot script can be made.
pub(crate) const RELEASE_NO_BOOT_ORDER: &str = "release-no-boot-order";
/// A started app needs an app the release only loads: the boot fails.
pub(crate) const RELEASE_NOT_STARTED: &str = "release-dependency-not-started";
/// An app names a dependency `rebar.lock` pins but that is not fetched:
/// its own needs are unknown until it is.
const LOCKED_NOT_FETCHED: &str = "locked-not-fetched";
/// A `.rel` file that leaves out an app its apps need.
const REL_UNLISTED_APP: &str = "rel-unlisted-application";
/// A release without kernel or stdlib.
const RELEASE_MANDATORY_APP: &str = "release-missing-mandatory-app";
/// A boot order computed around apps whose `.app` was not read.
const RELEASE_ORDER_ESTIMATED: &str = "release-order-estimated";

/// Runs every check.
pub(crate) fn check(project: &Project, graph: &AppGraph, plans: &[BootPlan]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let unfetched = unfetched_deps(project, graph);
    unknown_applications(project, graph, &unfetched, &mut out);
    locked_not_fetched(project, graph, &mut out);
    unused_deps(project, graph, &mut out);
    app_cycles(graph, &mut out);
    for (release, plan) in project.releases.iter().zip(plans) {
        release_checks(project, release, plan, graph, &unfetched, &mut out);
    }
    out
}

/// The error that says the resource file of `name` could not be read.
fn unreadable_resource<'p>(project: &'p Project, name: &str) -> Option<&'p Diagnostic> {
    project.diagnostics.iter().find(|d| {
        d.severity == Severity::Error
            && [".app.src", ".app"].iter().any(|ext| {
                let file = format!("{name}{ext}");
                d.file == file || d.file.ends_with(&format!("/{file}"))
            })
    })
}

/// Why an app counts as nowhere: usually it is not there at all, but its
/// resource file may be there and unreadable (reported on its own).
fn nowhere(project: &Project, name: &str) -> String {
    match unreadable_resource(project, name) {
        Some(d) => format!(
            "the resource file of `{name}`, {}, could not be read",
            d.file
        ),
        None => {
            format!("`{name}` is not an application of the project, a dependency or part of OTP")
        }
    }
}

/// The dependencies of the default profile whose resource file was not
/// read, by name: without a lock, what they need in turn is not known.
fn unfetched_deps(project: &Project, graph: &AppGraph) -> Vec<String> {
    if !project.locks.is_empty() {
        // A lock lists the dependencies of dependencies too: an app
        // neither in it nor anywhere else is missing.
        return Vec::new();
    }
    graph
        .nodes_by_name()
        .into_iter()
        .map(|i| graph.node(i))
        .filter(|n| n.source == AppSource::Dep && !n.resolved && n.dep_profile.is_none())
        .map(|n| n.name.clone())
        .collect()
}

/// Why an app found nowhere may still come: with one of the dependencies
/// not fetched (riak_kv names mochiweb, which comes with riak_api's
/// webmachine), which only they would name. `None` when none is unfetched
/// or the app's resource file is there but unreadable.
fn may_come_with(project: &Project, unfetched: &[String], name: &str) -> Option<String> {
    if unfetched.is_empty() || unreadable_resource(project, name).is_some() {
        return None;
    }
    Some(format!(
        "it is not in the project, its declared dependencies or OTP: it may come with one of \
         the {} not fetched ({}); fetch them and use --include-deps, or commit the lock file, \
         to know",
        unfetched.len(),
        first_names(unfetched)
    ))
}

/// Up to three names, and how many more.
fn first_names(names: &[String]) -> String {
    let shown = names[..names.len().min(3)].join(", ");
    match names.len() {
        0..=3 => shown,
        n => format!("{shown} and {} more", n - 3),
    }
}

fn unknown_applications(
    project: &Project,
    graph: &AppGraph,
    unfetched: &[String],
    out: &mut Vec<Diagnostic>,
) {
    for i in graph.nodes_by_name() {
        let from = graph.node(i);
        for e in graph.out_edges(i) {
            let (_, to) = graph.ends(e);
            let target = graph.node(to);
            if target.source != AppSource::Missing {
                continue;
            }
            let edge = &graph.graph[e];
            let Some((file, line)) = edge.at.clone() else {
                continue;
            };
            let d = match edge.kind {
                EdgeKind::OptionalApplications => Diagnostic::new(
                    Severity::Info,
                    OPTIONAL_APPLICATION_ABSENT,
                    file,
                    line,
                    None,
                    format!(
                        "optional application `{}` of `{}` is not in the project, its deps or \
                         OTP: releases will go without it",
                        target.name, from.name
                    ),
                ),
                kind => match may_come_with(project, unfetched, &target.name) {
                    Some(why) => Diagnostic::new(
                        Severity::Info,
                        UNKNOWN_APPLICATION,
                        file,
                        line,
                        None,
                        format!(
                            "`{}` lists `{}` in `{}`, but {why}. If none brings it, a release \
                             with `{}` cannot be built",
                            from.name,
                            target.name,
                            kind.as_str(),
                            from.name
                        ),
                    ),
                    None => Diagnostic::new(
                        Severity::Warning,
                        UNKNOWN_APPLICATION,
                        file,
                        line,
                        None,
                        format!(
                            "`{}` lists `{}` in `{}`, but {}: a release with `{}` cannot be \
                             built",
                            from.name,
                            target.name,
                            kind.as_str(),
                            nowhere(project, &target.name),
                            from.name
                        ),
                    ),
                },
            };
            out.push(d);
        }
    }
}

/// One info per locked dependency a project app names that was not read,
/// at the first entry naming it.
fn locked_not_fetched(project: &Project, graph: &AppGraph, out: &mut Vec<Diagnostic>) {
    let mut said: BTreeSet<&str> = BTreeSet::new();
    for i in graph.nodes_by_name() {
        let from = graph.node(i);
        if from.source != AppSource::Project {
            continue;
        }
        for e in graph.out_edges(i) {
            let (_, to) = graph.ends(e);
            let target = graph.node(to);
            if target.source != AppSource::Dep || target.resolved {
                continue;
            }
            let Some(lock) = project.locks.iter().find(|l| l.name == target.name) else {
                continue;
            };
            let edge = &graph.graph[e];
            let Some((file, line)) = edge.at.clone() else {
                continue;
            };
            if !said.insert(lock.name.as_str()) {
                continue;
            }
            let pinned = match (&lock.version, &lock.git_ref) {
                (Some(v), _) => format!(" {v}"),
                (None, Some(r)) => format!(" at {}", r.text()),
                (None, None) => String::new(),
            };
            out.push(Diagnostic::new(
                Severity::Info,
                LOCKED_NOT_FETCHED,
                file,
                line,
                None,
                format!(
                    "`{}` lists `{}` in `{}`: locked{pinned} (level {}, {}:{}), not fetched: \
                     run `rebar3 get-deps` or use `--include-deps`",
                    from.name,
                    lock.name,
                    edge.kind.as_str(),
                    lock.level,
                    lock.file,
                    lock.line
                ),
            ));
        }
    }
}

fn unused_deps(project: &Project, graph: &AppGraph, out: &mut Vec<Diagnostic>) {
    let named_by_release: BTreeSet<&str> = project
        .releases
        .iter()
        .flat_map(|r| r.apps.iter().map(|a| a.name.as_str()))
        .collect();
    // Parse transforms the project's modules name, with the first file
    // naming each.
    let mut transforms: BTreeMap<&str, &str> = BTreeMap::new();
    for m in &project.sources.modules {
        for t in &m.index.parse_transforms {
            transforms.entry(t.as_str()).or_insert(m.file.as_str());
        }
    }
    // The first one the project does not define: some dependency's.
    let outside = transforms
        .iter()
        .find(|(t, _)| project.sources.module(t).is_none());
    // A `raw` dependency is no application: none is expected to list it.
    for dep in project
        .deps
        .iter()
        .filter(|d| d.profile.is_none() && !d.raw)
    {
        let listed = graph.find(&dep.name).is_some_and(|i| {
            graph.in_edges(i).iter().any(|&e| {
                let (from, _) = graph.ends(e);
                matches!(graph.node(from).source, AppSource::Project | AppSource::Dep)
            })
        });
        if listed || named_by_release.contains(dep.name.as_str()) {
            continue;
        }
        // A reltool target system may hold it all the same: its code is
        // there, and the boot leaves it to the code to start. The release
        // of the dependency's own directory first (an umbrella's app with
        // its own rebar.config and reltool.config).
        let dir = Path::new(&dep.file).parent().unwrap_or(Path::new(""));
        let carrier = project
            .releases
            .iter()
            .filter_map(|r| {
                Some((
                    !Path::new(&r.file).starts_with(dir),
                    r,
                    r.carried.held(&dep.name)?,
                ))
            })
            .min_by_key(|(elsewhere, ..)| *elsewhere);
        if let Some((_, release, held)) = carrier {
            let how = match held {
                Held::Every(_) => {
                    "`{incl_cond, include}`, which takes every application of its `lib_dirs`"
                        .to_owned()
                }
                Held::Named(_) => format!("`{{app, {}, [{{incl_cond, include}}]}}`", dep.name),
            };
            let line = held.line();
            out.push(Diagnostic::new(
                Severity::Info,
                UNUSED_DEP,
                dep.file.clone(),
                dep.line,
                None,
                format!(
                    "dependency `{name}` is listed by no application's `applications` or \
                     `included_applications`: release `{release}` holds its code ({how} at \
                     {file}:{line}), but its boot does not start it, so it runs only if the \
                     code starts it (`application:start({name})`); list it in the \
                     `applications` of the app that uses it to have the boot start it first",
                    name = dep.name,
                    release = release.name,
                    file = release.file,
                ),
            ));
            continue;
        }
        let unlisted = format!(
            "dependency `{}` is listed by no application's `applications` or \
             `included_applications`: releases will neither start nor include it",
            dep.name
        );
        // A parse transform runs in the compiler: a dependency that only
        // provides one is rightly left out of `applications`.
        let provided = transforms.iter().find(|(t, _)| {
            project
                .sources
                .module(t)
                .is_some_and(|m| m.app.as_deref() == Some(dep.name.as_str()))
        });
        let (severity, message) = match (provided, outside) {
            (Some((t, file)), _) => (
                Severity::Info,
                format!(
                    "{unlisted}; right if it is needed only at compile time, for the parse \
                     transform `{t}` ({file}); if its modules are also called at run time, \
                     add it to the app that calls them"
                ),
            ),
            (None, Some((t, file))) => (
                Severity::Warning,
                format!(
                    "{unlisted} (add it to the app that uses it, or move it to a profile such \
                     as `test`; if it only provides the parse transform `{t}` ({file}), which \
                     is not in the project, it is rightly left out: --include-deps tells)"
                ),
            ),
            (None, None) => (
                Severity::Warning,
                format!(
                    "{unlisted} (add it to the app that uses it, or move it to a profile such \
                     as `test`)"
                ),
            ),
        };
        out.push(Diagnostic::new(
            severity,
            UNUSED_DEP,
            dep.file.clone(),
            dep.line,
            None,
            message,
        ));
    }
}

fn app_cycles(graph: &AppGraph, out: &mut Vec<Diagnostic>) {
    for cycle in graph.cycles() {
        let [first, second, ..] = cycle.as_slice() else {
            continue;
        };
        let at = graph.find(first).and_then(|i| {
            graph.out_edges(i).into_iter().find_map(|e| {
                let (_, to) = graph.ends(e);
                if &graph.node(to).name == second {
                    graph.graph[e].at.clone()
                } else {
                    None
                }
            })
        });
        let Some((file, line)) =
            at.or_else(|| graph.app(first).and_then(|n| n.declared_at.clone()))
        else {
            continue;
        };
        out.push(Diagnostic::new(
            Severity::Error,
            APP_CYCLE,
            file,
            line,
            None,
            format!(
                "application dependency cycle: {}; no boot order exists for a release \
                 holding them",
                cycle.join(" -> ")
            ),
        ));
    }
}

fn release_checks(
    project: &Project,
    release: &Release,
    plan: &BootPlan,
    graph: &AppGraph,
    unfetched: &[String],
    out: &mut Vec<Diagnostic>,
) {
    let line_of = |app: &str| {
        release
            .apps
            .iter()
            .find(|a| a.name == app)
            .map_or(release.line, |a| a.line)
    };
    let diag = |severity, code, line, message: String| {
        Diagnostic::new(severity, code, release.file.clone(), line, None, message)
    };
    let builder = match release.source {
        ReleaseSource::Rebar3 | ReleaseSource::Relx => "relx",
        ReleaseSource::Reltool => "reltool",
        ReleaseSource::Rel => "systools",
    };
    for m in &plan.missing {
        let named = release.apps.iter().any(|a| &a.name == m);
        if !named {
            continue;
        }
        if let Some(why) = may_come_with(project, unfetched, m) {
            out.push(diag(
                Severity::Info,
                UNKNOWN_RELEASE_APP,
                line_of(m),
                format!(
                    "release `{}` includes `{m}`, but {why}. If none brings it, {builder} \
                     cannot build the release",
                    release.name
                ),
            ));
        } else {
            out.push(diag(
                Severity::Warning,
                UNKNOWN_RELEASE_APP,
                line_of(m),
                format!(
                    "release `{}` includes `{m}`, but {}: {builder} cannot build the release",
                    release.name,
                    nowhere(project, m)
                ),
            ));
        }
    }
    if let Some(cycle) = &plan.cycle {
        out.push(diag(
            Severity::Error,
            RELEASE_NO_BOOT_ORDER,
            release.line,
            format!(
                "release `{}` has no boot order: {} (systools:make_script fails with \
                 circular_dependencies)",
                release.name,
                cycle.join(" -> ")
            ),
        ));
        return;
    }
    if !plan.undefined.is_empty() {
        out.push(diag(
            Severity::Error,
            RELEASE_NO_BOOT_ORDER,
            release.line,
            format!(
                "release `{}` has no boot order: systools:make_script fails with \
                 undefined_applications {}: an app uses an app that includes it (directly \
                 or through the includer's includer) and comes first in the release",
                release.name,
                plan.undefined.join(", ")
            ),
        ));
        return;
    }
    for u in &plan.unlisted {
        out.push(diag(
            Severity::Warning,
            REL_UNLISTED_APP,
            release.line,
            format!(
                "release `{}` does not list `{u}`, which its applications need: \
                 systools:make_script fails with undefined_applications",
                release.name
            ),
        ));
    }
    let in_plan: BTreeSet<&str> = plan.steps.iter().map(|s| s.app.as_str()).collect();
    for mandatory in ["kernel", "stdlib"] {
        if !plan.steps.is_empty() && !in_plan.contains(mandatory) {
            out.push(diag(
                Severity::Warning,
                RELEASE_MANDATORY_APP,
                release.line,
                format!(
                    "release `{}` does not hold `{mandatory}`: systools requires kernel and \
                     stdlib in every release",
                    release.name
                ),
            ));
        }
    }
    for (app, needed) in &plan.not_started {
        let how = plan
            .steps
            .iter()
            .find(|s| &s.app == needed)
            .map(|s| match (&s.included_by, s.start_type.as_str()) {
                (Some(by), _) => format!("only loads (it is included by `{by}`)"),
                (None, "none") => "does not even load (start type none)".to_owned(),
                (None, _) => "only loads (start type load)".to_owned(),
            })
            .unwrap_or_default();
        out.push(diag(
            Severity::Warning,
            RELEASE_NOT_STARTED,
            line_of(needed),
            format!(
                "release `{}` starts `{app}`, which needs `{needed}`, but the release {how}: \
                 the boot fails with {{not_started, {needed}}}",
                release.name
            ),
        ));
    }
    // OTP apps without an installation are leaves by choice (the output
    // says so); only unfetched deps make the order a guess worth a note.
    let unread: Vec<&String> = plan
        .unresolved
        .iter()
        .filter(|a| graph.app(a).is_some_and(|n| n.source != AppSource::Otp))
        .collect();
    if !unread.is_empty() {
        out.push(diag(
            Severity::Info,
            RELEASE_ORDER_ESTIMATED,
            release.line,
            format!(
                "boot order of release `{}` is partly estimated: the .app files of {} were \
                 not read (fetch the deps and pass --include-deps); they are assumed to need \
                 only kernel and stdlib",
                release.name,
                join(&unread)
            ),
        ));
    }
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
