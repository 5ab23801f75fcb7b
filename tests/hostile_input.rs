//! Hold under attack (issue 18): injected output, exponential paths,
//! things dropped without a word and costs that grew faster than the
//! input. Every project is generated here (some cases are megabytes, some
//! are links and devices git cannot hold), and every run of otpmap is
//! bounded: 1 GiB of address space (`ulimit -v`) and 60 s. What each case
//! covers: docs/reliability.md, "Hostile input".

use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space of one run, in KiB.
const MEMORY_KIB: u64 = 1 << 20;
/// Wall time of one run (debug build, shared machine).
const TIME: Duration = Duration::from_secs(60);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// otpmap `args` in `dir` under the memory and time bounds; a run past
/// either fails the test.
fn bounded(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .env_remove("OTPMAP_INJECT_PANIC")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run otpmap");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME {
            let _ = child.kill();
            panic!("otpmap {args:?} ran past {TIME:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    };
    assert!(
        (0..=2).contains(&run.code) && !run.stderr.contains("panicked"),
        "otpmap {args:?}: exit {} (over {MEMORY_KIB} KiB aborts)\n{}",
        run.code,
        run.stderr
    );
    run
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stderr))
}

/// `(code, file)` of every diagnostic of a JSON document.
fn codes(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(doc: &Value, code: &str, file: &str) -> bool {
    codes(doc).iter().any(|(c, f)| c == code && f == file)
}

fn app(dir: &Path, name: &str, vsn: &str, extra: &str) {
    write(
        &dir.join(format!("src/{}.app.src", name.trim_matches('\''))),
        format!(
            "{{application, {name}, [{{vsn, \"{vsn}\"}}, {{applications, [kernel, stdlib]}}{extra}]}}.\n"
        ),
    );
}

/// Names, versions and source text that try to take over a terminal, a
/// GitHub Actions log or a Mermaid diagram.
fn injection_project(root: &Path) {
    write(
        &root.join("rebar.config"),
        "{relx, [{release, {'rel\\n::error::x', \"0.1\\e[8m\"}, [default, 'a-b', 'a.b', a_b]}]}.\n",
    );
    let vsn = "%%{init: {'theme':'dark'}}%%\\e[8m\\x{202E}\\x{7}\\r";
    for a in ["default", "a-b", "a.b", "a_b"] {
        let extra = if a == "default" {
            ", {mod, {'x\\n::error file=a::Fake', []}}, {description, \"d\\n::add-mask::s\"}"
        } else {
            ""
        };
        app(&root.join("apps").join(a), &format!("'{a}'"), vsn, extra);
    }
    write(
        &root.join("apps/default/src/x_sup.erl"),
        "-module('x\\n::error file=a::Fake').\n\
         -behaviour(supervisor).\n\
         -export([init/1, start/2]).\n\
         start(_, _) -> supervisor:start_link(?MODULE, []).\n\
         init([]) ->\n    \
             gen_tcp:connect(\"h\", 1, []), \"\u{1b}[2J\u{202E}\r::error::x\",\n    \
             {ok, {#{}, [#{id => '::w\\e[8m\\x{202E}', start => {'::w', start_link, []}}]}}.\n",
    );
}

/// Parses an SVG as XML (graphviz writes a DOCTYPE).
fn xml(text: &str) -> Result<(), roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).map(|_| ())
}

fn no_hijack(what: &str, text: &str) {
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: a line starts a workflow command: {line:?}"
        );
        assert!(
            !line.contains(['\u{1b}', '\r', '\u{7}', '\u{202E}']),
            "{what}: raw control character: {line:?}"
        );
    }
}

