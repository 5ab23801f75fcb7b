//! What a change does to a code base's map: two runs of the pipeline (the
//! project, its releases' boot orders, its supervision trees and its lint
//! findings), one per side, compared. This stage reads the results of the
//! stages before it and nothing else.

mod change;
mod trees;
pub(crate) mod words;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::graph::supervision::Supervision;
use crate::lint::LintReport;
use crate::model::{App, Dep, Project, Release};

pub(crate) use change::{At, Change};
pub(crate) use trees::{TreeChange, TreeChangeKind};

/// One side of the comparison: what the pipeline made of one revision.
pub(crate) struct Side<'a> {
    pub(crate) project: &'a Project,
    /// Each release's boot order, in the order of `project.releases`.
    pub(crate) boot_orders: &'a [Vec<String>],
    pub(crate) trees: &'a Supervision,
    pub(crate) lint: &'a LintReport,
}

/// An application, dependency or release that is on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Entry {
    name: String,
    /// Version, or a dependency's source in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(flatten)]
    at: At,
}

/// Names added to and removed from a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct ListChange {
    added: Vec<String>,
    removed: Vec<String>,
}

impl ListChange {
    fn of<'a>(
        before: impl Iterator<Item = &'a str>,
        after: impl Iterator<Item = &'a str>,
    ) -> ListChange {
        let b: BTreeSet<&str> = before.collect();
        let a: BTreeSet<&str> = after.collect();
        ListChange {
            added: a.difference(&b).map(|s| (*s).to_owned()).collect(),
            removed: b.difference(&a).map(|s| (*s).to_owned()).collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// An application on both sides that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct AppChange {
    name: String,
    #[serde(flatten)]
    at: At,
    #[serde(skip_serializing_if = "Option::is_none")]
    vsn: Option<Change<Option<String>>>,
    #[serde(skip_serializing_if = "ListChange::is_empty")]
    applications: ListChange,
    #[serde(skip_serializing_if = "ListChange::is_empty")]
    included_applications: ListChange,
    #[serde(skip_serializing_if = "Option::is_none")]
    mod_: Option<Change<Option<String>>>,
}

/// A dependency on both sides whose version or source changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct DepChange {
    name: String,
    #[serde(flatten)]
    at: At,
    source: Change<String>,
}

/// A release on both sides that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ReleaseChange {
    name: String,
    #[serde(flatten)]
    at: At,
    #[serde(skip_serializing_if = "Option::is_none")]
    vsn: Option<Change<String>>,
    #[serde(skip_serializing_if = "ListChange::is_empty")]
    applications: ListChange,
    /// Start types that changed, by application.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    start_types: Vec<(String, Change<String>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    boot_order: Option<Change<Vec<String>>>,
}

/// A lint finding on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FindingEntry {
    pub(crate) rule: &'static str,
    code: &'static str,
    pub(crate) severity: Severity,
    #[serde(flatten)]
    pub(crate) at: At,
    pub(crate) message: String,
}

/// Everything that differs.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Diff {
    apps_added: Vec<Entry>,
    apps_removed: Vec<Entry>,
    apps_changed: Vec<AppChange>,
    deps_added: Vec<Entry>,
    deps_removed: Vec<Entry>,
    deps_changed: Vec<DepChange>,
    releases_added: Vec<Entry>,
    releases_removed: Vec<Entry>,
    releases_changed: Vec<ReleaseChange>,
    pub(crate) tree_changes: Vec<TreeChange>,
    pub(crate) findings_new: Vec<FindingEntry>,
    pub(crate) findings_fixed: Vec<FindingEntry>,
}

