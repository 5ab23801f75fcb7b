//! Building the trees: each application's root, then each supervisor's
//! `init/1` evaluated with the argument its start call gives it, its child
//! specs decoded and each child's start followed, depth-first.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::app_root::AppRoot;
use super::child_spec::{
    ChildSpec, ChildType, Field, FieldValue, RestartType, Shutdown, Strategy, SupFlags,
};
use super::children::{child_items, merge_branches, ChildItem};
use super::dynamic::{is_child_spec, StartChildSite, Target};
use super::node::{StartCall, SupervisorNode, TreeNode};
use super::start::{self, describe};
use crate::eval::value::{Cond, KeyFp, Loc, Process, Val, Value};
use crate::eval::{alternatives, conj, is_raise, Code, Evaluator, Limits, StartChildEffect};
use crate::model::Project;

/// Nested supervisors deeper than this are not expanded.
const MAX_TREE_DEPTH: usize = 24;

/// What one application's evaluation leaves for the whole run: the
/// `start_child` call sites its tree used, and those it shows as children
/// added at boot.
#[derive(Default)]
pub(super) struct SitesUsed {
    pub(super) used: BTreeSet<usize>,
    pub(super) at_boot: BTreeSet<Loc>,
}

impl SitesUsed {
    fn merge(&mut self, other: SitesUsed) {
        self.used.extend(other.used);
        self.at_boot.extend(other.at_boot);
    }
}

/// What each parallel evaluation starts from: a [`Builder`] per item
/// is made of these (for the applications' trees, and for the children of
/// one supervisor).
pub(super) struct Workers<'a, 'p> {
    pub(super) project: &'a Project,
    pub(super) code: &'a Code<'p>,
    pub(super) limits: Limits,
    pub(super) adds_children: std::sync::Arc<std::collections::HashSet<crate::eval::Mfa>>,
    pub(super) sites: &'a [StartChildSite],
    /// The application whose tree is built ([`Evaluator::app`]).
    pub(super) app: Option<String>,
    /// The boot `start_child` calls from above ([`Builder::inherited`]).
    pub(super) inherited: Vec<StartChildEffect>,
}

impl Workers<'_, '_> {
    /// Runs `f` on each of `items` with a [`Builder`] of its own, on
    /// rayon's threads, and returns the results in the order of `items`,
    /// with the `start_child` sites they used.
    ///
    /// One evaluation never reads another's state: [`Evaluator::begin`]
    /// resets everything but [`Code`]'s cache of parsed functions, which is
    /// the same whoever fills it. So all workers share the run's `Code`,
    /// and the results are those of a sequential run.
    pub(super) fn each<I, T>(
        &self,
        items: &[I],
        f: impl Fn(&mut Builder<'_, '_, '_, '_>, &I) -> T + Sync,
    ) -> (Vec<T>, SitesUsed)
    where
        I: Sync,
        T: Send,
    {
        use rayon::prelude::*;
        let done: Vec<(T, SitesUsed)> = items
            .par_iter()
            // One job per item: a few children whose trees differ a
            // hundredfold in cost (rayon's halving left one thread alone).
            .with_max_len(1)
            .map(|item| {
                let mut ev = Evaluator::new(self.code);
                ev.limits = self.limits;
                ev.adds_children = self.adds_children.clone();
                ev.app = self.app.clone();
                let mut builder = Builder {
                    ev: &mut ev,
                    project: self.project,
                    sites: self.sites,
                    used_sites: Default::default(),
                    boot_sites: Default::default(),
                    inherited: self.inherited.clone(),
                };
                let out = f(&mut builder, item);
                let used = SitesUsed {
                    used: std::mem::take(&mut builder.used_sites),
                    at_boot: std::mem::take(&mut builder.boot_sites),
                };
                (out, used)
            })
            .collect();
        let mut all = SitesUsed::default();
        let out = done
            .into_iter()
            .map(|(t, used)| {
                all.merge(used);
                t
            })
            .collect();
        (out, all)
    }
}

/// How a supervisor can be addressed, for matching `start_child` calls.
struct SupRef {
    local: Option<String>,
    global: Option<String>,
    via: Option<String>,
    /// The callback module, when the registered name is not known: then a
    /// call by the module's name is taken to mean this supervisor (the
    /// usual `{local, ?MODULE}`). An unregistered supervisor, or one
    /// registered under another name, cannot be addressed that way.
    callback: Option<String>,
}

