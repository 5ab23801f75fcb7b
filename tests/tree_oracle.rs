//! Static trees against live ones: `otpmap tree --format json` on every
//! application of `samples/BOOTABLE` must match the tree a real boot shows,
//! kept in `samples/<dir>/expected_tree.<app>.json` (which
//! `tests/samples_boot.rs` checks against a live node on every run with
//! Erlang installed).
//!
//! Compared: ids, start order, module, type, restart, shutdown, strategy,
//! intensity, period, and the `dynamic` template of `simple_one_for_one`
//! supervisors. A static child marked `conditional` that is not in the
//! default build (`"in_default_build": false`, say an `-ifdef(TEST)` child)
//! must be absent from the live tree; one whose default is not known may be
//! absent; a child a `start_child/2` call adds at run time to a supervisor
//! that is not `simple_one_for_one` (`dynamic` there) is not part of a boot,
//! so it is not looked for; every other child must be there, in order. No
//! Erlang needed.
//!
//! The fixture projects under `tests/fixtures/tree/projects/` that boot
//! ([`FIXTURE_BOOTS`]) are compared with a live node directly: compiled
//! with `erlc`, booted and walked by `tests/oracle/boot_tree.escript`
//! (`supervisor:which_children/1`, `supervisor:get_childspec/2`), on
//! every run with Erlang installed; without it the test says it skipped,
//! and fails under `OTPMAP_REQUIRE_ERL=1`.

mod common;
use common::{erlang_available, samples_dir};

use std::path::Path;
use std::process::Command;

use serde_json::Value;

struct Bootable {
    dir: String,
    app: String,
}

fn bootables() -> Vec<Bootable> {
    let text = std::fs::read_to_string(samples_dir().join("BOOTABLE")).expect("samples/BOOTABLE");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut w = l.split_whitespace();
            Bootable {
                dir: w.next().expect("dir").to_owned(),
                app: w.next().expect("app").to_owned(),
            }
        })
        .collect()
}

fn static_tree(b: &Bootable) -> Value {
    static_tree_of(&samples_dir().join(&b.dir), &b.app)
}