#[test]
fn input_text_cannot_hijack_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    injection_project(root);
    for args in [
        &["scan", "."][..],
        &["deps", "."],
        &["tree", "."],
        &["lint", "."],
        &["lint", ".", "--color", "always"],
    ] {
        let run = bounded(root, args);
        if args.contains(&"always") {
            // Only the painter's colour codes: ESC [ digits m.
            let stripped: String = run
                .stdout
                .split('\u{1b}')
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        return part.to_owned();
                    }
                    let end = part.find('m').expect("an SGR sequence");
                    assert!(
                        part.starts_with('[')
                            && part[1..end].chars().all(|c| c.is_ascii_digit() || c == ';')
                            && !part[1..end].split(';').any(|p| p == "8"),
                        "not a colour: {part:?}"
                    );
                    part[end + 1..].to_owned()
                })
                .collect();
            no_hijack("lint --color always", &stripped);
        } else {
            no_hijack(&args.join(" "), &run.stdout);
        }
        // Shown escaped (`\e[8m`, or `\x{1B}[8m` in Erlang terms), not lost.
        assert!(
            run.stdout.contains("\\e[") || run.stdout.contains("\\x{1B}["),
            "{args:?}: {}",
            run.stdout
        );
    }
    // The human output still names what it escaped.
    let run = bounded(root, &["scan", "."]);
    assert!(
        run.stdout.contains("x\\n::error file=a::Fake"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\\u{202E}"));

    // GitHub annotations: the renderer's own commands only.
    let run = bounded(root, &["lint", ".", "--format", "github"]);
    for line in run.stdout.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "{line:?}"
        );
        assert!(!line.contains(['\u{1b}', '\r', '\u{202E}']), "{line:?}");
    }

    for command in ["deps", "tree"] {
        // Mermaid: no directive or comment, ids generated and distinct.
        let m = bounded(root, &[command, ".", "--format", "mermaid"]).stdout;
        assert!(!m.contains("%%"), "{m}");
        assert!(!m.contains(['\u{1b}', '\r', '\u{202E}']), "{m}");
        let subgraphs: Vec<&str> = m
            .lines()
            .filter_map(|l| l.trim().strip_prefix("subgraph "))
            .map(|l| l.split('[').next().unwrap())
            .collect();
        let distinct: std::collections::BTreeSet<_> = subgraphs.iter().collect();
        assert_eq!(distinct.len(), subgraphs.len(), "{m}");
        assert!(subgraphs
            .iter()
            .all(|s| s.starts_with('c') && s[1..].chars().all(|c| c.is_ascii_digit())));
        // SVG from both renderers is XML.
        for renderer in ["builtin", "graphviz"] {
            let svg = bounded(
                root,
                &[command, ".", "--format", "svg", "--renderer", renderer],
            )
            .stdout;
            xml(&svg).unwrap_or_else(|e| panic!("{command} {renderer}: not XML: {e}"));
        }
        // DOT that graphviz reads, when it is installed.
        let dot = bounded(root, &[command, ".", "--format", "dot"]).stdout;
        assert!(!dot.contains(['\u{1b}', '\r', '\u{202E}']));
        let dot_file = root.join(format!("{command}.dot"));
        std::fs::write(&dot_file, &dot).unwrap();
        if let Ok(out) = Command::new("dot").arg("-Tsvg").arg(&dot_file).output() {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            xml(&String::from_utf8_lossy(&out.stdout)).unwrap();
        }
        json(&bounded(root, &[command, ".", "--format", "json"]));
    }
    let sarif = json(&bounded(root, &["lint", ".", "--format", "sarif"]));
    assert_eq!(sarif["version"], "2.1.0");

    // The report: no raw control character anywhere, and the embedded
    // JSON (one line) holds no `<` that could end its script element.
    let page = bounded(root, &["report", "."]).stdout;
    assert!(!page.contains(['\u{1b}', '\r', '\u{7}', '\u{202E}']));
    let open = "id=\"otpmap-data\">";
    let start = page.find(open).expect("the data element") + open.len();
    let end = start + page[start..].find("</script>").expect("its end");
    assert!(!page[start..end].contains(['<', '>', '&']));
    let doc: Value = serde_json::from_str(&page[start..end]).expect("the data is JSON");
    assert_eq!(doc["schema"], "otpmap.report/1");
}