impl SupRef {
    fn of(p: &Process, callback: &str) -> SupRef {
        let mut r = SupRef {
            local: None,
            global: None,
            via: None,
            callback: None,
        };
        let known = match p.name.as_ref().and_then(Val::as_tuple) {
            Some(t) => match (t.first().and_then(Val::as_atom), t.len()) {
                (Some("local"), 2) => {
                    r.local = t[1].as_atom().map(str::to_owned);
                    r.local.is_some()
                }
                (Some("global"), 2) => {
                    r.global = Some(t[1].to_erlang());
                    t[1].is_concrete()
                }
                (Some("via"), 3) => {
                    r.via = p.name.as_ref().map(Val::to_erlang);
                    t[2].is_concrete()
                }
                _ => false,
            },
            // Not registered: only its pid reaches it.
            None if p.name.is_none() => true,
            None => false,
        };
        if !known {
            r.callback = Some(callback.to_owned());
        }
        r
    }

    /// Whether a `start_child` call's first argument, as evaluated, is this
    /// supervisor (the process `p` itself, or one of its names).
    fn is(&self, p: &Arc<Process>, target: &Val) -> bool {
        match target.kind() {
            Value::Pid(q) => Arc::ptr_eq(p, q),
            Value::Atom(a) => self.targeted_by(&Target::Local(a.clone())),
            Value::Tuple(es) => match (es.first().and_then(Val::as_atom), es.len()) {
                (Some("global"), 2) => self.global.as_deref() == Some(&es[1].to_erlang()),
                (Some("via"), 3) => self.via.as_deref() == Some(&target.to_erlang()),
                _ => false,
            },
            _ => false,
        }
    }

    fn targeted_by(&self, t: &Target) -> bool {
        match t {
            Target::Local(n) => {
                self.local.as_deref() == Some(n) || self.callback.as_deref() == Some(n)
            }
            Target::Global(n) => self.global.as_deref() == Some(n),
            Target::Via(n) => self.via.as_deref() == Some(n),
            Target::Unknown(_) => false,
        }
    }
}

/// Builds trees; remembers which `start_child` sites found a supervisor.
pub(super) struct Builder<'a, 'e, 'c, 'p> {
    pub(crate) ev: &'a mut Evaluator<'c, 'p>,
    /// The project the evaluator reads, for what is not evaluated (the
    /// behaviours a module declares, its exports).
    pub(crate) project: &'p crate::model::Project,
    pub(crate) sites: &'e [StartChildSite],
    pub(crate) used_sites: BTreeSet<usize>,
    /// `start_child` calls shown as children added at boot.
    pub(crate) boot_sites: BTreeSet<Loc>,
    /// The boot `start_child` calls of the start functions above the
    /// supervisor being built: an application's `start/2` may add a child
    /// to a supervisor deep in its tree (through the API of that
    /// supervisor's module) once the top supervisor is up.
    pub(crate) inherited: Vec<StartChildEffect>,
}

impl Builder<'_, '_, '_, '_> {
    /// The tree under an application's root.
    pub(crate) fn root(&mut self, root: &AppRoot) -> TreeNode {
        let p = match &root.process {
            Ok(p) => p.clone(),
            Err(reason) => {
                let mut n = TreeNode::empty("?".to_owned(), root.loc.clone());
                n.unresolved
                    .push(format!("top supervisor of {}: {reason}", root.start));
                return n;
            }
        };
        let started = describe(self.project, p.clone());
        let callback = started.callback.clone();
        let local = SupRef::of(&p, callback.as_deref().unwrap_or("")).local;
        let id = local
            .or_else(|| callback.clone())
            .unwrap_or_else(|| "?".to_owned());
        let mut n = TreeNode::empty(id, p.loc.clone());
        n.module = callback.clone();
        n.child_type = Some(ChildType::Supervisor);
        n.restart = Some(RestartType::Permanent);
        n.shutdown = Some(Shutdown::Infinity);
        n.start = Some(root.start.clone());
        n.notes.extend(root.note.clone());
        if !started.is_supervisor() {
            n.child_type = Some(ChildType::Worker);
            n.unresolved.extend(started.unresolved.clone());
            n.notes.push(format!(
                "{} starts {} rather than a supervisor",
                root.start,
                started
                    .process
                    .as_ref()
                    .map_or("an unknown process", |p| p.call.as_str())
            ));
            n.started = started;
            return n;
        }
        let mut ancestors = Vec::new();
        let (sup, notes, unresolved) = self.supervisor(&p, &root.effects, &mut ancestors);
        n.supervisor = Some(sup);
        n.notes.extend(started.notes.iter().cloned());
        n.notes.extend(notes);
        n.unresolved.extend(unresolved);
        n.started = started;
        n
    }

