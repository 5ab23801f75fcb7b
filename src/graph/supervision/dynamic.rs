//! Dynamic children: every `supervisor:start_child/2` call site of the
//! project, with the supervisor it targets when that is statically known.
//! Files are prefiltered by their bytes and functions by their text, so
//! only functions that mention `start_child` are parsed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use memchr::memmem;
use serde::Serialize;

use crate::eval::value::{Env, Loc, Val, Value};
use crate::eval::{Evaluator, ModCtx};
use crate::syntax::{walk_function, Expr, ExprKind, Walk};

/// A function: `(module, function, arity)`.
use crate::eval::Mfa;

/// What a `start_child` call targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub(crate) enum Target {
    /// A locally registered name (or a module name).
    Local(String),
    /// `{global, Name}`, the name printed.
    Global(String),
    /// `{via, Module, Name}`, printed.
    Via(String),
    /// Not statically known; why.
    Unknown(String),
}

/// One `supervisor:start_child/2` call.
#[derive(Debug, Clone)]
pub(crate) struct StartChildSite {
    /// The function calling it: `courier:deliver/2`.
    pub(crate) caller: String,
    /// The same as module, function and arity.
    pub(crate) caller_key: Mfa,
    pub(crate) loc: Loc,
    pub(crate) target: Target,
    /// The second argument as written; for a call through a wrapper, the
    /// call to the wrapper as written.
    pub(crate) spec: String,
    /// The second argument's value when evaluated alone (a list of extra
    /// arguments for a `simple_one_for_one` supervisor, a child spec for
    /// the others).
    pub(crate) spec_value: Val,
    /// Set when the spec was read at a call of a function that makes the
    /// `start_child` call with what it is given: that function's call.
    pub(crate) through: Option<Through>,
    /// Whether the spec depends on an argument of the calling function, so
    /// that the calls of that function say more (see [`Wrappers`]).
    spec_from_args: bool,
    /// How many wrappers' calls were followed to read it: 0 for a
    /// `supervisor:start_child/2` call itself.
    depth: u8,
    /// Set on the site of a function that makes the call with what it is
    /// given when no call of that function was found in the project: only
    /// code outside it adds children this way (a library's API).
    pub(crate) uncalled: bool,
}

/// The `supervisor:start_child/2` call a function of the project makes
/// for its caller (`start_child(Spec) -> supervisor:start_child(?MODULE,
/// Spec)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Through {
    /// The function: `esockd_sup:start_child/1`.
    pub function: String,
    /// Its `supervisor:start_child/2` call.
    pub(crate) loc: Loc,
    /// The call that names the supervisor: the `start_child` call itself,
    /// or the call of a wrapper that is given it (`add(Sup, Spec) ->
    /// supervisor:start_child(Sup, Spec)` called as `add(my_sup, ...)`).
    pub(crate) named_by: String,
    pub(crate) named_at: Loc,
}

impl StartChildSite {
    /// Whether the call is one of `locs`, itself or through its wrapper.
    pub(crate) fn made_at(&self, locs: &std::collections::BTreeSet<Loc>) -> bool {
        made_at(&self.loc, self.through.as_ref(), locs)
    }

    /// The number of extra start arguments, when the second argument is a
    /// list of known length.
    pub(crate) fn extra_args(&self) -> Option<usize> {
        match self.spec_value.kind() {
            Value::List(_) | Value::Str(_) => self.spec_value.as_proper_list().map(|l| l.len()),
            _ => None,
        }
    }
}

/// Whether a call at `loc`, made through `through` if set, is one of
/// `locs`: the call itself, or the wrapper's `start_child` call.
pub(crate) fn made_at(
    loc: &Loc,
    through: Option<&Through>,
    locs: &std::collections::BTreeSet<Loc>,
) -> bool {
    locs.contains(loc) || through.is_some_and(|t| locs.contains(&t.loc))
}

