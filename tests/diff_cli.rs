//! `otpmap diff` on small git repositories made here: two commits that
//! change each kind of thing `diff` reports, checked field by field.

mod common;
use common::write_file;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn otpmap(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const APP: &str = "-module(shop_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
start(_Type, _Args) -> shop_sup:start_link().\nstop(_State) -> ok.\n";

const WORKER: &str = "-module(shop_worker).\n-behaviour(gen_server).\n\
-export([start_link/1, init/1, handle_call/3, handle_cast/2]).\n\
start_link(Id) -> gen_server:start_link({local, Id}, ?MODULE, [], []).\n\
init([]) -> {ok, #{}}.\nhandle_call(_R, _F, S) -> {reply, ok, S}.\nhandle_cast(_M, S) -> {noreply, S}.\n";

/// A gen_server `name` whose init/1 connects to a database, or not.
fn server(name: &str, blocking: bool) -> String {
    let init = if blocking {
        "init([]) ->\n    {ok, Sock} = gen_tcp:connect(\"db.example.com\", 5432, []),\n    {ok, Sock}.\n"
    } else {
        "init([]) ->\n    {ok, #{}}.\n"
    };
    format!(
        "-module({name}).\n-behaviour(gen_server).\n\
         -export([start_link/0, init/1, handle_call/3, handle_cast/2]).\n\
         start_link() -> gen_server:start_link({{local, ?MODULE}}, ?MODULE, [], []).\n\
         {init}handle_call(_R, _F, S) -> {{reply, ok, S}}.\nhandle_cast(_M, S) -> {{noreply, S}}.\n"
    )
}

fn sup(flags: &str, children: &[&str]) -> String {
    format!(
        "-module(shop_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({{local, ?MODULE}}, ?MODULE, []).\n\
         init([]) ->\n    {{ok, {{{flags},\n          [{}]}}}}.\n",
        children.join(",\n           ")
    )
}

fn worker(id: &str, restart: &str) -> String {
    format!("#{{id => {id}, start => {{shop_worker, start_link, [{id}]}}, restart => {restart}}}")
}

fn server_child(name: &str) -> String {
    format!("#{{id => {name}, start => {{{name}, start_link, []}}}}")
}

/// The first commit's project.
fn version_one(root: &Path) {
    write_file(
        root,
        "rebar.config",
        "{deps, [{cowlib, \"2.12.1\"}]}.\n{relx, [{release, {shop, \"1.0.0\"}, [shop]}]}.\n",
    );
    write_file(
        root,
        "src/shop.app.src",
        "{application, shop, [{vsn, \"0.1.0\"}, {mod, {shop_app, []}},\n  \
         {applications, [kernel, stdlib]}, {env, []}]}.\n",
    );
    write_file(root, "src/shop_app.erl", APP);
    write_file(root, "src/shop_worker.erl", WORKER);
    write_file(root, "src/shop_db.erl", &server("shop_db", true));
    write_file(root, "src/shop_cache.erl", &server("shop_cache", false));
    write_file(
        root,
        "src/shop_sup.erl",
        &sup(
            "#{strategy => one_for_one, intensity => 3, period => 10}",
            &[
                &worker("a", "permanent"),
                &worker("b", "permanent"),
                &worker("c", "permanent"),
                &server_child("shop_db"),
                &server_child("shop_cache"),
            ],
        ),
    );
}

/// The second commit: every kind of change.
fn version_two(root: &Path) {
    write_file(
        root,
        "rebar.config",
        "{deps, [{cowlib, \"2.13.0\"}, {ranch, \"2.1.0\"}]}.\n\
         {relx, [{release, {shop, \"1.1.0\"}, [sasl, shop]}]}.\n",
    );
    write_file(
        root,
        "src/shop.app.src",
        "{application, shop, [{vsn, \"0.2.0\"}, {mod, {shop_app, []}},\n  \
         {applications, [kernel, stdlib, crypto]}, {env, []}]}.\n",
    );
    // shop_db no longer connects in init/1; shop_cache now does.
    write_file(root, "src/shop_db.erl", &server("shop_db", false));
    write_file(root, "src/shop_cache.erl", &server("shop_cache", true));
    write_file(
        root,
        "src/shop_sup.erl",
        &sup(
            "#{strategy => rest_for_one, intensity => 5, period => 10}",
            &[
                &worker("b", "permanent"),
                &worker("a", "transient"),
                &worker("d", "permanent"),
                &server_child("shop_db"),
                &server_child("shop_cache"),
            ],
        ),
    );
}

fn repository() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    version_one(root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    let one = git(root, &["rev-parse", "HEAD"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    version_two(root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);
    let two = git(root, &["rev-parse", "HEAD"]);
    (dir, one, two)
}

#[test]
fn every_kind_of_change_between_two_commits() {
    let (dir, one, two) = repository();
    let (code, out, err) = otpmap(dir.path(), &["diff", &one, &two, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "otpmap.diff/1");
    assert_eq!(doc["base_commit"], one.as_str());
    assert_eq!(doc["apps_added"], json!([]));
    assert_eq!(doc["apps_removed"], json!([]));
    assert_eq!(
        doc["apps_changed"],
        json!([{
            "name": "shop", "file": "src/shop.app.src", "line": 1,
            "vsn": {"before": "0.1.0", "after": "0.2.0"},
            "applications": {"added": ["crypto"], "removed": []}
        }])
    );
    assert_eq!(
        doc["deps_added"],
        json!([{"name": "ranch", "detail": "hex 2.1.0", "file": "rebar.config", "line": 1}])
    );
    assert_eq!(
        doc["deps_changed"],
        json!([{"name": "cowlib", "file": "rebar.config", "line": 1,
                "source": {"before": "hex 2.12.1", "after": "hex 2.13.0"}}])
    );
    let rel = &doc["releases_changed"][0];
    assert_eq!(rel["name"], "shop");
    assert_eq!(rel["vsn"], json!({"before": "1.0.0", "after": "1.1.0"}));
    assert_eq!(
        rel["applications"],
        json!({"added": ["sasl"], "removed": []})
    );
    let before: Vec<&str> = rel["boot_order"]["before"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let after: Vec<&str> = rel["boot_order"]["after"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        !before.contains(&"sasl") && after.contains(&"sasl"),
        "{after:?}"
    );
    assert!(after.contains(&"crypto"), "{after:?}");

    let trees = doc["tree_changes"].as_array().unwrap();
    let find = |kind: &str, path: &[&str], attribute: Option<&str>| {
        trees.iter().find(|t| {
            t["kind"] == kind
                && t["path"] == json!(path)
                && attribute.is_none_or(|a| t["attribute"] == a)
        })
    };
    let strategy = find("changed", &["shop_sup"], Some("strategy")).expect("strategy");
    assert_eq!(strategy["before"], "one_for_one");
    assert_eq!(strategy["after"], "rest_for_one");
    let intensity = find("changed", &["shop_sup"], Some("intensity")).expect("intensity");
    assert_eq!(
        (&intensity["before"], &intensity["after"]),
        (&json!("3"), &json!("5"))
    );
    assert!(find("changed", &["shop_sup"], Some("period")).is_none());
    let restart = find("changed", &["shop_sup", "a"], Some("restart")).expect("restart");
    assert_eq!(
        (&restart["before"], &restart["after"]),
        (&json!("permanent"), &json!("transient"))
    );
    assert_eq!(restart["file"], "src/shop_sup.erl");
    assert!(find("added", &["shop_sup", "d"], None).is_some());
    assert!(find("removed", &["shop_sup", "c"], None).is_some());
    let order = find("reordered", &["shop_sup"], None).expect("reordered");
    assert_eq!(
        order["order"],
        json!({"before": ["a", "b", "shop_db", "shop_cache"], "after": ["b", "a", "shop_db", "shop_cache"]})
    );
    assert_eq!(trees.len(), 6, "{trees:#?}");

    let new = doc["findings_new"].as_array().unwrap();
    let fixed = doc["findings_fixed"].as_array().unwrap();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(fixed.len(), 1, "{fixed:#?}");
    assert_eq!(new[0]["rule"], "blocking-init");
    assert_eq!(new[0]["file"], "src/shop_cache.erl");
    assert_eq!(fixed[0]["file"], "src/shop_db.erl");

    // The work tree is untouched: still the second version, still on feature.
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
    assert_eq!(
        git(dir.path(), &["rev-parse", "--abbrev-ref", "HEAD"]),
        "feature"
    );
}

#[test]
fn default_base_is_the_merge_base_and_head_the_work_tree() {
    let (dir, one, _) = repository();
    // An uncommitted change: one more child.
    let text = std::fs::read_to_string(dir.path().join("src/shop_sup.erl")).unwrap();
    std::fs::write(
        dir.path().join("src/shop_sup.erl"),
        text.replace(
            "[#{id => b,",
            "[#{id => e, start => {shop_worker, start_link, [e]}},\n           #{id => b,",
        ),
    )
    .unwrap();
    let (code, out, err) = otpmap(dir.path(), &["diff", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["base"], "merge-base of HEAD and main");
    assert_eq!(doc["base_commit"], one.as_str());
    assert_eq!(doc["head"], "the work tree");
    let trees = doc["tree_changes"].as_array().unwrap();
    assert!(trees
        .iter()
        .any(|t| t["kind"] == "added" && t["path"] == json!(["shop_sup", "e"])));
}

#[test]
fn fail_on_new_and_the_other_formats() {
    let (dir, one, two) = repository();
    let (code, out, _) = otpmap(
        dir.path(),
        &["diff", &one, &two, "--fail-on-new", "warning"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("new warning[blocking-init] src/shop_cache.erl:"),
        "{out}"
    );
    assert!(
        out.contains("shop: shop_sup / a: restart permanent -> transient"),
        "{out}"
    );
    let (code, _, _) = otpmap(dir.path(), &["diff", &one, &two, "--fail-on-new", "error"]);
    assert_eq!(code, 0);
    // The same revisions, reversed: the finding is fixed, not new.
    let (code, _, _) = otpmap(
        dir.path(),
        &["diff", &two, &one, "--fail-on-new", "warning"],
    );
    assert_eq!(code, 1, "shop_db's finding comes back");
    let (code, md, _) = otpmap(dir.path(), &["diff", &one, &two, "-f", "markdown"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("### otpmap: "), "{md}");
    assert!(md.contains("**1** new lint finding, **1** fixed"), "{md}");
    assert!(
        md.contains("| new | warning | `blocking-init` | `src/shop_cache.erl:"),
        "{md}"
    );
    // Same input, same bytes.
    assert_eq!(
        md,
        otpmap(dir.path(), &["diff", &one, &two, "-f", "markdown"]).1
    );
}

#[test]
fn bad_revisions_and_folders_outside_git_exit_2() {
    let (dir, _, _) = repository();
    let (code, _, err) = otpmap(dir.path(), &["diff", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-rev` is not a revision"), "{err}");
    let plain = tempfile::tempdir().unwrap();
    let (code, _, err) = otpmap(plain.path(), &["diff"]);
    assert_eq!(code, 2);
    assert!(err.contains("not in a git repository"), "{err}");
    // A git repository with no Erlang project in it: exit 2, as for
    // every command.
    let empty = tempfile::tempdir().unwrap();
    git(empty.path(), &["init", "-q", "-b", "main"]);
    write_file(empty.path(), "README.md", "nothing to map\n");
    git(empty.path(), &["add", "-A"]);
    git(empty.path(), &["commit", "-q", "-m", "docs"]);
    let (code, _, err) = otpmap(empty.path(), &["diff"]);
    assert_eq!(code, 2);
    assert!(err.contains("no Erlang/OTP project found"), "{err}");
}
