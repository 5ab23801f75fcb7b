//! Valid code parses: every `.erl` of OTP's lib that Erlang's own
//! preprocessor and parser accept (`epp:parse_file/2`, what `erlc` runs
//! before compiling, in one node for all files) gets no syntax-error
//! diagnostic from otpmap, neither from the cheap pass that indexes the
//! file nor from tree-sitter on any of its function bodies (what `lint`
//! and `tree` report as a partial read). Files epp rejects (headers
//! generated at build time, macros set by OTP's makefiles) are not
//! compared. The few files otpmap cannot read although epp can are listed
//! in [`EXCEPTIONS`] with the reason.
//!
//! Needs `erlc`/`escript` and OTP's sources (`erlang-src`); skips without
//! them and fails under `OTPMAP_REQUIRE_ERL=1`.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use otpmap::syntax::forms::PARSE_ERROR;
use otpmap::syntax::{
    index_files, index_module, read_source, walk_function, ExprKind, IndexOptions, ModuleIndex,
    Walk,
};

const OTP_LIB: &str = "/usr/lib/erlang/lib";

/// Files epp accepts whose syntax otpmap cannot read, as
/// `app/src/...` (the application's folder without its version), with why.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// The `.erl` files under `lib/*/src`, sorted.
fn otp_sources() -> Vec<PathBuf> {
    let Ok(apps) = std::fs::read_dir(OTP_LIB) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = apps
        .filter_map(Result::ok)
        .flat_map(|app| otpmap::discover::erlang_sources(&app.path().join("src")))
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    out.sort();
    out
}

/// `stdlib-4.2/src/lists.erl` → `stdlib/src/lists.erl`: the key of
/// [`EXCEPTIONS`], the same whatever OTP's version.
fn unversioned(rel: &str) -> String {
    match rel.split_once('/') {
        Some((app, rest)) => {
            let name = app.split_once('-').map_or(app, |(n, _)| n);
            format!("{name}/{rest}")
        }
        None => rel.to_owned(),
    }
}

/// epp's verdict per file: `None` when it parses, else its first error.
fn epp_verdicts(files: &[PathBuf]) -> BTreeMap<PathBuf, Option<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/epp_parse.escript");
    let mut child = Command::new("escript")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("escript runs");
    let mut input = String::new();
    for f in files {
        input.push_str(&f.to_string_lossy());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    // Written from a thread: the node answers while it reads.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("escript output");
    writer.join().expect("writer").expect("paths written");
    assert!(out.status.success(), "epp_parse.escript failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut verdicts = BTreeMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("ok"), Some(p), _) => {
                verdicts.insert(PathBuf::from(p), None);
            }
            (Some("error"), Some(p), why) => {
                verdicts.insert(PathBuf::from(p), Some(why.unwrap_or("").to_owned()));
            }
            _ => panic!("unexpected line from epp_parse.escript: {line}"),
        }
    }
    verdicts
}

/// otpmap's first syntax error in a file: from indexing, or from
/// tree-sitter on any function body.
fn first_syntax_error(index: &ModuleIndex) -> Option<String> {
    let lazy = index.functions.iter().flat_map(|f| f.diagnostics());
    index
        .diagnostics
        .iter()
        .chain(lazy)
        .filter(|d| d.code == PARSE_ERROR)
        .min_by_key(|d| (d.line, d.column))
        .map(|d| format!("{}:{}: {}", d.file, d.line, d.message))
}

#[test]
fn otp_sources_epp_accepts_have_no_syntax_error() {
    let files = otp_sources();
    if files.is_empty() {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!(
                "no sources under {OTP_LIB}/*/src and OTPMAP_REQUIRE_ERL=1 (install erlang-src)"
            );
        }
        eprintln!("skipped: no sources under {OTP_LIB}/*/src (install erlang-src)");
        return;
    }
    if !common::erlang_available() {
        return;
    }
    // The node and otpmap read the files at the same time.
    let epp = {
        let files = files.clone();
        std::thread::spawn(move || epp_verdicts(&files))
    };
    let root = Path::new(OTP_LIB);
    let errors: Vec<Option<String>> = index_files(root, &files, IndexOptions::default())
        .iter()
        .map(first_syntax_error)
        .collect();
    let verdicts = epp.join().expect("epp thread");
    assert_eq!(verdicts.len(), files.len(), "epp gave a verdict per file");
    let accepted = verdicts.values().filter(|v| v.is_none()).count();
    // Most of OTP's lib preprocesses alone; a handful of files read in
    // would mean the oracle, not otpmap, is broken.
    assert!(
        accepted * 10 >= files.len() * 8,
        "epp accepted only {accepted} of {} files",
        files.len()
    );

    let exceptions: BTreeMap<&str, &str> = EXCEPTIONS.iter().copied().collect();
    let mut wrong = Vec::new();
    let mut fixed = Vec::new();
    for (path, error) in files.iter().zip(errors) {
        if !matches!(verdicts.get(path), Some(None)) {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
        let key = unversioned(&rel);
        match (error, exceptions.contains_key(key.as_str())) {
            (Some(e), false) => wrong.push(e),
            (None, true) => fixed.push(key),
            _ => {}
        }
    }
    eprintln!(
        "{} files, {} accepted by epp, {} exceptions",
        files.len(),
        accepted,
        exceptions.len()
    );
    assert!(
        wrong.is_empty(),
        "{} files epp accepts have otpmap syntax errors:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these exceptions parse now; remove them from EXCEPTIONS: {fixed:?}"
    );
}

/// The forms tree-sitter-erlang misread, in a fixture erlc compiles: no
/// syntax error, no error node in any body, and the lowered code is the
/// file's own (`maybe` the atom, `$\x{41}` the character 65).
#[test]
fn valid_forms_fixture_parses_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    let path = root.join("valid_forms.erl");
    if common::erlang_available() {
        let out = tempfile::tempdir().unwrap();
        let status = Command::new("erlc")
            .arg("-o")
            .arg(out.path())
            .arg(&path)
            .status()
            .expect("erlc runs");
        assert!(status.success(), "erlc rejects valid_forms.erl");
    }
    let index = index_module(read_source(&root, &path, 1 << 20).expect("readable"));
    assert_eq!(first_syntax_error(&index), None);
    let mut atoms = Vec::new();
    let mut chars = Vec::new();
    for f in &index.functions {
        walk_function(&f.function(), &mut |e, _| {
            match &e.kind {
                ExprKind::Error(reason) => panic!("{}/{}: {reason}", f.name(), f.arity),
                ExprKind::Atom(a) if a == "maybe" => atoms.push(a.clone()),
                ExprKind::Integer {
                    value, char: true, ..
                } => chars.push(value.map(|v| v.get())),
                _ => {}
            }
            Walk::Continue
        });
    }
    let names: Vec<_> = index
        .functions
        .iter()
        .map(|f| format!("{}/{}", f.name(), f.arity))
        .collect();
    assert!(names.contains(&"maybe/1".to_owned()), "{names:?}");
    assert!(!atoms.is_empty(), "the atom in maybe/1's body");
    assert_eq!(chars, [Some(65), Some(0x1F600)]);
    let both = index.function("both_sides", 1).unwrap();
    assert_eq!(both.clauses.len(), 1);
}
