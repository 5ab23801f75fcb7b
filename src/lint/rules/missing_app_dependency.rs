//! ## What it does
//!
//! Finds calls from a module of application A into a module of another
//! application B of the project (or of a fetched dependency, with
//! `--include-deps`) when A does not list B in `applications`,
//! `included_applications` or `optional_applications` of its `.app.src`.
//! Remote calls `b_mod:f(...)`, `fun b_mod:f/1` and `-behaviour(b_mod)`
//! count. One finding per application and missing application, at the
//! first use.
//!
//! Calls into `erts`, the runtime system (`erlang`, `init`,
//! `erl_prim_loader`, ...), never count: its modules are loaded in every
//! node before any application starts, and no application lists it (a
//! release names its version apart, `{erts, Vsn}`).
//!
//! The finding is at the first use by file, then place, and counts the
//! uses and names the modules making them. When B already depends on A,
//! directly or through other applications, listing B in A would make a
//! cycle no release can boot: the finding says the call goes against the
//! dependency and should move, and never suggests adding B.
//!
//! It is an `info` by default, so it is shown but does not fail a CI
//! run: large umbrellas have hundreds of such pairs (492 in one read for
//! docs/lint.md), nearly all true but harmless on today's node because
//! the release or another application starts B anyway. Raise it once the
//! lists are clean: `{lint, [{rules, [{'missing-app-dependency',
//! warning}]}]}` in `otpmap.config`.
//!
//! ## Why is this bad?
//!
//! The `applications` list is what makes OTP start B before A, what puts B
//! in a release built from A, and what `xref` and `rebar3 release` trust.
//! A call into B that the list does not declare works on a developer's
//! node where everything is loaded, and fails in production with `undef`
//! or `noproc`: B was not included in the release, or was started after A.
//! When B is started first only because another listed application depends
//! on it, the order is an accident that the next refactoring breaks.
//!
//! ## Example
//!
//! ```erlang
//! %% apps/web/src/web.app.src
//! {application, web, [{applications, [kernel, stdlib, cowboy]}, ...]}.
//!
//! %% apps/web/src/web_orders.erl
//! create(Order) -> store_orders:insert(Order).   % store_orders is in app store
//! ```
//!
//! ## How to fix
//!
//! Add the application to `applications` (or `included_applications` when A
//! starts B's tree itself, or `optional_applications` when A works without
//! it):
//!
//! ```erlang
//! {application, web, [{applications, [kernel, stdlib, cowboy, store]}, ...]}.
//! ```
//!
//! When `store` lists `web` already, move the call instead: into `store`,
//! into an application both depend on, or behind a callback that `store`
//! passes to `web`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::graph::calls::Mfa;
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{Context, Finding};
use crate::model::{App, ModuleSource};
use crate::syntax::call_args::{call_args, CallArgs};
use crate::syntax::literal::atom_value;
use crate::syntax::macro_tokens::{
    arg_count, plain_args, Bodies, MacroCall, MacroReader, MacroUse, MAX_COUNTED_EXPANSIONS,
};
use crate::syntax::token::{tokenize_into, Keyword, Token, TokenKind};
use crate::syntax::{walk_function, ExprKind, Span, Walk};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP003",
    name: "missing-app-dependency",
    default_severity: Severity::Info,
    source: include_str!("missing_app_dependency.rs"),
    check: Some(check),
    reads_supervisors: false,
    finds: "a call from app A into app B that A's `.app.src` does not list",
};

/// A reference from a module to another application's module.
#[derive(Clone)]
struct Reference {
    /// Where it is. One counted by tokens has line 0 until it makes a
    /// finding ([`Reference::placed`]): only the first use of each pair of
    /// applications does, and a file's line index is built on its first
    /// position.
    span: Span,
    target: String,
    app: String,
}

impl Reference {
    /// The span with its line and column.
    fn placed(&self, file: &crate::syntax::SourceFile) -> Span {
        let mut span = self.span;
        if span.line == 0 {
            (span.line, span.column) = file.position(span.start as usize);
        }
        span
    }
}

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let apps_with_code: BTreeSet<&str> = cx
        .project
        .sources
        .modules
        .iter()
        .filter_map(|m| m.app.as_deref())
        .collect();
    if apps_with_code.len() < 2 {
        return;
    }
    let modules: Vec<&ModuleSource> = cx.lint_modules().filter(|m| m.app.is_some()).collect();
    let apps = module_apps(cx);
    let macro_atoms = macro_atoms(cx, &apps);
    let found: Vec<(&ModuleSource, Reference, usize)> = modules
        .par_iter()
        .with_max_len(crate::syntax::FILES_PER_JOB)
        .flat_map_iter(|m| {
            check_module(cx, m, &macro_atoms, &apps)
                .into_iter()
                .map(move |(r, n)| (*m, r, n))
        })
        .collect();
    // One finding per pair of applications, at its first use (by file,
    // then place), with the number of uses and of modules.
    let mut pairs: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for (m, r, n) in found {
        let Some(app) = m.app.clone() else {
            continue;
        };
        let pair = pairs.entry((app, r.app.clone())).or_insert_with(|| Pair {
            first: (m, r.clone()),
            uses: 0,
            modules: BTreeSet::new(),
        });
        pair.uses += n;
        pair.modules.insert(m.name.clone());
        let (fm, fr) = &pair.first;
        if (&m.file, r.span.start) < (&fm.file, fr.span.start) {
            pair.first = (m, r);
        }
    }
    for ((app, _), pair) in pairs {
        if let Some(app) = cx.project.app(&app) {
            out.push(finding(cx, app, pair));
        }
    }
}

/// The uses of one application by another that does not list it.
struct Pair<'a> {
    /// The first use: its module and reference.
    first: (&'a ModuleSource, Reference),
    uses: usize,
    modules: BTreeSet<String>,
}

/// The application of each project module by name, as the walk resolves
/// the name (the first module by path when two share it). Every atom of
/// every linted function is looked up here: a fast hash, not SipHash, and
/// before it a bit per first byte, last byte and length of the names,
/// which most atoms of a body (`ok`, `true`, a local function's name) miss.
#[derive(Default)]
struct ModuleApps<'p> {
    by_name: HashMap<&'p str, &'p str, foldhash::fast::FixedState>,
    /// 2^16 bits, at [`ModuleApps::bit`] of each name.
    bits: Vec<u64>,
}

