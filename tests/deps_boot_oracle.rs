//! The boot order otpmap computes equals the one in the boot script that
//! `systools:make_script/2` writes.
//!
//! * `samples_match_systools`: every release of every sample whose apps are
//!   all in the sample or in OTP. `tests/oracle/deps_boot_order.escript`
//!   builds the `.rel` (as relx does for rebar.config releases; as written
//!   for `.rel` files) and prints the start and load order of the script.
//!   A release systools refuses (a cycle) must have no boot order in otpmap.
//! * `generated_releases_match_systools`: the same on generated projects
//!   (random dependency graphs, included apps, start types, `.rel` orders
//!   and relx goals), to pin down the stable sort's tie-breaks.
//! * `samples_match_rebar3_release`: when `rebar3` is installed, the start
//!   order of the script that `rebar3 release` itself writes, for the
//!   samples that need nothing from hex.
//!
//! otpmap reads OTP's `.app` files from the same installation
//! (`--otp-root`). Without `erl` the tests print a skip notice and pass,
//! unless `OTPMAP_REQUIRE_ERL=1`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The lib dir of the `erl` on PATH, or `None` (after a skip notice) when
/// Erlang is not installed.
fn otp_lib() -> Option<PathBuf> {
    let out = Command::new("erl")
        .args([
            "-noshell",
            "-noinput",
            "-eval",
            "io:put_chars(code:lib_dir()), halt().",
        ])
        .output();
    let found = out.ok().filter(|o| o.status.success()).and_then(|o| {
        let lib = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
        lib.is_dir().then_some(lib)
    });
    let escript = Command::new("escript").arg("-h").output().is_ok();
    match found {
        Some(lib) if escript => Some(lib),
        _ => {
            if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
                panic!("erl/escript not found and OTPMAP_REQUIRE_ERL=1");
            }
            eprintln!("skipped: erl not found");
            None
        }
    }
}

/// What the oracle said about one release.
#[derive(Debug, Clone, PartialEq)]
enum Oracle {
    Ok {
        start: Vec<String>,
        load: Vec<String>,
    },
    Error(String),
    Skip(String),
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Runs the escript on a project directory.
fn oracle(project: &Path) -> BTreeMap<String, Oracle> {
    let work = tempfile::tempdir().unwrap();
    let out = Command::new("escript")
        .arg(manifest().join("tests/oracle/deps_boot_order.escript"))
        .arg(project)
        .arg(work.path())
        .output()
        .expect("run escript");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "oracle failed on {}:\n{stdout}{}",
        project.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let result = match f.as_slice() {
                [_, "ok", start, load] => Oracle::Ok {
                    start: split_list(start),
                    load: split_list(load),
                },
                [_, "ok", start] => Oracle::Ok {
                    start: split_list(start),
                    load: vec![],
                },
                [_, "error", why] => Oracle::Error((*why).to_owned()),
                [_, "skip", why] => Oracle::Skip((*why).to_owned()),
                _ => panic!("bad oracle line {l:?}"),
            };
            (f[0].to_owned(), result)
        })
        .collect()
}

/// otpmap's view of one release: start order, load order, a cycle?,
/// missing or unresolved apps?, apps systools cannot place?
type Planned = (Vec<String>, Vec<String>, bool, bool, bool);

fn otpmap(project: &Path, lib: &Path) -> BTreeMap<String, Planned> {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(["deps", "--format", "json", "--otp-root"])
        .arg(lib)
        .arg(project)
        .output()
        .expect("run otpmap");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |x: &serde_json::Value| -> Vec<String> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    v["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            // The script loads every app but kernel (loaded before the
            // script's load phase) and those of start type none.
            let load = r["boot"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["action"] != "none" && s["app"] != "kernel")
                .map(|s| s["app"].as_str().unwrap().to_owned())
                .collect();
            let incomplete = !r["missing"].as_array().unwrap().is_empty()
                || !r["unresolved"].as_array().unwrap().is_empty();
            (
                r["name"].as_str().unwrap().to_owned(),
                (
                    strings(&r["boot_order"]),
                    load,
                    !r["cycle"].is_null(),
                    incomplete,
                    !r["undefined"].as_array().unwrap().is_empty(),
                ),
            )
        })
        .collect()
}

