//! More code never makes it worse (issue 15): the tree of an application
//! read from the repository's root is at least as resolved as the tree of
//! the same application read from its own folder. Every value the folder's
//! tree knows (a flag, a child's id, start, restart, shutdown, type, name)
//! must be in the root's tree with the same value, and every child the
//! folder's tree has must be there too.
//!
//! Checked on every application of every sample. `OTPMAP_ROOT_VS_APP`, a
//! `:`-separated list of repository folders, checks real code bases the
//! same way and prints one line per application (see docs/tree.md):
//!
//! ```sh
//! OTPMAP_ROOT_VS_APP=/path/to/repo1:/path/to/repo2 \
//!     cargo test --release --test tree_root_vs_app -- --nocapture
//! ```

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The fields of a node that hold a known value; paths (`file`,
/// `unresolved`, `notes`) and explanations differ between the two views
/// by design.
const FIELDS: &[&str] = &[
    "module",
    "behaviour",
    "type",
    "restart",
    "shutdown",
    "callback",
    "name",
    "start",
    "started_by",
    "strategy",
    "intensity",
    "period",
    "dynamic",
    "conditional",
    "in_default_build",
];

fn otpmap(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .args(["--format", "json", "-q"])
        .env("NO_COLOR", "1")
        // OTP apps as leaves: results must not depend on the machine.
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "otpmap {args:?}: no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A known value: not null, and without a `?` standing for an unknown part.
fn known(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    (!s.contains('?')).then_some(s)
}

/// Every known value of the tree, keyed by the node's path of child ids
/// (`#2` after an id met twice among siblings) and the field; the nodes
/// themselves with an empty field.
fn facts(node: &Value, path: &str, out: &mut BTreeMap<(String, String), String>) {
    out.insert((path.to_owned(), String::new()), String::new());
    for f in FIELDS {
        if let Some(v) = known(&node[*f]) {
            out.insert((path.to_owned(), (*f).to_owned()), v);
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for child in node["children"].as_array().into_iter().flatten() {
        let id = child["id"].as_str().unwrap_or("?").to_owned();
        if id.contains('?') {
            // An unknown id has no place to compare: the folder's tree has
            // nothing known there that the root's could lose.
            continue;
        }
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        let step = if *n == 1 { id } else { format!("{id}#{n}") };
        facts(child, &format!("{path}/{step}"), out);
    }
}

/// One application's comparison.
struct Outcome {
    app: String,
    /// Known values in the folder's tree.
    known: usize,
    /// Those the root's tree misses or has with another value.
    worse: Vec<String>,
    /// Known values only the root's tree has.
    better: usize,
}

/// Compares, for every application with a tree from `root`, the root's
/// tree with the tree read from the application's own folder.
fn compare(root: &Path) -> Vec<Outcome> {
    let root_s = root.to_str().expect("UTF-8 path");
    let scan = otpmap(&["scan", root_s]);
    let dirs: BTreeMap<&str, &str> = scan["apps"]
        .as_array()
        .into_iter()
        .flatten()
        // Only an application with a `mod` has a tree.
        .filter(|a| a["kind"] == "regular")
        .filter_map(|a| Some((a["name"].as_str()?, a["dir"].as_str()?)))
        .collect();
    let whole = otpmap(&["tree", root_s]);
    let mut out = Vec::new();
    let mut apps: Vec<&str> = dirs.keys().copied().collect();
    apps.dedup();
    for app in apps {
        let dir = dirs[app];
        if dir == "." {
            continue; // the same view
        }
        let folder = root.join(dir);
        let alone = otpmap(&["tree", folder.to_str().unwrap(), "--app", app]);
        let Some(alone_tree) = tree_of(&alone, app) else {
            continue; // no tree (a library, or none from the folder either)
        };
        let mut a = BTreeMap::new();
        facts(&alone_tree["root"], "", &mut a);
        let mut r = BTreeMap::new();
        if let Some(t) = tree_of(&whole, app) {
            facts(&t["root"], "", &mut r);
        }
        let worse: Vec<String> = a
            .iter()
            .filter(|(k, v)| r.get(*k) != Some(*v))
            .map(|((path, field), v)| {
                let at = if path.is_empty() { "root" } else { path };
                match r.get(&(path.clone(), field.clone())) {
                    _ if field.is_empty() => format!("{at}: child missing from the root's tree"),
                    Some(rv) => format!("{at} {field}: {v} from its folder, {rv} from the root"),
                    None => format!("{at} {field}: {v} from its folder, unknown from the root"),
                }
            })
            .collect();
        let better = r.keys().filter(|k| !a.contains_key(*k)).count();
        out.push(Outcome {
            app: app.to_owned(),
            known: a.len(),
            worse,
            better,
        });
    }
    out
}

fn tree_of<'a>(doc: &'a Value, app: &str) -> Option<&'a Value> {
    doc["trees"]
        .as_array()?
        .iter()
        .find(|t| t["app"].as_str() == Some(app))
}

fn report(name: &str, outcomes: &[Outcome]) -> Vec<String> {
    let mut failures = Vec::new();
    for o in outcomes {
        println!(
            "{name} {}: {} known from its folder, {} lost from the root, {} more from the root",
            o.app,
            o.known,
            o.worse.len(),
            o.better
        );
        for w in &o.worse {
            failures.push(format!("{name} {}: {w}", o.app));
        }
    }
    failures
}

#[test]
fn every_sample_app_is_as_resolved_from_the_root_as_from_its_folder() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut names: Vec<String> = std::fs::read_dir(&samples)
        .expect("samples/")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut compared = 0;
    for name in &names {
        let outcomes = compare(&samples.join(name));
        compared += outcomes.len();
        failures.extend(report(name, &outcomes));
    }
    // The samples hold umbrellas with several trees each: a comparison
    // that found nothing to compare would pass for the wrong reason.
    assert!(compared >= 10, "only {compared} applications compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Real repositories named by `OTPMAP_ROOT_VS_APP` (skipped when unset).
#[test]
fn repositories_named_in_the_environment() {
    let Ok(list) = std::env::var("OTPMAP_ROOT_VS_APP") else {
        eprintln!("skipped: OTPMAP_ROOT_VS_APP names no repository");
        return;
    };
    let mut failures = Vec::new();
    for dir in list.split(':').filter(|d| !d.is_empty()) {
        let path = Path::new(dir);
        let name = path.file_name().map_or(dir.into(), |n| n.to_string_lossy());
        failures.extend(report(&name, &compare(path)));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn facts_key_children_by_id_and_skip_unknown_values() {
    let tree: Value = serde_json::json!({
        "strategy": "one_for_one", "intensity": 3, "period": null,
        "children": [
            {"id": "a", "restart": "permanent", "start": "a:start_link(?)"},
            {"id": "a", "restart": "temporary"},
            {"id": "?", "restart": "permanent"}
        ]
    });
    let mut f = BTreeMap::new();
    facts(&tree, "", &mut f);
    let keys: Vec<String> = f.keys().map(|(p, k)| format!("{p} {k}")).collect();
    assert_eq!(
        keys,
        [
            " ",
            " intensity",
            " strategy",
            "/a ",
            "/a restart",
            "/a#2 ",
            "/a#2 restart"
        ]
    );
}
