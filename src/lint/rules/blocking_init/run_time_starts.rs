//! Processes no supervision tree starts: who starts them, and whether
//! that is at run time (`blocking-init`).
//!
//! A gen_server started with `conn:start_link(..)` from another process's
//! `handle_call/3` (a peer client a membership manager starts when a peer
//! joins) is no child of any tree, so the start order does not place it.
//! Its `init/1` runs while that caller waits, after the boot: it blocks
//! the caller, not the boot. The search goes up from every call in the
//! process's module that starts it (`gen_server:start_link(?MODULE, ..)`
//! and the like) through the functions that call it (in its application
//! and those that need it, which are the ones that can), until each path
//! ends in a callback that runs only once its process is up
//! (`handle_call/3`, `handle_info/2`, ...). A call made inside a `fun`,
//! or a `fun f/1` written in a function, counts as made by that function:
//! what it creates cannot run before it does. The process is started at
//! run time only when every path ends so; a path that reaches `init/1` of
//! a boot process, an application's `start/2`, an exported function no
//! one in the project calls (an API whose callers are not known), a
//! function named in an `{M, f, Args}` (a child spec: the supervisor's
//! own start decides, which the trees judge) or the search's budget
//! keeps it a boot process, as does a process whose start call is not
//! found at all.

use std::collections::{HashMap, HashSet, VecDeque};

use memchr::memmem;

use crate::graph::calls::Mfa;
use crate::lint::registry::Context;
use crate::model::ModuleSource;
use crate::syntax::{walk_function, Expr, ExprKind, Walk};

/// The functions the search reads at most for one process: past it, the
/// process is taken as a boot process. partisan's peer client, started
/// from 28 places of four managers, needs 27.
const BUDGET: usize = 400;

/// The behaviours whose processes the search looks for, and the start
/// functions of their modules.
const STARTERS: &[&str] = &[
    "gen_server",
    "gen_statem",
    "gen_fsm",
    "supervisor",
    "supervisor_bridge",
];

/// The callbacks of each behaviour that run only once the process is up,
/// with their arity.
const RUN_TIME_CALLBACKS: &[(&str, &[(&str, u32)])] = &[
    (
        "gen_server",
        &[
            ("handle_call", 3),
            ("handle_cast", 2),
            ("handle_info", 2),
            ("handle_continue", 2),
            ("terminate", 2),
            ("code_change", 3),
        ],
    ),
    (
        "gen_statem",
        &[("handle_event", 4), ("terminate", 3), ("code_change", 4)],
    ),
    (
        "gen_fsm",
        &[
            ("handle_event", 3),
            ("handle_sync_event", 4),
            ("handle_info", 3),
            ("terminate", 3),
            ("code_change", 4),
        ],
    ),
    (
        "gen_event",
        &[
            ("handle_event", 2),
            ("handle_call", 2),
            ("handle_info", 2),
            ("terminate", 2),
        ],
    ),
];

/// Where a path to the start call comes from: the call that starts the
/// process, as the finding names it (the first one outside the process's
/// own module).
#[derive(Debug, Clone)]
struct Origin {
    caller: Mfa,
    file: String,
    line: u32,
}

/// What a function on a path says of when the path runs.
enum Entry {
    /// A callback that runs once its process is up: the callback.
    RunTime(Mfa),
    /// `init/1` of another process: as early as that process starts.
    Init(String),
    /// An application's `start/2`: the boot.
    Boot,
    /// Anything else: its callers say.
    Other,
}

/// Who starts the processes the trees do not place, computed on demand
/// and remembered for the search.
pub(crate) struct RunTimeStarts<'c, 'a> {
    cx: &'c Context<'a>,
    /// By callback module: "started at run time by ..." or `None`.
    memo: HashMap<String, Option<String>>,
    /// The processes being searched: a cycle back to one is a boot path.
    searching: HashSet<String>,
    /// By module name: the linted modules whose text names it, its own
    /// first.
    naming: HashMap<String, Vec<&'c ModuleSource>>,
    /// The applications' texts, shared by the searches of a run.
    texts: &'c Texts<'c>,
    /// The applications whose texts this search has read (charged to its
    /// budget, whether or not another search read them first).
    read: HashSet<Option<&'c str>>,
    /// Bytes of source the current search may still read for callers.
    scan_left: usize,
}