/// Whether module `m` is a test suite or helper outside the apps' sources:
/// it starts children in a test run, not at boot, so its calls are not
/// the tree's.
fn test_code(m: &crate::model::ModuleSource) -> bool {
    m.app.is_none() && crate::model::is_test_path(&m.file)
}

/// `module:function/arity` of a function of `m`, as written in Erlang.
fn function_name(m: &crate::model::ModuleSource, function: &crate::syntax::Function) -> String {
    format!(
        "{}:{}/{}",
        crate::syntax::print::atom_text(&m.name),
        crate::syntax::print::atom_text(&function.name),
        function.arity
    )
}

/// Finds every `supervisor:start_child/2` call site, those made through a
/// wrapper read at the wrapper's calls (see [`Wrappers`]), and the
/// functions that add children: those that make the calls, the wrappers
/// included.
pub(crate) fn start_child_sites(
    ev: &mut Evaluator<'_, '_>,
    project: &crate::model::Project,
) -> (Vec<StartChildSite>, HashSet<Mfa>) {
    let mut sites = Vec::new();
    for m in &project.sources.modules {
        sites.extend(module_sites(ev, m));
    }
    through_wrappers(project, sites, |wrappers, adding, sites| {
        ev.adds_children = adding;
        let mut through = Vec::new();
        for m in &project.sources.modules {
            through.extend(wrappers.module_calls(ev, project, m, sites));
        }
        through
    })
}

/// `sites` with the calls of wrappers read level by level (see
/// [`Wrappers`]), and the functions that add children: those that make
/// the calls, the wrappers included. `calls` reads one level's calls over
/// the project's modules, with the functions known to add children so far.
pub(crate) fn through_wrappers(
    project: &crate::model::Project,
    mut sites: Vec<StartChildSite>,
    mut calls: impl FnMut(
        &Wrappers,
        Arc<HashSet<Mfa>>,
        &[StartChildSite],
    ) -> Vec<(usize, Option<StartChildSite>)>,
) -> (Vec<StartChildSite>, HashSet<Mfa>) {
    let mut adding: HashSet<Mfa> = sites.iter().map(|s| s.caller_key.clone()).collect();
    for depth in 0..WRAPPER_DEPTH {
        let Some(wrappers) = Wrappers::of(project, &sites, depth) else {
            break;
        };
        let through = calls(&wrappers, Arc::new(adding.clone()), &sites);
        let called: HashSet<usize> = through.iter().map(|(w, _)| *w).collect();
        // Said uncalled for now; whether another text names the function
        // is read once for every level's, below.
        for i in wrappers.sites() {
            if !called.contains(&i) && supervisor_api(project, &sites[i].caller_key) {
                sites[i].uncalled = true;
            }
        }
        sites = splice(sites, through);
        adding.extend(sites.iter().map(|s| s.caller_key.clone()));
    }
    let mut uncalled: Vec<&Mfa> = sites
        .iter()
        .filter(|s| s.uncalled)
        .map(|s| &s.caller_key)
        .collect();
    uncalled.sort();
    uncalled.dedup();
    if !uncalled.is_empty() {
        let named: Vec<Mfa> = named_elsewhere(project, &uncalled)
            .into_iter()
            .zip(&uncalled)
            .filter(|(named, _)| *named)
            .map(|(_, f)| (*f).clone())
            .collect();
        for s in &mut sites {
            if s.uncalled && named.contains(&s.caller_key) {
                s.uncalled = false;
            }
        }
    }
    (sites, adding)
}

/// Whether `f` is a function of a supervisor's own module other than its
/// callback: an API (`start_worker(Args)`), which runs only when someone
/// calls it. A callback of another behaviour that passes on what it is
/// sent (`handle_cast/2`) is called by OTP, not by the project, and a
/// function of another module may be run by name from outside what the
/// search reads (a maintenance command run from a shell): neither is said
/// to be uncalled.
fn supervisor_api(project: &crate::model::Project, f: &Mfa) -> bool {
    f.function != "init"
        && project
            .module_behaviours(&f.module)
            .iter()
            .any(|b| b.name == "supervisor")
}

