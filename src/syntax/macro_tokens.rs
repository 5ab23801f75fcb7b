//! Macros read from tokens, without expanding them in the AST: the one
//! token-level macro reader. A macro call in a function's tokens (`?NAME`,
//! `?NAME(Args)`, in module position or not), what each definition's body
//! holds, and what a macro's expansion adds: the remote calls and fun
//! references it holds, nested macros and every alternative included, as
//! [`super::MacroTable`]'s expansion has them. The `missing-app-dependency`
//! rule counts references with it; the call graph's quiet filter
//! (`graph/calls/quiet.rs`) reads macro calls with it. Where the tokens cannot
//! tell, both parse and expand the AST instead (docs/architecture.md).

use std::collections::HashMap;
use std::sync::Arc;

/// The reader's maps: looked up for every macro use of every function read,
/// keyed by short names and addresses, so a fast hash, not SipHash.
type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

use super::ast::{walk_expr, ExprKind, MacroExpr, Walk};
use super::call_args::call_args;
use super::items::{Define, MacroBody};
use super::macros::MacroTable;
use super::token::{tokenize_into, Keyword, Token, TokenKind};

/// A macro call in tokens: `?NAME` or `?NAME(Args)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MacroCall {
    /// The macro's name.
    pub(crate) name: String,
    /// The index of the token after the name.
    after_name: usize,
    /// The index of the `(` of its arguments, if it has some.
    pub(crate) open: Option<usize>,
}

impl MacroCall {
    /// The macro call whose `?` is at `question` in `tokens` (of `text`):
    /// `None` when no macro name follows.
    pub(crate) fn at(tokens: &[Token], text: &str, question: usize) -> Option<MacroCall> {
        let name = tokens.get(question + 1)?.macro_name(text)?;
        let after_name = question + 2;
        let open = tokens
            .get(after_name)
            .is_some_and(|t| t.kind == TokenKind::OpenParen)
            .then_some(after_name);
        Some(MacroCall {
            name,
            after_name,
            open,
        })
    }

    /// The index of the token after the call (after the `)` of its
    /// arguments); `None` when its arguments do not close.
    pub(crate) fn end(&self, tokens: &[Token]) -> Option<usize> {
        match self.open {
            Some(open) => call_args(tokens, open).map(|a| a.close + 1),
            None => Some(self.after_name),
        }
    }

    /// Whether the call may be in module position (`?M:f()`,
    /// `?M(X):f()`): followed by `:`, or with arguments that do not close.
    pub(crate) fn in_module_position(&self, tokens: &[Token]) -> bool {
        self.end(tokens)
            .is_none_or(|e| tokens.get(e).is_some_and(|t| t.kind == TokenKind::Colon))
    }
}

/// What the tokens of one definition's body hold.
pub(crate) struct BodyFacts {
    /// The atoms written in the body that the reader's user may care
    /// about ([`Bodies::read`]), quoted ones by their name.
    pub(crate) atoms: Vec<String>,
    /// The macros the body uses (`?X`), whose expansions might name
    /// another app's module: the body is plain only when they all are.
    pub(crate) macros: Vec<String>,
    /// The body uses `??X`, or a `?` with no name after it: not plain.
    pub(crate) opaque: bool,
    /// A parameter may end up in module position: it is followed by `:` in
    /// the body (`P:f()`, `fun P:f/1`), or it ends the body (the call site
    /// may be followed by `:`).
    pub(crate) exposes_param: bool,
    /// A parameter is followed by `:` in the body: it may end up in module
    /// position wherever the macro is called.
    pub(crate) param_before_colon: bool,
}

/// What each macro body says, by the address of its definition (lexed
/// once, though headers are included many times). Bodies with nothing to
/// say (no atom, no macro, no exposed parameter) are left out.
#[derive(Default)]
pub(crate) struct Bodies(Map<usize, BodyFacts>);

