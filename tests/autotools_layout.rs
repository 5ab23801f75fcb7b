//! An autotools build (CloudI) commits `src/lib/<app>/src/<app>.app.src.in`,
//! the template `configure` fills in, and no `.app.src`: the template is
//! the application's description. Once `configure` has run, the `.app.src`
//! it wrote is used instead.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn otpmap(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .args(["--format", "json", "-q"])
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

const APP_SRC_IN: &str = "{application, relay,\n [{vsn, \"@VERSION@\"},\n  \
    {mod, {relay_app, []}},\n  {applications, [kernel, stdlib]}]}.\n";
const APP: &str = "-module(relay_app).\n-behaviour(application).\n\
    -export([start/2, stop/1]).\nstart(_, _) -> relay_sup:start_link().\nstop(_) -> ok.\n";
const SUP: &str = "-module(relay_sup).\n-behaviour(supervisor).\n\
    -export([start_link/0, init/1]).\n\
    start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
    init([]) -> {ok, {#{strategy => rest_for_one, intensity => 2, period => 7}, []}}.\n";

fn write_project(root: &Path) {
    common::write_file(root, "src/lib/relay/src/relay.app.src.in", APP_SRC_IN);
    common::write_file(root, "src/lib/relay/src/relay_app.erl", APP);
    common::write_file(root, "src/lib/relay/src/relay_sup.erl", SUP);
}

#[test]
fn an_app_src_template_describes_the_application() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    if common::erlang_available() {
        for m in ["relay_app", "relay_sup"] {
            let src = dir.path().join(format!("src/lib/relay/src/{m}.erl"));
            let ok = Command::new("erlc")
                .arg("-o")
                .arg(dir.path())
                .arg(&src)
                .status()
                .expect("erlc");
            assert!(ok.success(), "{m}.erl does not compile");
        }
    }
    let root = dir.path().to_str().unwrap();
    let scan = otpmap(&["scan", root]);
    let app = &scan["apps"][0];
    assert_eq!(app["name"], "relay", "{scan:#}");
    assert_eq!(app["dir"], "src/lib/relay");
    assert_eq!(app["kind"], "regular");
    assert_eq!(scan["apps"].as_array().map(Vec::len), Some(1));
    let tree = otpmap(&["tree", root]);
    let sup = &tree["trees"][0]["root"];
    assert_eq!(sup["module"], "relay_sup", "{tree:#}");
    assert_eq!(sup["strategy"], "rest_for_one");
    assert_eq!(sup["intensity"], 2);
}

#[test]
fn the_app_src_configure_wrote_wins_over_its_template() {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let written = APP_SRC_IN.replace("@VERSION@", "2.0.1");
    common::write_file(dir.path(), "src/lib/relay/src/relay.app.src", &written);
    let scan = otpmap(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(scan["apps"].as_array().map(Vec::len), Some(1), "{scan:#}");
    assert_eq!(scan["apps"][0]["vsn"], "2.0.1");
    assert_eq!(scan["apps"][0]["file"], "src/lib/relay/src/relay.app.src");
}
