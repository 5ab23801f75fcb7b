//! Quiet functions: those whose walk, and the walk of everything they may
//! call, can meet none of a set of modules, told from tokens alone.
//!
//! A walk of the call graph ([`super::walk_reachable_skipping`]) parses every
//! function it enters, and parsing is most of its cost. A rule that looks
//! for a few calls (`gen_tcp:connect`, `rpc:call`, ...), for `receive` and
//! for calls given a few atoms as their last argument (`infinity`) learns
//! nothing from a function whose tokens hold none of them and whose
//! callees are quiet too: the walk may skip it unparsed. The walk finds a
//! call's target from the atoms written at the call (`m:f(`, `f(`,
//! `fun m:f/1`, `apply(m, f, [...])`), so such a call always has the
//! module's and the function's atoms in module and function position in
//! the tokens of the function making it, or of a macro it uses (or a
//! macro in module or function position, or a macro's parameter there,
//! which count as loud).
//!
//! Macro calls are read with the one token-level macro reader
//! ([`crate::syntax::macro_tokens`]), the one `missing-app-dependency` uses.
//! The token graph is coarser than the walk's: callees by name, every
//! arity, every clause, every branch of conditional compilation. It only
//! ever keeps more functions than needed, never fewer.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::{Code, Mfa};
use crate::syntax::macro_tokens::MacroCall;
use crate::syntax::macros::PREDEFINED;
use crate::syntax::token::{tokenize_into, Keyword, Token, TokenKind};

/// A function by module and name (every arity), as the project's index
/// spells them.
type Node<'p> = (&'p str, &'p str);

/// A node compared by the addresses of its strings, not their text: the
/// graph's nodes are the project's own strings ([`node`] gives one pair
/// of them per name), and every edge of the graph is looked up.
#[derive(Debug, Clone, Copy)]
struct ByAddr<'p>(Node<'p>);

impl PartialEq for ByAddr<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0 .0, other.0 .0) && std::ptr::eq(self.0 .1, other.0 .1)
    }
}

impl Eq for ByAddr<'_> {}

impl std::hash::Hash for ByAddr<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0 .0.as_ptr().hash(state);
        self.0 .1.as_ptr().hash(state);
    }
}

/// Maps and sets of names: every token of every function reached is
/// looked up, so a fast hash.
type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type Set<K> = HashSet<K, foldhash::fast::FixedState>;

/// The quiet functions reachable from some roots.
#[derive(Debug, Default)]
pub(crate) struct Quiet<'p> {
    quiet: Set<Node<'p>>,
}

/// What a walk's visitor looks for, besides `receive`: what makes a
/// function loud.
#[derive(Debug, Default)]
pub(crate) struct Loud {
    /// Calls into these modules: per module, the functions (`None`: any).
    calls: Map<String, Option<Set<String>>>,
    /// Atoms that matter as the last argument of a call (`infinity`): a
    /// list, not a set, since every atom token of every function reached
    /// is checked and there are one or two of them, which a length check
    /// rules out without hashing the atom.
    last_arguments: Vec<String>,
}

impl Loud {
    /// Calls of `module:function` (any function when `None`) are loud.
    pub(crate) fn add_call(&mut self, module: &str, function: Option<&str>) {
        match (self.calls.get_mut(module), function) {
            (Some(None), _) => {}
            (Some(Some(fs)), Some(f)) => {
                fs.insert(f.to_owned());
            }
            (_, f) => {
                let fs = f.map(|f| Set::from_iter([f.to_owned()]));
                self.calls.insert(module.to_owned(), fs);
            }
        }
    }

    /// Calls whose last argument is the atom `atom` are loud.
    pub(crate) fn add_last_argument(&mut self, atom: &str) {
        if !self.last_arguments.iter().any(|a| a == atom) {
            self.last_arguments.push(atom.to_owned());
        }
    }

    /// Whether a call of `module:function` is loud.
    fn call(&self, module: &str, function: &str) -> bool {
        self.calls
            .get(module)
            .is_some_and(|fs| fs.as_ref().is_none_or(|fs| fs.contains(function)))
    }
}

