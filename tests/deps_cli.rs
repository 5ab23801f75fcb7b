//! `otpmap deps` end to end on the samples: every format (snapshots for
//! the text ones), the filters, `-o` and its extension, exit codes, and
//! the dependency checks with their file and line.
//!
//! Every run passes `--no-otp-root` unless it says otherwise, so the output
//! does not depend on the Erlang installed on the machine.

use std::path::Path;
use std::process::{Command, Output};

fn otpmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run otpmap")
}

/// Runs `otpmap deps SAMPLE --no-otp-root ARGS` and returns stdout; the run
/// must succeed.
fn deps(sample: &str, args: &[&str]) -> String {
    let path = format!("samples/{sample}");
    let mut all = vec!["deps", &path, "--no-otp-root", "--color", "never"];
    all.extend_from_slice(args);
    let out = otpmap(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "otpmap {all:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json(sample: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&deps(sample, &all)).expect("valid JSON")
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn human_umbrella() {
    insta::assert_snapshot!("deps_human_umbrella", deps("umbrella", &[]));
}

#[test]
fn human_release_boot() {
    insta::assert_snapshot!("deps_human_release_boot", deps("release_boot", &[]));
}

#[test]
fn human_app_cycle() {
    insta::assert_snapshot!("deps_human_app_cycle", deps("app_cycle", &[]));
}

#[test]
fn human_missing_deps() {
    insta::assert_snapshot!("deps_human_missing_deps", deps("missing_deps", &[]));
}

// The JSON of every sample is pinned by tests/golden_json.rs.

#[test]
fn dot_umbrella() {
    insta::assert_snapshot!("deps_dot_umbrella", deps("umbrella", &["--format", "dot"]));
}

#[test]
fn mermaid_umbrella() {
    insta::assert_snapshot!(
        "deps_mermaid_umbrella",
        deps("umbrella", &["--format", "mermaid"])
    );
}

#[test]
fn mermaid_release_boot() {
    insta::assert_snapshot!(
        "deps_mermaid_release_boot",
        deps("release_boot", &["--format", "mermaid"])
    );
}

/// The SVG is well-formed XML and every node of the graph is named in it.
fn assert_svg_names_every_node(svg: &str, sample: &str) {
    // graphviz writes a DOCTYPE; roxmltree refuses DTDs unless told.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opts).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    for name in names(&json(sample, &[])) {
        assert!(
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == name),
            "{sample}: node {name} is not named in the SVG"
        );
    }
}

#[test]
fn builtin_svg_parses_and_names_every_node() {
    for sample in [
        "umbrella",
        "release_boot",
        "app_cycle",
        "missing_deps",
        "otp_libdir",
    ] {
        let out = otpmap(&[
            "deps",
            &format!("samples/{sample}"),
            "--no-otp-root",
            "--format",
            "svg",
            "--renderer",
            "builtin",
            "--all",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("built-in layout"),
            "renderer not named: {stderr}"
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(
            svg.contains("built-in layout (layout-rs)"),
            "no renderer comment"
        );
        assert_svg_names_every_node(&svg, sample);
    }
}

#[test]
fn builtin_svg_is_reproducible() {
    let args = [
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "-f",
        "svg",
        "--renderer",
        "builtin",
        "-q",
    ];
    let first = otpmap(&args).stdout;
    for _ in 0..3 {
        assert_eq!(otpmap(&args).stdout, first, "layout differs between runs");
    }
}

fn graphviz_installed() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn svg_through_graphviz_when_installed() {
    let out = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "--format",
        "svg",
        "--all",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let svg = String::from_utf8(out.stdout).unwrap();
    if graphviz_installed() {
        assert!(stderr.contains("graphviz dot"), "{stderr}");
    } else {
        eprintln!("skipped graphviz part: dot not found");
        assert!(stderr.contains("built-in layout"), "{stderr}");
    }
    assert_svg_names_every_node(&svg, "umbrella");
}

#[test]
fn png_needs_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deps.png");
    let out = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "-o",
        file.to_str().unwrap(),
    ]);
    if graphviz_installed() {
        assert_eq!(out.status.code(), Some(0));
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    } else {
        eprintln!("skipped: dot not found; checking the error instead");
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("graphviz"));
    }
}

