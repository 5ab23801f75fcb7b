//! Erlang applications described by Mix (`mix.exs`), end to end: the
//! `mix_umbrella` sample through `scan`, `deps`, `tree` and `lint`, and
//! temporary projects for what cannot be read statically.

mod common;

use serde_json::Value;
use std::process::Command;

fn otpmap(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = otpmap(&all);
    assert!(code == 0 || code == 1, "{args:?}: exit {code}: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

fn find<'a>(doc: &'a Value, key: &str, name: &str) -> &'a Value {
    doc[key]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no {key} entry {name}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// (file, line, code, severity) of every diagnostic.
fn diagnostics(doc: &Value) -> Vec<(String, u64, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn mix_umbrella_of_erlang_apps() {
    let doc = json(&["scan", "samples/mix_umbrella"]);
    assert_eq!(doc["layout"], "umbrella");
    assert_eq!(
        doc["projects"],
        serde_json::json!([{"dir": ".", "layout": "umbrella", "build_tool": "mix"}])
    );

    let core = find(&doc, "apps", "tally_core");
    assert_eq!(core["vsn"], "0.3.0", "from @version");
    assert_eq!(core["kind"], "library");
    assert_eq!(core["resource"], "mix_exs");
    assert_eq!(core["file"], "apps/tally_core/mix.exs");
    // `language: :erlang`: no `elixir`.
    assert_eq!(
        strings(&core["applications"]),
        vec!["kernel", "stdlib", "crypto"]
    );
    assert_eq!(strings(&core["modules"]), vec!["tally_core"]);

    let store = find(&doc, "apps", "tally_store");
    assert_eq!(store["vsn"], "0.3.1", "from File.read!(\"VERSION\")");
    assert_eq!(store["mod"], "tally_store_app");
    // Mix's order: kernel, stdlib, elixir, extra applications, runtime deps;
    // not the test-only `meck` computed under `if Mix.env() == :test`.
    assert_eq!(
        strings(&store["applications"]),
        vec![
            "kernel",
            "stdlib",
            "elixir",
            "logger",
            "tally_core",
            "jsx",
            "telemetry",
            "recon"
        ]
    );
    assert_eq!(strings(&store["optional_applications"]), vec!["telemetry"]);
    assert_eq!(
        strings(&store["registered"]),
        vec!["tally_store_sup", "tally_store_server"]
    );
    assert_eq!(strings(&store["env_keys"]), vec!["flush_interval", "table"]);

    // The .app.src wins over the mix.exs beside it.
    let web = find(&doc, "apps", "tally_web");
    assert_eq!(web["resource"], "app_src");
    assert_eq!(
        strings(&web["applications"]),
        vec!["kernel", "stdlib", "tally_store"]
    );

    let recon = find(&doc, "deps", "recon");
    assert_eq!(recon["source"], "git");
    assert_eq!(recon["url"], "https://github.com/ferd/recon.git");
    assert_eq!(recon["ref"]["tag"], "2.5.5");
    assert_eq!(find(&doc, "deps", "jsx")["version"], "~> 3.1");
    let lint = find(&doc, "deps", "rebar3_lint");
    assert_eq!(
        (lint["profile"].as_str(), lint["file"].as_str()),
        (Some("dev,test"), Some("mix.exs"))
    );
    // Elixir's own applications come with the Elixir installation.
    let elixir = find(&doc, "deps", "elixir");
    assert_eq!(
        (elixir["version"].as_str(), elixir["line"].as_u64()),
        (Some("~> 1.14"), Some(11))
    );
    let names: Vec<&str> = doc["deps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"meck") && !names.contains(&"tally_core"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"cowboy"),
        "the superseded mix.exs is not read for deps"
    );

    // Headers of `include/` resolve (-include and -include_lib), and the
    // only diagnostics are the computed deps and the superseded mix.exs.
    assert_eq!(
        diagnostics(&doc),
        vec![
            (
                "apps/tally_store/mix.exs".into(),
                41,
                "mix-computed".into(),
                "warning".into()
            ),
            (
                "apps/tally_web/mix.exs".into(),
                6,
                "mix-exs-superseded".into(),
                "info".into()
            ),
        ]
    );
}

#[test]
fn mix_umbrella_deps_tree_and_lint() {
    let deps = json(&["deps", "samples/mix_umbrella"]);
    let edge = deps["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "tally_store" && e["to"] == "tally_core")
        .expect("tally_store -> tally_core");
    assert_eq!(
        (edge["file"].as_str(), edge["line"].as_u64()),
        (Some("apps/tally_store/mix.exs"), Some(32)),
        "the edge points at the dep entry"
    );
    let tree = json(&["tree", "samples/mix_umbrella", "--app", "tally_store"]);
    let root = &tree["trees"][0]["root"];
    assert_eq!(root["module"], "tally_store_sup");
    assert_eq!(root["children"][0]["module"], "tally_store_server");
    assert_eq!(root["children"][0]["shutdown"], 2000);
    let (code, out, err) = otpmap(&["lint", "samples/mix_umbrella"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A Mix app calling a sibling it does not list is told to fix `deps` in
/// its `mix.exs`, not an `applications` list it does not have.
#[test]
fn missing_dependency_fix_names_mix_exs_deps() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    write(
        "mix.exs",
        "defmodule R.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: \"apps\"]\nend\n",
    );
    for (app, calls) in [("base", "ok"), ("top", "base:id(1)")] {
        write(
            &format!("apps/{app}/mix.exs"),
            &format!(
                "defmodule M.MixProject do\n  use Mix.Project\n  \
                 def project, do: [app: :{app}, version: \"1.0.0\", language: :erlang]\nend\n"
            ),
        );
        write(
            &format!("apps/{app}/src/{app}.erl"),
            &format!("-module({app}).\n-export([id/1, go/0]).\nid(X) -> X.\ngo() -> {calls}.\n"),
        );
    }
    let (code, out, err) = otpmap(&["lint", dir.path().to_str().unwrap()]);
    // An info by default: shown, not failing.
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("info[OTP003] missing-app-dependency"), "{out}");
    assert!(
        out.contains("add `base` to `deps` in apps/top/mix.exs (`in_umbrella: true`"),
        "{out}"
    );
}

/// What only Mix can compute is a diagnostic with its line; a mix.exs that
/// is no Mix project, or does not parse, says so; the rest is scanned.
#[test]
fn unreadable_mix_files_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    write(
        "apps/named/mix.exs",
        "defmodule N.MixProject do\n  use Mix.Project\n\n  def project do\n    \
         [app: String.to_atom(\"na\" <> \"med\"), version: \"1.0.0\"]\n  end\nend\n",
    );
    write("apps/named/src/named.erl", "-module(named).\n");
    write(
        "apps/broken/mix.exs",
        "defmodule B.MixProject do\n  use Mix.Project\n  def project, do: [app: :broken, version: \"1.0.0\",\n\nend\n",
    );
    write("apps/script/mix.exs", "IO.puts(\"hello\")\n");
    write(
        "apps/good/mix.exs",
        "defmodule G.MixProject do\n  use Mix.Project\n  def project, do: [app: :good, version: \"2.0.0\"]\nend\n",
    );
    write("apps/good/src/good.erl", "-module(good).\n");
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    let found = diagnostics(&doc);
    assert!(
        found.contains(&(
            "apps/named/mix.exs".into(),
            5,
            "mix-computed".into(),
            "warning".into()
        )),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|d| d.0 == "apps/broken/mix.exs" && d.2 == "mix-syntax" && d.1 >= 3),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "apps/script/mix.exs".into(),
            1,
            "mix-no-project".into(),
            "warning".into()
        )),
        "{found:#?}"
    );
    assert_eq!(find(&doc, "apps", "good")["vsn"], "2.0.0");
    // No name, no application: `named.erl` stays a module of no app. The
    // syntax error is after what `broken` says: it is still read.
    let apps: Vec<&str> = doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(apps, vec!["broken", "good"]);
}

