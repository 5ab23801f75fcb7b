//! Reading a repository the way it describes itself (issue 16): folders
//! under `deps/` that the repository commits are its own, the ones it
//! ignores or that are clones of their own are fetched; erlang.mk
//! `include`s are followed; and a PATH with no Erlang/OTP project is exit 2
//! for every command.

mod common;
use common::write_file;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SAMPLE: &str = "samples/vendored_deps";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn otpmap(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = otpmap(&all);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}

/// (dir, status, reason) of every dependency folder.
fn folders(doc: &Value) -> Vec<(String, String, String)> {
    doc["dep_folders"]
        .as_array()
        .expect("dep_folders")
        .iter()
        .map(|f| {
            (
                f["dir"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// (name, origin) of every app.
fn apps(doc: &Value) -> Vec<(String, String)> {
    doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["origin"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn committed_deps_whitelisted_in_gitignore_are_the_projects_own() {
    let doc = json(&["scan", SAMPLE]);
    assert_eq!(
        folders(&doc),
        [
            (
                "deps/dockyard".into(),
                "fetched".into(),
                "ignored by `/deps/*` (.gitignore:6)".into()
            ),
            (
                "deps/harbor_core".into(),
                "vendored".into(),
                "kept by `!/deps/harbor_core/` (.gitignore:7)".into()
            ),
            (
                "deps/harbor_web".into(),
                "vendored".into(),
                "kept by `!/deps/harbor_web/` (.gitignore:8)".into()
            ),
        ]
    );
    assert_eq!(
        apps(&doc),
        [
            ("harbor".into(), "project".into()),
            ("harbor_core".into(), "project".into()),
            ("harbor_web".into(), "project".into()),
        ]
    );
    // The fetched one is read only when asked, and then as a dependency.
    let doc = json(&["scan", SAMPLE, "--include-deps"]);
    assert!(apps(&doc).contains(&("dockyard".into(), "dep".into())));
    assert!(apps(&doc).contains(&("harbor_core".into(), "project".into())));

    let human = otpmap(&["scan", SAMPLE]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains(
            "Dependency folders\n  2 vendored (the project's own: read, drawn and linted), \
             1 fetched (read only with --include-deps)\n"
        ),
        "{}",
        human.stdout
    );
}

#[test]
fn vendored_apps_are_drawn_and_linted() {
    let tree = json(&["tree", SAMPLE]);
    let drawn: Vec<&str> = tree["trees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["app"].as_str().unwrap())
        .collect();
    assert_eq!(drawn, ["harbor_core", "harbor_web"]);
    let lint = otpmap(&["lint", SAMPLE, "--format", "json"]);
    assert_eq!(lint.code, 1, "{}", lint.stderr);
    let doc: Value = serde_json::from_str(&lint.stdout).unwrap();
    let found: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [(
            "blocking-init",
            "deps/harbor_core/src/harbor_core_registry.erl"
        )]
    );
}

/// A checkout with one app under deps/ of each kind.
fn deps_project(root: &Path) {
    for (dir, name) in [
        ("deps/own", "own"),
        ("deps/cloned", "cloned"),
        ("deps/listed", "listed"),
        ("deps/kept", "kept"),
        ("_checkouts/wip", "wip"),
        ("apps/generated", "generated"),
        ("apps/web", "web"),
    ] {
        write_file(
            root,
            &format!("{dir}/src/{name}.app.src"),
            &format!("{{application, {name}, [{{vsn, \"1.0.0\"}}, {{applications, [kernel, stdlib]}}]}}.\n"),
        );
        write_file(
            root,
            &format!("{dir}/src/{name}.erl"),
            &format!("-module({name}).\n"),
        );
    }
    std::fs::create_dir_all(root.join("deps/cloned/.git")).unwrap();
    // A nested ignore file; its negation wins over the root's rule.
    write_file(
        root,
        ".gitignore",
        "/deps/listed/\n/deps/kept/\napps/generated\n",
    );
    write_file(root, "deps/.gitignore", "!kept/\n");
    write_file(
        root,
        "_checkouts/wip/.git",
        "gitdir: ../../.git/modules/wip\n",
    );
}

#[test]
fn clones_and_ignore_rules_decide_with_gits_semantics() {
    let tmp = tempfile::tempdir().unwrap();
    deps_project(tmp.path());
    let dir = tmp.path().to_str().unwrap();
    let doc = json(&["scan", dir]);
    let got: Vec<(String, String)> = folders(&doc).into_iter().map(|(d, s, _)| (d, s)).collect();
    let want: Vec<(String, String)> = [
        ("_checkouts/wip", "fetched"),
        ("apps/generated", "fetched"),
        ("deps/cloned", "fetched"),
        ("deps/kept", "vendored"),
        ("deps/listed", "fetched"),
        ("deps/own", "vendored"),
    ]
    .iter()
    .map(|(d, s)| ((*d).to_owned(), (*s).to_owned()))
    .collect();
    assert_eq!(got, want);
    let reasons: Vec<String> = folders(&doc).into_iter().map(|(_, _, r)| r).collect();
    assert_eq!(reasons[0], "a clone of its own (_checkouts/wip/.git)");
    assert_eq!(reasons[3], "kept by `!kept/` (deps/.gitignore:1)");
    assert_eq!(
        reasons[5],
        "committed: no ignore rule of the repository names it"
    );
    let names: Vec<String> = apps(&doc).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["kept", "own", "web"]);
    // Fetched modules are no project's: the lint does not read them.
    let doc = json(&["scan", dir, "--include-deps"]);
    let origins = apps(&doc);
    assert!(origins.contains(&("cloned".into(), "dep".into())));
    assert!(origins.contains(&("wip".into(), "dep".into())));
    assert!(origins.contains(&("kept".into(), "project".into())));
}

#[test]
fn erlang_mk_includes_are_followed() {
    let doc = json(&["scan", SAMPLE]);
    let harbor = &doc["apps"][0];
    assert_eq!(harbor["name"], "harbor");
    // `DEPS = harbor_core $(HARBOR_PLUGINS)`, the plugins set in plugins.mk.
    assert_eq!(
        harbor["applications"],
        serde_json::json!(["kernel", "stdlib", "harbor_core", "harbor_web"])
    );
    // A `dep_` line in a makefile every component includes is one dep, said
    // where it is written.
    let deps: Vec<(String, String, u64)> = doc["deps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            ("dockyard".into(), "harbor-components.mk".into(), 2),
            ("harbor_core".into(), "harbor-components.mk".into(), 3),
            ("harbor_web".into(), "harbor-components.mk".into(), 4),
        ]
    );
    assert_eq!(doc["deps"][0]["source"], "git");
    let unresolved: Vec<&Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unresolved-make-variable")
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
}

const LOOKED_FOR: &str = "(looked for application resource files";

#[test]
fn no_project_is_exit_2_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let docs = tmp.path().join("docs");
    write_file(&docs, "README.md", "# not Erlang\n");
    write_file(&docs, "include/shared.hrl", "-define(X, 1).\n");
    write_file(&docs, "rebar.config", "{deps, []}.\n");
    let file = docs.join("README.md");
    for path in [&empty, &docs, &file] {
        let shown = path.to_str().unwrap();
        for command in ["scan", "deps", "tree", "lint"] {
            for format in ["human", "json"] {
                let run = otpmap(&[command, shown, "--format", format]);
                assert_eq!(run.code, 2, "{command} {shown}: {}", run.stdout);
                assert!(run.stdout.is_empty(), "{command}: {}", run.stdout);
                assert!(
                    run.stderr.contains(&format!(
                        "no Erlang/OTP project found in {shown} {LOOKED_FOR}"
                    )),
                    "{command} {shown}: {}",
                    run.stderr
                );
            }
        }
    }
    // Fetched code only: said, with the way to read it.
    write_file(&empty, "_build/default/lib/x/src/x.erl", "-module(x).\n");
    let run = otpmap(&["lint", empty.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the fetched dependencies in _build were skipped: --include-deps reads them"),
        "{}",
        run.stderr
    );
    assert_eq!(
        otpmap(&["scan", empty.to_str().unwrap(), "--include-deps"]).code,
        0
    );
    // One module is a project; so is one file of it given as PATH.
    write_file(&docs, "src/tool.erl", "-module(tool).\n");
    assert_eq!(otpmap(&["lint", docs.to_str().unwrap()]).code, 0);
    let one = docs.join("src/tool.erl");
    assert_eq!(otpmap(&["scan", one.to_str().unwrap()]).code, 0);
}
