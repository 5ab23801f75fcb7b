//! The form splitter: one cheap lexer pass cuts a file into forms at the
//! Erlang "dot" (as `erl_parse` gets them from `epp`), classifies each form
//! and runs the structural check, all without tree-sitter.

use std::borrow::Cow;
use std::ops::Range;

use super::source_file::SourceFile;
use super::structure::{check_token, keyword_opener, unclosed, StructureError, STRUCTURAL};
use super::token::{tokenize_noting_long, Bracket, Keyword, Token, TokenKind, FIRST_WALKED};
use crate::diagnostic::{Diagnostic, Severity};

/// The diagnostic code of syntax errors, from the cheap check and tree-sitter alike.
pub const PARSE_ERROR: &str = "parse-error";

/// What a form is, judged from its first tokens. The name of an
/// attribute or function is its token's text ([`Forms::name_of`]): a copy
/// for each of the hundred thousand forms of a large tree was a tenth of
/// the allocations of indexing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormKind {
    /// `-name(...)` or `-name.`: `module`, `behaviour`, `define`, `ifdef`,
    /// `spec`, ... The name is the second token.
    Attribute,
    /// A function: `name(...) -> ...`, named by the first token. The arity
    /// is that of the first clause.
    Function {
        /// Number of arguments of the first clause head.
        arity: u32,
    },
    /// Anything else: a function named by a macro, a stray expression.
    Unknown,
}

/// One form of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Form {
    /// Bytes from the first token to the terminating dot, inclusive.
    pub(crate) range: Range<usize>,
    /// The classification.
    pub(crate) kind: FormKind,
    /// True when the form ends with a dot (false only for a last form cut off by the end of file).
    terminated: bool,
    /// The form's tokens (dot excluded) in [`Forms::tokens`] (which also
    /// holds the dots).
    tokens: Range<usize>,
    /// Its atoms in module position, in [`Forms::module_atoms`].
    module_atoms: Range<usize>,
    /// True when it has `?` or `??`: it uses a macro.
    pub(crate) uses_macros: bool,
}

/// A file cut into forms, with the tokens and the structural diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    /// The forms in source order.
    pub(crate) forms: Vec<Form>,
    /// Every token of the file, dots included (comments and white space excluded).
    pub tokens: Vec<Token>,
    /// One parse-error diagnostic per clearly broken form.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The atoms and integers longer than the longest atom, for
    /// `literal_limits`: noted by the lexer, not in a pass of their own.
    pub(crate) long_tokens: Vec<Token>,
    /// Every atom in module position (just before a `:`: `m:f(`, `fun
    /// m:f/1`, also `error:R` in a `catch`), as its index in `tokens`, in
    /// order: found in the walk that looks for dots, so that indexing need
    /// not walk the functions' tokens again.
    module_atoms: Vec<usize>,
}

impl Forms {
    /// The tokens of one form.
    pub(crate) fn tokens_of(&self, form: &Form) -> &[Token] {
        self.tokens.get(form.tokens.clone()).unwrap_or(&[])
    }

    /// The atoms of one form in module position (see [`Forms::module_atoms`]).
    pub(crate) fn module_atoms_of<'f>(&'f self, form: &Form) -> impl Iterator<Item = &'f Token> {
        let at = self.module_atoms.get(form.module_atoms.clone());
        at.unwrap_or(&[]).iter().filter_map(|&i| self.tokens.get(i))
    }

    /// The name of an attribute (without the `-`) or function form, a
    /// quoted atom unquoted; `text` is the file's.
    pub(crate) fn name_of<'t>(&self, form: &Form, text: &'t str) -> Option<Cow<'t, str>> {
        let at = match form.kind {
            FormKind::Attribute => 1,
            FormKind::Function { .. } => 0,
            FormKind::Unknown => return None,
        };
        self.tokens_of(form).get(at)?.atom_str(text)
    }

    /// The attribute name, for attribute forms.
    pub(crate) fn attribute_name<'t>(&self, form: &Form, text: &'t str) -> Option<Cow<'t, str>> {
        match form.kind {
            FormKind::Attribute => self.name_of(form, text),
            _ => None,
        }
    }
}

/// Splits a file into classified forms and checks each one's structure.
pub(crate) fn split_forms(file: &SourceFile) -> Forms {
    split_forms_into(file, Forms::default())
}

