//! Macro expansion over the AST, as epp would do it but keeping what a
//! static tool cannot decide: a macro with definitions in several
//! conditional branches expands to all of them with their conditions, and
//! an undefined macro stays a `Macro` node with the reason.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::ast::{Alternative, Expr, ExprKind, Function, MacroExpr, Span};
use super::condition::{Condition, TestKind};
use super::items::{Define, MacroBody};
use super::lower::{STACK_GROWTH, STACK_RED_ZONE};
use super::module::ModuleIndex;
use super::print::atom_text;

/// Macros every module has without defining them.
pub(crate) const PREDEFINED: &[&str] = &[
    "MODULE",
    "MODULE_STRING",
    "FILE",
    "LINE",
    "FUNCTION_NAME",
    "FUNCTION_ARITY",
    "MACHINE",
    "OTP_RELEASE",
];

/// The OTP release `?OTP_RELEASE` expands to unless told otherwise.
const DEFAULT_OTP_RELEASE: u32 = 25;

/// More macro expansions than this in one `expand` call stop with an
/// unresolved macro: nested macros can grow exponentially.
const MAX_EXPANSIONS: usize = 10_000;

/// What the predefined macros expand to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroContext {
    /// `?MODULE` (none in a header read on its own).
    module: Option<String>,
    /// `?FILE`: the path as outputs show it.
    file: String,
    /// `?OTP_RELEASE`.
    otp_release: u32,
}

impl MacroContext {
    /// The context of a module: its name and file.
    pub fn for_module(index: &ModuleIndex) -> MacroContext {
        MacroContext {
            module: index.name().map(str::to_owned),
            file: index.file.path.clone(),
            otp_release: DEFAULT_OTP_RELEASE,
        }
    }
}

/// The macros visible in a module, ready to expand expressions.
#[derive(Debug, Clone)]
pub struct MacroTable {
    /// The definitions, shared with every module that sees the same ones.
    defines: Arc<DefineList>,
    context: MacroContext,
}

/// The defines a module sees, in the order epp sees them, and their index
/// by name. Modules that include the same headers and define nothing of
/// their own see the same list (235 of wx's 237 generated modules: wx.hrl's
/// thousands of defines), so one list, indexed once, serves them all.
#[derive(Debug)]
pub struct DefineList {
    /// The definitions in the order given to [`MacroTable::new`].
    defines: Vec<Arc<Define>>,
    /// Built on first lookup: a module's headers can bring thousands of
    /// defines, and `scan` never expands a macro. The definitions left
    /// after replacement, sorted by name's hash (in table order within a
    /// name): one allocation per list rather than a map entry, a cloned
    /// name and a vector per macro.
    by_name: OnceLock<ByName>,
    /// The orders of long runs of one file's defines, shared by the lists
    /// of a [`DefineLists`] (`None` for a list made on its own).
    runs: Option<Arc<RunOrders>>,
}

/// The definitions of a [`DefineList`] left after replacement, sorted by
/// the hash of their name, then by name, then in table order: each one's
/// hash ([`name_hash`]) and position in the list. Positions, not `Arc`s,
/// and half a hash: a list's index is 8 bytes a define, and a tree has a
/// list per module that defines macros of its own (most include the same
/// headers' thousands).
#[derive(Debug)]
struct ByName(Vec<(u32, u32)>);

/// A macro name's hash, the first key of [`ByName`]: the high half of a
/// 64-bit one (names that share it are told apart by name).
fn name_hash(name: &str) -> u32 {
    use std::hash::BuildHasher;
    (foldhash::fast::FixedState::default().hash_one(name) >> 32) as u32
}

/// The definitions of one macro name in a [`MacroTable`], in table order.
#[derive(Debug, Clone, Copy)]
pub struct Definitions<'a> {
    defines: &'a [Arc<Define>],
    /// Their entries of [`ByName`].
    order: &'a [(u32, u32)],
}