/// Whether another module's text names both `f`'s module and its
/// function, for each of `fs`: a reference the call search does not
/// follow may be there (a boot step's `{mfa, {rabbit_sup,
/// start_supervisor_child, [..]}}`, an `apply/3`), so `f` is not said to
/// be uncalled. Read only for the few wrappers no call was found of.
fn named_elsewhere(project: &crate::model::Project, fs: &[&Mfa]) -> Vec<bool> {
    let finders: Vec<(memmem::Finder<'_>, memmem::Finder<'_>)> = fs
        .iter()
        .map(|f| {
            (
                memmem::Finder::new(f.module.as_bytes()),
                memmem::Finder::new(f.function.as_bytes()),
            )
        })
        .collect();
    // The name whole, not inside a longer one (`add` in `add_cart`).
    let names = |finder: &memmem::Finder<'_>, text: &[u8]| {
        let part =
            |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b"_@".contains(b));
        finder.find_iter(text).any(|at| {
            !part(at.checked_sub(1).and_then(|i| text.get(i)))
                && !part(text.get(at + finder.needle().len()))
        })
    };
    // The texts that name none of the modules are told by one search for
    // all of them (OTP's lib has four such wrappers, 40 MB of text): a
    // literal alternation, which the regex crate searches for at once.
    let mut modules: Vec<&str> = fs.iter().map(|f| f.module.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    let alternation = modules
        .iter()
        .map(|m| regex::escape(m))
        .collect::<Vec<_>>()
        .join("|");
    let any_module = regex::bytes::Regex::new(&alternation).ok();
    // Every text of the project, on rayon's threads.
    use rayon::prelude::*;
    project
        .sources
        .modules
        .par_iter()
        .with_max_len(crate::syntax::FILES_PER_JOB)
        .fold(
            || vec![false; fs.len()],
            |mut named, m| {
                let text = m.index.file.text.as_bytes();
                if any_module.as_ref().is_some_and(|re| !re.is_match(text)) {
                    return named;
                }
                for (i, (f, (module, function))) in fs.iter().zip(&finders).enumerate() {
                    named[i] = named[i]
                        || (m.name != f.module && names(module, text) && names(function, text));
                }
                named
            },
        )
        .reduce(
            || vec![false; fs.len()],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a |= b);
                a
            },
        )
}

/// How many wrappers deep calls are followed: `start_child(M) ->
/// start_child(M, [])` over `start_child(M, A) -> supervisor:start_child(
/// ?MODULE, {M, {M, start_link, A}, ...})` is two.
const WRAPPER_DEPTH: u8 = 3;

/// The runs of consecutive functions of `functions` that pass `may`, each
/// searched at once (a search per function costs more in setting up than
/// in reading); a function whose span is not in `text` is left out.
fn runs(
    functions: &[crate::syntax::items::FunctionEntry],
    text: &str,
    may: impl Fn(&crate::syntax::items::FunctionEntry) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, entry) in functions.iter().enumerate() {
        if !may(entry) || text.get(entry.range()).is_none() {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.end == i && functions[i - 1].span().end <= entry.span().start => {
                run.end = i + 1
            }
            _ => runs.push(i..i + 1),
        }
    }
    runs
}

/// Calls `found` with the index of each function of `runs` whose text
/// holds `finder`'s needle, once per occurrence, in order, until it
/// returns false.
fn holding(
    functions: &[crate::syntax::items::FunctionEntry],
    runs: &[std::ops::Range<usize>],
    text: &[u8],
    finder: &memmem::Finder<'_>,
    mut found: impl FnMut(usize) -> bool,
) {
    let len = finder.needle().len();
    for run in runs {
        let entries = &functions[run.clone()];
        let from = entries[0].span().start as usize;
        let region = &text[from..entries[entries.len() - 1].span().end as usize];
        for at in finder.find_iter(region) {
            let at = from + at;
            // The function the needle starts in, if it ends there too (not
            // in the text between two forms).
            let k = entries.partition_point(|e| e.span().start as usize <= at) - 1;
            if at + len <= entries[k].span().end as usize && !found(run.start + k) {
                return;
            }
        }
    }
}

