//! The fast path against tree-sitter: for every function form of real
//! code, whenever the fast path gives a `Function`, it must equal what
//! tree-sitter and the `Lowerer` give, and tree-sitter must have found no
//! syntax error; and the fast path must take most functions.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use super::super::items::{parse_function_tree_sitter, MacroBody};
use super::super::module::index_module_with;
use super::super::source_file::SourceFile;

/// What the comparison found over a set of files.
#[derive(Debug, Default)]
struct Stats {
    functions: usize,
    fast: usize,
    defines: usize,
    fast_defines: usize,
    /// Functions with `?REC{...}`, which tree-sitter does not parse.
    record_macros: usize,
    mismatches: Vec<String>,
}

/// Whether a function's text has a macro standing for a record, `?REC{`
/// or `?REC.field`, not after `#` (`#?R{}` tree-sitter parses).
fn has_record_macro(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'?', b).any(|q| {
        if q > 0 && b[q - 1] == b'#' {
            return false;
        }
        let name = b[q + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        name > 0
            && match &b[q + 1 + name..] {
                [b'{', ..] => true,
                [b'.', c, ..] => c.is_ascii_lowercase(),
                _ => false,
            }
    })
}

impl Stats {
    fn add(&mut self, other: Stats) {
        self.functions += other.functions;
        self.fast += other.fast;
        self.defines += other.defines;
        self.fast_defines += other.fast_defines;
        self.record_macros += other.record_macros;
        self.mismatches.extend(other.mismatches);
    }

    fn share(&self) -> f64 {
        self.fast as f64 / self.functions.max(1) as f64
    }
}

/// Compares both paths on every function of one source text.
fn compare_text(path: &str, text: String) -> Stats {
    let index = index_module_with(SourceFile::from_text(path, text), Duration::from_secs(5));
    let mut stats = Stats::default();
    for define in &index.defines {
        let Some(body) = define.body_range() else {
            continue;
        };
        stats.defines += 1;
        let Some(fast) =
            super::parse_macro_body(&define.ctx.file, &define.range(), &body, define.ctx.budget)
        else {
            continue;
        };
        stats.fast_defines += 1;
        let reference = define.parse_body_tree_sitter();
        if reference != MacroBody::Expr(fast.clone()) {
            let mut fast_dbg = format!("{fast:#?}");
            let mut ts_dbg = format!("{reference:#?}");
            fast_dbg.truncate(4000);
            ts_dbg.truncate(4000);
            stats.mismatches.push(format!(
                "{path}:{}: -define({}): \n--- fast:\n{fast_dbg}\n--- tree-sitter:\n{ts_dbg}",
                define.span().line,
                define.name,
            ));
        }
    }
    for entry in &index.functions {
        stats.functions += 1;
        let file: &Arc<SourceFile> = &entry.ctx.file;
        let fast = super::parse_function(
            file,
            &entry.range(),
            entry.name(),
            entry.arity,
            entry.span(),
            entry.ctx.budget,
        );
        let Some(fast) = fast else { continue };
        stats.fast += 1;
        if has_record_macro(file.text.get(entry.range()).unwrap_or("")) {
            // `?REC{...}` with `-define(REC, #rec).`: erlc reads it,
            // tree-sitter does not (a syntax error); only the fast path
            // gives the records (tested in tests/syntax_macros.rs).
            stats.record_macros += 1;
            continue;
        }
        let reference = parse_function_tree_sitter(
            &entry.ctx,
            &entry.range(),
            entry.name(),
            entry.arity,
            entry.span(),
        );
        if !reference.diagnostics.is_empty() || *reference.function != fast {
            let mut fast_dbg = format!("{fast:#?}");
            let mut ts_dbg = format!("{:#?}", reference.function);
            fast_dbg.truncate(4000);
            ts_dbg.truncate(4000);
            stats.mismatches.push(format!(
                "{path}:{}: {}/{}: {} tree-sitter errors\n--- fast:\n{fast_dbg}\n--- tree-sitter:\n{ts_dbg}",
                entry.span().line,
                entry.name(),
                entry.arity,
                reference.diagnostics.len(),
            ));
        }
    }
    stats
}