/// [`split_forms`] filling the buffers of an earlier split (`reuse`,
/// cleared first): fresh large buffers, grown token by token and form by
/// form, cost page faults and copies on every file.
pub fn split_forms_into(file: &SourceFile, reuse: Forms) -> Forms {
    let text = &*file.text;
    let Forms {
        mut forms,
        mut tokens,
        mut module_atoms,
        ..
    } = reuse;
    forms.clear();
    module_atoms.clear();
    // Roughly one token per five bytes of Erlang; avoids most regrowth. A
    // buffer too small is replaced, not grown: growing copies its old
    // contents.
    let expected = text.len() / 5;
    if tokens.capacity() < expected {
        tokens = Vec::with_capacity(expected);
    }
    tokens.clear();
    let long_tokens = tokenize_noting_long(text, &mut tokens);
    let mut diagnostics = Vec::new();
    let mut form_start = 0;
    let mut stack = Vec::new();
    // Macros of this file whose replacement is not balanced code
    // (`-define(CASE(X), case X of).`): legal, since epp works on tokens,
    // so neither the define nor a form using it is an error here.
    let mut partial_macros: Vec<&str> = Vec::new();
    while form_start < tokens.len() {
        let first_module_atom = module_atoms.len();
        let walk = walk_form(text, &tokens[form_start..], &mut stack, |i| {
            module_atoms.push(form_start + i);
        });
        let i = form_start + walk.len;
        let dot = tokens.get(i).copied();
        let toks = &tokens[form_start..i];
        match toks.first() {
            Some(first) => {
                let end = match dot {
                    Some(d) => d.end as usize,
                    None => toks.last().map_or(0, |t| t.end as usize),
                };
                let kind = classify(text, toks);
                let in_attribute = kind == FormKind::Attribute;
                let checked = walk.error;
                let excused = checked.is_some() && {
                    let name = toks.get(1).and_then(|t| t.atom_str(text));
                    if in_attribute && name.as_deref() == Some("define") {
                        if let Some(name) = toks.get(3).map(|t| t.text(text)) {
                            partial_macros.push(name);
                        }
                        true
                    } else {
                        uses_macro(text, toks, &partial_macros)
                    }
                };
                if let Some(err) = checked.filter(|_| !excused) {
                    let mut message = err.message;
                    if let Some((at, what)) = err.open {
                        let (l, c) = file.position(at);
                        message
                            .push_str(&format!(" to close the `{what}` at line {l}, column {c}"));
                    }
                    diagnostics.push(file.diagnostic_at(
                        Severity::Error,
                        PARSE_ERROR,
                        err.offset,
                        message,
                    ));
                } else if dot.is_none() {
                    diagnostics.push(file.diagnostic_at(
                        Severity::Error,
                        PARSE_ERROR,
                        end,
                        "the last form does not end with `.`",
                    ));
                }
                forms.push(Form {
                    range: first.start as usize..end,
                    kind,
                    terminated: dot.is_some(),
                    tokens: form_start..i,
                    module_atoms: first_module_atom..module_atoms.len(),
                    uses_macros: walk.uses_macros,
                });
            }
            None => {
                if let Some(d) = dot {
                    diagnostics.push(file.diagnostic_at(
                        Severity::Error,
                        PARSE_ERROR,
                        d.start as usize,
                        "unexpected `.` with no form before it",
                    ));
                }
            }
        }
        form_start = i + 1;
    }
    Forms {
        forms,
        tokens,
        diagnostics,
        long_tokens,
        module_atoms,
    }
}

/// What one walk over a form's tokens finds.
struct FormWalk {
    /// The number of tokens before its dot (all of them without one).
    len: usize,
    /// Its first structural problem.
    error: Option<StructureError>,
    /// True when it has `?` or `??`.
    uses_macros: bool,
}

