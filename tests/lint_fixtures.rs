//! Caret fixtures: every directory `tests/fixtures/lint/<rule>/<case>/` is a
//! small project whose `.erl` files write each expected finding as a
//! comment under the code it points at:
//!
//! ```erlang
//!     {ok, S} = gen_tcp:connect(H, P, []),
//! %%            ^^^^^^^^^^^^^^^^^^^^^^^^^ warning: blocking-init: `gen_tcp:connect/3` connects
//! ```
//!
//! The carets give the columns (start, and the end for a one-line finding),
//! then the severity, the rule and a prefix of the message. A severity of
//! `note` is a hazard grouped into another finding of the same `init/1`:
//! one of that finding's notes names it at this line (columns unchecked). The harness runs
//! the whole lint on the case and requires exactly the annotated findings.
//! Annotations are comments, so the fixtures stay valid Erlang: the last
//! test compiles them with `erlc` (skipped without it unless
//! `OTPMAP_REQUIRE_ERL=1`; `COMPILE_EXCEPTIONS` lists the broken ones).

mod common;

use std::path::{Path, PathBuf};

use otpmap::lint::{self, LintOptions};
use otpmap::load::{load, LoadOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

/// Every case directory, sorted.
fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for rule in std::fs::read_dir(fixtures()).unwrap() {
        let rule = rule.unwrap().path();
        if !rule.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&rule).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                out.push(case);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no case under tests/fixtures/lint");
    out
}

/// An expected finding read from a caret annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    file: String,
    line: u32,
    column: u32,
    /// One past the last caret.
    end_column: u32,
    severity: String,
    rule: String,
    message_prefix: String,
}

/// Parses `%%   ^^^^ severity: rule: message prefix` lines; each refers to
/// the nearest line above it that is not an annotation.
fn annotations(case: &Path) -> Vec<Expected> {
    let files = common::files_with_extension(case, "erl");
    let mut out = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(case)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut target = 0u32;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let Some(caret_at) = line.find('^') else {
                target = i as u32 + 1;
                continue;
            };
            if !trimmed.starts_with("%%") || !line[..caret_at].chars().all(|c| c == '%' || c == ' ')
            {
                target = i as u32 + 1;
                continue;
            }
            let carets = line[caret_at..].chars().take_while(|&c| c == '^').count();
            let rest = line[caret_at + carets..].trim();
            let (severity, rest) = rest.split_once(": ").expect("severity: rule: message");
            let (rule, message) = rest.split_once(": ").expect("rule: message");
            let column = line[..caret_at].chars().count() as u32 + 1;
            out.push(Expected {
                file: rel.clone(),
                line: target,
                column,
                end_column: column + carets as u32,
                severity: severity.to_owned(),
                rule: rule.to_owned(),
                message_prefix: message.to_owned(),
            });
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    out
}

fn run(case: &Path) -> lint::LintReport {
    let project = load(case, &LoadOptions::default()).unwrap();
    lint::run(&project, &LintOptions::default()).unwrap()
}

