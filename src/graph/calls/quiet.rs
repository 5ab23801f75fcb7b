//! Quiet functions: those whose walk, and the walk of everything they may
//! call, can meet none of a set of modules, told from tokens alone.
//!
//! A walk of the call graph ([`super::walk_reachable_skipping`]) parses every
//! function it enters, and parsing is most of its cost. A rule that looks
//! for calls into a few modules (`gen_tcp`, `rpc`, ...) and for `receive`
//! learns nothing from a function whose tokens name none of them and whose
//! callees are quiet too: the walk may skip it unparsed. The walk finds a
//! call's target from the atoms written at the call (`m:f(`, `f(`,
//! `fun m:f/1`, `apply(m, f, [...])`), so a call into one of those modules
//! always has the module's atom in the tokens of the function making it, or
//! of a macro it uses.
//!
//! Macro calls are read with the one token-level macro reader
//! ([`crate::syntax::macro_tokens`]), the one `missing-app-dependency` uses.
//! The token graph is coarser than the walk's: callees by name, every
//! arity, every clause, every branch of conditional compilation. It only
//! ever keeps more functions than needed, never fewer.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{Code, Mfa};
use crate::syntax::macro_tokens::MacroCall;
use crate::syntax::macros::PREDEFINED;
use crate::syntax::token::{tokenize_into, Keyword, Token, TokenKind};

/// A function by module and name (every arity).
type Node = (String, String);

/// The quiet functions reachable from some roots.
#[derive(Debug, Default)]
pub(crate) struct Quiet {
    quiet: HashSet<Node>,
}

impl Quiet {
    /// The functions reachable from `roots` whose walk cannot meet a call
    /// into a module of `modules`, nor a `receive`, nor a call whose module
    /// or function is a macro that might be one of them. (A call whose
    /// module or function is a variable has no target for the walk.)
    pub(crate) fn new(code: &Code<'_>, roots: &[Mfa], modules: &HashSet<String>) -> Quiet {
        let mut graph: HashMap<Node, (bool, Vec<Node>)> = HashMap::new();
        let mut queue: VecDeque<Node> = roots
            .iter()
            .map(|r| (r.module.clone(), r.function.clone()))
            .collect();
        let mut tokens = Vec::new();
        let mut macros = HashMap::new();
        while let Some(node) = queue.pop_front() {
            if graph.contains_key(&node) {
                continue;
            }
            let read = read_function(code, &node, modules, &mut tokens, &mut macros);
            for c in &read.1 {
                if !graph.contains_key(c) {
                    queue.push_back(c.clone());
                }
            }
            graph.insert(node, read);
        }
        // Loud spreads from callee to caller.
        let mut callers: HashMap<&Node, Vec<&Node>> = HashMap::new();
        for (n, (_, callees)) in &graph {
            for c in callees {
                callers.entry(c).or_default().push(n);
            }
        }
        let mut loud: HashSet<&Node> = graph
            .iter()
            .filter(|(_, (l, _))| *l)
            .map(|(n, _)| n)
            .collect();
        let mut work: Vec<&Node> = loud.iter().copied().collect();
        while let Some(n) = work.pop() {
            for &c in callers.get(n).into_iter().flatten() {
                if loud.insert(c) {
                    work.push(c);
                }
            }
        }
        let quiet = graph
            .keys()
            .filter(|n| !loud.contains(n))
            .cloned()
            .collect();
        Quiet { quiet }
    }

    /// Whether a walk may skip `mfa` and all it calls.
    pub(crate) fn is_quiet(&self, mfa: &Mfa) -> bool {
        self.quiet
            .contains(&(mfa.module.clone(), mfa.function.clone()))
    }
}

/// Whether the function `node` (every arity) may be loud by its own
/// tokens, and the project functions its tokens may call. A name the
/// project does not define is neither (the walk does not enter it).
/// `macros` keeps what each macro of a module calls, read once per module
/// (its uses are many: `?LOG_ERROR` in most functions of a module).
fn read_function(
    code: &Code<'_>,
    (module, name): &Node,
    modules: &HashSet<String>,
    tokens: &mut Vec<Token>,
    macros: &mut HashMap<Node, Option<Vec<Node>>>,
) -> (bool, Vec<Node>) {
    let Some(m) = code.module(module) else {
        return (false, Vec::new());
    };
    let text = &m.index.file.text;
    let mut loud = false;
    let mut callees = Vec::new();
    for entry in m.index.functions_named(name) {
        let body = text.get(entry.range.clone()).unwrap_or("");
        tokens.clear();
        tokenize_into(body, tokens);
        // The head's name is the function itself, not a call.
        let from = usize::from(!tokens.is_empty());
        loud |= read_tokens(
            &tokens[from..],
            body,
            module,
            modules,
            &mut callees,
            false,
            &mut |macro_name| {
                macros
                    .entry((module.clone(), macro_name.to_owned()))
                    .or_insert_with(|| macro_callees(m, macro_name, modules, &mut Vec::new()))
                    .clone()
            },
        );
    }
    let defines = |cm: &str, cf: &str| {
        code.module(cm)
            .is_some_and(|x| x.index.functions_named(cf).next().is_some())
    };
    // A local call of a name the module does not define is an
    // auto-imported BIF, which the walk enters when the project has
    // `erlang.erl` (OTP's own sources do).
    for c in &mut callees {
        if &c.0 == module && !defines(module, &c.1) {
            c.0 = "erlang".to_owned();
        }
    }
    callees.retain(|(cm, cf)| defines(cm, cf));
    callees.sort();
    callees.dedup();
    (loud, callees)
}