impl<'p> Quiet<'p> {
    /// The functions reachable from `roots` whose walk cannot meet a loud
    /// call of `loud`, nor a `receive`, nor a call whose module or
    /// function is a macro that might be one. (A call whose module or
    /// function is a variable has no target for the walk.)
    pub(crate) fn new(code: &Code<'p>, roots: &[Mfa], loud: &Loud) -> Quiet<'p> {
        use rayon::prelude::*;
        let mut graph: Map<ByAddr<'p>, (bool, Vec<Node<'p>>)> = Map::default();
        // Every node ever put on a level, so that each is read once: a set,
        // not a sort of each level by name (which cost more than the
        // hashing).
        let mut seen: Set<ByAddr<'p>> = Set::default();
        let mut level: Vec<Node<'p>> = roots
            .iter()
            .filter_map(|r| node(code, &r.module, &r.function))
            .filter(|n| seen.insert(ByAddr(*n)))
            .collect();
        // Breadth first, one level at a time on rayon's threads: reading a
        // function's tokens is independent of the others, and the walk
        // waits for the whole graph (half a second of one thread on
        // OTP's lib). Each thread keeps its own macro cache.
        while !level.is_empty() {
            let read: Vec<(Node<'p>, (bool, Vec<Node<'p>>))> = level
                .par_iter()
                .with_max_len(crate::syntax::FILES_PER_JOB)
                .map_init(
                    || (Vec::new(), Map::default()),
                    |(tokens, macros), &n| (n, read_function(code, n, loud, tokens, macros)),
                )
                .collect();
            let mut next = Vec::new();
            for (n, r) in read {
                next.extend(r.1.iter().copied().filter(|c| seen.insert(ByAddr(*c))));
                graph.insert(ByAddr(n), r);
            }
            level = next;
        }
        // Loud spreads from callee to caller.
        let mut callers: Map<ByAddr<'p>, Vec<ByAddr<'p>>> = Map::default();
        for (n, (_, callees)) in &graph {
            for c in callees {
                callers.entry(ByAddr(*c)).or_default().push(*n);
            }
        }
        let mut loud: Set<ByAddr<'p>> = graph
            .iter()
            .filter(|(_, (l, _))| *l)
            .map(|(n, _)| *n)
            .collect();
        let mut work: Vec<ByAddr<'p>> = loud.iter().copied().collect();
        while let Some(n) = work.pop() {
            for &c in callers.get(&n).into_iter().flatten() {
                if loud.insert(c) {
                    work.push(c);
                }
            }
        }
        let quiet = graph
            .into_keys()
            .filter(|n| !loud.contains(n))
            .map(|n| n.0)
            .collect();
        Quiet { quiet }
    }

    /// Whether a walk may skip `mfa` and all it calls.
    pub(crate) fn is_quiet(&self, mfa: &Mfa) -> bool {
        self.quiet
            .contains(&(mfa.module.as_str(), mfa.function.as_str()))
    }
}

/// The node of `module:name` (every arity), named by the project's own
/// strings; `None` when the project does not define it (the walk does not
/// enter it).
fn node<'p>(code: &Code<'p>, module: &str, name: &str) -> Option<Node<'p>> {
    node_in(code.module(module)?, name)
}

/// [`node`] in module `m`, already looked up.
fn node_in<'p>(m: &'p crate::model::ModuleSource, name: &str) -> Option<Node<'p>> {
    let f = m.index.functions_named(name).next()?;
    Some((m.name.as_str(), f.name()))
}

