//! The module index over the fixtures in `tests/fixtures/syntax/`:
//! attributes, conditional compilation, laziness, diagnostics, and
//! parallel indexing.

use std::path::{Path, PathBuf};

use otpmap::syntax::{
    index_files, index_module, read_source, Branch, ExprKind, IndexOptions, MacroBody, ModuleIndex,
    SourceFile, TestKind,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax")
}

fn fixture(name: &str) -> ModuleIndex {
    let root = fixtures();
    index_module(read_source(&root, &root.join(name), 1 << 20).expect("fixture is readable"))
}

#[test]
fn module_behaviour_exports_and_includes() {
    let m = fixture("demo_sup.erl");
    assert_eq!(m.name(), Some("demo_sup"));
    let module = m.module.as_ref().unwrap();
    assert_eq!((module.span.line, module.span.column), (2, 9));
    assert_eq!(m.behaviours.len(), 1);
    assert_eq!(m.behaviours[0].atom(), Some("supervisor"));
    let exports: Vec<_> = m
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.arity))
        .collect();
    assert_eq!(exports, vec![("start_link", 0), ("init", 1)]);
    assert!(m.export_all);
    assert!(m.is_exported("where", 0));
    let includes: Vec<_> = m
        .includes
        .iter()
        .map(|i| (i.path.as_str(), i.lib, i.literal))
        .collect();
    assert_eq!(
        includes,
        vec![
            ("demo_app.hrl", false, true),
            ("kernel/include/logger.hrl", true, true)
        ]
    );
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
}

#[test]
fn behaviour_through_a_macro_is_kept_unexpanded() {
    let m = fixture("demo_worker.erl");
    assert_eq!(m.behaviours.len(), 1);
    assert!(matches!(
        &m.behaviours[0].name.kind,
        ExprKind::Macro(m) if m.name == "GEN_SERVER" && m.args.is_none()
    ));
    assert_eq!(m.behaviours[0].atom(), None);
}

#[test]
fn functions_are_parsed_lazily_and_once() {
    let m = fixture("demo_sup.erl");
    let names: Vec<_> = m
        .functions
        .iter()
        .map(|f| format!("{}/{}", f.name(), f.arity))
        .collect();
    assert_eq!(
        names,
        vec![
            "start_link/0",
            "init/1",
            "test_only/0",
            "test_only/0",
            "where/0"
        ]
    );
    assert!(m.functions.iter().all(|f| !f.is_parsed()));
    let init = m.function("init", 1).expect("init/1");
    assert_eq!(init.clauses.len(), 1);
    assert_eq!(init.span.line, 32);
    assert!(m.function_entry("init", 1).unwrap().is_parsed());
    assert!(!m.function_entry("start_link", 0).unwrap().is_parsed());
    let again = m.function("init", 1).unwrap();
    assert!(std::sync::Arc::ptr_eq(&init, &again));
    assert!(m.function("nope", 0).is_none());
}

#[test]
fn conditional_forms_are_kept_and_marked() {
    let m = fixture("demo_sup.erl");
    let alts: Vec<_> = m.function_entries("test_only", 0).collect();
    assert_eq!(alts.len(), 2);
    let t = alts[0].condition().terms();
    assert_eq!(
        (t[0].kind, t[0].text.as_str(), t[0].branch),
        (TestKind::Ifdef, "TEST", Branch::Then)
    );
    assert_eq!(alts[1].condition().terms()[0].branch, Branch::Else);
    assert_eq!(alts[1].condition().to_string(), "TEST undefined");
    assert!(m.function_entry("init", 1).unwrap().condition().is_always());

    let has_maps: Vec<_> = m.defines.iter().filter(|d| d.name == "HAS_MAPS").collect();
    assert_eq!(has_maps.len(), 3);
    assert_eq!(has_maps[0].condition().to_string(), "(?OTP_RELEASE >= 23)");
    assert_eq!(
        has_maps[1].condition().to_string(),
        "not (?OTP_RELEASE >= 23) and (?OTP_RELEASE >= 21)"
    );
    assert_eq!(
        has_maps[2].condition().to_string(),
        "not (?OTP_RELEASE >= 23) and not (?OTP_RELEASE >= 21)"
    );
}

