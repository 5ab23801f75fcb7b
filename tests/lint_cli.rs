//! `otpmap lint` end to end: the binary on samples and temporary projects,
//! recording exit code, stdout and stderr.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    fn record(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn otpmap(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A project with one gen_server whose init/1 connects, plus `extra` files.
fn project(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &str)> = [
        (
            "src/shop.app.src",
            "{application, shop, [{vsn, \"1.0.0\"}, {applications, [kernel, stdlib]}]}.\n",
        ),
        (
            "src/shop_db.erl",
            "-module(shop_db).\n-behaviour(gen_server).\n-export([init/1]).\n\n\
             init([]) ->\n    {ok, S} = gen_tcp:connect(\"db\", 5432, []),\n    {ok, S}.\n",
        ),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    .collect();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn sample_with_findings_exits_1() {
    let run = otpmap(&["lint", "samples/blocking_init"], repo());
    assert_eq!(run.code, 1, "{}", run.record());
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout.matches("warning[OTP001] blocking-init").count(),
        5
    );
}

#[test]
fn fail_on_and_exit_zero() {
    let run = otpmap(
        &["lint", "samples/blocking_init", "--fail-on", "error"],
        repo(),
    );
    assert_eq!(run.code, 0);
    let run = otpmap(&["lint", "samples/blocking_init", "--exit-zero"], repo());
    assert_eq!(run.code, 0);
    let run = otpmap(
        &[
            "lint",
            "samples/blocking_init",
            "--fail-on",
            "info",
            "--select",
            "infinity-call-timeout",
        ],
        repo(),
    );
    assert_eq!(run.code, 1, "{}", run.record());
}

#[test]
fn clean_project_exits_0() {
    let dir = project(&[]);
    let run = otpmap(&["lint", ".", "--ignore", "blocking-init"], dir.path());
    insta::assert_snapshot!("cli_clean", run.record());
}

#[test]
fn small_project_human_output() {
    let dir = project(&[]);
    let run = otpmap(&["lint"], dir.path());
    insta::assert_snapshot!("cli_small_project", run.record());
}

#[test]
fn no_such_path_exits_2() {
    let run = otpmap(&["lint", "does/not/exist"], repo());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no such file or directory"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn unknown_rules_exit_2() {
    let run = otpmap(
        &["lint", "samples/blocking_init", "--select", "no-such-rule"],
        repo(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown rule `no-such-rule`"),
        "{}",
        run.stderr
    );
    let run = otpmap(&["lint", "--explain", "no-such-rule"], repo());
    assert_eq!(run.code, 2);
}

#[test]
fn list_rules_and_explain() {
    let run = otpmap(&["lint", "--list-rules"], repo());
    assert_eq!(run.code, 0);
    for code in ["OTP001", "OTP002", "OTP003", "OTP004"] {
        assert!(run.stdout.contains(code), "{}", run.stdout);
    }
    let run = otpmap(&["lint", "--list-rules", "--format", "json"], repo());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["rules"][0]["name"], "blocking-init");
    let run = otpmap(&["lint", "--explain", "OTP001"], repo());
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# blocking-init (OTP001)"));
    assert!(run.stdout.contains("## How to fix"));
}

#[test]
fn suppression_end_to_end() {
    let dir = project(&[(
        "src/shop_cache.erl",
        "-module(shop_cache).\n-behaviour(gen_server).\n-export([init/1]).\n\n\
         init([]) ->\n    %% otpmap:ignore blocking-init the registry starts first\n    \
         {ok, E} = gen_server:call(registry, lookup),\n    \
         %% otpmap:ignore blocking-init stale\n    {ok, E}.\n",
    )]);
    let run = otpmap(&["lint", "--format", "json"], dir.path());
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "unused-suppression".to_owned(),
                "src/shop_cache.erl".to_owned(),
                8
            ),
            ("blocking-init".to_owned(), "src/shop_db.erl".to_owned(), 6),
        ]
    );
}

