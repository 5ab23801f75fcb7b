//! Configuration scripts against Erlang itself: every `.script` under
//! `samples/` and `tests/fixtures/scripts/` is evaluated by otpmap
//! (statically) and by `file:script/2` in a real node (one `escript` run
//! for all of them, `tests/oracle/script.escript`), with the bindings
//! rebar3 gives (`CONFIG`, `SCRIPT`) and the same environment: once with
//! no variable set, once with every variable the script reads through
//! `os:getenv("NAME")` set to `"true"`. The canonical forms of the values
//! must be equal.
//!
//! A script whose value otpmap cannot settle in full (it runs a command)
//! is listed in [`UNSETTLED`] with the reason; for it the test checks that
//! otpmap says so instead.
//!
//! Without `erl` on the PATH the test says so and passes, unless
//! `OTPMAP_REQUIRE_ERL=1`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use otpmap::config::script::{evaluate, ScriptInput};
use otpmap::config::term::{canonical, consult_bytes};
use otpmap::diagnostic::Severity;

/// Scripts otpmap cannot settle in full, relative to the manifest dir.
const UNSETTLED: &[(&str, &str)] = &[(
    "samples/broken/apps/scripted/src/scripted.app.src.script",
    "its vsn is the output of `git describe` (os:cmd/1): otpmap runs no command",
)];

/// Scripts otpmap settles in part: what it gives must be entries of the
/// value Erlang gives, and it must say what it left out.
const PARTIAL: &[(&str, &str)] = &[(
    "tests/fixtures/scripts/entry_on_a_condition/rebar.config.script",
    "the dialyzer entry depends on code:lib_dir(hipe), which only the node knows",
)];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// One evaluation: the project root, the script relative to it, the
/// variables set.
struct Case {
    root: PathBuf,
    rel: String,
    env: BTreeMap<String, String>,
}

/// The root a script is evaluated from: its sample (`samples/<name>`) or
/// its fixture (`tests/fixtures/scripts/<name>`).
fn scripts() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for base in ["samples", "tests/fixtures/scripts"] {
        let base = manifest_dir().join(base);
        let mut roots: Vec<PathBuf> = std::fs::read_dir(&base)
            .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        roots.sort();
        for root in roots {
            let mut found: Vec<String> = walkdir::WalkDir::new(&root)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".script")
                })
                .map(|e| {
                    e.path()
                        .strip_prefix(&root)
                        .expect("under root")
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
            found.sort();
            out.extend(found.into_iter().map(|rel| (root.clone(), rel)));
        }
    }
    out
}

/// The names a script reads with `os:getenv("NAME")`.
fn env_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in text.split("os:getenv(\"").skip(1) {
        if let Some(end) = part.find('"') {
            names.push(part[..end].to_owned());
        }
    }
    names.sort();
    names.dedup();
    names
}