impl<'a> Definitions<'a> {
    /// True when the name has no definition.
    pub fn is_empty(self) -> bool {
        self.order.is_empty()
    }

    /// The definitions, in table order.
    pub fn iter(self) -> DefinitionsIter<'a> {
        DefinitionsIter {
            defines: self.defines,
            order: self.order.iter(),
        }
    }
}

impl<'a> IntoIterator for Definitions<'a> {
    type Item = &'a Arc<Define>;
    type IntoIter = DefinitionsIter<'a>;

    fn into_iter(self) -> DefinitionsIter<'a> {
        self.iter()
    }
}

/// The iterator of [`Definitions`].
#[derive(Debug, Clone)]
pub struct DefinitionsIter<'a> {
    defines: &'a [Arc<Define>],
    order: std::slice::Iter<'a, (u32, u32)>,
}

impl<'a> Iterator for DefinitionsIter<'a> {
    type Item = &'a Arc<Define>;

    fn next(&mut self) -> Option<&'a Arc<Define>> {
        let &(_, i) = self.order.next()?;
        self.defines.get(i as usize)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.order.size_hint()
    }
}

impl DefineList {
    /// A list of defines in epp order.
    pub fn new(defines: Vec<Arc<Define>>) -> DefineList {
        DefineList {
            defines,
            by_name: OnceLock::new(),
            runs: None,
        }
    }

    /// The positions of the defines sorted by their name's hash, then by
    /// name, then by position: the order [`ByName`] keeps.
    fn sorted(&self) -> Vec<(u32, u32)> {
        let defines = &self.defines;
        let Some(runs) = &self.runs else {
            return sorted_order(defines);
        };
        // A header's defines come in one run (or a few, around its own
        // includes), the same in every module that includes it: wx.hrl's
        // 4 619 in each of the 47 modules of observer, reltool, debugger
        // and et that also define macros of their own, so that each has a
        // list of its own. Each long run is sorted once, and a list's order
        // merges its runs'.
        let mut short = Vec::new();
        let mut long = Vec::new();
        let mut i = 0;
        while i < defines.len() {
            let ctx = &defines[i].ctx;
            let end = defines[i..]
                .iter()
                .position(|d| !Arc::ptr_eq(&d.ctx, ctx))
                .map_or(defines.len(), |n| i + n);
            if end - i >= LONG_RUN {
                long.push((i, runs.order(&defines[i..end])));
            } else {
                short.extend(i..end);
            }
            i = end;
        }
        if long.is_empty() {
            return sorted_order(defines);
        }
        let mut out: Vec<(u32, u32)> = short
            .into_iter()
            .map(|i| (name_hash(&defines[i].name), i as u32))
            .collect();
        out.sort_unstable_by(|a, b| by_name_order(defines, a, b));
        for (start, run) in long {
            let run = run.order.iter().map(|&(h, i)| (h, start as u32 + i));
            let mut merged = Vec::with_capacity(out.len() + run.len());
            let mut a = out.into_iter().peekable();
            let mut b = run.peekable();
            loop {
                let next = match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) if by_name_order(defines, x, y).is_le() => a.next(),
                    (Some(_), Some(_)) => b.next(),
                    (Some(_), None) => a.next(),
                    (None, _) => b.next(),
                };
                match next {
                    Some(e) => merged.push(e),
                    None => break,
                }
            }
            out = merged;
        }
        out
    }
}

/// Runs of one file's defines at least this long are sorted once for all
/// the lists that hold them.
const LONG_RUN: usize = 256;

/// `defines`' positions sorted by name's hash, then name, then position.
fn sorted_order(defines: &[Arc<Define>]) -> Vec<(u32, u32)> {
    let mut order: Vec<(u32, u32)> = defines
        .iter()
        .enumerate()
        .map(|(i, d)| (name_hash(&d.name), i as u32))
        .collect();
    order.sort_unstable_by(|a, b| by_name_order(defines, a, b));
    order
}

