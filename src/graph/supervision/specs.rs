//! Every supervisor of the project with its evaluated flags and child
//! specs, for checks (the lint's child-spec rules): the supervisors of the
//! application trees, evaluated with the argument their start call gives
//! `init/1`, then every other module declaring `-behaviour(supervisor)`,
//! evaluated with an argument that is not known. The values, their raw
//! text and their locations are those of [`ChildSpec`] and [`SupFlags`];
//! nothing is evaluated a second way.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::child_spec::Strategy;
use super::node::{SupervisorNode, TreeNode};
use super::roots;
use super::start::declared_behaviours;
use crate::eval::value::{Process, StartKind, Val};
use crate::model::{ModuleSource, Project};

/// One supervisor as `init/1` describes it.
#[derive(Debug, Clone)]
pub(crate) struct SupervisorSpecs {
    /// The callback module.
    pub(crate) module: String,
    /// The flags and the children (each with its [`super::ChildSpec`]
    /// and what its start function starts).
    pub(crate) node: SupervisorNode,
}

/// Evaluation steps for the `init/1` of a supervisor that no tree starts:
/// with an argument that is not known, clauses and branches multiply, and
/// what is left unknown after this many steps stays unknown.
const STANDALONE_STEPS: usize = 8_000;

/// [`all`], and the application trees it read them from (as `tree`
/// draws them: children a start function adds at boot are boot
/// children), for the lint's start-order judgement. `code` is the run's
/// code cache over `project` ([`super::code`]).
pub(crate) fn all_with_trees(
    project: &Project,
    code: &crate::eval::Code<'_>,
    standalone: &dyn Fn(&str) -> bool,
    limits: super::Limits,
) -> (Vec<super::AppTree>, Vec<SupervisorSpecs>) {
    let prepared = super::Prepared::new(project, code);
    // The lint plans no release: the trees come in the order
    // `apps_in_boot_order` computes from the releases' applications.
    let apps = roots::apps_in_boot_order(project, &[]);
    let (trees, used) = prepared
        .workers(project, limits)
        .each(&apps, |builder, app| {
            builder.ev.app = Some(app.name.clone());
            let root = roots::app_root(builder.ev, app)?;
            let node = builder.root(&root);
            Some((root, node))
        });
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (_, node) in trees.iter().flatten() {
        collect(node, &mut out, &mut seen);
    }
    let app_trees: Vec<super::AppTree> = apps
        .iter()
        .zip(trees)
        .filter_map(|(app, built)| {
            let (root, mut node) = built?;
            node.drop_start_calls(&used.at_boot);
            Some(super::AppTree {
                app: app.name.clone(),
                start: root.start,
                loc: root.loc,
                included_in: roots::included_in(project, &app.name),
                root: node,
            })
        })
        .collect();
    let others: Vec<&ModuleSource> = project
        .sources
        .modules
        .iter()
        .filter(|m| !seen.contains(&m.name) && standalone(&m.name))
        .collect();
    let (others, _) = prepared
        .workers(project, limits)
        .each(&others, |builder, m| {
            builder.ev.limits.steps = builder.ev.limits.steps.min(STANDALONE_STEPS);
            if !declared_behaviours(builder.project, &m.name)
                .iter()
                .any(|b| b == "supervisor")
            {
                return None;
            }
            let at = builder
                .ev
                .code
                .function(&m.name, "init", 1)?
                .first()
                .and_then(|d| d.module.loc(d.function.span));
            let p = Arc::new(Process {
                kind: StartKind::Supervisor,
                call: "supervisor:start_link/3".to_owned(),
                callback: Val::atom(&m.name, at.clone()),
                arg: Some(Val::unknown(
                    format!(
                        "the argument of {}:init/1 (not started from a tree)",
                        m.name
                    ),
                    at.clone(),
                )),
                name: None,
                loc: at,
            });
            let (node, _, _) = builder.supervisor(&p, &[], &mut Vec::new());
            Some(SupervisorSpecs {
                module: m.name.clone(),
                node,
            })
        });
    out.extend(others.into_iter().flatten());
    (app_trees, out)
}

fn collect(n: &TreeNode, out: &mut Vec<SupervisorSpecs>, seen: &mut BTreeSet<String>) {
    if let (Some(s), Some(m)) = (&n.supervisor, &n.started.callback) {
        seen.insert(m.clone());
        // The rules check what init/1 returns. A child a start_child/2
        // call adds at run time is not in that list (the same id there is
        // `already_present`, not a supervisor that fails to start), nor is
        // it started from this tree: its supervisor, if it is one, is
        // checked on its own, as a supervisor no tree starts.
        let simple = s.strategy == Some(Strategy::SimpleOneForOne);
        let mut node = s.clone();
        node.children.retain(|c| simple || !c.dynamic);
        out.push(SupervisorSpecs {
            module: m.clone(),
            node,
        });
        for c in s.children.iter().filter(|c| simple || !c.dynamic) {
            collect(c, out, seen);
        }
    }
}