/// Reads tokens of code (a function, or a macro's body): true when they
/// may be loud; the names they may call are added to `callees`.
/// `macro_use` answers for a macro: `None` when it may be loud, else the
/// names its bodies may call.
fn read_tokens(
    tokens: &[Token],
    text: &str,
    module: &str,
    modules: &HashSet<String>,
    callees: &mut Vec<Node>,
    in_macro: bool,
    macro_use: &mut dyn FnMut(&str) -> Option<Vec<Node>>,
) -> bool {
    let kind = |i: usize| tokens.get(i).map(|t| t.kind);
    let atom = |i: usize| tokens.get(i)?.atom(text);
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Atom if t.keyword == Keyword::Receive => return true,
            TokenKind::DoubleQuestion => return true,
            TokenKind::Question => {
                let Some(call) = MacroCall::at(tokens, text, i) else {
                    return true;
                };
                let name = call.name.as_str();
                if name == "MODULE" {
                    // `?MODULE:f(`: a local call.
                    if kind(i + 2) == Some(TokenKind::Colon) {
                        if let (Some(f), Some(TokenKind::OpenParen | TokenKind::Slash)) =
                            (atom(i + 3), kind(i + 4))
                        {
                            callees.push((module.to_owned(), f));
                            continue;
                        }
                        return true;
                    }
                    continue;
                }
                if PREDEFINED.contains(&name) {
                    if kind(i + 2) == Some(TokenKind::Colon) {
                        return true;
                    }
                    continue;
                }
                // In module position (`?M:f(`, `?M(X):f(`): a module the
                // tokens do not name.
                if call.in_module_position(tokens) {
                    return true;
                }
                match macro_use(name) {
                    Some(cs) => callees.extend(cs),
                    None => return true,
                }
            }
            // In a macro's body, a variable called or in module position
            // may be a parameter: the atom the call site gives is then the
            // module or function called.
            TokenKind::Var
                if in_macro
                    && matches!(kind(i + 1), Some(TokenKind::Colon | TokenKind::OpenParen))
                    && (i == 0 || kind(i - 1) != Some(TokenKind::Question)) =>
            {
                return true
            }
            TokenKind::Atom | TokenKind::QuotedAtom => {
                // Borrowed: most atoms of a body are no module, no call.
                let Some(a) = t.atom_str(text) else { continue };
                if modules.contains(a.as_ref()) {
                    return true;
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
                    let literal = |j: usize| -> Option<(String, usize)> {
                        match kind(j)? {
                            TokenKind::Atom | TokenKind::QuotedAtom => Some((atom(j)?, j + 1)),
                            TokenKind::Question
                                if tokens.get(j + 1).map(|n| n.text(text)) == Some("MODULE") =>
                            {
                                Some((module.to_owned(), j + 2))
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
                            callees.extend(atom(i + 2).map(|f| (a.into_owned(), f)));
                        }
                        // `m:F(`: the walk does not follow it.
                        Some(TokenKind::Var) => {}
                        // `m:?F(`: a function the tokens do not name.
                        _ => return true,
                    },
                    Some(TokenKind::OpenParen) if prev != Some(TokenKind::Colon) => {
                        callees.push((module.to_owned(), a.into_owned()));
                    }
                    Some(TokenKind::Slash) if after_fun => {
                        callees.push((module.to_owned(), a.into_owned()));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    false
}

/// The names the bodies of macro `name` (every definition visible in
/// module `m`, and the macros they use in turn) may call, or `None` when
/// one may be loud. An undefined macro is left unexpanded, with its
/// arguments walked as written: it calls nothing.
fn macro_callees(
    m: &crate::model::ModuleSource,
    name: &str,
    modules: &HashSet<String>,
    active: &mut Vec<String>,
) -> Option<Vec<Node>> {
    // Nesting as deep as this is not worth following.
    if active.len() > 16 {
        return None;
    }
    let mut callees = Vec::new();
    let mut tokens = Vec::new();
    for d in m.macros.definitions(name) {
        tokens.clear();
        tokenize_into(&d.raw_body, &mut tokens);
        // An atom of the body may be a function name at the call site
        // (`-define(F, helper).` then `?F(X)`).
        callees.extend(
            tokens
                .iter()
                .filter_map(|t| t.atom(&d.raw_body))
                .map(|a| (m.name.clone(), a)),
        );
        let loud = read_tokens(
            &tokens,
            &d.raw_body,
            &m.name,
            modules,
            &mut callees,
            true,
            &mut |nested| {
                // Within its own expansion a macro is left unexpanded.
                if nested == name || active.iter().any(|a| a == nested) {
                    return Some(Vec::new());
                }
                active.push(name.to_owned());
                let r = macro_callees(m, nested, modules, active);
                active.pop();
                r
            },
        );
        if loud {
            return None;
        }
    }
    Some(callees)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{index_module, SourceFile};

    /// The quiet functions of `files`, walked from `root:init/1`, with
    /// `gen_tcp` and `gen_server` the modules looked for.
    fn quiet(files: &[(&str, &str)], root: &str) -> Vec<String> {
        let modules = files
            .iter()
            .map(|(path, text)| index_module(SourceFile::from_text(*path, *text)))
            .collect();
        let project = crate::model::project_from_modules(modules);
        let shared = crate::eval::Code::new(&project);
        let code = Code::new(&project.sources, &shared);
        let loud: HashSet<String> = ["gen_tcp", "gen_server"].map(str::to_owned).into();
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
                 -define(SEND(X), gen_server:cast(w, X)).\n\
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