/// Compares both paths over every Erlang source under `dirs`.
fn compare_dirs(dirs: &[PathBuf]) -> Stats {
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| crate::discover::erlang_sources(d))
        .collect();
    files
        .par_iter()
        .map(|p| match std::fs::read(p) {
            Ok(bytes) => compare_text(
                &p.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ),
            Err(_) => Stats::default(),
        })
        .reduce(Stats::default, |mut a, b| {
            a.add(b);
            a
        })
}

fn assert_no_mismatch(stats: &Stats) {
    for m in stats.mismatches.iter().take(5) {
        eprintln!("{m}\n");
    }
    assert!(
        stats.mismatches.is_empty(),
        "{} of {} fast-path functions differ from tree-sitter",
        stats.mismatches.len(),
        stats.fast
    );
}

/// A few of OTP's applications, when OTP's sources are installed.
fn otp_apps() -> Vec<PathBuf> {
    let lib = Path::new("/usr/lib/erlang/lib");
    let Ok(entries) = std::fs::read_dir(lib) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                ["stdlib-", "kernel-", "inets-", "ssl-"]
                    .iter()
                    .any(|a| n.starts_with(a))
            })
        })
        .map(|p| p.join("src"))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn fast_path_equals_tree_sitter_on_samples_and_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stats = compare_dirs(&[root.join("samples"), root.join("tests/fixtures")]);
    eprintln!(
        "samples and fixtures: {} of {} functions on the fast path ({:.1}%)",
        stats.fast,
        stats.functions,
        100.0 * stats.share()
    );
    assert_no_mismatch(&stats);
    assert!(stats.functions > 500, "{stats:?}");
    assert!(stats.share() >= 0.6, "fast path share fell: {stats:?}");
}

#[test]
fn fast_path_equals_tree_sitter_on_otp() {
    let apps = otp_apps();
    if apps.is_empty() {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("OTP sources not found under /usr/lib/erlang/lib and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: OTP sources not found under /usr/lib/erlang/lib");
        return;
    }
    let stats = compare_dirs(&apps);
    eprintln!(
        "OTP stdlib, kernel, inets, ssl: {} of {} functions on the fast path ({:.1}%), {} of {} macro bodies",
        stats.fast,
        stats.functions,
        100.0 * stats.share(),
        stats.fast_defines,
        stats.defines
    );
    assert_no_mismatch(&stats);
    assert!(stats.functions > 5000, "{stats:?}");
    assert!(stats.share() >= 0.8, "fast path share fell: {stats:?}");
    assert!(
        stats.fast_defines * 2 >= stats.defines,
        "macro bodies on the fast path fell: {stats:?}"
    );
}

/// The same comparison over any directories: set `OTPMAP_FAST_DIFF` to
/// them, separated by `:`, and run in release mode:
/// `OTPMAP_FAST_DIFF=/usr/lib/erlang/lib cargo test --release --lib fast -- --ignored`.
#[test]
#[ignore]
fn fast_path_equals_tree_sitter_on_env_dirs() {
    let Some(dirs) = std::env::var_os("OTPMAP_FAST_DIFF") else {
        panic!("set OTPMAP_FAST_DIFF to the directories to compare");
    };
    let mut total = Stats::default();
    for dir in std::env::split_paths(&dirs) {
        let stats = compare_dirs(std::slice::from_ref(&dir));
        eprintln!(
            "{}: {} of {} functions on the fast path ({:.1}%), {} of {} macro bodies, {} mismatches, \
             {} with a macro standing for a record",
            dir.display(),
            stats.fast,
            stats.functions,
            100.0 * stats.share(),
            stats.fast_defines,
            stats.defines,
            stats.mismatches.len(),
            stats.record_macros
        );
        total.add(stats);
    }
    let mut failures: Vec<(String, usize)> = super::FAILURES
        .lock()
        .map(|f| f.clone().into_iter().collect())
        .unwrap_or_default();
    failures.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("gave up at: {:?}", &failures[..failures.len().min(40)]);
    eprintln!(
        "total: {} of {} functions on the fast path ({:.1}%), {} of {} macro bodies",
        total.fast,
        total.functions,
        100.0 * total.share(),
        total.fast_defines,
        total.defines
    );
    assert_no_mismatch(&total);
}

