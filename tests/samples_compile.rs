//! The sample corpus under `samples/` must stay valid Erlang.
//!
//! * `every_sample_module_compiles`: every `.erl` under `samples/` compiles
//!   with `erlc`, except the files listed in `samples/COMPILE_EXCEPTIONS`,
//!   which must still fail (so the manifest cannot go stale).
//! * `config_files_consult`: every `.app.src`, `.app`, `.rel` and `*.config`
//!   file reads with `file:consult/1` (one `escript` run), except the listed
//!   ones, which must still fail.
//!
//! Without `erlc`/`escript` both tests print "skipped: erlc not found" and
//! pass, unless `OTPMAP_REQUIRE_ERL=1`.

mod common;
use common::{boot_oracle, erlang_available, samples_dir};

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// `samples/`-relative path with `/` separators.
fn rel(path: &Path) -> String {
    let r = path.strip_prefix(samples_dir()).unwrap_or(path);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Paths listed in `samples/COMPILE_EXCEPTIONS` (`#` starts a comment).
fn exceptions() -> BTreeSet<String> {
    let text = fs::read_to_string(samples_dir().join("COMPILE_EXCEPTIONS"))
        .expect("samples/COMPILE_EXCEPTIONS");
    let set: BTreeSet<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    for path in &set {
        assert!(
            samples_dir().join(path).is_file(),
            "COMPILE_EXCEPTIONS lists {path}, which does not exist"
        );
    }
    set
}

/// All files under `dir` (sorted), skipping build output and dot dirs.
/// Symbolic links are not followed: `hostile/` holds a link loop.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_symlink() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !(name.starts_with('.') || name == "_build" || name == "deps") {
                walk(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    all_files_under(&samples_dir())
}

/// The top-level sample a path belongs to, e.g. `umbrella`.
fn sample_of(path: &Path) -> String {
    rel(path).split('/').next().unwrap().to_owned()
}

/// The `PROJECT` of an erlang.mk Makefile.
fn erlang_mk_project(makefile: &Path) -> Option<String> {
    let text = fs::read_to_string(makefile).ok()?;
    if !text.lines().any(|l| l.trim() == "include erlang.mk") {
        return None;
    }
    text.lines().find_map(|l| {
        let (var, value) = l.split_once('=')?;
        (var.trim_end_matches([':', '?']).trim() == "PROJECT").then(|| value.trim().to_owned())
    })
}

/// The `app: :name` of a Mix project file (an umbrella root has none).
fn mix_app(mix_exs: &Path) -> Option<String> {
    let text = std::fs::read_to_string(mix_exs).ok()?;
    let at = text.find("app: :")? + "app: :".len();
    let name: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Applications of a sample: (name, app dir), found through
/// `src/<app>.app.src`, `ebin/<app>.app`, an erlang.mk Makefile or a
/// `mix.exs`.
fn apps_in(sample: &Path) -> Vec<(String, PathBuf)> {
    let mut apps = Vec::new();
    for file in all_files_under(sample) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let parent = file.parent().unwrap();
        let parent_name = parent.file_name().unwrap().to_string_lossy();
        let app = if parent_name == "src" && name.ends_with(".app.src") {
            Some(name.trim_end_matches(".app.src").to_owned())
        } else if parent_name == "ebin" && name.ends_with(".app") {
            Some(name.trim_end_matches(".app").to_owned())
        } else if name == "Makefile" {
            erlang_mk_project(&file)
        } else if name == "mix.exs" {
            mix_app(&file)
        } else {
            None
        };
        if let Some(app) = app {
            let dir = if name == "Makefile" || name == "mix.exs" {
                parent.to_path_buf()
            } else {
                parent.parent().unwrap().to_path_buf()
            };
            apps.push((app, dir));
        }
    }
    apps
}

fn all_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
}

/// The application directory of a source file: the parent of the nearest
/// enclosing `src`/`test` directory, else the file's own directory.
fn app_dir_of(file: &Path) -> PathBuf {
    let sample_root = samples_dir().join(sample_of(file));
    let mut dir = file.parent().unwrap();
    while dir.starts_with(&sample_root) {
        let name = dir.file_name().unwrap().to_string_lossy();
        if name == "src" || name == "test" {
            return dir.parent().unwrap().to_path_buf();
        }
        dir = dir.parent().unwrap();
    }
    file.parent().unwrap().to_path_buf()
}

