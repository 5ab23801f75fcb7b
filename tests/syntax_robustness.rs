//! Arbitrary input never panics: random token soups (Erlang-flavoured, so
//! that they reach deep into the lexer, the checker, tree-sitter and the
//! lowering) are indexed, every function parsed, macros expanded and the
//! result printed.

use otpmap::syntax::{index_module, MacroContext, MacroTable, SourceFile};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "f",
    "g(",
    "X",
    "_",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<<",
    ">>",
    ",",
    ";",
    ".",
    ". ",
    ".\n",
    "->",
    ":",
    "::",
    "#",
    "#{",
    "=>",
    ":=",
    "?",
    "??",
    "?M",
    "?M(",
    "-",
    "-module(m).\n",
    "-define(M, ",
    "-define(M(A), A).\n",
    "-ifdef(T).\n",
    "-else.\n",
    "-endif.\n",
    "-record(r, {a = 1, b}).\n",
    "-behaviour(",
    "-export([f/0]).\n",
    "fun",
    " fun ",
    "end",
    " end ",
    "case",
    " of ",
    "if",
    "receive",
    "after",
    "try",
    "catch",
    "begin",
    "maybe",
    "else",
    "when",
    "\"s",
    "\"",
    "'a",
    "'",
    "$",
    "$.",
    "$\\",
    "1",
    "1.5",
    "16#ff",
    "% c\n",
    " ",
    "\n",
    "\r\n",
    "|",
    "||",
    "<-",
    "<=",
    "!",
    "++",
    "=",
    "==",
    "+",
    "*",
    "/",
    "é",
    "\u{1F600}",
    "~s\"",
    "\"\"\"\n",
];

/// How generated forms start, so that many of them are functions.
const STARTS: &[&str] = &[
    "f() -> ",
    "g(A, B) -> ",
    "h(",
    "-define(M, ",
    "-define(N(X), ",
    "-record(r, {",
    "",
];

fn soup() -> impl Strategy<Value = String> {
    let piece = prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat());
    let form =
        (prop::sample::select(STARTS), piece).prop_map(|(start, body)| format!("{start}{body}.\n"));
    prop::collection::vec(form, 0..6).prop_map(|v| v.concat())
}

static FUNCTIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn indexing_and_parsing_never_panic(body in soup()) {
        let src = format!("-module(m).\n{body}");
        let m = index_module(SourceFile::from_text("m.erl", src.clone()));
        let table = MacroTable::new(m.defines.iter().cloned(), MacroContext::for_module(&m));
        FUNCTIONS.fetch_add(m.functions.len(), std::sync::atomic::Ordering::Relaxed);
        for f in &m.functions {
            let function = f.function();
            let expanded = table.expand_function(&function);
            for c in &expanded.clauses {
                for e in &c.body {
                    let _ = e.to_string();
                }
            }
            let _ = f.diagnostics();
        }
        for r in &m.records {
            let _ = r.fields();
        }
        if std::env::var_os("SHOW_COUNT").is_some() {
            eprintln!("functions so far: {}", FUNCTIONS.load(std::sync::atomic::Ordering::Relaxed));
        }
        for d in &m.diagnostics {
            prop_assert!(d.line >= 1);
            prop_assert!(d.line as usize <= src.lines().count() + 1);
        }
    }
}

/// Found by the property above: an attribute with empty parentheses took
/// the first argument token of an empty list.
#[test]
fn attributes_with_empty_parentheses_are_malformed_not_a_panic() {
    for attr in ["-behaviour().", "-behavior().", "-module().", "-export()."] {
        let src = format!("{attr}\n-module(m).\nf() -> ok.\n");
        let m = index_module(SourceFile::from_text("m.erl", src));
        assert_eq!(m.functions.len(), 1, "{attr}");
    }
}