impl Bodies {
    /// Reads the bodies of `defines`, keeping the atoms for which `keep`
    /// holds: only those can matter to the reader's user, and most bodies
    /// then have none to look up again in every module that sees them.
    pub(crate) fn read<'d>(
        defines: impl IntoIterator<Item = &'d Arc<Define>>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Bodies {
        let mut tokens = Vec::new();
        let mut out = Map::default();
        for d in defines {
            let text = d.raw_body();
            tokens.clear();
            tokenize_into(text, &mut tokens);
            let atoms: Vec<String> = tokens
                .iter()
                .filter_map(|t| t.atom(text))
                .filter(|a| keep(a))
                .collect();
            let mut macros = Vec::new();
            let mut opaque = false;
            for (i, t) in tokens.iter().enumerate() {
                match t.kind {
                    TokenKind::Question => {
                        match tokens.get(i + 1).and_then(|n| n.macro_name(text)) {
                            Some(name) => macros.push(name),
                            None => opaque = true,
                        }
                    }
                    TokenKind::DoubleQuestion => opaque = true,
                    _ => {}
                }
            }
            let (param_before_colon, param_ends_body) =
                exposes_param(d.params.as_deref().unwrap_or(&[]), text, &tokens);
            let exposes_param = param_before_colon || param_ends_body;
            if !atoms.is_empty() || !macros.is_empty() || opaque || exposes_param {
                out.insert(
                    Arc::as_ptr(d) as usize,
                    BodyFacts {
                        atoms,
                        macros,
                        opaque,
                        exposes_param,
                        param_before_colon,
                    },
                );
            }
        }
        Bodies(out)
    }

    /// What `d`'s body holds; `None` when it holds nothing of the above.
    pub(crate) fn get(&self, d: &Arc<Define>) -> Option<&BodyFacts> {
        self.0.get(&(Arc::as_ptr(d) as usize))
    }
}

/// Whether a parameter among `params` is followed by `:` in the body
/// `tokens` (of `text`), and whether one is its last token.
fn exposes_param(params: &[String], text: &str, tokens: &[Token]) -> (bool, bool) {
    let mut out = (false, false);
    for (i, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::Var && params.iter().any(|p| p == t.text(text)) {
            match tokens.get(i + 1) {
                Some(n) => out.0 |= n.kind == TokenKind::Colon,
                None => out.1 = true,
            }
        }
    }
    out
}

/// What the definitions of a macro visible in a module allow.
#[derive(Clone, Copy)]
pub(crate) struct MacroUse {
    /// No definition holds an atom that matters or uses another macro:
    /// the expansion adds no reference (predefined macros of
    /// [`PLAIN_PREDEFINED`] are plain; an undefined macro is not).
    pub(crate) plain: bool,
    /// Plain, and no definition may put a parameter in module position
    /// ([`BodyFacts::exposes_param`]), except by ending with one, which
    /// only a call followed by `:` does.
    pub(crate) arg_safe: bool,
    /// A definition's body ends with a parameter: a call followed by `:`
    /// (`?ID(M):f()`) puts it in module position.
    pub(crate) ends_with_param: bool,
}

/// What expanding `?NAME` or `?NAME(Args)` adds, when the tokens of a
/// function can count it.
pub(crate) struct Expansion {
    /// What the modules of the references its definitions' bodies hold
    /// stand for (one per reference to a module that matters, all
    /// alternatives and nested macros included, as the AST's expansion has
    /// them).
    pub(crate) refs: Vec<String>,
    /// No parameter may end up in module position.
    pub(crate) arg_safe: bool,
    /// Expansions it takes, nested ones included.
    pub(crate) size: usize,
}

/// What the AST of one definition's body holds, read once per definition.
#[derive(Default)]
struct Reading {
    /// Modules of `m:f(...)` and `fun m:f/N` with atom module and function.
    refs: Vec<String>,
    /// Every atom written, module atoms of `refs` included.
    atoms: Vec<String>,
    /// The names of local calls (`f(...)`), among `atoms`: a call's name,
    /// never a module.
    local_calls: Vec<String>,
    /// Macros called: name, arity, whether the arguments hold a parameter
    /// of the definition, and the atoms of the arguments.
    nested: Vec<(String, Option<usize>, bool, Vec<String>)>,
    /// Macros called in those arguments (`?ANNO(?LINE)`, `?_test(?assert(X))`).
    in_arguments: Vec<String>,
    /// Macros in module position (`?M:f()`).
    in_module_position: Vec<String>,
}

/// Expansions beyond which a function is parsed instead: the macro
/// expander's own bound is 10 000 per function.
pub(crate) const MAX_COUNTED_EXPANSIONS: usize = 1_000;