/// The linted modules by application (`None`: outside any), and what
/// each application's texts name ([`references`]), read on first use by
/// whichever search needs them first: searches run on several threads.
pub(crate) struct Texts<'c> {
    linted: HashMap<Option<&'c str>, Vec<&'c ModuleSource>>,
    references: HashMap<Option<&'c str>, std::sync::OnceLock<Naming<'c>>>,
}

impl<'c> Texts<'c> {
    pub(crate) fn new(cx: &'c Context<'_>) -> Texts<'c> {
        let mut linted: HashMap<Option<&str>, Vec<&ModuleSource>> = HashMap::new();
        for m in cx.lint_modules() {
            linted.entry(m.app.as_deref()).or_default().push(m);
        }
        let references = linted
            .keys()
            .map(|a| (*a, std::sync::OnceLock::new()))
            .collect();
        Texts { linted, references }
    }

    /// The modules of `app`.
    fn modules(&self, app: Option<&'c str>) -> &[&'c ModuleSource] {
        self.linted.get(&app).map_or(&[][..], Vec::as_slice)
    }

    /// What the texts of `app` name, read once.
    fn naming(&self, app: Option<&'c str>) -> Option<&Naming<'c>> {
        let cell = self.references.get(&app)?;
        Some(cell.get_or_init(|| references(self.modules(app))))
    }
}

/// Bytes of source one search reads at most for callers (each
/// application's counted once per search, whichever search read it
/// first, so that a search's outcome does not depend on the others): a
/// process of a library every application uses (kernel's) would be
/// searched for in all of them. partisan's peer client needs 1 MB.
const SCAN_BUDGET: usize = 8 << 20;

impl<'c, 'a> RunTimeStarts<'c, 'a> {
    pub(crate) fn new(cx: &'c Context<'a>, texts: &'c Texts<'c>) -> RunTimeStarts<'c, 'a> {
        RunTimeStarts {
            cx,
            memo: HashMap::new(),
            searching: HashSet::new(),
            naming: HashMap::new(),
            texts,
            read: HashSet::new(),
            scan_left: 0,
        }
    }

    /// When every start of a process of `callback` is at run time: who
    /// starts it, in words ("started at run time by `f/1` at file:line,
    /// ..."). A process some tree starts is judged by the trees.
    pub(crate) fn of(&mut self, callback: &str) -> Option<String> {
        if let Some(known) = self.memo.get(callback) {
            return known.clone();
        }
        let boot = self.cx.boot_path();
        if boot.places(callback) {
            return boot.run_time_only(callback);
        }
        if self.searching.is_empty() {
            self.scan_left = SCAN_BUDGET;
        }
        if !self.searching.insert(callback.to_owned()) {
            return None;
        }
        let found = self.search(callback);
        self.searching.remove(callback);
        self.memo.insert(callback.to_owned(), found.clone());
        found
    }

    /// Up from the calls that start `callback`'s process.
    fn search(&mut self, callback: &str) -> Option<String> {
        let starts = self.direct_starts(callback);
        if starts.is_empty() {
            return None;
        }
        let mut seen: HashSet<Mfa> = HashSet::new();
        let mut queue: VecDeque<(Mfa, Origin)> = VecDeque::new();
        for (f, origin) in starts {
            if seen.insert(f.clone()) {
                queue.push_back((f, origin));
            }
        }
        let mut found: Option<String> = None;
        while let Some((f, origin)) = queue.pop_front() {
            if seen.len() > BUDGET {
                return None;
            }
            let by = format!(
                "started at run time by {} at {}:{}",
                origin.caller, origin.file, origin.line
            );
            match self.entry(&f, callback) {
                Entry::RunTime(cb) if cb == origin.caller => {
                    found.get_or_insert(by);
                    continue;
                }
                Entry::RunTime(cb) => {
                    found.get_or_insert_with(|| format!("{by}, which runs from {cb}"));
                    continue;
                }
                Entry::Init(module) => match self.of(&module) {
                    Some(how) => {
                        found.get_or_insert_with(|| {
                            format!("{by}, in init/1 of `{module}`, which is {how}")
                        });
                        continue;
                    }
                    None => return None,
                },
                Entry::Boot => return None,
                Entry::Other => {}
            }
            // Named in a child spec or an `apply/3`: a supervisor (whose
            // children the trees judge) or code not followed runs it.
            let callers = self.callers(&f)?;
            if callers.is_empty() && self.exported(&f) {
                // An API: whoever uses it may call it while booting.
                return None;
            }
            for (caller, file, line) in callers {
                let outside = origin.caller.module == callback && caller.module != callback;
                let next = if outside {
                    Origin {
                        caller: caller.clone(),
                        file,
                        line,
                    }
                } else {
                    origin.clone()
                };
                if seen.insert(caller.clone()) {
                    queue.push_back((caller, next));
                }
            }
        }
        found
    }

