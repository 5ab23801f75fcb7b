//! When `start/2` cannot be evaluated to a started process, the top
//! supervisor is the one `start/2` starts by name (issue 15: a top
//! supervisor whose flags and children are literal must show them).
//! ergw writes `start/2` with erlando's `do` parse transform; CloudI loads
//! its configuration first, past the evaluation budget.

mod common;

use serde_json::Value;
use std::process::Command;

fn tree(root: &std::path::Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(["tree", root.to_str().unwrap(), "--format", "json", "-q"])
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

const APP_SRC: &str = "{application, relay, [{vsn, \"1.0.0\"}, {mod, {relay_app, []}},\n\
    {applications, [kernel, stdlib]}]}.\n";
const SUP: &str = "-module(relay_sup).\n-behaviour(supervisor).\n\
    -export([start_link/0, init/1]).\n\
    start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\
    init([]) ->\n    {ok, {{rest_for_one, 4, 30},\n          \
    [{relay_log, {relay_log, start_link, []}, permanent, 500, worker, [relay_log]}]}}.\n";
const LOG: &str = "-module(relay_log).\n-export([start_link/0]).\n\
    start_link() -> gen_server:start_link({local, ?MODULE}, relay_log_server, [], []).\n";

fn project(start: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    w("src/relay.app.src", APP_SRC);
    w("src/relay_sup.erl", SUP);
    w("src/relay_log.erl", LOG);
    w(
        "src/relay_app.erl",
        &format!(
            "-module(relay_app).\n-behaviour(application).\n-export([start/2, stop/1]).\n\
             {start}\nstop(_) -> ok.\n"
        ),
    );
    if common::erlang_available() {
        for m in ["relay_app", "relay_sup", "relay_log"] {
            let ok = Command::new("erlc")
                .arg("-o")
                .arg(dir.path())
                .arg(dir.path().join(format!("src/{m}.erl")))
                .status()
                .expect("erlc");
            assert!(ok.success(), "{m}.erl does not compile");
        }
    }
    dir
}

#[test]
fn a_start_function_written_for_a_parse_transform_still_finds_its_supervisor() {
    // The monad library is not in the project: the result is not known.
    let dir = project(
        "start(_Type, _Args) ->\n    monad:do([error_m || relay_metrics:declare(),\n    \
         Pid <- relay_sup:start_link(), error_m:return(Pid)]).",
    );
    let doc = tree(dir.path());
    let root = &doc["trees"][0]["root"];
    assert_eq!(root["module"], "relay_sup", "{doc:#}");
    assert_eq!(root["strategy"], "rest_for_one");
    assert_eq!(root["intensity"], 4);
    assert_eq!(root["period"], 30);
    assert_eq!(root["children"][0]["id"], "relay_log");
    assert_eq!(root["children"][0]["shutdown"], 500);
    let notes = root["notes"].to_string();
    assert!(
        notes.contains("starts by name, relay_sup:start_link/0"),
        "{notes}"
    );
    assert!(root.get("unresolved").is_none(), "{root:#}");
}

#[test]
fn two_supervisors_started_by_name_are_not_guessed_between() {
    let dir = project(
        "start(_Type, _Args) ->\n    monad:do([error_m || Pid <- relay_sup:start_link(),\n    \
         _ <- other_sup:start_link(), error_m:return(Pid)]).",
    );
    common::write_file(
        dir.path(),
        "src/other_sup.erl",
        "-module(other_sup).\n-behaviour(supervisor).\n-export([start_link/0, init/1]).\n\
         start_link() -> supervisor:start_link(?MODULE, []).\n\
         init([]) -> {ok, {#{}, []}}.\n",
    );
    let doc = tree(dir.path());
    let root = &doc["trees"][0]["root"];
    assert_eq!(root["id"], "?", "{doc:#}");
    assert!(root["unresolved"].is_string(), "{root:#}");
}

#[test]
fn an_evaluated_start_function_gets_no_note() {
    let dir = project("start(_Type, _Args) ->\n    relay_sup:start_link().");
    let doc = tree(dir.path());
    let root = &doc["trees"][0]["root"];
    assert_eq!(root["module"], "relay_sup", "{doc:#}");
    assert!(root.get("notes").is_none(), "{root:#}");
}