/// Compares otpmap with the oracle on one project; returns how many
/// releases were compared (ok or error) and how many systools refused.
fn compare(project: &Path, lib: &Path) -> (usize, usize) {
    let expected = oracle(project);
    let actual = otpmap(project, lib);
    let mut compared = 0;
    let refused = expected
        .values()
        .filter(|o| matches!(o, Oracle::Error(_)))
        .count();
    for (name, oracle) in &expected {
        let Some((start, load, cycle, incomplete, undefined)) = actual.get(name) else {
            panic!("{}: otpmap has no release {name}", project.display());
        };
        match oracle {
            Oracle::Ok { start: s, load: l } => {
                assert_eq!(start, s, "{}: start order of {name}", project.display());
                assert_eq!(load, l, "{}: load order of {name}", project.display());
                assert!(!cycle);
                compared += 1;
            }
            Oracle::Error(why) if why.contains("ircular") => {
                assert!(
                    cycle,
                    "{}: systools found a cycle in {name}, otpmap did not",
                    project.display()
                );
                assert!(start.is_empty());
                compared += 1;
            }
            Oracle::Error(why) if why.contains("Undefined applications") => {
                assert!(
                    *undefined,
                    "{}: systools refused {name} ({why}), otpmap did not",
                    project.display()
                );
                assert!(start.is_empty());
                compared += 1;
            }
            Oracle::Error(why) => panic!("{name}: unexpected systools error {why}"),
            Oracle::Skip(why) => {
                assert!(
                    *incomplete,
                    "{}: {name} is not buildable here ({why}) but otpmap reports nothing missing",
                    project.display()
                );
            }
        }
    }
    (compared, refused)
}

