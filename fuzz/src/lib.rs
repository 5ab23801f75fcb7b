//! What each fuzz target does with its input, shared with the regression
//! test (`tests/fuzz_regressions.rs` includes this file by path) so that a
//! saved crash input is replayed through exactly the code that found it.
//!
//! Besides "does not panic", each driver checks the promises a reader makes
//! about its output (positions inside the input, what it reads it can print
//! and read back): a reader that returns garbage is lying, which issue 7
//! counts as a failure too. Only this crate's public API is used.

use std::time::Duration;

use otpmap::config::term::{canonical, consult, consult_bytes, consult_recovering, Term};
use otpmap::config::{app_resource, erlang_mk, rebar, release_spec, terms_from_bytes};
use otpmap::diagnostic::Diagnostic;
use otpmap::model::ReleaseSource;
use otpmap::source::decode;
use otpmap::syntax::{index_module_with, MacroBody, MacroContext, MacroTable, SourceFile};

/// Lines a text has, as the readers count them (a last line without `\n`
/// counts; the position just past the end may be one line further).
fn last_line(text: &str) -> u32 {
    u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX)
}

fn assert_in_text(d: &Diagnostic, text: &str) {
    assert!(
        d.line >= 1 && d.line <= last_line(text),
        "diagnostic outside the input ({} lines): {d:?}",
        last_line(text)
    );
}

/// The term reader as `.app.src`, `rebar.config`, `sys.config` and `.rel`
/// files use it, then the config readers over whatever it returned.
pub fn term(data: &[u8]) {
    // Strict, with Erlang's own decoding rules (a BOM is an error).
    let _ = consult_bytes(data);

    // Recovering, as otpmap reads every config file.
    let (terms, diags) = terms_from_bytes(data, "fuzz.config");
    let text = decode(data).text;
    for d in &diags {
        assert_in_text(d, &text);
    }

    // Strict and recovering agree when the input is well-formed.
    match consult(&text) {
        Ok(strict) => {
            assert!(
                diags.is_empty(),
                "strict read succeeded but recovering reported {diags:?}"
            );
            assert_eq!(strict, terms, "strict and recovering readers disagree");
        }
        Err(e) => assert!(
            !consult_recovering(&text).1.is_empty(),
            "strict read failed ({e}) but recovering reported nothing"
        ),
    }

    for t in &terms {
        check_term(t, &text);
    }

    // The readers of each kind of config file, on whatever terms came out.
    let mut sink = Vec::new();
    let _ = app_resource::from_terms(&terms, "src/fuzz.app.src", "fuzz");
    let _ = rebar::from_terms(&terms, "rebar.config", &mut sink);
    let _ = release_spec::from_relx(&terms, "relx.config", ReleaseSource::Relx, None, &mut sink);
    let _ = release_spec::from_reltool(&terms, "reltool.config", &mut sink);
    let _ = release_spec::from_rel_file(&terms, "fuzz.rel", &mut sink);
}

/// The longest printed term read back by [`check_term`].
const ROUND_TRIP_MAX_BYTES: usize = 1 << 20;

/// A term read from `text`: its position is in the text, and it prints as
/// Erlang that reads back as the same term.
fn check_term(t: &Term, text: &str) {
    assert!(
        t.pos.line >= 1 && t.pos.line <= last_line(text) && t.pos.column >= 1,
        "term position outside the input: {:?}",
        t.pos
    );
    let printed = t.to_erlang();
    // Reading back a printed binary of megabytes is linear but takes longer
    // than the fuzzer's timeout under the sanitizer; small terms are enough
    // to check the printer.
    if printed.len() > ROUND_TRIP_MAX_BYTES {
        return;
    }
    let again = consult(&format!("{printed}."));
    match again.as_deref() {
        Ok([back]) => assert_eq!(
            canonical(back),
            canonical(t),
            "{printed:?} does not read back as the term it prints"
        ),
        other => panic!("{printed:?} does not read back: {other:?}"),
    }
}