/// A dependency's source in words: `hex 2.1.0`, `git URL tag v1`.
fn dep_source(d: &Dep) -> String {
    let mut s = format!("{:?}", d.source).to_ascii_lowercase();
    for part in [d.package.as_deref(), d.version.as_deref(), d.url.as_deref()]
        .into_iter()
        .flatten()
    {
        s.push(' ');
        s.push_str(part);
    }
    if let Some(r) = &d.git_ref {
        let (kind, v) = match r {
            crate::model::GitRef::Tag(v) => ("tag", v),
            crate::model::GitRef::Branch(v) => ("branch", v),
            crate::model::GitRef::Ref(v) => ("ref", v),
        };
        s.push_str(&format!(" {kind} {v}"));
    }
    if let Some(p) = &d.profile {
        s.push_str(&format!(" (profile {p})"));
    }
    s
}

fn at(file: &str, line: u32) -> At {
    At {
        file: file.to_owned(),
        line,
    }
}

fn by_name<T>(items: &[T], name: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    let mut map = BTreeMap::new();
    for item in items {
        // The first of a duplicated name: scan reports the duplicate.
        map.entry(name(item)).or_insert(item);
    }
    map
}

fn mod_name(a: &App) -> Option<String> {
    a.mod_.as_ref().map(|m| m.module.clone())
}

fn apps(base: &Project, head: &Project, diff: &mut Diff) {
    let b = by_name(&base.apps, |a| &a.name);
    let h = by_name(&head.apps, |a| &a.name);
    for (name, a) in &h {
        match b.get(name) {
            None => diff.apps_added.push(Entry {
                name: (*name).to_owned(),
                detail: a.vsn.clone(),
                at: at(&a.file, a.line),
            }),
            Some(old) => {
                let change = AppChange {
                    name: (*name).to_owned(),
                    at: at(&a.file, a.line),
                    vsn: (old.vsn != a.vsn).then(|| Change {
                        before: old.vsn.clone(),
                        after: a.vsn.clone(),
                    }),
                    applications: ListChange::of(
                        old.applications.iter().map(|r| r.name.as_str()),
                        a.applications.iter().map(|r| r.name.as_str()),
                    ),
                    included_applications: ListChange::of(
                        old.included_applications.iter().map(|r| r.name.as_str()),
                        a.included_applications.iter().map(|r| r.name.as_str()),
                    ),
                    mod_: (mod_name(old) != mod_name(a)).then(|| Change {
                        before: mod_name(old),
                        after: mod_name(a),
                    }),
                };
                if change.vsn.is_some()
                    || !change.applications.is_empty()
                    || !change.included_applications.is_empty()
                    || change.mod_.is_some()
                {
                    diff.apps_changed.push(change);
                }
            }
        }
    }
    for (name, a) in &b {
        if !h.contains_key(name) {
            diff.apps_removed.push(Entry {
                name: (*name).to_owned(),
                detail: a.vsn.clone(),
                at: at(&a.file, a.line),
            });
        }
    }
}

fn deps(base: &Project, head: &Project, diff: &mut Diff) {
    let key = |d: &Dep| d.name.clone() + "\0" + d.profile.as_deref().unwrap_or("");
    let b: BTreeMap<String, &Dep> = base.deps.iter().map(|d| (key(d), d)).collect();
    let h: BTreeMap<String, &Dep> = head.deps.iter().map(|d| (key(d), d)).collect();
    for (k, d) in &h {
        match b.get(k) {
            None => diff.deps_added.push(Entry {
                name: d.name.clone(),
                detail: Some(dep_source(d)),
                at: at(&d.file, d.line),
            }),
            Some(old) if dep_source(old) != dep_source(d) => diff.deps_changed.push(DepChange {
                name: d.name.clone(),
                at: at(&d.file, d.line),
                source: Change {
                    before: dep_source(old),
                    after: dep_source(d),
                },
            }),
            Some(_) => {}
        }
    }
    for (k, d) in &b {
        if !h.contains_key(k) {
            diff.deps_removed.push(Entry {
                name: d.name.clone(),
                detail: Some(dep_source(d)),
                at: at(&d.file, d.line),
            });
        }
    }
}

/// Each release of a side with its boot order.
fn with_boot_orders<'a>(s: &Side<'a>) -> Vec<(&'a Release, &'a [String])> {
    s.project
        .releases
        .iter()
        .zip(s.boot_orders.iter().map(Vec::as_slice))
        .collect()
}