#[test]
fn output_file_format_follows_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, starts) in [
        ("json", "{"),
        ("dot", "digraph"),
        ("gv", "digraph"),
        ("mmd", "flowchart"),
        ("txt", "Applications"),
    ] {
        let file = dir.path().join(format!("deps.{ext}"));
        let out = otpmap(&[
            "deps",
            "samples/umbrella",
            "--no-otp-root",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty(), "-o still printed to stdout");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with(starts),
            ".{ext}: {}",
            &text[..40.min(text.len())]
        );
    }
    // An explicit --format wins over the extension.
    let file = dir.path().join("deps.svg");
    let out = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "-f",
        "mermaid",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("flowchart"));
}

#[test]
fn json_nodes_edges_and_releases() {
    let v = json("umbrella", &[]);
    assert_eq!(v["schema"], "otpmap.deps/1");
    assert_eq!(v["otp_root"], serde_json::Value::Null);
    let node = |name: &str| {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"] == name)
            .unwrap_or_else(|| panic!("no node {name}"))
            .clone()
    };
    assert_eq!(node("web")["kind"], "regular");
    assert_eq!(node("web")["source"], "project");
    assert_eq!(node("shop_common")["kind"], "library");
    assert_eq!(node("cowboy")["source"], "dep");
    assert_eq!(node("cowboy")["dep_source"], "hex");
    assert_eq!(node("kernel")["source"], "otp");
    assert_eq!(
        node("shop_common")["releases"],
        serde_json::json!(["shop", "shop_admin"])
    );
    let edge = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "backoffice" && e["to"] == "store")
        .unwrap();
    assert_eq!(edge["kind"], "included_applications");
    assert_eq!(edge["file"], "apps/backoffice/src/backoffice.app.src");
    let names = names(&v);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "nodes are sorted by name");
}

#[test]
fn filter_app_depth_reverse_exclude_no_otp() {
    let n = names(&json("umbrella", &["--app", "store"]));
    assert_eq!(n, ["crypto", "kernel", "shop_common", "stdlib", "store"]);
    let n = names(&json(
        "umbrella",
        &["--app", "web", "--depth", "1", "--no-otp"],
    ));
    assert_eq!(
        n,
        [
            "cowboy",
            "eredis",
            "gun",
            "jose",
            "jsx",
            "shop_common",
            "shop_schema",
            "store",
            "web"
        ]
    );
    let n = names(&json("umbrella", &["--reverse", "shop_common"]));
    assert_eq!(n, ["backoffice", "shop_common", "store", "web"]);
    let n = names(&json("umbrella", &["--reverse", "store", "--depth", "1"]));
    assert_eq!(n, ["backoffice", "store", "web"]);
    let n = names(&json(
        "umbrella",
        &[
            "--app",
            "backoffice",
            "--exclude",
            "store,lager",
            "--no-otp",
        ],
    ));
    assert_eq!(n, ["backoffice", "shop_common"]);
    let n = names(&json(
        "umbrella",
        &[
            "--app",
            "backoffice",
            "--exclude",
            "store",
            "--exclude",
            "lager",
            "--no-otp",
        ],
    ));
    assert_eq!(n, ["backoffice", "shop_common"]);
    insta::assert_snapshot!(
        "deps_human_umbrella_reverse_shop_common",
        deps("umbrella", &["--reverse", "shop_common"])
    );
}

#[test]
fn unknown_app_is_exit_2_with_close_names() {
    let out = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "--app",
        "shop_comon",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no application named `shop_comon`") && stderr.contains("shop_common"),
        "{stderr}"
    );
    let out = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "--reverse",
        "wbe",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("web"));
}

