//! `rebar.lock` (issue 16): every locked dependency with its version,
//! source and level, in both formats; an app named in `applications` that
//! is locked but not fetched is an info, not a warning, and stays in the
//! boot order (estimated, and said so). Checked against the lock rebar3
//! itself writes for a small project with git dependencies fetched from
//! local repositories (offline).

mod common;
use common::write_file;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SAMPLE: &str = "samples/locked_deps";

fn scan(path: &str, extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(["scan", path, "--format", "json"])
        .args(extra)
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// (name, source, version or ref, level, file) of every lock entry.
fn locked(doc: &Value) -> Vec<(String, String, String, u64, String)> {
    doc["locked"]
        .as_array()
        .expect("locked")
        .iter()
        .map(|l| {
            let pinned = match (&l["version"], &l["ref"]) {
                (Value::String(v), _) => v.clone(),
                (_, Value::Object(r)) => r["ref"].as_str().unwrap_or("").to_owned(),
                _ => String::new(),
            };
            (
                l["name"].as_str().unwrap().to_owned(),
                l["source"].as_str().unwrap().to_owned(),
                pinned,
                l["level"].as_u64().unwrap(),
                l["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn codes<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn both_lock_formats_with_every_level() {
    let doc = scan(SAMPLE, &[]);
    let row = |n: &str, s: &str, v: &str, l: u64, f: &str| {
        (n.to_owned(), s.to_owned(), v.to_owned(), l, f.to_owned())
    };
    assert_eq!(
        locked(&doc),
        [
            row("cowboy", "hex", "2.10.0", 0, "current/rebar.lock"),
            row("cowlib", "hex", "2.12.1", 1, "current/rebar.lock"),
            row("goldrush", "hex", "0.1.9", 1, "legacy/rebar.lock"),
            row("jsx", "hex", "3.1.0", 0, "current/rebar.lock"),
            row(
                "lager",
                "git",
                "459a3b2cdd9eadd29e5a7ce5c43932f5ccd6eb88",
                0,
                "legacy/rebar.lock"
            ),
            row("ranch", "hex", "1.8.0", 1, "current/rebar.lock"),
        ]
    );
    assert_eq!(doc["locked"][3]["package"], "jsx_fork");
    assert_eq!(
        doc["locked"][0]["hash"],
        "FF9FF3A2D4B51A1A1AC3A4C1A0E8D0E3C3F1E7A0B7C6D5E4F3A2B1C0D9E8F7A6"
    );
    // Transitive deps named in `applications`: an info each, no warning.
    assert!(codes(&doc, "unknown-application").is_empty());
    let infos: Vec<&str> = codes(&doc, "locked-not-fetched")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(infos.len(), 5, "{infos:?}");
    assert!(infos
        .iter()
        .all(|m| m.ends_with("not fetched: run `rebar3 get-deps` or use `--include-deps`")));
    assert!(infos.iter().any(|m| m.starts_with(
        "`tideway` lists `cowlib` in `applications`: locked 2.12.1 (level 1, current/rebar.lock:3)"
    )));
    // The boot order keeps them, and says it is estimated.
    assert_eq!(
        doc["releases"][0]["boot_order"],
        serde_json::json!(["kernel", "stdlib", "cowlib", "cowboy", "jsx", "tideway"])
    );
    let estimated = codes(&doc, "release-order-estimated");
    assert_eq!(estimated.len(), 1);
    assert!(estimated[0]["message"]
        .as_str()
        .unwrap()
        .contains("cowboy, cowlib, jsx were not read"));
}

fn tool_runs(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.email=otpmap@example.org",
            "-c",
            "user.name=otpmap",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Whether rebar3 and git run here; without them the oracle tests say
/// they skipped, unless `OTPMAP_REQUIRE_ERL=1`.
fn rebar3_and_git() -> bool {
    if tool_runs("rebar3") && tool_runs("git") {
        return true;
    }
    if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
        panic!("rebar3 or git not found and OTPMAP_REQUIRE_ERL=1");
    }
    eprintln!("skipped: rebar3 or git not found");
    false
}

/// `rebar3 get-deps` in `dir`, offline (the git dependencies are local
/// repositories), with `home` as its home.
fn rebar3_get_deps(dir: &Path, home: &Path) {
    let out = Command::new("rebar3")
        .arg("get-deps")
        .current_dir(dir)
        .env("HOME", home)
        .env("REBAR_OFFLINE", "1")
        .output()
        .expect("rebar3 runs");
    assert!(
        out.status.success(),
        "rebar3 get-deps: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A library app in its own git repository; returns its commit.
fn git_app(dir: &Path, name: &str, needs: &[&str], rebar_config: &str) -> String {
    let apps: Vec<&str> = ["kernel", "stdlib"].iter().chain(needs).copied().collect();
    write_file(
        dir,
        &format!("src/{name}.app.src"),
        &format!(
            "{{application, {name}, [{{vsn, \"0.1.0\"}}, {{applications, [{}]}}]}}.\n",
            apps.join(", ")
        ),
    );
    write_file(
        dir,
        &format!("src/{name}.erl"),
        &format!("-module({name}).\n"),
    );
    write_file(dir, "rebar.config", rebar_config);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", name]);
    git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn the_lock_rebar3_writes_is_read_whole() {
    if !rebar3_and_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let url = |name: &str| format!("file://{}", root.join(name).display());
    let dep_ref = |name: &str, sha: &str| {
        format!("{{{name}, {{git, \"{}\", {{ref, \"{sha}\"}}}}}}", url(name))
    };
    let b = git_app(&root.join("dock_b"), "dock_b", &[], "{deps, []}.\n");
    let a = git_app(
        &root.join("dock_a"),
        "dock_a",
        &["dock_b"],
        &format!("{{deps, [{}]}}.\n", dep_ref("dock_b", &b)),
    );
    let top = root.join("pier");
    write_file(
        &top,
        "src/pier.app.src",
        "{application, pier, [{vsn, \"1.0.0\"}, {mod, {pier_app, []}},\n \
         {applications, [kernel, stdlib, dock_b, dock_a]}]}.\n",
    );
    write_file(&top, "src/pier_app.erl", "-module(pier_app).\n");
    write_file(
        &top,
        "rebar.config",
        &format!(
            "{{deps, [{}]}}.\n{{relx, [{{release, {{pier, \"1.0.0\"}}, [pier]}}]}}.\n",
            dep_ref("dock_a", &a)
        ),
    );
    rebar3_get_deps(&top, &root.join("home"));
    assert!(top.join("rebar.lock").is_file(), "rebar3 wrote no lock");
    let dir = top.to_str().unwrap();
    let doc = scan(dir, &[]);
    assert_eq!(
        locked(&doc),
        [
            (
                "dock_a".into(),
                "git".into(),
                a.clone(),
                0,
                "rebar.lock".into()
            ),
            (
                "dock_b".into(),
                "git".into(),
                b.clone(),
                1,
                "rebar.lock".into()
            ),
        ]
    );
    assert_eq!(doc["locked"][1]["url"], url("dock_b"));
    // dock_b is only in the lock: an info, and the boot order keeps it.
    assert!(codes(&doc, "unknown-application").is_empty());
    assert_eq!(codes(&doc, "locked-not-fetched").len(), 2);
    assert_eq!(
        doc["releases"][0]["boot_order"],
        serde_json::json!(["kernel", "stdlib", "dock_b", "dock_a", "pier"])
    );
    // Once read (rebar3 fetched them into _build), the order is known.
    let doc = scan(dir, &["--include-deps"]);
    assert!(codes(&doc, "locked-not-fetched").is_empty());
    assert!(codes(&doc, "release-order-estimated").is_empty());
    assert_eq!(
        doc["releases"][0]["boot_order"],
        serde_json::json!(["kernel", "stdlib", "dock_b", "dock_a", "pier"])
    );
}

/// rebar3 reads only the project's own lock: a fetched dependency's lock
/// (read with `--include-deps`) pins nothing for the project.
#[test]
fn a_dependencys_own_lock_is_not_the_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(
        root,
        "src/quay.app.src",
        "{application, quay, [{vsn, \"1.0.0\"}, {applications, [kernel, stdlib, rope]}]}.\n",
    );
    write_file(root, "rebar.config", "{deps, [rope]}.\n");
    write_file(
        root,
        "rebar.lock",
        "{\"1.2.0\", [{<<\"rope\">>,{pkg,<<\"rope\">>,<<\"1.0.0\">>},0}]}.\n[].\n",
    );
    write_file(
        root,
        "_build/default/lib/rope/src/rope.app.src",
        "{application, rope, [{vsn, \"1.0.0\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    write_file(
        root,
        "_build/default/lib/rope/rebar.lock",
        "[{<<\"fibre\">>,{pkg,<<\"fibre\">>,<<\"0.1.0\">>},0}].\n",
    );
    let doc = scan(root.to_str().unwrap(), &["--include-deps"]);
    let names: Vec<String> = locked(&doc).into_iter().map(|l| l.0).collect();
    assert_eq!(names, ["rope"]);
    assert!(codes(&doc, "locked-not-fetched").is_empty(), "rope is read");
}

/// rebar3 reads the lock at the root of the project it builds: an
/// umbrella application's own `rebar.lock` (left from building it alone,
/// its pin older than the branch) is not read. Checked against rebar3: it
/// fetches the branch's head and pins that in the root's lock, and otpmap
/// lists only the root's pins, with a note on the application's lock.
#[test]
fn an_umbrella_apps_own_lock_is_not_read() {
    if !rebar3_and_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dock = root.join("dock_b");
    let old = git_app(&dock, "dock_b", &[], "{deps, []}.\n");
    write_file(&dock, "src/dock_b_util.erl", "-module(dock_b_util).\n");
    git(&dock, &["add", "-A"]);
    git(&dock, &["commit", "-q", "-m", "util"]);
    let head = git(&dock, &["rev-parse", "HEAD"]);
    let branch = git(&dock, &["rev-parse", "--abbrev-ref", "HEAD"]);
    let url = format!("file://{}", dock.display());
    let top = root.join("harbor");
    write_file(&top, "rebar.config", "{deps, []}.\n");
    write_file(
        &top,
        "apps/quay/src/quay.app.src",
        "{application, quay, [{vsn, \"1.0.0\"}, {applications, [kernel, stdlib, dock_b]}]}.\n",
    );
    write_file(
        &top,
        "apps/quay/rebar.config",
        &format!("{{deps, [{{dock_b, {{git, \"{url}\", {{branch, \"{branch}\"}}}}}}]}}.\n"),
    );
    write_file(
        &top,
        "apps/quay/rebar.lock",
        &format!(
            "{{\"1.2.0\", [{{<<\"dock_b\">>, {{git, \"{url}\", {{ref, \"{old}\"}}}}, 0}}]}}.\n[].\n"
        ),
    );
    rebar3_get_deps(&top, &root.join("home"));
    // rebar3 went by the configuration, not by the application's lock.
    let fetched = git(
        &top.join("_build/default/lib/dock_b"),
        &["rev-parse", "HEAD"],
    );
    assert_eq!(fetched, head);
    let doc = scan(top.to_str().unwrap(), &[]);
    assert_eq!(
        locked(&doc),
        [(
            "dock_b".into(),
            "git".into(),
            head.clone(),
            0,
            "rebar.lock".into()
        )]
    );
    let notes = codes(&doc, "lock-not-read");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["file"], "apps/quay/rebar.lock");
    let fetched_note = codes(&doc, "locked-not-fetched");
    assert!(fetched_note.iter().all(|d| d["message"]
        .as_str()
        .unwrap()
        .contains("(level 0, rebar.lock:")));
}

/// A project's applications are the folders its `project_app_dirs` names;
/// a folder elsewhere in it with a `rebar.config` of its own is a project
/// of its own (a test harness), whose lock is read, and a dependency's
/// folder (`_checkouts/d`) has a lock rebar3 does not read.
#[test]
fn project_app_dirs_decide_whose_lock_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let lock = |name: &str| {
        format!(
            "{{\"1.2.0\", [{{<<\"{name}\">>,{{pkg,<<\"{name}\">>,<<\"1.0.0\">>}},0}}]}}.\n[].\n"
        )
    };
    let app = |dir: &str, name: &str| {
        write_file(
            root,
            &format!("{dir}/src/{name}.app.src"),
            &format!("{{application, {name}, [{{vsn, \"1.0.0\"}}, {{applications, [kernel, stdlib]}}]}}.\n"),
        );
    };
    write_file(
        root,
        "rebar.config",
        "{project_app_dirs, [\"apps/*\", \"vendor/*\", \".\"]}.\n{deps, [rope]}.\n",
    );
    write_file(root, "rebar.lock", &lock("rope"));
    app("vendor/knot", "knot");
    write_file(root, "vendor/knot/rebar.config", "{deps, [twine]}.\n");
    write_file(root, "vendor/knot/rebar.lock", &lock("twine"));
    app("harness", "harness");
    write_file(root, "harness/rebar.config", "{deps, [cable]}.\n");
    write_file(root, "harness/rebar.lock", &lock("cable"));
    app("_checkouts/cord", "cord");
    write_file(root, "_checkouts/cord/rebar.lock", &lock("fibre"));
    let doc = scan(root.to_str().unwrap(), &[]);
    let read: Vec<(String, String)> = locked(&doc).into_iter().map(|l| (l.0, l.4)).collect();
    assert_eq!(
        read,
        [
            ("cable".to_owned(), "harness/rebar.lock".to_owned()),
            ("rope".to_owned(), "rebar.lock".to_owned()),
        ]
    );
    let notes: Vec<(&str, &str)> = codes(&doc, "lock-not-read")
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, "_checkouts/cord/rebar.lock");
    assert!(notes[0]
        .1
        .contains("a dependency of the project at the root"));
    assert_eq!(notes[1].0, "vendor/knot/rebar.lock");
    assert!(notes[1]
        .1
        .contains("an application of the project at the root"));
}