/// The macros of one module, read from tokens: which are plain, and what
/// the expansion of a macro call adds.
pub(crate) struct MacroReader<'a> {
    table: &'a MacroTable,
    infos: &'a Bodies,
    /// What an atom stands for to the reader's user (the application of
    /// another application's module), `None` for an atom that does not
    /// matter.
    stands_for: &'a dyn Fn(&str) -> Option<String>,
    uses: Map<String, MacroUse>,
    expansions: Map<(String, Option<usize>), Option<Arc<Expansion>>>,
    readings: Map<usize, Option<Arc<Reading>>>,
    /// Macros being expanded, by name and arity as the expander keys them
    /// (a recursive one is not counted).
    active: Vec<(String, Option<usize>)>,
}

impl<'a> MacroReader<'a> {
    /// A reader of the macros of `table`, whose bodies `bodies` has read;
    /// `stands_for` says which atoms matter, and what each stands for.
    pub(crate) fn new(
        table: &'a MacroTable,
        bodies: &'a Bodies,
        stands_for: &'a dyn Fn(&str) -> Option<String>,
    ) -> MacroReader<'a> {
        MacroReader {
            table,
            infos: bodies,
            stands_for,
            uses: Map::default(),
            expansions: Map::default(),
            readings: Map::default(),
            active: Vec::new(),
        }
    }

    /// Whether `atom` matters to the reader's user.
    fn matters(&self, atom: &str) -> bool {
        (self.stands_for)(atom).is_some()
    }

    /// A macro is plain when none of its definitions names another app's
    /// module or uses a macro that is not plain (logging macros calling
    /// `?MODULE` and `?LINE` are plain); argument-safe when, in addition,
    /// none may put an argument in module position, nor pass one to a
    /// macro that may.
    pub(crate) fn plain(&mut self, name: &str) -> MacroUse {
        if let Some(&u) = self.uses.get(name) {
            return u;
        }
        // Within its own expansion, directly or through others: the
        // expander leaves it unexpanded, which the tokens do not tell.
        let cyclic = MacroUse {
            plain: false,
            arg_safe: false,
            ends_with_param: true,
        };
        self.uses.insert(name.to_owned(), cyclic);
        let (table, infos) = (self.table, self.infos);
        let defs = table.definitions(name);
        let mut u = MacroUse {
            plain: !defs.is_empty() || PLAIN_PREDEFINED.contains(&name),
            arg_safe: true,
            ends_with_param: false,
        };
        for d in defs {
            if let Some(i) = infos.get(d) {
                u.plain &= !i.opaque && !i.atoms.iter().any(|a| self.matters(a));
                u.arg_safe &= !i.param_before_colon;
                u.ends_with_param |= i.exposes_param && !i.param_before_colon;
                for nested in &i.macros {
                    if !u.plain {
                        break;
                    }
                    // One ending with a parameter may be followed by `:`
                    // in this body.
                    let n = self.plain(nested);
                    u.plain &= n.plain;
                    u.arg_safe &= n.arg_safe && !n.ends_with_param;
                }
            }
        }
        u.arg_safe &= u.plain;
        self.uses.insert(name.to_owned(), u);
        u
    }

    /// The atom `?name` (without arguments) always expands to, see
    /// [`MacroTable::atom_macro`].
    pub(crate) fn atom_macro(&self, name: &str) -> Option<&'a str> {
        self.table.atom_macro(name)
    }

    /// The references `?name` with `arity` arguments adds, or `None` when
    /// its bodies may add references the tokens cannot tell: an atom of
    /// another app not in module position of a plain call, a macro or a
    /// parameter in module position, a macro that is undefined, recursive,
    /// or called in a way the expander treats specially.
    pub(crate) fn expansion(&mut self, name: &str, arity: Option<usize>) -> Option<Arc<Expansion>> {
        // Inside its own expansion (same arity), the expander leaves it
        // unexpanded: a reference it would have there is not in the AST.
        if self.active.iter().any(|(n, a)| n == name && *a == arity) {
            return None;
        }
        let key = (name.to_owned(), arity);
        if let Some(x) = self.expansions.get(&key) {
            return x.clone();
        }
        let x = self.expand(name, arity).map(Arc::new);
        // Not kept when found inside a recursion, where it may differ.
        if self.active.is_empty() {
            self.expansions.insert(key, x.clone());
        }
        x
    }

    fn expand(&mut self, name: &str, arity: Option<usize>) -> Option<Expansion> {
        let u = self.plain(name);
        if u.plain {
            return Some(Expansion {
                refs: Vec::new(),
                arg_safe: u.arg_safe && !u.ends_with_param,
                size: 1,
            });
        }
        // The function's name: an atom, never in module position here.
        if name == "FUNCTION_NAME" && arity.is_none() {
            return Some(Expansion {
                refs: Vec::new(),
                arg_safe: true,
                size: 1,
            });
        }
        let defs = self.table.definitions(name);
        // Undefined: left unexpanded, its arguments as written. (A
        // predefined macro is a literal, `?MODULE` is plain.)
        if defs.is_empty() {
            return Some(Expansion {
                refs: Vec::new(),
                arg_safe: true,
                size: 1,
            });
        }
        if !defs.iter().any(|d| d.arity() == arity) {
            return None;
        }
        let live: Vec<Arc<Define>> = self
            .table
            .live_definitions(name, arity)
            .into_iter()
            .cloned()
            .collect();
        let mut x = Expansion {
            refs: Vec::new(),
            arg_safe: true,
            size: 1,
        };
        self.active.push((name.to_owned(), arity));
        let mut ok = true;
        for d in &live {
            match self.add_definition(d, &mut x) {
                Some(()) => {}
                None => {
                    ok = false;
                    break;
                }
            }
        }
        self.active.pop();
        (ok && x.size <= MAX_COUNTED_EXPANSIONS).then_some(x)
    }

    fn add_definition(&mut self, d: &Arc<Define>, x: &mut Expansion) -> Option<()> {
        if let Some(i) = self.infos.get(d) {
            x.arg_safe &= !i.exposes_param;
        }
        let r = self.reading(d)?;
        // Every atom of another app must be the module of a plain call, or
        // the name of a local one (`dbg(...)` beside the `dbg` module).
        let loose = r.atoms.iter().filter(|a| self.matters(a)).count();
        let called = r.refs.iter().filter(|a| self.matters(a)).count()
            + r.local_calls.iter().filter(|a| self.matters(a)).count();
        if loose != called {
            return None;
        }
        for m in &r.in_module_position {
            if !self.plain(m).plain {
                return None;
            }
        }
        // The expander expands an argument where it is written, once,
        // before the body that may drop or repeat it: a plain one adds one
        // expansion and no reference.
        for m in &r.in_arguments {
            if !self.plain(m).plain {
                return None;
            }
            x.size += 1;
        }
        for (name, arity, has_param, arg_atoms) in &r.nested {
            if arg_atoms.iter().any(|a| self.matters(a)) {
                return None;
            }
            let sub = self.expansion(name, *arity)?;
            x.refs.extend(sub.refs.iter().cloned());
            x.size += sub.size;
            x.arg_safe &= !has_param || sub.arg_safe;
        }
        x.refs
            .extend(r.refs.iter().filter_map(|m| (self.stands_for)(m)));
        Some(())
    }

    /// What the AST of `d`'s body holds; `None` when it is not an
    /// expression (the expander leaves such a macro unexpanded).
    fn reading(&mut self, d: &Arc<Define>) -> Option<Arc<Reading>> {
        let key = Arc::as_ptr(d) as usize;
        if let Some(r) = self.readings.get(&key) {
            return r.clone();
        }
        let r = read_body(d).map(Arc::new);
        self.readings.insert(key, r.clone());
        r
    }
}