/// otpmap's value in the escript's output format, and whether it reported
/// a part it could not settle.
fn otpmap_result(case: &Case) -> (String, bool) {
    let path = case.root.join(&case.rel);
    let text = std::fs::read_to_string(&path).expect("read script");
    let sibling = case.rel.trim_end_matches(".script");
    let config = std::fs::read(case.root.join(sibling))
        .ok()
        .and_then(|b| consult_bytes(&b).ok());
    let input = ScriptInput {
        root: &case.root,
        rel: &case.rel,
        config: config.as_deref().unwrap_or(&[]),
        config_file: config.is_some().then_some(sibling),
        env: &case.env,
        max_bytes: 8 << 20,
    };
    let (terms, diags) = evaluate(&text, &input);
    let unsettled = diags
        .iter()
        .any(|d| matches!(d.severity, Severity::Warning | Severity::Error));
    let line = match terms {
        Some(terms) => {
            let mut line = String::from("OK");
            for (_, t) in &terms {
                line.push(' ');
                line.push_str(&canonical(t));
            }
            line
        }
        None => format!(
            "NONE {}",
            diags
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    (line, unsettled)
}

fn erlang_results(cases: &[Case]) -> Vec<String> {
    let script = manifest_dir().join("tests/oracle/script.escript");
    let mut child = Command::new("escript")
        .arg(&script)
        // Only the variables of each case: the test's own environment (CI
        // sets some) must not leak into os:getenv/1.
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run escript");
    let mut input = String::new();
    for c in cases {
        let env: Vec<String> = c.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        input.push_str(&format!(
            "{}\t{}\t{}\n",
            c.root.to_str().expect("UTF-8 path"),
            c.rel,
            env.join(";")
        ));
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("escript output");
    writer.join().expect("writer thread").expect("write cases");
    assert!(
        output.status.success(),
        "escript failed: {:?}",
        output.status
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn rel_to_manifest(p: &Path) -> String {
    p.strip_prefix(manifest_dir())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn scripts_agree_with_file_script() {
    if !on_path("erl") || !on_path("escript") {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("erl not found on PATH and OTPMAP_REQUIRE_ERL=1");
        }
        let _ = writeln!(
            std::io::stderr(),
            "script_oracle skipped: erl not found (set OTPMAP_REQUIRE_ERL=1 to fail instead)"
        );
        return;
    }
    let found = scripts();
    // The samples hold at least an .app.src.script with and without a
    // static sibling and a rebar.config.script; the fixtures more forms.
    assert!(found.len() >= 8, "too few scripts found: {}", found.len());
    let mut cases = Vec::new();
    for (root, rel) in &found {
        let text = std::fs::read_to_string(root.join(rel)).expect("read script");
        cases.push(Case {
            root: root.clone(),
            rel: rel.clone(),
            env: BTreeMap::new(),
        });
        let names = env_names(&text);
        if !names.is_empty() {
            cases.push(Case {
                root: root.clone(),
                rel: rel.clone(),
                env: names.into_iter().map(|n| (n, "true".to_owned())).collect(),
            });
        }
    }
    let expected = erlang_results(&cases);
    assert_eq!(expected.len(), cases.len(), "one escript line per case");
    let mut failures = Vec::new();
    for (case, erlang) in cases.iter().zip(&expected) {
        let name = rel_to_manifest(&case.root.join(&case.rel));
        let (ours, unsettled) = otpmap_result(case);
        if let Some((_, why)) = UNSETTLED.iter().find(|(p, _)| *p == name) {
            if !unsettled {
                failures.push(format!(
                    "{name}: listed as unsettled ({why}) but otpmap reported nothing"
                ));
            }
            continue;
        }
        if let Some((_, why)) = PARTIAL.iter().find(|(p, _)| *p == name) {
            let theirs: Vec<&str> = erlang.split(' ').skip(1).collect();
            let missing: Vec<&str> = ours
                .split(' ')
                .skip(1)
                .filter(|t| !theirs.contains(t))
                .collect();
            if !unsettled || !ours.starts_with("OK") || !erlang.starts_with("OK") {
                failures.push(format!(
                    "{name}: settled in part ({why}): otpmap {ours}, erlang {erlang}"
                ));
            } else if !missing.is_empty() || ours.split(' ').skip(1).count() >= theirs.len() {
                failures.push(format!(
                    "{name}: otpmap's entries {missing:?} are not Erlang's, or none was left \
                     out\n  erlang: {erlang}\n  otpmap: {ours}"
                ));
            }
            continue;
        }
        if unsettled {
            failures.push(format!(
                "{name} {:?}: otpmap left a part unsettled: {ours}",
                case.env
            ));
        }
        if erlang.starts_with("ERR") {
            failures.push(format!(
                "{name} {:?}: Erlang refuses it: {erlang}",
                case.env
            ));
            continue;
        }
        if &ours != erlang {
            failures.push(format!(
                "{name} {:?}\n  erlang: {erlang}\n  otpmap: {ours}",
                case.env
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