/// The order of [`ByName`]'s entries (a hash and a position in `defines`):
/// by hash, then name, then position. The names are read only when the
/// hashes are equal.
fn by_name_order(defines: &[Arc<Define>], a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
    let name = |i: u32| defines[i as usize].name.as_str();
    a.0.cmp(&b.0)
        .then_with(|| name(a.1).cmp(name(b.1)))
        .then(a.1.cmp(&b.1))
}

/// The sorted order ([`sorted_order`]) of long runs of defines, by the
/// address of the run's first define and its length; the run's defines are
/// kept to tell runs apart (and so that no address is reused meanwhile).
#[derive(Debug, Default)]
struct RunOrders(Mutex<HashMap<RunKey, Vec<Arc<RunOrder>>>>);

/// A run's first define's address and its length.
type RunKey = (usize, usize);

#[derive(Debug)]
struct RunOrder {
    defines: Vec<Arc<Define>>,
    order: Vec<(u32, u32)>,
}

impl RunOrders {
    /// The order of `run`, sorted now if no list had it before.
    fn order(&self, run: &[Arc<Define>]) -> Arc<RunOrder> {
        let key = (Arc::as_ptr(&run[0]) as usize, run.len());
        let same = |o: &RunOrder| o.defines.iter().zip(run).all(|(a, b)| Arc::ptr_eq(a, b));
        {
            let orders = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(o) = orders.get(&key).and_then(|os| os.iter().find(|o| same(o))) {
                return o.clone();
            }
        }
        // Sorted outside the lock: two threads may both sort a run, and
        // either order is the same.
        let o = Arc::new(RunOrder {
            defines: run.to_vec(),
            order: sorted_order(run),
        });
        let mut orders = self.0.lock().unwrap_or_else(|e| e.into_inner());
        orders.entry(key).or_default().push(o.clone());
        o
    }
}

/// Hands out one shared [`DefineList`] per distinct sequence of defines
/// (the same `Define`s, by address, in the same order). Safe to use from
/// rayon's threads.
#[derive(Debug, Default)]
pub struct DefineLists {
    /// By a hash of the addresses; lists whose hashes collide are compared.
    lists: Mutex<HashMap<u64, Vec<Arc<DefineList>>>>,
    /// The sorted runs the lists share.
    runs: Arc<RunOrders>,
}

impl DefineLists {
    /// The shared list equal to `defines` (copied from it the first time:
    /// cloning wx's thousands of `Arc`s for each module, on two threads at
    /// once, cost more than the sharing saved).
    pub(crate) fn intern(&self, defines: &[&Arc<Define>]) -> Arc<DefineList> {
        // FxHash's step over the addresses: SipHash over wx's thousands of
        // defines, for each module, cost more than the sharing saved.
        let key = defines.iter().fold(defines.len() as u64, |h, d| {
            (h.rotate_left(5) ^ Arc::as_ptr(*d) as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
        });
        let same = |l: &DefineList| {
            l.defines.len() == defines.len()
                && l.defines
                    .iter()
                    .zip(defines)
                    .all(|(a, b)| Arc::ptr_eq(a, b))
        };
        let mut lists = self.lists.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = lists.entry(key).or_default();
        if let Some(l) = bucket.iter().find(|l| same(l)) {
            return l.clone();
        }
        let mut list = DefineList::new(defines.iter().map(|&d| d.clone()).collect());
        list.runs = Some(self.runs.clone());
        let list = Arc::new(list);
        bucket.push(list.clone());
        list
    }
}

/// State of one `expand` call.
struct Expansion<'a> {
    /// Macros being expanded (recursion guard).
    /// Macros being expanded, by name and arity: epp's circularity check
    /// (`check_uses`) keys on both, so `?CHILD(I, T)` may use `?CHILD(I, T, 5000)`.
    active: Vec<(String, Option<usize>)>,
    function: Option<(&'a str, u32)>,
    count: usize,
}

impl MacroTable {
    /// A table from defines in the order epp would see them: those of the
    /// headers a module includes, in include order, and the module's own.
    /// A later definition with the same name, arity and condition replaces
    /// an earlier one (as after `-undef`).
    pub fn new(
        defines: impl IntoIterator<Item = Arc<Define>>,
        context: MacroContext,
    ) -> MacroTable {
        MacroTable::shared(
            Arc::new(DefineList::new(defines.into_iter().collect())),
            context,
        )
    }