/// The `supervisor:start_child/2` call sites of one module.
pub(crate) fn module_sites(
    ev: &mut Evaluator<'_, '_>,
    m: &crate::model::ModuleSource,
) -> Vec<StartChildSite> {
    let finder = memchr::memmem::Finder::new(b"start_child");
    let mut out = Vec::new();
    if test_code(m) {
        return out;
    }
    let text = &m.index.file.text;
    // Only a function that names `supervisor` (or a clone) in module
    // position, or uses a macro, can make the call, as the index tells
    // without its text (see `Wrappers::module_calls`): only those are
    // searched for `start_child`.
    let mask = m
        .index
        .remote_mask(|r| ev.is_start_child(r, "start_child", 2));
    let functions = &m.index.functions;
    let runs = runs(functions, text, |entry| entry.calls().may_call(mask));
    let mut read = Vec::new();
    holding(functions, &runs, text.as_bytes(), &finder, |i| {
        if read.last() != Some(&i) {
            read.push(i);
        }
        true
    });
    if read.is_empty() {
        return out;
    }
    let Some(ctx) = ev.code.module(&m.name) else {
        return out;
    };
    for entry in read.into_iter().map(|i| &functions[i]) {
        let function = m.macros.expand_shared(&entry.function());
        let caller = function_name(m, &function);
        let mut calls: Vec<(Expr, Expr, crate::syntax::Span)> = Vec::new();
        walk_function(&function, &mut |e, _| {
            if let ExprKind::Call {
                module: Some(module),
                function,
                args,
            } = &e.kind
            {
                // Also a clone's (`supervisor3:start_child/2`).
                if let (Some(m), Some(f)) = (module.as_atom(), function.as_atom()) {
                    if ev.is_start_child(m, f, args.len()) {
                        calls.push((args[0].clone(), args[1].clone(), e.span));
                    }
                }
            }
            Walk::Continue
        });
        for (sup, spec, span) in calls {
            // A site runs at run time: the run-time share of the budget,
            // as for wrappers' calls. Over OTP's lib and 34 repositories,
            // every site whose target and spec finish does so in under
            // 1 400 steps; the few that do not (a name formatted from an
            // address not known) spent the whole default budget to end
            // unknown anyway: 3% of `tree`'s instructions on OTP's lib,
            // 12% on kazoo.
            let (target, (spec_value, spec_from_args)) = ev.begin_run_time(|ev| {
                (
                    target_of(ev, &ctx, &function, &sup),
                    value_alone(ev, &ctx, &function, &spec),
                )
            });
            let Some(loc) = ctx.loc(span) else { continue };
            out.push(StartChildSite {
                caller: caller.clone(),
                caller_key: Mfa::new(m.name.clone(), function.name.clone(), function.arity),
                loc,
                target,
                spec: spec.to_string(),
                spec_value,
                through: None,
                spec_from_args,
                depth: 0,
                uncalled: false,
            });
        }
    }
    out
}

/// The value of an argument evaluated on its own: a variable is followed to
/// the last `Var = Expr` before it in the function, evaluated alone too.
/// Also whether a variable it needs is an argument of the function.
fn value_alone(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    e: &Expr,
) -> (Val, bool) {
    let mut env = Env::default();
    let mut seen = Vec::new();
    let mut from_args = false;
    bind_vars(ev, ctx, function, e, &mut env, &mut seen, &mut from_args);
    (ev.eval(ctx, e, &mut env), from_args)
}