impl<'p> ModuleApps<'p> {
    /// Where `name`'s bit is; `None` for the empty name.
    fn bit(name: &str) -> Option<usize> {
        let b = name.as_bytes();
        let (&first, &last) = (b.first()?, b.last()?);
        Some((usize::from(first) ^ usize::from(last) << 5 ^ b.len() << 10) & 0xFFFF)
    }

    fn insert(&mut self, name: &'p str, app: &'p str) {
        if self.bits.is_empty() {
            self.bits = vec![0; 1 << 10];
        }
        if let Some(i) = Self::bit(name) {
            self.bits[i / 64] |= 1 << (i % 64);
        }
        self.by_name.insert(name, app);
    }

    fn get(&self, name: &str) -> Option<&'p str> {
        if let Some(i) = Self::bit(name) {
            if self.bits.get(i / 64).is_none_or(|w| w & 1 << (i % 64) == 0) {
                return None;
            }
        }
        self.by_name.get(name).copied()
    }
}

/// The runtime system's application. Its modules are preloaded: every
/// node has them before the boot script starts `kernel`, and a release
/// names its version apart (`{erts, Vsn}` in the `.rel`), not among the
/// applications. No application lists it, OTP's own included (kernel's
/// `applications` is empty, and kernel calls `erlang:` throughout), so a
/// call into it is never a missing dependency.
const RUNTIME_SYSTEM: &str = "erts";

fn module_apps<'p>(cx: &Context<'p>) -> ModuleApps<'p> {
    let sources = &cx.project.sources;
    let mut out = ModuleApps::default();
    for m in &sources.modules {
        if let Some(app) = sources.module(&m.name).and_then(|x| x.app.as_deref()) {
            if app != RUNTIME_SYSTEM {
                out.insert(m.name.as_str(), app);
            }
        }
    }
    out
}

/// What the macro bodies of the project hold, each read once; of their
/// atoms, only the project's modules, the only ones that can matter.
fn macro_atoms(cx: &Context<'_>, apps: &ModuleApps<'_>) -> Bodies {
    let sources = &cx.project.sources;
    Bodies::read(
        sources
            .modules
            .iter()
            .map(|m| &m.index)
            .chain(sources.headers.values())
            .flat_map(|i| i.defines.iter()),
        &|a| apps.get(a).is_some(),
    )
}

/// What the tokens of one function (all its entries) tell about its
/// references to other applications.
enum Scan {
    /// Tokens cannot tell exactly (a macro that may name another app's
    /// module or take one as argument, `m:?F(`, a preprocessor line...):
    /// parse and walk it.
    Parse,
    /// Every reference is a plain `m:f(` or `fun m:f/`, which the AST has
    /// as a remote call or fun reference with atom module and function:
    /// per missing app, how many and the file offset of the first.
    Tokens(HashMap<String, Counted>),
}

/// The references of one function to one app, counted by tokens.
#[derive(Clone)]
struct Counted {
    n: usize,
    /// The offset of the first.
    first: usize,
    /// The first one's end and text, when it is a plain call or fun
    /// reference (one from a macro's body takes its text from the AST).
    written: Option<(usize, String)>,
}

impl Counted {
    fn add(&mut self, other: &Counted) {
        self.n += other.n;
        if other.first < self.first {
            self.first = other.first;
            self.written.clone_from(&other.written);
        }
    }
}

/// The functions of a module that may refer to another application, by
/// name and arity, and what their tokens tell.
type Candidates<'p> = HashMap<(&'p str, u32), Scan, foldhash::fast::FixedState>;

/// Preprocessor directives: a function's range holding one may differ from
/// what the parse sees.
const DIRECTIVES: &[&str] = &[
    "ifdef",
    "ifndef",
    "else",
    "endif",
    "elif",
    "undef",
    "define",
    "include",
    "include_lib",
    "error",
    "warning",
];

/// The functions of `m` (name, arity) that may refer to a module of
/// another application: those whose text names a project module of
/// another application, and, when a macro visible in the module names one,
/// those that use a macro. A reference is an atom in the code or in a macro
/// body, so the other functions need no parse (the rule's main cost). For
/// each, whether its tokens alone give its references exactly (most
/// plain `m:f(` calls), so that only the function holding an app's first
/// reference needs a parse.
/// `owner` is the application an atom stands for when it matters, and
/// `elsewhere` whether it matters.
fn candidates<'p>(
    cx: &Context<'p>,
    m: &ModuleSource,
    macro_atoms: &Bodies,
    owner: &dyn Fn(&str) -> Option<String>,
    elsewhere: &dyn Fn(&str) -> bool,
) -> Candidates<'p> {
    let mut out = Candidates::default();
    // What the walk reads: the module the name resolves to.
    let Some(code) = cx.code.module(&m.name) else {
        return Candidates::default();
    };
    let macros_refer = code.macros.defines().any(|d| {
        macro_atoms
            .get(d)
            .is_some_and(|i| i.atoms.iter().any(|a| elsewhere(a)))
    });
    // An atom matters when it is a module of another application.
    let mut macros = MacroReader::new(&code.macros, macro_atoms, owner);
    let text = &code.index.file.text;
    // Without a macro, a reference is an atom of another application's
    // module just before a colon: the index has those of each function.
    let called_elsewhere = code.index.remote_mask(elsewhere);
    let mut tokens = Vec::new();
    // The tokens that are atoms of another app's module, by index: the
    // scan looks up only those again.
    let mut hits = Vec::new();
    for entry in &code.index.functions {
        let body = text.get(entry.range()).unwrap_or("");
        let mut uses_macro = false;
        hits.clear();
        // Most entries that use a macro use only plain, argument-safe ones
        // (logging, `?MODULE`, records' helpers): without an atom of
        // another app in module position, their tokens could only say
        // there is no reference, so they are not read.
        if entry.calls().may_call(called_elsewhere)
            && (entry.call_modules & called_elsewhere != 0 || !only_plain_macros(body, &mut macros))
        {
            tokens.clear();
            tokenize_into(body, &mut tokens);
            for (i, t) in tokens.iter().enumerate() {
                let hit = match t.kind {
                    TokenKind::Atom => elsewhere(t.text(body)),
                    TokenKind::QuotedAtom => elsewhere(&atom_value(t.text(body))),
                    TokenKind::Question | TokenKind::DoubleQuestion => {
                        uses_macro = true;
                        false
                    }
                    _ => false,
                };
                if hit {
                    hits.push(i);
                }
            }
        }
        let names_elsewhere = !hits.is_empty();
        // A function whose other entries refer keeps them: one that does
        // not adds nothing to them.
        if !(names_elsewhere || (uses_macro && macros_refer)) {
            continue;
        }
        let scan = scan_tokens(
            &tokens,
            body,
            entry.range().start,
            &hits,
            owner,
            &mut macros,
        );
        match out.get_mut(&(entry.name(), entry.arity)) {
            None => {
                out.insert((entry.name(), entry.arity), scan);
            }
            Some(merged) => match (merged, scan) {
                (Scan::Tokens(a), Scan::Tokens(b)) => {
                    for (app, c) in b {
                        match a.get_mut(&app) {
                            Some(e) => e.add(&c),
                            None => {
                                a.insert(app, c);
                            }
                        }
                    }
                }
                (merged, _) => *merged = Scan::Parse,
            },
        }
    }
    out
}