/// The erlang.mk Makefile reader, decoding as `otpmap` does, then the
/// project and dependency views built from it.
pub fn erlang_mk(data: &[u8]) {
    let text = decode(data).text;
    let (mk, diags) = erlang_mk::read(&text, "Makefile");
    for d in &diags {
        assert_in_text(d, &text);
    }
    let _ = mk.project();
    for dep in mk.deps("Makefile") {
        assert!(
            dep.line >= 1 && dep.line <= last_line(&text),
            "dep line outside the input: {dep:?}"
        );
    }
    for (name, a) in &mk.vars {
        assert!(a.line >= 1 && a.line <= last_line(&text), "{name}: {a:?}");
    }
}

/// The parse budget of each tree-sitter parse. Shorter than otpmap's
/// default so a slow input shows up as a timeout of the target, not a
/// budget silently spent.
const PARSE_BUDGET: Duration = Duration::from_secs(2);

/// One source file through the whole syntax layer: decoding, form
/// splitting and indexing, then everything parsed lazily forced (every
/// function, record and macro body lowered, macros expanded, the whole
/// file checked by tree-sitter) and printed.
pub fn source(data: &[u8]) {
    // A first byte picks header or module: `.hrl` files skip the
    // `-module` check and are otherwise read the same.
    let path = if data.first().is_some_and(|b| b & 1 == 1) {
        "src/fuzz.hrl"
    } else {
        "src/fuzz.erl"
    };
    let text = decode(data).text;
    let index = index_module_with(SourceFile::from_text(path, text.as_str()), PARSE_BUDGET);
    for d in &index.diagnostics {
        assert_in_text(d, &text);
    }
    let _ = index.name();
    for d in &index.defines {
        if let MacroBody::Expr(e) = d.body() {
            let _ = e.to_string();
        }
    }
    for r in &index.records {
        for field in r.fields() {
            if let Some(v) = &field.value {
                let _ = v.to_string();
            }
        }
    }
    let table = MacroTable::new(
        index.defines.iter().cloned(),
        MacroContext::for_module(&index),
    );
    for f in &index.functions {
        let function = f.function();
        for d in f.diagnostics() {
            assert_in_text(d, &text);
        }
        let expanded = table.expand_function(&function);
        for clause in &expanded.clauses {
            let guards = clause.guards.iter().flatten();
            for e in clause.patterns.iter().chain(guards).chain(&clause.body) {
                let _ = e.to_string();
            }
        }
    }
    for d in index.full_check(PARSE_BUDGET) {
        assert_in_text(&d, &text);
    }
}

/// The application every `project` input is part of: its callback module
/// is the first file, so `tree` follows it to the supervisor.
const PROJECT_APP_SRC: &str = "{application, fz, [{vsn, \"1\"}, {registered, []},\n\
    {applications, [kernel, stdlib]}, {mod, {fz_app, []}}]}.\n";

/// The files a `project` input is cut into at its NUL bytes, in order.
const PROJECT_FILES: [&str; 3] = ["src/fz_app.erl", "src/fz_sup.erl", "include/fz.hrl"];