/// Walks the tokens of the form `tokens` starts with, to its dot or the
/// end: the structural check, the macros used, and each atom in module
/// position given to `module_atom` by its index. One walk for all three:
/// each of them walking every token again cost as much as the lexer's
/// own loop.
// Out of line, so that its loop has the registers to itself: inlined into
// the split, the search this loop replaced kept its depth and flags on the
// stack (4 M instructions more on OTP's lib; not measured again since).
#[inline(never)]
fn walk_form(
    text: &str,
    tokens: &[Token],
    stack: &mut Vec<(super::structure::Opener, usize)>,
    mut module_atom: impl FnMut(usize),
) -> FormWalk {
    use TokenKind as K;
    // An attribute (`-name...`) allows the `fun(...)` types of specs.
    let in_attribute = is_attribute(tokens);
    const STOPS: u32 = STRUCTURAL
        | (1 << K::Dot as u32)
        | (1 << K::Colon as u32)
        | (1 << K::Question as u32)
        | (1 << K::DoubleQuestion as u32);
    // The closers still expected, innermost last (`None` for `end`): a
    // small array on the stack, the positions left out. Any problem, or
    // nesting deeper than it holds, checks the form again with
    // `check_token`, which says what and where (broken forms are rare).
    let mut closers = [None::<Bracket>; 64];
    let mut depth = 0;
    let mut balanced = true;
    let mut uses_macros = false;
    let mut len = tokens.len();
    // The kinds the walk stops at come last in `TokenKind`, so that one
    // comparison of a token's kind and keyword bytes taken together (its
    // keyword is zero unless it is one) tells whether it concerns the walk.
    const {
        assert!(STOPS == u32::MAX << FIRST_WALKED as u32);
        assert!(Keyword::None as u8 == 0);
    }
    // Most tokens (names, literals, operators) concern none of the three
    // and are skipped. One plain loop: a search for the next token that
    // concerns them, restarted after each, cost a dozen instructions a stop.
    // The iterator alone steps through the tokens (`enumerate` stepped a
    // count beside it); a stop works its index out from what is left.
    let mut rest = tokens.iter();
    while let Some(t) = rest.next() {
        if ((t.kind as u16) | (t.keyword as u16) << 8) < FIRST_WALKED as u16 {
            continue;
        }
        // Brackets are most of the stops: handled before the index (which
        // they do not need) is worked out and before the other kinds' jump.
        if let Some(open) = t.kind.open_bracket() {
            match closers.get_mut(depth) {
                Some(slot) => *slot = Some(open),
                None => balanced = false,
            }
            depth += 1;
            continue;
        }
        if let Some(close) = t.kind.close_bracket() {
            let expected = depth.checked_sub(1).and_then(|d| closers.get(d));
            balanced &= expected == Some(&Some(close));
            depth = depth.saturating_sub(1);
            continue;
        }
        let i = tokens.len() - rest.len() - 1;
        match t.kind {
            K::Dot => {
                len = i;
                break;
            }
            K::Colon => {
                if i > 0 && matches!(tokens[i - 1].kind, K::Atom | K::QuotedAtom) {
                    module_atom(i - 1);
                }
            }
            K::Question | K::DoubleQuestion => uses_macros = true,
            K::Atom => {
                if keyword_opener(text, tokens, i, in_attribute).is_some() {
                    match closers.get_mut(depth) {
                        Some(slot) => *slot = None,
                        None => balanced = false,
                    }
                    depth += 1;
                } else if t.keyword == Keyword::End
                    && !(i > 0 && matches!(tokens[i - 1].kind, K::Question | K::Hash))
                {
                    let expected = depth.checked_sub(1).and_then(|d| closers.get(d));
                    balanced &= expected == Some(&None);
                    depth = depth.saturating_sub(1);
                }
            }
            _ => balanced = false,
        }
    }
    let error = if balanced && depth == 0 {
        None
    } else {
        stack.clear();
        (0..len)
            .find_map(|i| check_token(text, tokens, i, in_attribute, stack))
            .or_else(|| unclosed(stack))
    };
    FormWalk {
        len,
        error,
        uses_macros,
    }
}

/// True when the form calls one of `macros` (`?NAME`).
fn uses_macro(text: &str, toks: &[Token], macros: &[&str]) -> bool {
    !macros.is_empty()
        && toks
            .windows(2)
            .any(|w| w[0].kind == TokenKind::Question && macros.contains(&w[1].text(text)))
}

/// Whether the form `toks` starts (its first tokens are enough) is an
/// attribute: `-` and an atom.
fn is_attribute(toks: &[Token]) -> bool {
    toks.first().is_some_and(|t| t.kind == TokenKind::Minus)
        && toks
            .get(1)
            .is_some_and(|t| matches!(t.kind, TokenKind::Atom | TokenKind::QuotedAtom))
}

/// Classifies a form from its first tokens.
fn classify(text: &str, toks: &[Token]) -> FormKind {
    if is_attribute(toks) {
        return FormKind::Attribute;
    }
    match toks.first().map(|t| t.kind) {
        Some(TokenKind::Atom | TokenKind::QuotedAtom)
            if toks.get(1).map(|t| t.kind) == Some(TokenKind::OpenParen) =>
        {
            FormKind::Function {
                arity: head_arity(text, toks),
            }
        }
        _ => FormKind::Unknown,
    }
}