/// Whether the tokens of `body` (a function entry whose atoms in module
/// position are no other app's module) could only tell [`scan_tokens`]
/// that it has no reference, told from its bytes: every `?` is followed
/// by the name of a plain, argument-safe macro (their expansion and
/// arguments add none), and it holds no preprocessor line nor `maybe`
/// (for which [`scan_tokens`] has it parsed). Anything unusual (`??`, `?=`,
/// a quoted or spaced name, a `?` in a string) answers no, and the tokens
/// are read as before.
fn only_plain_macros(body: &str, macros: &mut MacroReader<'_>) -> bool {
    let bytes = body.as_bytes();
    let name_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'@' || b >= 0x80))
            .unwrap_or(bytes.len() - from)
    };
    if memchr::memmem::find(bytes, b"maybe").is_some() {
        return false;
    }
    // `-` then an atom naming a directive (or `if`), white space and
    // comments between: any `-`, those in `->` and strings included.
    for minus in memchr::memchr_iter(b'-', bytes) {
        let mut i = minus + 1;
        loop {
            match bytes.get(i) {
                Some(&b) if b <= b' ' => i += 1,
                Some(b'%') => i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n),
                _ => break,
            }
        }
        if bytes.get(i).is_some_and(|b| b.is_ascii_lowercase()) {
            let name = &body[i..name_end(i)];
            if name == "if" || DIRECTIVES.contains(&name) {
                return false;
            }
        }
    }
    for question in memchr::memchr_iter(b'?', bytes) {
        let start = question + 1;
        if !bytes
            .get(start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return false;
        }
        let end = name_end(start);
        if !bytes[start..end].is_ascii() {
            return false;
        }
        let u = macros.plain(&body[start..end]);
        if !(u.plain && u.arg_safe && !u.ends_with_param) {
            return false;
        }
    }
    true
}

/// The references of one function entry from its tokens, or `Scan::Parse`
/// when the tokens may not say what the AST would. `hits` are the indices
/// (ascending) of the tokens that are atoms of another app's module.
fn scan_tokens(
    tokens: &[Token],
    body: &str,
    base: usize,
    hits: &[usize],
    owner: &dyn Fn(&str) -> Option<String>,
    macros: &mut MacroReader<'_>,
) -> Scan {
    let names_elsewhere = !hits.is_empty();
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let mut found: HashMap<String, Counted> = HashMap::new();
    let count = |found: &mut HashMap<String, Counted>,
                 app: &str,
                 at: usize,
                 written: Option<(usize, String)>| {
        let c = Counted {
            n: 1,
            first: at,
            written,
        };
        match found.get_mut(app) {
            Some(e) => e.add(&c),
            None => {
                found.insert(app.to_owned(), c);
            }
        }
    };
    // The tokens of the outermost macro arguments seen so far (from the
    // `(` to its `)`): no atom of another app may be in them.
    let mut args = 0..0;
    // The end of the macro arguments seen so far, of any macro.
    let mut in_macro_args = 0;
    // Expansions counted, nested ones included: the AST's expansion stops
    // at a bound far above this one.
    let mut expansions = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::DoubleQuestion => return Scan::Parse,
            TokenKind::Question => {
                let Some(call) = MacroCall::at(tokens, body, i) else {
                    return Scan::Parse;
                };
                let (name, with_args) = (&call.name, call.open.is_some());
                let mut u = macros.plain(name);
                if !u.plain {
                    // Its expansion may hold references: countable when
                    // the tokens of its definitions' bodies tell which.
                    let arity = match with_args {
                        true => match arg_count(tokens, body, i + 2) {
                            Some(n) => Some(n),
                            None => return Scan::Parse,
                        },
                        false => None,
                    };
                    // `?PRIM_FILE:open(...)`, `fun ?M:f/1`: a macro that is
                    // always one atom is the module of a call written
                    // plainly, as the AST has it once expanded.
                    if !with_args && call.in_module_position(tokens) {
                        if let Some(module) = macros.atom_macro(name) {
                            if let Some(app) = owner(module) {
                                // In another macro's arguments, which may
                                // drop or repeat it.
                                if in_macro_args > i {
                                    return Scan::Parse;
                                }
                                // Offsets grow along the tokens: only an
                                // app's first needs its text.
                                let first = !found.contains_key(&app);
                                let Some((at, written)) =
                                    remote_reference(tokens, body, base, i, i + 2, module, first)
                                else {
                                    return Scan::Parse;
                                };
                                expansions += 1;
                                if expansions > MAX_COUNTED_EXPANSIONS {
                                    return Scan::Parse;
                                }
                                count(&mut found, &app, at, written);
                            }
                            continue;
                        }
                    }
                    let Some(x) = macros.expansion(name, arity) else {
                        return Scan::Parse;
                    };
                    // In module position, or in the arguments of another
                    // macro (which may drop or repeat them), the AST may
                    // hold other references than the expansion's.
                    if call.in_module_position(tokens) || (!x.refs.is_empty() && in_macro_args > i)
                    {
                        return Scan::Parse;
                    }
                    expansions += x.size;
                    if expansions > MAX_COUNTED_EXPANSIONS {
                        return Scan::Parse;
                    }
                    let at = base + t.start as usize;
                    for app in &x.refs {
                        count(&mut found, app, at, None);
                    }
                    u = MacroUse {
                        plain: true,
                        arg_safe: x.arg_safe,
                        ends_with_param: false,
                    };
                }
                if with_args {
                    // Up to where a macro with references may not be.
                    let end = call.end(tokens).unwrap_or(tokens.len());
                    in_macro_args = in_macro_args.max(end);
                }
                // With arguments, the body may place (or repeat, or drop)
                // an atom of the arguments in module position. When no
                // argument holds an atom of another app (checked at each
                // atom below) and no definition may put a parameter in
                // module position (one ending with a parameter does only
                // when the call is followed by `:`), every reference is
                // outside the arguments, written once where the tokens see
                // it. Without any such atom in the function there is
                // nothing to count.
                if with_args && names_elsewhere {
                    if !u.arg_safe || (u.ends_with_param && call.in_module_position(tokens)) {
                        return Scan::Parse;
                    }
                    // A call in the arguments of another was checked with them.
                    if !args.contains(&i) {
                        match plain_args(tokens, body, i + 2) {
                            Some(end) => args = i + 2..end,
                            None => return Scan::Parse,
                        }
                    }
                }
            }
            TokenKind::Minus => {
                if let Some(n) = tokens.get(i + 1) {
                    if n.kind == TokenKind::Atom
                        && (n.keyword == Keyword::If || DIRECTIVES.contains(&n.text(body)))
                    {
                        return Scan::Parse;
                    }
                }
            }
            // The grammar may not parse a `maybe` block (or a function so
            // named) whole, and what it drops the AST does not count.
            TokenKind::Atom if t.keyword == Keyword::Maybe => return Scan::Parse,
            TokenKind::Atom | TokenKind::QuotedAtom => {
                // Only those found to be another app's module can refer.
                if hits.binary_search(&i).is_err() {
                    continue;
                }
                let Some(name) = t.atom_str(body) else {
                    continue;
                };
                let Some(app) = owner(&name) else {
                    continue;
                };
                if args.contains(&i) {
                    return Scan::Parse;
                }
                let prev = i.checked_sub(1).and_then(|j| tokens.get(j));
                // A macro's name (`?name`): plain, checked above.
                if prev.is_some_and(|p| p.kind == TokenKind::Question) {
                    continue;
                }
                if kind(i + 1) != Some(TokenKind::Colon) {
                    // Not in module position: an argument, a tuple element.
                    continue;
                }
                let first = !found.contains_key(&app);
                let Some((at, written)) =
                    remote_reference(tokens, body, base, i, i + 1, &name, first)
                else {
                    return Scan::Parse;
                };
                count(&mut found, &app, at, written);
            }
            _ => {}
        }
    }
    Scan::Tokens(found)
}

