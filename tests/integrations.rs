//! Where teams meet otpmap: the rebar3 plugin, the erlang.mk snippet, the
//! CI recipes of docs/ci.md and `.pre-commit-hooks.yaml`, the editor and
//! GitLab formats, completions and the man page.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn otpmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .output()
        .expect("run otpmap")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// True when `tool` runs; else the test skips, and fails under
/// `OTPMAP_REQUIRE_ERL=1` (`.ci/run` installs every tool these tests use).
fn tool_available(tool: &str, arg: &str) -> bool {
    let found = Command::new(tool).arg(arg).output().is_ok();
    if !found {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("{tool} not found and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: {tool} not found");
    }
    found
}

/// A gen_server that connects to a database in init/1: one blocking-init.
const BLOCKING_WORKER: &str = "\
-module(shop_db).
-behaviour(gen_server).
-export([start_link/0, init/1, handle_call/3, handle_cast/2]).
start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).
init([]) ->
    {ok, Sock} = gen_tcp:connect(\"db.example.com\", 5432, []),
    {ok, Sock}.
handle_call(_R, _F, S) -> {reply, ok, S}.
handle_cast(_M, S) -> {noreply, S}.
";

/// A rebar3 project whose supervisor starts `shop_db`.
fn rebar3_project(root: &Path, rebar_config: &str) {
    use common::write_file;
    write_file(root, "rebar.config", rebar_config);
    write_file(
        root,
        "src/shop.app.src",
        "{application, shop, [{vsn, \"0.1.0\"}, {mod, {shop_app, []}},\n\
         {applications, [kernel, stdlib]}, {env, []}]}.\n",
    );
    write_file(
        root,
        "src/shop_app.erl",
        "-module(shop_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_Type, _Args) -> shop_sup:start_link().\nstop(_State) -> ok.\n",
    );
    write_file(
        root,
        "src/shop_sup.erl",
        "-module(shop_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
         init([]) ->\n    {ok, {#{strategy => one_for_one},\n          \
         [#{id => shop_db, start => {shop_db, start_link, []}}]}}.\n",
    );
    write_file(root, "src/shop_db.erl", BLOCKING_WORKER);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn rebar3(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new("rebar3")
        .args(args)
        .current_dir(dir)
        .env("REBAR_CACHE_DIR", cache)
        .env("REBAR_OFFLINE", "1")
        .env("REBAR_COLOR", "none")
        .output()
        .expect("run rebar3")
}

#[test]
fn rebar3_plugin_runs_otpmap_and_fails_on_findings() {
    if !tool_available("rebar3", "version") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("shop");
    let bin = env!("CARGO_BIN_EXE_otpmap");
    rebar3_project(
        &root,
        &format!(
            "{{erl_opts, [debug_info]}}.\n{{plugins, [rebar3_otpmap]}}.\n\
             {{otpmap, [{{bin, \"{bin}\"}}]}}.\n"
        ),
    );
    // Loaded from _checkouts: no network, the plugin as it is in this checkout.
    copy_dir(
        &manifest().join("rebar3_otpmap"),
        &root.join("_checkouts/rebar3_otpmap"),
    );
    let cache = work.path().join("cache");

    let lint = rebar3(&root, &cache, &["otpmap", "lint"]);
    let out = text(&lint.stdout) + &text(&lint.stderr);
    assert!(
        !lint.status.success(),
        "lint findings must fail rebar3:\n{out}"
    );
    assert!(out.contains("warning[OTP001] blocking-init"), "{out}");
    assert!(out.contains("src/shop_db.erl:6:18"), "{out}");
    assert!(out.contains("otpmap lint found problems"), "{out}");

    // Plugin options and pass-through options reach the binary.
    let short = rebar3(
        &root,
        &cache,
        &["otpmap", "lint", "-f", "short", "--", "--fail-on", "error"],
    );
    let out = text(&short.stdout);
    assert!(short.status.success(), "{out}{}", text(&short.stderr));
    assert!(
        out.contains("src/shop_db.erl:6:18: warning[blocking-init] `gen_tcp:connect/3`"),
        "{out}"
    );

    let tree = rebar3(&root, &cache, &["otpmap", "tree"]);
    let out = text(&tree.stdout);
    assert!(tree.status.success(), "{out}{}", text(&tree.stderr));
    assert!(out.contains("└─ 1 shop_db  worker  permanent"), "{out}");

    let bad = rebar3(&root, &cache, &["otpmap", "draw"]);
    let out = text(&bad.stdout) + &text(&bad.stderr);
    assert!(!bad.status.success());
    assert!(out.contains("unknown otpmap command draw"), "{out}");
}

#[test]
fn erlang_mk_snippet_runs_otpmap_and_fails_on_findings() {
    if !tool_available("make", "--version") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("beacon");
    copy_dir(&manifest().join("samples/erlang_mk"), &root);
    // erlang.mk itself is downloaded by its users; the snippet needs none of it.
    std::fs::write(root.join("erlang.mk"), "").unwrap();
    let makefile = std::fs::read_to_string(root.join("Makefile")).unwrap();
    let snippet = manifest().join("otpmap.mk");
    std::fs::write(
        root.join("Makefile"),
        format!("{makefile}include {}\n", snippet.display()),
    )
    .unwrap();
    let make = |target: &str| {
        Command::new("make")
            .args(["-s", target])
            .arg(format!("OTPMAP={}", env!("CARGO_BIN_EXE_otpmap")))
            .current_dir(&root)
            .output()
            .expect("run make")
    };

    let clean = make("otpmap-lint");
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    assert!(text(&clean.stdout).contains("ok: no findings"));
    let tree = make("otpmap-tree");
    assert!(tree.status.success(), "{}", text(&tree.stderr));
    assert!(
        text(&tree.stdout).contains("beacon_sup"),
        "{}",
        text(&tree.stdout)
    );

    std::fs::write(root.join("src/shop_db.erl"), BLOCKING_WORKER).unwrap();
    let failing = make("otpmap-lint");
    assert!(!failing.status.success());
    assert!(
        text(&failing.stdout).contains("blocking-init"),
        "{}",
        text(&failing.stdout)
    );
}

/// The fenced blocks of `lang` in a markdown file.
fn fenced(markdown: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim() == format!("```{lang}") => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// Every `otpmap` command line in a recipe must parse with this binary:
/// a renamed option or format breaks the test, not a user's pipeline.
fn check_command_lines(yaml: &str) -> usize {
    let mut checked = 0;
    for line in yaml.lines() {
        let Some(at) = line.find("otpmap ") else {
            continue;
        };
        // `rebar3 otpmap ...` is the plugin's syntax, tested above.
        if line[..at].trim_end().ends_with("rebar3") {
            continue;
        }
        let words: Vec<&str> = line[at..].split_whitespace().collect();
        if !["scan", "deps", "tree", "lint", "diff", "blast"]
            .contains(&words.get(1).copied().unwrap_or(""))
        {
            continue;
        }
        // --help after the words parses every option without running.
        let mut args: Vec<&str> = words[1..]
            .iter()
            .copied()
            .take_while(|w| !w.starts_with('#') && *w != "||")
            .collect();
        args.push("--help");
        let out = otpmap(&args);
        assert!(
            out.status.success(),
            "`{}` does not parse: {}",
            line.trim(),
            text(&out.stderr)
        );
        checked += 1;
    }
    checked
}

#[test]
fn ci_recipes_parse_and_name_real_options() {
    let doc = std::fs::read_to_string(manifest().join("docs/ci.md")).unwrap();
    let blocks = fenced(&doc, "yaml");
    assert_eq!(blocks.len(), 3, "GitHub, GitLab and pre-commit recipes");

    let github: serde_yaml::Value = serde_yaml::from_str(&blocks[0]).expect("GitHub workflow");
    let steps = github["jobs"]["lint"]["steps"]
        .as_sequence()
        .expect("jobs.lint.steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("--format sarif")));
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
        })
        .expect("a SARIF upload step");
    assert_eq!(upload["with"]["sarif_file"].as_str(), Some("otpmap.sarif"));
    let diff_steps = github["jobs"]["diff"]["steps"]
        .as_sequence()
        .expect("jobs.diff.steps");
    assert!(diff_steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("otpmap diff") && r.contains("--format markdown"))));
    assert!(diff_steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("--body-file otpmap-diff.md"))));

    let gitlab: serde_yaml::Value = serde_yaml::from_str(&blocks[1]).expect("GitLab job");
    let job = &gitlab["otpmap"];
    assert_eq!(
        job["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality.json")
    );
    let script = job["script"].as_sequence().expect("script");
    assert!(script.iter().any(|s| s
        .as_str()
        .is_some_and(|s| s.contains("--format gitlab -o gl-code-quality.json"))));

    let config: serde_yaml::Value = serde_yaml::from_str(&blocks[2]).expect("pre-commit config");
    assert_eq!(
        config["repos"][0]["hooks"][0]["id"].as_str(),
        Some("otpmap-lint")
    );

    let checked: usize = blocks.iter().map(|b| check_command_lines(b)).sum();
    assert!(checked >= 3, "only {checked} otpmap command lines checked");
    // The shell examples too.
    let shell: usize = fenced(&doc, "sh")
        .iter()
        .map(|b| check_command_lines(b))
        .sum();
    assert!(shell >= 1);
}

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(manifest().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("otpmap-lint"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    for key in ["name", "entry", "files"] {
        assert!(hook[key].as_str().is_some(), "{key}");
    }
    check_command_lines(&format!("x: {}", hook["entry"].as_str().unwrap()));
}

#[test]
fn short_format_is_one_line_per_finding() {
    let out = otpmap(&[
        "lint",
        "--format",
        "short",
        manifest().join("samples/blocking_init").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        // file:line:col: severity[rule] message
        let mut parts = line.splitn(4, ':');
        let file = parts.next().unwrap();
        assert!(file.ends_with(".erl") || file.contains('.'), "{line}");
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
        let rest = parts.next().unwrap();
        assert!(
            [" error[", " warning[", " info["]
                .iter()
                .any(|p| rest.starts_with(p)),
            "{line}"
        );
        assert!(rest.contains("] "), "{line}");
    }
}

#[test]
fn gitlab_format_has_the_fields_gitlab_reads() {
    let run = || {
        otpmap(&[
            "lint",
            "--format",
            "gitlab",
            manifest().join("samples/blocking_init").to_str().unwrap(),
        ])
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let issues = issues.as_array().expect("an array of issues");
    assert!(!issues.is_empty());
    let mut prints = std::collections::BTreeSet::new();
    for i in issues {
        assert!(i["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(i["check_name"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"]
            .as_str()
            .is_some_and(|p| !p.starts_with('/')));
        assert!(i["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
        assert!(prints.insert(i["fingerprint"].as_str().unwrap().to_owned()));
    }
    // Deterministic: the same fingerprints on a second run.
    assert_eq!(out.stdout, run().stdout);
}

#[test]
fn completions_and_man_pages() {
    for shell in ["bash", "zsh", "fish"] {
        let out = otpmap(&["completions", shell]);
        assert!(out.status.success());
        let script = text(&out.stdout);
        assert!(
            script.contains("lint") && script.contains("fail-on"),
            "{shell}"
        );
    }
    let man = otpmap(&["man"]);
    assert!(man.status.success());
    assert!(text(&man.stdout).contains(".TH otpmap 1"));
    let lint = otpmap(&["man", "lint"]);
    assert!(text(&lint.stdout).contains("\\-\\-fail\\-on"));
    let bad = otpmap(&["man", "draw"]);
    assert_eq!(bad.status.code(), Some(2));
    // The error names every command that has a page, the newest included.
    let said = text(&bad.stderr);
    for command in ["scan", "deps", "tree", "lint", "blast", "diff", "report"] {
        assert!(said.contains(command), "{said}");
    }
    assert!(!said.contains("completions"), "{said}");
}

#[test]
fn version_names_the_revision_in_a_checkout() {
    let out = otpmap(&["--version"]);
    let version = text(&out.stdout);
    assert!(version.starts_with(&format!("otpmap {}", env!("CARGO_PKG_VERSION"))));
    let git = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(manifest())
        .output();
    if let Some(git) = git.ok().filter(|g| g.status.success()) {
        let rev = text(&git.stdout);
        // Built from this checkout: the build script read the same HEAD,
        // unless a commit came after the build (then it is older, not absent).
        assert!(version.contains("(git "), "{version} (HEAD {rev})");
    }
}