/// Ten `**/` against a file 20 folders deep took 21 s.
#[test]
fn exclude_globs_are_linear() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    app(root, "g", "1", "");
    let deep = (0..20)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/");
    write(&root.join(deep).join("y.erl"), "-module(y).\n");
    let glob = "**/".repeat(12) + "z";
    write(
        &root.join("otpmap.config"),
        format!("{{lint, [{{exclude, [\"{glob}\"]}}]}}.\n"),
    );
    let run = bounded(root, &["lint", ".", "--format", "json"]);
    json(&run);
}

/// A folder linking twice to the next, 18 levels (2^18 walks before), a
/// link to /proc, a FIFO and a link to /dev/zero named like sources.
#[cfg(unix)]
#[test]
fn follow_links_walks_each_folder_once() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    app(root, "fl", "1", "");
    for i in 0..=18 {
        std::fs::create_dir_all(root.join(format!("l/{i}"))).unwrap();
    }
    for i in 0..18 {
        symlink(format!("../{}", i + 1), root.join(format!("l/{i}/x"))).unwrap();
        symlink(format!("../{}", i + 1), root.join(format!("l/{i}/y"))).unwrap();
    }
    write(&root.join("l/18/deep.erl"), "-module(deep).\n");
    symlink("/proc", root.join("src/proc")).unwrap();
    symlink("/dev/zero", root.join("src/zero.erl")).unwrap();
    write(&root.join("real/fl_b.erl"), "-module(fl_b).\n");
    symlink("../real/fl_b.erl", root.join("src/fl_b.erl")).unwrap();

    let doc = json(&bounded(
        root,
        &["scan", ".", "--follow-links", "--format", "json"],
    ));
    assert!(
        has(&doc, "special-file-system", "src/proc"),
        "{:?}",
        codes(&doc)
    );
    assert!(has(&doc, "not-a-regular-file", "src/zero.erl"));
    let revisits = codes(&doc)
        .iter()
        .filter(|(c, _)| c == "symlink-revisit")
        .count();
    // 18 second links, and l/1 to l/18 themselves, walked first through l/0.
    assert_eq!(revisits, 36, "{:?}", codes(&doc));

    // Not following links: the linked source is said, not silently gone.
    let doc = json(&bounded(root, &["scan", ".", "--format", "json"]));
    assert!(
        has(&doc, "symlink-not-followed", "src/fl_b.erl"),
        "{:?}",
        codes(&doc)
    );
}