/// A reference written `m:f(...)` or `fun m:f/N`, its module `module`
/// written from the token at `start` (an atom, or a macro's `?`) to the
/// `:` at `colon`: where the AST's node starts, and its end and text as the
/// AST prints them when the tokens give them. `None` when it is not
/// written so (`m:F(`, `x:m:f(`, `m:f` alone), which the tokens cannot
/// count. The end and text only when `written` asks for them: a later
/// reference to the same app is never its first.
fn remote_reference(
    tokens: &[Token],
    body: &str,
    base: usize,
    start: usize,
    colon: usize,
    module: &str,
    written: bool,
) -> Option<(usize, Option<(usize, String)>)> {
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let prev = start.checked_sub(1).and_then(|j| tokens.get(j));
    if prev.is_some_and(|p| p.kind == TokenKind::Colon)
        || !matches!(
            kind(colon + 1),
            Some(TokenKind::Atom | TokenKind::QuotedAtom)
        )
    {
        return None;
    }
    let after_fun = prev.is_some_and(|p| p.kind == TokenKind::Atom && p.keyword == Keyword::Fun);
    let call = match kind(colon + 2) {
        Some(TokenKind::OpenParen) => !after_fun,
        Some(TokenKind::Slash) => after_fun,
        _ => false,
    };
    if !call {
        return None;
    }
    // Where the AST's node starts: a fun reference at `fun` (the first
    // reference's offset is checked against the parse, which otherwise
    // disagrees and costs another).
    let at = base + prev.filter(|_| after_fun).unwrap_or(&tokens[start]).start as usize;
    if !written {
        return Some((at, None));
    }
    let function = tokens[colon + 1].atom(body)?;
    let written = if after_fun {
        // `fun m:f/N`: the arity as the AST prints it.
        tokens
            .get(colon + 3)
            .filter(|a| a.kind == TokenKind::Integer)
            .and_then(|a| Some((a.end, a.text(body).parse::<u32>().ok()?)))
            .map(|(end, arity)| {
                (
                    base + end as usize,
                    format!("`fun {module}:{function}/{arity}`"),
                )
            })
    } else {
        call_args(tokens, colon + 2).map(|CallArgs { close, arity }| {
            (
                base + tokens[close].end as usize,
                format!("`{module}:{function}/{arity}`"),
            )
        })
    };
    Some((at, written))
}

/// One function's references to an app found by tokens: the offset of the
/// first, the function, how many, and the first one's end and text when
/// its tokens give them.
type TokenRefs = (usize, (String, u32), usize, Option<(usize, String)>);