/// Counts the arguments of the first clause head: depth-0 commas between
/// the `(` at token 1 and its match, plus one (zero for `()`).
fn head_arity(text: &str, toks: &[Token]) -> u32 {
    let mut depth = 0u32;
    let mut commas = 0u32;
    let mut any = false;
    for (i, t) in toks.iter().enumerate().skip(1) {
        match t.kind {
            k if k.open_bracket().is_some() => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            k if k.close_bracket().is_some() => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            TokenKind::Comma if depth == 1 => commas += 1,
            TokenKind::Atom => {
                if keyword_opener(text, toks, i, false).is_some() {
                    depth += 1;
                } else if t.keyword == Keyword::End {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        any = true;
    }
    if any {
        commas + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Forms {
        split_forms(&SourceFile::from_text("t.erl", text))
    }

    /// A form's kind with its name, as the tests compare them.
    #[derive(Debug, PartialEq)]
    enum Kind {
        Attribute(String),
        Function(String, u32),
        Unknown,
    }

    fn kinds(text: &str) -> Vec<Kind> {
        let forms = split(text);
        let name = |f: &Form| forms.name_of(f, text).unwrap_or_default().into_owned();
        forms
            .forms
            .iter()
            .map(|f| match f.kind {
                FormKind::Attribute => Kind::Attribute(name(f)),
                FormKind::Function { arity } => Kind::Function(name(f), arity),
                FormKind::Unknown => Kind::Unknown,
            })
            .collect()
    }

    fn func(name: &str, arity: u32) -> Kind {
        Kind::Function(name.to_owned(), arity)
    }

    fn attr(name: &str) -> Kind {
        Kind::Attribute(name.to_owned())
    }

    #[test]
    fn dots_inside_tokens_do_not_split() {
        let src = "-module(m).\nf() -> $., \"a.b\", 'x.y', 1.5, X#rec.f. % a comment. with dots.\ng(A, B) -> {A, B}.\n";
        assert_eq!(kinds(src), vec![attr("module"), func("f", 0), func("g", 2)]);
        assert!(split(src).diagnostics.is_empty());
    }

    #[test]
    fn funs_without_end_and_specs() {
        let src = "-spec h(fun((a) -> b)) -> ok.\nh(F) -> G = fun m:f/1, H = fun f/1, [F, G, H].\n'quoted fun'(<<X:8, _/binary>>, [a, b], {c, d}, fun(A, B) -> A, B end) -> X.\n";
        let f = split(src);
        assert_eq!(
            kinds(src),
            vec![attr("spec"), func("h", 1), func("quoted fun", 4)]
        );
        assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    }

    #[test]
    fn ranges_and_crlf() {
        let src = "-module(m).\r\n\r\nf() ->\r\n  ok.\r\n";
        let f = split(src);
        assert_eq!(&src[f.forms[1].range.clone()], "f() ->\r\n  ok.");
        let broken = "-module(m).\r\nf() ->\r\n  (ok.\r\n";
        let d = &split(broken).diagnostics[0];
        assert_eq!((d.line, d.column), (3, Some(3)));
    }

    #[test]
    fn structural_errors_have_positions() {
        let src = "-module(m).\nf(X) ->\n    case X of\n        a -> [1, 2};\n        _ -> ok\n    end.\ng() -> \"open.\n";
        let f = split(src);
        assert_eq!(f.diagnostics.len(), 2, "{:?}", f.diagnostics);
        let d = &f.diagnostics[0];
        assert_eq!((d.line, d.column), (4, Some(19)));
        assert_eq!(
            d.message,
            "unexpected `}`, expected `]` to close the `[` at line 4, column 14"
        );
        let d = &f.diagnostics[1];
        assert_eq!(
            (d.line, d.column, d.message.as_str()),
            (7, Some(8), "string is not terminated")
        );
    }

    #[test]
    fn arity_edge_cases() {
        assert_eq!(kinds("f() -> ok."), vec![func("f", 0)]);
        assert_eq!(kinds("f([A, B], {C}) -> ok."), vec![func("f", 2)]);
        assert_eq!(kinds("f(<<A, B>>, (C)) -> ok."), vec![func("f", 2)]);
        assert_eq!(kinds("f(?M(a, b), c) -> ok."), vec![func("f", 2)]);
        assert_eq!(
            kinds("f(X) when X > 0, X < 9 -> ok; f(_) -> no."),
            vec![func("f", 1)]
        );
        assert_eq!(kinds("?F(x) -> ok."), vec![Kind::Unknown]);
    }

    #[test]
    fn unterminated_last_form() {
        let f = split("-module(m).\nf() -> ok");
        assert_eq!(f.forms.len(), 2);
        assert!(!f.forms[1].terminated);
        assert_eq!(
            f.diagnostics[0].message,
            "the last form does not end with `.`"
        );
    }
}