#[test]
fn config_file_in_tree_and_on_the_command_line() {
    let dir = project(&[(
        "otpmap.config",
        "{lint, [{rules, [{'blocking-init', error}]}]}.\n",
    )]);
    let run = otpmap(&["lint", "--fail-on", "error"], dir.path());
    assert_eq!(run.code, 1, "{}", run.record());
    assert!(run.stdout.contains("error[OTP001]"));
    let other = tempfile::tempdir().unwrap();
    let cfg = other.path().join("ci.config");
    std::fs::write(&cfg, "{lint, [{rules, [{'blocking-init', off}]}]}.\n").unwrap();
    let run = otpmap(&["lint", "--config", cfg.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.record());
    let run = otpmap(&["lint", "--config", "missing.config"], dir.path());
    assert_eq!(run.code, 2);
}

#[test]
fn bad_config_is_a_diagnostic_not_an_error() {
    let dir = project(&[(
        "otpmap.config",
        "{lint, [{rules, [{'no-such', off}]}, {bogus, 1}]}.\n",
    )]);
    let run = otpmap(&["lint", "--format", "json"], dir.path());
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let messages: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown rule `no-such`")),
        "{messages:?}"
    );
    assert!(messages
        .iter()
        .any(|m| m.contains("unknown lint option `bogus`")));
}

#[test]
fn github_format_and_output_file() {
    let dir = project(&[]);
    let run = otpmap(&["lint", "--format", "github"], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("::warning file=src/shop_db.erl,line=6,col=15,"),
        "{}",
        run.stdout
    );
    let run = otpmap(
        &["lint", "--format", "sarif", "-o", "out.sarif"],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let sarif = std::fs::read_to_string(dir.path().join("out.sarif")).unwrap();
    assert!(sarif.contains("\"ruleId\": \"OTP001\""));
}

/// The baseline round trip: record, pass, a new violation fails with
/// exactly that one finding (an unrelated edit moving the old one does
/// not), the fix leaves a stale entry that is reported.
#[test]
fn baseline_round_trip() {
    let dir = project(&[]);
    let write = otpmap(
        &["lint", "--write-baseline", "otpmap-baseline.json"],
        dir.path(),
    );
    assert_eq!(write.code, 0, "{}", write.record());
    assert!(
        write.stdout.contains("wrote 1 finding"),
        "{}",
        write.record()
    );
    let base = ["lint", "--baseline", "otpmap-baseline.json"];

    let pass = otpmap(&base, dir.path());
    assert_eq!(pass.code, 0, "{}", pass.record());
    assert!(pass
        .stdout
        .contains("1 finding not reported: in the baseline otpmap-baseline.json"));

    // Lines added above the baselined call (it moves down), and a new
    // violation in another module.
    let db = dir.path().join("src/shop_db.erl");
    std::fs::write(
        &db,
        "-module(shop_db).\n-behaviour(gen_server).\n-export([init/1, code_change/3]).\n\n\
         code_change(_Old, State, _Extra) ->\n    {ok, State}.\n\n\
         init([]) ->\n    {ok, S} = gen_tcp:connect(\"db\", 5432, []),\n    {ok, S}.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/shop_cache.erl"),
        "-module(shop_cache).\n-behaviour(gen_server).\n-export([init/1]).\n\n\
         init([]) ->\n    ok = timer:sleep(100),\n    {ok, #{}}.\n",
    )
    .unwrap();
    let fail = otpmap(&[&base[..], &["--format", "json"]].concat(), dir.path());
    assert_eq!(fail.code, 1, "{}", fail.record());
    let doc: serde_json::Value = serde_json::from_str(&fail.stdout).unwrap();
    let found = doc["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{}", fail.stdout);
    assert_eq!(found[0]["rule"], "blocking-init");
    assert_eq!(found[0]["file"], "src/shop_cache.erl");
    assert_eq!(found[0]["line"], 6);
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("timer:sleep"));
    assert_eq!(doc["baseline"]["baselined"], 1);
    assert_eq!(doc["baseline"]["stale"].as_array().unwrap().len(), 0);

    // Both fixed: nothing fails, the baselined connect is reported stale.
    std::fs::remove_file(dir.path().join("src/shop_cache.erl")).unwrap();
    std::fs::write(
        &db,
        "-module(shop_db).\n-behaviour(gen_server).\n-export([init/1]).\n\n\
         init([]) ->\n    {ok, #{sock => undefined}}.\n",
    )
    .unwrap();
    let fixed = otpmap(&base, dir.path());
    assert_eq!(fixed.code, 0, "{}", fixed.record());
    assert!(
        fixed
            .stdout
            .contains("Fixed since the baseline (1 finding):"),
        "{}",
        fixed.stdout
    );
    assert!(
        fixed.stdout.contains(
            "blocking-init[OTP001] src/shop_db.erl shop_db:init/1: gen_tcp:connect(\"db\", 5432, [])"
        ),
        "{}",
        fixed.stdout
    );
}

