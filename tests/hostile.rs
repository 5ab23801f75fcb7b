//! Never crash, never lie (issue 7): `samples/hostile` through every
//! command and output format, byte-identical output whatever the number of
//! threads, and the cases that cannot live in git (unreadable files and
//! folders, non-UTF-8 names, huge files, deep nesting, a parse that runs
//! over its budget, files vanishing, a PATH that is one file, a panic in
//! one file) built in temporary directories. What each test covers:
//! docs/reliability.md.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const SAMPLE: &str = "samples/hostile";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn otpmap_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_otpmap"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        // OTP apps as leaves: results must not depend on the machine.
        .env("OTPMAP_OTP_ROOT", "")
        .env_remove("OTPMAP_INJECT_PANIC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run otpmap");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn otpmap(args: &[&str]) -> Run {
    otpmap_env(args, &[])
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}

/// A crash or a panic message must never reach the user.
fn assert_no_crash(what: &str, run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{what}: {}",
        run.stderr
    );
    assert!((0..=2).contains(&run.code), "{what}: exit {}", run.code);
}

/// The bad files of samples/hostile/EXPECTED.md: file, code, line; and the
/// two folders of fixture projects, said once each.
const BAD_FILES: &[(&str, &str, u32)] = &[
    ("apps/harbor/priv", "fixture-project", 1),
    ("apps/harbor/test", "fixture-project", 1),
    ("apps/harbor/priv/loop", "symlink-loop", 1),
    (
        "apps/harbor/priv/templates/harbor_worker.erl",
        "template-file",
        3,
    ),
    ("apps/harbor/src/harbor_flags.erl", "byte-order-mark", 1),
    (
        "apps/harbor/test/harbor_SUITE_data/truncated.erl",
        "parse-error",
        7,
    ),
    ("apps/tides/src/tides_legacy.erl", "latin1-fallback", 6),
    ("apps/tides/src/tides_sup.erl", "parse-error", 15),
    ("apps/tides/src/tides_wire.erl", "parse-error", 9),
];

/// Exactly one diagnostic per bad file, with the right code and line, and
/// none about the good files.
fn check_diagnostics(what: &str, doc: &Value) {
    let mut by_file: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for d in doc["diagnostics"].as_array().expect("diagnostics") {
        by_file
            .entry(d["file"].as_str().unwrap().to_owned())
            .or_default()
            .push(d);
    }
    for (file, code, line) in BAD_FILES {
        let ds = by_file.remove(*file).unwrap_or_default();
        assert_eq!(ds.len(), 1, "{what}: {file}: {ds:?}");
        assert_eq!(ds[0]["code"], *code, "{what}: {file}");
        assert_eq!(ds[0]["line"], *line, "{what}: {file}");
    }
    assert!(by_file.is_empty(), "{what}: unexpected: {by_file:#?}");
}

/// The CRLF file's error column counts characters of its line, not bytes
/// from a `\r`-confused line start.
fn check_crlf_column(doc: &Value) {
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "apps/tides/src/tides_sup.erl")
        .unwrap();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(15), Some(5))
    );
}

#[test]
fn scan_reports_every_good_app_and_one_diagnostic_per_bad_file() {
    let run = otpmap(&["scan", SAMPLE, "--format", "json"]);
    assert_no_crash("scan json", &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&run);
    check_diagnostics("scan", &doc);
    check_crlf_column(&doc);
    assert_eq!(doc["layout"], "umbrella");
    let apps: Vec<(&str, &str)> = doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["vsn"].as_str().unwrap()))
        .collect();
    assert_eq!(apps, [("harbor", "0.1.0"), ("tides", "0.2.0")]);
    // The fixture projects' app, dep and release are not the project's.
    assert_eq!(doc["deps"], serde_json::json!([]));
    assert_eq!(doc["releases"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        doc["releases"][0]["boot_order"],
        serde_json::json!(["kernel", "stdlib", "harbor", "tides", "sasl"])
    );

    let run = otpmap(&["scan", SAMPLE]);
    assert_no_crash("scan human", &run);
    assert_eq!(run.code, 0);
    for (file, _, line) in BAD_FILES {
        assert!(
            run.stdout.contains(&format!("{file}:{line}")),
            "scan human: {file}:{line}\n{}",
            run.stdout
        );
    }
}