    /// Evaluates a supervisor's `init/1` and builds its children: those
    /// `init/1` returns, then those its start function adds with
    /// `supervisor:start_child/2` before returning (`effects`).
    pub(super) fn supervisor(
        &mut self,
        p: &Arc<Process>,
        effects: &[StartChildEffect],
        ancestors: &mut Vec<(String, KeyFp)>,
    ) -> (SupervisorNode, Vec<String>, Vec<String>) {
        let mut node = SupervisorNode::default();
        let mut notes = Vec::new();
        let mut unresolved = Vec::new();
        let Some(cb) = p.callback.as_atom().map(str::to_owned) else {
            unresolved.push("supervisor callback module not known".to_owned());
            return (node, notes, unresolved);
        };
        let arg = p
            .arg
            .clone()
            .unwrap_or_else(|| Val::unknown("init/1 argument not known", p.loc.clone()));
        let key = (cb.clone(), arg.key_fp());
        if ancestors.contains(&key) {
            unresolved.push(format!(
                "recursive supervision tree: {cb}:init({}) again",
                crate::eval::words::argument(&arg)
            ));
            return (node, notes, unresolved);
        }
        if ancestors.len() >= MAX_TREE_DEPTH {
            unresolved.push(format!(
                "{}: tree deeper than {MAX_TREE_DEPTH}",
                crate::eval::EVALUATION_LIMIT
            ));
            return (node, notes, unresolved);
        }
        let Some(defs) = self.ev.code.function(&cb, "init", 1) else {
            unresolved.push(if self.ev.code.has_module(&cb) {
                format!("{cb}:init/1 is not defined")
            } else {
                format!("supervisor callback {cb} is not in the project")
            });
            return (node, notes, unresolved);
        };
        node.init = defs.first().and_then(|d| d.module.loc(d.function.span));
        self.ev.begin();
        let result = self.ev.call(&cb, "init", vec![arg], p.loc.clone());
        if let Some(first) = &self.ev.first_default_limit {
            // Only the values the bound cut are unknown (they say so where
            // they are); this says where the first one is.
            notes.push(format!(
                "{}: {cb}:init/1 was only partly evaluated ({first})",
                crate::eval::EVALUATION_LIMIT,
            ));
        } else if self.ev.limit_hit {
            notes.push(format!(
                "{}: branches of {cb}:init/1 the default build does not take were only \
                 partly evaluated ({})",
                crate::eval::EVALUATION_LIMIT,
                self.ev.first_limit.as_deref().unwrap_or("bound hit")
            ));
        }
        let Decoded {
            flags,
            branch_flags,
            children,
            ignore,
            problems,
        } = decode_init(&result);
        node.branch_flags = branch_flags;
        node.problems.clone_from(&problems);
        unresolved.extend(problems);
        node.ignore = ignore;
        if let Some(f) = &flags {
            node.strategy = f.strategy.get().copied();
            node.intensity = f.intensity.get().copied();
            node.period = f.period.get().copied();
            field_messages("strategy", &f.strategy, &mut notes, &mut unresolved);
            field_messages("intensity", &f.intensity, &mut notes, &mut unresolved);
            field_messages("period", &f.period, &mut notes, &mut unresolved);
        }
        node.flags = flags;
        let me = SupRef::of(p, &cb);
        let sites: Vec<usize> = self
            .sites
            .iter()
            .enumerate()
            .filter(|(_, s)| me.targeted_by(&s.target))
            .map(|(i, _)| i)
            .collect();
        let simple = node.strategy == Some(Strategy::SimpleOneForOne);
        // Children added at boot by the start function, after init/1's;
        // instances of a simple_one_for_one template are not listed.
        let mut at_boot = Vec::new();
        if !simple {
            let boot = effects.iter().chain(self.inherited.iter());
            for e in boot.filter(|e| me.is(p, &e.target)) {
                let boot_calls = self.boot_calls(e);
                let one = Val::list(vec![e.spec.clone()], e.loc.clone());
                for mut item in child_items(&one) {
                    item.presence = item.presence.and(&e.path);
                    if let Some(c) = &e.computed {
                        item.computed.get_or_insert_with(|| c.clone());
                    }
                    // The same call adding the same child on several
                    // branches (`add([C])`, `add([C | T])`) adds it once.
                    let same = |(x, _, _, calls): &(ChildItem, _, Option<Loc>, Vec<Loc>)| {
                        *calls == boot_calls
                            && x.computed == item.computed
                            && x.value.key_fp() == item.value.key_fp()
                    };
                    if let Some(seen) = at_boot.iter_mut().find(|x| same(x)) {
                        seen.0.presence = seen.0.presence.or(&item.presence);
                        continue;
                    }
                    let at = e.chain.first().cloned().or(e.loc.clone());
                    let through = e.loc.clone().filter(|_| !e.chain.is_empty());
                    at_boot.push((item, at, through, boot_calls.clone()));
                }
            }
        }
        ancestors.push(key);
        let depth = self.inherited.len();
        self.inherited.extend(effects.iter().cloned());
        node.children = self.children(children, simple, &sites, ancestors);
        for (item, at, through, calls) in at_boot {
            let mut child = self.child(item, false, &[], ancestors);
            if let Some(at) = &at {
                self.boot_sites.extend(calls);
                child.notes.push(match through {
                    Some(inner) => format!(
                        "added at boot by the call at {at} (supervisor:start_child/2 at \
                         {inner}), after init/1's children"
                    ),
                    None => format!(
                        "added at boot by supervisor:start_child/2 at {at}, after init/1's \
                         children"
                    ),
                });
            }
            node.children.push(child);
        }
        // Children added at run time are not there when the boot calls run.
        self.inherited.truncate(depth);
        let call_of = |s: &StartChildSite| StartCall {
            caller: s.caller.clone(),
            loc: s.loc.clone(),
            spec: s.spec.clone(),
            through: s.through.clone(),
            uncalled: s.uncalled,
        };
        // Children added at run time, each drawn from its call's child
        // spec when that is a spec (ranch's `start_listener` adds a
        // listener supervisor with a tree of its own); a call whose spec
        // is not known stays a call of the supervisor.
        let mut drawn = BTreeSet::new();
        if !simple {
            for &i in &sites {
                let s = &self.sites[i];
                if !is_child_spec(&s.spec_value) {
                    continue;
                }
                let one = Val::list(vec![s.spec_value.clone()], Some(s.loc.clone()));
                for item in child_items(&one) {
                    // What is started at run time, its subtree included.
                    let limits = self.ev.limits;
                    self.ev.limits = limits.run_time_share();
                    let mut child = self.child(item, false, &[], ancestors);
                    self.ev.limits = limits;
                    child.dynamic = true;
                    child.start_calls = vec![call_of(s)];
                    node.children.push(child);
                }
                drawn.insert(i);
            }
        }
        ancestors.pop();
        let calls: Vec<StartCall> = sites
            .iter()
            .map(|&i| {
                self.used_sites.insert(i);
                call_of(&self.sites[i])
            })
            .collect();
        if simple {
            for c in node.children.iter_mut().filter(|c| c.dynamic) {
                c.start_calls = calls.clone();
            }
            if node.children.len() != 1 {
                notes.push(format!(
                    "simple_one_for_one supervisor with {} child specs (OTP requires exactly one)",
                    node.children.len()
                ));
            }
        } else {
            node.start_calls = sites
                .iter()
                .zip(calls)
                .filter(|(i, _)| !drawn.contains(*i))
                .map(|(_, c)| c)
                .collect();
        }
        (node, notes, unresolved)
    }