fn bind_vars(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    e: &Expr,
    env: &mut Env,
    seen: &mut Vec<String>,
    from_args: &mut bool,
) {
    let mut vars = Vec::new();
    crate::syntax::walk_expr(e, Default::default(), &mut |x, _| {
        if let ExprKind::Var(v) = &x.kind {
            vars.push(v.clone());
        }
        Walk::Continue
    });
    for v in vars {
        if seen.contains(&v) || seen.len() > 16 {
            continue;
        }
        seen.push(v.clone());
        // The last `Pattern = Expr` before `e` whose pattern binds `v`.
        let mut found: Option<(Expr, Expr)> = None;
        walk_function(function, &mut |x, _| {
            if let ExprKind::Match {
                pattern,
                value: rhs,
            } = &x.kind
            {
                if x.span.start < e.span.start && binds(pattern, &v) {
                    found = Some(((**pattern).clone(), (**rhs).clone()));
                }
            }
            Walk::Continue
        });
        let Some((pattern, rhs)) = found else {
            let argument = function
                .clauses
                .iter()
                .any(|c| c.patterns.iter().any(|p| binds(p, &v)));
            *from_args |= argument;
            let why = if argument {
                format!(
                    "`{v}` is an argument of {}/{}",
                    function.name, function.arity
                )
            } else {
                format!("`{v}` is bound by a pattern that is not followed")
            };
            env.insert(v, Val::unknown(why, None));
            continue;
        };
        {
            bind_vars(ev, ctx, function, &rhs, env, seen, from_args);
            let mut inner = env.clone();
            let val = ev.eval(ctx, &rhs, &mut inner);
            let mut bound = Env::default();
            ev.match_pattern(ctx, &pattern, &val, &mut bound);
            if let Some(x) = bound.remove(&v) {
                env.insert(v, x);
            }
        }
    }
}

fn binds(pattern: &Expr, var: &str) -> bool {
    let mut found = false;
    crate::syntax::walk_expr(pattern, Default::default(), &mut |x, _| {
        if matches!(&x.kind, ExprKind::Var(p) if p == var) {
            found = true;
        }
        Walk::Continue
    });
    found
}

fn target_of(
    ev: &mut Evaluator<'_, '_>,
    ctx: &ModCtx,
    function: &crate::syntax::Function,
    sup: &Expr,
) -> Target {
    let (v, _) = value_alone(ev, ctx, function, sup);
    target_from(&v, &sup.to_string())
}

/// What a supervisor argument whose value is `v` targets; `sup` is the
/// argument as written, for the reasons.
fn target_from(v: &Val, sup: &str) -> Target {
    match v.kind() {
        Value::Atom(a) => Target::Local(a.clone()),
        // The pid a start call returned: its registered name, or its module.
        Value::Pid(p) => match p.name.as_ref().and_then(Val::as_tuple) {
            Some([scope, n]) if scope.as_atom() == Some("local") => {
                Target::Local(n.as_atom().unwrap_or_default().to_owned())
            }
            Some([scope, n]) if scope.as_atom() == Some("global") => Target::Global(n.to_erlang()),
            Some([scope, _, _]) if scope.as_atom() == Some("via") => {
                Target::Via(p.name.as_ref().map(Val::to_erlang).unwrap_or_default())
            }
            _ => match p.callback.as_atom() {
                Some(m) => Target::Local(m.to_owned()),
                None => Target::Unknown(format!("supervisor `{sup}`: a pid of an unknown module")),
            },
        },
        // A global or via name with parts not known names no supervisor
        // that can be told: `{via,gproc,{n,l,{sup,?}}}` would otherwise
        // match any other such name by its `?`.
        Value::Tuple(es)
            if matches!(es.first().and_then(Val::as_atom), Some("global" | "via"))
                && !v.is_concrete() =>
        {
            Target::Unknown(format!(
                "supervisor `{sup}` is {}",
                crate::eval::words::value(v)
            ))
        }
        Value::Tuple(es) => match es.first().and_then(Val::as_atom) {
            Some("global") if es.len() == 2 => Target::Global(es[1].to_erlang()),
            Some("via") if es.len() == 3 => Target::Via(v.to_erlang()),
            // {Name, Node}: a supervisor on another node.
            _ if es.len() == 2 && es[0].as_atom().is_some() => {
                Target::Local(es[0].as_atom().unwrap_or_default().to_owned())
            }
            _ => Target::Unknown(format!(
                "supervisor reference {}",
                crate::eval::words::value(v)
            )),
        },
        Value::Unknown(u) => Target::Unknown(format!("supervisor `{sup}`: {}", u.describe())),
        _ => Target::Unknown(format!(
            "supervisor `{sup}` is {}",
            crate::eval::words::value(v)
        )),
    }
}

