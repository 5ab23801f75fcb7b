//! `otpmap blast` against a real node: each application of
//! `samples/BOOTABLE` is booted, a process is killed (`exit(Pid, kill)`),
//! and what changed is compared with blast's prediction: which processes
//! got new pids, how many kills in a row stop the application (the
//! intensity plus one at each level, multiplied up the tree) or that it
//! never stops, and,
//! booted `permanent`, that the node goes down with it.
//!
//! The processes tried: for every supervisor of a tree, its last child
//! with a child id (instances of `simple_one_for_one` have none), which
//! covers each strategy and each depth of the samples. The work on the
//! node is done by `tests/oracle/boot_tree.escript blast`. Instances of a
//! `simple_one_for_one` supervisor, which no sample starts at boot, are
//! started the way the samples' users start them and killed by
//! `boot_tree.escript instance`. Skips without Erlang, fails under
//! `OTPMAP_REQUIRE_ERL=1`.

mod common;
use common::{boot_oracle, erlang_available, samples_dir};

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

struct Bootable {
    dir: String,
    app: String,
    without: Option<String>,
}

fn bootables() -> Vec<Bootable> {
    let text = std::fs::read_to_string(samples_dir().join("BOOTABLE")).unwrap();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            Bootable {
                dir: w[0].to_owned(),
                app: w[1].to_owned(),
                without: w.get(2).map(|s| (*s).to_owned()),
            }
        })
        .collect()
}

fn otpmap_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every path of ids in the tree below (and with) `node`, `above` first.
fn paths(node: &Value, above: &[String], out: &mut Vec<(Vec<String>, bool)>) {
    if node["in_default_build"] == false {
        return;
    }
    let mut here = above.to_vec();
    here.push(node["id"].as_str().unwrap().to_owned());
    let dynamic = node["dynamic"].as_bool().unwrap_or(false);
    out.push((here.clone(), dynamic));
    for c in node["children"].as_array().into_iter().flatten() {
        paths(c, &here, out);
    }
}

/// For each supervisor, its last worker that has an id of its own.
/// Supervisors are not killed: one killed brutally leaves its children to
/// exit on their own, and a registered child that traps exits may still
/// hold its name when the restart comes (a race blast notes, not predicts).
fn tried(node: &Value, above: &[String], out: &mut Vec<Vec<String>>) {
    let mut here = above.to_vec();
    here.push(node["id"].as_str().unwrap().to_owned());
    let children: Vec<&Value> = node["children"].as_array().into_iter().flatten().collect();
    if let Some(last) = children.iter().rev().find(|c| {
        !c["dynamic"].as_bool().unwrap_or(false)
            && c["in_default_build"] != false
            && c["type"] == "worker"
    }) {
        let mut p = here.clone();
        p.push(last["id"].as_str().unwrap().to_owned());
        out.push(p);
    }
    for c in children.iter().filter(|c| c["in_default_build"] != false) {
        tried(c, &here, out);
    }
}

