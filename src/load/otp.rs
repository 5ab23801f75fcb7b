//! Reading an OTP installation: the `.app` file of each application in
//! its lib dir, and where that lib dir is (`--otp-root`, the `erl` on
//! `PATH`). The loading stage does this file reading so that the
//! application graph gets an [`OtpLibrary`] already read.

use crate::config::{app_resource, read_terms};
use crate::model::{OtpApp, OtpLibrary};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Reads every `<lib_dir>/<app>-<vsn>/ebin/<app>.app`. When an app is
/// there in several versions (after an upgrade), the highest wins.
/// Unreadable `.app` files are skipped: they are OTP's, not the
/// project's, and the name list still classifies them.
pub(crate) fn read_otp_library(lib_dir: &Path) -> std::io::Result<OtpLibrary> {
    let mut best: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for entry in std::fs::read_dir(lib_dir)? {
        let Ok(entry) = entry else { continue };
        let dir_name = entry.file_name().to_string_lossy().into_owned();
        let (name, vsn) = match dir_name.split_once('-') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => (dir_name.clone(), String::new()),
        };
        let app_file = entry.path().join("ebin").join(format!("{name}.app"));
        if !app_file.is_file() {
            continue;
        }
        let newer = best
            .get(&name)
            .is_none_or(|(v, _)| compare_versions(&vsn, v).is_gt());
        if newer {
            best.insert(name, (vsn, app_file));
        }
    }
    let mut apps = BTreeMap::new();
    for (name, (_, file)) in best {
        let shown = file.to_string_lossy().into_owned();
        let (terms, _) = read_terms(&file, &shown);
        let (res, _) = app_resource::from_terms(&terms, &shown, &name);
        let Some(res) = res else { continue };
        let names = |refs: &[crate::model::AppRef]| -> Vec<String> {
            refs.iter().map(|r| r.name.clone()).collect()
        };
        apps.insert(
            name.clone(),
            OtpApp {
                name,
                vsn: res.vsn.clone(),
                regular: res.mod_.is_some(),
                applications: names(&res.applications),
                included_applications: names(&res.included_applications),
                optional_applications: names(&res.optional_applications),
            },
        );
    }
    Ok(OtpLibrary::new(lib_dir.to_path_buf(), apps))
}

/// Orders versions like `8.5.3` < `8.5.10` < `10.0`: numeric parts as
/// numbers, anything else as text.
fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split(['.', '-'])
            .map(|p| (p.parse::<u64>().unwrap_or(0), p.to_owned()))
            .collect()
    };
    parts(a).cmp(&parts(b))
}

/// Turns `--otp-root DIR` into the lib directory to read: DIR itself when it
/// holds `kernel-*`, else `DIR/lib` (so an OTP root such as
/// `/usr/lib/erlang` works as well as its `lib`).
pub(crate) fn lib_dir_of(dir: &Path) -> Option<PathBuf> {
    let has_kernel = |d: &Path| {
        std::fs::read_dir(d).is_ok_and(|rd| {
            rd.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("kernel-"))
        })
    };
    if has_kernel(dir) {
        Some(dir.to_path_buf())
    } else if has_kernel(&dir.join("lib")) {
        Some(dir.join("lib"))
    } else {
        None
    }
}

/// The lib directory of the first `erl` on `PATH`, found without starting
/// a node: `erl` is `<root>/bin/erl` (often through a symbolic link such as
/// `/usr/bin/erl`), or a script whose `ROOTDIR=` line names the root. Only
/// when both fail is `erl` run once to ask `code:root_dir()`.
pub(crate) fn lib_dir_from_path() -> Option<PathBuf> {
    let erl = find_on_path("erl")?;
    if let Ok(real) = std::fs::canonicalize(&erl) {
        if let Some(root) = real.parent().and_then(Path::parent) {
            if let Some(lib) = lib_dir_of(root) {
                return Some(lib);
            }
        }
    }
    if let Ok(script) = std::fs::read(&erl) {
        // Only the shell script is worth reading; a binary erl has no ROOTDIR.
        if script.len() < 64 * 1024 {
            let text = String::from_utf8_lossy(&script);
            for line in text.lines() {
                if let Some(root) = line.trim().strip_prefix("ROOTDIR=") {
                    let root = root.trim_matches('"');
                    if let Some(lib) = lib_dir_of(Path::new(root)) {
                        return Some(lib);
                    }
                }
            }
        }
    }
    let out = std::process::Command::new(&erl)
        .args([
            "-noshell",
            "-noinput",
            "-eval",
            "io:put_chars(code:lib_dir()), halt().",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let lib = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    lib_dir_of(&lib)
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("8.5.10", "8.5.3"), Greater);
        assert_eq!(compare_versions("10.0", "9.9.9"), Greater);
        assert_eq!(compare_versions("1.0", "1.0"), Equal);
    }
}
