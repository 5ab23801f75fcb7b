//! Puts the git revision in `otpmap --version` when built from a checkout,
//! so a bug report says which code it came from. A build from a package (no
//! git, or not a checkout) shows the version alone.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Watched only when it exists: cargo reruns a build script whose watched
/// file is missing on every build, and that would rebuild the crate each time.
fn watch(path: &std::path::Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // Only this crate's own checkout counts: a package unpacked inside
    // some other repository must not take that repository's revision.
    let toplevel = git(&["-C", &manifest, "rev-parse", "--show-toplevel"]);
    let own = toplevel
        .is_some_and(|t| std::fs::canonicalize(t).ok() == std::fs::canonicalize(&manifest).ok());
    let revision = if own {
        git(&["-C", &manifest, "rev-parse", "--short=10", "HEAD"])
    } else {
        None
    };
    match revision {
        Some(rev) => {
            println!("cargo:rustc-env=OTPMAP_VERSION={version} (git {rev})");
            // Rebuilt when HEAD moves: a commit, a checkout.
            if let Some(dir) = git(&["-C", &manifest, "rev-parse", "--git-dir"]) {
                let dir = std::path::Path::new(&manifest).join(dir);
                watch(&dir.join("HEAD"));
                if let Some(head) = git(&["-C", &manifest, "symbolic-ref", "-q", "HEAD"]) {
                    if let Some(common) = git(&["-C", &manifest, "rev-parse", "--git-common-dir"]) {
                        let common = std::path::Path::new(&manifest).join(common);
                        watch(&common.join(&head));
                        watch(&common.join("packed-refs"));
                    }
                }
            }
        }
        None => println!("cargo:rustc-env=OTPMAP_VERSION={version}"),
    }
    println!("cargo:rerun-if-changed=build.rs");
}