    /// What `f` says of when it runs.
    fn entry(&self, f: &Mfa, callback: &str) -> Entry {
        let Some(m) = self.cx.code.module(&f.module) else {
            return Entry::Other;
        };
        let declared = self.cx.project.behaviours(m, self.cx.build.defines());
        let name = |b: &str| declared.iter().any(|d| d.name == b);
        let run_time = RUN_TIME_CALLBACKS.iter().any(|(b, callbacks)| {
            name(b)
                && callbacks
                    .iter()
                    .any(|(n, a)| f.function == *n && f.arity == *a)
        });
        if run_time {
            return Entry::RunTime(f.clone());
        }
        if f.function == "init" && f.arity == 1 && STARTERS.iter().any(|b| name(b)) {
            // A process starting another of its own kind while it starts
            // is as early as its first instance: taken as the boot.
            return match f.module == callback {
                true => Entry::Boot,
                false => Entry::Init(f.module.clone()),
            };
        }
        if f.function == "start" && f.arity == 2 && name("application") {
            return Entry::Boot;
        }
        Entry::Other
    }

    fn exported(&self, f: &Mfa) -> bool {
        self.cx
            .code
            .module(&f.module)
            .is_some_and(|m| m.index.is_exported(&f.function, f.arity))
    }

    /// The calls that start a process of `callback`
    /// (`gen_server:start_link(?MODULE, ..)`, `supervisor:start_link({local,
    /// N}, ?MODULE, ..)`, or a behaviour alias's) in its own module, where
    /// an OTP process's start function is, with the function making each.
    /// A process started only from other modules' code (or through a
    /// library such as `wx_object`) is not searched: a boot process.
    fn direct_starts(&mut self, callback: &str) -> Vec<(Mfa, Origin)> {
        let cx = self.cx;
        let mut out = Vec::new();
        if let Some(m) = cx.code.module(callback) {
            // A start call is written `gen_server:start_link(..)`.
            for (mfa, function) in functions_naming(cx, m, ":start", None) {
                walk_function(&function.function, &mut |e, _| {
                    if starts(cx, e, callback) && cx.build.compiles(&function.file, e.span.line) {
                        let origin = Origin {
                            caller: mfa.clone(),
                            file: function.file.to_string(),
                            line: e.span.line,
                        };
                        out.push((mfa.clone(), origin));
                    }
                    Walk::Continue
                });
            }
        }
        out
    }

    /// The functions of the linted code that call `f` (or name it in a
    /// `fun f/N`), with where; `None` when some function names it as
    /// `{M, f, Args}` or `apply(M, f, Args)`, or when finding them would
    /// pass the search's [`SCAN_BUDGET`].
    fn callers(&mut self, f: &Mfa) -> Option<Vec<(Mfa, String, u32)>> {
        let cx = self.cx;
        let mut out = Vec::new();
        let mut named = false;
        // Too wide to search: taken as named elsewhere.
        for m in self.naming(&f.module)? {
            let local = m.name == f.module;
            // Another module's call names the module: `m:f(..)`.
            let also = (!local).then_some(f.module.as_str());
            for (caller, function) in functions_naming(cx, m, &f.function, also) {
                if caller == *f {
                    continue;
                }
                walk_function(&function.function, &mut |e, _| {
                    let how = refers(e, f, local);
                    if how != Refers::No && cx.build.compiles(&function.file, e.span.line) {
                        named |= how == Refers::Named;
                        out.push((caller.clone(), function.file.to_string(), e.span.line));
                    }
                    Walk::Continue
                });
            }
        }
        (!named).then_some(out)
    }