    /// A table over a list of defines other modules may share (see
    /// [`DefineLists`]).
    pub(crate) fn shared(defines: Arc<DefineList>, context: MacroContext) -> MacroTable {
        MacroTable { defines, context }
    }

    fn by_name(&self) -> &ByName {
        let list = &*self.defines;
        list.by_name.get_or_init(|| {
            // By name, then by position in the table: the order replacement
            // goes in.
            // By a hash of the name first: comparing wx's thousands of
            // names, which share long prefixes (`wxSTC_`), cost more than
            // hashing each once. Only lookups read this order.
            // The replaced definitions are dropped in place: the entries
            // kept are `order[..kept]`.
            let mut order = list.sorted();
            let define = |&(_, i): &(u32, u32)| &list.defines[i as usize];
            let mut kept = 0;
            // Where the current name's definitions start in `order`.
            let mut first = 0;
            for next in 0..order.len() {
                let entry = order[next];
                let d = define(&entry);
                if order[first..kept]
                    .first()
                    .is_some_and(|f| define(f).name != d.name)
                {
                    first = kept;
                }
                // At most one earlier definition matches: each push removed
                // the one before it.
                if let Some(k) = order[first..kept].iter().position(|old| {
                    let old = define(old);
                    old.arity() == d.arity() && old.condition() == d.condition()
                }) {
                    order.copy_within(first + k + 1..kept, first + k);
                    kept -= 1;
                }
                order[kept] = entry;
                kept += 1;
            }
            order.truncate(kept);
            ByName(order)
        })
    }

    /// True when both tables read the same shared list of defines.
    pub fn shares_defines_with(&self, other: &MacroTable) -> bool {
        Arc::ptr_eq(&self.defines, &other.defines)
    }

    /// Every definition given to the table, replaced ones included.
    pub fn defines(&self) -> impl Iterator<Item = &Arc<Define>> {
        self.defines.defines.iter()
    }

    /// Every definition of `name` (all arities and branches).
    pub fn definitions(&self, name: &str) -> Definitions<'_> {
        let all = &self.by_name().0;
        let defines = &self.defines.defines[..];
        let hash = name_hash(name);
        let start = all.partition_point(|&(h, _)| h < hash);
        let len = all[start..].partition_point(|&(h, _)| h == hash);
        // By name among the few (nearly always one) of the same hash.
        let same = &all[start..start + len];
        let name_of = |&(_, i): &(u32, u32)| defines[i as usize].name.as_str();
        let start = same.partition_point(|e| name_of(e) < name);
        let len = same[start..].partition_point(|e| name_of(e) == name);
        Definitions {
            defines,
            order: &same[start..start + len],
        }
    }

    /// True when `name` is predefined or has a definition (in any branch).
    pub fn is_defined(&self, name: &str) -> bool {
        PREDEFINED.contains(&name) || !self.definitions(name).is_empty()
    }

    /// Expands every macro call in `expr`, recursively.
    pub fn expand(&self, expr: &Expr) -> Expr {
        self.expand_with(expr, None)
    }

    /// A copy of `function` with every macro in it expanded.
    pub fn expand_function(&self, function: &Function) -> Function {
        let mut out = function.clone();
        let mut st = Expansion {
            active: Vec::new(),
            function: Some((&function.name, function.arity)),
            count: 0,
        };
        for clause in &mut out.clauses {
            for e in clause
                .patterns
                .iter_mut()
                .chain(clause.guards.iter_mut().flatten())
                .chain(clause.body.iter_mut())
            {
                self.expand_in_place(e, &mut st);
            }
        }
        out
    }