/// A Mix umbrella holds the apps under its `apps_path`; a Mix project
/// elsewhere in it (a plugin) is a project of its own, and a root mix.exs
/// that compiles no Erlang (a test harness over a rebar3 monorepo) holds
/// nothing and takes no `src/` modules.
#[test]
fn which_projects_a_mix_exs_holds() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    let mix_app = |name: &str| {
        format!(
            "defmodule M.MixProject do\n  use Mix.Project\n  \
             def project, do: [app: :{name}, version: \"1.0.0\", language: :erlang]\nend\n"
        )
    };
    write(
        "mix.exs",
        "defmodule U.MixProject do\n  use Mix.Project\n  def project, do: [apps_path: \"apps\"]\nend\n",
    );
    write("apps/core/mix.exs", &mix_app("core"));
    write("apps/core/src/core.erl", "-module(core).\n");
    write("apps/edge/mix.exs", &mix_app("edge"));
    write("plugins/extra/mix.exs", &mix_app("extra"));
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(
        doc["projects"],
        serde_json::json!([
            {"dir": ".", "layout": "umbrella", "build_tool": "mix"},
            {"dir": "plugins/extra", "layout": "single_app", "build_tool": "mix"}
        ])
    );

    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    write(
        "mix.exs",
        "defmodule T.MixProject do\n  use Mix.Project\n  def project do\n    \
         [app: :harness, version: \"0.1.0\", compilers: [:elixir, :app]]\n  end\nend\n",
    );
    write("src/store/rebar.config", "{deps, []}.\n");
    write(
        "src/store/src/store.app.src",
        "{application, store, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    write("src/store/src/store.erl", "-module(store).\n");
    write("src/store/test/store_tests.erl", "-module(store_tests).\n");
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(
        doc["projects"],
        serde_json::json!([{"dir": "src/store", "layout": "single_app", "build_tool": "rebar3"}])
    );
    let apps: Vec<&str> = doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(apps, vec!["store"]);
    assert_eq!(
        diagnostics(&doc),
        vec![("mix.exs".into(), 4, "mix-no-erlang".into(), "info".into())]
    );
}