/// The paths whose pids the first kill changes, as blast predicts them:
/// the restarted and terminated processes with everything below them, at
/// the first level and at each level above that gives up at once
/// (intensity 0).
fn predicted_changes(blast: &Value, all: &[(Vec<String>, bool)]) -> BTreeSet<String> {
    let path: Vec<String> = blast["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let mut changed = BTreeSet::new();
    let under = |prefix: &[String], id: &str, changed: &mut BTreeSet<String>| {
        let mut p = prefix.to_vec();
        p.push(id.to_owned());
        for (q, dynamic) in all {
            if !dynamic && q.starts_with(&p) {
                changed.insert(q.join("/"));
            }
        }
    };
    let levels = blast["levels"].as_array().unwrap();
    if levels.is_empty()
        || (blast["application_stops"] == true && blast["crashes_to_stop_app"] == 1)
    {
        // The application stops at the first kill: every process goes.
        for (q, dynamic) in all {
            if !dynamic {
                changed.insert(q.join("/"));
            }
        }
        return changed;
    }
    for (n, level) in levels.iter().enumerate() {
        // The supervisor at level n sits at path[..len - 1 - n].
        let sup_path = &path[..path.len() - 1 - n];
        match level["outcome"].as_str().unwrap() {
            "restarted" => {
                for p in level["restarted"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(level["terminated"].as_array().unwrap())
                {
                    under(sup_path, p["id"].as_str().unwrap(), &mut changed);
                }
            }
            _ => under(sup_path, level["child"].as_str().unwrap(), &mut changed),
        }
        if level["outcome"] != "restarted" || level["intensity"] != 0 {
            break;
        }
    }
    changed
}

fn run_oracle(b: &Bootable, start_type: &str, path: &str) -> (String, bool) {
    let work = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("escript");
    cmd.arg(boot_oracle())
        .args(["blast"])
        .arg(samples_dir().join(&b.dir))
        .arg(&b.app)
        .arg(work.path())
        .args([start_type, path])
        .env("ERL_CRASH_DUMP_SECONDS", "0");
    if let Some(w) = &b.without {
        cmd.arg(w);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.success())
}

#[test]
fn blast_matches_a_live_node() {
    if !erlang_available() {
        return;
    }
    let mut compared = 0;
    let mut node_stops_checked = 0;
    for b in bootables() {
        let sample = samples_dir().join(&b.dir);
        let sample = sample.to_str().unwrap();
        let doc = otpmap_json(&["tree", sample, "--app", &b.app, "--format", "json"]);
        let root = &doc["trees"][0]["root"];
        let mut all = Vec::new();
        paths(root, &[], &mut all);
        let mut targets = Vec::new();
        tried(root, &[], &mut targets);
        for target in targets {
            let name = target.join("/");
            let blast = otpmap_json(&["blast", &name, sample, "--app", &b.app, "-f", "json"]);
            let (live, ok) = run_oracle(&b, "temporary", &name);
            assert!(ok, "{}/{}: oracle failed on {name}:\n{live}", b.dir, b.app);
            let changed: BTreeSet<String> = live
                .lines()
                .filter_map(|l| l.strip_prefix("CHANGED "))
                .map(str::to_owned)
                .collect();
            let predicted = predicted_changes(&blast, &all);
            assert_eq!(
                changed, predicted,
                "{}/{}: pids changed by killing {name} (live left, blast right)",
                b.dir, b.app
            );
            let stopped = live
                .lines()
                .find_map(|l| l.strip_prefix("STOPPED_AFTER "))
                .map(|n| n.parse::<u64>().unwrap());
            assert_eq!(
                stopped,
                blast["crashes_to_stop_app"].as_u64(),
                "{}/{}: kills of {name} that stop the application:\n{live}",
                b.dir,
                b.app
            );
            compared += 1;
            // Booted permanent, an application that stops takes the node.
            if stopped.is_some() && node_stops_checked < 3 {
                let (live, _) = run_oracle(&b, "permanent", &name);
                assert!(
                    !live.contains("ALIVE") && live.contains("application_terminated"),
                    "{}/{}: the node outlived a permanent application:\n{live}",
                    b.dir,
                    b.app
                );
                node_stops_checked += 1;
            }
        }
    }
    assert!(compared >= 10, "only {compared} processes compared");
    assert!(node_stops_checked > 0, "no permanent stop was checked");
}

/// A `simple_one_for_one` supervisor of a bootable sample, with what its
/// users do before starting an instance and the arguments they give.
struct Instances {
    dir: &'static str,
    app: &'static str,
    /// The template's path, from the top supervisor down.
    path: &'static str,
    setup: &'static str,
    args: &'static str,
}

/// A transient instance (restarted alone, escalating level by level) and
/// a temporary one (never restarted, so never stops its application).
const INSTANCES: &[Instances] = &[
    Instances {
        dir: "regular_app",
        app: "courier",
        path: "courier_sup/courier_delivery_sup/delivery",
        // A draining router keeps a delivery retrying instead of exiting
        // `normal` at once, so it is alive when killed.
        setup: "courier_router:drain()",
        args: r#"[{delivery, make_ref(), <<"ops@example.com">>, <<"hi">>, 0}]"#,
    },
    Instances {
        dir: "umbrella",
        app: "store",
        path: "store_sup/store_cart_sup/cart",
        setup: "ok",
        args: r#"[<<"alice">>]"#,
    },
];

#[test]
fn blast_matches_a_live_node_for_simple_one_for_one_instances() {
    if !erlang_available() {
        return;
    }
    for case in INSTANCES {
        let sample = samples_dir().join(case.dir);
        let sample = sample.to_str().unwrap();
        let doc = otpmap_json(&["tree", sample, "--app", case.app, "--format", "json"]);
        let mut all = Vec::new();
        paths(&doc["trees"][0]["root"], &[], &mut all);
        let blast = otpmap_json(&["blast", case.path, sample, "--app", case.app, "-f", "json"]);
        assert_eq!(blast["instance"], true, "{}: not an instance", case.path);
        let sup_path = case.path.rsplit_once('/').unwrap().0;
        let work = tempfile::tempdir().unwrap();
        let out = Command::new("escript")
            .arg(boot_oracle())
            .arg("instance")
            .arg(samples_dir().join(case.dir))
            .arg(case.app)
            .arg(work.path())
            .args([sup_path, case.setup, case.args])
            .env("ERL_CRASH_DUMP_SECONDS", "0")
            .output()
            .unwrap();
        let live = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{}: oracle failed:\n{live}",
            case.path
        );
        let line = |key: &str| {
            live.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(str::to_owned)
        };
        let changed: BTreeSet<String> = live
            .lines()
            .filter_map(|l| l.strip_prefix("CHANGED "))
            .map(str::to_owned)
            .collect();
        assert_eq!(
            changed,
            predicted_changes(&blast, &all),
            "{}: processes with an id whose pid changed (live left, blast right)",
            case.path
        );
        let restarted = blast["levels"][0]["outcome"] == "restarted";
        assert_eq!(
            line("INSTANCE_BACK ").as_deref(),
            Some(if restarted { "true" } else { "false" }),
            "{}: killed instance restarted (blast: {restarted}):\n{live}",
            case.path
        );
        // simple_one_for_one restarts an instance alone.
        assert_eq!(line("OTHERS_SAME ").as_deref(), Some("true"), "{live}");
        let stopped = line("STOPPED_AFTER ").map(|n| n.parse::<u64>().unwrap());
        assert_eq!(
            stopped,
            blast["crashes_to_stop_app"].as_u64(),
            "{}: kills of an instance that stop the application:\n{live}",
            case.path
        );
        if stopped.is_none() {
            assert!(line("STILL_RUNNING ").is_some(), "{live}");
        }
    }
}
