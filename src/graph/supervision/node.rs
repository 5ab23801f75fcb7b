//! The trees as built: a [`TreeNode`] per process, with what a supervisor
//! adds ([`SupervisorNode`]) and the `start_child` calls that add children
//! ([`StartCall`]). `tree.rs` builds them; `mod.rs`, `unstarted.rs` and
//! `specs.rs` read them.

use std::collections::BTreeSet;

use super::child_spec::{ChildSpec, ChildType, RestartType, Shutdown, Strategy, SupFlags};
use super::dynamic::{made_at, Through};
use super::start::Started;
use crate::eval::value::{Cond, Loc, Presence};

/// A `supervisor:start_child/2` call that adds children to a supervisor.
#[derive(Debug, Clone)]
pub struct StartCall {
    /// The calling function: `courier:deliver/2`.
    pub caller: String,
    pub loc: Loc,
    /// The second argument as written; for a call through a wrapper, the
    /// call to the wrapper.
    pub(crate) spec: String,
    /// The wrapper the call goes through, if any.
    pub through: Option<Through>,
    /// The caller is an API of the supervisor's module that makes the
    /// call with what it is given, and nothing in the project calls it:
    /// children are added this way only by code outside the project.
    pub uncalled: bool,
}

impl StartCall {
    /// Whether the call is one of `locs`, itself or through its wrapper.
    fn made_at(&self, locs: &BTreeSet<Loc>) -> bool {
        made_at(&self.loc, self.through.as_ref(), locs)
    }
}

/// What a supervisor node adds.
#[derive(Debug, Clone, Default)]
pub struct SupervisorNode {
    /// The flags as evaluated (absent when `init/1` could not be read).
    pub(crate) flags: Option<SupFlags>,
    /// When `init/1` returns on several branches: each branch's flags,
    /// with its condition (`flags` is the default build's, or the first).
    pub(crate) branch_flags: Vec<(Cond, SupFlags)>,
    pub strategy: Option<Strategy>,
    pub intensity: Option<u64>,
    pub period: Option<u64>,
    /// Children in start order.
    pub children: Vec<TreeNode>,
    /// Where the callback's `init/1` is.
    pub(crate) init: Option<Loc>,
    /// When `init/1` may return `ignore`, under which condition.
    pub ignore: Option<String>,
    /// `start_child/2` calls that add children to this (non-simple) supervisor.
    pub start_calls: Vec<StartCall>,
    /// What made `init/1`'s result unreadable on some branch (then the
    /// children may be incomplete).
    pub(crate) problems: Vec<String>,
}

/// One process of a tree.
#[derive(Debug, Clone)]
pub struct TreeNode {
    /// The child id in Erlang syntax; for the root, its registered name
    /// (or callback module).
    pub id: String,
    /// The child spec (absent for the root).
    pub(crate) spec: Option<ChildSpec>,
    /// The module of the start MFA (the callback module for the root).
    pub module: Option<String>,
    /// The start MFA in Erlang syntax.
    pub start: Option<String>,
    pub child_type: Option<ChildType>,
    pub restart: Option<RestartType>,
    pub shutdown: Option<Shutdown>,
    /// What its start function starts.
    pub started: Started,
    /// Set when the process is a supervisor whose `init/1` was evaluated.
    pub supervisor: Option<SupervisorNode>,
    /// When it exists (conditional children).
    pub presence: Presence,
    /// A `simple_one_for_one` template: instances are added at run time.
    pub dynamic: bool,
    /// A template standing for the elements of a computed list.
    pub computed: Option<String>,
    /// For a dynamic template: the `start_child/2` calls that start instances.
    pub start_calls: Vec<StartCall>,
    /// Things a reader should know (assumptions, leaf typed supervisor, ...).
    pub notes: Vec<String>,
    /// Values that are not statically known, with reasons.
    pub unresolved: Vec<String>,
    /// Set when code this node was read from (its start module, its
    /// callback) was not read or had syntax errors: what is shown, the
    /// children included, may be incomplete. Which files, where, why.
    pub(crate) partial: Option<String>,
    /// Set when the child's value is known but is no child spec (a tuple
    /// of another size, an atom, a list): why.
    pub(crate) not_a_spec: Option<String>,
    pub(crate) loc: Option<Loc>,
}

impl TreeNode {
    /// Drops the `start_child` calls at `locs` (shown as children added at
    /// boot) from this node and all below it, and the children drawn as
    /// added at run time by those calls only.
    pub(super) fn drop_start_calls(&mut self, locs: &BTreeSet<Loc>) {
        self.start_calls.retain(|c| !c.made_at(locs));
        if let Some(s) = &mut self.supervisor {
            s.start_calls.retain(|c| !c.made_at(locs));
            if s.strategy != Some(Strategy::SimpleOneForOne) {
                s.children.retain(|c| {
                    !c.dynamic
                        || c.start_calls.is_empty()
                        || c.start_calls.iter().any(|k| !k.made_at(locs))
                });
            }
            for c in &mut s.children {
                c.drop_start_calls(locs);
            }
        }
    }

    pub(super) fn empty(id: String, loc: Option<Loc>) -> TreeNode {
        TreeNode {
            id,
            spec: None,
            module: None,
            start: None,
            child_type: None,
            restart: None,
            shutdown: None,
            started: Started::default(),
            supervisor: None,
            presence: Presence::always(),
            dynamic: false,
            computed: None,
            start_calls: Vec::new(),
            notes: Vec::new(),
            unresolved: Vec::new(),
            partial: None,
            not_a_spec: None,
            loc,
        }
    }

    /// Sets `partial` on this node and all below it from the files their
    /// modules were read from; `app_module` is the application callback
    /// (the root's `start/2`), also read for the root.
    pub(super) fn mark_partial(
        &mut self,
        sources: &crate::model::Sources,
        app_module: Option<&str>,
    ) {
        let mut gaps = std::collections::BTreeSet::new();
        let modules = [
            self.module.as_deref(),
            self.started.callback.as_deref(),
            app_module,
        ];
        for m in modules.into_iter().flatten() {
            if let Some(gap) = sources.module(m).and_then(|s| s.partial_read()) {
                gaps.insert(gap.to_string());
            }
        }
        if !gaps.is_empty() {
            let gaps: Vec<String> = gaps.into_iter().collect();
            self.partial = Some(gaps.join("; "));
        }
        if let Some(s) = &mut self.supervisor {
            for c in &mut s.children {
                c.mark_partial(sources, None);
            }
        }
    }

    /// True when this node or one below it is partial.
    pub(crate) fn has_partial(&self) -> bool {
        let mut any = false;
        self.walk(&mut |n| any |= n.partial.is_some());
        any
    }

    /// The node and all below it, depth-first.
    pub(crate) fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a TreeNode)) {
        f(self);
        if let Some(s) = &self.supervisor {
            for c in &s.children {
                c.walk(f);
            }
        }
    }
}