    /// The nodes of init/1's children, in order. Each child's subtree is
    /// built on rayon's threads ([`Workers::each`]): one
    /// application's tree (kernel's, on OTP) is otherwise the longest task
    /// of the run.
    /// The calls that make the boot's `start_child` call `e`, as sites
    /// know them: the sites on its call chain whose child spec the site
    /// knows (`start/2`'s `riak_core:register(riak_core, [{stat_mod, M}])`),
    /// not the API functions it goes through, which others call at run
    /// time with children of their own (`register_mod(App, Module, Type)`).
    /// Without one, the outermost site on the chain (a wrapper's call
    /// whose spec is known only at run time, MongooseIM's
    /// `mongoose_listener:start_listener/1` over `ejabberd_sup:start_child/2`):
    /// the `start_child` call itself is the wrapper's, which every other
    /// call of the wrapper goes through, and they would all be taken as
    /// made at boot. The `start_child` call itself when no site is on the
    /// chain.
    fn boot_calls(&self, e: &StartChildEffect) -> Vec<Loc> {
        let sites_on_chain = |known: bool| {
            e.chain.iter().filter(move |l| {
                self.sites
                    .iter()
                    .any(|s| &s.loc == *l && (!known || is_child_spec(&s.spec_value)))
            })
        };
        let known: Vec<Loc> = sites_on_chain(true).cloned().collect();
        if !known.is_empty() {
            return known;
        }
        match sites_on_chain(false).next() {
            Some(outermost) => vec![outermost.clone()],
            None => e.loc.iter().cloned().collect(),
        }
    }

