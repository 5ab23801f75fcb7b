//! `otpmap report` in a real browser (headless Chromium): for every sample,
//! the page draws without a script error, holds every application and
//! every supervisor of the trees, finds a module, shows a supervisor's
//! children when it is expanded, and a screenshot is not blank.
//!
//! The page's self-test hook (`#selftest?q=NAME`) runs the search and the
//! expansion and writes what it saw into `#selftest-result`; the DOM is
//! read with `--dump-dom`. Skips without chromium, fails under
//! `OTPMAP_REQUIRE_BROWSER=1`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn report(dir: &Path, out: &Path, extra: &[&str]) {
    let run = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .arg("report")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(extra)
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    assert!(
        matches!(run.status.code(), Some(0 | 2)) && out.is_file(),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The embedded document of a page.
fn document(html: &str) -> Value {
    let open = "id=\"otpmap-data\">";
    let start = html.find(open).unwrap() + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// What the self-test hook wrote into the DOM.
fn self_test(dom: &str) -> Value {
    let open = "<pre id=\"selftest-result\">";
    let start = dom.find(open).unwrap_or_else(|| {
        let errors = dom
            .find("<div id=\"errors\"")
            .map_or("", |i| &dom[i..(i + 400).min(dom.len())]);
        panic!("no self-test result in the DOM: {errors}")
    }) + open.len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn url(file: &Path, fragment: &str) -> String {
    format!("file://{}#{fragment}", file.display())
}

/// Every supervisor of the trees, as `app/id`.
fn supervisors(doc: &Value) -> BTreeSet<String> {
    fn walk(app: &str, n: &Value, out: &mut BTreeSet<String>) {
        if let Some(children) = n["children"].as_array() {
            out.insert(format!("{app}/{}", n["id"].as_str().unwrap()));
            for c in children {
                walk(app, c, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    for t in doc["tree"]["trees"].as_array().unwrap() {
        walk(t["app"].as_str().unwrap(), &t["root"], &mut out);
    }
    out
}

/// Whether some supervisor of the trees has a child.
fn html_has_child_of_supervisor(doc: &Value) -> bool {
    fn walk(n: &Value) -> bool {
        n["children"]
            .as_array()
            .is_some_and(|c| !c.is_empty() || c.iter().any(walk))
    }
    doc["tree"]["trees"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| walk(&t["root"]))
}

/// Width, height and size of a PNG file (its IHDR chunk).
fn png_facts(bytes: &[u8]) -> (u32, u32, usize) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20), bytes.len())
}

#[test]
fn every_sample_draws_in_chromium() {
    let Some(browser) = common::chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // A blank page of the same size: what "blank" compresses to.
    let blank = tmp.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><title>x</title>").unwrap();
    let blank_png = tmp.path().join("blank.png");
    let size = "--window-size=1200,900";
    common::headless(
        &browser,
        &url(&blank, ""),
        &[size, &format!("--screenshot={}", blank_png.display())],
    );
    let (_, _, blank_bytes) = png_facts(&std::fs::read(&blank_png).unwrap());
    let mut samples: Vec<_> = std::fs::read_dir(common::samples_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    samples.sort();
    assert!(samples.len() >= 15, "{samples:?}");
    let mut searched = 0;
    let mut expanded = 0;
    for sample in &samples {
        let name = sample.file_name().unwrap().to_string_lossy().into_owned();
        let page = tmp.path().join(format!("{name}.html"));
        report(sample, &page, &[]);
        let doc = document(&std::fs::read_to_string(&page).unwrap());
        // A module to look for: the first application's first one.
        let module = doc["scan"]["apps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["modules"].as_array()?.first()?.as_str())
            .next()
            .map(str::to_owned);
        let fragment = format!("selftest?q={}", module.as_deref().unwrap_or(""));
        // One run: the DOM after the self-test, and a screenshot of it.
        let shot = tmp.path().join(format!("{name}.png"));
        let dom = common::headless(
            &browser,
            &url(&page, &fragment),
            &[
                "--dump-dom",
                size,
                &format!("--screenshot={}", shot.display()),
            ],
        );
        let seen = self_test(&dom);
        assert_eq!(
            seen["errors"],
            Value::Array(vec![]),
            "{name}: script errors"
        );
        let apps: BTreeSet<&str> = doc["scan"]["apps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        let shown: BTreeSet<&str> = seen["apps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(shown, apps, "{name}: applications in the DOM");
        let sups: BTreeSet<String> = seen["supervisors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(sups, supervisors(&doc), "{name}: supervisors in the DOM");
        if let Some(m) = &module {
            let hit = format!("module:{m}");
            assert!(
                seen["search"].as_array().unwrap().iter().any(|h| h == &hit),
                "{name}: searching {m} gave {}",
                seen["search"]
            );
            searched += 1;
        }
        if let Some(e) = seen.get("expand") {
            assert_eq!(e["visible_before"], 0, "{name}: {e}");
            assert_eq!(e["visible_after"], e["children"], "{name}: {e}");
            assert!(e["children"].as_u64().unwrap() > 0);
            let panel = seen["crash_panel"].as_str().unwrap_or("");
            assert!(panel.starts_with("If "), "{name}: {panel}");
            expanded += 1;
        } else {
            // Only a supervisor with children can be unfolded.
            assert!(
                !html_has_child_of_supervisor(&doc),
                "{name}: nothing expanded"
            );
        }
        let (w, h, bytes) = png_facts(&std::fs::read(&shot).unwrap());
        assert!(w >= 1000 && h >= 800, "{name}: {w}x{h}");
        assert!(
            bytes > 4 * blank_bytes,
            "{name}: the screenshot is {bytes} bytes, a blank page {blank_bytes}"
        );
    }
    assert!(searched >= 10 && expanded >= 8, "{searched} {expanded}");
}

/// Input that tries to run script or add elements: shown as text.
#[test]
fn hostile_text_is_shown_not_run() {
    let Some(browser) = common::chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("evil");
    common::write_file(
        &root,
        "src/evil.app.src",
        "{application, evil, [{vsn, \"</script><script>document.title='pwned'</script>\"},\n\
         {description, \"<img src=x onerror=\\\"document.title='pwned'\\\"> <!--\"},\n\
         {registered, ['<svg onload=alert(1)>']},\n\
         {applications, [kernel, stdlib]}, {mod, {evil_app, []}}]}.\n",
    );
    common::write_file(
        &root,
        "src/evil_app.erl",
        "-module(evil_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> evil_sup:start_link().\nstop(_) -> ok.\n",
    );
    common::write_file(
        &root,
        "src/evil_sup.erl",
        "-module(evil_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, '<i>sup</i>'}, ?MODULE, []).\n\
         init([]) -> {ok, {#{}, [#{id => '<b>x</b>', start => {evil_w, start_link, []}}]}}.\n",
    );
    let page = tmp.path().join("evil.html");
    report(
        &root,
        &page,
        &[
            "--source-url",
            "https://git.example.com/o/r/blob/{rev}/{path}#L{line}",
        ],
    );
    let dom = common::headless(&browser, &url(&page, "selftest?q=evil"), &["--dump-dom"]);
    let seen = self_test(&dom);
    assert_eq!(seen["errors"], Value::Array(vec![]));
    assert!(!dom.contains("<img") && !dom.contains("<b>x") && !dom.contains("<i>sup"));
    assert!(!dom.contains("pwned</title>"), "{dom}");
    assert!(
        dom.contains("&lt;b&gt;x&lt;/b&gt;"),
        "the id is shown as text"
    );
    // The only URLs in the DOM are the source links, from the template.
    let open = dom.find("id=\"otpmap-data\">").unwrap();
    let close = open + dom[open..].find("</script>").unwrap();
    let outside = format!("{}{}", &dom[..open], &dom[close..]);
    let mut rest = outside.as_str();
    let mut links = 0;
    while let Some(i) = rest.find("http") {
        let before = &rest[..i];
        if before.ends_with("href=\"") {
            assert!(rest[i..].starts_with("https://git.example.com/o/r/blob/"));
            assert!(
                before.ends_with("class=\"loc\" href=\""),
                "{}",
                &rest[i.saturating_sub(80)..i]
            );
            links += 1;
        } else {
            // Text inside the data element or the page, never an attribute.
            assert!(
                !before.ends_with('"') && !before.ends_with('='),
                "{}",
                &rest[i.saturating_sub(80)..i + 40]
            );
        }
        rest = &rest[i + 4..];
    }
    assert!(links >= 3, "{links} source links");
}

/// Fifty queue supervisors built from `lists:seq/2` are one node and "49
/// more alike", which unfolds; every one of them is in the DOM.
#[test]
fn indexed_siblings_fold_into_one() {
    let Some(browser) = common::chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("mq");
    let write = |path: &str, text: &str| common::write_file(&root, path, text);
    write(
        "src/mq.app.src",
        "{application, mq, [{vsn, \"1.0.0\"}, {applications, [kernel, stdlib]},\n\
         {mod, {mq_app, []}}]}.\n",
    );
    write(
        "src/mq_app.erl",
        "-module(mq_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> mq_sup:start_link().\nstop(_) -> ok.\n",
    );
    write(
        "src/mq_sup.erl",
        "-module(mq_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, mq_sup}, mq_sup, []).\n\
         init([]) ->\n\
         Queues = [#{id => {queue_sup, N}, type => supervisor,\n\
                     start => {mq_queue_sup, start_link, [N]}} || N <- lists:seq(0, 49)],\n\
         {ok, {#{strategy => one_for_one}, Queues}}.\n",
    );
    write(
        "src/mq_queue_sup.erl",
        "-module(mq_queue_sup).\n-behaviour(supervisor).\n-export([start_link/1, init/1]).\n\
         start_link(N) -> supervisor:start_link(mq_queue_sup, N).\n\
         init(N) -> {ok, {#{strategy => one_for_all},\n\
         [#{id => queue, start => {mq_worker, start_link, [N]}}]}}.\n",
    );
    let page = tmp.path().join("mq.html");
    report(&root, &page, &[]);
    let doc = document(&std::fs::read_to_string(&page).unwrap());
    assert_eq!(doc["tree"]["trees"][0]["root"]["children"][0]["run"], 50);
    let dom = common::headless(
        &browser,
        &url(&page, "selftest?q=mq_queue"),
        &["--dump-dom"],
    );
    let seen = self_test(&dom);
    assert_eq!(seen["errors"], Value::Array(vec![]));
    assert_eq!(seen["supervisors"].as_array().unwrap().len(), 51);
    assert_eq!(dom.matches("<details class=\"run\">").count(), 1, "{dom}");
    assert!(
        dom.contains("49 more alike: {queue_sup,1} \u{2026} {queue_sup,49}"),
        "{dom}"
    );
}
