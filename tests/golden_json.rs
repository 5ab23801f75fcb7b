//! The JSON of every command on every sample, against insta snapshots
//! (`tests/snapshots/golden_json__<command>_<sample>.snap`) first committed
//! before the speed work began (issue 6): an optimisation that changes a
//! result fails here. After a deliberate change to a result, run
//! `cargo insta test --review` (or `INSTA_UPDATE=always cargo test --test
//! golden_json`) and read every changed line.

use std::process::Command;

const COMMANDS: &[&str] = &["scan", "deps", "tree", "lint"];

fn samples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("samples")
        .expect("samples/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn run(command: &str, sample: &str) -> String {
    let mut args = vec![command.to_owned(), format!("samples/{sample}")];
    args.extend(["--format".into(), "json".into()]);
    if command == "lint" {
        args.push("--exit-zero".into());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(&args)
        .env("NO_COLOR", "1")
        // OTP apps as leaves: results must not depend on the machine.
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    // Exit codes are checked by each command's own tests; here only the
    // document matters, and a crash leaves it empty, which fails below.
    String::from_utf8(out.stdout).expect("JSON is UTF-8")
}

#[test]
fn json_of_every_sample_is_unchanged() {
    let samples = samples();
    assert!(!samples.is_empty(), "samples/ holds no sample");
    for sample in samples {
        for command in COMMANDS {
            let actual = run(command, &sample);
            assert!(!actual.is_empty(), "{command} {sample}: no output");
            insta::assert_snapshot!(format!("{command}_{sample}"), actual);
        }
    }
}
