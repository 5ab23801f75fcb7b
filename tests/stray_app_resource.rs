//! A copy of an application's resource file kept in the application's
//! folder beside `src/` (dgiot's `apps/dgiot_api/dgiot_api.app.src.script`
//! next to `src/dgiot_api.app.src.script`) is not read: rebar3 reads `src/`
//! and `ebin/` only. It used to be read as a second, empty, application
//! resource: an error on a file the build never uses.

mod common;

use serde_json::Value;
use std::process::Command;

#[test]
fn a_resource_copy_beside_src_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| common::write_file(dir.path(), rel, text);
    w("rebar.config", "{deps, []}.\n");
    w(
        "apps/gate/src/gate.app.src",
        "{application, gate, [{vsn, \"1.2.0\"}, {applications, [kernel, stdlib]}]}.\n",
    );
    // What the copy's script gives without its environment variable: [].
    w(
        "apps/gate/gate.app.src.script",
        "case os:getenv(\"GATE_VSN\") of false -> CONFIG; V -> V end.\n",
    );
    w(
        "apps/gate/src/gate.erl",
        "-module(gate).\n-export([open/0]).\nopen() -> ok.\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .args([
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
        .output()
        .expect("run otpmap");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["apps"].as_array().map(Vec::len), Some(1), "{doc:#}");
    assert_eq!(doc["apps"][0]["vsn"], "1.2.0");
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["file"], "apps/gate/gate.app.src.script");
    assert_eq!(diags[0]["severity"], "info");
    assert_eq!(out.status.code(), Some(0));
}
