//! Boots every application listed in `samples/BOOTABLE` on a real Erlang
//! node and checks that its live supervision tree still equals the
//! committed `samples/<dir>/expected_tree.<app>.json`. These files are the
//! oracle for otpmap's static `tree` command, so samples and expectations
//! must never drift apart.
//!
//! The work is done by `tests/oracle/boot_tree.escript` (one node per
//! application): it compiles the sample's apps into a temp dir, starts the
//! app with `application:ensure_all_started/1` and walks the tree with
//! `supervisor:which_children/1`, `supervisor:get_childspec/2` and the
//! supervisor state for the sup flags. See the escript's header for the
//! details of reading an OTP 25 supervisor.
//!
//! `OTPMAP_BLESS=1` rewrites the expected files from the live boot.
//! Without `erlc`/`escript` the test prints "skipped: erlc not found" and
//! passes, unless `OTPMAP_REQUIRE_ERL=1`.

mod common;
use common::{boot_oracle, erlang_available, samples_dir};

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use serde_json::Value;

#[derive(Debug, Clone)]
struct Bootable {
    dir: String,
    app: String,
    without: Option<String>,
}

impl Bootable {
    fn expected_file(&self) -> PathBuf {
        samples_dir()
            .join(&self.dir)
            .join(format!("expected_tree.{}.json", self.app))
    }
}

/// `samples/BOOTABLE`: `<sample dir> <app> [without=a,b]` per line.
fn bootables() -> Vec<Bootable> {
    let text = fs::read_to_string(samples_dir().join("BOOTABLE")).expect("samples/BOOTABLE");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let (dir, app, rest) = match words.as_slice() {
                [dir, app, rest @ ..] => (*dir, *app, rest),
                _ => panic!("BOOTABLE: bad line {l:?}"),
            };
            let without = match rest {
                [] => None,
                [w] if w.starts_with("without=") => Some((*w).to_owned()),
                _ => panic!("BOOTABLE: bad line {l:?}"),
            };
            assert!(
                samples_dir().join(dir).is_dir(),
                "BOOTABLE: no sample {dir}"
            );
            Bootable {
                dir: dir.to_owned(),
                app: app.to_owned(),
                without,
            }
        })
        .collect()
}

/// Boot one application; its tree as JSON text, or the error output.
fn boot(b: &Bootable) -> Result<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tree.json");
    let mut cmd = Command::new("escript");
    cmd.arg(boot_oracle())
        .arg("tree")
        .arg(samples_dir().join(&b.dir))
        .arg(&b.app)
        .arg(tmp.path().join("work"))
        .arg(&out);
    if let Some(w) = &b.without {
        cmd.arg(w);
    }
    let output = cmd.output().expect("run escript");
    if !output.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    fs::read_to_string(&out).map_err(|e| format!("no output from oracle: {e}"))
}

#[test]
fn bootable_samples_match_expected_trees() {
    if !erlang_available() {
        return;
    }
    let bless = std::env::var("OTPMAP_BLESS").as_deref() == Ok("1");
    let entries = bootables();
    assert!(!entries.is_empty(), "samples/BOOTABLE is empty");

    // Every committed expected_tree.*.json belongs to a BOOTABLE line.
    let wanted: Vec<PathBuf> = entries.iter().map(Bootable::expected_file).collect();
    for entry in fs::read_dir(samples_dir()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("expected_tree.") && name.ends_with(".json") {
                assert!(
                    wanted.contains(&file),
                    "{} is not listed in samples/BOOTABLE",
                    file.display()
                );
            }
        }
    }

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let queue = Mutex::new(entries.iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let next = queue.lock().unwrap().next();
                let Some(b) = next else { break };
                let r = boot(b);
                results.lock().unwrap().push((b.clone(), r));
            });
        }
    });

    let mut failures = Vec::new();
    for (b, result) in results.into_inner().unwrap() {
        let label = format!("{} {}", b.dir, b.app);
        let text = match result {
            Ok(text) => text,
            Err(err) => {
                failures.push(format!("{label}: boot failed:\n{err}"));
                continue;
            }
        };
        let live: Value = serde_json::from_str(&text).expect("oracle prints JSON");
        assert_eq!(live["app"], Value::String(b.app.clone()), "{label}");
        let path = b.expected_file();
        if bless {
            fs::write(&path, &text).unwrap();
            eprintln!("blessed {}", path.display());
            continue;
        }
        let expected = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(_) => {
                failures.push(format!(
                    "{label}: {} is missing; run with OTPMAP_BLESS=1",
                    path.display()
                ));
                continue;
            }
        };
        let expected: Value =
            serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if expected != live {
            failures.push(format!(
                "{label}: live tree differs from {} (rerun with OTPMAP_BLESS=1 if the \
                 sample changed on purpose)\n--- expected\n{}\n--- live\n{}",
                path.display(),
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&live).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