/// A hostile mix.exs (100 000 nested lists) is a diagnostic, not a crash.
#[test]
fn deeply_nested_mix_exs_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let deps = format!("{}{}", "[".repeat(n), "]".repeat(n));
    common::write_file(
        dir.path(),
        "mix.exs",
        &format!(
            "defmodule A.MixProject do\n  use Mix.Project\n  \
             def project, do: [app: :a, version: \"1.0.0\", deps: {deps}]\nend\n"
        ),
    );
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(find(&doc, "apps", "a")["vsn"], "1.0.0");
    let bad = diagnostics(&doc);
    assert_eq!(
        bad,
        vec![("mix.exs".into(), 3, "mix-bad-dep".into(), "warning".into())]
    );
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.len() < 300, "{message}");
}

/// A mix.exs beside a rebar3 project that reads the application's name
/// from the project's `.app.src` (so that Mix users can build it too):
/// the `.app.src` is the application, and what the mix.exs computes is
/// said once, as an info, instead of warnings about each value.
#[test]
fn mix_exs_computing_its_app_from_the_app_src() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    let mix = "defmodule Store.MixProject do\n  use Mix.Project\n\n  def project do\n    \
               {:ok, [app]} = :file.consult(\"src/store.app.src\")\n    \
               {:application, name, props} = app\n    \
               [app: name, version: to_string(Keyword.get(props, :vsn)), language: :erlang]\n  \
               end\nend\n";
    write("mix.exs", mix);
    write("rebar.config", "{deps, []}.\n");
    write(
        "src/store.app.src",
        "{application, store, [{vsn, \"1.2.0\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    write("src/store.erl", "-module(store).\n");
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    let store = find(&doc, "apps", "store");
    assert_eq!(store["vsn"], "1.2.0");
    assert_eq!(store["file"], "src/store.app.src");
    assert_eq!(
        diagnostics(&doc),
        vec![(
            "mix.exs".into(),
            4,
            "mix-exs-superseded".into(),
            "info".into()
        )]
    );

    // Without the `.app.src`, the computed name is said where it is, and
    // the file is not said to set no `app` at all.
    std::fs::remove_file(dir.path().join("src/store.app.src")).unwrap();
    let doc = json(&["scan", dir.path().to_str().unwrap()]);
    let codes: Vec<String> = diagnostics(&doc).into_iter().map(|d| d.2).collect();
    assert!(codes.contains(&"mix-computed".to_owned()), "{codes:?}");
    assert!(!codes.contains(&"mix-no-project".to_owned()), "{codes:?}");
}