/// What each macro of a module calls ([`macro_callees`]), by module, then
/// by macro name: looked up by the name as the tokens spell it, with no
/// owned copy unless it is new.
type MacroCache<'p> = Map<&'p str, Map<String, (bool, Vec<Callee<'p>>)>>;

/// A name a function's tokens may call: module and function, borrowed from
/// the text when they are written plainly.
type Callee<'t> = (Cow<'t, str>, Cow<'t, str>);

/// Whether the function `node` (every arity) may be loud by its own
/// tokens, and the project functions its tokens may call. A name the
/// project does not define is neither (the walk does not enter it).
/// `macros` keeps what each macro of a module calls, read once per module
/// (its uses are many: `?LOG_ERROR` in most functions of a module).
fn read_function<'p>(
    code: &Code<'p>,
    (module, name): Node<'p>,
    spec: &Loud,
    tokens: &mut Vec<Token>,
    macros: &mut MacroCache<'p>,
) -> (bool, Vec<Node<'p>>) {
    let Some(m) = code.module(module) else {
        return (false, Vec::new());
    };
    let text: &'p str = &m.index.file.text;
    let mut loud = false;
    let mut callees: Vec<Callee<'p>> = Vec::new();
    let is_module = |name: &str| code.module(name).is_some();
    let macros = macros.entry(module).or_default();
    for entry in m.index.functions_named(name) {
        let body = text.get(entry.range()).unwrap_or("");
        tokens.clear();
        tokenize_into(body, tokens);
        // The head's name is the function itself, not a call.
        let from = usize::from(!tokens.is_empty());
        loud |= read_tokens(
            &tokens[from..],
            body,
            module,
            spec,
            &is_module,
            &mut callees,
            None,
            &mut |macro_name, callees| {
                if !macros.contains_key(macro_name) {
                    let read = macro_callees(m, macro_name, spec, &is_module, &mut Vec::new());
                    macros.insert(macro_name.to_owned(), read);
                }
                let (l, cs) = &macros[macro_name];
                callees.extend(cs.iter().cloned());
                *l
            },
        );
    }
    // Each name once: a body calls the same few names many times. A set
    // of them, not a sort: comparing names costs more than hashing them.
    let mut seen: Set<(&str, &str)> = Set::default();
    seen.reserve(callees.len());
    let mut out: Vec<Node<'p>> = Vec::new();
    for (cm, cf) in &callees {
        let (cm, cf) = (cm.as_ref(), cf.as_ref());
        if !seen.insert((cm, cf)) {
            continue;
        }
        // A call the visitor looks for, also a local one in the module it
        // looks for (`connect(` in `gen_tcp`), or one a macro's atom may
        // name.
        loud |= spec.call(cm, cf);
        // A local call of a name the module does not define is an
        // auto-imported BIF, which the walk enters when the project has
        // `erlang.erl` (OTP's own sources do).
        let n = if cm == module {
            node_in(m, cf).or_else(|| node(code, "erlang", cf))
        } else {
            node(code, cm, cf)
        };
        out.extend(n);
    }
    // The same node from two spellings (`f(` and `erlang:f(` for a BIF):
    // the nodes are the project's own strings, so their addresses tell.
    out.sort_unstable_by_key(|(m, f)| (m.as_ptr(), f.as_ptr()));
    out.dedup_by_key(|(m, f)| (m.as_ptr(), f.as_ptr()));
    (loud, out)
}