    fn children(
        &mut self,
        items: Vec<ChildItem>,
        simple: bool,
        sites: &[usize],
        ancestors: &[(String, KeyFp)],
    ) -> Vec<TreeNode> {
        let workers = Workers {
            project: self.project,
            code: self.ev.code,
            limits: self.ev.limits,
            adds_children: self.ev.adds_children.clone(),
            sites: self.sites,
            app: self.ev.app.clone(),
            inherited: self.inherited.clone(),
        };
        let (nodes, used) = workers.each(&items, |builder, item| {
            builder.child(item.clone(), simple, sites, &mut ancestors.to_vec())
        });
        self.used_sites.extend(used.used);
        self.boot_sites.extend(used.at_boot);
        nodes
    }

    fn child(
        &mut self,
        item: ChildItem,
        simple: bool,
        sites: &[usize],
        ancestors: &mut Vec<(String, KeyFp)>,
    ) -> TreeNode {
        let loc = item.value.loc().cloned();
        let spec = match ChildSpec::from_value(&item.value) {
            Ok(s) => s,
            Err(reason) => {
                let mut n = TreeNode::empty("?".to_owned(), loc);
                // Known, but no spec: no tuple of six, no map.
                let known = matches!(
                    item.value.kind(),
                    Value::Tuple(_)
                        | Value::Atom(_)
                        | Value::Int(_)
                        | Value::Float(_)
                        | Value::Str(_)
                        | Value::Binary(_)
                        | Value::List(_)
                        | Value::Record { .. }
                        | Value::Fun(_)
                        | Value::Pid(_)
                );
                if known {
                    n.notes.push(format!("invalid child spec: {reason}"));
                    n.not_a_spec = Some(reason);
                } else {
                    n.unresolved.push(format!("child spec: {reason}"));
                }
                n.presence = item.presence;
                n.computed = item.computed;
                n.dynamic = simple;
                return n;
            }
        };
        let id = spec.id.get().cloned().unwrap_or_else(|| "?".to_owned());
        let mut n = TreeNode::empty(id, loc.clone());
        n.presence = item.presence;
        n.computed = item.computed;
        n.dynamic = simple;
        n.child_type = spec.child_type.get().copied();
        n.restart = spec.restart.get().copied();
        n.shutdown = spec.shutdown.get().copied();
        let mut notes = Vec::new();
        let mut unresolved = Vec::new();
        field_messages("id", &spec.id, &mut notes, &mut unresolved);
        field_messages("start", &spec.start, &mut notes, &mut unresolved);
        field_messages("restart", &spec.restart, &mut notes, &mut unresolved);
        field_messages("shutdown", &spec.shutdown, &mut notes, &mut unresolved);
        field_messages("type", &spec.child_type, &mut notes, &mut unresolved);
        if let Some(mfa) = spec.start.get() {
            n.module = Some(mfa.module.clone());
            n.start = Some(mfa.text());
            let mut args = mfa.arg_list();
            if simple {
                args = self.dynamic_args(&mfa.module, &mfa.function, args, sites, &mut notes);
            }
            let at = spec.start.loc.clone().or(loc);
            let started =
                start::resolve(self.ev, self.project, &mfa.module, &mfa.function, args, at);
            notes.extend(started.notes.iter().cloned());
            let typed_sup = n.child_type == Some(ChildType::Supervisor);
            match (&started.unresolved, &started.external) {
                // A worker started by a library (gen_server2, poolboy, ...):
                // every field of the node is known from the spec.
                (Some(_), Some(call)) if !typed_sup => notes.push(format!(
                    // OTP's own modules (pg, logger_olp) land here too: not
                    // every such call is a dependency to fetch.
                    "started by {call}, which is not in the project (OTP or a \
                     dependency; --include-deps reads fetched dependencies)"
                )),
                (Some(u), _) => unresolved.push(u.clone()),
                (None, _) => {}
            }
            if started.is_supervisor() {
                if let Some(p) = started.process.clone() {
                    if !typed_sup {
                        notes.push(format!(
                            "typed worker, but {} is a supervisor",
                            started.callback.as_deref().unwrap_or("?")
                        ));
                    }
                    let (sup, sn, su) = self.supervisor(&p, &started.effects, ancestors);
                    n.supervisor = Some(sup);
                    notes.extend(sn);
                    unresolved.extend(su);
                }
            } else if let Some(when) = &started.ignored {
                notes.push(if when == "always" {
                    "returns `ignore`: by design, no process is started".to_owned()
                } else {
                    format!("returns `ignore` {when}: no process is started then")
                });
            } else if typed_sup {
                notes.push(match &started.process {
                    Some(p) => format!(
                        "typed supervisor, but {} starts {} ({}): shown as a leaf",
                        // A note is read by people: parts not known as `…`,
                        // and a long call (a child spec in its arguments) cut.
                        n.start.as_deref().map_or_else(
                            || "the start function".to_owned(),
                            |s| crate::eval::words::cap(&crate::eval::words::call_text(s), 160)
                        ),
                        started.callback.as_deref().unwrap_or("a process"),
                        p.call
                    ),
                    None => "typed supervisor, but its start call was not found: shown as a leaf"
                        .to_owned(),
                });
            }
            n.started = started;
        }
        n.spec = Some(spec);
        n.notes.extend(notes);
        n.unresolved.extend(unresolved);
        n
    }