#[test]
fn deps_in_every_format() {
    let run = otpmap(&["deps", SAMPLE, "--format", "json"]);
    assert_no_crash("deps json", &run);
    assert_eq!(run.code, 0);
    let doc = json(&run);
    check_diagnostics("deps", &doc);
    let nodes: Vec<&str> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(
        nodes.contains(&"harbor") && nodes.contains(&"tides"),
        "{nodes:?}"
    );
    for format in ["human", "dot", "mermaid", "svg"] {
        let mut args = vec!["deps", SAMPLE, "--format", format];
        if format == "svg" {
            args.extend(["--renderer", "builtin"]);
        }
        let run = otpmap(&args);
        assert_no_crash(&format!("deps {format}"), &run);
        assert_eq!(run.code, 0, "deps {format}: {}", run.stderr);
        assert!(run.stdout.contains("tides"), "deps {format}");
    }
    check_png("deps");
}

/// PNG needs graphviz; without it the format is an error by design.
fn check_png(command: &str) {
    if !otpmap::render::diagram::graphviz_available() {
        eprintln!("skipped {command} --format png: graphviz not installed");
        return;
    }
    let run = otpmap(&[command, SAMPLE, "--format", "png"]);
    assert_no_crash(&format!("{command} png"), &run);
    assert_eq!(run.code, 0, "{command} png: {}", run.stderr);
    assert!(run.stdout.contains("PNG"), "{command} png: not a PNG");
}

#[test]
fn tree_reports_both_trees_and_labels_the_partial_one() {
    let run = otpmap(&["tree", SAMPLE, "--format", "json"]);
    assert_no_crash("tree json", &run);
    assert_eq!(run.code, 0);
    let doc = json(&run);
    check_diagnostics("tree", &doc);
    let trees = doc["trees"].as_array().unwrap();
    assert_eq!(trees.len(), 2, "{doc}");
    let (harbor, tides) = (&trees[0], &trees[1]);
    assert_eq!(harbor["app"], "harbor");
    assert!(harbor.get("partial").is_none(), "{harbor}");
    let ids: Vec<&str> = harbor["root"]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["harbor_dock", "harbor_pilot"]);
    assert_eq!(tides["app"], "tides");
    assert_eq!(tides["partial"], true);
    let why = tides["root"]["partial"].as_str().expect("root is partial");
    assert!(
        why.starts_with("apps/tides/src/tides_sup.erl:15: "),
        "{why}"
    );
    assert_eq!(tides["root"]["children"][0]["id"], "tides_gauge");
    assert!(tides["root"]["children"][0].get("partial").is_none());

    let run = otpmap(&["tree", SAMPLE]);
    assert_no_crash("tree human", &run);
    assert!(run.stdout.contains("partial tree"), "{}", run.stdout);
    assert!(run.stdout.contains("[partial]"), "{}", run.stdout);
    for format in ["dot", "mermaid", "svg"] {
        let mut args = vec!["tree", SAMPLE, "--format", format];
        if format == "svg" {
            args.extend(["--renderer", "builtin"]);
        }
        let run = otpmap(&args);
        assert_no_crash(&format!("tree {format}"), &run);
        assert_eq!(run.code, 0, "tree {format}: {}", run.stderr);
        assert!(run.stdout.contains("harbor_pilot") && run.stdout.contains("tides_gauge"));
    }
    check_png("tree");
}