/// The functions whose `start_child` spec comes from their arguments:
/// `start_child(Spec) -> supervisor:start_child(?MODULE, Spec)` says
/// nothing of the child, its callers do. Each call of such a function in
/// the project is evaluated where it is made, into the wrapper, and the
/// spec the wrapper passes on becomes a site of its own, at the call, with
/// the wrapper as [`Through`]. A call read so whose spec still depends on
/// its caller's arguments makes that caller a wrapper in turn, up to
/// [`WRAPPER_DEPTH`] levels.
pub(crate) struct Wrappers {
    /// `(module, function, arity)` -> the sites it makes.
    by_key: HashMap<Mfa, Vec<usize>>,
    /// Each wrapper module's name, to skip the files that do not name it
    /// (a call from another module names the module; the functions' names,
    /// most of them `start_`-something, are everywhere), with its wrappers,
    /// by name. One memmem per name (an Aho-Corasick automaton over all of
    /// them was 60x slower on OTP's sources, its prefilter swamped by
    /// names that start like everything else), over the functions that
    /// may call one; a module's name only in the files where one of its
    /// wrappers' names is in such a function.
    modules: Vec<WrapperModule>,
}

/// A module with wrappers.
struct WrapperModule {
    name: memmem::Finder<'static>,
    /// Its application: only its own modules, and those of the
    /// applications that depend on it, can call it.
    app: Option<String>,
    /// Its wrappers' names, each once, searched for in the functions
    /// that may call one.
    functions: Vec<memmem::Finder<'static>>,
}

impl Wrappers {
    /// The wrappers among the `sites` read at `depth`, if any.
    pub(crate) fn of(
        project: &crate::model::Project,
        sites: &[StartChildSite],
        depth: u8,
    ) -> Option<Wrappers> {
        let mut by_key: HashMap<Mfa, Vec<usize>> = HashMap::new();
        for (i, s) in sites.iter().enumerate().filter(|(_, s)| s.depth == depth) {
            // A list of known length is the extra arguments of a
            // simple_one_for_one instance: the callers say no more.
            let args_known = s.extra_args().is_some();
            if s.spec_from_args && !is_child_spec(&s.spec_value) && !args_known {
                by_key.entry(s.caller_key.clone()).or_default().push(i);
            }
        }
        if by_key.is_empty() {
            return None;
        }
        let mut keys: Vec<&Mfa> = by_key.keys().collect();
        keys.sort();
        let mut modules: Vec<&str> = keys.iter().map(|k| k.module.as_str()).collect();
        modules.dedup();
        let modules = modules
            .iter()
            .map(|n| {
                let mut functions: Vec<&str> = keys
                    .iter()
                    .filter(|k| k.module == *n)
                    .map(|k| k.function.as_str())
                    .collect();
                functions.dedup();
                WrapperModule {
                    name: memmem::Finder::new(n.as_bytes()).into_owned(),
                    app: project.sources.module(n).and_then(|m| m.app.clone()),
                    functions: functions
                        .iter()
                        .map(|f| memmem::Finder::new(f.as_bytes()).into_owned())
                        .collect(),
                }
            })
            .collect();
        Some(Wrappers { by_key, modules })
    }

