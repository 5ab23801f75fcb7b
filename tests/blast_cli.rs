//! `otpmap blast` on the command line: names, ambiguity, exit codes.

use std::process::Command;

fn blast(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_otpmap"))
        .arg("blast")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn umbrella() -> String {
    format!("{}/samples/umbrella", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn rest_for_one_restarts_the_younger_siblings() {
    let (code, out, err) = blast(&["store_order_log", &umbrella(), "--app", "store"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("restarted: store_order_log, store_order_queue, store_fulfilment"));
    assert!(out.contains("release shop: permanent: the node stops"));
    assert!(out.contains("Shortest way there: 12 crashes of store_order_log"));
}

#[test]
fn a_registered_name_or_a_path_names_the_process() {
    let (code, out, _) = blast(&["store_sup/store_catalog", &umbrella(), "-f", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], "otpmap.blast/1");
    // Without --app, the included store is the one backoffice starts.
    assert_eq!(doc["app"], "backoffice");
    assert_eq!(doc["crashes_to_stop_app"], 20);
    assert!(doc["notes"][0].as_str().unwrap().contains("--app store"));
}

#[test]
fn unknown_and_ambiguous_names_exit_2_with_what_to_do() {
    let (code, _, err) = blast(&["store_", &umbrella()]);
    assert_eq!(code, 2);
    assert!(err.contains("no process `store_`"), "{err}");
    assert!(err.contains("close: store_cart_sup"), "{err}");
    let (code, _, err) = blast(&["store_catalog", &umbrella(), "--app", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("applications with a tree"), "{err}");
}

#[test]
fn a_temporary_child_stops_the_exit() {
    let (code, out, _) = blast(&["cart", &umbrella(), "--app", "store"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("not restarted, and its exit does not count"),
        "{out}"
    );
    assert!(!out.contains("Shortest way there"), "{out}");
}