#[test]
fn every_case_reports_exactly_its_annotations() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 20, "fixtures missing: {}", cases.len());
    for case in &cases {
        let name = case.strip_prefix(fixtures()).unwrap().display().to_string();
        let expected = annotations(case);
        let report = run(case);
        let mut unmatched: Vec<&Expected> = expected.iter().collect();
        // `note: rule: text` is a hazard grouped into another finding of
        // the same rule: one of its notes says "also reached in this
        // init/1: text" at this file and line.
        unmatched.retain(|e| {
            if e.severity != "note" {
                return true;
            }
            let at = format!(" at {}:{}", e.file, e.line);
            let found = report.findings.iter().any(|f| {
                f.rule.name == e.rule
                    && f.notes.iter().any(|n| {
                        n.strip_prefix("also reached in this init/1: ")
                            .is_some_and(|n| n.starts_with(&e.message_prefix) && n.contains(&at))
                    })
            });
            !found
        });
        for f in &report.findings {
            let pos = unmatched.iter().position(|e| {
                e.file == f.file
                    && e.line == f.line
                    && e.column == f.column
                    && (f.end_line != f.line || e.end_column == f.end_column)
                    && e.severity == f.severity.as_str()
                    && e.rule == f.rule.name
                    && f.message.starts_with(&e.message_prefix)
            });
            match pos {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => failures.push(format!(
                    "{name}: unexpected {}:{}:{}-{} {}: {}: {}",
                    f.file,
                    f.line,
                    f.column,
                    f.end_column,
                    f.severity.as_str(),
                    f.rule.name,
                    f.message
                )),
            }
        }
        for e in unmatched {
            failures.push(format!("{name}: expected but not found: {e:?}"));
        }
        // Fixtures are well-formed apart from what they test.
        for d in &report.diagnostics {
            if !name.contains("partial") && d.severity >= otpmap::diagnostic::Severity::Warning {
                failures.push(format!("{name}: diagnostic {d:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The rule's own fixture directory exists for every rule.
#[test]
fn every_rule_has_fixtures() {
    for r in otpmap::lint::registry::RULES {
        let dir = fixtures().join(r.name);
        assert!(dir.is_dir(), "no fixtures for {}", r.name);
        let files = common::files_with_extension(&dir, "erl");
        let annotated = files.iter().any(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .contains(&format!(": {}: ", r.name))
        });
        assert!(annotated, "no annotated finding for {}", r.name);
    }
}

/// A finding whose chain crosses a function with syntax errors says so.
#[test]
fn partial_results_are_marked() {
    let report = run(&fixtures().join("blocking-init/partial"));
    let f = &report.findings[0];
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("partial result") && n.contains("broken_conn:open/0")),
        "{:?}",
        f.notes
    );
}

/// Chains name every step with its location, from init/1 to the call.
#[test]
fn chains_have_a_location_per_step() {
    let report = run(&fixtures().join("blocking-init/connect_chain"));
    let f = &report.findings[0];
    let steps: Vec<(String, String, u32)> = f
        .chain
        .iter()
        .map(|s| (s.function.clone(), s.file.clone(), s.line))
        .collect();
    assert_eq!(
        steps,
        [
            (
                "db_conn:init/1".to_owned(),
                "src/db_conn.erl".to_owned(),
                14
            ),
            (
                "db_conn:connect/1".to_owned(),
                "src/db_conn.erl".to_owned(),
                23
            ),
            ("db_net:open/2".to_owned(), "src/db_net.erl".to_owned(), 6),
        ]
    );
    assert!(f
        .message
        .ends_with("db_conn:init/1 -> db_conn:connect/1 -> db_net:open/2 -> gen_tcp:connect/4"));
    assert!(f.fix.as_deref().unwrap().contains("{continue, connect}"));
}

/// Each behaviour gets the fix that fits it.
#[test]
fn fixes_fit_the_behaviour() {
    let report = run(&fixtures().join("blocking-init/behaviours"));
    let fix_of = |file: &str| {
        report
            .findings
            .iter()
            .find(|f| f.file.ends_with(file))
            .and_then(|f| f.fix.clone())
            .unwrap()
    };
    assert!(fix_of("tls_session.erl").contains("[{next_event, internal, connect}]"));
    assert!(fix_of("legacy_fsm.erl").contains("self() ! connect"));
    assert!(fix_of("feed_poller.erl").contains("{continue, connect}"));
    assert!(fix_of("cluster_sup.erl").contains("child specs"));
    let report = run(&fixtures().join("blocking-init/proc_lib"));
    assert!(report.findings[0]
        .fix
        .as_deref()
        .unwrap()
        .contains("proc_lib:init_ack/1"));
}

fn erlc() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("erlc"))
        .find(|p| p.is_file())
}