#[test]
fn header_defines_records_and_include_guard() {
    let h = fixture("demo_app.hrl");
    assert_eq!(h.name(), None);
    assert!(h.diagnostics.is_empty(), "{:?}", h.diagnostics);
    // The include guard adds no condition.
    assert!(h.defines.iter().all(|d| d.condition().is_always()));
    let child = h.defines.iter().find(|d| d.name == "CHILD").unwrap();
    assert_eq!(
        child.params.as_deref(),
        Some(&["Id".to_owned(), "Type".to_owned()][..])
    );
    assert!(matches!(child.body(), MacroBody::Expr(e) if matches!(e.kind, ExprKind::Map(_))));
    let conn = h.record("conn").unwrap();
    let fields: Vec<_> = conn
        .fields()
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_ref().map(ToString::to_string)))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("host", Some("\"localhost\"".to_owned())),
            ("port", Some("5432".to_owned())),
            ("opts", Some("[]".to_owned()))
        ]
    );
}

#[test]
fn define_bodies_that_are_not_expressions_stay_raw() {
    let src = "-module(r).\n-define(GUARD(X), is_integer(X); is_float(X)).\n-define(EMPTY, ).\n-define(FLAG).\n";
    let m = index_module(SourceFile::from_text("r.erl", src));
    let body = |n: &str| {
        m.defines
            .iter()
            .find(|d| d.name == n)
            .unwrap()
            .body()
            .clone()
    };
    assert!(
        matches!(body("GUARD"), MacroBody::Raw { text, .. } if text == "is_integer(X); is_float(X)")
    );
    assert!(matches!(body("EMPTY"), MacroBody::Raw { .. }));
    assert!(matches!(body("FLAG"), MacroBody::Expr(e) if e.as_atom() == Some("true")));
}

#[test]
fn structural_errors_without_tree_sitter() {
    let m = fixture("broken.erl");
    let errors: Vec<_> = m
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse-error")
        .map(|d| (d.line, d.column.unwrap_or(0), d.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                8,
                19,
                "unexpected `}`, expected `]` to close the `[` at line 8, column 14"
            ),
            (
                13,
                5,
                "`begin` is not closed by `end` before the end of the form"
            ),
        ]
    );
    // Every function is still indexed, the broken ones included.
    let names: Vec<_> = m.functions.iter().map(|f| f.name()).collect();
    assert_eq!(names, vec!["ok", "bad_bracket", "unclosed", "after_error"]);
    assert!(m.function_entry("ok", 0).unwrap().diagnostics().is_empty());
    assert!(!m
        .function_entry("bad_bracket", 1)
        .unwrap()
        .diagnostics()
        .is_empty());
}

#[test]
fn crlf_positions() {
    let m = fixture("crlf.erl");
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.code == "parse-error")
        .expect("an error");
    assert_eq!((d.line, d.column), (6, Some(8)));
    assert_eq!(m.function_entry("f", 0).unwrap().span().line, 4);
}

#[test]
fn directive_misuse_is_reported() {
    let src = "-module(d).\n-endif.\n-ifdef(A).\n-else.\n-else.\n";
    let m = index_module(SourceFile::from_text("d.erl", src));
    let msgs: Vec<_> = m
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        vec![
            (2, "`-endif` without a matching `-if`/`-ifdef`/`-ifndef`"),
            (5, "`-else` after `-else`"),
            (
                3,
                "conditional directive not closed by `-endif` before the end of the file"
            ),
        ]
    );
}

#[test]
fn parallel_indexing_is_ordered_and_deterministic() {
    let root = fixtures();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "erl" || e == "hrl"))
        .collect();
    assert!(paths.len() >= 2, "no fixtures in {}", root.display());
    paths.sort();
    paths.push(root.join("missing.erl"));
    let render = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| index_files(&root, &paths, IndexOptions::default()))
            .iter()
            .map(|m| {
                format!(
                    "{} {} {:?} {:?} {:?}",
                    m.file.path,
                    m.is_unreadable(),
                    m.name(),
                    m.functions
                        .iter()
                        .map(|f| (f.name(), f.arity, f.span()))
                        .collect::<Vec<_>>(),
                    m.diagnostics
                )
            })
            .collect::<Vec<_>>()
    };
    let one = render(1);
    assert_eq!(one.len(), paths.len());
    assert!(one[0].starts_with("broken.erl"), "{}", one[0]);
    assert!(one.last().unwrap().starts_with("missing.erl true"));
    assert!(one.last().unwrap().contains("unreadable-file"));
    assert_eq!(one, render(4));
}

#[test]
fn index_and_ast_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ModuleIndex>();
    send_sync::<otpmap::syntax::Expr>();
    send_sync::<otpmap::syntax::MacroTable>();
    let m = std::sync::Arc::new(fixture("demo_sup.erl"));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let m = m.clone();
            std::thread::spawn(move || {
                m.function("init", 1)
                    .map(|f| std::sync::Arc::as_ptr(&f) as usize)
            })
        })
        .collect();
    let ptrs: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        ptrs.iter().all(|p| p.is_some() && *p == ptrs[0]),
        "parsed once: {ptrs:?}"
    );
}