fn releases(base: &Side, head: &Side, diff: &mut Diff) {
    let (base, head) = (with_boot_orders(base), with_boot_orders(head));
    let b = by_name(&base, |(r, _)| &r.name);
    let h = by_name(&head, |(r, _)| &r.name);
    for (name, &&(r, boot_order)) in &h {
        let Some(&&(old, old_boot_order)) = b.get(name) else {
            diff.releases_added.push(Entry {
                name: (*name).to_owned(),
                detail: Some(r.vsn.clone()),
                at: at(&r.file, r.line),
            });
            continue;
        };
        let types = |rel: &Release| -> BTreeMap<String, String> {
            rel.apps
                .iter()
                .map(|a| (a.name.clone(), a.start_type.as_str().to_owned()))
                .collect()
        };
        let (tb, th) = (types(old), types(r));
        let start_types: Vec<(String, Change<String>)> = th
            .iter()
            .filter_map(|(app, t)| {
                let before = tb.get(app)?;
                (before != t).then(|| {
                    (
                        app.clone(),
                        Change {
                            before: before.clone(),
                            after: t.clone(),
                        },
                    )
                })
            })
            .collect();
        let change = ReleaseChange {
            name: (*name).to_owned(),
            at: at(&r.file, r.line),
            vsn: (old.vsn != r.vsn).then(|| Change {
                before: old.vsn.clone(),
                after: r.vsn.clone(),
            }),
            applications: ListChange::of(
                old.apps.iter().map(|a| a.name.as_str()),
                r.apps.iter().map(|a| a.name.as_str()),
            ),
            start_types,
            boot_order: (old_boot_order != boot_order).then(|| Change {
                before: old_boot_order.to_vec(),
                after: boot_order.to_vec(),
            }),
        };
        if change.vsn.is_some()
            || !change.applications.is_empty()
            || !change.start_types.is_empty()
            || change.boot_order.is_some()
        {
            diff.releases_changed.push(change);
        }
    }
    for (name, (r, _)) in &b {
        if !h.contains_key(name) {
            diff.releases_removed.push(Entry {
                name: (*name).to_owned(),
                detail: Some(r.vsn.clone()),
                at: at(&r.file, r.line),
            });
        }
    }
}

fn finding_entries(side: &Side) -> Vec<(u64, FindingEntry)> {
    side.lint
        .findings
        .iter()
        .map(|f| {
            (
                crate::lint::fingerprint::fingerprint(side.project, f),
                FindingEntry {
                    rule: f.rule.name,
                    code: f.rule.code,
                    severity: f.severity,
                    at: at(&f.file, f.line),
                    message: f.message.clone(),
                },
            )
        })
        .collect()
}

/// New and fixed findings: matched by fingerprint (rule, file, call
/// chain, the offending line's text), so a finding that only moved is
/// neither; repeats are matched by count.
fn findings(base: &Side, head: &Side, diff: &mut Diff) {
    let b = finding_entries(base);
    let h = finding_entries(head);
    let count = |v: &[(u64, FindingEntry)]| {
        let mut m: BTreeMap<u64, usize> = BTreeMap::new();
        for (k, _) in v {
            *m.entry(*k).or_default() += 1;
        }
        m
    };
    let (mut left_b, mut left_h) = (count(&b), count(&h));
    for (k, f) in &h {
        match left_b.get_mut(k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => diff.findings_new.push(f.clone()),
        }
    }
    for (k, f) in &b {
        match left_h.get_mut(k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => diff.findings_fixed.push(f.clone()),
        }
    }
}

/// Compares the two sides.
pub(crate) fn compare(base: &Side, head: &Side) -> Diff {
    let mut diff = Diff::default();
    apps(base.project, head.project, &mut diff);
    deps(base.project, head.project, &mut diff);
    releases(base, head, &mut diff);
    diff.tree_changes = trees::compare(base.trees, head.trees);
    findings(base, head, &mut diff);
    diff
}
