//! Macro expansion: parameters, arity overloads, nesting, predefined
//! macros, conditional definitions, and what stays unresolved.

use std::path::Path;

mod common;

use otpmap::syntax::ast::MacroExpr;
use otpmap::syntax::{
    index_module, read_source, Branch, Expr, ExprKind, MacroContext, MacroTable, ModuleIndex,
    SourceFile,
};

fn module(src: &str) -> ModuleIndex {
    index_module(SourceFile::from_text("src/m.erl", src))
}

fn table(m: &ModuleIndex) -> MacroTable {
    MacroTable::new(m.defines.iter().cloned(), MacroContext::for_module(m))
}

/// The first body expression of `name/arity`, macros expanded in the function.
fn expanded_body(m: &ModuleIndex, name: &str, arity: u32) -> Expr {
    let f = m.function(name, arity).expect("function exists");
    table(m).expand_function(&f).clauses[0].body[0].clone()
}

fn expand_src(defines: &str, body: &str) -> Expr {
    let m = module(&format!("-module(m).\n{defines}\nf() -> {body}.\n"));
    expanded_body(&m, "f", 0)
}

#[test]
fn parameters_are_substituted() {
    let e = expand_src(
        "-define(CHILD(I, Type), {I, {I, start_link, []}, permanent, 5000, Type, [I]}).",
        "?CHILD(my_server, worker)",
    );
    assert_eq!(
        e.to_string(),
        "{my_server, {my_server, start_link, []}, permanent, 5000, worker, [my_server]}"
    );
    // Nodes from the replacement take the call's position.
    assert_eq!(e.span.line, 3);
}

#[test]
fn arity_overloads() {
    let defines = "-define(F, fun_one).\n-define(F(X), {fun_two, X}).";
    assert_eq!(expand_src(defines, "?F").to_string(), "fun_one");
    assert_eq!(expand_src(defines, "?F(1)").to_string(), "{fun_two, 1}");
    // Like epp: no `F/2`, so `?F` (no parameters) is used and called.
    assert_eq!(expand_src(defines, "?F(1, 2)").to_string(), "fun_one(1, 2)");
    let e = expand_src("-define(H(X), X).", "?H(1, 2)");
    assert!(
        matches!(&e.kind, ExprKind::Macro(m) if m.unresolved.as_ref().is_some_and(|r| r.contains("no definition with 2 arguments")))
    );
    // A macro without parameters followed by arguments is a call of its replacement.
    assert_eq!(
        expand_src("-define(G, lists:reverse).", "?G([1])").to_string(),
        "lists:reverse([1])"
    );
}

#[test]
fn nested_macros_and_predefined() {
    let defines = "-define(SERVER, ?MODULE).\n-define(NAME, {local, ?SERVER}).";
    assert_eq!(expand_src(defines, "?NAME").to_string(), "{local, m}");
    assert_eq!(
        expand_src("", "?MODULE_STRING \".erl\"").kind,
        ExprKind::String("m.erl".into())
    );
    assert_eq!(
        expand_src("", "?FILE").kind,
        ExprKind::String("src/m.erl".into())
    );
    assert_eq!(expand_src("", "?LINE").as_integer(), Some(3));
    assert_eq!(
        expand_src("", "{?MACHINE, ?OTP_RELEASE}").to_string(),
        "{'BEAM', 25}"
    );
    assert_eq!(
        expand_src("", "{?FUNCTION_NAME, ?FUNCTION_ARITY}").to_string(),
        "{f, 0}"
    );
}