/// Each thing otpmap does not read is a diagnostic with its file and line.
#[cfg(unix)]
#[test]
fn what_is_dropped_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join("rebar.config"), "{erl_opts, [debug_info]}.\n");
    app(&root.join("apps/one"), "dup", "1", "");
    app(&root.join("apps/two"), "dup", "1", "");
    let src = root.join("apps/one/src");
    write(&src.join("self.hrl"), "-include(\"self.hrl\").\n");
    // h0 includes h1 ... h9: erlc stops at 8 nested include files.
    for i in 0..10 {
        write(
            &src.join(format!("h{i}.hrl")),
            format!("-include(\"h{}.hrl\").\n", i + 1),
        );
    }
    write(&src.join("h10.hrl"), "-define(DEEP, 1).\n");
    std::os::unix::fs::symlink("/dev/zero", src.join("zero.hrl")).unwrap();
    let atom = "a".repeat(300);
    let integer = "7".repeat(200_000);
    write(
        &src.join("m.erl"),
        format!(
            "-module(m).\n-include(\"self.hrl\").\n-include(\"h0.hrl\").\n\
             -include(\"zero.hrl\").\n-define(X, ?X).\n-export([f/0]).\n\
             f() -> {{{atom}, {integer}}}.\n"
        ),
    );
    let doc = json(&bounded(root, &["scan", ".", "--format", "json"]));
    let find = |code: &str| -> Vec<(String, u64)> {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_owned(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let dup = find("duplicate-app-name");
    assert_eq!(dup, [("apps/two/src/dup.app.src".to_owned(), 1)]);
    let msg = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "duplicate-app-name")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("apps/one") && msg.contains("apps/two"),
        "{msg}"
    );
    assert!(find("include-cycle").contains(&("apps/one/src/self.hrl".to_owned(), 1)));
    assert_eq!(
        find("include-too-deep"),
        [("apps/one/src/h7.hrl".to_owned(), 1)]
    );
    assert_eq!(
        find("include-not-read"),
        [("apps/one/src/m.erl".to_owned(), 4)]
    );
    assert_eq!(
        find("circular-macro"),
        [("apps/one/src/m.erl".to_owned(), 5)]
    );
    let literals = find("term-syntax");
    assert_eq!(
        literals,
        [
            ("apps/one/src/m.erl".to_owned(), 7),
            ("apps/one/src/m.erl".to_owned(), 7)
        ],
        "{:?}",
        codes(&doc)
    );
    // The help says "at most 4G".
    let run = bounded(
        root,
        &["scan", ".", "--max-file-size", "4G", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// `1 div 0` is a division by zero, not an overflow.
#[test]
fn division_by_zero_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    app(root, "dz", "1", ", {mod, {dz_sup, []}}");
    write(
        &root.join("src/dz_sup.erl"),
        "-module(dz_sup).\n-behaviour(supervisor).\n-export([start/2, init/1]).\n\
         start(_, _) -> supervisor:start_link(?MODULE, []).\n\
         init([]) ->\n    {ok, {#{}, [#{id => w, start => {dz_w, start_link, []}, \
         shutdown => 1 div 0}]}}.\n",
    );
    let run = bounded(root, &["tree", ".", "--format", "json"]);
    assert!(run.stdout.contains("division by zero"), "{}", run.stdout);
    assert!(!run.stdout.contains("overflow"));
}

/// Costs that were quadratic: 60 000 suppression comments in one
/// function (25 s), 3 000 apps chained by included_applications (lint
/// 10 s and 3 GB, deps a minute), one 6 MB source line (36 MB of human
/// lint output).
#[test]
fn large_inputs_cost_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    app(root, "ig", "1", ", {mod, {ig_sup, []}}");
    let mut text = String::from(
        "-module(ig_sup).\n-behaviour(supervisor).\n-export([start/2, init/1]).\n\
         start(_, _) -> supervisor:start_link(?MODULE, []).\ninit([]) ->\n",
    );
    for i in 0..60_000 {
        text.push_str(&format!("    %% otpmap:ignore blocking-init reason {i}\n"));
    }
    text.push_str("    timer:sleep(10),\n    {ok, {#{}, []}}.\n");
    write(&root.join("src/ig_sup.erl"), text);
    // One 6 MB line with a finding at its end.
    let long = format!(
        "-module(ig_long).\n-export([init/1]).\ninit(_) -> X = [{}], gen_tcp:connect(\"h\", 1, []), {{ok, X}}.\n",
        "1,".repeat(3_000_000) + "1"
    );
    write(&root.join("src/ig_long.erl"), long);
    let run = bounded(root, &["lint", "."]);
    assert!(run.stdout.len() < 100_000, "{} bytes", run.stdout.len());

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let n = 3000;
    for i in 0..n {
        let included = if i + 1 < n {
            format!("a{}", i + 1)
        } else {
            String::new()
        };
        app(
            &root.join(format!("apps/a{i}")),
            &format!("a{i}"),
            "1",
            &format!(", {{included_applications, [{included}]}}"),
        );
    }
    write(
        &root.join("rebar.config"),
        "{relx, [{release, {r, \"1\"}, [a0]}]}.\n",
    );
    for args in [&["lint", "."][..], &["deps", "."], &["scan", "."]] {
        let run = bounded(root, args);
        assert!(
            run.stdout.len() < 5_000_000,
            "{args:?}: {} bytes",
            run.stdout.len()
        );
    }
}
