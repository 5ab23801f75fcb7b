//! `otpmap report` without a browser: the embedded `otpmap.report/1`
//! document against its insta snapshot, the page fetching nothing, input text
//! that cannot leave the JSON, and the arguments' errors.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn report(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .arg("report")
        .arg(dir)
        .args(extra)
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The page of `dir`, written to a file in a temporary folder.
fn page(dir: &Path, extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .arg("report")
        .arg(dir)
        .arg("-o")
        .arg(&file)
        .args(extra)
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    assert!(
        out.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&file).expect("the page was written")
}

const DATA_OPEN: &str = "<script type=\"application/json\" id=\"otpmap-data\">";

/// The page split into (markup, style and script; the embedded JSON).
fn split(html: &str) -> (String, &str) {
    let start = html.find(DATA_OPEN).expect("the data element") + DATA_OPEN.len();
    let end = start + html[start..].find("</script>").expect("its end");
    (
        format!("{}{}", &html[..start], &html[end..]),
        &html[start..end],
    )
}

#[test]
fn the_embedded_document_is_the_golden_one() {
    let html = page(Path::new("samples/release_boot"), &[]);
    let (_, data) = split(&html);
    let doc: Value = serde_json::from_str(data).expect("the embedded JSON parses");
    assert_eq!(doc["schema"], "otpmap.report/1");
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    text.push('\n');
    insta::assert_snapshot!("report_release_boot", text);
    // Byte-identical on reruns.
    assert_eq!(html, page(Path::new("samples/release_boot"), &[]));
}

#[test]
fn every_tree_node_says_what_its_crash_takes_down() {
    let html = page(Path::new("samples/release_boot"), &[]);
    let doc: Value = serde_json::from_str(split(&html).1).unwrap();
    fn walk(n: &Value, count: &mut usize) {
        assert!(n["crash"].is_object(), "no crash panel data: {n}");
        *count += 1;
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, count);
        }
    }
    let mut count = 0;
    for t in doc["tree"]["trees"].as_array().unwrap() {
        assert!(t["releases"].is_array(), "{t}");
        walk(&t["root"], &mut count);
    }
    assert!(count >= 6, "{count} nodes");
    // relay_api_sup is rest_for_one: a crash of relay_jobs_sup restarts
    // it and relay_api_gate, started after it.
    let api = &doc["tree"]["trees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["app"] == "relay_api")
        .unwrap()["root"];
    let jobs = &api["children"][0];
    assert_eq!(jobs["id"], "relay_jobs_sup");
    let level = &jobs["crash"]["levels"][0];
    assert_eq!(level["strategy"], "rest_for_one");
    assert_eq!(
        level["restarted"],
        serde_json::json!(["relay_jobs_sup", "relay_api_gate"])
    );
}

/// The page fetches nothing: no URL outside the embedded data (where a
/// git dependency's URL is text), no element or rule that loads one.
#[test]
fn the_page_references_no_network_resource() {
    for sample in ["umbrella", "release_boot", "vendored_deps"] {
        for extra in [
            &[][..],
            &[
                "--source-url",
                "https://git.example.com/org/repo/blob/{rev}/{path}#L{line}",
            ],
        ] {
            let html = page(&Path::new("samples").join(sample), extra);
            let (code, data) = split(&html);
            for needle in ["http://", "https://", "<link", "@import", "url(", " src="] {
                assert!(!code.contains(needle), "{sample}: `{needle}` in the page");
            }
            let doc: Value = serde_json::from_str(data).unwrap();
            match extra.get(1) {
                Some(url) => assert_eq!(doc["source_url"], *url),
                None => assert!(doc["source_url"].is_null()),
            }
        }
    }
}

#[test]
fn input_text_stays_inside_the_json() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "src/evil.app.src",
        "{application, evil, [{vsn, \"</script><script>alert(1)</script>\"},\n\
         {description, \"<!-- <img src=x onerror=alert(2)> & \\x{2028}\"},\n\
         {applications, [kernel, stdlib]}, {mod, {evil_app, []}}]}.\n",
    );
    write(
        "src/evil_app.erl",
        "-module(evil_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
         start(_, _) -> evil_sup:start_link().\nstop(_) -> ok.\n",
    );
    write(
        "src/evil_sup.erl",
        "-module(evil_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link({local, '</script>'}, ?MODULE, []).\n\
         init([]) -> {ok, {#{}, [#{id => '<b>x</b>', start => {evil_w, start_link, []}}]}}.\n",
    );
    let html = page(root, &[]);
    let (code, data) = split(&html);
    assert_eq!(html.matches("</script>").count(), 3, "{html}");
    assert!(!data.contains(['<', '>', '&', '\u{2028}']), "{data}");
    assert!(!code.contains("alert"), "{code}");
    let doc: Value = serde_json::from_str(data).unwrap();
    assert_eq!(
        doc["scan"]["apps"][0]["vsn"],
        "</script><script>alert(1)</script>"
    );
}

#[test]
fn a_source_url_without_path_is_refused() {
    let (code, _, stderr) = report(
        Path::new("samples/umbrella"),
        &["--source-url", "https://example.com/blob"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("{path}"), "{stderr}");
}