    /// The indexes of the wrappers' own sites.
    fn sites(&self) -> impl Iterator<Item = usize> + '_ {
        self.by_key.values().flatten().copied()
    }

    /// The sites made through a wrapper by the calls in module `m`: each
    /// with the index in `sites` of the wrapper's own site. `None` for a
    /// call that says no more than the wrapper does (its supervisor is
    /// still not known, or the evaluation did not reach the wrapper's
    /// call): the wrapper's site is kept for it.
    pub(crate) fn module_calls(
        &self,
        ev: &mut Evaluator<'_, '_>,
        project: &crate::model::Project,
        m: &crate::model::ModuleSource,
        sites: &[StartChildSite],
    ) -> Vec<(usize, Option<StartChildSite>)> {
        let mut out = Vec::new();
        if test_code(m) {
            return out;
        }
        let text = &m.index.file.text;
        let bytes = text.as_bytes();
        // The wrapper modules whose wrappers' names make a function of the
        // file read: its own module when it is one (a local call need not
        // name it), and the others that the file names, in an
        // application it may call.
        let mine = m.app.as_deref().and_then(|a| project.app(a));
        let uses = |app: &Option<String>| {
            *app == m.app
                || app.as_deref().is_some_and(|a| {
                    mine.is_some_and(|mine| mine.application_names().any(|n| n == a))
                })
        };
        let own = |w: &WrapperModule| w.name.needle() == m.name.as_bytes();
        let named: Vec<&WrapperModule> = self
            .modules
            .iter()
            .filter(|w| own(w) || uses(&w.app))
            .collect();
        if named.is_empty() {
            return out;
        }
        // A function is read when its text holds the name of a wrapper of
        // one of those modules that the file's text names; it finds calls
        // of any wrapper. Only a function that may call a wrapper can find
        // one: one of a wrapper module (a local call), one that names a
        // wrapper module in module position, or one using a macro (which
        // may expand to either), as the index tells without the function's
        // text (all but a module in parentheses, `(m):f()`, which no code
        // of OTP's lib or the test repositories has). The others, most of
        // the project, are not searched, and a module's name is looked for
        // in the file only when a wrapper's name is in such a function.
        let is_wrapper_module = |n: &[u8]| {
            self.modules
                .binary_search_by(|w| w.name.needle().cmp(n))
                .is_ok()
        };
        let any_own = is_wrapper_module(m.name.as_bytes());
        let mask = m.index.remote_mask(|r| is_wrapper_module(r.as_bytes()));
        let functions = &m.index.functions;
        let runs = runs(functions, text, |entry| {
            any_own || entry.calls().may_call(mask)
        });
        if runs.is_empty() {
            return out;
        }
        let mut read = vec![false; functions.len()];
        for w in named {
            // Whether the file names the module: looked for once, at the
            // first function that holds one of its wrappers' names.
            let mut names_module: Option<bool> = own(w).then_some(true);
            for finder in &w.functions {
                holding(functions, &runs, bytes, finder, |i| {
                    if !read[i] {
                        if !*names_module.get_or_insert_with(|| w.name.find(bytes).is_some()) {
                            return false;
                        }
                        read[i] = true;
                    }
                    true
                });
                if names_module == Some(false) {
                    break;
                }
            }
        }
        if !read.contains(&true) {
            return out;
        }
        let Some(ctx) = ev.code.module(&m.name) else {
            return out;
        };
        for (entry, _) in functions.iter().zip(&read).filter(|(_, r)| **r) {
            let function = m.macros.expand_shared(&entry.function());
            let caller_key = Mfa::new(m.name.clone(), function.name.clone(), function.arity);
            let mut calls: Vec<(Expr, Mfa)> = Vec::new();
            walk_function(&function, &mut |e, _| {
                if let ExprKind::Call {
                    module,
                    function: f,
                    args,
                } = &e.kind
                {
                    let callee = match module {
                        Some(x) => x.as_atom(),
                        None => Some(m.name.as_str()),
                    };
                    if let (Some(callee), Some(f)) = (callee, f.as_atom()) {
                        let key = Mfa::new(callee, f, args.len() as u32);
                        if key != caller_key && self.by_key.contains_key(&key) {
                            calls.push((e.clone(), key));
                        }
                    }
                }
                Walk::Continue
            });
            let caller = function_name(m, &function);
            for (call, key) in calls {
                let Some(loc) = ctx.loc(call.span) else {
                    continue;
                };
                // The call's arguments are often built from options the
                // caller parses at length; the spec is usually a step or
                // two into the wrapper. The run-time share of the budget
                // keeps the cost of this pass small.
                let (_, from_args) =
                    ev.begin_run_time(|ev| value_alone(ev, &ctx, &function, &call));
                let effects = std::mem::take(&mut ev.start_child_effects);
                for &w in &self.by_key[&key] {
                    let wrapper = &sites[w];
                    // The `supervisor:start_child/2` call itself, however
                    // many wrappers deep.
                    let through = wrapper.through.clone().unwrap_or_else(|| Through {
                        function: wrapper.caller.clone(),
                        loc: wrapper.loc.clone(),
                        named_by: wrapper.caller.clone(),
                        named_at: wrapper.loc.clone(),
                    });
                    let mut unknown_spec_seen = false;
                    let mut reached = false;
                    for e in effects
                        .iter()
                        .filter(|e| e.loc.as_ref() == Some(&through.loc))
                    {
                        reached = true;
                        let (target, named) = match &wrapper.target {
                            Target::Unknown(_) => (
                                target_from(&e.target, &call.to_string()),
                                Some((caller.clone(), loc.clone())),
                            ),
                            known => (known.clone(), None),
                        };
                        if matches!(target, Target::Unknown(_)) {
                            out.push((w, None));
                            continue;
                        }
                        // A loop in the wrapper makes one call per element:
                        // specs not known are one call to the reader.
                        if !is_child_spec(&e.spec) {
                            if unknown_spec_seen {
                                continue;
                            }
                            unknown_spec_seen = true;
                        }
                        out.push((
                            w,
                            Some(StartChildSite {
                                caller: caller.clone(),
                                caller_key: caller_key.clone(),
                                loc: loc.clone(),
                                target,
                                spec: call.to_string(),
                                spec_value: e.spec.clone(),
                                through: Some(match named {
                                    Some((named_by, named_at)) => Through {
                                        named_by,
                                        named_at,
                                        ..through.clone()
                                    },
                                    None => through.clone(),
                                }),
                                spec_from_args: from_args,
                                depth: wrapper.depth + 1,
                                uncalled: false,
                            }),
                        ));
                    }
                    // Not followed as far as the wrapper's call (a bound was
                    // hit, or a branch not taken): the wrapper stays.
                    if !reached {
                        out.push((w, None));
                    }
                }
            }
        }
        out
    }
}

