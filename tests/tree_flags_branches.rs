//! Two `init/1` clauses whose flags mean the same once OTP's defaults are
//! filled in (`#{}` for a disabled mode, the defaults spelt out for the
//! normal one, as opentelemetry-erlang writes) are not flags that "differ
//! between branches": the supervisor's flags are known.

mod common;

use serde_json::Value;
use std::process::Command;

const SUP: &str = "-module(probe_sup).\n-behaviour(supervisor).\n\
    -export([start_link/1, init/1]).\n\
    start_link(Opts) -> supervisor:start_link({local, ?MODULE}, ?MODULE, [Opts]).\n\
    init([#{disabled := true}]) ->\n    {ok, {#{}, []}};\n\
    init([_Opts]) ->\n    \
    {ok, {#{strategy => one_for_one, intensity => 1, period => 5}, []}}.\n";
const APP: &str = "-module(probe_app).\n-behaviour(application).\n\
    -export([start/2, stop/1]).\n\
    start(_, _) -> probe_sup:start_link(application:get_all_env(probe)).\n\
    stop(_) -> ok.\n";

fn init_root(sup: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    w(
        "src/probe.app.src",
        "{application, probe, [{vsn, \"1\"}, {mod, {probe_app, []}}, {applications, [kernel]}]}.\n",
    );
    w("src/probe_app.erl", APP);
    w("src/probe_sup.erl", sup);
    if common::erlang_available() {
        let ok = Command::new("erlc")
            .arg("-o")
            .arg(dir.path())
            .arg(dir.path().join("src/probe_sup.erl"))
            .arg(dir.path().join("src/probe_app.erl"))
            .status()
            .expect("erlc");
        assert!(ok.success(), "the sample does not compile");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args([
            "tree",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["trees"][0]["root"].clone()
}

#[test]
fn flags_equal_after_defaults_are_known() {
    let root = init_root(SUP);
    assert_eq!(root["strategy"], "one_for_one", "{root:#}");
    assert_eq!(root["intensity"], 1);
    assert_eq!(root["period"], 5);
    assert!(root.get("unresolved").is_none(), "{root:#}");
}

#[test]
fn flags_that_really_differ_are_still_said() {
    let root = init_root(&SUP.replace("period => 5", "period => 60"));
    let why = root["unresolved"].as_str().unwrap_or_default();
    assert!(
        why.contains("sup flags differ between branches"),
        "{root:#}"
    );
}
