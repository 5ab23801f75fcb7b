//! What the Erlang-oracle tests share: where the samples are and whether
//! the real Erlang tools can run here.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `text` to `rel` under `root`, making its folders.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `samples/` of this checkout.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The escript that boots a sample and prints its live supervision trees.
pub fn boot_oracle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/boot_tree.escript")
}

/// True when `erlc` and `escript` run. Otherwise the caller skips, with a
/// printed notice so a green run without Erlang is visibly partial, and
/// fails under `OTPMAP_REQUIRE_ERL=1` (as `.ci/run` sets it).
pub fn erlang_available() -> bool {
    let found = ["erlc", "escript"]
        .iter()
        .all(|tool| Command::new(tool).arg("-version").output().is_ok());
    if !found {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("erlc not found and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: erlc not found");
    }
    found
}

/// Chromium (Debian's `chromium`, or Google Chrome), when it runs.
/// Otherwise the caller skips with a printed notice, and fails under
/// `OTPMAP_REQUIRE_BROWSER=1` (as `.ci/run` sets it).
pub fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let runs = Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if runs {
            return Some(PathBuf::from(name));
        }
    }
    if std::env::var("OTPMAP_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("chromium not found and OTPMAP_REQUIRE_BROWSER=1 (apt-get install chromium)");
    }
    eprintln!("skipped: chromium not found");
    None
}

/// Runs headless `browser` on `url` with `args`, in a profile of its own
/// (tests run in parallel), killed after two minutes. Returns stdout.
pub fn headless(browser: &Path, url: &str, args: &[&str]) -> String {
    use std::io::Read;
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .env("HOME", profile.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = out.read_to_end(&mut text);
        text
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium ran for more than 120 s on {url}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    String::from_utf8_lossy(&reader.join().expect("reader")).into_owned()
}

/// Every file under `dir` whose extension is `ext`, depth first, in path
/// order (so tests read them in the same order on every machine).
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, ext, &mut out);
    out
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}
