//! Inputs the fuzzers (`fuzz/`) found bugs with, replayed through the same
//! drivers the fuzz targets use: `tests/fuzz_regressions/<target>/*` must go
//! through without a panic and with the drivers' checks holding. The tests
//! after the replay pin down what each fixed bug now reports.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod drive;

use std::path::Path;

/// Runs `driver` on every file under `fuzz/seeds/<target>` and
/// `tests/fuzz_regressions/<target>` (which may hold none yet), naming the
/// file that fails. The seeds make sure the replay runs something: a test
/// over an empty folder would pass without checking anything.
fn replay(target: &str, driver: fn(&[u8])) {
    let seeds = replay_dir(&format!("fuzz/seeds/{target}"), driver);
    assert!(seeds > 0, "fuzz/seeds/{target} holds no input");
    replay_dir(&format!("tests/fuzz_regressions/{target}"), driver);
}

/// Runs `driver` on every file of `dir` (relative to the repository);
/// returns how many.
fn replay_dir(dir: &str, driver: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    paths.sort();
    for p in &paths {
        let bytes = std::fs::read(p).unwrap();
        let outcome = std::panic::catch_unwind(|| driver(&bytes));
        assert!(outcome.is_ok(), "{} fails again", p.display());
    }
    paths.len()
}

#[test]
fn term_inputs_replay() {
    replay("term", drive::term);
}

#[test]
fn erlang_mk_inputs_replay() {
    replay("erlang_mk", drive::erlang_mk);
}

#[test]
fn source_inputs_replay() {
    replay("source", drive::source);
}

#[test]
fn project_inputs_replay() {
    replay("project", |b| {
        drive::project(b);
    });
}

/// The `project` driver's seeds are projects it really reads: each gives
/// a supervision tree under the callback and lint findings, so the
/// fuzzer starts from inputs that reach the evaluator and the rules.
#[test]
fn project_seeds_reach_the_tree_and_the_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/project");
    let expect: &[(&str, &[&str], &[&str])] = &[
        (
            "maps_pool_header",
            &["fz_cache", "fz_pool", "fz_conn"],
            &["OTP001", "OTP002", "OTP008"],
        ),
        (
            "blocking_duplicates",
            &["fz_worker", "fz_worker", "?"],
            &["OTP001", "OTP005", "OTP007", "OTP008"],
        ),
        ("one_module_recursion", &["child", "child"], &["OTP009"]),
    ];
    for (name, ids, codes) in expect {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let (tree, lint) = drive::project(&bytes);
        let tree: serde_json::Value = serde_json::from_str(&tree).unwrap();
        let root = &tree["trees"][0]["root"];
        let mut found = Vec::new();
        let mut stack: Vec<&serde_json::Value> = vec![root];
        while let Some(node) = stack.pop() {
            if !std::ptr::eq(node, root) {
                found.push(node["id"].as_str().unwrap_or("?").to_owned());
            }
            stack.extend(node["children"].as_array().into_iter().flatten().rev());
        }
        assert_eq!(&found, ids, "{name}: the tree's children, depth first");
        let lint: serde_json::Value = serde_json::from_str(&lint).unwrap();
        let mut got: Vec<&str> = lint["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        got.sort_unstable();
        got.dedup();
        assert_eq!(&got, codes, "{name}: the rules that found something");
    }
}

/// The `builtins` driver (issue 18) writes a supervisor whose `init/1`
/// chains growing built-ins: its seed reaches the evaluator, and the tree
/// comes back with the child (its id known or not).
#[test]
fn builtins_seed_reaches_the_tree() {
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/builtins/doubling"))
            .unwrap();
    let (tree, _) = drive::builtins(&seed);
    assert!(tree.contains("\"fz_sup\""), "{tree}");
    assert!(tree.contains("fz_w"), "{tree}");
}