#[test]
fn fixtures_compile_with_erlc() {
    let Some(erlc) = erlc() else {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("erlc not found and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: erlc not found (set OTPMAP_REQUIRE_ERL=1 to require it)");
        return;
    };
    let exceptions = std::fs::read_to_string(fixtures().join("COMPILE_EXCEPTIONS")).unwrap();
    let exceptions: Vec<&str> = exceptions
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let files = common::files_with_extension(&case, "erl");
        for f in files {
            let rel = f
                .strip_prefix(fixtures())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let result = std::process::Command::new(&erlc)
                .arg("-o")
                .arg(out.path())
                .arg(&f)
                .output()
                .unwrap();
            let compiled = result.status.success();
            let exception = exceptions.contains(&rel.as_str());
            if compiled == exception {
                failures.push(format!(
                    "{rel}: {} ({})",
                    if compiled {
                        "compiles but is listed in COMPILE_EXCEPTIONS"
                    } else {
                        "does not compile"
                    },
                    String::from_utf8_lossy(&result.stdout)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A child-spec error on a branch is reported with the branch's condition.
#[test]
fn child_spec_findings_note_their_condition() {
    for (case, file) in [
        ("invalid-child-spec/conditional", "src/feed_sup.erl"),
        ("duplicate-child-id/basic", "src/pool_conditional_sup.erl"),
    ] {
        let report = run(&fixtures().join(case));
        let f = report
            .findings
            .iter()
            .find(|f| f.file == file)
            .unwrap_or_else(|| panic!("{case}: no finding in {file}"));
        assert!(
            f.notes
                .iter()
                .any(|n| n
                    == "this child exists only when TEST defined; it is not in the default build"),
            "{case}: {:?}",
            f.notes
        );
    }
    let report = run(&fixtures().join("invalid-child-spec/flags"));
    assert!(report.findings.iter().all(|f| f.notes.iter().any(
        |n| n.starts_with("these flags are returned only when the argument of flag_sup:init/1 is ")
    )));
}

/// The samples are valid supervision trees (the bootable ones boot): the
/// child-spec rules, and `start-order`, find nothing in them.
#[test]
fn child_spec_rules_find_nothing_in_the_samples() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let rules = [
        "duplicate-child-id",
        "simple-one-for-one-spec-count",
        "invalid-child-spec",
        "supervisor-shutdown",
        "child-type-mismatch",
        "start-order",
    ];
    let mut linted = 0;
    for entry in std::fs::read_dir(&samples).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        linted += 1;
        let project = load(&dir, &LoadOptions::default()).unwrap();
        let options = LintOptions {
            select: rules.iter().map(|r| (*r).to_owned()).collect(),
            ..Default::default()
        };
        let report = lint::run(&project, &options).unwrap();
        assert!(
            report.findings.is_empty(),
            "{}: {:?}",
            dir.display(),
            report
                .findings
                .iter()
                .map(|f| format!("{}:{} {}", f.file, f.line, f.message))
                .collect::<Vec<_>>()
        );
    }
    assert!(linted >= 10, "only {linted} samples linted");
}

/// One finding per pair of applications, counting every module's uses;
/// when the other application depends on this one, the fix moves the
/// call and never adds the dependency (a cycle).
#[test]
fn missing_app_dependency_is_one_finding_per_pair_and_never_a_cycle() {
    let report = run(&fixtures().join("missing-app-dependency/cycle"));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(
        f.notes,
        ["2 more uses of `core` by `ui`, in this module and 1 other (ui_page)"]
    );
    let fix = f.fix.as_deref().unwrap_or("");
    assert!(fix.starts_with("move this code into `core`"), "{fix}");
    assert!(!fix.starts_with("add"), "{fix}");
    assert_eq!(f.subject.as_deref(), Some("ui -> core"));
}

/// `-ifdef(TEST)` code is linted only when the build defines TEST.
#[test]
fn ifdef_test_code_is_linted_only_with_define_test() {
    let case = fixtures().join("blocking-init/ifdef_test");
    let project = load(&case, &LoadOptions::default()).unwrap();
    let lint = |defines: &[&str]| {
        let options = LintOptions {
            defines: defines.iter().map(|d| (*d).to_owned()).collect(),
            ..Default::default()
        };
        let mut found: Vec<String> = lint::run(&project, &options)
            .unwrap()
            .findings
            .iter()
            .map(|f| format!("{}:{}", f.file, f.line))
            .collect();
        found.sort();
        found
    };
    // A macro defined in both branches expands to the default build's
    // definition: macro_notify casts, macro_branches connects.
    assert_eq!(
        lint(&[]),
        ["src/macro_branches.erl:19", "src/test_seam.erl:9"]
    );
    // With TEST, test_seam's connect is the most serious of its init/1
    // (the sleep becomes a note of it); the macros' test definitions call
    // `event_log` instead.
    assert_eq!(
        lint(&["TEST"]),
        [
            "src/macro_branches.erl:18",
            "src/macro_notify.erl:15",
            "src/test_only_server.erl:10",
            "src/test_seam.erl:15"
        ]
    );
}

/// `--show-safe` lists the calls from init/1 that the start order makes
/// safe, as infos with the reason; without it they are not reported.
#[test]
fn show_safe_lists_calls_the_start_order_makes_safe() {
    let safe = |case: &str, show_safe: bool| -> Vec<String> {
        let project = load(&fixtures().join(case), &LoadOptions::default()).unwrap();
        let options = LintOptions {
            show_safe,
            ..Default::default()
        };
        lint::run(&project, &options)
            .unwrap()
            .findings
            .iter()
            .filter(|f| f.message.contains("is safe by OTP's start order"))
            .map(|f| {
                format!(
                    "{} {}:{} {}",
                    f.severity.as_str(),
                    f.file,
                    f.line,
                    f.message
                )
            })
            .collect()
    };
    assert_eq!(
        safe("start-order/same_tree", true),
        [
            "info src/prices.erl:10 `gen_server:call/2` to `prices` in init/1 of gen_server \
          `cache` is safe by OTP's start order: `prices` is started before it in the tree of \
          app `shop`, as child `prices` of `shop_sup` at src/shop_sup.erl:11"
        ]
    );
    assert_eq!(
        safe("start-order/release", true),
        [
            "info apps/store/src/store_db.erl:12 `gen_server:call/2` to `store_db` in init/1 of \
          gen_server `billing_worker` is safe by OTP's start order: `store_db` is started by \
          app `store` (as child `store_db` of `store_sup` at apps/store/src/store_sup.erl:10), \
          which app `billing` needs (`applications`), so OTP starts it first"
        ]
    );
    // A child only one configuration starts (a `case` on an environment
    // key) still starts after its older siblings whenever it starts.
    assert_eq!(
        safe("start-order/configured_child", true),
        [
            "info src/stock.erl:10 `gen_server:call/2` to `stock` in init/1 of gen_server \
          `indexer` is safe by OTP's start order: `stock` is started before it in the tree of \
          app `depot`, as child `stock` of `depot_sup` at src/depot_sup.erl:15"
        ]
    );
    assert!(safe("start-order/same_tree", false).is_empty());
    assert!(safe("start-order/release", false).is_empty());
    assert!(safe("start-order/configured_child", false).is_empty());
}
