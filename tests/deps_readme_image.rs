//! The diagram in the README is `docs/images/deps-umbrella.svg`, drawn by
//! otpmap itself with the built-in layout (the same bytes on every
//! machine). This test fails when the committed file is stale;
//! `OTPMAP_BLESS=1 cargo test --test deps_readme_image` rewrites it.

use std::path::Path;
use std::process::Command;

/// The command the README shows, run from the repository root.
const ARGS: &[&str] = &[
    "deps",
    "samples/umbrella",
    "--no-otp-root",
    "--format",
    "svg",
    "--renderer",
    "builtin",
    "--quiet",
];

#[test]
fn readme_diagram_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .current_dir(root)
        .args(ARGS)
        .output()
        .expect("run otpmap");
    assert_eq!(out.status.code(), Some(0));
    let file = root.join("docs/images/deps-umbrella.svg");
    if std::env::var("OTPMAP_BLESS").as_deref() == Ok("1") {
        std::fs::write(&file, &out.stdout).expect("write the diagram");
        return;
    }
    let committed = std::fs::read(&file).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "docs/images/deps-umbrella.svg is stale: run \
         `OTPMAP_BLESS=1 cargo test --test deps_readme_image` and commit it"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("docs/images/deps-umbrella.svg") && readme.contains(&ARGS[1..].join(" ")),
        "the README must show the diagram and the command that draws it"
    );
}