fn static_tree_of(dir: &Path, app: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(["tree", "--format", "json", "--app", app])
        .arg(dir)
        .output()
        .expect("run otpmap");
    assert!(
        out.status.success(),
        "otpmap tree failed on {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["schema"], "otpmap.tree/1");
    let trees = doc["trees"].as_array().expect("trees");
    assert_eq!(trees.len(), 1, "{} {app}: one tree expected", dir.display());
    assert_eq!(trees[0]["app"], app);
    trees[0]["root"].clone()
}

/// Compares a static node with a live one; mismatches are pushed as
/// `path: field: static X, live Y`.
fn compare(stat: &Value, live: &Value, path: &str, out: &mut Vec<String>) {
    for field in ["id", "module", "type", "restart", "shutdown"] {
        if stat[field] != live[field] {
            out.push(format!(
                "{path}: {field}: static {}, live {}",
                stat[field], live[field]
            ));
        }
    }
    let live_dynamic = live["dynamic"] == Value::Bool(true);
    let stat_dynamic = stat["dynamic"] == Value::Bool(true);
    if live_dynamic != stat_dynamic {
        out.push(format!(
            "{path}: dynamic: static {stat_dynamic}, live {live_dynamic}"
        ));
    }
    if live.get("strategy").is_none() {
        // A worker, or a supervisor template with no instance to look into.
        return;
    }
    for field in ["strategy", "intensity", "period"] {
        if stat[field] != live[field] {
            out.push(format!(
                "{path}: {field}: static {}, live {}",
                stat[field], live[field]
            ));
        }
    }
    let empty = Vec::new();
    let live_children = live["children"].as_array().unwrap_or(&empty);
    // Children added at run time are not in a boot; the template of a
    // simple_one_for_one supervisor is (the escript reports it).
    let template = stat["strategy"] == "simple_one_for_one";
    let stat_children: Vec<&Value> = stat["children"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter(|c| c["in_default_build"] != Value::Bool(false))
        .filter(|c| template || c["dynamic"] != Value::Bool(true))
        .collect();
    let optional =
        |c: &Value| c["conditional"] == Value::Bool(true) && c["in_default_build"].is_null();
    let mut s = 0;
    for (i, l) in live_children.iter().enumerate() {
        // Skip static children that may be absent and are not this one.
        while s < stat_children.len()
            && optional(stat_children[s])
            && stat_children[s]["id"] != l["id"]
        {
            s += 1;
        }
        let here = format!("{path}/{}", l["id"].as_str().unwrap_or("?"));
        match stat_children.get(s) {
            Some(c) => compare(c, l, &here, out),
            None => out.push(format!(
                "{here}: live child {} (#{}) missing from the static tree",
                l["id"],
                i + 1
            )),
        }
        s += 1;
    }
    for c in &stat_children[s.min(stat_children.len())..] {
        if !optional(c) {
            out.push(format!(
                "{path}: static child {} is not in the live tree",
                c["id"]
            ));
        }
    }
}

#[test]
fn static_trees_match_the_live_trees_of_bootable_samples() {
    let mut failures = Vec::new();
    for b in bootables() {
        let expected_file = samples_dir()
            .join(&b.dir)
            .join(format!("expected_tree.{}.json", b.app));
        let live: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_file).expect("expected tree"))
                .expect("expected tree JSON");
        let stat = static_tree(&b);
        let mut diffs = Vec::new();
        compare(&stat, &live["root"], &b.app, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!(
                "{} {} differs from {}:\n  {}",
                b.dir,
                b.app,
                expected_file.display(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn comparison_reports_missing_and_extra_children() {
    let live: Value = serde_json::json!({
    "id": "s", "module": "s", "type": "supervisor", "restart": "permanent",
    "shutdown": "infinity", "strategy": "one_for_one", "intensity": 1, "period": 5,
    "children": [
        {"id": "a", "module": "a", "type": "worker", "restart": "permanent", "shutdown": 5000},
        {"id": "b", "module": "b", "type": "worker", "restart": "permanent", "shutdown": 5000}
    ]});
    let mut stat = live.clone();
    stat["children"] = serde_json::json!([
        {"id": "a", "module": "a", "type": "worker", "restart": "permanent", "shutdown": 5000},
        {"id": "r", "module": "r", "type": "worker", "restart": "temporary", "shutdown": 5000,
         "dynamic": true},
        {"id": "t", "module": "t", "type": "worker", "restart": "permanent", "shutdown": 5000,
         "conditional": true, "in_default_build": false},
        {"id": "b", "module": "b", "type": "worker", "restart": "transient", "shutdown": 5000},
        {"id": "c", "module": "c", "type": "worker", "restart": "permanent", "shutdown": 5000}
    ]);
    let mut out = Vec::new();
    compare(&stat, &live, "s", &mut out);
    assert_eq!(
        out,
        [
            "s/b: restart: static \"transient\", live \"permanent\"",
            "s: static child \"c\" is not in the live tree"
        ]
    );
}

/// Fixture projects that boot on OTP alone: `(dir under
/// tests/fixtures/tree/projects, app)`.
const FIXTURE_BOOTS: &[(&str, &str)] = &[
    // Env defaults, include macros, start arguments, included files.
    ("relapp", "first"),
    ("relapp", "second"),
    // Children added at boot by supervisor:start_child/2.
    ("bootkids", "bootkids"),
    // Ids printed as `~tp` prints them: binaries, strings, quoted atoms.
    ("oddids", "oddids"),
    // Shutdowns and periods computed by timer:seconds/1 and its kin.
    ("timeunits", "timeunits"),
    // application:get_env/1 in a library reads the started application's
    // env; an env list folded by recursion; a costly config loader.
    ("runenv", "scoped"),
    ("runenv", "loadcfg"),
    // Env lists folded by recursion (a counter beside an accumulator,
    // body recursion over a list empty by default): the default build's
    // children, the computed ones absent.
    ("runenv", "pooled"),
    // Flags, shutdowns and children computed by numeric BIFs (ceil,
    // math:log2, round, max, setelement) and lists:append/1 over
    // lists:enumerate/1.
    ("numeric", "numeric"),
];

#[test]
fn static_trees_match_live_boots_of_fixture_projects() {
    if !erlang_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for (dir, app) in FIXTURE_BOOTS {
        let project = root.join("tests/fixtures/tree/projects").join(dir);
        let tmp = tempfile::tempdir().unwrap();
        let out_file = tmp.path().join("tree.json");
        let out = Command::new("escript")
            .arg(root.join("tests/oracle/boot_tree.escript"))
            .arg("tree")
            .arg(&project)
            .arg(app)
            .arg(tmp.path().join("work"))
            .arg(&out_file)
            .output()
            .expect("run escript");
        if !out.status.success() {
            failures.push(format!(
                "{dir} {app}: boot failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let live: Value =
            serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
        let stat = static_tree_of(&project, app);
        let mut diffs = Vec::new();
        compare(&stat, &live["root"], app, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!(
                "{dir} {app} differs from its live tree:\n  {}\n--- live\n{}",
                diffs.join("\n  "),
                serde_json::to_string_pretty(&live).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// OTP's lib directory, from the installed `erl`.
fn otp_lib() -> Option<std::path::PathBuf> {
    let out = Command::new("erl")
        .args(["-noshell", "-eval", "io:put_chars(code:lib_dir()), halt()."])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The node with this id in a static tree.
fn find_node<'a>(n: &'a Value, id: &str) -> Option<&'a Value> {
    if n["id"] == id {
        return Some(n);
    }
    n["children"]
        .as_array()?
        .iter()
        .find_map(|c| find_node(c, id))
}

/// Why a static supervisor is not fully evaluated, if it is not: a bound
/// hit on the default build's path, or a child of the default build
/// (`in_default_build` not false) that is unresolved.
fn not_fully_evaluated(sup: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for n in sup["notes"].as_array().into_iter().flatten() {
        if n.as_str()
            .is_some_and(|n| n.contains("was only partly evaluated"))
        {
            out.push(format!("{}: {n}", sup["id"]));
        }
    }
    for c in sup["children"].as_array().into_iter().flatten() {
        let default = c["in_default_build"] != Value::Bool(false)
            && !(c["conditional"] == Value::Bool(true) && c["in_default_build"].is_null())
            && c["dynamic"] != Value::Bool(true);
        if default && c.get("unresolved").is_some() {
            out.push(format!("{}/{}: {}", sup["id"], c["id"], c["unresolved"]));
        }
    }
    out
}

/// Issue 15: OTP 25's own supervisors whose `init/1` recurses over a list
/// read from the env or the command line (`httpc_profile_sup`,
/// `httpd_sup`, `tftp_sup`, `net_sup`) or calls a function the runtime
/// implements (`erlang:nif_error/1` in erts's stubs) are evaluated in
/// full: no bound hit on the default build's path, no unresolved child
/// there, and the trees of `inets` and `tftp` match a node that starts
/// them (no configuration). `net_sup` only runs with distribution, which
/// the oracle does not start: its default-build children are checked
/// against what `erl_distribution:init/1` starts with no flag given
/// (erl_epmd, auth, net_kernel, as `erl -sname` shows).
#[test]
fn otp_supervisors_are_fully_evaluated_and_match_live_nodes() {
    if !erlang_available() {
        return;
    }
    let Some(lib) = otp_lib() else {
        panic!("erl runs but code:lib_dir() could not be read");
    };
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(["tree", "--format", "json"])
        .arg(&lib)
        .output()
        .expect("run otpmap");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tree_of = |app: &str| -> Value {
        doc["trees"]
            .as_array()
            .expect("trees")
            .iter()
            .find(|t| t["app"] == app)
            .unwrap_or_else(|| panic!("no tree for {app}"))["root"]
            .clone()
    };
    let mut failures = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (app, sups) in [
        (
            "inets",
            &["inets_sup", "httpc_sup", "httpc_profile_sup", "httpd_sup"][..],
        ),
        ("tftp", &["tftp_sup"][..]),
    ] {
        let stat = tree_of(app);
        for id in sups {
            match find_node(&stat, id) {
                Some(n) => failures.extend(not_fully_evaluated(n)),
                None => failures.push(format!("{app}: no supervisor {id} in the static tree")),
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let out_file = tmp.path().join("tree.json");
        let run = Command::new("escript")
            .arg(root.join("tests/oracle/boot_tree.escript"))
            .args(["otp", app])
            .arg(&out_file)
            .output()
            .expect("run escript");
        if !run.status.success() {
            failures.push(format!(
                "{app}: start failed:\n{}",
                String::from_utf8_lossy(&run.stderr)
            ));
            continue;
        }
        let live: Value =
            serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
        let mut diffs = Vec::new();
        compare(&stat, &live["root"], app, &mut diffs);
        failures.extend(diffs);
    }
    let kernel = tree_of("kernel");
    match find_node(&kernel, "net_sup") {
        Some(net_sup) => {
            failures.extend(not_fully_evaluated(net_sup));
            let ids: Vec<&str> = net_sup["children"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| {
                    c["in_default_build"] == Value::Bool(true) || c.get("conditional").is_none()
                })
                .filter_map(|c| c["id"].as_str())
                .collect();
            if ids != ["erl_epmd", "auth", "net_kernel"] {
                failures.push(format!("net_sup: default-build children {ids:?}"));
            }
        }
        None => failures.push("kernel: no net_sup in the static tree".to_owned()),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