#[test]
fn lint_keeps_the_finding_and_says_it_is_partial() {
    let run = otpmap(&["lint", SAMPLE, "--format", "json"]);
    assert_no_crash("lint json", &run);
    // A warning finding: exit 1 at the default --fail-on.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run);
    check_diagnostics("lint", &doc);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(
        (&f["rule"], &f["file"], &f["line"]),
        (
            &Value::from("blocking-init"),
            &Value::from("apps/tides/src/tides_wire.erl"),
            &Value::from(5)
        )
    );
    assert!(f["partial"]
        .as_str()
        .unwrap()
        .starts_with("apps/tides/src/tides_wire.erl:9: "));
    let partial: Vec<(&str, u64)> = doc["partial"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["file"].as_str().unwrap(), p["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        partial,
        [
            ("apps/tides/src/tides_sup.erl", 15),
            ("apps/tides/src/tides_wire.erl", 9)
        ]
    );

    for format in ["human", "sarif", "github"] {
        let run = otpmap(&["lint", SAMPLE, "--format", format]);
        assert_no_crash(&format!("lint {format}"), &run);
        assert_eq!(run.code, 1, "lint {format}: {}", run.stderr);
        assert!(run.stdout.contains("tides_wire.erl"), "lint {format}");
    }
    let run = otpmap(&["lint", SAMPLE]);
    assert!(run.stdout.contains("= partial:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Partial result (2 files)"),
        "{}",
        run.stdout
    );
    let run = otpmap(&["lint", SAMPLE, "--format", "github"]);
    assert!(run.stdout.contains("Partial: "), "{}", run.stdout);
}

/// Byte-identical output with one thread and with two, and between runs.
#[test]
fn output_does_not_depend_on_threads() {
    let cases: &[&[&str]] = &[
        &["scan", "--format", "json"],
        &["scan"],
        &["deps", "--format", "json"],
        &["deps", "--format", "dot"],
        &["tree", "--format", "json"],
        &["tree"],
        &["lint", "--format", "json"],
        &["lint", "--format", "sarif"],
        &["lint"],
    ];
    for sample in [SAMPLE, "samples/broken", "samples/umbrella"] {
        for case in cases {
            let mut args = case.to_vec();
            args.insert(1, sample);
            let one = otpmap_env(&args, &[("RAYON_NUM_THREADS", "1")]);
            let two = otpmap_env(&args, &[("RAYON_NUM_THREADS", "2")]);
            let again = otpmap_env(&args, &[("RAYON_NUM_THREADS", "2")]);
            assert_eq!(one.stdout, two.stdout, "{args:?}: 1 vs 2 threads");
            assert_eq!(two.stdout, again.stdout, "{args:?}: two runs");
            assert_eq!(one.code, two.code, "{args:?}");
        }
    }
}

/// A panic while reading one file is that file's `internal-error`
/// diagnostic; everything else is still reported, nothing is printed on
/// stderr about the panic but one line per diagram output, and the exit
/// code is 2 (README.md, "Exit codes").
#[test]
fn a_panic_in_one_file_is_a_diagnostic_and_exit_2() {
    let inject = [("OTPMAP_INJECT_PANIC", "harbor_dock.erl")];
    for command in ["scan", "deps", "tree", "lint"] {
        let run = otpmap_env(&[command, SAMPLE, "--format", "json"], &inject);
        assert_no_crash(command, &run);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{command}");
        let doc = json(&run);
        let internal: Vec<&Value> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "internal-error")
            .collect();
        assert_eq!(internal.len(), 1, "{command}: {internal:?}");
        assert_eq!(internal[0]["file"], "apps/harbor/src/harbor_dock.erl");
        assert!(internal[0]["message"]
            .as_str()
            .unwrap()
            .contains("internal error"));
        assert!(
            doc.to_string().contains("tides"),
            "{command}: the rest is reported"
        );
    }
    let run = otpmap_env(&["tree", SAMPLE, "--format", "mermaid"], &inject);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("apps/harbor/src/harbor_dock.erl"),
        "{}",
        run.stderr
    );
    // A panic while evaluating one application's tree loses that tree
    // only; the diagnostic names the application callback's file.
    let run = otpmap_env(
        &["tree", SAMPLE, "--format", "json"],
        &[("OTPMAP_INJECT_PANIC", "`tides`")],
    );
    assert_no_crash("tree", &run);
    assert_eq!(run.code, 2);
    let doc = json(&run);
    assert_eq!(doc["trees"].as_array().unwrap().len(), 1);
    assert_eq!(doc["trees"][0]["app"], "harbor");
    let ds = diagnostics_of(&doc, "apps/tides/src/tides_app.erl");
    assert_eq!(ds[0]["code"], "internal-error", "{ds:?}");
    assert!(ds[0]["message"]
        .as_str()
        .unwrap()
        .contains("supervision tree of `tides`"));
    // A panic in one lint rule loses that rule's findings only.
    let run = otpmap_env(
        &["lint", SAMPLE, "--format", "json"],
        &[("OTPMAP_INJECT_PANIC", "`blocking-init`")],
    );
    assert_no_crash("lint", &run);
    assert_eq!(run.code, 2);
    let doc = json(&run);
    assert_eq!(doc["findings"], serde_json::json!([]));
    // Only rules that found something are listed: none here.
    assert_eq!(doc["rules"], serde_json::json!([]));
    let ds = diagnostics_of(&doc, ".");
    assert_eq!(ds[0]["code"], "internal-error", "{ds:?}");
    assert!(ds[0]["message"]
        .as_str()
        .unwrap()
        .contains("`blocking-init`"));
    // Above the lint's own exit 1, and --exit-zero.
    let run = otpmap_env(&["lint", SAMPLE, "--exit-zero"], &inject);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("internal error"), "{}", run.stdout);
    let run = otpmap_env(&["lint", SAMPLE, "--format", "sarif"], &inject);
    assert_eq!(run.code, 2);
    let sarif = json(&run);
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let run = otpmap(&["lint", SAMPLE, "--format", "sarif"]);
    assert_eq!(
        json(&run)["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A small good app in `dir`: `tmp_app` with a supervisor and a worker.
fn good_app(dir: &Path) {
    write(
        &dir.join("src/tmp_app.app.src"),
        "{application, tmp_app, [{vsn, \"1.0.0\"}, {mod, {tmp_app, []}},\n\
         {applications, [kernel, stdlib]}]}.\n",
    );
    write(
        &dir.join("src/tmp_app.erl"),
        "-module(tmp_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> tmp_sup:start_link().\nstop(_) -> ok.\n",
    );
    write(
        &dir.join("src/tmp_sup.erl"),
        "-module(tmp_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         init([]) -> {ok, {#{}, [#{id => tmp_worker, start => {tmp_worker, start_link, []}}]}}.\n",
    );
    write(
        &dir.join("src/tmp_worker.erl"),
        "-module(tmp_worker).\n-behaviour(gen_server).\n-export([start_link/0, init/1]).\n\
         start_link() -> gen_server:start_link(?MODULE, [], []).\ninit([]) -> {ok, #{}}.\n",
    );
}

fn diagnostics_of(doc: &Value, file: &str) -> Vec<Value> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .cloned()
        .collect()
}

fn scan(dir: &Path, extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["scan", dir.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    let run = otpmap(&args);
    assert_no_crash("scan", &run);
    let doc = json(&run);
    (run, doc)
}

#[test]
fn huge_files_are_skipped_with_a_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    // A generated module over the default 8 MiB limit.
    let mut big = String::from("-module(tmp_generated).\n-export([t/1]).\n");
    let mut i = 0;
    while big.len() <= 9 << 20 {
        big.push_str(&format!(
            "t({i}) -> <<\"entry number {i} of a generated table\">>;\n"
        ));
        i += 1;
    }
    big.push_str("t(_) -> undefined.\n");
    write(&tmp.path().join("src/tmp_generated.erl"), &big);
    let (run, doc) = scan(tmp.path(), &[]);
    assert_eq!(run.code, 0);
    let ds = diagnostics_of(&doc, "src/tmp_generated.erl");
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "file-too-large");
    assert!(ds[0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-file-size"));
    assert_eq!(doc["apps"][0]["name"], "tmp_app");

    // The flag moves the limit, for config files too.
    let (_, doc) = scan(tmp.path(), &["--max-file-size", "16M"]);
    assert!(diagnostics_of(&doc, "src/tmp_generated.erl").is_empty());
    let (_, doc) = scan(tmp.path(), &["--max-file-size", "40"]);
    let ds = diagnostics_of(&doc, "src/tmp_app.app.src");
    assert_eq!(ds[0]["code"], "file-too-large", "{ds:?}");
    let run = otpmap(&[
        "scan",
        tmp.path().to_str().unwrap(),
        "--max-file-size",
        "lots",
    ]);
    assert_eq!(run.code, 2, "a bad flag value is a usage error");
}

/// A pathological function cannot hang the run: over `--parse-timeout`
/// it is given up, and the tree that needed it says it is partial.
#[test]
fn a_parse_over_its_budget_is_given_up_and_labelled() {
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    let mut children = String::new();
    for i in 0..40_000 {
        children.push_str(&format!(
            "#{{id => {{shard, {i}}}, start => {{tmp_worker, start_link, []}}}},\n"
        ));
    }
    write(
        &tmp.path().join("src/tmp_sup.erl"),
        format!(
            "-module(tmp_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
             start_link() -> supervisor:start_link({{local, ?MODULE}}, ?MODULE, []).\n\
             init([]) -> {{ok, {{#{{}}, [\n{children}#{{id => last, start => {{tmp_worker, start_link, []}}}}]}}}}.\n"
        ),
    );
    let dir = tmp.path().to_str().unwrap();
    let start = std::time::Instant::now();
    let run = otpmap(&["tree", dir, "--format", "json", "--parse-timeout", "1ms"]);
    assert_no_crash("tree", &run);
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&run);
    let root = &doc["trees"][0]["root"];
    let why = root["partial"].as_str().expect("the root is partial");
    assert!(why.contains("budget"), "{why}");
    let ds = diagnostics_of(&doc, "src/tmp_sup.erl");
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(
        (&ds[0]["code"], &ds[0]["line"]),
        (&Value::from("parse-timeout"), &Value::from(5))
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_a_diagnostic() {
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    let deep = format!(
        "{{application, tmp_deep,\n [{{vsn, \"1.0.0\"}},\n  {{env, [{{k, {}x{}}}]}}]}}.\n",
        "[".repeat(2000),
        "]".repeat(2000)
    );
    write(&tmp.path().join("deep/src/tmp_deep.app.src"), deep);
    let (run, doc) = scan(tmp.path(), &[]);
    assert_eq!(run.code, 0);
    let ds = diagnostics_of(&doc, "deep/src/tmp_deep.app.src");
    assert!(!ds.is_empty());
    assert!(
        ds.iter()
            .any(|d| d["message"].as_str().unwrap().contains("nested deeper")),
        "{ds:?}"
    );
    assert_eq!(ds[0]["line"], 3);
    assert!(doc["apps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["name"] == "tmp_app"));
}

#[test]
fn a_path_that_is_one_file() {
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    let file = tmp.path().join("src/tmp_sup.erl");
    for command in ["scan", "deps", "tree", "lint"] {
        let run = otpmap(&[command, file.to_str().unwrap(), "--format", "json"]);
        assert_no_crash(command, &run);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        json(&run);
    }
    let (_, doc) = scan(&tmp.path().join("src/tmp_app.app.src"), &[]);
    assert_eq!(doc["apps"][0]["name"], "tmp_app");
    // A file that is no Erlang project: nothing to report, so exit 2.
    let other = tmp.path().join("notes.txt");
    write(&other, "not Erlang");
    let run = otpmap(&["scan", other.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no Erlang/OTP project found in"),
        "{}",
        run.stderr
    );
    let run = otpmap(&["scan", tmp.path().join("nope").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no such file or directory"),
        "{}",
        run.stderr
    );
    // A device is neither: nothing to read, and saying "0 modules" would lie.
    #[cfg(unix)]
    {
        let run = otpmap(&["scan", "/dev/null"]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("neither a directory nor a regular file"),
            "{}",
            run.stderr
        );
    }
}

/// Files that vanish between the walk and the read (a build running
/// beside otpmap) are a diagnostic each.
#[test]
fn files_vanishing_during_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = tmp.path().join("src/gone.erl");
    let indexes =
        otpmap::syntax::index_files(tmp.path(), std::slice::from_ref(&gone), Default::default());
    let d = &indexes[0].diagnostics[0];
    assert_eq!(
        (d.code, d.file.as_str()),
        ("unreadable-file", "src/gone.erl")
    );
    assert!(d.message.contains("vanished"), "{}", d.message);
    let (terms, ds) = otpmap::config::read_terms(&tmp.path().join("rebar.config"), "rebar.config");
    assert!(terms.is_empty());
    assert!(ds[0].message.contains("vanished"), "{}", ds[0].message);
}

#[cfg(unix)]
#[test]
fn non_utf8_names_links_and_pipes() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    let name = std::ffi::OsStr::from_bytes(b"tmp_caf\xe9.erl");
    let path = tmp.path().join("src").join(name);
    if std::fs::write(&path, "-module(tmp_util).\n").is_err() {
        // Some file systems (macOS APFS) refuse such names.
        eprintln!("skipped the non-UTF-8 name: the file system refuses it");
    } else {
        let (run, doc) = scan(tmp.path(), &[]);
        assert_eq!(run.code, 0);
        let ds = diagnostics_of(&doc, "src/tmp_caf\u{fffd}.erl");
        assert!(
            ds.iter().any(|d| d["code"] == "non-utf8-path"),
            "{:?}",
            doc["diagnostics"]
        );
    }
    let odd_dir = tmp
        .path()
        .join(std::ffi::OsStr::from_bytes(b"vendor_\xff"))
        .join("src/tmp_vendored.erl");
    if std::fs::create_dir_all(odd_dir.parent().unwrap()).is_ok() {
        write(&odd_dir, "-module(tmp_vendored).\n");
        let (_, doc) = scan(tmp.path(), &[]);
        let ds = diagnostics_of(&doc, "vendor_\u{fffd}");
        assert_eq!(ds.len(), 1, "{:?}", doc["diagnostics"]);
        assert_eq!(ds[0]["code"], "non-utf8-path");
    }
    // A dangling link and a link loop, followed or not.
    std::os::unix::fs::symlink("nowhere.erl", tmp.path().join("src/dangling.erl")).unwrap();
    std::os::unix::fs::symlink("..", tmp.path().join("src/up")).unwrap();
    let (_, doc) = scan(tmp.path(), &[]);
    assert_eq!(diagnostics_of(&doc, "src/up")[0]["code"], "symlink-loop");
    let (run, doc) = scan(tmp.path(), &["--follow-links"]);
    assert_eq!(run.code, 0);
    assert!(doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "symlink-loop"));
    assert_eq!(doc["apps"][0]["name"], "tmp_app");
    // A named pipe called .erl: never opened, so it cannot block the run.
    let fifo = tmp.path().join("src/pipe.erl");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let (run, _) = scan(tmp.path(), &["--follow-links"]);
        assert_eq!(run.code, 0);
    }
}

/// Unreadable files and folders are diagnostics. Root reads mode-000
/// files anyway (CAP_DAC_OVERRIDE), and CI containers run as root: there
/// the test runs otpmap as `nobody` through util-linux's `setpriv`, and
/// when that is not possible it checks only that nothing breaks and says
/// it skipped the rest.
#[cfg(unix)]
#[test]
fn unreadable_files_and_folders() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    good_app(tmp.path());
    let secret = tmp.path().join("src/tmp_secret.erl");
    write(&secret, "-module(tmp_secret).\n");
    let locked = tmp.path().join("locked");
    write(&locked.join("src/tmp_hidden.erl"), "-module(tmp_hidden).\n");
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // `nobody` must be able to walk the rest.
    set(tmp.path(), 0o755);
    set(&secret, 0o000);
    set(&locked, 0o000);
    let privileged = std::fs::read(&secret).is_ok();
    let dir = tmp.path().to_str().unwrap();
    let bin = env!("CARGO_BIN_EXE_otpmap");
    let unprivileged = |path: &str| {
        let mut cmd = if privileged {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        } else {
            Command::new(bin)
        };
        cmd.args(["scan", path, "--format", "json"])
            .env("OTPMAP_OTP_ROOT", "")
            .output()
            .ok()
            .filter(|o| o.status.code().is_some_and(|c| c <= 2))
    };
    let out = unprivileged(dir).filter(|o| !o.stdout.is_empty());
    // PATH itself unreadable: nothing can be reported, so exit 2.
    let root_locked = unprivileged(locked.to_str().unwrap());
    let (run, doc) = scan(tmp.path(), &[]);
    set(&locked, 0o755);
    set(&secret, 0o644);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(doc["apps"][0]["name"], "tmp_app");
    let Some(out) = out else {
        eprintln!("skipped: running as root without setpriv, mode 000 does not stop reads");
        return;
    };
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_no_crash("scan unprivileged", &run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&run);
    assert_eq!(doc["apps"][0]["name"], "tmp_app");
    let ds = diagnostics_of(&doc, "src/tmp_secret.erl");
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "unreadable-file");
    assert!(ds[0]["message"]
        .as_str()
        .unwrap()
        .contains("permission denied"));
    let ds = diagnostics_of(&doc, "locked");
    assert_eq!(ds.len(), 1, "{:?}", doc["diagnostics"]);
    assert!(ds[0]["message"]
        .as_str()
        .unwrap()
        .contains("permission denied"));
    let root_locked = root_locked.expect("runs");
    assert_eq!(root_locked.status.code(), Some(2));
    let err = String::from_utf8_lossy(&root_locked.stderr);
    assert!(err.contains("ermission denied"), "{err}");
}

/// Regression: a `-define` whose replacement is half an expression, and a
/// function using it, were reported as syntax errors though erlc compiles
/// them. A genuinely broken form beside them still is one.
#[test]
fn half_expression_macro_is_not_a_syntax_error() {
    use otpmap::syntax::{index_module, SourceFile};
    let src = "-module(m).\n-export([f/1, g/0]).\n\
               -define(MATCH(E), case E of).\n-define(ELSE(D), _ -> D end).\n\
               f(X) -> ?MATCH(X) 1 -> one; ?ELSE(other).\n\
               g() -> {broken.\n";
    let index = index_module(SourceFile::from_text("src/m.erl", src));
    let lines: Vec<u32> = index.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [6], "{:?}", index.diagnostics);
}
