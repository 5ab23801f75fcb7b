//! The binary starts itself again once with glibc's `glibc.malloc.hugetlb`
//! tunable set (src/main.rs): the new image sees the tunable, keeps any
//! other tunable, is left alone when the tunable is already set, and
//! prints what it printed before.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::Path;
use std::process::Command;

/// Runs `otpmap deps samples/umbrella --format svg` with a `dot` of our
/// own first on PATH: it writes the `GLIBC_TUNABLES` it was given (the
/// environment of the running image, which it inherits) and fails, so
/// the built-in layout draws. Returns the tunables `dot` saw (None when
/// unset), the exit code and stdout.
fn run(tunables: Option<&str>) -> (Option<String>, i32, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let dot = dir.path().join("dot");
    std::fs::write(
        &dot,
        format!(
            "#!/bin/sh\n[ -n \"${{GLIBC_TUNABLES+set}}\" ] && printf '%s' \"$GLIBC_TUNABLES\" > '{}'\nexit 1\n",
            seen.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dot, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_otpmap"));
    cmd.args(["deps", "samples/umbrella", "--format", "svg"])
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .env_remove("GLIBC_TUNABLES");
    if let Some(t) = tunables {
        cmd.env("GLIBC_TUNABLES", t);
    }
    let out = cmd.output().expect("run otpmap");
    let seen = std::fs::read_to_string(&seen).ok();
    (seen, out.status.code().unwrap_or(-1), out.stdout)
}

#[test]
fn starts_again_with_huge_pages_only_when_asked_for_nothing() {
    let madvise = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .is_ok_and(|m| m.contains("[madvise]"));
    let (plain, code, out) = run(None);
    assert_eq!(code, 0);
    assert!(String::from_utf8_lossy(&out).contains("<svg"));
    let (kept, code_kept, out_kept) = run(Some("glibc.malloc.check=0"));
    if madvise {
        assert_eq!(plain.as_deref(), Some("glibc.malloc.hugetlb=1"));
        assert_eq!(
            kept.as_deref(),
            Some("glibc.malloc.check=0:glibc.malloc.hugetlb=1")
        );
    } else {
        // `always` or `never`: nothing to ask glibc for.
        eprintln!("transparent huge pages are not in `madvise` mode here: no start again");
        assert_eq!(plain, None);
        assert_eq!(kept.as_deref(), Some("glibc.malloc.check=0"));
    }
    // Set already, whatever the value: left alone (the way to turn it off).
    let (off, code_off, out_off) = run(Some("glibc.malloc.hugetlb=0"));
    assert_eq!(off.as_deref(), Some("glibc.malloc.hugetlb=0"));
    // The same output and exit code, however it started.
    assert_eq!((code_kept, &out_kept), (code, &out));
    assert_eq!((code_off, &out_off), (code, &out));
    assert!(Path::new("samples/umbrella").is_dir());
}
