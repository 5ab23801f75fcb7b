//! Lowering tree-sitter nodes into the owned AST: one test per kind of
//! expression, checking structure (and, where it is the clearest check,
//! the expression printed back in Erlang syntax).

use otpmap::diagnostic::Diagnostic;
use otpmap::syntax::ast::{BinaryOp, Qualifier, UnaryOp};
use otpmap::syntax::{index_module, walk_function, Expr, ExprKind, Function, SourceFile, Walk};

/// A parsed function and the syntax errors in it.
struct Parsed {
    function: std::sync::Arc<Function>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses `f() -> <body>.` and returns the parsed function.
fn function(body: &str) -> Parsed {
    let src = format!("-module(t).\nf() ->\n    {body}.\n");
    let index = index_module(SourceFile::from_text("t.erl", src));
    let entry = index.function_entry("f", 0).expect("f/0 is indexed");
    Parsed {
        function: entry.function(),
        diagnostics: entry.diagnostics().to_vec(),
    }
}

/// The first expression of `f() -> <body>.`
fn expr(body: &str) -> Expr {
    let f = function(body);
    assert!(f.diagnostics.is_empty(), "{body}: {:?}", f.diagnostics);
    f.function.clauses[0].body[0].clone()
}

/// Lowers and prints back; the printer is tested to keep the structure.
fn roundtrip(body: &str) -> String {
    expr(body).to_string()
}

#[test]
fn atoms_vars_and_numbers() {
    assert_eq!(
        expr("'hello world'").kind,
        ExprKind::Atom("hello world".into())
    );
    assert_eq!(expr("Foo").kind, ExprKind::Var("Foo".into()));
    let e = expr("16#FF");
    assert_eq!(e.as_integer(), Some(255));
    assert!(
        matches!(e.kind, ExprKind::Integer { ref text, char: false, .. } if &**text == "16#FF")
    );
    let e = expr("$\\n");
    assert!(matches!(
        e.kind,
        ExprKind::Integer {
            value: Some(v),
            char: true,
            ..
        } if v.get() == 10
    ));
    assert!(matches!(expr("2.5e3").kind, ExprKind::Float { value, .. } if value == 2500.0));
    let big = expr("123456789012345678901234567890123456789012");
    assert!(matches!(big.kind, ExprKind::Integer { value: None, .. }));
}

#[test]
fn spans_are_file_positions() {
    let e = expr("ok");
    assert_eq!((e.span.line, e.span.column), (3, 5));
    assert_eq!(e.span.end - e.span.start, 2);
}

#[test]
fn strings_are_joined_and_unescaped() {
    assert_eq!(
        expr("\"a\\tb\" \"c\\\"d\"").kind,
        ExprKind::String("a\tbc\"d".into())
    );
    match expr("?MODULE_STRING \".erl\"").kind {
        ExprKind::Concat(parts) => {
            assert!(matches!(&parts[0].kind, ExprKind::Macro(m) if m.name == "MODULE_STRING"));
            assert_eq!(parts[1].kind, ExprKind::String(".erl".into()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn compound_terms() {
    assert_eq!(
        roundtrip("{a, [1, 2 | T], #{k => v, q := w}}"),
        "{a, [1, 2 | T], #{k => v, q := w}}"
    );
    assert_eq!(roundtrip("M#{k := 1}"), "M#{k := 1}");
    match expr("[H | T]").kind {
        ExprKind::List { elems, tail } => {
            assert_eq!(elems.len(), 1);
            assert_eq!(tail.map(|t| t.kind), Some(ExprKind::Var("T".into())));
        }
        other => panic!("{other:?}"),
    }
    match expr("<<X:8/integer-little, Rest/binary, \"s\">>").kind {
        ExprKind::Binary(segs) => {
            assert_eq!(segs.len(), 3);
            assert_eq!(segs[0].size.as_ref().and_then(Expr::as_integer), Some(8));
            assert_eq!(segs[0].types, vec!["integer", "little"]);
            assert_eq!(segs[1].types, vec!["binary"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn records() {
    assert_eq!(
        roundtrip("#state{pid = P, ref = R}"),
        "#state{pid = P, ref = R}"
    );
    assert_eq!(
        roundtrip("S#state{pid = undefined}"),
        "S#state{pid = undefined}"
    );
    match expr("S#state.pid").kind {
        ExprKind::RecordField { name, field, base } => {
            assert_eq!((&*name, &*field), ("state", "pid"));
            assert_eq!(base.kind, ExprKind::Var("S".into()));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        expr("#state.pid").kind,
        ExprKind::RecordIndex { .. }
    ));
}

#[test]
fn calls_of_every_shape() {
    match expr("gen_server:call(?SERVER, ping)").kind {
        ExprKind::Call {
            module,
            function,
            args,
        } => {
            assert_eq!(
                module.map(|m| m.kind),
                Some(ExprKind::Atom("gen_server".into()))
            );
            assert_eq!(function.kind, ExprKind::Atom("call".into()));
            assert!(
                matches!(&args[0].kind, ExprKind::Macro(m) if m.name == "SERVER" && m.args.is_none())
            );
        }
        other => panic!("{other:?}"),
    }
    match expr("M:F(1)").kind {
        ExprKind::Call {
            module, function, ..
        } => {
            assert_eq!(module.map(|m| m.kind), Some(ExprKind::Var("M".into())));
            assert_eq!(function.kind, ExprKind::Var("F".into()));
        }
        other => panic!("{other:?}"),
    }
    match expr("(fun() -> ok end)()").kind {
        ExprKind::Call {
            module: None,
            function,
            args,
        } => {
            assert!(matches!(function.kind, ExprKind::Fun { .. }));
            assert!(args.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(roundtrip("local(1, 2)"), "local(1, 2)");
}

#[test]
fn funs() {
    assert_eq!(roundtrip("fun handle/2"), "fun handle/2");
    assert_eq!(roundtrip("fun lists:map/2"), "fun lists:map/2");
    assert_eq!(roundtrip("fun M:F/A"), "fun M:F/A");
    match expr("fun Loop(0) -> done; Loop(N) when N > 0 -> Loop(N - 1) end").kind {
        ExprKind::Fun { name, clauses } => {
            assert_eq!(name.as_deref(), Some("Loop"));
            assert_eq!(clauses.len(), 2);
            assert_eq!(clauses[1].guards.len(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn operators() {
    match expr("Pid ! {self(), hello}").kind {
        ExprKind::BinaryOp { op, .. } => assert_eq!(op, BinaryOp::Send),
        other => panic!("{other:?}"),
    }
    assert_eq!(roundtrip("A ++ B -- C"), "A ++ (B -- C)");
    assert_eq!(roundtrip("A andalso B orelse C"), "(A andalso B) orelse C");
    assert_eq!(roundtrip("1 + 2 * 3"), "1 + (2 * 3)");
    assert!(matches!(
        expr("not X").kind,
        ExprKind::UnaryOp {
            op: UnaryOp::Not,
            ..
        }
    ));
    assert!(matches!(
        expr("-1").kind,
        ExprKind::UnaryOp {
            op: UnaryOp::Minus,
            ..
        }
    ));
    assert!(matches!(expr("{ok, X} = f()").kind, ExprKind::Match { .. }));
}

#[test]
fn control_flow() {
    assert_eq!(
        roundtrip("case X of {ok, V} when is_integer(V) -> V; _ -> 0 end"),
        "case X of {ok, V} when is_integer(V) -> V; _ -> 0 end"
    );
    assert_eq!(
        roundtrip("if X > 1 -> a; true -> b end"),
        "if X > 1 -> a; true -> b end"
    );
    assert_eq!(
        roundtrip("receive {msg, M} -> M after 1000 -> timeout end"),
        "receive {msg, M} -> M after 1000 -> timeout end"
    );
    assert_eq!(
        roundtrip(
            "try f() of ok -> ok catch throw:T -> T; error:E:St -> {E, St} after cleanup() end"
        ),
        "try f() of ok -> ok catch throw:T -> T; error:E:St -> {E, St} after cleanup() end"
    );
    assert_eq!(roundtrip("catch f()"), "catch f()");
    assert_eq!(roundtrip("begin a, b end"), "begin a, b end");
    match expr("try g() catch _ -> x end").kind {
        ExprKind::Try(t) => {
            assert!(t.of_clauses.is_empty());
            assert!(t.catch_clauses[0].class.is_none());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn comprehensions() {
    assert_eq!(
        roundtrip("[X * 2 || X <- L, X > 1]"),
        "[X * 2 || X <- L, X > 1]"
    );
    assert_eq!(
        roundtrip("<< <<B>> || <<B>> <= Bin >>"),
        "<<<<B>> || <<B>> <= Bin>>"
    );
    match expr("#{K => V || K := V <- M}").kind {
        ExprKind::MapComprehension { qualifiers, .. } => {
            assert!(matches!(qualifiers[0], Qualifier::MapGenerator { .. }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn maybe_blocks() {
    match expr("maybe {ok, A} ?= f(), A else {error, E} -> E end").kind {
        ExprKind::Maybe { body, else_clauses } => {
            assert!(matches!(body[0].kind, ExprKind::MaybeMatch { .. }));
            assert_eq!(else_clauses.map(|c| c.len()), Some(1));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn macros_stay_unexpanded() {
    match expr("?CHILD(foo, worker)").kind {
        ExprKind::Macro(m) => {
            assert_eq!(m.name, "CHILD");
            assert_eq!(m.args.map(|a| a.len()), Some(2));
            assert_eq!(m.unresolved, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(roundtrip("?MODULE:start()"), "?MODULE:start()");
}

#[test]
fn syntax_errors_are_error_nodes_with_diagnostics() {
    let f = function("X = , ok");
    assert!(!f.diagnostics.is_empty());
    assert_eq!(f.diagnostics[0].line, 3);
    let mut errors = 0;
    walk_function(&f.function, &mut |e, _| {
        if matches!(e.kind, ExprKind::Error(_)) {
            errors += 1;
        }
        Walk::Continue
    });
    assert!(errors > 0, "{:?}", f.function);
}

#[test]
fn walk_reports_code_inside_funs() {
    let f = function("spawn(fun() -> gen_tcp:connect(H, P, []) end), gen_tcp:listen(0, [])");
    let mut calls = Vec::new();
    walk_function(&f.function, &mut |e, ctx| {
        if let ExprKind::Call { function, .. } = &e.kind {
            calls.push((function.to_string(), ctx.in_fun));
        }
        Walk::Continue
    });
    assert_eq!(
        calls,
        vec![
            ("spawn".to_owned(), false),
            ("connect".to_owned(), true),
            ("listen".to_owned(), false)
        ]
    );
}

#[test]
fn deep_nesting_is_cut_off_without_overflow() {
    let depth = 5000;
    let body = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
    let f = function(&body);
    let mut errors = 0;
    walk_function(&f.function, &mut |e, _| {
        if let ExprKind::Error(reason) = &e.kind {
            assert_eq!(reason, "expression nested too deeply");
            errors += 1;
        }
        Walk::Continue
    });
    assert_eq!(errors, 1);
    assert!(!f.function.clauses[0].body[0].to_string().is_empty());
}