    /// The linted modules whose text names `module`, its own first: in
    /// its application and the applications that need it
    /// (`applications`, directly or through others: only they can call
    /// it, a missing dependency aside); for a module outside any
    /// application, in the others outside any. `None` when reading the
    /// applications not read yet would pass the search's
    /// [`SCAN_BUDGET`].
    fn naming(&mut self, module: &str) -> Option<Vec<&'c ModuleSource>> {
        if let Some(known) = self.naming.get(module) {
            return Some(known.clone());
        }
        let cx = self.cx;
        let own = cx.code.module(module);
        let app = own.and_then(|m| m.app.as_deref());
        let mut apps: Vec<Option<&str>> = vec![app];
        if let Some(app) = app {
            apps.extend(dependents(cx, app).into_iter().map(Some));
        }
        let texts = self.texts;
        let unread: usize = apps
            .iter()
            .filter(|a| !self.read.contains(*a))
            .flat_map(|a| texts.modules(*a))
            .map(|m| m.index.file.text.len())
            .sum();
        self.scan_left = self.scan_left.checked_sub(unread)?;
        let mut out: Vec<&ModuleSource> = own.into_iter().collect();
        for a in apps {
            self.read.insert(a);
            out.extend(
                texts
                    .naming(a)
                    .and_then(|index| index.get(module))
                    .into_iter()
                    .flatten()
                    .filter(|m| m.name != module),
            );
        }
        self.naming.insert(module.to_owned(), out.clone());
        Some(out)
    }
}

/// The modules naming each name ([`references`]): a fast hash, as every
/// name before a `:`, `,` or `'` of an application's texts goes in.
type Naming<'c> = HashMap<&'c str, Vec<&'c ModuleSource>, foldhash::fast::FixedState>;

/// By name, the modules of `modules` whose text names it the way a call
/// or a reference to a module does: followed by `:` (`m:f(..)`, `fun
/// m:f/1`), `,` (`{m, f, Args}`, `apply(m, f, Args)`) or a closing quote.
/// One pass over each text, from each `:`, `,` and `'` back to the name
/// before it, shared by every search in the application.
fn references<'c>(modules: &[&'c ModuleSource]) -> Naming<'c> {
    let mut out = Naming::default();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'@';
    for m in modules {
        let text: &'c str = &m.index.file.text;
        let bytes = text.as_bytes();
        for at in memchr::memchr3_iter(b':', b',', b'\'', bytes) {
            let mut end = at;
            while end > 0 && bytes[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            let mut start = end;
            while start > 0 && word(bytes[start - 1]) {
                start -= 1;
            }
            if start == end || !bytes[start].is_ascii_lowercase() {
                continue;
            }
            let Some(name) = text.get(start..end) else {
                continue;
            };
            let named = out.entry(name).or_default();
            if !named.last().is_some_and(|l| std::ptr::eq(*l, *m)) {
                named.push(m);
            }
        }
    }
    out
}

/// The applications that need `app`, directly or through others.
fn dependents<'p>(cx: &Context<'p>, app: &str) -> Vec<&'p str> {
    let mut out: Vec<&str> = Vec::new();
    let mut work = vec![app];
    while let Some(a) = work.pop() {
        for other in &cx.project.apps {
            let name = other.name.as_str();
            if name != app && !out.contains(&name) && other.application_names().any(|n| n == a) {
                out.push(name);
                work.push(name);
            }
        }
    }
    out
}