/// `sites` with each wrapper's site replaced by the sites read at its
/// calls (`through`, in the order found), when there are any; kept too
/// when one of its calls said no more than it does.
fn splice(
    sites: Vec<StartChildSite>,
    through: Vec<(usize, Option<StartChildSite>)>,
) -> Vec<StartChildSite> {
    let mut by_wrapper: HashMap<usize, (bool, Vec<StartChildSite>)> = HashMap::new();
    for (w, s) in through {
        let (keep, read) = by_wrapper.entry(w).or_default();
        match s {
            Some(s) => read.push(s),
            None => *keep = true,
        }
    }
    let mut out = Vec::with_capacity(sites.len());
    for (i, s) in sites.into_iter().enumerate() {
        match by_wrapper.remove(&i) {
            Some((keep, read)) => {
                if keep || read.is_empty() {
                    out.push(s);
                }
                out.extend(read);
            }
            None => out.push(s),
        }
    }
    out
}

/// Whether a `start_child/2` argument is a child spec the tree can draw:
/// a map, or a six-tuple, with its `start` known to be an MFA.
pub(crate) fn is_child_spec(v: &Val) -> bool {
    let start = match v.kind() {
        Value::Map(kvs) => kvs
            .iter()
            .find(|(k, _)| k.as_atom() == Some("start"))
            .map(|(_, s)| s),
        Value::Tuple(es) if es.len() == 6 => es.get(1),
        _ => None,
    };
    start.is_some_and(|s| {
        matches!(s.as_tuple(), Some([m, f, _]) if m.as_atom().is_some() && f.as_atom().is_some())
    })
}