#[test]
fn bad_arguments_are_exit_2() {
    for args in [
        vec!["deps", "samples/umbrella", "--format", "gif"],
        vec!["deps", "samples/umbrella", "--depth", "-1"],
        vec![
            "deps",
            "samples/umbrella",
            "--app",
            "web",
            "--reverse",
            "web",
        ],
        vec!["deps", "samples/umbrella", "--otp-root", "/nonexistent/otp"],
        vec!["deps", "samples/no_such_sample"],
    ] {
        let out = otpmap(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// (severity, code, file, line) of every diagnostic.
fn diagnostics(v: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The message of the first diagnostic with `code`.
fn message_of<'v>(v: &'v serde_json::Value, code: &str) -> &'v str {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} diagnostic"))
}

fn has(
    diags: &[(String, String, String, u64)],
    sev: &str,
    code: &str,
    file: &str,
    line: u64,
) -> bool {
    diags
        .iter()
        .any(|d| d.0 == sev && d.1 == code && d.2 == file && d.3 == line)
}

/// With every dependency read, or none declared, an app found nowhere is
/// missing for sure: a warning. With one not fetched and no lock, it is
/// an info (see the missing_deps sample).
#[test]
fn unknown_application_is_a_warning_when_every_dependency_is_known() {
    let dir = project(&[("counter".into(), "\"1.0.0\"".into(), vec!["estatsd".into()])]);
    let out = run_in(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = diagnostics(&v);
    assert!(
        has(
            &d,
            "warning",
            "unknown-application",
            "apps/counter/src/counter.app.src",
            1
        ),
        "{d:?}"
    );
    assert_eq!(
        message_of(&v, "unknown-application"),
        "`counter` lists `estatsd` in `applications`, but `estatsd` is not an application of \
         the project, a dependency or part of OTP: a release with `counter` cannot be built"
    );
}

#[test]
fn cycle_sample_reports_the_cycle_with_file_and_line() {
    let v = json("app_cycle", &[]);
    let d = diagnostics(&v);
    assert!(
        has(&d, "error", "app-cycle", "apps/auth/src/auth.app.src", 6),
        "{d:?}"
    );
    assert!(
        has(&d, "error", "release-no-boot-order", "rebar.config", 8),
        "{d:?}"
    );
    assert_eq!(
        v["cycles"],
        serde_json::json!([["auth", "session", "profile", "auth"]])
    );
    assert_eq!(v["releases"][0]["boot_order"], serde_json::json!([]));
    assert_eq!(
        v["releases"][0]["cycle"],
        serde_json::json!(["auth", "session", "profile", "auth"])
    );
}

#[test]
fn missing_deps_sample_reports_each_problem_with_file_and_line() {
    let v = json("missing_deps", &[]);
    let d = diagnostics(&v);
    // estatsd: listed, found nowhere; but hackney and jiffy are not
    // fetched and there is no lock, so it may be one of their own deps.
    assert!(
        has(&d, "info", "unknown-application", "src/notifier.app.src", 8),
        "{d:?}"
    );
    let message = message_of(&v, "unknown-application");
    assert!(
        message.contains("it may come with one of the 2 not fetched (hackney, jiffy)")
            && message.contains("a release with `notifier` cannot be built"),
        "{message}"
    );
    // opentelemetry_api: optional, so only a note.
    assert!(
        has(
            &d,
            "info",
            "optional-application-absent",
            "src/notifier.app.src",
            9
        ),
        "{d:?}"
    );
    // jiffy: a dep no app lists.
    assert!(has(&d, "warning", "unused-dep", "rebar.config", 7), "{d:?}");
    // dashboard: in the release, found nowhere; an info for the same
    // reason as estatsd.
    assert!(
        has(&d, "info", "unknown-release-app", "rebar.config", 12),
        "{d:?}"
    );
    // Nothing else is a warning: hackney is a dep that notifier lists.
    let warnings: Vec<_> = d.iter().filter(|x| x.0 != "info").collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let missing: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["source"] == "missing")
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["dashboard", "estatsd", "opentelemetry_api"]);
}

#[test]
fn diagnostics_do_not_change_the_exit_code() {
    for sample in ["app_cycle", "missing_deps", "broken"] {
        let out = otpmap(&["deps", &format!("samples/{sample}"), "--no-otp-root"]);
        assert_eq!(out.status.code(), Some(0), "{sample}");
    }
}

#[test]
fn scan_json_has_boot_order_and_the_graph_checks() {
    let out = otpmap(&[
        "scan",
        "samples/umbrella",
        "--no-otp-root",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "otpmap.scan/1");
    let shop = v["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "shop")
        .unwrap();
    assert_eq!(
        shop["boot_order"],
        serde_json::json!([
            "kernel",
            "stdlib",
            "crypto",
            "shop_common",
            "store",
            "cowboy",
            "jsx",
            "gun",
            "jose",
            "eredis",
            "shop_schema",
            "web",
            "observer",
            "runtime_tools"
        ])
    );
    let d = diagnostics(&v);
    assert!(
        has(&d, "warning", "unused-dep", "rebar.config", 26),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "warning",
            "release-dependency-not-started",
            "rebar.config",
            49
        ),
        "{d:?}"
    );
}

#[test]
fn otp_root_pulls_in_transitive_otp_apps() {
    // A fake OTP installation: only what the test needs, so the result does
    // not depend on the machine.
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    for (app, vsn, apps) in [
        ("kernel", "8.5.3", ""),
        ("stdlib", "4.2", "kernel"),
        ("crypto", "5.1.2", "kernel, stdlib"),
        ("asn1", "5.0.21", "kernel, stdlib"),
        ("public_key", "1.13.2", "asn1, crypto, kernel, stdlib"),
        ("ssl", "10.8.7", "kernel, stdlib, crypto, public_key"),
    ] {
        let ebin = lib.join(format!("{app}-{vsn}")).join("ebin");
        std::fs::create_dir_all(&ebin).unwrap();
        std::fs::write(
            ebin.join(format!("{app}.app")),
            format!("{{application, {app}, [{{vsn, \"{vsn}\"}}, {{applications, [{apps}]}}]}}.\n"),
        )
        .unwrap();
    }
    let out = otpmap(&[
        "deps",
        "samples/erlang_mk",
        "--otp-root",
        dir.path().to_str().unwrap(),
        "--app",
        "ssl",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        names(&v),
        ["asn1", "crypto", "kernel", "public_key", "ssl", "stdlib"]
    );
    assert_eq!(v["otp_root"], lib.to_str().unwrap());
    let ssl = &v["nodes"].as_array().unwrap()[4];
    assert_eq!(ssl["vsn"], "10.8.7");
    assert!(Path::new(v["otp_root"].as_str().unwrap()).ends_with("lib"));
}

// ---- Diagrams that scale: default view, --all, --reduce, labels, limits ----

#[test]
fn default_view_is_the_projects_own_apps_and_all_shows_the_rest() {
    let own = deps("umbrella", &[]);
    assert!(own.contains("Applications 4 project apps"), "{own}");
    assert!(
        own.contains("not shown: 10 deps, 6 OTP, 0 missing (--all shows them)"),
        "{own}"
    );
    assert!(!own.contains("cowboy  dep"), "{own}");
    // Each app still says what it needs from outside, on one line.
    assert!(
        own.contains("└── also needs: cowboy, jsx, gun, jose, eredis, shop_schema (dep)\n"),
        "{own}"
    );
    let all = deps("umbrella", &["--all"]);
    assert!(
        all.contains("Applications 20 apps (4 project, 10 deps"),
        "{all}"
    );
    assert!(all.contains("cowboy  dep (hex)"), "{all}");
    // --app keeps every app it reaches, of any kind.
    let focused = deps("umbrella", &["--app", "web"]);
    assert!(focused.contains("cowboy  dep (hex)"), "{focused}");
}

#[test]
fn human_does_not_repeat_kernel_and_stdlib_under_each_app() {
    let all = deps("umbrella", &["--all"]);
    assert!(
        all.contains("kernel and stdlib, which every application needs, are not repeated"),
        "{all}"
    );
    let tree: String = all
        .split("Boot order")
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        !tree.contains("── kernel") && !tree.contains("── stdlib"),
        "{tree}"
    );
    // Asked for, kernel is still there.
    let kernel = deps("umbrella", &["--reverse", "kernel"]);
    assert!(kernel.starts_with("Applications"), "{kernel}");
    assert!(kernel.contains("\nkernel  otp"), "{kernel}");
}

#[test]
fn diagrams_fold_other_apps_into_one_node_per_kind() {
    let dot = deps("umbrella", &["--format", "dot"]);
    assert!(
        dot.contains("\"(dependencies)\"[label=\"10 dependencies\n--all draws each\""),
        "{dot}"
    );
    assert!(dot.contains("\"web\" -> \"(dependencies)\""), "{dot}");
    assert!(!dot.contains("\"cowboy\""), "{dot}");
    let all = deps("umbrella", &["--format", "dot", "--all"]);
    assert!(all.contains("\"web\" -> \"cowboy\""), "{all}");
    assert!(!all.contains("(dependencies)"), "{all}");
    let mermaid = deps("umbrella", &["--format", "mermaid"]);
    assert!(
        mermaid.contains("[\"6 OTP applications<br/>--all draws each\"]"),
        "{mermaid}"
    );
}

#[test]
fn diagrams_are_reduced_unless_no_reduce() {
    // backoffice includes store, which needs shop_common: backoffice's own
    // shop_common edge is implied.
    let edge = "\"backoffice\" -> \"shop_common\"";
    let reduced = deps("umbrella", &["--format", "dot"]);
    assert!(!reduced.contains(edge), "{reduced}");
    assert!(
        reduced.contains("\"backoffice\" -> \"store\" [style=\"bold\""),
        "{reduced}"
    );
    let whole = deps("umbrella", &["--format", "dot", "--no-reduce"]);
    assert!(whole.contains(edge), "{whole}");
    // Human and JSON keep every edge unless --reduce is given.
    let has_edge = |v: &serde_json::Value| {
        v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["from"] == "backoffice" && e["to"] == "shop_common")
    };
    let j = json("umbrella", &[]);
    assert!(has_edge(&j));
    assert!(
        names(&j).contains(&"cowboy".to_owned()),
        "JSON keeps every app"
    );
    assert!(!has_edge(&json("umbrella", &["--reduce"])));
    let human = deps("umbrella", &["--reduce"]);
    assert!(
        human.contains("(reduced: none implied by a longer path)"),
        "{human}"
    );
    let out = otpmap(&["deps", "samples/umbrella", "--reduce", "--no-reduce"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A project under a temporary folder: `apps/<name>/src/<name>.app.src`
/// for each (name, vsn term, applications).
fn project(apps: &[(String, String, Vec<String>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rebar.config"), "{erl_opts, []}.\n").unwrap();
    std::fs::write(dir.path().join("VERSION"), "2.5.0\n").unwrap();
    for (name, vsn, needs) in apps {
        let src = dir.path().join("apps").join(name).join("src");
        std::fs::create_dir_all(&src).unwrap();
        let mut list = vec!["kernel".to_owned(), "stdlib".to_owned()];
        list.extend(needs.iter().cloned());
        std::fs::write(
            src.join(format!("{name}.app.src")),
            format!(
                "{{application, {name}, [{{vsn, {vsn}}}, {{applications, [{}]}}]}}.\n",
                list.join(", ")
            ),
        )
        .unwrap();
    }
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["deps", dir.to_str().unwrap(), "--no-otp-root"];
    all.extend_from_slice(args);
    otpmap(&all)
}

#[test]
fn a_version_read_from_a_file_is_labelled_not_printed_as_a_term() {
    let dir = project(&[
        ("core".into(), "{file, \"../../VERSION\"}".into(), vec![]),
        (
            "web".into(),
            "{cmd, \"cat ../../VERSION\"}".into(),
            vec!["core".into()],
        ),
    ]);
    let human = String::from_utf8(run_in(dir.path(), &[]).stdout).unwrap();
    assert!(
        human.contains("core vsn from ../../VERSION  library"),
        "{human}"
    );
    assert!(
        human.contains("web vsn from `cat ../../VERSION`"),
        "{human}"
    );
    assert!(!human.contains("{file"), "{human}");
    let dot = String::from_utf8(run_in(dir.path(), &["--format", "dot"]).stdout).unwrap();
    assert!(
        dot.contains("label=\"core vsn from ../../VERSION\""),
        "{dot}"
    );
    let j: serde_json::Value =
        serde_json::from_slice(&run_in(dir.path(), &["--format", "json"]).stdout).unwrap();
    let core = j["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "core")
        .unwrap();
    assert_eq!(
        core["vsn"], "{file, \"../../VERSION\"}",
        "JSON keeps the term"
    );
}

/// Layers of `width` apps, each app needing every app of the next layer:
/// no edge is implied by another, and the paths multiply.
fn layered(layers: usize, width: usize) -> tempfile::TempDir {
    let name = |l: usize, k: usize| format!("l{l}_app{k}");
    let apps: Vec<(String, String, Vec<String>)> = (0..layers)
        .flat_map(|l| {
            (0..width).map(move |k| {
                let needs = if l + 1 < layers {
                    (0..width).map(|j| name(l + 1, j)).collect()
                } else {
                    vec![]
                };
                (name(l, k), "\"1.0.0\"".to_owned(), needs)
            })
        })
        .collect();
    project(&apps)
}

#[test]
fn builtin_layout_refuses_a_graph_it_cannot_draw_in_seconds() {
    let dir = layered(8, 15);
    let start = std::time::Instant::now();
    let out = run_in(
        dir.path(),
        &["--format", "svg", "--renderer", "builtin", "--quiet"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    for word in [
        "built-in layout",
        "graphviz",
        "--app",
        "--depth",
        "121 nodes",
    ] {
        assert!(stderr.contains(word), "{word}: {stderr}");
    }
    // Refused from the estimate, before any layout work.
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    // A small part of the same graph is drawn.
    let out = run_in(
        dir.path(),
        &[
            "--format",
            "svg",
            "--renderer",
            "builtin",
            "--quiet",
            "--app",
            "l6_app0",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("l7_app3"));
}

#[test]
fn mermaid_warns_past_githubs_edge_limit() {
    // 3 x 225 = 675 edges, none implied, and 15 to the folded OTP apps.
    let dir = layered(4, 15);
    let out = run_in(dir.path(), &["--format", "mermaid"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("690 edges (Mermaid's default maxEdges is 500)")
            && stderr.contains("GitHub"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("flowchart TD\n"));
    let small = otpmap(&[
        "deps",
        "samples/umbrella",
        "--no-otp-root",
        "--format",
        "mermaid",
    ]);
    assert!(
        small.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&small.stderr)
    );
}

#[test]
fn a_dependency_a_reltool_target_holds_ships_unstarted_and_a_raw_one_is_no_app() {
    // As rebar2-era umbrellas do (leofs): the app lists only OTP apps,
    // reltool puts the dependencies in the target system, and the code
    // starts them; a `raw` dependency is a web UI, never an application.
    let dir = project(&[("gate".into(), "\"1.0.0\"".into(), vec![])]);
    std::fs::write(
        dir.path().join("rebar.config"),
        "{deps, [{metrics, \".*\", {git, \"https://example.org/metrics.git\", {tag, \"1.0\"}}},\n\
         {cache, \".*\", {git, \"https://example.org/cache.git\", {tag, \"1.0\"}}},\n\
         {ui, \".*\", {git, \"https://example.org/ui.git\", {tag, \"1.0\"}}, [raw]}]}.\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("rel")).unwrap();
    std::fs::write(
        dir.path().join("rel/reltool.config"),
        "{sys, [{lib_dirs, [\"../deps\"]},\n\
         {rel, \"gate\", \"1\", [kernel, stdlib, gate]},\n\
         {incl_cond, exclude},\n\
         {app, kernel, [{incl_cond, include}]},\n\
         {app, stdlib, [{incl_cond, include}]},\n\
         {app, gate, [{incl_cond, include}, {lib_dir, \"../apps/gate\"}]},\n\
         {app, metrics, [{incl_cond, include}]}]}.\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let unused: Vec<(String, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unused-dep")
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(unused.len(), 2, "none for the raw `ui`: {unused:?}");
    assert_eq!((unused[0].0.as_str(), unused[0].1), ("info", 1));
    assert!(
        unused[0].2.contains(
            "release `gate` holds its code (`{app, metrics, [{incl_cond, include}]}` at \
             rel/reltool.config:7), but its boot does not start it"
        ),
        "{}",
        unused[0].2
    );
    assert_eq!((unused[1].0.as_str(), unused[1].1), ("warning", 2));
    assert!(unused[1]
        .2
        .contains("releases will neither start nor include it"));
}
