//! `otpmap tree` end to end: the JSON contract on every sample, application
//! roots in boot order with env defaults, include macros and start
//! arguments (fixture project), `--app`, exit codes, the diagram formats
//! (SVG parsed as XML through both renderers, DOT and Mermaid snapshots,
//! ids that need escaping, the format from `-o`'s extension) and human
//! output snapshots.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn otpmap(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run otpmap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tree_json(path: &str) -> Value {
    let (code, out, err) = otpmap(&["tree", path, "--format", "json"]);
    assert_eq!(code, 0, "tree {path} failed: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

/// Writes application `app` into `dir`: its `.app.src` and a callback
/// `<app>_app` whose `start/2` body is `start` (line 4 on).
fn write_application(dir: &Path, app: &str, start: &str) {
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
             start(_, _) -> {start}.\nstop(_) -> ok.\n"
        ),
    );
}

const RELAPP: &str = "tests/fixtures/tree/projects/relapp";
const ODDIDS: &str = "tests/fixtures/tree/projects/oddids";

/// Every field docs/json.md requires, with the right types, on every node.
fn check_node(n: &Value) {
    assert!(n["id"].is_string(), "id: {n}");
    for k in ["module", "behaviour", "file"] {
        assert!(n[k].is_string() || n[k].is_null(), "{k}: {n}");
    }
    assert!(n["line"].is_u64() || n["line"].is_null(), "line: {n}");
    let ty = n["type"].as_str();
    assert!(
        ty.is_none() || ["supervisor", "worker"].contains(&ty.unwrap()),
        "{n}"
    );
    let restart = n["restart"].as_str();
    assert!(
        restart.is_none() || ["permanent", "transient", "temporary"].contains(&restart.unwrap()),
        "{n}"
    );
    let s = &n["shutdown"];
    assert!(
        s.is_u64() || s.is_null() || s == "infinity" || s == "brutal_kill",
        "shutdown: {n}"
    );
    for k in ["dynamic", "conditional"] {
        assert!(n.get(k).is_none() || n[k] == Value::Bool(true), "{k}: {n}");
    }
    assert!(n.get("unresolved").is_none() || n["unresolved"].is_string());
    if let Some(children) = n.get("children") {
        assert!(
            [
                "one_for_one",
                "one_for_all",
                "rest_for_one",
                "simple_one_for_one"
            ]
            .contains(&n["strategy"].as_str().unwrap_or("?"))
                || n["unresolved"].is_string(),
            "strategy: {n}"
        );
        for c in children.as_array().unwrap() {
            check_node(c);
        }
    }
}

#[test]
fn json_contract_on_every_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = std::fs::read_dir(root.join("samples"))
        .unwrap()
        .chain(std::fs::read_dir(root.join("tests/fixtures/tree/projects")).unwrap());
    let mut checked = 0;
    for entry in dirs {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        checked += 1;
        let doc = tree_json(dir.to_str().unwrap());
        assert_eq!(doc["schema"], "otpmap.tree/1");
        for t in doc["trees"].as_array().unwrap() {
            assert!(t["app"].is_string());
            check_node(&t["root"]);
        }
        for d in doc["diagnostics"].as_array().unwrap() {
            for k in ["severity", "file", "message"] {
                assert!(d[k].is_string(), "{d}");
            }
            assert!(d["line"].is_u64());
        }
    }
    assert!(checked >= 10, "only {checked} projects checked");
}

#[test]
fn library_apps_have_no_tree() {
    for sample in ["library_app", "raw_modules", "broken"] {
        let doc = tree_json(&format!("samples/{sample}"));
        assert_eq!(doc["trees"], Value::Array(vec![]), "{sample}");
    }
}

#[test]
fn apps_in_boot_order_with_env_includes_and_start_arguments() {
    let doc = tree_json(RELAPP);
    let apps: Vec<&str> = doc["trees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["app"].as_str().unwrap())
        .collect();
    // The release lists second first, but second needs first.
    assert_eq!(apps, ["first", "second"]);
    let first = &doc["trees"][0]["root"];
    assert_eq!(first["id"], "first_sup");
    assert_eq!(first["strategy"], "one_for_one");
    let kids = first["children"].as_array().unwrap();
    let ids: Vec<&str> = kids.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["alpha", "beta", "?", "tracer"]);
    // The .app.src env gives the workers of the default build...
    assert_eq!(kids[0]["in_default_build"], true);
    assert_eq!(
        kids[0]["condition"],
        "first.workers = [alpha,beta] (.app.src env)"
    );
    assert_eq!(
        kids[0]["shutdown"], 2500,
        "?SHUTDOWN from include/first.hrl"
    );
    assert_eq!(kids[0]["name"], "{local,alpha}");
    // ...another value set at run time gives a computed template.
    assert_eq!(
        kids[2]["computed"].as_str().map(|c| c.contains("Workers")),
        Some(true)
    );
    assert_eq!(kids[2]["in_default_build"], false);
    // debug = false in the .app.src, although the code's default is true.
    assert_eq!(kids[3]["in_default_build"], false);
    let second = &doc["trees"][1]["root"];
    assert_eq!(second["id"], "second_sup");
    assert_eq!(second["module"], "second_app");
    assert_eq!(second["strategy"], "one_for_all");
    assert_eq!(second["intensity"], 1);
    assert_eq!(second["period"], 5);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("first_sup:add/1 is not shown in a tree")),
        "{diags:?}"
    );
}

#[test]
fn dynamic_templates_list_their_start_child_calls() {
    let doc = tree_json("samples/regular_app");
    let root = &doc["trees"][0]["root"];
    let delivery_sup = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "courier_delivery_sup")
        .unwrap();
    let template = &delivery_sup["children"][0];
    assert_eq!(template["dynamic"], true);
    assert_eq!(template["start_calls"][0]["caller"], "courier:deliver/2");
    assert_eq!(template["start_calls"][0]["file"], "src/courier.erl");
    assert_eq!(template["start_calls"][0]["line"], 13);
}

