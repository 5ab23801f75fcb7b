//! The term reader against Erlang itself: every config file under
//! `samples/`, every fixture under `tests/fixtures/terms/` and a set of
//! generated term files are read by `consult_bytes` and by `file:consult/1`
//! (one `escript` run for all of them), and the results must agree: the same
//! canonical form, or both an error. Fixtures under `ok/` must be read by
//! Erlang and those under `fail/` refused, so that each keeps testing what it
//! was written for.
//!
//! Without `erl` on the PATH the test says so and passes, unless
//! `OTPMAP_REQUIRE_ERL=1`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use otpmap::config::term::{canonical, consult_bytes, MAX_DEPTH};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Config files `file:consult/1` reads, by name.
fn is_config_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.ends_with(".script") {
        return false;
    }
    name.ends_with(".app")
        || name.ends_with(".app.src")
        || name.ends_with(".rel")
        || name.ends_with(".config")
        || matches!(
            name,
            "rebar.config" | "relx.config" | "sys.config" | "reltool.config"
        )
}

fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && keep(e.path()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// What the reader makes of a file, in the escript's output format.
fn reader_result(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match consult_bytes(&bytes) {
        Ok(terms) => {
            let mut line = String::from("OK");
            for term in &terms {
                line.push(' ');
                line.push_str(&canonical(term));
            }
            line
        }
        Err(e) => format!("ERR {e}"),
    }
}

fn erlang_results(paths: &[PathBuf]) -> Vec<String> {
    let script = manifest_dir().join("tests/oracle/canonical.escript");
    let mut child = Command::new("escript")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run escript");
    let mut input = String::new();
    for path in paths {
        input.push_str(path.to_str().expect("UTF-8 path"));
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("escript output");
    writer.join().expect("writer thread").expect("write paths");
    assert!(
        output.status.success(),
        "escript failed: {:?}",
        output.status
    );
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().map(str::to_owned).collect()
}

#[test]
fn reader_agrees_with_file_consult() {
    if !on_path("erl") || !on_path("escript") {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("erl not found on PATH and OTPMAP_REQUIRE_ERL=1");
        }
        // Straight to stderr: the test harness would swallow `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "term_oracle skipped: erl not found (set OTPMAP_REQUIRE_ERL=1 to fail instead)"
        );
        return;
    }
    let root = manifest_dir();
    let samples = files_under(&root.join("samples"), is_config_file);
    let fixtures = files_under(&root.join("tests/fixtures/terms"), |_| true);
    let generated_dir = tempfile::tempdir().expect("temp dir");
    let mut generated = generate::write_files(generated_dir.path(), 300);
    generated.extend(generate::write_soup(generated_dir.path(), 400));

    let mut paths = Vec::new();
    paths.extend(samples.iter().cloned());
    paths.extend(fixtures.iter().cloned());
    paths.extend(generated.iter().cloned());
    let expected = erlang_results(&paths);
    assert_eq!(expected.len(), paths.len(), "one escript line per file");

    let fixture_root = root.join("tests/fixtures/terms");
    let mut failures = Vec::new();
    let (mut agreed_ok, mut agreed_err) = (0, 0);
    for (path, erlang) in paths.iter().zip(&expected) {
        let ours = reader_result(path);
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        // A fixture's directory says what Erlang should make of it, so a
        // fixture cannot silently stop testing what it was written for.
        if let Ok(rel) = path.strip_prefix(&fixture_root) {
            let wants_ok = rel.starts_with("ok");
            if wants_ok != erlang.starts_with("OK") {
                failures.push(format!("{shown}: fixture intent, but Erlang says {erlang}"));
            }
        }
        match (erlang.starts_with("OK"), ours.starts_with("OK")) {
            (true, true) if *erlang == ours => agreed_ok += 1,
            (false, false) => agreed_err += 1,
            _ => {
                let contents = std::fs::read(path).unwrap_or_default();
                let text = String::from_utf8_lossy(&contents);
                let excerpt: String = text.chars().take(300).collect();
                failures.push(format!(
                    "{shown}:\n  erlang: {}\n  reader: {}\n  text: {excerpt:?}",
                    truncate(erlang),
                    truncate(&ours)
                ));
            }
        }
    }
    eprintln!(
        "term_oracle: {} samples, {} fixtures, {} generated; {agreed_ok} read alike, \
         {agreed_err} refused by both",
        samples.len(),
        fixtures.len(),
        generated.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with file:consult/1:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn truncate(text: &str) -> String {
    if text.len() <= 400 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(400).collect();
    format!("{cut}...")
}

/// The depth limit is the one documented difference: Erlang reads any depth.
#[test]
fn depth_limit_is_the_only_documented_difference() {
    let deep = format!(
        "{}{}.",
        "[".repeat(MAX_DEPTH + 1),
        "]".repeat(MAX_DEPTH + 1)
    );
    assert!(consult_bytes(deep.as_bytes()).is_err());
    let ok = format!("{}{}.", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(consult_bytes(ok.as_bytes()).is_ok());
}

/// Random term files: varied syntax for the same values (bases, separators,
/// escapes, comments, string tails), maps with mixed keys, binaries with
/// segment specifications, and now and then something invalid.
mod generate {
    use std::fmt::Write;
    use std::path::{Path, PathBuf};

    /// A small deterministic generator (xorshift), so failures reproduce.
    pub struct Rng(u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    pub fn write_files(dir: &Path, count: usize) -> Vec<PathBuf> {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        (0..count)
            .map(|i| {
                let mut text = String::new();
                for _ in 0..1 + rng.below(4) {
                    term(&mut rng, 0, &mut text);
                    text.push_str(rng.pick(&[".\n", ". ", ".%c\n", ".\t", "\n.\n"]));
                }
                let path = dir.join(format!("generated_{i:03}.term"));
                std::fs::write(&path, text).expect("write generated file");
                path
            })
            .collect()
    }

    /// Pieces of term text, valid and not, glued at random: mostly errors,
    /// which both readers must refuse, and sometimes a valid term.
    const SOUP: &[&str] = &[
        "{", "}", "[", "]", "(", ")", "<<", ">>", "#{", "#", "=>", ":=", ",", "|", "||", ".", ". ",
        ".\n", "-", "+", "--", ":", "/", "a", "'q a'", "'", "\"", "\"s\"", "\"\\x{", "\\", "$",
        "$a", "$\\", "1", "16#", "16#ff", "1.5", "1.", "e", "1_0", "_", "X", "case", "fun",
        "m:f/1", "%", "%c\n", "\n", "\r\n", " ", "\t", "é", "日", "\u{a0}", "utf8", "integer",
        "unit:8", "0", "255", "-1", "1e", "...", "..", "?", "$ ", "$%", "little", "float",
        "binary", "2#", "36#z", "1.0e", "0.5", "'\\''", "\"\\n\"", "$\\^", "\u{85}", "÷", "Ä", "ß",
        "@",
    ];

    pub fn write_soup(dir: &Path, count: usize) -> Vec<PathBuf> {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        (0..count)
            .map(|i| {
                let mut text = String::new();
                for _ in 0..rng.below(24) {
                    text.push_str(rng.pick(SOUP));
                }
                if rng.chance(70) {
                    text.push_str(".\n");
                }
                let path = dir.join(format!("soup_{i:03}.term"));
                std::fs::write(&path, text).expect("write soup file");
                path
            })
            .collect()
    }

    fn space(rng: &mut Rng, out: &mut String) {
        out.push_str(rng.pick(&["", "", "", " ", "\n", "\r\n", "\t", " %c\n", "\u{a0}"]));
    }

    const ATOMS: &[&str] = &[
        "a",
        "ok",
        "error",
        "nonode@nohost",
        "café",
        "'A b'",
        "'case'",
        "'\\n'",
        "'日本'",
        "'\\x{1F600}'",
        "''",
        "'a\\'b'",
        "maybe",
        "x_Y@1",
        "ß",
        "'\\^A'",
    ];
    const STRINGS: &[&str] = &[
        "\"\"",
        "\"abc\"",
        "\"a\\nb\"",
        "\"é\"",
        "\"日本\"",
        "\"\\x{1F600}\"",
        "\"\\101\\x41\"",
        "\"a\" \"b\"",
        "\"\\s\\e\\d\"",
        "\"%\"",
        "\"\\\"\"",
    ];
    const CHARS: &[&str] = &[
        "$a",
        "$\\n",
        "$ ",
        "$%",
        "$\\x{1F600}",
        "$é",
        "$\\^G",
        "$\\\\",
    ];
    const SEGMENTS: &[&str] = &[
        "1",
        "255",
        "256",
        "-1",
        "1:4",
        "5:3",
        "256:16",
        "256:16/little",
        "-2:16/signed-little",
        "16#abc:12/little",
        "1:12",
        "\"ab\"",
        "\"é\"/utf8",
        "\"日\"/utf16",
        "\"a\"/utf32-little",
        "1.5/float",
        "1.5:32/float",
        "1.5:16/float",
        "2:64/float-little",
        "<<1,2>>/binary",
        "<<1:3>>/bits",
        "<<1,2,3>>:2/binary",
        "16#1F600/utf8",
        "$a",
        "1:3/unit:2",
        "0.1:16/float",
        "3:2",
        "\"ab\":4",
        "(7):5",
    ];
    const BROKEN: &[&str] = &[
        "X",
        "_",
        "case",
        "1 + 2",
        "#{a := 1}",
        "{a,}",
        "[a,]",
        "1.e",
        "<<1.5>>",
        "\"\\x{zz}\"",
        "a.b",
        "-a",
        "<<a>>",
        "fun f/1",
    ];

    fn number(rng: &mut Rng, out: &mut String) {
        match rng.below(9) {
            0 => {
                let _ = write!(out, "{}", rng.below(1000));
            }
            1 => {
                let _ = write!(out, "-{}", rng.below(1 << 40));
            }
            2 => {
                let base = 2 + rng.below(35);
                let digits = "0123456789abcdefghijklmnopqrstuvwxyz";
                let _ = write!(out, "{base}#");
                for i in 0..1 + rng.below(20) {
                    if i > 0 && rng.chance(10) {
                        out.push('_');
                    }
                    let d = rng.below(base) as usize;
                    let c = digits.as_bytes()[d] as char;
                    out.push(if rng.chance(50) {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    });
                }
            }
            3 => {
                let _ = write!(out, "{}{}", rng.next(), rng.next());
            }
            4 => {
                let _ = write!(out, "{}_{:03}", rng.below(1000), rng.below(1000));
            }
            5 => {
                let _ = write!(out, "{}.{}", rng.below(100_000), rng.below(1_000_000));
            }
            6 => {
                let sign = rng.pick(&["", "-", "+"]);
                let _ = write!(
                    out,
                    "{}.{}e{sign}{}",
                    rng.below(10),
                    rng.next() % 10_000_000_000,
                    rng.below(300)
                );
            }
            7 => out.push_str(rng.pick(&["- 1", "+ 2.5", "-(3)", "-0.0", "0.0", "1.0", "-$a"])),
            _ => out.push_str(rng.pick(CHARS)),
        }
    }

    fn term(rng: &mut Rng, depth: usize, out: &mut String) {
        if rng.chance(1) {
            out.push_str(rng.pick(BROKEN));
            return;
        }
        let leaf = depth >= 4 || rng.chance(45);
        if leaf {
            match rng.below(4) {
                0 => out.push_str(rng.pick(ATOMS)),
                1 => out.push_str(rng.pick(STRINGS)),
                _ => number(rng, out),
            }
            return;
        }
        let len = rng.below(5);
        match rng.below(6) {
            0 | 1 => {
                out.push('[');
                for i in 0..len {
                    if i > 0 {
                        out.push(',');
                    }
                    space(rng, out);
                    term(rng, depth + 1, out);
                }
                if len > 0 && rng.chance(30) {
                    out.push_str(" | ");
                    term(rng, depth + 1, out);
                }
                out.push(']');
            }
            2 | 3 => {
                out.push('{');
                for i in 0..len {
                    if i > 0 {
                        out.push(',');
                    }
                    space(rng, out);
                    term(rng, depth + 1, out);
                }
                out.push('}');
            }
            4 => {
                out.push_str("#{");
                for i in 0..len {
                    if i > 0 {
                        out.push(',');
                    }
                    space(rng, out);
                    if rng.chance(40) {
                        number(rng, out);
                    } else {
                        term(rng, depth + 1, out);
                    }
                    out.push_str(" => ");
                    term(rng, depth + 1, out);
                }
                out.push('}');
            }
            _ => {
                out.push_str("<<");
                for i in 0..len {
                    if i > 0 {
                        out.push(',');
                    }
                    space(rng, out);
                    out.push_str(rng.pick(SEGMENTS));
                }
                out.push_str(">>");
            }
        }
    }
}