#[test]
fn stringify_and_recursion_guard() {
    assert_eq!(
        expand_src("-define(STR(X), ??X).", "?STR(foo(1, 2))").kind,
        ExprKind::String("foo(1, 2)".into())
    );
    let e = expand_src("-define(A, {a, ?B}).\n-define(B, {b, ?A}).", "?A");
    let printed = e.to_string();
    assert_eq!(printed, "{a, {b, ?A}}");
    match e.kind {
        ExprKind::Tuple(items) => match &items[1].kind {
            ExprKind::Tuple(inner) => {
                assert!(
                    matches!(&inner[1].kind, ExprKind::Macro(m) if m.unresolved.as_deref() == Some("recursive macro"))
                )
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_macro_may_use_its_namesake_of_another_arity() {
    // epp's circularity check keys on name and arity.
    let defines = "-define(C(I, T, S), {I, T, S}).\n-define(C(I, T), ?C(I, T, 5000)).\n-define(C(I), ?C(I, worker)).";
    assert_eq!(
        expand_src(defines, "?C(w)").to_string(),
        "{w, worker, 5000}"
    );
    let e = expand_src("-define(L(X), [X | ?L(X)]).", "?L(1)");
    assert!(e.to_string().contains("?L"), "{e}");
}

#[test]
fn undefined_macro_stays_with_a_reason() {
    let e = expand_src("", "?NOPE(1)");
    match e.kind {
        ExprKind::Macro(m) => {
            assert_eq!(m.name, "NOPE");
            assert_eq!(m.args.map(|a| a.len()), Some(1));
            assert_eq!(m.unresolved.as_deref(), Some("undefined macro"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn conditional_definitions_give_alternatives() {
    let defines = "-ifdef(TEST).\n-define(POOL, 1).\n-else.\n-define(POOL, 10).\n-endif.";
    let e = expand_src(defines, "{pool, ?POOL}");
    let ExprKind::Tuple(items) = e.kind else {
        panic!()
    };
    let ExprKind::Conditional(alts) = &items[1].kind else {
        panic!("{:?}", items[1])
    };
    let got: Vec<_> = alts
        .iter()
        .map(|a| (a.condition.terms()[0].branch, a.expr.as_integer()))
        .collect();
    assert_eq!(got, vec![(Branch::Then, Some(1)), (Branch::Else, Some(10))]);
}

#[test]
fn decidable_conditions_are_decided() {
    // OTP_RELEASE is predefined: only the `then` branch can hold.
    let defines = "-ifdef(OTP_RELEASE).\n-define(X, new).\n-else.\n-define(X, old).\n-endif.";
    assert_eq!(expand_src(defines, "?X").to_string(), "new");
    // `-ifndef(T). -define(T, ...). -endif.` is a default, not a condition.
    assert_eq!(
        expand_src(
            "-ifndef(TIMEOUT).\n-define(TIMEOUT, 5000).\n-endif.",
            "?TIMEOUT"
        )
        .as_integer(),
        Some(5000)
    );
}

#[test]
fn header_macros_in_include_order_resolve_a_behaviour() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    let read = |n: &str| index_module(read_source(&root, &root.join(n), 1 << 20).unwrap());
    let header = read("demo_app.hrl");
    let worker = read("demo_worker.erl");
    let table = MacroTable::new(
        header.defines.iter().chain(&worker.defines).cloned(),
        MacroContext::for_module(&worker),
    );
    assert_eq!(
        table.expand(&worker.behaviours[0].name).as_atom(),
        Some("gen_server")
    );
    let start = worker.function("start_link", 0).unwrap();
    let body = table.expand_function(&start).clauses[0].body[0].to_string();
    assert_eq!(body, "gen_server:start_link(demo_worker, [], [])");

    let sup = read("demo_sup.erl");
    let table = MacroTable::new(
        header.defines.iter().chain(&sup.defines).cloned(),
        MacroContext::for_module(&sup),
    );
    let init = sup.function("init", 1).unwrap();
    let expanded = table.expand_function(&init);
    let children = expanded.clauses[0].body[1].to_string();
    assert!(
        children.contains(
            "#{id => demo_worker, start => {demo_worker, start_link, []}, type => worker}"
        ),
        "{children}"
    );
    let pool = table.expand(&Expr::new(
        ExprKind::Macro(Box::new(MacroExpr {
            name: "HAS_MAPS".into(),
            args: None,
            unresolved: None,
        })),
        Default::default(),
    ));
    assert!(matches!(pool.kind, ExprKind::Conditional(ref alts) if alts.len() == 3));
}

#[test]
fn predefined_macros_without_their_context_say_why() {
    let h = index_module(SourceFile::from_text(
        "include/h.hrl",
        "-define(NAME, {?MODULE, ?FUNCTION_NAME}).\n",
    ));
    let table = MacroTable::new(h.defines.iter().cloned(), MacroContext::for_module(&h));
    let name = Expr::new(
        ExprKind::Macro(Box::new(MacroExpr {
            name: "NAME".into(),
            args: None,
            unresolved: None,
        })),
        Default::default(),
    );
    let ExprKind::Tuple(items) = table.expand(&name).kind else {
        panic!()
    };
    let reasons: Vec<_> = items
        .iter()
        .map(|e| match &e.kind {
            ExprKind::Macro(m) => m.unresolved.clone().unwrap_or_default(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            "no module here (a header read on its own)",
            "not inside a function"
        ]
    );
}

/// Every definition of a name, in table order, a later one with the same
/// arity and condition replacing an earlier one; names that share a
/// prefix stay apart.
#[test]
fn definitions_by_name_after_replacement() {
    let m = module(
        "-module(m).\n\
         -define(B, 1).\n\
         -define(A(X), X).\n\
         -define(A, 2).\n\
         -ifdef(T).\n\
         -define(A, 3).\n\
         -endif.\n\
         -define(A, 4).\n\
         -define(AB, 5).\n\
         -define(A_, 6).\n",
    );
    let t = table(&m);
    let bodies = |name: &str| -> Vec<String> {
        t.definitions(name)
            .iter()
            .map(|d| d.raw_body().trim().to_owned())
            .collect()
    };
    assert_eq!(bodies("A"), ["X", "3", "4"]);
    assert_eq!(bodies("AB"), ["5"]);
    assert_eq!(bodies("A_"), ["6"]);
    assert_eq!(bodies("B"), ["1"]);
    assert!(bodies("C").is_empty());
    assert!(bodies("").is_empty());
    assert!(t.is_defined("AB") && t.is_defined("MODULE"));
    assert!(!t.is_defined("AA"));
    assert_eq!(t.defines().count(), 7);
}

/// `expand_shared` is `expand_function` without the copy when nothing
/// expands: the same `Arc` back for plain code (string literals written
/// side by side are joined when lowered); an expanded copy when a macro is
/// anywhere, however deep, or a concatenation holds one.
#[test]
fn expand_shared_copies_only_what_expands() {
    let m = module(
        "-module(m).\n-define(T, 5000).\n\
         plain(X) -> case X of {a, B} -> fun() -> [B | \"s\"] end; _ -> ok end.\n\
         deep(X) -> case X of {a, _} -> fun() -> [?T] end; _ -> ok end.\n\
         joined() -> {x, [\"a\" \"b\"]}.\n\
         concat() -> {x, [?MODULE_STRING \".erl\"]}.\n",
    );
    let t = table(&m);
    for (name, arity, shared) in [
        ("plain", 1, true),
        ("deep", 1, false),
        ("joined", 0, true),
        ("concat", 0, false),
    ] {
        let f = m.function(name, arity).expect("function exists");
        let got = t.expand_shared(&f);
        assert_eq!(std::sync::Arc::ptr_eq(&got, &f), shared, "{name}");
        assert_eq!(*got, t.expand_function(&f), "{name}");
    }
    let body = |name, arity| {
        t.expand_shared(&m.function(name, arity).unwrap()).clauses[0].body[0].to_string()
    };
    assert!(body("deep", 1).contains("[5000]"));
    assert_eq!(body("joined", 0), "{x, [\"ab\"]}");
    assert_eq!(body("concat", 0), "{x, [\"m.erl\"]}");
}

#[test]
fn modules_that_see_the_same_defines_share_one_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write_file(
        root,
        "src/w.app.src",
        "{application, w, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    common::write_file(
        root,
        "include/w.hrl",
        "-define(NAME, ?MODULE).\n-define(TIMEOUT, 5000).\n",
    );
    let plain = |m: &str| {
        format!(
            "-module({m}).\n-include(\"w.hrl\").\n-export([f/0]).\nf() -> {{?NAME, ?TIMEOUT}}.\n"
        )
    };
    common::write_file(root, "src/w_a.erl", &plain("w_a"));
    common::write_file(root, "src/w_b.erl", &plain("w_b"));
    // Its own define makes another list, which replaces the header's.
    common::write_file(
        root,
        "src/w_c.erl",
        "-module(w_c).\n-include(\"w.hrl\").\n-undef(TIMEOUT).\n-define(TIMEOUT, 1).\n\
         -export([f/0]).\nf() -> {?NAME, ?TIMEOUT}.\n",
    );
    let project = otpmap::load::load(root, &otpmap::load::LoadOptions::default()).unwrap();
    let m = |name: &str| project.sources.module(name).unwrap();
    assert!(m("w_a").macros.shares_defines_with(&m("w_b").macros));
    assert!(!m("w_a").macros.shares_defines_with(&m("w_c").macros));
    // The list is shared, `?MODULE` is still each module's own.
    let body = |name: &str| {
        let module = m(name);
        let f = module.index.function("f", 0).unwrap();
        module.macros.expand_function(&f).clauses[0].body[0].to_string()
    };
    assert_eq!(body("w_a"), "{w_a, 5000}");
    assert_eq!(body("w_b"), "{w_b, 5000}");
    assert_eq!(body("w_c"), "{w_c, 1}");
}

/// `?REC{...}`, `X?REC{...}`, `X?REC.f` and `?REC.f` with
/// `-define(REC, #rec).` (riak_core's `?CHSTATE{}`): tree-sitter cannot
/// parse them, the fast path reads the record expressions erlc sees, and
/// the expansion names the record, as it does for `#?R{}` with
/// `-define(R, rec).`.
#[test]
fn macros_standing_for_a_record() {
    let src = "-module(m).\n-record(st, {a, b = 0}).\n-define(ST, #st).\n-define(N, st).\n\
               f(S = ?ST{a = A}) -> {?ST{a = 1}, S?ST{b = A}, S?ST.b, ?ST.a, #?N{a = 2}, S#?N.a}.\n";
    let m = module(src);
    let f = m.function("f", 1).expect("f/1");
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    let expanded = table(&m).expand_function(&f);
    let clause = &expanded.clauses[0];
    assert_eq!(clause.patterns[0].to_string(), "S = #st{a = A}");
    assert_eq!(
        clause.body[0].to_string(),
        "{#st{a = 1}, S#st{b = A}, S#st.b, #st.a, #st{a = 2}, S#st.a}"
    );
    // Spans are the source's: `?ST{a = 1}` from its `?` to its `}`.
    let ExprKind::Tuple(items) = &clause.body[0].kind else {
        panic!("a tuple: {:?}", clause.body[0]);
    };
    assert_eq!(&src[items[0].span.range()], "?ST{a = 1}");
    assert_eq!(&src[items[1].span.range()], "S?ST{b = A}");
    assert_eq!(&src[items[3].span.range()], "?ST.a");
    // A macro that names no record is left as it is.
    let e = expand_src("-define(X, {a}).", "?X{a = 1}");
    assert!(
        matches!(e.kind, ExprKind::Record { ref name, .. } if &**name == "?X"),
        "{e:?}"
    );
}