/// The functions of `m` whose text holds `needle` (and `also`), parsed.
fn functions_naming(
    cx: &Context<'_>,
    m: &ModuleSource,
    needle: &str,
    also: Option<&str>,
) -> Vec<(Mfa, std::sync::Arc<crate::graph::calls::LoadedFunction>)> {
    let finder = memmem::Finder::new(needle.as_bytes());
    let also = also.map(|a| memmem::Finder::new(a.as_bytes()));
    let text = &m.index.file.text;
    let mut out: Vec<(Mfa, std::sync::Arc<crate::graph::calls::LoadedFunction>)> = Vec::new();
    for entry in &m.index.functions {
        let body = text.get(entry.range()).unwrap_or("");
        if finder.find(body.as_bytes()).is_none()
            || also
                .as_ref()
                .is_some_and(|a| !names_module(a, body.as_bytes()))
        {
            continue;
        }
        let mfa = Mfa::new(&m.name, entry.name(), entry.arity);
        // A function defined on two `-ifdef` branches is one function.
        if out.iter().any(|(k, _)| *k == mfa) {
            continue;
        }
        if let Some(f) = cx.code.function(&mfa) {
            out.push((mfa, f));
        }
    }
    out
}

/// Whether `text` names the module `finder` looks for the way a call or
/// a reference does: followed by `:` (`m:f(..)`, `fun m:f/1`) or `,`
/// (`{m, f, Args}`, `apply(m, f, Args)`) or a closing quote, and not
/// inside a longer name (`wx` in `wxe_server`).
fn names_module(finder: &memmem::Finder<'_>, text: &[u8]) -> bool {
    let n = finder.needle().len();
    finder.find_iter(text).any(|at| {
        let before = at.checked_sub(1).map(|i| text[i]);
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'@';
        !before.is_some_and(word)
            && text
                .get(at + n..)
                .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
                .is_some_and(|&b| matches!(b, b':' | b',' | b'\''))
    })
}

/// Whether `e` starts a process of `callback`: `gen_server:start_link(
/// callback, A, O)`, `gen_server:start({local, N}, callback, A, O)`, ...
/// (also a behaviour alias's own start functions).
fn starts(cx: &Context<'_>, e: &Expr, callback: &str) -> bool {
    let ExprKind::Call {
        module: Some(module),
        function,
        args,
    } = &e.kind
    else {
        return false;
    };
    let (Some(module), Some(function)) = (module.as_atom(), function.as_atom()) else {
        return false;
    };
    if !matches!(function, "start" | "start_link" | "start_monitor") {
        return false;
    }
    if !STARTERS.contains(&module) && cx.project.behaviour_aliases.get(module).is_none() {
        return false;
    }
    match args.as_slice() {
        [first, second, ..] if matches!(first.kind, ExprKind::Tuple(_)) && args.len() >= 3 => {
            second.as_atom() == Some(callback)
        }
        [first, ..] if (2..=3).contains(&args.len()) => first.as_atom() == Some(callback),
        _ => false,
    }
}

/// How an expression refers to a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refers {
    No,
    /// `f(..)`, `m:f(..)`, `fun f/N`, `fun m:f/N`.
    Calls,
    /// The atoms `m, f` side by side in a tuple or a call's arguments
    /// (`{m, f, Args}`, `apply(m, f, Args)`).
    Named,
}

/// How `e` refers to `f` (a local call counts in `f`'s module, `local`).
fn refers(e: &Expr, f: &Mfa, local: bool) -> Refers {
    let is = |x: &Expr, name: &str| x.as_atom() == Some(name);
    let module_is = |module: &Option<Box<Expr>>| match module {
        None => local,
        Some(m) => is(m, &f.module),
    };
    let calls = match &e.kind {
        ExprKind::Call {
            module,
            function,
            args,
        } => {
            if side_by_side(args, f) {
                return Refers::Named;
            }
            module_is(module) && is(function, &f.function) && args.len() == f.arity as usize
        }
        ExprKind::FunRef {
            module,
            function,
            arity,
        } => {
            module_is(module)
                && is(function, &f.function)
                && matches!(arity.kind, ExprKind::Integer { value: Some(a), .. } if a.get() == i128::from(f.arity))
        }
        ExprKind::Tuple(es) if side_by_side(es, f) => return Refers::Named,
        _ => false,
    };
    match calls {
        true => Refers::Calls,
        false => Refers::No,
    }
}

/// The atoms of `f`'s module and name next to each other in `es`.
fn side_by_side(es: &[Expr], f: &Mfa) -> bool {
    es.windows(2).any(|w| {
        w[0].as_atom() == Some(f.module.as_str()) && w[1].as_atom() == Some(f.function.as_str())
    })
}
