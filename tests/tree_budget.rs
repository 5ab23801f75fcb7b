//! The evaluator's budgets end to end (issues 15 and 18): values that
//! grow without bound become unknown instead of exhausting memory (run
//! under `ulimit -v`), `--max-steps`, and a tree read from the repository
//! root that is at least as resolved as from the application's folder.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs otpmap from `dir` under a virtual memory limit of `kib` KiB.
fn otpmap_limited(dir: &Path, kib: u64, args: &[&str]) -> (i32, String, String) {
    let mut script = format!("ulimit -v {kib} && exec '{}'", env!("CARGO_BIN_EXE_otpmap"));
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn otpmap(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run otpmap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An application `app` whose top supervisor `<app>_sup` has `init/1`
/// body `body` (which must bind `Arg`) and returns two workers, the
/// first given `Arg`.
fn write_app(dir: &Path, app: &str, body: &str) {
    common::write_file(
        dir,
        &format!("src/{app}.app.src"),
        &format!(
            "{{application, {app}, [{{vsn, \"1\"}}, {{applications, [kernel, stdlib]}}, \
             {{mod, {{{app}_app, []}}}}]}}.\n"
        ),
    );
    common::write_file(
        dir,
        &format!("src/{app}_app.erl"),
        &format!(
            "-module({app}_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
             start(_, _) -> {app}_sup:start_link().\nstop(_) -> ok.\n"
        ),
    );
    common::write_file(
        dir,
        &format!("src/{app}_sup.erl"),
        &format!(
            "-module({app}_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
             start_link() -> supervisor:start_link({{local, ?MODULE}}, ?MODULE, []).\n\
             init([]) ->\n{body},\n\
             {{ok, {{#{{strategy => one_for_one}},\n\
             [#{{id => first, start => {{{app}_w, start_link, [Arg]}}}},\n\
              #{{id => second, start => {{{app}_w, start_link, [second]}}}}]}}}}.\n"
        ),
    );
    common::write_file(
        dir,
        &format!("src/{app}_w.erl"),
        &format!(
            "-module({app}_w).\n-behaviour(gen_server).\n\
             -export([start_link/1, init/1, handle_call/3, handle_cast/2]).\n\
             start_link(A) -> gen_server:start_link(?MODULE, A, []).\n\
             init(A) -> {{ok, A}}.\n\
             handle_call(_, _, S) -> {{reply, ok, S}}.\n\
             handle_cast(_, S) -> {{noreply, S}}.\n"
        ),
    );
}

fn children(doc: &Value) -> Vec<String> {
    doc["trees"][0]["root"]["children"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| c["id"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Issue 18, item 1: strings, binaries, atoms and lists doubled forty
/// times in `init/1` (2^40 bytes) aborted with a failed allocation. Every
/// value counts its size: past the bound it is unknown, and the two
/// children stay, under a 1 GiB address-space limit.
#[test]
fn doubling_values_stay_within_memory() {
    let bodies = [
        ("strings", "Arg = lists:foldl(fun(_, A) -> A ++ A end, \"ab\", lists:seq(1, 40))"),
        ("foldr", "Arg = lists:foldr(fun(_, A) -> A ++ A end, \"ab\", lists:seq(1, 40))"),
        ("binaries", "Arg = lists:foldl(fun(_, A) -> <<A/binary, A/binary>> end, <<\"ab\">>, lists:seq(1, 40))"),
        ("iolists", "Arg = iolist_to_binary(lists:foldl(fun(_, A) -> [A, A] end, \"ab\", lists:seq(1, 40)))"),
        ("atoms", "Arg = list_to_atom(lists:flatten(lists:foldl(fun(_, A) -> [A | A] end, \"ab\", lists:seq(1, 40))))"),
        ("tuples", "Arg = lists:foldl(fun(_, A) -> {A, A} end, x, lists:seq(1, 40))"),
        ("maps", "Arg = lists:foldl(fun(_, A) -> #{a => A, b => A} end, x, lists:seq(1, 40))"),
    ];
    for (name, body) in bodies {
        let dir = tempfile::tempdir().unwrap();
        write_app(dir.path(), "bomb", body);
        for command in ["tree", "lint"] {
            let (code, out, err) =
                otpmap_limited(dir.path(), 1024 * 1024, &[command, "--format", "json"]);
            assert!(
                code == 0 || code == 1,
                "{name}: {command} exited {code}: {err}"
            );
            let doc: Value = serde_json::from_str(&out)
                .unwrap_or_else(|e| panic!("{name}: {command}: {e}: {err}"));
            if command == "tree" {
                assert_eq!(children(&doc), ["first", "second"], "{name}: {out}");
                assert!(
                    out.contains("value too large") || out.contains("evaluation limit"),
                    "{name}: the cut value says why: {out}"
                );
            }
        }
    }
}

/// Issue 15, item 4: `--max-steps N` bounds the steps of one value; the
/// default resolves a fold over 300 elements, 1 000 steps do not, and
/// the children stay either way.
#[test]
fn max_steps_bounds_one_value() {
    let dir = tempfile::tempdir().unwrap();
    write_app(
        dir.path(),
        "steps",
        "Arg = lists:foldl(fun(X, A) -> X + A end, 0, lists:seq(1, 300))",
    );
    let first_start = |args: &[&str]| {
        let mut all = vec!["tree", "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = otpmap(dir.path(), &all);
        assert_eq!(code, 0, "{err}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(children(&doc), ["first", "second"], "{out}");
        doc["trees"][0]["root"]["children"][0]["start"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert!(!first_start(&[]).contains('?'), "{}", first_start(&[]));
    let cut = first_start(&["--max-steps", "1000"]);
    assert!(cut.contains('?'), "{cut}");
    let (code, _, err) = otpmap(dir.path(), &["lint", "--max-steps", "1000"]);
    assert!(code == 0 || code == 1, "{err}");
    let (code, _, err) = otpmap(dir.path(), &["tree", "--max-steps", "0"]);
    assert_eq!(code, 2, "0 steps is refused: {err}");
}

/// Every node of every tree in a `tree --format json` run, by app:
/// (nodes, nodes with something unresolved).
fn resolution(doc: &Value) -> std::collections::BTreeMap<String, (usize, usize)> {
    fn walk(n: &Value, counts: &mut (usize, usize)) {
        counts.0 += 1;
        let unresolved = match &n["unresolved"] {
            Value::Null => false,
            Value::Array(a) => !a.is_empty(),
            Value::String(s) => !s.is_empty(),
            _ => true,
        };
        if unresolved {
            counts.1 += 1;
        }
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, counts);
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for t in doc["trees"].as_array().into_iter().flatten() {
        let mut counts = (0, 0);
        walk(&t["root"], &mut counts);
        out.insert(t["app"].as_str().unwrap_or("").to_owned(), counts);
    }
    out
}

fn tree_doc(dir: &Path) -> Value {
    let (code, out, err) = otpmap(dir, &["tree", "--format", "json"]);
    assert!(code == 0 || code == 2, "{}: {err}", dir.display());
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// Checks that each application folder under `root` (a folder with a
/// `src/*.app.src`) has, from the root, a tree with as many nodes and no
/// more unresolved ones than from its own folder.
fn root_at_least_as_resolved(root: &Path) -> usize {
    let from_root = resolution(&tree_doc(root));
    let mut checked = 0;
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_dir() || p.file_name().is_some_and(|n| n == "_build" || n == "src") {
                continue;
            }
            let is_app = std::fs::read_dir(p.join("src")).is_ok_and(|es| {
                es.flatten()
                    .any(|e| e.path().to_string_lossy().ends_with(".app.src"))
            });
            if !is_app {
                dirs.push(p);
                continue;
            }
            for (app, (nodes, unresolved)) in resolution(&tree_doc(&p)) {
                let Some(&(root_nodes, root_unresolved)) = from_root.get(&app) else {
                    continue;
                };
                assert!(
                    root_nodes >= nodes && root_unresolved <= unresolved,
                    "{app}: from the root {root_nodes} nodes, {root_unresolved} unresolved; \
                     from {} {nodes} nodes, {unresolved} unresolved",
                    p.display()
                );
                checked += 1;
            }
        }
    }
    checked
}

/// Issue 15, item 2: more code never makes a tree worse. `front`'s
/// supervisor reads its port through `back`, whose reader costs more than
/// the budget: from `apps/front` the call is into a dependency that is
/// not there, from the root it is followed and cut; the children stay.
/// The samples are checked the same way.
#[test]
fn a_tree_from_the_root_is_as_resolved_as_from_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write_file(root, "rebar.config", "{erl_opts, []}.\n");
    write_app(&root.join("apps/front"), "front", "Arg = back_cfg:port(24)");
    common::write_file(
        root,
        "apps/back/src/back.app.src",
        "{application, back, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    common::write_file(
        root,
        "apps/back/src/back_cfg.erl",
        "-module(back_cfg).\n-export([port/1]).\n\
         port(0) -> 1;\nport(N) -> port(N - 1) + port(N - 1).\n",
    );
    assert_eq!(root_at_least_as_resolved(root), 1);
    let doc = tree_doc(root);
    assert_eq!(children(&doc), ["first", "second"]);
    let samples = common::samples_dir();
    let mut checked = 0;
    for sample in [
        "umbrella",
        "monorepo",
        "regular_app",
        "release_boot",
        "blocking_init",
    ] {
        checked += root_at_least_as_resolved(&samples.join(sample));
    }
    assert!(checked >= 5, "{checked} application trees compared");
}