/// A per-sample `ERL_LIBS` directory: `<lib>/<app>/ebin` (empty) and
/// `<lib>/<app>/include` linked to the app's include dir, so that
/// `-include_lib("<app>/include/x.hrl")` resolves via `code:lib_dir/1`.
fn make_erl_libs(sample: &Path, lib: &Path) {
    for (app, dir) in apps_in(sample) {
        let app_lib = lib.join(&app);
        fs::create_dir_all(app_lib.join("ebin")).unwrap();
        let include = dir.join("include");
        if include.is_dir() && !app_lib.join("include").exists() {
            link_dir(&include, &app_lib.join("include"));
        }
    }
}

#[cfg(unix)]
fn link_dir(src: &Path, dst: &Path) {
    std::os::unix::fs::symlink(src, dst).unwrap();
}

#[cfg(not(unix))]
fn link_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
    }
}

struct Outcome {
    file: PathBuf,
    ok: bool,
    output: String,
}

fn compile(file: &Path, erl_libs: &Path, outdir: &Path) -> Outcome {
    let app_dir = app_dir_of(file);
    let output = Command::new("erlc")
        .env("ERL_LIBS", erl_libs)
        .arg("-o")
        .arg(outdir)
        .arg("-I")
        .arg(app_dir.join("include"))
        .arg("-I")
        .arg(app_dir.join("src"))
        .arg("-I")
        .arg(file.parent().unwrap())
        .arg(file)
        .output()
        .expect("run erlc");
    Outcome {
        file: file.to_path_buf(),
        ok: output.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

#[test]
fn every_sample_module_compiles() {
    if !erlang_available() {
        return;
    }
    let exceptions = exceptions();
    let tmp = tempfile::tempdir().unwrap();

    // One ERL_LIBS and one output directory per sample.
    let mut jobs: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new();
    let mut prepared = BTreeMap::new();
    for file in all_files() {
        if file.extension().and_then(|e| e.to_str()) != Some("erl") {
            continue;
        }
        let sample = sample_of(&file);
        let (lib, out) = prepared
            .entry(sample.clone())
            .or_insert_with(|| {
                let lib = tmp.path().join("lib").join(&sample);
                let out = tmp.path().join("out").join(&sample);
                fs::create_dir_all(&lib).unwrap();
                fs::create_dir_all(&out).unwrap();
                make_erl_libs(&samples_dir().join(&sample), &lib);
                (lib, out)
            })
            .clone();
        jobs.push((file, lib, out));
    }
    assert!(
        jobs.len() > 50,
        "expected the sample corpus, found {} files",
        jobs.len()
    );

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let queue = Mutex::new(jobs.iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let job = queue.lock().unwrap().next();
                let Some((file, lib, out)) = job else { break };
                let outcome = compile(file, lib, out);
                results.lock().unwrap().push(outcome);
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.file.cmp(&b.file));

    let mut failures = Vec::new();
    for r in &results {
        let path = rel(&r.file);
        match (exceptions.contains(&path), r.ok) {
            (false, false) => failures.push(format!("{path} does not compile:\n{}", r.output)),
            (true, true) => failures.push(format!(
                "{path} is listed in COMPILE_EXCEPTIONS but compiles; remove it from the list"
            )),
            (false, true) if !r.output.trim().is_empty() => {
                eprintln!("warning(s) in {path}:\n{}", r.output)
            }
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} sample file(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn is_config_file(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.ends_with(".app.src")
        || name.ends_with(".app")
        || name.ends_with(".rel")
        || name.ends_with(".config")
}

#[test]
fn config_files_consult() {
    if !erlang_available() {
        return;
    }
    let exceptions = exceptions();
    let (broken, good): (Vec<PathBuf>, Vec<PathBuf>) = all_files()
        .into_iter()
        .filter(|p| is_config_file(p))
        .partition(|p| exceptions.contains(&rel(p)));
    assert!(
        good.len() > 20,
        "expected the sample configs, found {}",
        good.len()
    );

    let output = Command::new("escript")
        .arg(boot_oracle())
        .arg("consult")
        .args(&good)
        .arg("--broken")
        .args(&broken)
        .output()
        .expect("run escript");
    assert!(
        output.status.success(),
        "file:consult/1 check failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