    /// A `simple_one_for_one` child is started with the template's
    /// arguments plus those of `start_child/2`: their number comes from the
    /// call sites, else from the only exported arity that fits.
    fn dynamic_args(
        &mut self,
        module: &str,
        function: &str,
        args: Option<Vec<Val>>,
        sites: &[usize],
        notes: &mut Vec<String>,
    ) -> Option<Vec<Val>> {
        let mut args = args?;
        let extra = sites.iter().find_map(|&i| {
            let s = &self.sites[i];
            s.extra_args().map(|n| (n, s.loc.clone()))
        });
        let (count, why) = match extra {
            Some((n, at)) => (n, format!("argument of supervisor:start_child/2 at {at}")),
            None => {
                let src = self.project.sources.module(module)?;
                let fits: BTreeSet<u32> = src
                    .index
                    .functions_named(function)
                    .filter(|f| f.arity as usize >= args.len())
                    .filter(|f| src.index.is_exported(f.name(), f.arity))
                    .map(|f| f.arity)
                    .collect();
                if fits.len() != 1 {
                    notes.push(format!(
                        "the number of start_child/2 arguments is not known: {module}:{function} \
                         not followed"
                    ));
                    return None;
                }
                let arity = fits.into_iter().next()? as usize;
                (
                    arity - args.len(),
                    "argument given to supervisor:start_child/2".to_owned(),
                )
            }
        };
        for _ in 0..count {
            args.push(Val::unknown(why.clone(), None));
        }
        Some(args)
    }
}

fn field_messages<T: std::fmt::Debug>(
    name: &str,
    f: &Field<T>,
    notes: &mut Vec<String>,
    unresolved: &mut Vec<String>,
) {
    match &f.value {
        FieldValue::Unresolved(r) => unresolved.push(format!("{name}: {r}")),
        FieldValue::Invalid => notes.push(format!(
            "invalid {name} `{}`",
            f.raw.as_deref().unwrap_or("?")
        )),
        _ => {}
    }
    if let Some(c) = &f.condition {
        notes.push(format!("{name} as in the default build, where {c}"));
    }
}