/// Reads tokens of code (a function, or a macro's body with its
/// parameters `params`): true when they may be loud (a call the tokens
/// name is checked by the caller). The names they may call are added to
/// `callees`, also past a loud token: what a loud function calls may be
/// quiet, and the walk enters it. `macro_use` adds the names a macro's
/// bodies may call, and says whether it may be loud.
#[allow(clippy::too_many_arguments)]
fn read_tokens<'t>(
    tokens: &[Token],
    text: &'t str,
    module: &'t str,
    spec: &Loud,
    is_module: &dyn Fn(&str) -> bool,
    callees: &mut Vec<Callee<'t>>,
    params: Option<&[String]>,
    macro_use: &mut dyn FnMut(&str, &mut Vec<Callee<'t>>) -> bool,
) -> bool {
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let atom = |i: usize| tokens.get(i)?.atom_str(text);
    let mut loud = false;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Atom if t.keyword == Keyword::Receive => loud = true,
            TokenKind::DoubleQuestion => loud = true,
            TokenKind::Question => {
                let Some(call) = MacroCall::at(tokens, text, i) else {
                    loud = true;
                    continue;
                };
                let name = call.name.as_str();
                if name == "MODULE" {
                    // `?MODULE:f(`: a local call.
                    if kind(i + 2) == Some(TokenKind::Colon) {
                        if let (Some(f), Some(TokenKind::OpenParen | TokenKind::Slash)) =
                            (atom(i + 3), kind(i + 4))
                        {
                            callees.push((Cow::Borrowed(module), f));
                            continue;
                        }
                        loud = true;
                    }
                    continue;
                }
                if PREDEFINED.contains(&name) {
                    loud |= kind(i + 2) == Some(TokenKind::Colon);
                    continue;
                }
                // In module position (`?M:f(`, `?M(X):f(`): a module the
                // tokens do not name.
                loud |= call.in_module_position(tokens);
                loud |= macro_use(name, callees);
            }
            // In a macro's body, a parameter called or in module position
            // (`M:f(`, `M:F(`, not a binary segment's `X:8`): the atom the
            // call site gives is then the module or function called.
            TokenKind::Var
                if params.is_some_and(|ps| ps.iter().any(|p| p == t.text(text)))
                    && (i == 0 || kind(i - 1) != Some(TokenKind::Question))
                    && match kind(i + 1) {
                        Some(TokenKind::OpenParen) => true,
                        Some(TokenKind::Colon) => module_position(kind(i + 2)),
                        _ => false,
                    } =>
            {
                loud = true
            }
            TokenKind::Atom | TokenKind::QuotedAtom => {
                // Borrowed: most atoms of a body are no module, no call.
                let Some(a) = t.atom_str(text) else { continue };
                // `m:f(X, infinity)`, `apply(m, f, [X, infinity])`, or at
                // the end of a macro's body.
                if spec.last_arguments.iter().any(|l| l.as_str() == a.as_ref()) {
                    loud |= match kind(i + 1) {
                        Some(TokenKind::CloseParen) => !clause_head(tokens, text, i + 1),
                        Some(TokenKind::CloseSquare) => true,
                        None => params.is_some(),
                        _ => false,
                    };
                }
                let prev = i.checked_sub(1).and_then(|j| tokens.get(j)).map(|p| p.kind);
                // The atom after `?` is a macro's name, read above.
                if prev == Some(TokenKind::Question) {
                    continue;
                }
                let after_fun = i
                    .checked_sub(1)
                    .and_then(|j| tokens.get(j))
                    .is_some_and(|p| p.kind == TokenKind::Atom && p.keyword == Keyword::Fun);
                // `apply(m, f, [...])`, which the walk follows as `m:f`.
                if a == "apply" && kind(i + 1) == Some(TokenKind::OpenParen) {
                    let literal = |j: usize| -> Option<(Cow<'t, str>, usize)> {
                        match kind(j)? {
                            TokenKind::Atom | TokenKind::QuotedAtom => Some((atom(j)?, j + 1)),
                            TokenKind::Question
                                if tokens.get(j + 1).map(|n| n.text(text)) == Some("MODULE") =>
                            {
                                Some((Cow::Borrowed(module), j + 2))
                            }
                            _ => None,
                        }
                    };
                    if let Some((m, j)) = literal(i + 2) {
                        if kind(j) == Some(TokenKind::Comma) {
                            if let Some((f, _)) = literal(j + 1) {
                                callees.push((m, f));
                            }
                        }
                    }
                }
                match kind(i + 1) {
                    // `m:f(` or `fun m:f/N`.
                    Some(TokenKind::Colon) => match kind(i + 2) {
                        Some(TokenKind::Atom | TokenKind::QuotedAtom) => {
                            callees.extend(atom(i + 2).map(|f| (a, f)));
                        }
                        // `m:F(`: the walk does not follow it. `m:?F(`: a
                        // function the tokens do not name, which matters
                        // when the walk may enter `m` or looks for calls
                        // into it (the macro's `infinity` is read with
                        // it). `throw:R`, `throw:?R(..)`, `X:8/unit:8`: no
                        // call.
                        next => {
                            loud |= next != Some(TokenKind::Var)
                                && module_position(next)
                                && (spec.calls.contains_key(a.as_ref()) || is_module(&a))
                        }
                    },
                    Some(TokenKind::OpenParen) if prev != Some(TokenKind::Colon) => {
                        callees.push((Cow::Borrowed(module), a));
                    }
                    Some(TokenKind::Slash) if after_fun => {
                        callees.push((Cow::Borrowed(module), a));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    loud
}

/// Whether the `)` at `close` ends the arguments of a clause's head
/// (`f(X, infinity) ->`, `; f(X, infinity) when ...`, `fun(infinity) ->`),
/// which are patterns, not a call. A guard's call is a BIF, which the walk
/// takes for a value.
fn clause_head(tokens: &[Token], text: &str, close: usize) -> bool {
    if !matches!(
        tokens.get(close + 1),
        Some(t) if t.kind == TokenKind::Arrow || (t.kind == TokenKind::Atom && t.text(text) == "when")
    ) {
        return false;
    }
    let mut depth = 0usize;
    let mut open = None;
    for j in (0..close).rev() {
        let k = tokens[j].kind;
        if k.close_bracket().is_some() {
            depth += 1;
        } else if k.open_bracket().is_some() {
            if depth == 0 {
                open = Some(j);
                break;
            }
            depth -= 1;
        }
    }
    let Some(open) = open else {
        return false;
    };
    // The first clause's name is not among the tokens read.
    let before = |n: usize| open.checked_sub(n).map(|j| &tokens[j]);
    match before(1) {
        None => true,
        Some(t) if t.kind == TokenKind::Semicolon => true,
        Some(t) if t.kind == TokenKind::Atom && t.keyword == Keyword::Fun => true,
        Some(t) if matches!(t.kind, TokenKind::Atom | TokenKind::QuotedAtom) => {
            before(2).is_some_and(|p| p.kind == TokenKind::Semicolon)
        }
        _ => false,
    }
}

/// Whether a token of this kind after `X:` may be a function the walk
/// follows or that the tokens do not name: an atom, a variable, a macro,
/// a parenthesised expression, or nothing (the end of a macro's body).
fn module_position(next: Option<TokenKind>) -> bool {
    matches!(
        next,
        None | Some(
            TokenKind::Atom
                | TokenKind::QuotedAtom
                | TokenKind::Var
                | TokenKind::Question
                | TokenKind::OpenParen
        )
    )
}

/// Whether one of the bodies of macro `name` (every definition visible in
/// module `m`, and the macros they use in turn) may be loud, and the names
/// they may call. An undefined macro is left unexpanded, with its
/// arguments walked as written: it calls nothing.
fn macro_callees<'p>(
    m: &'p crate::model::ModuleSource,
    name: &str,
    spec: &Loud,
    is_module: &dyn Fn(&str) -> bool,
    active: &mut Vec<String>,
) -> (bool, Vec<Callee<'p>>) {
    // Nesting as deep as this is not worth following.
    if active.len() > 16 {
        return (true, Vec::new());
    }
    let mut loud = false;
    let mut callees = Vec::new();
    let mut tokens = Vec::new();
    for d in m.macros.definitions(name) {
        let body: &'p str = d.raw_body();
        tokens.clear();
        tokenize_into(body, &mut tokens);
        // An atom of the body may be a function name at the call site
        // (`-define(F, helper).` then `?F(X)`).
        callees.extend(
            tokens
                .iter()
                .filter_map(|t| t.atom_str(body))
                .map(|a| (Cow::Borrowed(m.name.as_str()), a)),
        );
        loud |= read_tokens(
            &tokens,
            body,
            &m.name,
            spec,
            is_module,
            &mut callees,
            Some(d.params.as_deref().unwrap_or(&[])),
            &mut |nested, callees| {
                // Within its own expansion a macro is left unexpanded.
                if nested == name || active.iter().any(|a| a == nested) {
                    return false;
                }
                active.push(name.to_owned());
                let (l, cs) = macro_callees(m, nested, spec, is_module, active);
                active.pop();
                callees.extend(cs);
                l
            },
        );
    }
    (loud, callees)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{index_module, SourceFile};

    /// The quiet functions of `files`, walked from `root:init/1`, with
    /// every call into `gen_tcp`, `gen_server:call` and the last argument
    /// `infinity` looked for.
    fn quiet(files: &[(&str, &str)], root: &str) -> Vec<String> {
        let modules = files
            .iter()
            .map(|(path, text)| index_module(SourceFile::from_text(*path, *text)))
            .collect();
        let project = crate::model::project_from_modules(modules);
        let shared = crate::eval::Code::new(&project);
        let code = Code::new(&project.sources, &shared);
        let mut loud = Loud::default();
        loud.add_call("gen_tcp", None);
        loud.add_call("gen_server", Some("call"));
        loud.add_last_argument("infinity");
        let q = Quiet::new(&code, &[Mfa::new(root, "init", 1)], &loud);
        let mut out: Vec<String> = q.quiet.iter().map(|(m, f)| format!("{m}:{f}")).collect();
        out.sort();
        out
    }

    #[test]
    fn loud_spreads_to_callers() {
        let w = "-module(w).\n\
                 init(X) -> S = helper(X), ok = w_lib:pure(S), {ok, S}.\n\
                 helper(X) -> connect(X).\n\
                 connect(X) -> gen_tcp:connect(X, 1, []).\n\
                 unused() -> gen_tcp:listen(1, []).\n";
        let lib = "-module(w_lib).\n\
                   pure(S) -> lists:reverse(fmt(S)).\n\
                   fmt(S) -> S.\n";
        // init, helper and connect reach gen_tcp; w_lib's functions do not.
        assert_eq!(
            quiet(&[("src/w.erl", w), ("src/w_lib.erl", lib)], "w"),
            ["w_lib:fmt", "w_lib:pure"]
        );
    }

    /// What the walk may follow is followed: `apply` with literal module
    /// and function, macros (nested ones too) whose bodies call or name a
    /// loud module or call a parameter, a macro in module position,
    /// `receive`. A variable called or in module position is no target for
    /// the walk.
    #[test]
    fn what_the_walk_follows_is_followed() {
        let w = "-module(w).\n\
                 -define(SEND(X), gen_server:call(w, X)).\n\
                 -define(LOG(X), ?SEND({log, X})).\n\
                 -define(PLAIN(X), {plain, X}).\n\
                 -define(MOD, w).\n\
                 -define(CALL(F), F(1)).\n\
                 init(X) -> a(X), b(X), c(X), d(X), e(X), f(X), g(X), h(X), i(X), j(X).\n\
                 a(M) -> M:go().\n\
                 b(F) -> F().\n\
                 c(X) -> apply(?MODULE, loud, [X]).\n\
                 d(X) -> ?LOG(X).\n\
                 e(X) -> ?MOD:h(X).\n\
                 f(X) -> receive X -> ok end.\n\
                 g(X) -> ?PLAIN(?MODULE:h(X)).\n\
                 h(X) -> fun h2/1, X.\n\
                 h2(X) -> X.\n\
                 i(X) -> apply(w, h, [X]).\n\
                 j(_) -> ?CALL(loud).\n\
                 loud(X) -> gen_server:call(X, x).\n";
        assert_eq!(
            quiet(&[("src/w.erl", w)], "w"),
            ["w:a", "w:b", "w:g", "w:h", "w:h2", "w:i"]
        );
    }

    /// Only the calls looked for are loud, not every call into their
    /// module; the atom `infinity` only as the last argument of a call (or
    /// at the end of a macro's body), not in a tuple or a clause's head; a
    /// catch pattern's class and a binary segment's size are no call.
    #[test]
    fn only_what_the_visitor_looks_for_is_loud() {
        let w = "-module(w).\n\
                 -define(SEG(X), <<X:8/unit:8>>).\n\
                 -define(R(X), {reason, X}).\n\
                 -define(T, infinity).\n\
                 init(X) -> a(X), b(X), c(X), d(X), e(X), f(X), g(X), h(X), i(X).\n\
                 a(X) -> gen_server:cast(w, X).\n\
                 b(X) -> gen_server:call(w, X).\n\
                 c(X) -> {X, infinity}.\n\
                 d(infinity) -> ok; d(X) when X > 0 -> X.\n\
                 e(X) -> ext:wait(X, infinity).\n\
                 f(X) -> try X() catch throw:?R(Y) -> Y end.\n\
                 g(X) -> ?SEG(X).\n\
                 h(X) -> ext:wait(X, ?T).\n\
                 i(X) -> apply(ext, wait, [X, infinity]).\n";
        assert_eq!(
            quiet(&[("src/w.erl", w)], "w"),
            ["w:a", "w:c", "w:d", "w:f", "w:g"]
        );
    }

    /// What a loud function calls is read too, so a quiet function the
    /// walk reaches through it is skipped. A local call in a module looked
    /// for is a call into it.
    #[test]
    fn below_loud_functions() {
        let w = "-module(w).\n\
                 init(X) -> gen_tcp:connect(X, 1, []), helper(X).\n\
                 helper(X) -> X.\n";
        assert_eq!(quiet(&[("src/w.erl", w)], "w"), ["w:helper"]);
        let gen_tcp = "-module(gen_tcp).\n\
                       init(X) -> open(X).\n\
                       open(X) -> connect(X, 1, []).\n\
                       connect(_, _, _) -> ok.\n";
        assert_eq!(
            quiet(&[("src/gen_tcp.erl", gen_tcp)], "gen_tcp"),
            ["gen_tcp:connect"]
        );
    }

    /// A local call of a name the module does not define is the BIF, in
    /// `erlang.erl` when the project has it (OTP's own sources).
    #[test]
    fn auto_imported_calls_enter_erlang() {
        let w = "-module(w).\ninit(X) -> open_port(X, []).\n";
        let erlang = "-module(erlang).\n\
                      open_port(P, S) -> receive {P, S} -> ok end.\n";
        assert_eq!(
            quiet(&[("src/w.erl", w), ("src/erlang.erl", erlang)], "w"),
            Vec::<String>::new()
        );
        assert_eq!(quiet(&[("src/w.erl", w)], "w"), ["w:init"]);
    }
}