fn read_body(d: &Define) -> Option<Reading> {
    let body = match d.body() {
        MacroBody::Expr(body) => body,
        // The expander leaves such a macro unexpanded, its arguments as
        // written; unless the replacement is a piece of a construct the
        // grammar reads across the call (clauses, `case X of`).
        MacroBody::Raw { text, .. } => return plain_sequence(text).then(Reading::default),
    };
    let params: &[String] = d.params.as_deref().unwrap_or(&[]);
    let mut r = Reading::default();
    let mut opaque = false;
    walk_expr(body, Default::default(), &mut |e, _| {
        match &e.kind {
            ExprKind::Call {
                module: Some(md),
                function,
                ..
            }
            | ExprKind::FunRef {
                module: Some(md),
                function,
                ..
            } => match &md.kind {
                ExprKind::Atom(m) if function.as_atom().is_some() => r.refs.push(m.clone()),
                ExprKind::Macro(m) => r.in_module_position.push(m.name.clone()),
                _ => {}
            },
            ExprKind::Call {
                module: None,
                function,
                ..
            } => {
                if let ExprKind::Atom(f) = &function.kind {
                    r.local_calls.push(f.clone());
                }
            }
            ExprKind::Remote { module, .. } => {
                if let ExprKind::Macro(m) = &module.kind {
                    r.in_module_position.push(m.name.clone());
                }
            }
            ExprKind::Atom(a) => r.atoms.push(a.clone()),
            ExprKind::Macro(m) => {
                let MacroExpr {
                    name,
                    args,
                    unresolved,
                } = &**m;
                if unresolved.is_some() {
                    opaque = true;
                }
                let mut has_param = false;
                let mut arg_atoms = Vec::new();
                for a in args.iter().flatten() {
                    walk_expr(a, Default::default(), &mut |x, _| {
                        match &x.kind {
                            ExprKind::Var(v) if params.contains(v) => has_param = true,
                            ExprKind::Atom(at) => arg_atoms.push(at.clone()),
                            ExprKind::Macro(m) if m.unresolved.is_none() => {
                                r.in_arguments.push(m.name.clone())
                            }
                            ExprKind::Macro { .. } | ExprKind::MacroString(_) => opaque = true,
                            _ => {}
                        }
                        Walk::Continue
                    });
                }
                r.nested.push((
                    name.clone(),
                    args.as_ref().map(Vec::len),
                    has_param,
                    arg_atoms,
                ));
                return Walk::SkipChildren;
            }
            _ => {}
        }
        Walk::Continue
    });
    (!opaque).then_some(r)
}

