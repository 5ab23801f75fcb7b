//! The lint's output formats on the `blocking_init` sample: snapshots of
//! each (insta), and the SARIF validated against the SARIF 2.1.0 JSON
//! schema shipped in `tests/data/`.

use std::path::Path;

use otpmap::diagnostic::Severity;
use otpmap::lint::{self, LintOptions, LintReport};
use otpmap::load::{load, LoadOptions};
use otpmap::model::Project;
use otpmap::render::{self, Painter};

fn sample() -> (Project, LintReport) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/blocking_init");
    let project = load(&root, &LoadOptions::default()).unwrap();
    let report = lint::run(&project, &LintOptions::default()).unwrap();
    (project, report)
}

#[test]
fn human_output() {
    let (project, report) = sample();
    let text =
        render::human::lint::render(&project, &report, Severity::Warning, &Painter::new(false));
    insta::assert_snapshot!("lint_human_blocking_init", text);
}

#[test]
fn json_output() {
    let (_, report) = sample();
    let text = render::json::lint::render(&report);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema"], "otpmap.lint/1");
    // The contract's required fields.
    for f in doc["findings"].as_array().unwrap() {
        for key in [
            "rule", "code", "severity", "file", "line", "column", "message", "chain",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
        for step in f["chain"].as_array().unwrap() {
            for key in ["function", "file", "line"] {
                assert!(step.get(key).is_some());
            }
        }
    }
    // The document itself is pinned by tests/golden_json.rs.
}

#[test]
fn sarif_output() {
    let (project, report) = sample();
    let text = render::sarif::lint::render(&project, &report);
    insta::assert_snapshot!("lint_sarif_blocking_init", text);
}

#[test]
fn github_output() {
    let (_, report) = sample();
    let text = render::github::lint::render(&report);
    insta::assert_snapshot!("lint_github_blocking_init", text);
}

fn sarif_validator() -> jsonschema::Validator {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_sarif(text: &str) {
    let instance: serde_json::Value = serde_json::from_str(text).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn sarif_validates_against_the_schema() {
    // The validator does reject what the schema forbids.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {}}]});
    assert!(!sarif_validator().is_valid(&broken));
    let (project, report) = sample();
    let text = render::sarif::lint::render(&project, &report);
    assert_valid_sarif(&text);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &doc["runs"][0];
    // Stable rule ids, relative paths, fingerprints: what code scanning needs.
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // Every rule once, by its code, in code order (read from the
    // registry, so that a new rule is not one more list to edit).
    assert_eq!(rule_ids.len(), lint::registry::RULES.len(), "{rule_ids:?}");
    assert!(
        rule_ids.windows(2).all(|w| w[0] < w[1]),
        "codes not in order or repeated: {rule_ids:?}"
    );
    assert!(
        rule_ids.iter().all(|id| id.len() == 6
            && id.starts_with("OTP")
            && id[3..].bytes().all(|b| b.is_ascii_digit())),
        "{rule_ids:?}"
    );
    for r in run["results"].as_array().unwrap() {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("src/"), "{uri}");
        assert!(r["partialFingerprints"]["otpmap/v1"].is_string());
    }
}

#[test]
fn sarif_of_an_empty_run_and_of_diagnostics_validates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/ok.erl"),
        "-module(ok).\n-export([f/0]).\nf() -> [.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("otpmap.config"),
        "{lint, [{nonsense, 1}]}.\n",
    )
    .unwrap();
    let project = load(dir.path(), &LoadOptions::default()).unwrap();
    let report = lint::run(&project, &LintOptions::default()).unwrap();
    assert!(report.findings.is_empty());
    assert!(!report.diagnostics.is_empty());
    assert_valid_sarif(&render::sarif::lint::render(&project, &report));
}

/// Fingerprints do not depend on line numbers: code moving down a file
/// keeps its alerts.
#[test]
fn fingerprints_survive_moved_lines() {
    let fingerprints = |prefix: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("src/c.erl"),
            format!(
                "-module(c).\n-behaviour(gen_server).\n-export([init/1]).\n{prefix}\
                 init([]) ->\n    {{ok, S}} = gen_tcp:connect(\"h\", 1, []),\n    {{ok, S}}.\n"
            ),
        )
        .unwrap();
        let project = load(dir.path(), &LoadOptions::default()).unwrap();
        let report = lint::run(&project, &LintOptions::default()).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&render::sarif::lint::render(&project, &report)).unwrap();
        let r = &doc["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["otpmap/v1"]
                .as_str()
                .unwrap()
                .to_owned(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (a, line_a) = fingerprints("");
    let (b, line_b) = fingerprints("%% a comment\n%% and another\n");
    assert_eq!(a, b);
    assert_ne!(line_a, line_b);
}