/// A module's references to each application its own does not list:
/// the first, and how many there are.
fn check_module(
    cx: &Context<'_>,
    m: &ModuleSource,
    macro_atoms: &Bodies,
    apps: &ModuleApps<'_>,
) -> Vec<(Reference, usize)> {
    let Some(app) = m.app.as_deref().and_then(|a| cx.project.app(a)) else {
        return Vec::new();
    };
    // A few names: looked through, not hashed.
    let declared: Vec<&str> = app
        .applications
        .iter()
        .chain(&app.included_applications)
        .chain(&app.optional_applications)
        .map(|r| r.name.as_str())
        .collect();
    // Asked of every atom of every candidate: no allocation for a yes.
    let elsewhere = |module: &str| -> Option<&str> {
        let b = apps.get(module)?;
        (b != app.name && !declared.contains(&b)).then_some(b)
    };
    let owner = |module: &str| elsewhere(module).map(str::to_owned);
    // Per missing app: the first reference and how many there are.
    let mut refs: BTreeMap<String, (Reference, usize)> = BTreeMap::new();
    let mut add = |r: Reference, n: usize| match refs.get_mut(&r.app) {
        Some((first, count)) => {
            *count += n;
            if r.span.start < first.span.start {
                *first = r;
            }
        }
        None => {
            refs.insert(r.app.clone(), (r, n));
        }
    };
    for b in m.index.compiled_behaviours(&m.macros, cx.build.defines()) {
        if let Some(target_app) = owner(&b.name) {
            add(
                Reference {
                    span: b.span,
                    target: format!("behaviour `{}`", b.name),
                    app: target_app,
                },
                1,
            );
        }
    }
    let candidates = candidates(cx, m, macro_atoms, &owner, &|a| elsewhere(a).is_some());
    // References found by tokens, per app: per function, where its first
    // is and how many it has.
    let mut by_tokens: BTreeMap<String, Vec<TokenRefs>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for entry in &m.index.functions {
        let Some(scan) = candidates.get(&(entry.name(), entry.arity)) else {
            continue;
        };
        if !seen.insert((entry.name(), entry.arity)) {
            continue;
        }
        let key = (entry.name().to_owned(), entry.arity);
        match scan {
            Scan::Parse => {
                for r in references(cx, m, &key, &owner) {
                    add(r, 1);
                }
            }
            Scan::Tokens(found) => {
                for (target_app, c) in found {
                    by_tokens.entry(target_app.clone()).or_default().push((
                        c.first,
                        key.clone(),
                        c.n,
                        c.written.clone(),
                    ));
                }
            }
        }
    }
    // The first reference's span and text come from its tokens when it is
    // written as a plain call or fun reference; from the AST of its
    // function when a macro made it. That parse also checks the tokens:
    // when it disagrees (a function the grammar cannot parse whole), its
    // AST's references count instead and the next function is tried.
    let mut parsed: HashMap<(String, u32), Vec<Reference>> = HashMap::new();
    for (target_app, mut fns) in by_tokens {
        fns.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut rest: usize = fns.iter().map(|f| f.2).sum();
        for (at, key, n, written) in fns {
            if let Some((end, target)) = written {
                // Placed when it makes the finding.
                let span = Span::new(at, end, 0, 0);
                add(
                    Reference {
                        span,
                        target,
                        app: target_app.clone(),
                    },
                    rest,
                );
                break;
            }
            let rs = parsed
                .entry(key.clone())
                .or_insert_with(|| references(cx, m, &key, &owner));
            let mine: Vec<&Reference> = rs.iter().filter(|r| r.app == target_app).collect();
            let first = mine.iter().min_by_key(|r| r.span.start);
            if mine.len() == n && first.is_some_and(|r| r.span.start as usize == at) {
                if let Some(r) = first {
                    add((*r).clone(), rest);
                }
                break;
            }
            rest -= n;
            for r in mine {
                add(r.clone(), 1);
            }
        }
    }
    refs.into_values().collect()
}

/// The references of one function, from its parsed and expanded AST.
fn references(
    cx: &Context<'_>,
    m: &ModuleSource,
    (name, arity): &(String, u32),
    owner: &dyn Fn(&str) -> Option<String>,
) -> Vec<Reference> {
    let mut out = Vec::new();
    let Some(f) = cx.code.function_once(&Mfa::new(&m.name, name, *arity)) else {
        return out;
    };
    walk_function(&f.function, &mut |e, _| {
        // `m:f(..)` or `fun m:f/N`, its arity as the AST has it.
        let (module, function, fun, arity) = match &e.kind {
            ExprKind::Call {
                module: Some(module),
                function,
                args,
            } => (module, function, false, i128::try_from(args.len()).ok()),
            ExprKind::FunRef {
                module: Some(module),
                function,
                arity,
            } => (module, function, true, arity.as_integer()),
            _ => return Walk::Continue,
        };
        let (Some(md), Some(f)) = (module.as_atom(), function.as_atom()) else {
            return Walk::Continue;
        };
        // The text only for a reference that counts: most calls of a
        // parsed function are to the module's own app or listed ones.
        if let Some(target_app) = owner(md) {
            let arity = arity.map_or("_".to_owned(), |a| a.to_string());
            let fun = if fun { "fun " } else { "" };
            out.push(Reference {
                span: e.span,
                target: format!("`{fun}{md}:{f}/{arity}`"),
                app: target_app,
            });
        }
        Walk::Continue
    });
    out
}

fn finding(cx: &Context<'_>, app: &App, pair: Pair<'_>) -> Finding {
    let (m, r) = &pair.first;
    let cycle = depends_on(cx, &r.app, &app.name);
    let message = if cycle {
        format!(
            "`{}` (application `{}`) uses {} of application `{}`, but `{}` depends on `{}`: \
             the call goes against the dependency",
            m.name, app.name, r.target, r.app, r.app, app.name
        )
    } else {
        format!(
            "`{}` (application `{}`) uses {} of application `{}`, which `{}` does not list in \
             `applications`",
            m.name, app.name, r.target, r.app, app.name
        )
    };
    let mut f = Finding::new(&RULE, &m.index.file, r.placed(&m.index.file), message);
    f.subject = Some(format!("{} -> {}", app.name, r.app));
    f.fix = Some(if cycle {
        format!(
            "move this code into `{}` (or into an application both depend on), or have `{}` \
             pass it in (a callback module, a fun): listing `{}` in `applications` of `{}` \
             would make the two depend on each other, and no release can boot them",
            r.app, r.app, r.app, app.name
        )
    } else if app.resource == crate::model::ResourceKind::MixExs {
        // Mix writes `applications` from `deps` and `extra_applications`.
        format!(
            "add `{}` to `deps` in {} (`in_umbrella: true` for an application of the umbrella), \
             or to `extra_applications` (`included_applications` when `{}` starts it itself)",
            r.app, app.file, app.name
        )
    } else {
        format!(
            "add `{}` to `applications` in {} (or to `included_applications` / \
             `optional_applications`)",
            r.app, app.file
        )
    });
    if pair.uses > 1 {
        let more = pair.uses - 1;
        let uses = if more == 1 { "use" } else { "uses" };
        let others = pair.modules.len().saturating_sub(1);
        f.notes.push(if others == 0 {
            format!("{more} more {uses} of `{}` in this module", r.app)
        } else {
            let mut names: Vec<&str> = pair
                .modules
                .iter()
                .map(String::as_str)
                .filter(|n| *n != m.name)
                .take(5)
                .collect();
            if others > 5 {
                names.push("...");
            }
            format!(
                "{more} more {uses} of `{}` by `{}`, in this module and {others} other{} ({})",
                r.app,
                app.name,
                if others == 1 { "" } else { "s" },
                names.join(", ")
            )
        });
    }
    if !cycle {
        if let Some(via) = started_via(cx, app, &r.app) {
            f.notes.push(format!(
                "`{}` is started before `{}` only because `{via}` depends on it",
                r.app, app.name
            ));
        }
    }
    f
}

/// Whether application `from` depends on `to`, directly or through other
/// applications of the project.
fn depends_on(cx: &Context<'_>, from: &str, to: &str) -> bool {
    let mut stack = vec![from];
    let mut seen: HashSet<&str> = HashSet::new();
    while let Some(a) = stack.pop() {
        if !seen.insert(a) {
            continue;
        }
        let Some(x) = cx.project.app(a) else {
            continue;
        };
        for next in x.application_names() {
            if next == to {
                return true;
            }
            stack.push(next);
        }
    }
    false
}