/// Whether a replacement that is not one expression is expressions and
/// nothing else (`?dbg(...), S = S0#s{col = C}`, `if ... end, fatal(R, S)`),
/// or a guard sequence (`H == ?space; H == ?tab`): brackets and blocks
/// balanced, and outside blocks no clause (`->`), no `when`, `of`,
/// `after` or `catch`. The call site is then an expression or a guard the
/// grammar reads as written, whatever the body holds.
fn plain_sequence(text: &str) -> bool {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    // Open brackets, and `None` for an open block (up to its `end`).
    let mut stack = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if let Some(b) = t.kind.open_bracket() {
            stack.push(Some(b));
            continue;
        }
        if let Some(b) = t.kind.close_bracket() {
            if stack.pop() != Some(Some(b)) {
                return false;
            }
            continue;
        }
        if opens_block(&tokens, i) {
            stack.push(None);
            continue;
        }
        if t.kind == TokenKind::Atom && t.keyword == Keyword::End {
            if stack.pop() != Some(None) {
                return false;
            }
            continue;
        }
        let in_block = stack.contains(&None);
        let top_level_semicolon = t.kind == TokenKind::Semicolon && stack.is_empty();
        if !in_block && !top_level_semicolon && not_an_expression(t, text) {
            return false;
        }
        if in_block && unreadable(t) {
            return false;
        }
    }
    stack.is_empty()
}

/// Whether the token at `i` starts a block that `end` closes: a block
/// keyword, or `fun` before its clauses (`fun (`, `fun Name(`), not a
/// fun reference (`fun f/1`).
fn opens_block(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if t.kind != TokenKind::Atom {
        return false;
    }
    let kind = |j: usize| tokens.get(j).map(|t| t.kind);
    match t.keyword {
        Keyword::Begin | Keyword::Case | Keyword::If | Keyword::Receive | Keyword::Try => true,
        Keyword::Maybe => true,
        Keyword::Fun => {
            kind(i + 1) == Some(TokenKind::OpenParen)
                || (kind(i + 1) == Some(TokenKind::Var)
                    && kind(i + 2) == Some(TokenKind::OpenParen))
        }
        _ => false,
    }
}

/// A token no expression holds, in a block too: the end of a form, `??`,
/// or something the lexer could not read.
fn unreadable(t: &Token) -> bool {
    matches!(
        t.kind,
        TokenKind::Dot
            | TokenKind::DoubleQuestion
            | TokenKind::UnterminatedString
            | TokenKind::UnterminatedAtom
            | TokenKind::Invalid
    )
}