/// Up to three files, cut at NUL bytes: the application callback
/// `src/fz_app.erl`, a supervisor `src/fz_sup.erl` and a header
/// `include/fz.hrl` of one application, written to a scratch directory and
/// run through what `scan`, `tree` and `lint` do after reading: the model,
/// the application graph, the supervisors' evaluation, every lint rule and
/// every renderer. The commands catch a panic in one unit of work and
/// report it as an `internal-error` diagnostic; here that is a failure.
/// Returns the `tree` and `lint` JSON documents.
pub fn project(data: &[u8]) -> (String, String) {
    use otpmap::render;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Tests replay inputs on several threads of one process.
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "otpmap-fuzz-project-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("include")).unwrap();
    std::fs::write(dir.join("src/fz.app.src"), PROJECT_APP_SRC).unwrap();
    for (part, rel) in data.splitn(3, |b| *b == 0).zip(PROJECT_FILES) {
        std::fs::write(dir.join(rel), part).unwrap();
    }
    let project = otpmap::load::load(&dir, &otpmap::load::LoadOptions::default())
        .expect("a directory always loads");
    let no_internal_error = |what: &str, out: &str| {
        assert!(
            !out.contains(otpmap::internal_error::INTERNAL_ERROR),
            "{what}: {out}"
        );
    };
    let run = otpmap::graph::Run::analyse(project, &otpmap::model::OtpLibrary::none())
        .with_trees(None)
        .finish();
    no_internal_error("scan", &render::json::scan::render(&run));
    let tree_json = render::json::tree::render(&run);
    no_internal_error("tree", &tree_json);
    let painter = render::Painter::new(false);
    let _ = render::human::tree::render(&run, &painter);
    let diagram = render::tree_diagram::diagram(run.trees.as_ref().expect("trees were asked for"));
    let project = &run.project;
    let _ = render::diagram::to_dot(&diagram);
    let _ = render::diagram::to_mermaid(&diagram);
    let report = otpmap::lint::run(project, &otpmap::lint::LintOptions::default())
        .expect("the default lint options are valid");
    let lint_json = render::json::lint::render(&report);
    no_internal_error("lint", &lint_json);
    let _ = render::sarif::lint::render(project, &report);
    let _ = render::github::lint::render(&report);
    let _ = render::human::lint::render(
        project,
        &report,
        otpmap::diagnostic::Severity::Warning,
        &painter,
    );
    let _ = std::fs::remove_dir_all(&dir);
    (tree_json, lint_json)
}

/// The built-ins a `builtins` input chains, each growing the value before
/// it (`V` is the previous value, `N` a count from the input): what made
/// the evaluator allocate gigabytes (issue 18) is built from these.
const GROWING: &[&str] = &[
    "V ++ V",
    "lists:duplicate(N, V)",
    "iolist_to_binary([V, V])",
    "<<(iolist_to_binary(V))/binary, (iolist_to_binary(V))/binary>>",
    "lists:foldl(fun(_, A) -> A ++ A end, V, lists:seq(1, N))",
    "list_to_atom(lists:flatten(io_lib:format(\"~p\", [V])))",
    "lists:seq(1, N * 1000)",
    "maps:from_list([{K, V} || K <- lists:seq(1, N)])",
    "{V, V}",
    "lists:flatten([V, V])",
    "string:copies(V, N)",
    "list_to_binary(lists:duplicate(N, V))",
    "lists:foldr(fun(X, A) -> [X, X | A] end, [], V)",
    "binary:copy(term_to_binary(V), N)",
    "atom_to_list(list_to_atom(V))",
    "lists:append(V, V)",
];

/// A supervisor whose `init/1` chains built-ins picked by the input, two
/// bytes a step (which built-in, and `N`), at most 48 steps, and names its
/// child with the result: run through everything `project` runs.
pub fn builtins(data: &[u8]) -> (String, String) {
    let mut body = String::from("    V0 = \"ab\",\n");
    let mut last = 0;
    for (i, pair) in data.chunks(2).take(48).enumerate() {
        let op = GROWING[usize::from(pair[0]) % GROWING.len()];
        let n = pair.get(1).copied().unwrap_or(2);
        let expr = op
            .replace('N', &n.to_string())
            .replace('V', &format!("V{i}"));
        body.push_str(&format!("    V{} = {expr},\n", i + 1));
        last = i + 1;
    }
    let sup = format!(
        "-module(fz_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({{local, ?MODULE}}, ?MODULE, []).\n\
         init([]) ->\n{body}    {{ok, {{#{{}}, [#{{id => V{last}, \
         start => {{fz_w, start_link, [V{last}]}}}}]}}}}.\n"
    );
    let app = "-module(fz_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
               start(_, _) -> fz_sup:start_link().\nstop(_) -> ok.\n";
    let mut input = app.as_bytes().to_vec();
    input.push(0);
    input.extend_from_slice(sup.as_bytes());
    input.push(0);
    project(&input)
}