#[test]
fn bad_baseline_exits_2_and_says_what_to_do() {
    let dir = project(&[(
        "otpmap-baseline.json",
        "{\"format\": \"other\", \"findings\": []}",
    )]);
    let run = otpmap(&["lint", "--baseline", "otpmap-baseline.json"], dir.path());
    assert_eq!(run.code, 2, "{}", run.record());
    assert!(run.stderr.contains("--write-baseline"), "{}", run.stderr);
    let run = otpmap(&["lint", "--baseline", "missing.json"], dir.path());
    assert_eq!(run.code, 2, "{}", run.record());
    assert!(
        run.stderr.contains("cannot read the baseline missing.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn statistics_per_rule_and_per_application() {
    let run = otpmap(&["lint", "samples/blocking_init", "--statistics"], repo());
    assert_eq!(run.code, 1, "{}", run.record());
    assert!(
        run.stdout
            .contains("OTP001  blocking-init          5         0      5        0"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("uplink       6"), "{}", run.stdout);
    assert!(!run.stdout.contains("-->"), "only counts: {}", run.stdout);
    let run = otpmap(
        &[
            "lint",
            "samples/blocking_init",
            "--statistics",
            "--format",
            "json",
        ],
        repo(),
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["schema"], "otpmap.lint-statistics/1");
    assert_eq!(doc["rules"][0]["code"], "OTP001");
    assert_eq!(doc["rules"][0]["warning"], 5);
    assert_eq!(doc["applications"][0]["name"], "uplink");
    assert_eq!(doc["applications"][0]["findings"], 6);
}

/// Issue 18: a blocking call below the call-depth limit is not dropped
/// without a word. `init/1` reaches `gen_tcp:connect/3` through 20 local
/// functions: past the default depth (16) the finding is an info that says
/// the walk was cut; with `{max_call_depth, 32}` the warning itself.
#[test]
fn a_blocking_call_past_the_call_depth_limit_is_marked_partial() {
    let mut deep = String::from(
        "-module(shop_deep).\n-behaviour(gen_server).\n-export([init/1]).\n\n\
         init([]) -> step1(db).\n",
    );
    for i in 1..20 {
        deep.push_str(&format!("step{i}(H) -> step{}(H).\n", i + 1));
    }
    deep.push_str("step20(H) ->\n    {ok, S} = gen_tcp:connect(H, 5432, []),\n    {ok, S}.\n");
    let dir = project(&[("src/shop_deep.erl", &deep)]);
    let path = dir.path().to_str().unwrap();
    let run = otpmap(&["lint", path, "--format", "json"], dir.path());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let deep_findings: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "src/shop_deep.erl")
        .collect();
    assert_eq!(deep_findings.len(), 1, "{deep_findings:#?}");
    let f = deep_findings[0];
    assert_eq!(f["severity"], "info");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("were not followed to the end"),
        "{f}"
    );
    let partial = f["partial"].as_str().unwrap();
    assert!(partial.contains("call-depth limit (16)"), "{partial}");
    assert!(partial.contains("max_call_depth"), "{partial}");

    std::fs::write(
        dir.path().join("otpmap.config"),
        "{lint, [{max_call_depth, 32}]}.\n",
    )
    .unwrap();
    let run = otpmap(&["lint", path, "--format", "json"], dir.path());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let deep: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "src/shop_deep.erl")
        .collect();
    assert_eq!(deep.len(), 1);
    assert_eq!(deep[0]["severity"], "warning");
    assert!(deep[0]["partial"].is_null(), "{}", deep[0]);
}