/// A listed application through which `target` is a transitive dependency.
fn started_via(cx: &Context<'_>, app: &App, target: &str) -> Option<String> {
    for direct in app.application_names() {
        let mut stack = vec![direct];
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(a) = stack.pop() {
            if !seen.insert(a) {
                continue;
            }
            if a == target {
                return Some(direct.to_owned());
            }
            if let Some(x) = cx.project.app(a) {
                stack.extend(x.application_names());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::TestLint;
    use crate::load::{load, LoadOptions};
    use crate::model::Project;

    /// An umbrella: app `web`, listing only kernel and stdlib, whose module
    /// `web_orders` is `code`; app `store` with module `store_orders`.
    fn umbrella(code: &str) -> (tempfile::TempDir, Project) {
        umbrella_with(code, &[])
    }

    /// [`umbrella`] with more files, by path.
    fn umbrella_with(code: &str, more: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "apps/web/src/web.app.src",
            "{application, web, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
        );
        write("apps/web/src/web_orders.erl", code);
        write(
            "apps/store/src/store.app.src",
            "{application, store, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
        );
        write(
            "apps/store/src/store_orders.erl",
            "-module(store_orders).\n-export([f/0]).\nf() -> ok.\n",
        );
        for (path, text) in more {
            write(path, text);
        }
        let project = load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, project)
    }

    /// What the rule makes of `web_orders`.
    struct Outcome {
        /// The rule's findings: line, column, message, notes.
        findings: Vec<(u32, u32, String, Vec<String>)>,
        /// Per function that may refer to `store`: how many references the
        /// tokens count, or `None` when the function is parsed.
        decisions: BTreeMap<String, Option<usize>>,
        /// What parsing every function gives: how many references to
        /// `store`, and the line and column of the first.
        parsed: (usize, Option<(u32, u32)>),
    }

    fn outcome(code: &str) -> Outcome {
        let (_dir, project) = umbrella(code);
        let lint = TestLint::new(&project);
        let cx = lint.cx();
        let code = &cx.code;
        let mut found = Vec::new();
        check(&cx, &mut found);
        let findings = found
            .iter()
            .map(|f| (f.line, f.column, f.message.clone(), f.notes.clone()))
            .collect();
        let m = code.module("web_orders").unwrap();
        // As `check_module` has it for `web`, which lists neither app.
        let owner = |module: &str| -> Option<String> {
            let b = code.module(module)?.app.as_deref()?;
            (b != "web" && b != "kernel" && b != "stdlib").then(|| b.to_owned())
        };
        let scans = candidates(&cx, m, &macro_atoms(&cx, &module_apps(&cx)), &owner, &|a| {
            owner(a).is_some()
        });
        let mut all = Vec::new();
        let mut seen = HashSet::new();
        for e in &m.index.functions {
            if seen.insert((e.name(), e.arity)) {
                let key = (e.name().to_owned(), e.arity);
                let refs = references(&cx, m, &key, &owner);
                // Counted by tokens: as many as the parse finds, the first
                // at the same offset.
                if let Some(Scan::Tokens(found)) = scans.get(&(e.name(), e.arity)) {
                    let first = refs.iter().map(|r| r.span.start as usize).min();
                    let want = first.map(|at| (refs.len(), at));
                    assert_eq!(
                        found.get("store").map(|c| (c.n, c.first)),
                        want,
                        "{}/{}",
                        e.name(),
                        e.arity
                    );
                }
                all.extend(refs);
            }
        }
        let first = all.iter().min_by_key(|r| r.span.start);
        let parsed = (all.len(), first.map(|r| (r.span.line, r.span.column)));
        let decisions = scans
            .into_iter()
            .map(|((name, arity), scan)| {
                let n = match scan {
                    Scan::Parse => None,
                    Scan::Tokens(found) => Some(found.get("store").map_or(0, |f| f.n)),
                };
                (format!("{name}/{arity}"), n)
            })
            .collect();
        Outcome {
            findings,
            decisions,
            parsed,
        }
    }

    fn decisions(pairs: &[(&str, Option<usize>)]) -> BTreeMap<String, Option<usize>> {
        pairs.iter().map(|&(f, n)| (f.to_owned(), n)).collect()
    }

    /// The finding agrees with what a parse of every function gives.
    fn agrees_with_parse(o: &Outcome) {
        let (n, Some((line, column))) = o.parsed else {
            panic!("no reference parsed");
        };
        assert_eq!(o.findings.len(), 1);
        let (l, c, _, notes) = &o.findings[0];
        assert_eq!((*l, *c), (line, column));
        let more = match n {
            1 => None,
            2 => Some("1 more use of `store` in this module".to_owned()),
            n => Some(format!("{} more uses of `store` in this module", n - 1)),
        };
        assert_eq!(notes.first(), more.as_ref());
    }

    /// A logging macro with plain arguments beside another app's call: the
    /// tokens count, and say what the parse says.
    #[test]
    fn log_macro_with_plain_args_is_counted_by_tokens() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([create/1, other/1]).\n\
             -define(LOG(Fmt, Args), logger:info(\"[web] \" ++ Fmt, Args)).\n\
             create(Order) ->\n\
             \x20   ?LOG(\"creating ~p\", [Order]),\n\
             \x20   store_orders:f(),\n\
             \x20   ?LOG(\"empty topic\", []),\n\
             \x20   ?LOG(\"store_orders:f() in a string\", [{?MODULE, ?LINE}]),\n\
             \x20   fun store_orders:f/0.\n\
             other(X) -> ?LOG(\"x\", [X]), lists:foreach(fun store_orders:f/0, X).\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[("create/1", Some(2)), ("other/1", Some(1))])
        );
        assert_eq!(o.parsed, (3, Some((6, 5))));
        assert_eq!(
            o.findings[0].2,
            "`web_orders` (application `web`) uses `store_orders:f/0` of application `store`, \
             which `web` does not list in `applications`"
        );
        assert_eq!(o.findings[0].3, ["2 more uses of `store` in this module"]);
        agrees_with_parse(&o);
    }

    /// A parameter in module position: the argument is a reference, found
    /// by the parse.
    #[test]
    fn macro_param_in_module_position_is_parsed() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([start/0, local/0]).\n\
             -define(CALL(M), M:go()).\n\
             start() -> ?CALL(store_orders).\n\
             local() -> ?CALL(web_orders), store_orders:f().\n",
        );
        // `local/0`: no atom of `store` in the arguments, but `CALL` may put
        // one in module position.
        assert_eq!(
            o.decisions,
            decisions(&[("start/0", None), ("local/0", None)])
        );
        assert_eq!(o.parsed, (2, Some((4, 12))));
        assert_eq!(o.findings.len(), 1);
        assert!(o.findings[0].2.contains("uses `store_orders:go/0`"));
        assert_eq!(o.findings[0].3, ["1 more use of `store` in this module"]);
        agrees_with_parse(&o);
    }

    /// A parameter that ends the body: a call site followed by `:` puts
    /// it in module position, and is parsed; another is counted.
    #[test]
    fn macro_param_ending_the_body_is_argument_safe_unless_called() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([start/0, call/0]).\n\
             -define(ID(X), X).\n\
             -define(VIA(X), ?ID(X)).\n\
             start() -> ?ID(web_orders), store_orders:f().\n\
             call() -> ?ID(web_orders):g(), ?VIA(web_orders), store_orders:f().\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[("start/0", Some(1)), ("call/0", None)])
        );
        assert_eq!(o.parsed, (2, Some((5, 29))));
        agrees_with_parse(&o);
    }

    /// A macro calling a local function named as another app's module:
    /// the name is no reference, and the tokens count.
    #[test]
    fn local_call_named_as_a_module_is_counted_by_tokens() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([a/0]).\n\
             -define(LOG(F), store_orders(F)).\n\
             a() -> ?LOG(1), store_orders:f().\n\
             store_orders(X) -> X.\n",
        );
        assert_eq!(o.decisions, decisions(&[("a/0", Some(1))]));
        assert_eq!(o.parsed, (1, Some((4, 17))));
        agrees_with_parse(&o);
    }

    /// A repeated argument holding a reference counts twice, as the parse
    /// has it.
    #[test]
    fn repeated_argument_counts_as_the_parse_does() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([pair/0]).\n\
             -define(TWICE(X), {X, X}).\n\
             pair() -> ?TWICE(store_orders:f()).\n",
        );
        assert_eq!(o.decisions, decisions(&[("pair/0", None)]));
        assert_eq!(o.parsed, (2, Some((4, 18))));
        assert_eq!(o.findings[0].3, ["1 more use of `store` in this module"]);
        agrees_with_parse(&o);
    }

    /// Arguments the grammar might not read as written, or holding an atom
    /// of another app anywhere, or a macro that is not plain: parsed.
    #[test]
    fn unusual_arguments_are_parsed() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([a/0, b/0, c/0, d/0, e/0]).\n\
             -define(LOG(Fmt, Args), logger:info(Fmt, Args)).\n\
             -define(REMOTE, store_orders:f()).\n\
             a() -> ?LOG(\"~p\", [fun() -> ok end]), store_orders:f().\n\
             b() -> ?LOG(\"~p\", [store_orders]), store_orders:f().\n\
             c() -> ?LOG(\"~p\", [?REMOTE]), store_orders:f().\n\
             d() -> ?LOG(\"~p\", [X || X <- [1]]), store_orders:f().\n\
             e() -> ?LOG(\"~p\", [case 1 of _ -> 2 end]), store_orders:f().\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[
                ("a/0", None),
                ("b/0", None),
                ("c/0", None),
                ("d/0", Some(1)),
                ("e/0", None),
            ])
        );
        assert_eq!(o.parsed, (6, Some((5, 39))));
        assert_eq!(o.findings[0].3, ["5 more uses of `store` in this module"]);
        agrees_with_parse(&o);
    }

    /// A macro whose body calls another app is counted by tokens at each
    /// use, nested macros and undefined ones included, as the expansion
    /// has it.
    #[test]
    fn macros_with_references_are_counted_by_tokens() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([one/0, nested/1, undefined/0]).\n\
             -define(PUT(X), store_orders:f(X)).\n\
             -define(TWICE(X), {?PUT(X), ?PUT(a)}).\n\
             one() -> ?PUT(1).\n\
             nested(X) -> ?TWICE(X), ?PUT(2).\n\
             undefined() -> ?NOT_DEFINED(1), ok.\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[
                ("one/0", Some(1)),
                ("nested/1", Some(3)),
                ("undefined/0", Some(0))
            ])
        );
        assert_eq!(o.parsed, (4, Some((5, 10))));
        agrees_with_parse(&o);
    }

    /// A macro using only plain macros is plain (a logging macro over
    /// another, with `?MODULE` and `?LINE`); one passing its parameter to
    /// a macro that may put it in module position is not argument-safe,
    /// and one that uses itself is not plain.
    #[test]
    fn macros_over_plain_macros_are_plain() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([a/1, b/0, c/0]).\n\
             -define(LOG(F, A), io:format(\"~p:~p \" F, [?MODULE, ?LINE | A])).\n\
             -define(DBG(F, A), ?LOG(F, A)).\n\
             -define(CALL(M), M:go()).\n\
             -define(VIA(M), ?CALL(M)).\n\
             -define(LOOP(X), [X | ?LOOP(X)]).\n\
             a(X) -> ?DBG(\"~p\", [X]), store_orders:f().\n\
             b() -> ?VIA(web_orders), store_orders:f().\n\
             c() -> ?LOOP(1), store_orders:f().\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[("a/1", Some(1)), ("b/0", None), ("c/0", None)])
        );
        assert_eq!(o.parsed, (3, Some((8, 26))));
        agrees_with_parse(&o);
    }

    /// Inside its own expansion a macro is left unexpanded, and the token
    /// reader parses instead; a macro of the same name and another arity
    /// is another macro (epp keys on both) and is expanded.
    #[test]
    fn a_macro_within_itself_is_parsed() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([one/0, two/0, three/0]).\n\
             -define(R(X), store_orders:f(X)).\n\
             -define(R(X, Y), ?R(X)).\n\
             -define(L(X), [store_orders:f(X) | ?L(X)]).\n\
             one() -> ?R(1).\n\
             two() -> ?R(1, 2).\n\
             three() -> ?L(1).\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[("one/0", Some(1)), ("two/0", Some(1)), ("three/0", None)])
        );
        agrees_with_parse(&o);
    }

    /// Where the tokens cannot tell what the expansion holds, the function
    /// is parsed: a macro with references in another macro's arguments (it
    /// may drop or repeat them), in module position, or whose body names
    /// another app's module outside a call.
    #[test]
    fn macros_the_tokens_cannot_count_are_parsed() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([in_args/0, module/0, loose/0]).\n\
             -define(PUT(X), store_orders:f(X)).\n\
             -define(ID(X), X).\n\
             -define(MOD, store_orders).\n\
             in_args() -> ?ID(?PUT(1)).\n\
             module() -> ?FUNCTION_NAME:f().\n\
             loose() -> {?MOD, f}.\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[("in_args/0", None), ("module/0", None), ("loose/0", None)])
        );
        assert_eq!(o.parsed, (1, Some((6, 18))));
        agrees_with_parse(&o);
    }

    /// A macro that is always one atom, in module position, is the module
    /// of a call the tokens count (`?PRIM_FILE:open(...)`); one with two
    /// definitions that may hold, or with a function that is not an atom,
    /// is parsed.
    #[test]
    fn atom_macros_in_module_position_are_counted_by_tokens() {
        let o = outcome(
            "-module(web_orders).\n\
             -export([calls/0, funs/0, alt/0, var_fun/1, in_args/0]).\n\
             -define(MOD, store_orders).\n\
             -ifdef(EXTRA).\n\
             -define(ALT, store_orders).\n\
             -else.\n\
             -define(ALT, other).\n\
             -endif.\n\
             -define(ID(X), X).\n\
             calls() -> ?MOD:f(), ?MOD:f().\n\
             funs() -> lists:map(fun ?MOD:f/0, []).\n\
             alt() -> ?ALT:f().\n\
             var_fun(F) -> ?MOD:F().\n\
             in_args() -> ?ID(?MOD:f()).\n",
        );
        assert_eq!(
            o.decisions,
            decisions(&[
                ("calls/0", Some(2)),
                ("funs/0", Some(1)),
                ("alt/0", None),
                ("var_fun/1", None),
                ("in_args/0", None)
            ])
        );
        assert_eq!(o.parsed, (4, Some((10, 12))));
        agrees_with_parse(&o);
        assert_eq!(
            o.findings[0].2,
            "`web_orders` (application `web`) uses `store_orders:f/0` of application `store`, \
             which `web` does not list in `applications`"
        );
    }

    /// The runtime system's modules are never a missing dependency: an
    /// application calling `erlang:` (of `erts` when OTP's own sources are
    /// the project) lists only what it really lacks.
    #[test]
    fn calls_into_the_runtime_system_are_not_missing() {
        let (_dir, project) = umbrella_with(
            "-module(web_orders).\n\
             -export([a/1]).\n\
             a(X) -> erlang:monitor(process, X), store_orders:f().\n",
            &[
                (
                    "apps/erts/src/erts.app.src",
                    "{application, erts, [{vsn, \"13\"}, {applications, []}]}.\n",
                ),
                (
                    "apps/erts/src/erlang.erl",
                    "-module(erlang).\n-export([monitor/2]).\nmonitor(_, _) -> make_ref().\n",
                ),
            ],
        );
        assert!(project.app("erts").is_some());
        let lint = TestLint::new(&project);
        let mut found = Vec::new();
        check(&lint.cx(), &mut found);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`web_orders` (application `web`) uses `store_orders:f/0` of application `store`, \
              which `web` does not list in `applications`"
            ]
        );
    }

    /// The first reference's span and text come from its tokens as the AST
    /// has them: the call's end after arguments holding blocks, funs and
    /// brackets with commas of their own, and a fun reference's arity.
    #[test]
    fn written_first_reference_is_the_ast_one() {
        for body in [
            "a(X) -> store_orders:f(fun(Y) -> Y, X end, case X of 1 -> a, b; _ -> c end,\n\
                 <<X, 1>>, [X, {X, X}], fun F(0) -> 0; F(N) -> F(N - 1) end, fun g/1), ok.\n",
            "a(X) -> X, store_orders:f().\n",
            "a(X) -> lists:map(fun store_orders:f/1, X).\n",
            "a(X) -> begin store_orders:f(begin X, X end) end.\n",
        ] {
            let text = format!("-module(web_orders).\n-export([a/1]).\n{body}");
            let (_dir, project) = umbrella(&text);
            let lint = TestLint::new(&project);
            let cx = lint.cx();
            let code = &cx.code;
            let mut found = Vec::new();
            check(&cx, &mut found);
            let m = code.module("web_orders").unwrap();
            let owner = |module: &str| -> Option<String> {
                let b = code.module(module)?.app.as_deref()?;
                (b == "store").then(|| b.to_owned())
            };
            let parsed = references(&cx, m, &("a".to_owned(), 1), &owner);
            let r = parsed.iter().min_by_key(|r| r.span.start).unwrap();
            let (end_line, end_column) = m.index.file.position(r.span.end as usize);
            let f = &found[0];
            assert_eq!(
                (f.line, f.column, f.end_line, f.end_column),
                (r.span.line, r.span.column, end_line, end_column),
                "{body}"
            );
            assert!(
                f.message.contains(&format!("uses {} of", r.target)),
                "{}",
                f.message
            );
        }
    }

    /// What the bytes of an entry tell: only plain, argument-safe macros
    /// and nothing that makes the token reader parse; anything unusual
    /// has the tokens read.
    #[test]
    fn only_plain_macros_answers_no_when_unsure() {
        let (_dir, project) = umbrella(
            "-module(web_orders).\n\
             -define(LOG(F, A), io:format(F, A)).\n\
             -define(CALL(M), M:go()).\n\
             -define(REMOTE, store_orders:f()).\n\
             f() -> ok.\n",
        );
        let lint = TestLint::new(&project);
        let cx = lint.cx();
        let m = cx.code.module("web_orders").unwrap();
        let owner = |module: &str| (module == "store_orders").then(|| "store".to_owned());
        let apps = module_apps(&cx);
        let bodies = macro_atoms(&cx, &apps);
        let mut macros = MacroReader::new(&m.macros, &bodies, &owner);
        for (body, plain) in [
            ("f(X) -> ?LOG(\"~p\", [X]), ?MODULE:g(?LINE).", true),
            ("f(X) -> X - 1, [Y || Y <- X], X -- [].", true),
            ("f(X) -> ?CALL(X).", false),
            ("f() -> ?REMOTE.", false),
            ("f() -> ?UNDEFINED.", false),
            ("f() -> ??LOG.", false),
            ("f() -> ? LOG(\"\", []).", false),
            ("f() -> ?'LOG'(\"\", []).", false),
            ("f() -> \"what?\".", false),
            ("f() -> maybe ok end.", false),
            ("f() -> ok,\n-ifdef(X).\nok.", false),
            ("f() -> X = a - % comment\n endif, X.", false),
        ] {
            assert_eq!(only_plain_macros(body, &mut macros), plain, "{body}");
        }
    }
}
