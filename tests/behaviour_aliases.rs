//! Behaviour look-alikes end to end: clones from otpmap's table, from the
//! configuration and from their source are treated as the OTP behaviour
//! (`samples/behaviour_clones`); a project behaviour that is no clone is
//! left alone; configuration mistakes are diagnostics.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn otpmap_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("OTPMAP_OTP_ROOT", "")
        .output()
        .expect("run otpmap");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn notes(n: &Value) -> Vec<&str> {
    n["notes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

const SAMPLE: &str = "samples/behaviour_clones";

#[test]
fn supervisor_clones_are_drawn_with_their_children() {
    let tree = otpmap_json(&["tree", SAMPLE]);
    let root = &tree["trees"][0]["root"];
    assert_eq!(root["module"], "relay_sup");
    assert_eq!(root["behaviour"], "supervisor");
    assert!(
        notes(root)
            .iter()
            .any(|n| n
                .starts_with("supervisor2 taken as supervisor (behaviour alias: otpmap's table")),
        "{root}"
    );
    let children: Vec<(&str, &str)> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["module"].as_str().unwrap(),
                c["behaviour"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        children,
        [
            ("relay_conn", "gen_server"),
            ("relay_ticker", "gen_server"),
            ("relay_pool_sup", "supervisor")
        ]
    );
    let pool = &root["children"][2];
    assert!(notes(pool).contains(
        &"pool_supervisor taken as supervisor (behaviour alias: configured in rebar.config)"
    ));
    assert_eq!(pool["children"][0]["module"], "relay_worker");
    assert!(notes(&root["children"][1]).contains(
        &"relay_loop taken as gen_server (behaviour alias: recognised from src/relay_loop.erl)"
    ));
}

#[test]
fn blocking_init_checks_clone_callbacks() {
    let lint = otpmap_json(&["lint", SAMPLE, "--exit-zero"]);
    let findings: Vec<(&str, Vec<&str>)> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), notes(f)))
        .collect();
    let files: Vec<&str> = findings.iter().map(|(f, _)| *f).collect();
    assert_eq!(files, ["src/relay_conn.erl", "src/relay_ticker.erl"]);
    assert!(findings[0].1[0].starts_with("gen_server2 taken as gen_server"));
    assert!(findings[1].1[0].starts_with("relay_loop taken as gen_server"));
}

/// A behaviour of the project that is not a process (ejabberd's `gen_mod`
/// form: `start/2`, `stop/1`) is not taken for a clone; a bad alias entry
/// is a warning with its line, and the good ones still apply.
#[test]
fn non_clones_stay_and_config_mistakes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write_file(
        root,
        "src/hub.app.src",
        "{application, hub, [{vsn, \"1\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    common::write_file(
        root,
        "src/hub_mod.erl",
        "-module(hub_mod).\n-export([start/2, stop/1]).\n\
         -callback start(binary(), list()) -> ok.\n\
         start(Host, Opts) -> Mod = proplists:get_value(module, Opts), Mod:init(Host).\n\
         stop(_) -> ok.\n",
    );
    common::write_file(
        root,
        "src/hub_ping.erl",
        "-module(hub_ping).\n-behaviour(hub_mod).\n-export([init/1]).\n\
         init(_) -> timer:sleep(10), ok.\n",
    );
    common::write_file(
        root,
        "src/hub_chat.erl",
        "-module(hub_chat).\n-behaviour(chat_server).\n-export([init/1]).\n\
         init(_) -> timer:sleep(10), {ok, []}.\n",
    );
    common::write_file(
        root,
        "otpmap.config",
        "{behaviour_aliases, [{chat_server, gen_server},\n\
         {hub_mod, gen_mod},\n\
         nonsense]}.\n",
    );
    let lint = otpmap_json(&["lint", &root.to_string_lossy(), "--exit-zero"]);
    let files: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["src/hub_chat.erl"], "{lint}");
    let scan = otpmap_json(&["scan", &root.to_string_lossy()]);
    let diags: Vec<(u64, &str)> = scan["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "otpmap-config")
        .map(|d| (d["line"].as_u64().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(diags.len(), 2, "{scan}");
    assert_eq!(diags[0].0, 2);
    assert!(diags[0].1.contains("`gen_mod` is not an OTP behaviour"));
    assert_eq!(diags[1].0, 3);
    assert!(Path::new(root).join("otpmap.config").is_file());
}