/// The number of arguments of the macro call whose `(` is at `open`, when
/// they are plain expressions ([`plain_args`]), counted as [`call_args`]
/// counts a call's.
pub(crate) fn arg_count(tokens: &[Token], body: &str, open: usize) -> Option<usize> {
    plain_args(tokens, body, open)?;
    call_args(tokens, open).map(|a| a.arity)
}

/// A token that cannot be inside plain expressions the grammar surely
/// reads as written: a clause (`->`, `;`), a block keyword (`fun`, `case`,
/// ...), `when`, `of`, `after`, `catch`, `??`, the end of a form, or
/// something the lexer could not read.
fn not_an_expression(t: &Token, text: &str) -> bool {
    match t.kind {
        TokenKind::Arrow
        | TokenKind::Semicolon
        | TokenKind::Dot
        | TokenKind::DoubleQuestion
        | TokenKind::UnterminatedString
        | TokenKind::UnterminatedAtom
        | TokenKind::Invalid => true,
        TokenKind::Atom => {
            t.keyword != Keyword::None || matches!(t.text(text), "when" | "of" | "after" | "catch")
        }
        _ => false,
    }
}

/// Predefined macros that expand to a term naming no module of another
/// application (`?MODULE` is the module itself).
const PLAIN_PREDEFINED: &[&str] = &["MODULE", "MODULE_STRING", "FILE", "LINE", "FUNCTION_ARITY"];

/// The end (one past the `)`) of the macro arguments whose `(` is at
/// `open`, when their tokens are balanced and surely parse as expressions
/// the AST keeps as arguments: no clause (`->`, `;`, a block keyword such as
/// `fun` or `case`, `when`, `of`, `after`, `catch`), no `??`, nothing the
/// lexer could not read. Otherwise the grammar might read the arguments,
/// and what follows them, otherwise than as written: `None`.
pub(crate) fn plain_args(tokens: &[Token], body: &str, open: usize) -> Option<usize> {
    let mut stack = Vec::new();
    for (j, t) in tokens.iter().enumerate().skip(open) {
        if let Some(b) = t.kind.open_bracket() {
            stack.push(b);
            continue;
        }
        if let Some(b) = t.kind.close_bracket() {
            if stack.pop() != Some(b) {
                return None;
            }
            if stack.is_empty() {
                return Some(j + 1);
            }
            continue;
        }
        if not_an_expression(t, body) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequences() {
        assert!(plain_sequence("?dbg(\"~p\", [N]), S = S0#s{col = 1}"));
        assert!(!plain_sequence("case X of"));
        assert!(!plain_sequence("a -> 1; b -> 2"));
        assert!(!plain_sequence("f(X"));
        assert!(plain_sequence(
            "if Q -> ok; true -> log:msg(R), ok end, fatal(R, S)"
        ));
        assert!(plain_sequence("H == ?space; H == ?tab"));
        assert!(plain_sequence("F = fun (X) -> X end, lists:map(F, L)"));
        assert!(!plain_sequence("case X of a -> 1; b -> 2"));
        assert!(!plain_sequence("a -> 1; b -> 2 end"));
        assert!(!plain_sequence("X when X > 0"));
    }

    /// A macro call's end and module position, with and without
    /// arguments, and arguments that do not close.
    #[test]
    fn macro_calls() {
        let read = |text: &str| {
            let mut tokens = Vec::new();
            tokenize_into(text, &mut tokens);
            let call = MacroCall::at(&tokens, text, 0);
            call.map(|c| {
                (
                    c.name.clone(),
                    c.end(&tokens),
                    c.in_module_position(&tokens),
                )
            })
        };
        assert_eq!(read("?M:f()"), Some(("M".to_owned(), Some(2), true)));
        assert_eq!(
            read("?LOG(X, Y), ok"),
            Some(("LOG".to_owned(), Some(7), false))
        );
        assert_eq!(read("?M(X):f()"), Some(("M".to_owned(), Some(5), true)));
        assert_eq!(read("?M(X"), Some(("M".to_owned(), None, true)));
        assert_eq!(read("? 1"), None);
    }
}
