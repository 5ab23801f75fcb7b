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