#[test]
fn samples_match_systools() {
    let Some(lib) = otp_lib() else { return };
    let mut compared = 0;
    let mut samples: Vec<PathBuf> = fs::read_dir(manifest().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    samples.sort();
    for sample in samples {
        compared += compare(&sample, &lib).0;
    }
    // relay, relay_edge, courier, vault and the accounts cycle at least.
    assert!(compared >= 5, "only {compared} releases compared");
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// One generated app: (name, regular, applications, included, optional).
type GenApp = (String, bool, Vec<String>, Vec<String>, Vec<String>);

/// A random dependency graph: app i needs some apps j < i (in a random
/// order, with kernel and stdlib somewhere), may include one app nobody
/// else includes (which may list its includer back, as OTP allows), and
/// now and then needs an app j > i, making a cycle.
fn gen_apps(rng: &mut Rng, n: usize) -> Vec<GenApp> {
    let names: Vec<String> = (0..n).map(|i| format!("app{i}")).collect();
    let mut included_by: BTreeMap<usize, usize> = BTreeMap::new();
    let mut apps = Vec::new();
    for i in 0..n {
        let mut needs: Vec<String> = vec!["kernel".into(), "stdlib".into()];
        for (j, name) in names.iter().enumerate().take(i) {
            if rng.chance(30) && !included_by.contains_key(&j) {
                needs.push(name.clone());
            }
        }
        if i + 1 < n && rng.chance(4) {
            needs.push(names[i + 1 + rng.below(n - i - 1)].clone());
        }
        rng.shuffle(&mut needs);
        let mut included = vec![];
        if i > 0 && rng.chance(25) {
            let j = rng.below(i);
            if !included_by.contains_key(&j) && !needs.contains(&names[j]) {
                included_by.insert(j, i);
                included.push(names[j].clone());
            }
        }
        let optional = needs
            .iter()
            .filter(|a| a.starts_with("app") && rng.chance(15))
            .cloned()
            .collect();
        apps.push((names[i].clone(), rng.chance(60), needs, included, optional));
    }
    // "X includes Y, Y uses X".
    for (&y, &x) in &included_by {
        if rng.chance(40) {
            let xname = names[x].clone();
            apps[y].2.push(xname);
        }
    }
    apps
}

fn app_term(app: &GenApp, vsn: &str) -> String {
    let (name, regular, needs, included, optional) = app;
    let m = if *regular {
        format!("{{mod, {{{name}_app, []}}}}, ")
    } else {
        String::new()
    };
    format!(
        "{{application, {name}, [{{description, \"generated\"}}, {{vsn, \"{vsn}\"}}, {{registered, []}}, {{modules, []}}, {m}{{applications, [{}]}}, \
         {{included_applications, [{}]}}, {{optional_applications, [{}]}}]}}.\n",
        needs.join(", "),
        included.join(", "),
        optional.join(", ")
    )
}

const TYPES: [&str; 5] = ["permanent", "transient", "temporary", "load", "none"];

/// An installed-release layout: lib/<app>-<vsn>/ebin/<app>.app and a .rel
/// listing every app in a random order with random start types.
fn gen_rel_project(rng: &mut Rng, dir: &Path) {
    let n = 3 + rng.below(8);
    let apps = gen_apps(rng, n);
    for app in &apps {
        let ebin = dir.join(format!("lib/{}-1.0.0/ebin", app.0));
        fs::create_dir_all(&ebin).unwrap();
        fs::write(ebin.join(format!("{}.app", app.0)), app_term(app, "1.0.0")).unwrap();
    }
    let mut entries: Vec<String> = apps
        .iter()
        .map(|a| {
            let t = TYPES[rng.below(TYPES.len())];
            if t == "permanent" {
                format!("{{{}, \"1.0.0\"}}", a.0)
            } else {
                format!("{{{}, \"1.0.0\", {t}}}", a.0)
            }
        })
        .collect();
    entries.push("{kernel, \"0\"}".into());
    entries.push("{stdlib, \"0\"}".into());
    rng.shuffle(&mut entries);
    let rel = dir.join("releases/1.0.0");
    fs::create_dir_all(&rel).unwrap();
    fs::write(
        rel.join("gen.rel"),
        format!(
            "{{release, {{\"gen\", \"1.0.0\"}}, {{erts, \"0\"}}, [{}]}}.\n",
            entries.join(", ")
        ),
    )
    .unwrap();
}

/// A rebar3 umbrella: apps/<app>/src/<app>.app.src and a relx release of a
/// few goals with random start types.
fn gen_relx_project(rng: &mut Rng, dir: &Path) {
    let n = 3 + rng.below(8);
    let apps = gen_apps(rng, n);
    for app in &apps {
        let src = dir.join(format!("apps/{}/src", app.0));
        fs::create_dir_all(&src).unwrap();
        fs::write(
            src.join(format!("{}.app.src", app.0)),
            app_term(app, "1.0.0"),
        )
        .unwrap();
    }
    let mut goals: Vec<String> = Vec::new();
    for a in &apps {
        if !rng.chance(40) {
            continue;
        }
        if rng.chance(30) {
            goals.push(format!("{{{}, {}}}", a.0, TYPES[rng.below(TYPES.len())]));
        } else {
            goals.push(a.0.clone());
        }
    }
    goals.push(apps[apps.len() - 1].0.clone());
    if rng.chance(30) {
        goals.push("{sasl, load}".into());
    }
    rng.shuffle(&mut goals);
    goals.dedup();
    fs::write(
        dir.join("rebar.config"),
        format!(
            "{{relx, [{{release, {{gen, \"1.0.0\"}}, [{}]}}]}}.\n",
            goals.join(", ")
        ),
    )
    .unwrap();
}

#[test]
fn generated_releases_match_systools() {
    let Some(lib) = otp_lib() else { return };
    let mut rng = Rng(0x5eed_0f0e_a11c_e5ed);
    let mut compared = 0;
    let mut cycles = 0;
    for case in 0..60 {
        let tmp = tempfile::tempdir().unwrap();
        let mut dir = tmp.path().to_path_buf();
        // OTPMAP_ORACLE_KEEP=1 keeps the generated projects for a look.
        let _guard = if std::env::var("OTPMAP_ORACLE_KEEP").as_deref() == Ok("1") {
            dir = tmp.keep();
            eprintln!("case {case}: {}", dir.display());
            None
        } else {
            Some(tmp)
        };
        if case % 2 == 0 {
            gen_rel_project(&mut rng, &dir);
        } else {
            gen_relx_project(&mut rng, &dir);
        }
        let (n, refused) = compare(&dir, &lib);
        assert!(n > 0, "case {case} compared nothing");
        compared += n;
        cycles += refused;
    }
    assert!(compared >= 60);
    assert!(cycles > 0, "systools refused no generated case");
}

#[test]
fn samples_match_rebar3_release() {
    let Some(lib) = otp_lib() else { return };
    if Command::new("rebar3").arg("version").output().is_err() {
        // .ci/run installs rebar3: there a missing one is a failure, not a skip.
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("rebar3 not found and OTPMAP_REQUIRE_ERL=1 (apt-get install rebar3)");
        }
        eprintln!("skipped: rebar3 not found");
        return;
    }
    let mut compared = 0;
    for sample in ["release_boot", "regular_app"] {
        let work = tempfile::tempdir().unwrap();
        let copy = work.path().join(sample);
        copy_dir(&manifest().join("samples").join(sample), &copy);
        let out = Command::new("rebar3")
            .args(["release", "--all"])
            .current_dir(&copy)
            .env("REBAR_CACHE_DIR", work.path().join("cache"))
            .env("REBAR_OFFLINE", "1")
            .output()
            .expect("run rebar3");
        assert!(
            out.status.success(),
            "rebar3 release failed in {sample}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for (name, (start, ..)) in otpmap(&manifest().join("samples").join(sample), &lib) {
            let releases = copy.join("_build/default/rel").join(&name).join("releases");
            let script = fs::read_dir(&releases)
                .unwrap()
                .map(|e| e.unwrap().path().join("start.script"))
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("no start.script for {name}"));
            let text = fs::read_to_string(script).unwrap();
            let started: Vec<String> = text
                .split("{application,start_boot,[")
                .skip(1)
                .map(|s| s.split(',').next().unwrap().to_owned())
                .collect();
            assert!(
                !started.is_empty(),
                "{sample}: {name}'s start.script starts nothing"
            );
            assert_eq!(start, started, "{sample}: rebar3's start order of {name}");
            compared += 1;
        }
    }
    // A release of each sample at least: an empty comparison is a failure.
    assert!(compared >= 2, "only {compared} rebar3 releases compared");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