/// What `init/1` returned, decoded.
struct Decoded {
    flags: Option<SupFlags>,
    branch_flags: Vec<(Cond, SupFlags)>,
    children: Vec<ChildItem>,
    ignore: Option<String>,
    problems: Vec<String>,
}

fn decode_init(result: &Val) -> Decoded {
    let mut out = Decoded {
        flags: None,
        branch_flags: Vec::new(),
        children: Vec::new(),
        ignore: None,
        problems: Vec::new(),
    };
    let mut entries: Vec<(Vec<Cond>, Val, Val)> = Vec::new();
    let mut ignores: Vec<Vec<Cond>> = Vec::new();
    for (path, v) in alternatives(result, 64) {
        if is_raise(&v) {
            continue;
        }
        match v.kind() {
            Value::Atom(a) if a == "ignore" => ignores.push(path),
            Value::Tuple(es) if es.len() == 2 && es[0].as_atom() == Some("ok") => {
                for (p2, inner) in alternatives(&es[1], 64) {
                    let mut full = path.clone();
                    full.extend(p2);
                    match inner.as_tuple() {
                        Some([f, c]) => entries.push((full, f.clone(), c.clone())),
                        _ => out.problems.push(format!(
                            "init/1 returns {{ok, {}}}, not {{ok, {{SupFlags, ChildSpecs}}}}",
                            crate::eval::words::value(&inner)
                        )),
                    }
                }
            }
            Value::Unknown(u) => out
                .problems
                .push(format!("init/1 result: {}", u.describe())),
            _ => out.problems.push(format!(
                "init/1 returns {}, not {{ok, {{SupFlags, ChildSpecs}}}}",
                crate::eval::words::value(&v)
            )),
        }
    }
    if !ignores.is_empty() {
        out.ignore = Some(if entries.is_empty() {
            "always".to_owned()
        } else {
            let conds: Vec<_> = ignores.iter().map(|p| conj(p)).collect();
            conds
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        });
    }
    // The flags: the same on every branch, or the default build's.
    let chosen = match entries.as_slice() {
        [] => None,
        [only] => Some(only),
        many => {
            let first = many[0].1.key_fp();
            if many.iter().all(|(_, f, _)| f.key_fp() == first) || same_flags(many) {
                Some(&many[0])
            } else {
                let d = many.iter().find(|(p, _, _)| conj(p).default == Some(true));
                out.problems.push(format!(
                    "sup flags differ between branches of init/1; showing {}",
                    if d.is_some() {
                        "the default build's"
                    } else {
                        "the first branch's"
                    }
                ));
                d.or(many.first())
            }
        }
    };
    if entries.len() > 1 {
        for (p, f, _) in &entries {
            let f = f.default_view().unwrap_or_else(|| f.clone());
            if let Ok(flags) = SupFlags::from_value(&f) {
                out.branch_flags.push((conj(p), flags));
            }
        }
    }
    if let Some((_, f, _)) = chosen {
        let f = match f.kind() {
            Value::Alt(_) => f.default_view().unwrap_or_else(|| f.clone()),
            _ => f.clone(),
        };
        match SupFlags::from_value(&f) {
            Ok(flags) => out.flags = Some(flags),
            Err(e) => out.problems.push(format!("sup flags: {e}")),
        }
    }
    out.children = match entries.len() {
        0 => Vec::new(),
        1 => child_items(&entries[0].2),
        _ => merge_branches(
            entries
                .iter()
                .map(|(p, _, c)| (conj(p), child_items(c)))
                .collect(),
        ),
    };
    out
}

/// Whether every branch's flags mean the same once OTP's defaults fill in
/// what a map leaves out: `#{}` and `#{strategy => one_for_one,
/// intensity => 1, period => 5}` are one strategy, intensity and period.
fn same_flags(entries: &[(Vec<Cond>, Val, Val)]) -> bool {
    let key = |f: &Val| {
        let f = f.default_view().unwrap_or_else(|| f.clone());
        let flags = SupFlags::from_value(&f).ok()?;
        Some((
            *flags.strategy.get()?,
            *flags.intensity.get()?,
            *flags.period.get()?,
            flags.auto_shutdown.get()?.clone(),
        ))
    };
    let first = entries.first().and_then(|(_, f, _)| key(f));
    first.is_some() && entries.iter().all(|(_, f, _)| key(f) == first)
}