    /// [`MacroTable::expand_function`] that shares `function` when there is
    /// nothing to expand: no macro call and no concatenation (string
    /// literals side by side with a macro among them, joined once
    /// expanded) anywhere in it, which is most functions; the expansion
    /// would be an identical deep copy.
    pub fn expand_shared(&self, function: &Arc<Function>) -> Arc<Function> {
        let expands = function.clauses.iter().any(|c| {
            let mut found = false;
            c.for_each_expr(&mut |e| found = found || has_expansion(e));
            found
        });
        if expands {
            Arc::new(self.expand_function(function))
        } else {
            function.clone()
        }
    }

    fn expand_with(&self, expr: &Expr, function: Option<(&str, u32)>) -> Expr {
        let mut out = expr.clone();
        let mut st = Expansion {
            active: Vec::new(),
            function,
            count: 0,
        };
        self.expand_in_place(&mut out, &mut st);
        out
    }

    fn expand_in_place(&self, e: &mut Expr, st: &mut Expansion<'_>) {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expand_node(e, st));
    }

    fn expand_node(&self, e: &mut Expr, st: &mut Expansion<'_>) {
        if let ExprKind::Macro(m) = &mut e.kind {
            if m.unresolved.is_none() {
                let name = std::mem::take(&mut m.name);
                let mut args = m.args.take();
                // Arguments are expanded where they are written, outside the guard.
                for a in args.iter_mut().flatten() {
                    self.expand_in_place(a, st);
                }
                *e = self.expand_macro(name, args, e.span, st);
                return;
            }
        }
        e.for_each_child_mut(&mut |c| self.expand_in_place(c, st));
        if let ExprKind::Record { name, .. }
        | ExprKind::RecordUpdate { name, .. }
        | ExprKind::RecordField { name, .. }
        | ExprKind::RecordIndex { name, .. } = &mut e.kind
        {
            if let Some(record) = name.strip_prefix('?').and_then(|m| self.record_macro(m)) {
                *name = record.into_boxed_str();
            }
        }
        if let ExprKind::Concat(parts) = &e.kind {
            if parts.iter().all(|p| matches!(p.kind, ExprKind::String(_))) {
                let joined = parts
                    .iter()
                    .filter_map(|p| match &p.kind {
                        ExprKind::String(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                e.kind = ExprKind::String(joined);
            }
        }
    }

    fn expand_macro(
        &self,
        name: String,
        args: Option<Vec<Expr>>,
        span: Span,
        st: &mut Expansion<'_>,
    ) -> Expr {
        let unresolved = |name: String, args: Option<Vec<Expr>>, reason: String| {
            Expr::new(
                ExprKind::Macro(Box::new(MacroExpr {
                    name,
                    args,
                    unresolved: Some(reason),
                })),
                span,
            )
        };
        st.count += 1;
        if st.count > MAX_EXPANSIONS {
            return unresolved(name, args, "macro expansion too large".to_owned());
        }
        if args.is_none() {
            if let Some(kind) = self.predefined(&name, span, st) {
                return Expr::new(kind, span);
            }
            // Predefined but unknown here; a user definition of these would be
            // rejected by the compiler, so do not look for one.
            match name.as_str() {
                "MODULE" | "MODULE_STRING" => {
                    return unresolved(
                        name,
                        args,
                        "no module here (a header read on its own)".to_owned(),
                    )
                }
                "FUNCTION_NAME" | "FUNCTION_ARITY" => {
                    return unresolved(name, args, "not inside a function".to_owned())
                }
                _ => {}
            }
        }
        let arity = args.as_ref().map(Vec::len);
        if st.active.iter().any(|(n, a)| *n == name && *a == arity) {
            return unresolved(name, args, "recursive macro".to_owned());
        }
        let defs = self.definitions(&name);
        let exact: Vec<&Arc<Define>> = defs.iter().filter(|d| d.arity() == arity).collect();
        if exact.is_empty() {
            // `?F(X)` with only `-define(F, f)` is a call of F's replacement.
            let plain: Vec<&Arc<Define>> = defs.iter().filter(|d| d.arity().is_none()).collect();
            if let (Some(call_args), false) = (args.as_ref(), plain.is_empty()) {
                let function = self.expand_macro(name, None, span, st);
                // `-define(G, m:f).` then `?G(X)` is the remote call `m:f(X)`.
                let (module, function) = match function.kind {
                    ExprKind::Remote { module, function } => (Some(module), function),
                    _ => (None, Box::new(function)),
                };
                return Expr::new(
                    ExprKind::Call {
                        module,
                        function,
                        args: call_args.clone(),
                    },
                    span,
                );
            }
            let reason = if defs.is_empty() {
                "undefined macro".to_owned()
            } else {
                let n = arity.map_or_else(|| "no".to_owned(), |n| n.to_string());
                format!("macro `{name}` has no definition with {n} arguments")
            };
            return unresolved(name, args, reason);
        }
        let mut alternatives = Vec::new();
        for def in exact {
            let Some(condition) = self.simplify(def) else {
                continue;
            };
            let mut expr = instantiate(def, args.as_deref(), span);
            st.active.push((name.clone(), arity));
            self.expand_in_place(&mut expr, st);
            st.active.pop();
            alternatives.push(Alternative { condition, expr });
        }
        match alternatives.len() {
            0 => unresolved(
                name,
                args,
                "every definition is under a condition that does not hold".to_owned(),
            ),
            1 if alternatives[0].condition.is_always() => alternatives.remove(0).expr,
            _ => Expr::new(ExprKind::Conditional(alternatives), span),
        }
    }

    fn predefined(&self, name: &str, span: Span, st: &Expansion<'_>) -> Option<ExprKind> {
        let int = |v: i128| ExprKind::Integer {
            value: Some(v.into()),
            text: v.to_string().into_boxed_str(),
            char: false,
        };
        Some(match name {
            "MODULE" => ExprKind::Atom(self.context.module.clone()?),
            "MODULE_STRING" => ExprKind::String(self.context.module.clone()?),
            "FILE" => ExprKind::String(self.context.file.clone()),
            "LINE" => int(i128::from(span.line)),
            "FUNCTION_NAME" => ExprKind::Atom(st.function?.0.to_owned()),
            "FUNCTION_ARITY" => int(i128::from(st.function?.1)),
            "MACHINE" => ExprKind::Atom("BEAM".to_owned()),
            "OTP_RELEASE" => int(i128::from(self.context.otp_release)),
            _ => return None,
        })
    }

    /// The definitions `?name` (`arity`: `None` without parentheses, else
    /// the number of arguments) expands to, each an alternative of the
    /// expansion: those of that arity whose condition may hold. Empty when
    /// none has that arity, or none may hold.
    pub(crate) fn live_definitions(&self, name: &str, arity: Option<usize>) -> Vec<&Arc<Define>> {
        self.definitions(name)
            .iter()
            .filter(|d| d.arity() == arity && self.simplify(d).is_some())
            .collect()
    }

    /// The atom `?name` (without arguments) always expands to: one
    /// definition without parameters may hold, unconditionally, and its
    /// replacement is an atom (`-define(PRIM_FILE, prim_file).`). The
    /// expansion is then that atom wherever the call is, in module
    /// position too (`?PRIM_FILE:open(...)`); with two definitions that
    /// may hold, or one under a condition, it is a conditional instead.
    pub(crate) fn atom_macro(&self, name: &str) -> Option<&str> {
        let mut live = self
            .definitions(name)
            .iter()
            .filter(|d| d.arity().is_none())
            .filter_map(|d| Some((d, self.simplify(d)?)));
        let (d, condition) = live.next()?;
        if live.next().is_some() || !condition.is_always() {
            return None;
        }
        match d.body() {
            MacroBody::Expr(e) => e.as_atom(),
            MacroBody::Raw { .. } => None,
        }
    }

    /// The record a macro without arguments names: `rec` for `#?R{}` with
    /// `-define(R, rec).`, or for `?R{}` with `-define(R, #rec).` (erlc
    /// sees `#rec{}` either way); `None` when its definitions that may
    /// hold name none or several.
    fn record_macro(&self, name: &str) -> Option<String> {
        let mut found: Option<String> = None;
        for def in self.live_definitions(name, None) {
            let text = def.raw_body().trim();
            let text = text.strip_prefix('#').map_or(text, str::trim_start);
            let record = match text.strip_prefix('\'') {
                Some(q) => q.strip_suffix('\'').filter(|a| !a.contains(['\'', '\\']))?,
                None => text,
            };
            let plain = record.starts_with(|c: char| c.is_ascii_lowercase())
                && record
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
            if !plain && !text.starts_with('\'') {
                return None;
            }
            if found.as_deref().is_some_and(|f| f != record) {
                return None;
            }
            found = Some(record.to_owned());
        }
        found
    }

    /// The condition a definition holds under, with the terms the table can
    /// decide removed; `None` when it cannot hold.
    fn simplify(&self, def: &Define) -> Option<Condition> {
        let mut terms = Vec::new();
        for t in def.condition().terms() {
            // `-ifndef(T). -define(T, Default). -endif.` gives a default: the
            // test only says "unless set from outside".
            if t.kind == TestKind::Ifndef && t.text == def.name {
                continue;
            }
            let known = match t.kind {
                TestKind::If => None,
                _ => self.known_defined(&t.text),
            };
            match known {
                Some(defined) => {
                    let test = if t.kind == TestKind::Ifdef {
                        defined
                    } else {
                        !defined
                    };
                    if !t.holds_when(test) {
                        return None;
                    }
                }
                None => terms.push(t.clone()),
            }
        }
        Some(Condition(terms))
    }

    /// Whether code under `cond` is compiled by the default build of this
    /// table's module, `defines` given as `-D` options: a macro is defined
    /// when given, predefined, or defined outside any condition (one
    /// defined only under `-ifdef(TEST)` is not). An `-if` test is taken to
    /// hold: only the build knows its value. The lint's default build and
    /// a module's behaviours both ask this.
    pub(crate) fn compiled(&self, cond: &Condition, defines: &[String]) -> bool {
        cond.terms().iter().all(|t| {
            let defined = match t.kind {
                TestKind::If => return true,
                TestKind::Ifdef | TestKind::Ifndef => {
                    defines.contains(&t.text)
                        || PREDEFINED.contains(&t.text.as_str())
                        || self
                            .definitions(&t.text)
                            .iter()
                            .any(|d| d.condition().is_always())
                }
            };
            t.holds_when(if t.kind == TestKind::Ifdef {
                defined
            } else {
                !defined
            })
        })
    }

    /// Whether `name` is surely defined: predefined, or defined outside any
    /// condition. `None` when only the build could tell (`-DTEST`).
    fn known_defined(&self, name: &str) -> Option<bool> {
        if PREDEFINED.contains(&name) && (name != "MODULE" || self.context.module.is_some()) {
            return Some(true);
        }
        self.definitions(name)
            .iter()
            .any(|d| d.condition().is_always())
            .then_some(true)
    }
}

/// The replacement of `def` with `args` substituted for its parameters.
/// Nodes from the replacement take the call's span (as the compiler gives
/// them the call's line); substituted arguments keep their own.
fn instantiate(def: &Define, args: Option<&[Expr]>, span: Span) -> Expr {
    let body = match def.body() {
        MacroBody::Expr(e) => e.clone(),
        MacroBody::Raw { reason, .. } => {
            return Expr::new(
                ExprKind::Macro(Box::new(MacroExpr {
                    name: def.name.clone(),
                    args: args.map(<[Expr]>::to_vec),
                    unresolved: Some(reason.clone()),
                })),
                span,
            )
        }
    };
    let params: &[String] = def.params.as_deref().unwrap_or(&[]);
    let args = args.unwrap_or(&[]);
    let mut body = body;
    substitute(&mut body, params, args, span);
    body
}

fn substitute(e: &mut Expr, params: &[String], args: &[Expr], span: Span) {
    match &e.kind {
        ExprKind::Var(v) => {
            if let Some(arg) = params.iter().position(|p| p == v).and_then(|i| args.get(i)) {
                *e = arg.clone();
                return;
            }
        }
        ExprKind::MacroString(v) => {
            if let Some(arg) = params.iter().position(|p| p == v).and_then(|i| args.get(i)) {
                *e = Expr::new(ExprKind::String(arg.to_string()), span);
                return;
            }
        }
        _ => {}
    }
    e.span = span;
    e.for_each_child_mut(&mut |c| substitute(c, params, args, span));
}

/// `?NAME` as an atom would print it: for messages about macros.
pub(crate) fn macro_text(name: &str) -> String {
    format!(
        "?{}",
        if name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_') {
            name.to_owned()
        } else {
            atom_text(name)
        }
    )
}

/// True when `e` holds a node [`MacroTable::expand_function`] rewrites: a
/// macro call or a concatenation (walked with the same stack guard as the
/// expansion: generated code nests deeply).
fn has_expansion(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Macro { .. } | ExprKind::Concat(_) => return true,
        // A record named by a macro (`#?R{}`, `?REC{}`).
        ExprKind::Record { name, .. }
        | ExprKind::RecordUpdate { name, .. }
        | ExprKind::RecordField { name, .. }
        | ExprKind::RecordIndex { name, .. }
            if name.starts_with('?') =>
        {
            return true
        }
        _ => {}
    }
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || {
        let mut found = false;
        e.for_each_child(&mut |c, _| found = found || has_expansion(c));
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{index_module, SourceFile};

    /// A list whose long runs of a header's defines are sorted once and
    /// merged finds every macro's definitions as a list sorted whole does:
    /// replaced ones left out, the order kept, names sharing prefixes and
    /// repeated under conditions included.
    #[test]
    fn lists_sharing_long_runs_find_what_a_whole_sort_finds() {
        let mut header = String::new();
        for i in 0..600 {
            header.push_str(&format!("-define(wxSTC_{}, {i}).\n", i % 450));
        }
        header.push_str("-ifdef(DEBUG).\n-define(wxSTC_3, debug).\n-endif.\n");
        header.push_str("-define(LOG(X), io:format(X)).\n");
        let hrl = index_module(SourceFile::from_text("include/wx.hrl", &header));
        let own = |name: &str, text: &str| {
            index_module(SourceFile::from_text(format!("src/{name}.erl"), text))
        };
        let a = own(
            "a",
            "-module(a).\n-define(wxSTC_7, mine).\n-define(A, 1).\n",
        );
        let b = own("b", "-module(b).\n-define(LOG(X), X).\n-define(B, 2).\n");
        let lists = DefineLists::default();
        for m in [&a, &b] {
            // The module's first define, the header, then the rest.
            let (first, rest) = m.defines.split_at(1);
            let seq: Vec<&Arc<Define>> = first
                .iter()
                .chain(&hrl.defines)
                .chain(rest)
                .chain(&hrl.defines[..300])
                .collect();
            let shared = MacroTable::shared(lists.intern(&seq), MacroContext::for_module(m));
            let whole =
                MacroTable::new(seq.iter().map(|&d| d.clone()), MacroContext::for_module(m));
            assert!(shared.defines.runs.is_some() && whole.defines.runs.is_none());
            let mut names: Vec<&str> = seq.iter().map(|d| d.name.as_str()).collect();
            names.push("UNDEFINED");
            for name in names {
                let ptrs = |t: &MacroTable| -> Vec<*const Define> {
                    t.definitions(name).iter().map(Arc::as_ptr).collect()
                };
                assert_eq!(ptrs(&shared), ptrs(&whole), "{name}");
            }
        }
    }
}