#[test]
fn app_option() {
    let (code, out, _) = otpmap(&["tree", "samples/umbrella", "--app", "web", "-f", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["trees"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc["trees"][0]["root"]["children"][0]["id"],
        "web_session_cache"
    );

    let (code, out, err) = otpmap(&["tree", "samples/umbrella", "--app", "nope"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no application `nope`") && err.contains("store, web, backoffice"),
        "{err}"
    );

    let (code, _, err) = otpmap(&["tree", "samples/umbrella", "--app", "shop_common"]);
    assert_eq!(code, 2);
    assert!(err.contains("has no `mod` callback"), "{err}");

    let (code, _, err) = otpmap(&["tree", "samples/no_such_dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file or directory"), "{err}");

    let (code, _, _) = otpmap(&["tree", "samples/umbrella", "--format", "yaml"]);
    assert_eq!(code, 2);
}

#[test]
fn diagram_formats() {
    let (code, dot, _) = otpmap(&["tree", "samples/regular_app", "-f", "dot"]);
    assert_eq!(code, 0);
    assert!(dot.contains("rest_for_one 5/30s"), "{dot}");
    assert!(dot.contains("shape=\"note\""), "dynamic template: {dot}");
    assert!(dot.contains("style=\"rounded\""), "supervisors: {dot}");
    assert!(dot.contains("shape=\"ellipse\""), "workers: {dot}");

    let (code, mermaid, _) = otpmap(&["tree", "samples/regular_app", "-f", "mermaid"]);
    assert_eq!(code, 0);
    assert!(mermaid.starts_with("flowchart TD\n"));
    assert!(mermaid.contains("one_for_all 3/10s"), "{mermaid}");
    assert!(mermaid.contains("classDef supervisor"), "{mermaid}");

    let (code, png, err) = otpmap(&["tree", "samples/regular_app", "-f", "png"]);
    if graphviz_installed() {
        assert_eq!(code, 0, "{err}");
        assert!(png.starts_with("\u{fffd}PNG"), "PNG header");
    } else {
        assert_eq!(code, 2);
        assert!(err.contains("graphviz"), "{err}");
    }
}

#[test]
fn dot_regular_app() {
    let (code, out, _) = otpmap(&["tree", "samples/regular_app", "--format", "dot"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn mermaid_umbrella() {
    let (code, out, _) = otpmap(&["tree", "samples/umbrella", "--format", "mermaid"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

/// Quotes, angle brackets and ampersands in child ids, escaped for each
/// format.
#[test]
fn mermaid_and_dot_escape_ids() {
    let (code, out, _) = otpmap(&["tree", ODDIDS, "--format", "mermaid"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("mermaid_oddids", out);
    let (code, out, _) = otpmap(&["tree", ODDIDS, "--format", "dot"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("dot_oddids", out);
}

fn graphviz_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every node id of every tree in `otpmap tree --format json`.
fn node_ids(path: &str) -> Vec<String> {
    fn walk(n: &Value, out: &mut Vec<String>) {
        out.push(n["id"].as_str().unwrap().to_owned());
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for t in tree_json(path)["trees"].as_array().unwrap() {
        walk(&t["root"], &mut out);
    }
    out
}

/// The SVG is well-formed XML and every node id is one of its text lines.
fn assert_svg_names_every_node(svg: &str, path: &str) {
    // graphviz writes a DOCTYPE; roxmltree refuses DTDs unless told.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opts)
        .unwrap_or_else(|e| panic!("{path}: the SVG does not parse as XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let lines: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    let ids = node_ids(path);
    assert!(!ids.is_empty(), "{path}: no tree");
    for id in ids {
        // Labels are for people: a part not known is `…`, not JSON's `?`.
        let id = id.replace('?', "…");
        assert!(
            lines.contains(&id.as_str()),
            "{path}: node {id} is not named in the SVG"
        );
    }
}

const SVG_PROJECTS: &[&str] = &[
    "samples/regular_app",
    "samples/umbrella",
    "samples/erlang_mk",
    "samples/monorepo",
    RELAPP,
    ODDIDS,
];

#[test]
fn builtin_svg_parses_and_names_every_node() {
    for path in SVG_PROJECTS {
        let (code, svg, err) = otpmap(&["tree", path, "-f", "svg", "--renderer", "builtin"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("built-in layout"), "renderer not named: {err}");
        assert!(svg.contains("built-in layout (layout-rs)"), "no comment");
        assert_svg_names_every_node(&svg, path);
    }
}

#[test]
fn graphviz_svg_parses_and_names_every_node() {
    if !graphviz_installed() {
        eprintln!("skipped: graphviz not installed");
        return;
    }
    for path in SVG_PROJECTS {
        let (code, svg, err) = otpmap(&["tree", path, "-f", "svg"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("graphviz"), "renderer not named: {err}");
        assert_svg_names_every_node(&svg, path);
    }
}

#[test]
fn builtin_svg_is_reproducible() {
    let args = [
        "tree",
        "samples/umbrella",
        "-f",
        "svg",
        "--renderer",
        "builtin",
        "-q",
    ];
    let (_, first, _) = otpmap(&args);
    for _ in 0..3 {
        assert_eq!(otpmap(&args).1, first, "layout differs between runs");
    }
}

#[test]
fn format_from_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (file, starts) in [
        ("tree.mmd", "flowchart TD"),
        ("tree.dot", "digraph"),
        ("tree.json", "{"),
        ("tree.svg", "<"),
    ] {
        let out = dir.path().join(file);
        let (code, stdout, err) = otpmap(&[
            "tree",
            "samples/regular_app",
            "-q",
            "--renderer",
            "builtin",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(stdout.is_empty());
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{file}: {text}");
    }
    // An explicit --format wins over the extension.
    let out = dir.path().join("tree.svg");
    let (code, _, _) = otpmap(&[
        "tree",
        "samples/regular_app",
        "-f",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

#[test]
fn human_regular_app() {
    let (code, out, _) = otpmap(&["tree", "samples/regular_app"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn human_umbrella() {
    let (code, out, _) = otpmap(&["tree", "samples/umbrella"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn human_fixture_project() {
    let (code, out, _) = otpmap(&["tree", RELAPP]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn no_tree_message() {
    let (code, out, _) = otpmap(&["tree", "samples/library_app"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("No application with a `mod` callback"),
        "{out}"
    );
}

/// The README's example of the human output is what otpmap prints.
#[test]
fn readme_example_is_current() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let cmd = "$ otpmap tree samples/umbrella --app store\n";
    let start = readme.find(cmd).expect("the README shows `otpmap tree`") + cmd.len();
    let end = start + readme[start..].find("```").unwrap();
    let (code, out, _) = otpmap(&["tree", "samples/umbrella", "--app", "store"]);
    assert_eq!(code, 0);
    assert_eq!(
        &readme[start..end],
        out,
        "README.md's `otpmap tree` example is stale"
    );
}

/// A test suite's `start_child` calls start children in a test run, not
/// at boot: the tree lists only the application's own.
#[test]
fn test_suites_start_no_children_of_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "shop", "shop_sup:start_link()");
    write(
        "src/shop_sup.erl",
        "-module(shop_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, shop_sup}, shop_sup, []).\n\
         init([]) -> {ok, {#{strategy => simple_one_for_one},\n\
         [#{id => cart, start => {shop_cart, start_link, []}}]}}.\n",
    );
    write(
        "src/shop.erl",
        "-module(shop).\n-export([open/1]).\n\
         open(Id) -> supervisor:start_child(shop_sup, [Id]).\n",
    );
    write(
        "test/shop_SUITE.erl",
        "-module(shop_SUITE).\n-export([open_many/1]).\n\
         open_many(_) -> [supervisor:start_child(shop_sup, [N]) || N <- [1, 2]].\n",
    );
    let doc = tree_json(dir.path().to_str().unwrap());
    let template = &doc["trees"][0]["root"]["children"][0];
    assert_eq!(template["dynamic"], true);
    let callers: Vec<&str> = template["start_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["caller"].as_str().unwrap())
        .collect();
    assert_eq!(callers, ["shop:open/1"]);
    assert!(!doc.to_string().contains("shop_SUITE"), "{doc}");
}

/// A function that adds what it is given (`add(Spec) ->
/// supervisor:start_child(?MODULE, Spec)`) is an API: when nothing in the
/// project calls it, its line says so, and JSON has `uncalled`; a wrapper
/// the project calls is drawn at its call, without it.
#[test]
fn an_api_nothing_calls_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "shop", "shop_sup:start_link()");
    write(
        "src/shop_sup.erl",
        "-module(shop_sup).\n-behaviour(supervisor).\n\
         -export([start_link/0, init/1, add/1, add_cart/1, add_step/1]).\n\
         start_link() -> supervisor:start_link({local, shop_sup}, shop_sup, []).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n\
         add(Spec) -> supervisor:start_child(?MODULE, Spec).\n\
         add_cart(Spec) -> supervisor:start_child(?MODULE, Spec).\n\
         add_step(Spec) -> supervisor:start_child(?MODULE, Spec).\n",
    );
    write(
        "src/shop.erl",
        "-module(shop).\n-export([open/0]).\n\
         open() -> shop_sup:add_cart(#{id => cart, start => {shop_cart, start_link, []}}).\n",
    );
    // Named as data (a boot step's MFA): it may be called, not said.
    write(
        "src/shop_boot.erl",
        "-module(shop_boot).\n-export([steps/0]).\n\
         steps() -> [{mfa, {shop_sup, add_step, [#{id => x, start => {x, start_link, []}}]}}].\n",
    );
    let doc = tree_json(dir.path().to_str().unwrap());
    let root = &doc["trees"][0]["root"];
    let calls = root["start_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2, "{root}");
    assert_eq!(calls[0]["caller"], "shop_sup:add/1");
    assert_eq!(calls[0]["uncalled"], true);
    assert_eq!(calls[1]["caller"], "shop_sup:add_step/1");
    assert!(calls[1].get("uncalled").is_none(), "{root}");
    let cart = &root["children"][0];
    assert_eq!(cart["id"], "cart");
    assert_eq!(cart["dynamic"], true);
    assert_eq!(cart["start_calls"][0]["caller"], "shop:open/0");
    assert!(cart["start_calls"][0].get("uncalled").is_none(), "{cart}");
    let (code, out, err) = otpmap(&["tree", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "children added by shop_sup:add/1 at src/shop_sup.erl:6 \
             (supervisor:start_child/2); nothing in the project calls shop_sup:add/1"
        ),
        "{out}"
    );
    assert!(
        !out.contains("nothing in the project calls shop:open/0"),
        "{out}"
    );
}

/// With `--include-deps`, a dependency's `start_child` calls into its own
/// supervisors (whose tree is not drawn) are not reported as unattached;
/// the project's are.
#[test]
fn dependencies_start_child_calls_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "src/web.app.src",
        "{application, web, [{vsn, \"1\"}, {applications, [kernel, stdlib, pool]}]}.\n",
    );
    write(
        "src/web.erl",
        "-module(web).\n-export([grow/0]).\n\
         grow() -> supervisor:start_child(web_extra_sup, []).\n",
    );
    write(
        "_build/default/lib/pool/src/pool.app.src",
        "{application, pool, [{vsn, \"1\"}, {applications, [kernel, stdlib]}, \
         {mod, {pool_app, []}}]}.\n",
    );
    write(
        "_build/default/lib/pool/src/pool.erl",
        "-module(pool).\n-export([add/1]).\n\
         add(Spec) -> supervisor:start_child(pool_sup, Spec).\n",
    );
    let (code, out, err) = otpmap(&[
        "tree",
        dir.path().to_str().unwrap(),
        "--include-deps",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let unattached: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "start-child-unattached")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(unattached, ["src/web.erl"], "{out}");
}

/// A `start_child/2` call that adds a child to a supervisor that is not
/// `simple_one_for_one` draws the child from its spec, with its own tree
/// (a listener supervisor added at run time, as ranch does), marked
/// dynamic; a call whose spec is not known stays a call of the supervisor.
#[test]
fn children_added_at_run_time_are_drawn_from_their_spec() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "net", "net_sup:start_link()");
    write(
        "src/net_sup.erl",
        "-module(net_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, net_sup}, net_sup, []).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n",
    );
    write(
        "src/net_listener_sup.erl",
        "-module(net_listener_sup).\n-behaviour(supervisor).\n-export([start_link/1, init/1]).\n\
         start_link(Port) -> supervisor:start_link(net_listener_sup, Port).\n\
         init(Port) -> {ok, {#{strategy => one_for_all},\n\
         [#{id => acceptor, start => {net_acceptor, start_link, [Port]}}]}}.\n",
    );
    write(
        "src/net.erl",
        "-module(net).\n-export([listen/1, plug/1]).\n\
         listen(Port) ->\n    supervisor:start_child(net_sup, #{id => {listener, Port},\n\
         start => {net_listener_sup, start_link, [Port]}, type => supervisor}).\n\
         plug(Spec) -> supervisor:start_child(net_sup, Spec).\n",
    );
    let path = dir.path().to_str().unwrap();
    let doc = tree_json(path);
    let root = &doc["trees"][0]["root"];
    assert_eq!(root["start_calls"][0]["caller"], "net:plug/1", "{root}");
    assert_eq!(root["start_calls"].as_array().unwrap().len(), 1);
    let listener = &root["children"][0];
    assert_eq!(listener["id"], "{listener,?}");
    assert_eq!(listener["dynamic"], true);
    assert_eq!(listener["strategy"], "one_for_all");
    assert_eq!(listener["start_calls"][0]["caller"], "net:listen/1");
    assert_eq!(listener["children"][0]["id"], "acceptor");
    let (code, out, _) = otpmap(&["tree", path, "--color", "never"]);
    assert_eq!(code, 0);
    assert!(out.contains("* {listener,…} (net_listener_sup)"), "{out}");
    assert!(
        out.contains("added at run time by net:listen/1 at src/net.erl:4"),
        "{out}"
    );
    assert!(out.contains("children added by net:plug/1"), "{out}");
}

#[test]
fn calls_of_a_start_child_wrapper_are_read_where_they_are_made() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "hub", "hub_sup:start_link()");
    // The wrapper: what it adds is only known at its calls.
    write(
        "src/hub_sup.erl",
        "-module(hub_sup).\n-behaviour(supervisor).\n\
         -export([start_link/0, start_child/1, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         start_child(Spec) -> supervisor:start_child(?MODULE, Spec).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n",
    );
    // A supervisor no tree starts, with a wrapper of its own.
    write(
        "src/hub_side_sup.erl",
        "-module(hub_side_sup).\n-behaviour(supervisor).\n\
         -export([start_link/0, start_child/1, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         start_child(Spec) -> supervisor:start_child(?MODULE, Spec).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n",
    );
    // A wrapper that is given its supervisor too.
    write(
        "src/hub_util.erl",
        "-module(hub_util).\n-export([add/2]).\n\
         add(Sup, Spec) -> supervisor:start_child(Sup, Spec).\n",
    );
    write(
        "src/hub.erl",
        "-module(hub).\n-export([open/1, side/0, other/0]).\n\
         open(Port) ->\n    hub_sup:start_child(#{id => {port, Port},\n\
         start => {hub_port, start_link, [Port]}, restart => transient}).\n\
         side() -> hub_side_sup:start_child(#{id => side, start => {hub_port, start_link, [0]}}).\n\
         other() -> hub_util:add(hub_side_sup, #{id => other, start => {hub_port, start_link, [1]}}).\n",
    );
    let path = dir.path().to_str().unwrap();
    let doc = tree_json(path);
    let root = &doc["trees"][0]["root"];
    assert!(root.get("start_calls").is_none(), "{root}");
    let port = &root["children"][0];
    assert_eq!(port["id"], "{port,?}", "{root}");
    assert_eq!(port["dynamic"], true);
    assert_eq!(port["restart"], "transient");
    let call = &port["start_calls"][0];
    assert_eq!(call["caller"], "hub:open/1");
    assert_eq!(call["line"], 4);
    assert_eq!(call["through"]["function"], "hub_sup:start_child/1");
    assert_eq!(call["through"]["file"], "src/hub_sup.erl");
    assert_eq!(call["through"]["line"], 5);
    let (code, out, _) = otpmap(&["tree", path, "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "added at run time by hub:open/1 at src/hub.erl:4 \
             (through hub_sup:start_child/1, supervisor:start_child/2 at src/hub_sup.erl:5)"
        ),
        "{out}"
    );
    // The wrapper names its supervisor: said once, at the wrapper.
    assert!(
        out.contains(
            "src/hub_side_sup.erl:5:22 supervisor:start_child/2 in hub_side_sup:start_child/1 \
             is not shown in a tree: it targets hub_side_sup"
        ),
        "{out}"
    );
    assert!(!out.contains("in hub:side/0"), "{out}");
    // The caller names it: said at the caller.
    assert!(
        out.contains(
            "src/hub.erl:7:12 supervisor:start_child/2 in hub:other/0 (through hub_util:add/2) \
             is not shown in a tree: it targets hub_side_sup"
        ),
        "{out}"
    );
}

/// A wrapper called at boot by a loop whose value is dropped (listeners
/// from the env, MongooseIM's `mongoose_listener:start_listener/1` over
/// `ejabberd_sup:start_child/2`) adds its children at boot; the other
/// calls of the same wrapper, made at run time, stay listed as such (they
/// all went through the wrapper's `start_child` call, which was taken as
/// made at boot).
#[test]
fn a_wrapper_called_at_boot_keeps_its_run_time_calls() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(
        dir.path(),
        "hub",
        "{ok, Pid} = hub_sup:start_link(),\n    \
         hub_listeners:start_all(application:get_env(hub, listeners, [])),\n    {ok, Pid}",
    );
    write(
        "src/hub_sup.erl",
        "-module(hub_sup).\n-behaviour(supervisor).\n\
         -export([start_link/0, start_child/1, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         start_child(Spec) -> supervisor:start_child(?MODULE, Spec).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n",
    );
    write(
        "src/hub_listeners.erl",
        "-module(hub_listeners).\n-export([start_all/1]).\n\
         start_all(Ls) -> lists:foreach(fun start/1, Ls).\n\
         start(L) -> hub_sup:start_child(L:child_spec()).\n",
    );
    write(
        "src/hub_plugin.erl",
        "-module(hub_plugin).\n-export([load/0]).\n\
         load() -> hub_sup:start_child(#{id => plugin, start => {hub_plugin_srv, start_link, []}}).\n",
    );
    let path = dir.path().to_str().unwrap();
    let doc = tree_json(path);
    let root = &doc["trees"][0]["root"];
    let children = root["children"].as_array().unwrap();
    let plugin = children
        .iter()
        .find(|c| c["id"] == "plugin")
        .unwrap_or_else(|| panic!("no run-time child plugin: {root}"));
    assert_eq!(plugin["dynamic"], true, "{root}");
    assert_eq!(plugin["start_calls"][0]["caller"], "hub_plugin:load/0");
    // The listeners: one computed child, whose spec only the run knows.
    let listener = children
        .iter()
        .find(|c| c["computed"].is_string())
        .unwrap_or_else(|| panic!("no listener: {root}"));
    assert!(listener.get("dynamic").is_none(), "{root}");
}

#[test]
fn statements_the_tree_does_not_need_are_not_evaluated() {
    // The start function logs compiled routes with a macro whose header is
    // not there, and checks them with a match that also reads the pid it
    // returns: neither binds anything the result needs, so the routes
    // (more than the evaluation budget to compile) are not compiled, and
    // the top supervisor is found.
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(
        dir.path(),
        "web",
        "\n\
         \x20   {ok, Pid} = web_sup:start_link(),\n\
         \x20   Routes = web_router:compile([{<<\"example.com\">>, [<<\"/a/b/c\">>, <<\"/d/e/f\">>]},\n\
         \x20                                {<<\"_\">>, [<<\"/g/h/i/j/k\">>]}]),\n\
         \x20   ?LOG_DEBUG(\"routes: ~p\", [Routes]),\n\
         \x20   ok = web_router:check(Routes, Pid),\n\
         \x20   {ok, Pid}",
    );
    write(
        "src/web_router.erl",
        "-module(web_router).\n-export([compile/1, check/2]).\n\
         compile(Routes) -> [{split(H), [split(P) || P <- Ps]} || {H, Ps} <- Routes].\n\
         split(Bin) -> split(Bin, <<>>, []).\n\
         split(<<$/, Rest/binary>>, Acc, Segs) -> split(Rest, <<>>, [Acc | Segs]);\n\
         split(<<$., Rest/binary>>, Acc, Segs) -> split(Rest, <<>>, [Acc | Segs]);\n\
         split(<<C, Rest/binary>>, Acc, Segs) -> split(Rest, <<Acc/binary, C>>, Segs);\n\
         split(<<>>, Acc, Segs) -> lists:reverse([Acc | Segs]).\n\
         check(Routes, Pid) when is_list(Routes), is_pid(Pid) -> ok.\n",
    );
    write(
        "src/web_sup.erl",
        "-module(web_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, web_sup}, web_sup, []).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, [#{id => listener, start => {web_listener, start_link, []}}]}}.\n",
    );
    let doc = tree_json(dir.path().to_str().unwrap());
    let root = &doc["trees"][0]["root"];
    assert_eq!(root["id"], "web_sup", "{root}");
    assert_eq!(root["strategy"], "one_for_one");
    assert_eq!(root["children"][0]["id"], "listener");
}

/// Issue 15, item 9: fifty queue supervisors built from `lists:seq/2`,
/// alike but for the index in their ids and names, are one line with a
/// count in the human tree (their subtree drawn once); JSON keeps all 50.
/// Siblings that differ otherwise (the shutdown of `q_slow_0`) or whose
/// ids have no number stay on lines of their own.
#[test]
fn indexed_siblings_are_one_line_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "mq", "mq_sup:start_link()");
    write(
        "src/mq_sup.erl",
        "-module(mq_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, mq_sup}, mq_sup, []).\n\
         init([]) ->\n\
         Queues = [#{id => {queue_sup, N}, type => supervisor,\n\
                     start => {mq_queue_sup, start_link, [N]}} || N <- lists:seq(0, 49)],\n\
         Slow = [#{id => q_slow_0, start => {mq_worker, start_link, [0]}, shutdown => 100},\n\
                 #{id => q_slow_1, start => {mq_worker, start_link, [1]}},\n\
                 #{id => q_slow_2, start => {mq_worker, start_link, [2]}}],\n\
         Named = [#{id => a, start => {mq_worker, start_link, [0]}},\n\
                  #{id => b, start => {mq_worker, start_link, [0]}},\n\
                  #{id => c, start => {mq_worker, start_link, [0]}}],\n\
         {ok, {#{strategy => one_for_one}, Queues ++ Slow ++ Named}}.\n",
    );
    write(
        "src/mq_queue_sup.erl",
        "-module(mq_queue_sup).\n-behaviour(supervisor).\n-export([start_link/1, init/1]).\n\
         start_link(N) ->\n\
         supervisor:start_link({local, list_to_atom(\"mq_queue_sup_\" ++ integer_to_list(N))}, \
         mq_queue_sup, N).\n\
         init(N) -> {ok, {#{strategy => one_for_all},\n\
         [#{id => queue, start => {mq_worker, start_link, [N]}}]}}.\n",
    );
    write(
        "src/mq_worker.erl",
        "-module(mq_worker).\n-behaviour(gen_server).\n-export([start_link/1, init/1]).\n\
         start_link(N) -> gen_server:start_link(mq_worker, N, []).\n\
         init(N) -> {ok, N}.\n",
    );
    let path = dir.path().to_str().unwrap();
    let doc = tree_json(path);
    let children = doc["trees"][0]["root"]["children"].as_array().unwrap();
    assert_eq!(children.len(), 56, "JSON keeps every child");
    assert_eq!(children[49]["id"], "{queue_sup,49}");
    let (code, out, _) = otpmap(&["tree", path, "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "├─ 1-50 {queue_sup,0} … {queue_sup,49} ×50 (mq_queue_sup)  supervisor one_for_all 1/5s"
        ),
        "{out}"
    );
    assert_eq!(out.matches("queue (mq_worker)").count(), 1, "{out}");
    assert!(
        out.contains("├─ 51 q_slow_0 (mq_worker)  worker  permanent  shutdown 100"),
        "{out}"
    );
    assert!(out.contains("├─ 52 q_slow_1 (mq_worker)"), "{out}");
    for id in ["54 a", "55 b", "56 c"] {
        assert!(out.contains(&format!(" {id} (mq_worker)")), "{id}: {out}");
    }
}

/// Issue 15, item 8: a library's pool supervisor that its users start is
/// in no application's tree. `tree` lists it at the end (human and JSON),
/// and `tree --root` draws its tree, from `Module` (its `start_link`) or
/// `Module:Function`; an unknown module is an error that says what to do.
#[test]
fn supervisors_no_application_starts_are_listed_and_drawn_with_root() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(dir.path(), "shop", "shop_sup:start_link()");
    write(
        "src/shop_sup.erl",
        "-module(shop_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, shop_sup}, shop_sup, []).\n\
         init([]) -> {ok, {#{strategy => one_for_one}, []}}.\n",
    );
    write(
        "src/pool_sup.erl",
        "-module(pool_sup).\n-behaviour(supervisor).\n-export([start_link/1, init/1]).\n\
         start_link(Size) -> supervisor:start_link(pool_sup, Size).\n\
         init(Size) -> {ok, {#{strategy => one_for_all, intensity => 3, period => 60},\n\
         [#{id => pool_worker, start => {pool_worker, start_link, [Size]}}]}}.\n",
    );
    write(
        "src/pool_worker.erl",
        "-module(pool_worker).\n-behaviour(gen_server).\n-export([start_link/1, init/1]).\n\
         start_link(Size) -> gen_server:start_link(pool_worker, Size, []).\n\
         init(Size) -> {ok, Size}.\n",
    );
    let path = dir.path().to_str().unwrap();
    let (code, out, _) = otpmap(&["tree", path, "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "Supervisors not started by any application here:\n  pool_sup (shop)  src/pool_sup.erl:5\n"
        ),
        "{out}"
    );
    assert!(!out.contains("  shop_sup (shop)"), "{out}");
    let doc = tree_json(path);
    let unstarted = doc["unstarted_supervisors"].as_array().unwrap();
    assert_eq!(unstarted.len(), 1, "{doc}");
    assert_eq!(unstarted[0]["module"], "pool_sup");
    assert_eq!(unstarted[0]["app"], "shop");
    assert_eq!(unstarted[0]["file"], "src/pool_sup.erl");
    assert_eq!(unstarted[0]["line"], 5);

    for root in ["pool_sup", "pool_sup:start_link"] {
        let (code, out, err) = otpmap(&["tree", path, "--color", "never", "--root", root]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.starts_with(
                "shop: pool_sup:start_link/1  src/pool_sup.erl:4\n\
                 pool_sup  supervisor one_for_all 3/60s  permanent  shutdown infinity\n\
                 └─ 1 pool_worker  worker  permanent  shutdown 5000  gen_server\n"
            ),
            "{root}: {out}"
        );
        assert!(!out.contains("not started by any"), "{out}");
        let (_, json, _) = otpmap(&["tree", path, "-f", "json", "--root", root]);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["trees"][0]["start"], "pool_sup:start_link/1");
        assert_eq!(doc["trees"][0]["root"]["children"][0]["id"], "pool_worker");
        assert!(doc.get("unstarted_supervisors").is_none(), "{doc}");
    }
    let (code, _, err) = otpmap(&["tree", path, "--root", "no_such_sup"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no module `no_such_sup` in the project"),
        "{err}"
    );
    let (code, _, err) = otpmap(&["tree", path, "--root", "pool_sup:"]);
    assert_eq!(code, 2, "{err}");
}

/// A child typed `supervisor` whose start function starts a gen_server is
/// shown as a leaf with a note; the start call in that note is for people:
/// parts not known as `…` (never `?` or `(a | ?)`), and cut when long.
#[test]
fn typed_supervisor_note_words_the_start_call() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "src/cush.app.src",
        "{application, cush, [{vsn, \"1\"}, {mod, {cush_app, []}},\n\
         {applications, [kernel, stdlib]}, {env, [{limit, 20}]}]}.\n",
    );
    write(
        "src/cush_app.erl",
        "-module(cush_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> cush_sup:start_link().\nstop(_) -> ok.\n",
    );
    write(
        "src/cush_sup.erl",
        "-module(cush_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         init([]) ->\n\
         \x20   Limit = case os:getenv(\"LIMIT\") of false -> 20; V -> list_to_integer(V) end,\n\
         \x20   Spec = #{id => inner, start => {cush_inner, start_link, []}, limit => Limit,\n\
         \x20            note => \"a long text that makes this start call longer than a line\"},\n\
         \x20   {ok, {#{}, [#{id => wrap, type => supervisor,\n\
         \x20                 start => {cush_wrap, start_link, [node(), Limit, [Spec, Spec, Spec]]}}]}}.\n",
    );
    write(
        "src/cush_wrap.erl",
        "-module(cush_wrap).\n-behaviour(gen_server).\n\
         -export([start_link/3, init/1, handle_call/3, handle_cast/2]).\n\
         start_link(N, L, S) -> gen_server:start_link(?MODULE, {N, L, S}, []).\n\
         init(A) -> {ok, A}.\nhandle_call(_, _, S) -> {reply, ok, S}.\n\
         handle_cast(_, S) -> {noreply, S}.\n",
    );
    let (code, out, err) = otpmap(&["tree", dir.path().to_str().unwrap(), "--color", "never"]);
    assert_eq!(code, 0, "{out}{err}");
    let note = out
        .lines()
        .find(|l| l.contains("typed supervisor, but"))
        .unwrap_or_else(|| panic!("no typed-supervisor note:\n{out}"));
    assert!(note.contains("cush_wrap:start_link("), "{note}");
    assert!(note.contains('…'), "{note}");
    assert!(!note.contains('?') && !note.contains(" | "), "{note}");
    assert!(note.contains("...) starts") || note.len() < 300, "{note}");
    assert!(note.chars().count() < 320, "{note}");
}

const RUNENV: &str = "tests/fixtures/tree/projects/runenv";

/// The root of `app`'s tree in the runenv fixture.
fn runenv_root(app: &str) -> Value {
    let (code, out, err) = otpmap(&["tree", RUNENV, "--app", app, "--format", "json"]);
    assert_eq!(code, 0, "tree --app {app} failed: {err}");
    let doc: Value = serde_json::from_str(&out).expect("valid JSON");
    doc["trees"][0]["root"].clone()
}

/// `application:get_env/1` in a library's module reads the env of the
/// application whose tree is built, not the library's (ns_server's
/// ns_couchdb_sup showed the intensity of ns_server's env).
#[test]
fn get_env_1_reads_the_running_application() {
    let root = runenv_root("scoped");
    assert_eq!(
        (&root["intensity"], &root["period"]),
        (&7.into(), &15.into()),
        "{root}"
    );
}

/// An env list folded by a recursive accumulator gives, in the default
/// build, the children of the `.app.src` list in the fold's order, on a
/// condition in words (CloudI's cpg_sup showed 13 children on clause
/// texts).
#[test]
fn env_list_folded_by_recursion_keeps_the_default_build() {
    let root = runenv_root("scoped");
    let children = root["children"].as_array().expect("children");
    let default: Vec<&Value> = children
        .iter()
        .filter(|c| c["in_default_build"] != Value::Bool(false))
        .collect();
    let ids: Vec<&str> = default.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["blue_scope", "red_scope"], "{root}");
    for c in &default {
        assert_eq!(
            c["start"],
            format!(
                "scoped_worker:start_link({})",
                c["id"].as_str().unwrap_or("")
            ),
            "{c}"
        );
        assert_eq!(c["in_default_build"], Value::Bool(true), "{c}");
        let cond = c["condition"].as_str().unwrap_or("");
        assert!(
            cond.contains("scoped.scopes") && !cond.contains("clause"),
            "{c}"
        );
    }
    // Set otherwise: one computed child on the env key, no clause text.
    let others: Vec<&Value> = children
        .iter()
        .filter(|c| c["in_default_build"] == Value::Bool(false))
        .collect();
    assert_eq!(others.len(), 1, "{root}");
    let computed = others[0]["computed"].as_str().unwrap_or("");
    assert!(computed.contains("scoped.scopes"), "{root}");
    assert_eq!(others[0]["module"], "scoped_worker", "{root}");
    assert!(
        !others[0]["condition"]
            .as_str()
            .unwrap_or("")
            .contains("clause"),
        "{root}"
    );
}

/// Env lists folded by a counted accumulator and by body recursion: the
/// default build's children numbered in order, and for each list one
/// computed child naming its env key, absent from the default build.
#[test]
fn env_lists_folded_by_recursion_are_computed_children() {
    let root = runenv_root("pooled");
    let children = root["children"].as_array().expect("children");
    let ids: Vec<&str> = children.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "monitor",
            "{listener,?}",
            "{pool,1}",
            "{pool,2}",
            "{pool,?}"
        ],
        "{root}"
    );
    for (i, key) in [(1, "pooled.ports"), (4, "pooled.pools")] {
        let c = &children[i];
        assert!(
            c["computed"].as_str().is_some_and(|t| t.contains(key)),
            "{c}"
        );
        assert_eq!(c["in_default_build"], Value::Bool(false), "{c}");
        assert!(c.get("unresolved").is_none(), "{c}");
    }
}

/// A configuration loader that runs out of steps in `start/2`'s case
/// subject leaves the `{ok, Config}` branch, `Config` unknown, and the
/// supervisor's `is_record/2` guard takes it: the evaluation itself finds
/// the top supervisor (CloudI's cloudi_core).
#[test]
fn costly_config_loader_keeps_the_top_supervisor() {
    let root = runenv_root("loadcfg");
    assert_eq!(root["id"], "loadcfg_sup", "{root}");
    assert_eq!(
        (&root["intensity"], &root["period"]),
        (&0.into(), &1.into())
    );
    assert_eq!(root["children"][0]["id"], "loadcfg_keeper", "{root}");
    let notes = root["notes"].to_string();
    assert!(!notes.contains("could not be evaluated"), "{notes}");
}

/// A child whose module declares only a behaviour of the project's own (a
/// plug-in interface) and starts its process through a dependency's
/// `start_link` has no behaviour in the tree: the interface says which
/// callbacks the module has, not what kind of process runs (erldns's
/// cache pipes showed `erldns_pipeline` as a process behaviour).
#[test]
fn project_behaviour_is_not_a_process_behaviour() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write(
        "src/pipe.app.src",
        "{application, pipe, [{vsn, \"1\"}, {mod, {pipe_app, []}},\n\
         {applications, [kernel, stdlib]}]}.\n",
    );
    write(
        "src/pipe_app.erl",
        "-module(pipe_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> pipe_sup:start_link().\nstop(_) -> ok.\n",
    );
    write(
        "src/pipe_sup.erl",
        "-module(pipe_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         init([]) ->\n\
         \x20   {ok, {#{}, [#{id => cache, start => {pipe_cache, start_link, []}},\n\
         \x20               #{id => stage, start => {pipe_stage, start_link, []}}]}}.\n",
    );
    write(
        "src/pipe_step.erl",
        "-module(pipe_step).\n-export([behaviour_info/1]).\n\
         behaviour_info(callbacks) -> [{step, 1}];\nbehaviour_info(_) -> undefined.\n",
    );
    write(
        "src/pipe_cache.erl",
        "-module(pipe_cache).\n-behaviour(pipe_step).\n-export([start_link/0, step/1]).\n\
         start_link() -> shared_cache:start_link(?MODULE, #{}).\nstep(X) -> X.\n",
    );
    write(
        "src/pipe_stage.erl",
        "-module(pipe_stage).\n-behaviour(pipe_step).\n-behaviour(gen_server).\n\
         -export([start_link/0, step/1, init/1, handle_call/3, handle_cast/2]).\n\
         start_link() -> gen_server:start_link(?MODULE, [], []).\nstep(X) -> X.\n\
         init([]) -> {ok, []}.\nhandle_call(_, _, S) -> {reply, ok, S}.\n\
         handle_cast(_, S) -> {noreply, S}.\n",
    );
    let (code, out, err) = otpmap(&["tree", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).expect("valid JSON");
    let children = doc["trees"][0]["root"]["children"]
        .as_array()
        .expect("children")
        .clone();
    let by_id = |id: &str| {
        children
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no child {id}: {children:?}"))
            .clone()
    };
    let cache = by_id("cache");
    assert_eq!(cache["module"], "pipe_cache", "{cache}");
    assert!(cache["behaviour"].is_null(), "{cache}");
    assert_eq!(by_id("stage")["behaviour"], "gen_server");
}

/// "notes: as above" stands for notes that read the same but for the
/// child's own id: children added at boot from two lines of the start
/// function each keep their line, and children started by two modules
/// outside the project each name theirs.
#[test]
fn notes_as_above_only_when_they_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write_file(dir.path(), path, text);
    write_application(
        dir.path(),
        "shop",
        "{ok, Sup} = shop_sup:start_link(),\n\
         {ok, _} = supervisor:start_child(shop_sup, #{id => web, start => {shop_web, start_link, []}}),\n\
         {ok, _} = supervisor:start_child(shop_sup, #{id => api, start => {shop_web, start_link, []}}),\n\
         {ok, Sup}",
    );
    write(
        "src/shop_sup.erl",
        "-module(shop_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, shop_sup}, shop_sup, []).\n\
         init([]) -> {ok, {#{strategy => one_for_one},\n\
         [#{id => cache, start => {cachelib, start_link, [1]}},\n\
          #{id => queue, start => {queuelib, start_link, [1]}}]}}.\n",
    );
    write(
        "src/shop_web.erl",
        "-module(shop_web).\n-behaviour(gen_server).\n\
         -export([start_link/0, init/1, handle_call/3, handle_cast/2]).\n\
         start_link() -> gen_server:start_link(?MODULE, [], []).\n\
         init([]) -> {ok, #{}}.\n\
         handle_call(_, _, S) -> {reply, ok, S}.\nhandle_cast(_, S) -> {noreply, S}.\n",
    );
    let (code, out, err) = otpmap(&["tree", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("as above"), "{out}");
    for note in [
        "started by cachelib:start_link/1, which is not in the project",
        "started by queuelib:start_link/1, which is not in the project",
        "added at boot by supervisor:start_child/2 at src/shop_app.erl:5",
        "added at boot by supervisor:start_child/2 at src/shop_app.erl:6",
    ] {
        assert!(out.contains(note), "{note}\n{out}");
    }
    // Children added by one call (a loop over a list) share its note; the
    // shards, added by another line, say theirs.
    let (code, out, err) = otpmap(&["tree", "tests/fixtures/tree/projects/bootkids"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let under = |child: &str| {
        let at = lines.iter().position(|l| l.contains(child)).unwrap();
        lines[at + 1..]
            .iter()
            .find(|l| l.contains("note"))
            .unwrap()
            .trim_start_matches(|c: char| !c.is_alphabetic())
    };
    assert_eq!(under("{pool,beta}"), "notes: as above", "{out}");
    assert!(
        under("{shard,1} … {shard,3}").starts_with(
            "note: added at boot by supervisor:start_child/2 at src/bootkids_pool_sup.erl:14"
        ),
        "{out}"
    );
}
