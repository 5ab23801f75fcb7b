//! Supervision tree changes: children matched by id under the same
//! supervisor (ids are what OTP itself tells children apart by), then
//! each matched pair compared attribute by attribute.

use std::collections::BTreeSet;

use serde::Serialize;

use super::change::{At, Change};
use crate::graph::supervision::{Supervision, TreeNode};

/// What changed at one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum TreeChangeKind {
    /// A child only the new side has.
    Added,
    /// A child only the old side has.
    Removed,
    /// The supervisor's children start in another order.
    Reordered { order: Change<Vec<String>> },
    /// An attribute: `strategy`, `intensity`, `period`, `restart`,
    /// `shutdown`, `type`, `start`; values as `tree` prints them.
    Changed {
        attribute: &'static str,
        #[serde(flatten)]
        change: Change<Option<String>>,
    },
}

/// One change of one application's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TreeChange {
    pub(crate) app: String,
    /// Child ids from the top supervisor down.
    pub(crate) path: Vec<String>,
    #[serde(flatten)]
    pub(crate) kind: TreeChangeKind,
    /// Where: the new side's child spec (the old side's for a removal).
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub(crate) at: Option<At>,
}

fn at_of(n: &TreeNode) -> Option<At> {
    n.loc.as_ref().map(|l| At {
        file: l.file.to_string(),
        line: l.line,
    })
}

/// The attributes compared, as `tree` prints them.
fn attributes(n: &TreeNode) -> Vec<(&'static str, Option<String>)> {
    let sup = n.supervisor.as_ref();
    vec![
        (
            "strategy",
            sup.and_then(|s| s.strategy).map(|s| s.as_str().to_owned()),
        ),
        (
            "intensity",
            sup.and_then(|s| s.intensity).map(|i| i.to_string()),
        ),
        ("period", sup.and_then(|s| s.period).map(|p| p.to_string())),
        ("restart", n.restart.map(|r| r.as_str().to_owned())),
        ("shutdown", n.shutdown.as_ref().map(|s| s.to_string())),
        ("type", n.child_type.map(|t| t.as_str().to_owned())),
        ("start", n.start.clone()),
    ]
}

fn children(n: &TreeNode) -> &[TreeNode] {
    n.supervisor.as_ref().map_or(&[], |s| &s.children)
}

/// Where a supervisor's flags are written (its `init/1`), for the flags'
/// changes; the child spec for the others.
fn flags_at(n: &TreeNode) -> Option<At> {
    let sup = n.supervisor.as_ref()?;
    let loc = sup
        .flags
        .as_ref()
        .and_then(|f| f.loc.as_ref())
        .or(sup.init.as_ref())?;
    Some(At {
        file: loc.file.to_string(),
        line: loc.line,
    })
}

fn node(app: &str, path: &[String], old: &TreeNode, new: &TreeNode, out: &mut Vec<TreeChange>) {
    for ((name, before), (_, after)) in attributes(old).into_iter().zip(attributes(new)) {
        if before != after {
            let at = if matches!(name, "strategy" | "intensity" | "period") {
                flags_at(new)
            } else {
                at_of(new)
            };
            out.push(TreeChange {
                app: app.to_owned(),
                path: path.to_vec(),
                kind: TreeChangeKind::Changed {
                    attribute: name,
                    change: Change { before, after },
                },
                at,
            });
        }
    }
    let (oc, nc) = (children(old), children(new));
    let old_ids: BTreeSet<&str> = oc.iter().map(|c| c.id.as_str()).collect();
    let new_ids: BTreeSet<&str> = nc.iter().map(|c| c.id.as_str()).collect();
    let with = |id: &str| {
        let mut p = path.to_vec();
        p.push(id.to_owned());
        p
    };
    for c in nc.iter().filter(|c| !old_ids.contains(c.id.as_str())) {
        out.push(TreeChange {
            app: app.to_owned(),
            path: with(&c.id),
            kind: TreeChangeKind::Added,
            at: at_of(c),
        });
    }
    for c in oc.iter().filter(|c| !new_ids.contains(c.id.as_str())) {
        out.push(TreeChange {
            app: app.to_owned(),
            path: with(&c.id),
            kind: TreeChangeKind::Removed,
            at: at_of(c),
        });
    }
    // The start order of the children both sides have.
    let common = |cs: &[TreeNode], other: &BTreeSet<&str>| -> Vec<String> {
        cs.iter()
            .filter(|c| other.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect()
    };
    let (before, after) = (common(oc, &new_ids), common(nc, &old_ids));
    if before != after {
        out.push(TreeChange {
            app: app.to_owned(),
            path: path.to_vec(),
            kind: TreeChangeKind::Reordered {
                order: Change { before, after },
            },
            at: new
                .supervisor
                .as_ref()
                .and_then(|s| s.init.as_ref())
                .map(|l| At {
                    file: l.file.to_string(),
                    line: l.line,
                }),
        });
    }
    for c in nc {
        if let Some(o) = oc.iter().find(|o| o.id == c.id) {
            node(app, &with(&c.id), o, c, out);
        }
    }
}

/// Changes of the trees of the applications both sides draw (an
/// application added or removed is an application change). An
/// application included by another is compared inside the includer's
/// tree, where it runs, not twice.
pub(crate) fn compare(base: &Supervision, head: &Supervision) -> Vec<TreeChange> {
    let mut out = Vec::new();
    for new in head.trees.iter().filter(|t| t.included_in.is_empty()) {
        if let Some(old) = base.trees.iter().find(|t| t.app == new.app) {
            node(
                &new.app,
                std::slice::from_ref(&new.root.id),
                &old.root,
                &new.root,
                &mut out,
            );
        }
    }
    out
}