/// Constructs where spans, precedence or the grammar's shapes are easy to
/// get wrong: each function must be on the fast path and equal.
#[test]
fn tricky_forms_are_on_the_fast_path_and_equal() {
    let forms = [
        "f(X) -> (X)(1), (X + 1) * 2, - (X), catch X = 1, X = catch 1 + 2.",
        "f() -> ?MODULE:g(), fun ?MODULE:g/0, fun m:f/1, fun F/A, fun g/2.",
        "f(R) -> R#r.a, R#r{a = 1}, #r.a, #r{}, (R#r.a)#s.b, R#r.a#s.b, #r{a = 1, _ = 2}.",
        "f(M) -> M#{a => 1}, #{a := X} = M, #{K => V || K := V <- M}, (M)#{}.",
        "f(B) -> <<X:8/integer-unit:1, -1:8, (X+1):16/little, \"s\"/utf8>> = B, << <<Y>> || <<Y>> <= B >>.",
        "f() -> try g() of ok -> 1 catch error:R:S when is_atom(R) -> S; throw:_ -> 2; _ -> 3 after h() end.",
        "f() -> try g() after h() end, try g(), h() catch _:_ -> ok end.",
        "f() -> receive {a, X} when X > 1 -> X; _ -> y after 100 -> ok end, receive after 0 -> ok end.",
        "f(X) -> if X > 1, X < 3; X == 0 -> a; true -> b end, begin X, X end.",
        "f(L) -> fun Loop([]) -> ok; Loop([_ | T]) -> Loop(T) end, [X || X <- L, X > 1], [{A, B} || A <- L && B <- L].",
        "f() -> \"a\" \"b\", \"\\x41\\101\\n\", $\\n, $\\x41, $\\\\, $a, 1.5e3, 16#fF, 1_000, 2.0e-3.",
        "f(A, B, C) -> A ! B = C, A = B ! C, a orelse b andalso c, A -- B ++ C, 1 - 2 - 3, not A == B, -A#r.a.",
        "f(X) -> ?M(X, Y), ?M, ?M(), ?'m'(1), m:f(X) + 1, X:f(), m:F(1), 'q a':'b c'(1), -m:f().",
        "f(X) when is_list(X); is_binary(X), X =/= <<>> -> [X | []]; f([A, B | T]) -> {A, B, T}; f(_) -> {}.",
        "f(X) -> case X of {ok, V} = R when V > 0 -> R; [_ | _] -> ok; #{} -> map; _ -> X bsl 2 div 3 rem 4 end.",
        "f(X) -> #?R{a = X}, X#?R.a, X#?R{a = 1}, #?R.a, ~\"a\", ~b\"b\" \"c\", ~S\"\".",
        "'F'(X) -> X + -1, X - +1, bnot X, X band 1 bor 2 bxor 3 bsr 4, X and Y or Z xor W.",
    ];
    for (i, form) in forms.iter().enumerate() {
        let text = format!("-module(m).\n{form}\n");
        let stats = compare_text(&format!("tricky{i}.erl"), text);
        assert_no_mismatch(&stats);
        assert_eq!(
            (stats.functions, stats.fast),
            (1, 1),
            "not on the fast path: {form}"
        );
    }
}

/// What the fast path must leave to tree-sitter.
#[test]
fn doubtful_forms_are_left_to_tree_sitter() {
    let forms = [
        "f() -> maybe {ok, X} ?= g(), X end.",
        "f() -> maybe(1).",
        "f() -> $\\x{41}.",
        "f() -> ?M \"x\".",
        "f(X) -> X \"x\".",
        "f() -> g()().",
        "f() -> \"\"\"\n  a\n  \"\"\".",
        "f() -> ~\"a\\\"b\".",
        "?F(X) -> X.",
        "f() -> [X, Y || X <- []].",
        "f() -> #{a => X = 1}.",
        "f() -> m:f.",
        "f() -> <<X*8>>.",
        "f() -> ok",
        "f() -> case X of end.",
    ];
    for (i, form) in forms.iter().enumerate() {
        let text = format!("-module(m).\n{form}\n");
        let stats = compare_text(&format!("doubtful{i}.erl"), text);
        assert_no_mismatch(&stats);
        assert_eq!(stats.fast, 0, "on the fast path: {form}");
    }
}
