//! One fixture per evaluator feature (`tests/fixtures/tree/<feature>/`,
//! plus the shared worker `common/w.erl`), each with its expected tree in
//! a compact outline:
//!
//! ```text
//! id (module) type restart shutdown [behaviour name] {tags}
//! ```
//!
//! where supervisors show `sup <strategy> <intensity>/<period>` as their
//! type and tags are `dynamic`, `if[<condition> | default=<bool>]`,
//! `computed`, `?<unresolved>`, `!<note>`, `<-<start_child caller>`.

mod common;

use std::path::Path;

use otpmap::graph::supervision::{analyse_modules, TreeNode};
use otpmap::syntax::{index_module, SourceFile};

fn tree(feature: &str, module: &str, function: &str, arity: usize) -> TreeNode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tree");
    let mut files = Vec::new();
    for dir in ["common", feature] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "erl"))
            .collect();
        entries.sort();
        for p in entries {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            files.push(index_module(SourceFile::from_text(rel, text)));
        }
    }
    analyse_modules(files, module, function, arity)
}

fn outline(n: &TreeNode) -> String {
    let mut out = String::new();
    write(n, 0, "", &mut out);
    out
}

fn write(n: &TreeNode, depth: usize, num: &str, out: &mut String) {
    let mut line = format!("{}{num}{}", "  ".repeat(depth), n.id);
    if let Some(m) = &n.module {
        if *m != n.id {
            line.push_str(&format!(" ({m})"));
        }
    }
    match &n.supervisor {
        Some(s) => line.push_str(&format!(
            " sup {} {}/{}",
            s.strategy.map_or("?", |x| x.as_str()),
            s.intensity.map_or("?".into(), |x| x.to_string()),
            s.period.map_or("?".into(), |x| x.to_string())
        )),
        None => line.push_str(&format!(" {}", n.child_type.map_or("?", |t| t.as_str()))),
    }
    line.push_str(&format!(
        " {} {}",
        n.restart.map_or("?", |r| r.as_str()),
        n.shutdown.map_or("?".into(), |s| s.to_string())
    ));
    if let Some(b) = &n.started.behaviour {
        line.push_str(&format!(" {b}"));
    }
    if let Some(name) = &n.started.name {
        line.push_str(&format!(" {name}"));
    }
    if n.dynamic {
        line.push_str(" dynamic");
    }
    if !n.presence.is_always() {
        line.push_str(&format!(
            " if[{} | default={}]",
            n.presence.text(),
            n.presence
                .default()
                .map_or("?".to_owned(), |d| d.to_string())
        ));
    }
    if n.computed.is_some() {
        line.push_str(" computed");
    }
    for u in &n.unresolved {
        line.push_str(&format!(" ?{u}"));
    }
    for note in &n.notes {
        line.push_str(&format!(" !{note}"));
    }
    for c in n
        .start_calls
        .iter()
        .chain(n.supervisor.iter().flat_map(|s| &s.start_calls))
    {
        line.push_str(&format!(" <-{} {}", c.caller, c.loc));
        if let Some(t) = &c.through {
            line.push_str(&format!(" via {}", t.function));
        }
    }
    if let Some(ig) = n.supervisor.as_ref().and_then(|s| s.ignore.as_ref()) {
        line.push_str(&format!(" ignore[{ig}]"));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    if let Some(s) = &n.supervisor {
        for (i, c) in s.children.iter().enumerate() {
            let num = if c.dynamic {
                "* ".to_owned()
            } else {
                format!("{}. ", i + 1)
            };
            write(c, depth + 1, &num, out);
        }
    }
}

fn check(feature: &str, module: &str, function: &str, arity: usize, expected: &str) {
    let got = outline(&tree(feature, module, function, arity));
    assert_eq!(
        got.trim_end(),
        expected.trim(),
        "\n--- {feature}: got\n{got}--- expected\n{}\n",
        expected.trim()
    );
}

#[test]
fn tuple_forms() {
    check(
        "tuple_forms",
        "tuple_sup",
        "start_link",
        0,
        r#"
tuple_sup sup rest_for_one 2/60 permanent infinity supervisor {local,tuple_sup}
  1. a (w) worker permanent 2000 gen_server
  2. {b,1} (w) worker transient brutal_kill gen_server
  3. "c" (w) worker temporary infinity gen_server
"#,
    );
}

#[test]
fn map_defaults() {
    check(
        "map_defaults",
        "map_sup",
        "start_link",
        0,
        r#"
map_sup sup one_for_one 1/5 permanent infinity supervisor {local,map_sup}
  1. a (w) worker permanent 5000 gen_server
  2. inner (map_inner_sup) sup one_for_all 1/30 permanent infinity supervisor
  3. c (w) worker transient 100 gen_server
"#,
    );
}

#[test]
fn variables_and_calls() {
    check(
        "variables_calls",
        "vc_sup",
        "start_link",
        0,
        r#"
vc_sup sup one_for_one 4/40 permanent infinity supervisor {local,vc_sup}
  1. first (w) worker permanent 1000 gen_server
  2. second (w) worker transient 5000 gen_server
  3. third (w) worker temporary 3000 gen_server
"#,
    );
}

#[test]
fn macros() {
    check(
        "macros",
        "macro_sup",
        "start_link",
        0,
        r#"
macro_sup sup one_for_one 10/10 permanent infinity supervisor {local,macro_sup}
  1. macro_worker worker permanent 5000 gen_server {local,macro_worker}
"#,
    );
}

#[test]
fn list_operations() {
    check(
        "lists",
        "list_sup",
        "start_link",
        0,
        r#"
list_sup sup one_for_one 1/5 permanent infinity supervisor {local,list_sup}
  1. a (w) worker permanent 5000 gen_server
  2. b (w) worker permanent 5000 gen_server
  3. c (w) worker permanent 5000 gen_server
  4. d (w) worker permanent 5000 gen_server
  5. e (w) worker permanent 5000 gen_server
  6. i (w) worker permanent 5000 gen_server
  7. f (w) worker permanent 5000 gen_server
  8. g (w) worker permanent 5000 gen_server
  9. h (w) worker permanent 5000 gen_server
"#,
    );
}

#[test]
fn init_clauses_and_argument_propagation() {
    check(
        "init_clauses",
        "ic_top",
        "start_link",
        0,
        r#"
ic_top sup one_for_one 1/5 permanent infinity supervisor {local,ic_top}
  1. small (ic_sup) sup one_for_one 1/5 permanent infinity supervisor
    1. only (w) worker permanent 5000 gen_server
  2. big (ic_sup) sup one_for_all 3/10 permanent infinity supervisor
    1. one (w) worker permanent 5000 gen_server
    2. two (w) worker permanent 5000 gen_server
"#,
    );
}

#[test]
fn init_clauses_with_unknown_argument() {
    check(
        "init_clauses",
        "ic_sup",
        "start_link",
        1,
        r#"
ic_sup sup one_for_one 1/5 permanent infinity supervisor ?sup flags differ between branches of init/1; showing the first branch's
  1. only (w) worker permanent 5000 gen_server if[the argument of ic_sup:init/1 is small | default=?]
  2. one (w) worker permanent 5000 gen_server if[the argument of ic_sup:init/1 matches {big, N} such that N > 2 | default=?]
  3. two (w) worker permanent 5000 gen_server if[the argument of ic_sup:init/1 matches {big, N} such that N > 2 | default=?]
"#,
    );
}

#[test]
fn case_and_if_branches() {
    check(
        "branches",
        "branch_sup",
        "start_link",
        1,
        r#"
branch_sup sup one_for_one 1/5 permanent infinity supervisor
  1. common (w) worker permanent 5000 gen_server
  2. full_only (w) worker permanent 5000 gen_server if[proplists:get_value(mode, Opts) matches full | default=?]
  3. last (w) worker permanent 5000 gen_server
"#,
    );
}

#[test]
fn ifdef_branches() {
    check(
        "ifdef",
        "ifdef_sup",
        "start_link",
        0,
        r#"
ifdef_sup sup one_for_one 1/5 permanent infinity supervisor {local,ifdef_sup}
  1. probe (w) worker permanent 5000 gen_server if[TEST defined | default=false]
  2. main (w) worker permanent 5000 gen_server
  3. mock_backend (w) worker permanent 5000 gen_server if[TEST defined | default=false]
  4. backend (w) worker permanent 5000 gen_server if[TEST undefined | default=true]
"#,
    );
}

#[test]
fn comprehensions() {
    check(
        "comprehension",
        "comp_sup",
        "start_link",
        1,
        r#"
comp_sup sup one_for_one 1/5 permanent infinity supervisor
  1. one (w) worker permanent 5000 gen_server
  2. three (w) worker permanent 5000 gen_server
  3. {mapped,1} (w) worker permanent 5000 gen_server
  4. {mapped,2} (w) worker permanent 5000 gen_server
  5. {shard,?} (w) worker permanent 5000 gen_server computed
"#,
    );
}

#[test]
fn unresolved_values() {
    check(
        "unresolved",
        "unres_sup",
        "start_link",
        1,
        r#"
unres_sup sup one_for_one 1/5 permanent infinity supervisor
  1. from_arg (w) worker ? 5000 gen_server ?restart: argument 1
  2. ? ? ? ? ?child spec: elsewhere:child_spec/1 is not in the project (unresolved/unres_sup.erl:11)
  3. odd (w) worker ? 5000 gen_server !invalid restart `forever`
  4. ? ? ? ? !invalid child spec: not a child spec: a tuple of 2 elements, {not_a_spec,{w,start_link,[]}}
"#,
    );
}

#[test]
fn environment_defaults() {
    check(
        "env_defaults",
        "env_sup",
        "start_link",
        0,
        r#"
env_sup sup one_for_one 7/5 permanent infinity supervisor {local,env_sup} !intensity as in the default build, where envapp.intensity unset (default 7)
  1. cache (w) worker permanent 5000 gen_server if[os:getenv("CACHE", "on") matches "on" | default=true]
  2. debugger (w) worker permanent 5000 gen_server if[application:get_env(envapp, debug) matches {ok, true} (envapp.debug set in sys.config or at run time) | default=false]
"#,
    );
}

#[test]
fn start_calls() {
    check(
        "start_calls",
        "sc_sup",
        "start_link",
        0,
        r#"
sc_sup sup one_for_one 1/5 permanent infinity supervisor {local,sc_sup}
  1. server (sc_server) worker permanent 5000 gen_server {local,sc_server}
  2. machine (sc_machine) worker permanent 5000 gen_statem {global,{sc_machine,x}}
  3. events (sc_events) worker permanent 5000 gen_event {local,sc_events}
  4. bridge (sc_bridge) supervisor permanent infinity supervisor_bridge {via,sc_registry,bridge} !typed supervisor, but sc_bridge:start_link() starts sc_bridge (supervisor_bridge:start_link/3): shown as a leaf
  5. special (sc_special) worker permanent 5000 proc_lib
  6. fsm (sc_fsm) worker permanent 5000 proc_lib
"#,
    );
}

#[test]
fn leaf_typed_supervisor() {
    check(
        "leaf",
        "leaf_sup",
        "start_link",
        0,
        r#"
leaf_sup sup one_for_one 1/5 permanent infinity supervisor {local,leaf_sup}
  1. fake_sup (w) supervisor permanent infinity gen_server !typed supervisor, but w:start_link() starts w (gen_server:start_link/3): shown as a leaf
  2. real_sup (leaf_inner) sup one_for_one 1/5 permanent 5000 supervisor !typed worker, but leaf_inner is a supervisor
    1. deep (w) worker permanent 5000 gen_server
"#,
    );
}

#[test]
fn dynamic_children() {
    check(
        "dynamic",
        "dyn_top",
        "start_link",
        0,
        r#"
dyn_top sup one_for_one 1/5 permanent infinity supervisor
  1. dyn_sup sup simple_one_for_one 0/1 permanent infinity supervisor {local,dyn_sup}
    * job (dyn_job) worker temporary 5000 gen_server dynamic <-dyn_api:run/1 dynamic/dyn_api.erl:6 <-dyn_cli:job/0 dynamic/dyn_cli.erl:18 via dyn_api:lost/2 <-dyn_sup:start_job/2 dynamic/dyn_sup.erl:11
  2. dyn_pool_sup sup one_for_one 1/5 permanent infinity supervisor {global,dyn_pool_sup} <-dyn_cli:extra/1 dynamic/dyn_cli.erl:14 via dyn_api:plug/1
    * ? (w) worker permanent 5000 gen_server dynamic ?id: `Id` is an argument of pool/1 <-dyn_api:pool/1 dynamic/dyn_api.erl:11
    * dyn_cache (w) worker transient 2000 gen_server dynamic <-dyn_api:cache/0 dynamic/dyn_api.erl:14
    * dyn_probe (w) worker temporary brutal_kill gen_server dynamic <-dyn_cli:probe/0 dynamic/dyn_cli.erl:6 via dyn_api:plug/1
    * dyn_metrics worker transient 5000 dynamic !started by dyn_metrics:start_link/0, which is not in the project (OTP or a dependency; --include-deps reads fetched dependencies) <-dyn_cli:metrics/0 dynamic/dyn_cli.erl:9 via dyn_api:attach/2
"#,
    );
}

#[test]
fn limits() {
    check(
        "limits",
        "limit_sup",
        "start_link",
        1,
        r#"
limit_sup sup one_for_one 1/5 permanent infinity supervisor !evaluation limit: limit_sup:init/1 was only partly evaluated (recursion at limits/limit_sup.erl:17)
  1. 0 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  2. 1 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  3. 2 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  4. 3 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  5. 4 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  6. 5 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  7. 6 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  8. 7 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  9. 8 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  10. 9 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  11. 10 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  12. 11 (w) worker permanent 5000 gen_server if[the argument of limit_sup:init/1 is endless | default=?]
  13. ? ? ? ? if[the argument of limit_sup:init/1 is endless | default=?] ?child spec: evaluation limit: recursion (limits/limit_sup.erl:17)
  14. again (limit_sup) sup ? ?/? permanent infinity supervisor if[the argument of limit_sup:init/1 is not endless | default=?] ?recursive supervision tree: limit_sup:init(…) again
  15. endless (limit_sup) sup one_for_one 1/5 permanent infinity supervisor if[the argument of limit_sup:init/1 is not endless | default=?] !evaluation limit: limit_sup:init/1 was only partly evaluated (recursion at limits/limit_sup.erl:17)
    1. 0 (w) worker permanent 5000 gen_server
    2. 1 (w) worker permanent 5000 gen_server
    3. 2 (w) worker permanent 5000 gen_server
    4. 3 (w) worker permanent 5000 gen_server
    5. 4 (w) worker permanent 5000 gen_server
    6. 5 (w) worker permanent 5000 gen_server
    7. 6 (w) worker permanent 5000 gen_server
    8. 7 (w) worker permanent 5000 gen_server
    9. 8 (w) worker permanent 5000 gen_server
    10. 9 (w) worker permanent 5000 gen_server
    11. 10 (w) worker permanent 5000 gen_server
    12. 11 (w) worker permanent 5000 gen_server
    13. ? ? ? ? ?child spec: evaluation limit: recursion (limits/limit_sup.erl:17)
"#,
    );
}

#[test]
fn ignore() {
    check(
        "ignore",
        "ign_sup",
        "start_link",
        0,
        r#"
ign_sup sup one_for_one 1/5 permanent infinity supervisor ignore[application:get_env(ignapp, enabled, true) matches false (ignapp.enabled set in sys.config or at run time)]
  1. a (w) worker permanent 5000 gen_server
"#,
    );
}

/// Deeply nested terms and long call chains neither overflow the stack
/// (test threads have 2 MB in debug builds) nor hang.
#[test]
fn deep_nesting_and_long_call_chains() {
    // As deep as the syntax layer lowers (deeper is a syntax error, reported).
    let depth = 190;
    let nested = format!(
        "{}#{{id => deep, start => {{w, start_link, []}}}}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut chain = String::new();
    for i in 0..400 {
        chain.push_str(&format!("f{i}(X) -> f{}(X).\n", i + 1));
    }
    chain.push_str("f400(X) -> X.\n");
    let sup = format!(
        "-module(deep_sup).\n-behaviour(supervisor).\n\
         start_link() -> supervisor:start_link(?MODULE, []).\n\
         init([]) -> {{ok, {{{{one_for_one, 1, 5}}, lists:flatten({nested}) ++ f0([#{{id => chained, start => {{w, start_link, []}}}}])}}}}.\n\
         {chain}"
    );
    let index = index_module(SourceFile::from_text("deep_sup.erl", sup));
    let t = analyse_modules(vec![index], "deep_sup", "start_link", 0);
    let text = outline(&t);
    assert!(text.contains("1. deep"), "{text}");
    // The call chain is longer than the depth bound: reported, not followed.
    assert!(text.contains("evaluation limit"), "{text}");
}

/// Every fixture module (and the whole syntax corpus) is evaluated from
/// each of its functions of arity 0 without a panic.
#[test]
fn no_panic_on_any_start_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for entry in walk(&root) {
        if entry.extension().is_some_and(|x| x == "erl") {
            let text = std::fs::read(&entry).unwrap();
            let text = String::from_utf8_lossy(&text).into_owned();
            files.push((entry.display().to_string(), text));
        }
    }
    // An empty or moved folder must fail, not pass having run nothing.
    assert!(
        files.len() >= 20,
        "only {} fixtures under tests/fixtures",
        files.len()
    );
    let mut analysed = 0;
    for (path, text) in &files {
        let index = index_module(SourceFile::from_text(path.clone(), text.clone()));
        let Some(name) = index.name().map(str::to_owned) else {
            continue;
        };
        let arities: Vec<(String, u32)> = index
            .functions
            .iter()
            .map(|f| (f.name().to_owned(), f.arity))
            .filter(|(_, a)| *a <= 2)
            .collect();
        for (f, a) in arities {
            let index = index_module(SourceFile::from_text(path.clone(), text.clone()));
            let _ = analyse_modules(vec![index], &name, &f, a as usize);
            analysed += 1;
        }
    }
    assert!(analysed >= 20, "only {analysed} start functions analysed");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Regression (vernemq's `vmq_generic_msg_store_sup:start_link/0`): a
/// start function that calls `supervisor:start_child/2` on the supervisor
/// it has just started adds children at boot; they come after `init/1`'s,
/// by pid or by name, conditional when the call is, a computed template
/// over a count known at run time. A call made later (`add/1`) is listed,
/// on the registered supervisor only (the unregistered instances of the
/// same callback cannot be reached by name).
#[test]
fn children_added_by_the_start_function() {
    check(
        "boot_children",
        "bc_top",
        "start_link",
        0,
        r#"
bc_top sup one_for_all 1/5 permanent infinity supervisor {local,bc_top}
  1. bc_sup sup one_for_one 1/5 permanent infinity supervisor {local,bc_sup}
    1. first (w) worker permanent 5000 gen_server
    2. {bucket,1} (w) worker transient 5000 gen_server !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:11, after init/1's children
    3. {bucket,2} (w) worker transient 5000 gen_server !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:11, after init/1's children
    4. by_name (w) worker permanent 1000 gen_server !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:12, after init/1's children
    5. {bucket,3} (w) worker transient 5000 gen_server if[application:get_env(bc, extra, false) matches true (bc.extra set in sys.config or at run time) | default=false] !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:16, after init/1's children
    * {bucket,?} (w) worker transient 5000 gen_server dynamic <-bc_sup:add/1 boot_children/bc_sup.erl:29
  2. counted (bc_sup) sup one_for_one 1/5 permanent infinity supervisor
    1. first (w) worker permanent 5000 gen_server
    2. {bucket,1} (w) worker transient 5000 gen_server !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:24, after init/1's children
    3. {bucket,2} (w) worker transient 5000 gen_server !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:24, after init/1's children
  3. computed (bc_sup) sup one_for_one 1/5 permanent infinity supervisor
    1. first (w) worker permanent 5000 gen_server
    2. {bucket,?} (w) worker transient 5000 gen_server computed !added at boot by supervisor:start_child/2 at boot_children/bc_sup.erl:24, after init/1's children
"#,
    );
}

/// Regression (vernemq's `vmq_retain_srv`, started by `gen_server2`, here a
/// `vendor_server` otpmap does not know as a clone): a
/// worker whose start function calls a module that is not in the project
/// gets a note, not `unresolved`; a supervisor started that way stays
/// unresolved (its children are not known).
#[test]
fn start_functions_in_dependencies() {
    check(
        "external_start",
        "ext_sup",
        "start_link",
        0,
        r#"
ext_sup sup one_for_one 5/10 permanent infinity supervisor {local,ext_sup}
  1. ext_worker worker permanent 5000 vendor_server !started by vendor_server:start_link/4, which is not in the project (OTP or a dependency; --include-deps reads fetched dependencies)
  2. ext_pool (ext_worker) supervisor permanent infinity vendor_server ?start ext_worker:start_pool: pool_lib:start_link/1 is not in the project (external_start/ext_worker.erl:9) !typed supervisor, but its start call was not found: shown as a leaf
"#,
    );
}

/// Every fixture is valid Erlang: `erlc` compiles it (warnings about
/// callbacks of behaviours that are not available are fine).
#[test]
fn tree_fixtures_compile_with_erlc() {
    let found = std::process::Command::new("erlc").output().is_ok();
    if !found {
        if std::env::var("OTPMAP_REQUIRE_ERL").as_deref() == Ok("1") {
            panic!("erlc not found and OTPMAP_REQUIRE_ERL=1");
        }
        eprintln!("skipped: erlc not found");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tree");
    let files = common::files_with_extension(&root, "erl");
    // One erlc per directory (it takes several files; modules are unique
    // within a directory).
    let mut by_dir: std::collections::BTreeMap<std::path::PathBuf, Vec<std::path::PathBuf>> =
        Default::default();
    for f in files {
        by_dir
            .entry(f.parent().unwrap().to_owned())
            .or_default()
            .push(f);
    }
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (dir, files) in by_dir {
        // Fixture projects keep headers in <app>/include beside src/.
        let include = dir.parent().map(|d| d.join("include")).unwrap();
        let result = std::process::Command::new("erlc")
            .arg("-o")
            .arg(out.path())
            .arg("-I")
            .arg(&include)
            .args(&files)
            .output()
            .unwrap();
        if !result.status.success() {
            failures.push(format!(
                "{}: {}",
                dir.strip_prefix(&root).unwrap().display(),
                String::from_utf8_lossy(&result.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Issue 6: `tree` on OTP's lib ran for minutes in
/// `io_lib_format:indentation/2`. Over a list that is not known every
/// clause may match, so each recursion lifted `I + 1` over a value that
/// tripled in size; one evaluation step did unbounded work. It stopped at
/// the evaluator's step limit; now (issue 15) the recursion is cut at its
/// second level, where the list that chooses the clause is as unknown as
/// at the first: `Width` is unknown, and says why, with no bound hit (no
/// time is asserted: the old code did not end in a test run).
#[test]
fn recursion_over_an_unknown_list_stays_bounded() {
    let sup = "-module(s).\n-behaviour(supervisor).\n\
               start_link() -> supervisor:start_link({local, s}, s, []).\n\
               init([]) ->\n\
                   {ok, Banner} = application:get_env(app, banner),\n\
                   Width = indentation(Banner, 0),\n\
                   {ok, {{one_for_one, 1, 5}, [{w, {w, start_link, [Width]}, permanent, 5000, worker, [w]}]}}.\n\
               indentation([$\\n | Cs], _I) -> indentation(Cs, 0);\n\
               indentation([$\\t | Cs], I) -> indentation(Cs, ((I + 8) div 8) * 8);\n\
               indentation([C | Cs], I) when is_integer(C) -> indentation(Cs, I + 1);\n\
               indentation([C | Cs], I) -> indentation(Cs, indentation(C, I));\n\
               indentation([], I) -> I.\n";
    let worker = "-module(w).\n-behaviour(gen_server).\n\
                  start_link(_) -> gen_server:start_link({local, w}, w, [], []).\n";
    let files = [
        SourceFile::from_text("src/s.erl", sup),
        SourceFile::from_text("src/w.erl", worker),
    ];
    let tree = analyse_modules(
        files.into_iter().map(index_module).collect(),
        "s",
        "start_link",
        0,
    );
    // Only `Width` is cut by the bound (issue 15): the child stays.
    let sup = tree.supervisor.as_ref().expect("a supervisor");
    assert_eq!(sup.children.len(), 1, "{tree:?}");
    assert_eq!(sup.children[0].id, "w");
    assert!(
        !tree.notes.iter().any(|u| u.contains("evaluation limit")),
        "{:?}",
        tree.notes
    );
    let start = sup.children[0].start.clone().unwrap_or_default();
    assert!(
        start.starts_with("w:start_link(") && start.contains('?'),
        "{start}"
    );
}

#[test]
fn matches_whose_variables_nothing_uses_are_not_evaluated() {
    // Without skipping them, compiling the routes spends the whole budget
    // and the top supervisor is unresolved.
    check(
        "unused_matches",
        "um_app",
        "start",
        2,
        r#"
um_sup sup one_for_one 5/10 permanent infinity supervisor {local,um_sup}
  1. worker (w) worker permanent 5000 gen_server
"#,
    );
}

/// Issue 15, item 5: what the tree says for people is in words. A start
/// function returning `ignore` is known, not unresolved; alternatives are
/// "one of: ..."; values not known say why; a catch-all clause is "any
/// other value"; a term's unknown parts never show as `?`.
#[test]
fn values_are_shown_in_words() {
    let t = tree("words", "words_sup", "start_link", 0);
    fn texts(n: &TreeNode, out: &mut Vec<String>) {
        out.extend(n.notes.iter().chain(&n.unresolved).cloned());
        out.push(n.presence.text());
        for c in n.supervisor.iter().flat_map(|s| &s.children) {
            texts(c, out);
        }
    }
    let mut all = Vec::new();
    texts(&t, &mut all);
    for text in &all {
        for raw in ["?", " | ", "matches _", "...(", "[..."] {
            assert!(!text.contains(raw), "{raw:?} in {text:?}");
        }
    }
    check(
        "words",
        "words_sup",
        "start_link",
        0,
        r#"
words_sup sup one_for_one 1/5 permanent infinity supervisor {local,words_sup}
  1. optional (words_starts) worker permanent 5000 !returns `ignore`: by design, no process is started
  2. either (words_starts) worker permanent 5000 ?start words_starts:start_either: no branch returns a started process: one of: {ok,…}, {error,…}
  3. backend (words_starts) worker permanent 5000 ?start words_starts:start_backend: no branch returns a started process: depends on application env `words.backend` (default: {error,no_backend})
  4. {pool,?} (w) worker permanent 5000 gen_server
  5. fast (w) worker permanent 5000 gen_server if[dep:mode() matches fast | default=?]
  6. slow (w) worker permanent 5000 gen_server if[dep:mode() does not match fast | default=?]
  7. ? ? ? ? computed ?child spec: dep:spec/1 is not in the project (words/words_sup.erl:14)
"#,
    );
}

/// Issue 15, item 1: what init/1 does before returning (a call into a
/// dependency that is not there, a config reader, a DNS lookup, a loop
/// past the budget) leaves unknown only the values it gives; the flags
/// and every child spec stay.
#[test]
fn degrade_locally() {
    check(
        "degrade",
        "busy_sup",
        "start_link",
        0,
        r#"
busy_sup sup one_for_all 3/60 permanent infinity supervisor {local,busy_sup} !evaluation limit: busy_sup:init/1 was only partly evaluated (recursion at degrade/busy_cfg.erl:16)
  1. listener (w) worker permanent 5000 gen_server
  2. resolver (w) worker permanent 5000 gen_server
  3. balancer (w) worker permanent 5000 gen_server
  4. plain (w) worker permanent 5000 gen_server
  5. cache (w) worker permanent 2000 gen_server
"#,
    );
    let t = tree("degrade", "busy_sup", "start_link", 0);
    let children = &t.supervisor.as_ref().expect("a supervisor").children;
    let start = |i: usize| children[i].start.clone().unwrap_or_default();
    // The arguments the costly statements give are unknown where they are.
    // (How they print is the renderer's business: `?` here.)
    for i in 0..3 {
        assert!(
            start(i).starts_with("w:start_link(") && start(i).contains('?'),
            "{}",
            start(i)
        );
    }
    assert_eq!(start(3), "w:start_link()");
}

/// Issue 15, item 6: an env value behind `when M =/= undefined` takes the
/// default branch; children folded from an env list empty by default are
/// no child in the default build and one computed child otherwise.
#[test]
fn env_guards_and_folds() {
    check(
        "env_fold",
        "scope_sup",
        "start_link",
        0,
        r#"
scope_sup sup one_for_one 7/10 permanent infinity supervisor {local,scope_sup} !intensity as in the default build, where application:get_env(scopes, max_restarts) does not match {ok, M} when M =/= undefined
  1. registry (w) worker permanent 5000 gen_server
  2. ? (w) worker permanent 5000 gen_server if[scopes.scopes set in sys.config or at run time | default=false] computed ?id: element of a list not known (env_fold/scope_sup.erl:15)
"#,
    );
}

/// Issue 15, item 7: a fun given to a function not in the project is
/// evaluated as if called when it starts a process, with a note.
#[test]
fn fun_given_to_a_dependency() {
    check(
        "fun_arg",
        "tracked_sup",
        "start_link",
        0,
        r#"
tracked_sup sup one_for_one 1/5 permanent infinity supervisor {local,tracked_sup}
  1. tracked (tracked_sup) worker permanent 5000 gen_server {local,tracked} !tracker_dep:run/1 is not in the project: assumed it calls the fun it is given (at fun_arg/tracked_sup.erl:16)
  2. plain (w) worker permanent 5000 gen_server
"#,
    );
}

/// Child specs kept in a keyed list: lists:keystore/4 replaces or appends,
/// keyreplace/4 replaces, keydelete/3 removes (couchdb's plugin supervisor
/// builds its children this way).
#[test]
fn keyed_child_lists() {
    check(
        "keylists",
        "keyed_sup",
        "start_link",
        0,
        r#"
keyed_sup sup one_for_one 1/5 permanent infinity supervisor {local,keyed_sup}
  1. a (w) worker permanent 2000 gen_server
  2. b (w) worker permanent 9000 gen_server
  3. d (w) worker permanent 1000 gen_server
"#,
    );
}

/// `{ok, _} = Pid = start_link()` then `Pid`: the match binds `Pid` in its
/// value, so it is evaluated (MongooseIM's application start returned its
/// top supervisor this way, and the tree was unresolved).
#[test]
fn chained_matches_bind_their_inner_variables() {
    check(
        "match_chain",
        "chain_sup",
        "start_link",
        0,
        r#"
chain_sup sup one_for_one 1/5 permanent infinity supervisor {local,chain_sup}
  1. checked (chain_sup) worker permanent 5000 gen_server {local,checked}
"#,
    );
}

/// Issue 15, item 6: children built by recursion over an env list, with
/// an accumulator (consed at the front, or appended and reversed, a
/// counter beside) or by body recursion, are one `computed` child on the
/// env key, not an unresolved `?` on a clause text.
#[test]
fn env_lists_folded_by_recursion() {
    check(
        "env_recursion",
        "acc_sup",
        "start_link",
        0,
        r#"
acc_sup sup one_for_one 3/30 permanent infinity supervisor {local,acc_sup}
  1. ? (w) worker permanent 2000 gen_server if[pools.names set in sys.config or at run time | default=false] computed ?id: application env pools.names (env_recursion/acc_sup.erl:11)
"#,
    );
    // No env: one computed child whatever `ports` holds, beside the
    // fixed one.
    check(
        "env_recursion",
        "body_sup",
        "start_link",
        0,
        r#"
body_sup sup one_for_all 1/5 permanent infinity supervisor {local,body_sup}
  1. registry (w) worker permanent 5000 gen_server
  2. {listener,?} (w) worker permanent 5000 gen_server computed
"#,
    );
    // The counter beside the accumulator is not known in the template.
    check(
        "env_recursion",
        "rev_sup",
        "start_link",
        0,
        r#"
rev_sup sup one_for_one 1/5 permanent infinity supervisor {local,rev_sup}
  1. {shard,?} (w) worker transient 500 gen_server if[shards.list set in sys.config or at run time | default=false] computed
"#,
    );
}

/// `lists:flatmap/2` over an env list whose function returns a list of
/// child specs: each spec of that list, on every branch, is one computed
/// template, once (erldns's listeners showed one unresolved child, "not
/// a child spec", with the specs' raw text).
#[test]
fn flatmap_over_an_env_list_gives_the_spliced_templates() {
    check(
        "env_recursion",
        "mux_sup",
        "start_link",
        0,
        r#"
mux_sup sup one_for_one 1/5 permanent infinity supervisor {local,mux_sup}
  1. monitor (mux_monitor) worker permanent 5000 !started by mux_monitor:start_link/0, which is not in the project (OTP or a dependency; --include-deps reads fetched dependencies)
  2. {?,udp} (mux_udp) supervisor permanent infinity if[mux.listeners set in sys.config or at run time | default=false] computed ?start mux_udp:start_link: mux_udp:start_link/1 is not in the project (env_recursion/mux_sup.erl:19) !typed supervisor, but its start call was not found: shown as a leaf
  3. {?,tcp} (mux_tcp) supervisor permanent infinity if[mux.listeners set in sys.config or at run time | default=false] computed ?start mux_tcp:start_link: mux_tcp:start_link/1 is not in the project (env_recursion/mux_sup.erl:22) !typed supervisor, but its start call was not found: shown as a leaf
"#,
    );
}

/// `lists:filtermap/2` over an env list whose fun returns `{true, Spec}`
/// on one branch keeps `Spec` as the computed template, not the element
/// it was made from (arweave's entropy workers showed "not a child spec").
#[test]
fn filtermap_over_an_env_list_keeps_the_returned_spec() {
    check(
        "env_recursion",
        "keep_sup",
        "start_link",
        0,
        r#"
keep_sup sup one_for_one 1/5 permanent infinity supervisor {local,keep_sup}
  1. ? (keep_disk) worker permanent 5000 if[keep.stores set in sys.config or at run time | default=false] computed ?id: element of a list not known (env_recursion/keep_sup.erl:11) !started by keep_disk:start_link/1, which is not in the project (OTP or a dependency; --include-deps reads fetched dependencies)
"#,
    );
}

/// A recursion adding children at boot with one clause for the last
/// element (`[C]`) and one for more (`[C | T]`), over a list whose end an
/// env value decides: each child once (scalaris' `sup:add_childs/3`
/// showed every child twice, on clause texts), the env's part on its
/// condition.
#[test]
fn children_added_by_a_recursion_with_a_last_element_clause() {
    check(
        "add_loop",
        "loop_sup",
        "start_link",
        0,
        r#"
loop_sup sup one_for_one 1/5 permanent infinity supervisor {local,loop_sup}
  1. a (w) worker permanent 100 gen_server !added at boot by the call at add_loop/loop_sup.erl:10 (supervisor:start_child/2 at add_loop/loop_sup.erl:34), after init/1's children
  2. b (w) worker permanent 100 gen_server if[(the 2nd argument of loop_sup:add_all/2 has 1 element ([{b,{w,start_link,[b]},permanent,100,worker,[w]},…])) or (the 2nd argument of loop_sup:add_all/2 is not empty ([{b,{w,start_link,[b]},permanent,100,worker,[w]},…])) | default=true] !added at boot by the call at add_loop/loop_sup.erl:10 (supervisor:start_child/2 at add_loop/loop_sup.erl:34), after init/1's children
  3. c (w) worker permanent 100 gen_server if[the 2nd argument of loop_sup:add_all/2 is not empty ([{b,{w,start_link,[b]},permanent,100,worker,[w]},…]) and application:get_env(loop, extra) matches {ok, true} (loop.extra set in sys.config or at run time) | default=false] !added at boot by the call at add_loop/loop_sup.erl:10 (supervisor:start_child/2 at add_loop/loop_sup.erl:34), after init/1's children
"#,
    );
}

/// `X and false` is false and `X or true` is true whatever boolean X is:
/// the env default decides the default build though the other side (a
/// `code:which/1` probe) is not known statically.
#[test]
fn strict_boolean_with_one_side_known() {
    check(
        "boolean_ops",
        "bool_sup",
        "start_link",
        0,
        r#"
bool_sup sup one_for_one 1/5 permanent infinity supervisor {local,bool_sup}
  1. base (bool_worker) worker permanent 5000 gen_server
  2. extra (bool_worker) worker permanent 5000 gen_server if[extra_enabled() | default=false]
  3. audit (bool_worker) worker permanent 5000 gen_server if[audit_enabled() | default=true]
"#,
    );
}

/// Facts of the running system are values known at run time, not
/// functions missing from the project; a function clause chosen by one
/// reads as the argument that decides ("the 2nd argument of ... is
/// {win32, _} (the OS type ...)"), not as the clause head (erldns'
/// `socket_count(_, {win32, _})`); `lists:append/1` of a comprehension
/// whose element is a list of specs gives each spec as a template; a map
/// value read from a map not known says the reason once (erldns showed
/// "element of a list not known (map value) (map value)").
#[test]
fn run_time_facts_and_clause_conditions_in_words() {
    check(
        "words",
        "runtime_sup",
        "start_link",
        0,
        r#"
runtime_sup sup one_for_one 1/5 permanent infinity supervisor {local,runtime_sup}
  1. {acceptor,1} (w) worker permanent 5000 gen_server if[the 2nd argument of runtime_sup:sockets/2 is {win32, _} (the OS type at run time (os:type())) | default=?]
  2. {acceptor,?} (w) worker permanent 5000 gen_server if[the 2nd argument of runtime_sup:sockets/2 is not {win32, _} (the OS type at run time (os:type())) | default=?] computed
  3. {conn,in} (w) worker permanent ? gen_server if[rt.listeners set in sys.config or at run time | default=false] computed ?shutdown: element of Listeners (words/runtime_sup.erl:28)
  4. {conn,out} (w) worker permanent ? gen_server if[rt.listeners set in sys.config or at run time | default=false] computed ?shutdown: element of Listeners (words/runtime_sup.erl:28)
"#,
    );
}

/// A supervisor clone's `{permanent, Delay}` restart is `permanent`, and
/// its `start_child/2` adds children at run time as supervisor's does
/// (brod's `supervisor3:start_child(?SUP, ClientSpec)` was not followed).
#[test]
fn a_clones_delayed_restart_and_start_child() {
    check(
        "clone",
        "clone_sup",
        "start_link",
        0,
        r#"
clone_sup sup one_for_one 0/1 permanent infinity supervisor {local,clone_sup} !supervisor3 taken as supervisor (behaviour alias: otpmap's table of well-known clones)
  1. keeper (w) worker permanent 5000 gen_server
  * ? (w) worker transient 5000 gen_server dynamic ?id: `Id` is an argument of add/1 <-clone_sup:add/1 clone/clone_sup.erl:12
"#,
    );
}

/// A start function whose `start_child/2` loop runs past a bound (a
/// count down, not a list known to its end) lists the children it
/// reached and says where it was cut, on the root.
#[test]
fn a_start_function_cut_by_a_bound_says_so() {
    let root = tree("add_loop", "count_sup", "start_link", 0);
    let s = root.supervisor.as_ref().expect("a supervisor");
    assert!(
        !s.children.is_empty() && s.children.len() < 20,
        "{}",
        outline(&root)
    );
    assert!(
        root.notes.iter().any(|n| n
            .starts_with("evaluation limit: count_sup:start_link/0 was only partly evaluated (")
            && n.ends_with("children it adds at boot after that point may be missing")),
        "{}",
        outline(&root)
    );
}

/// A bound hit building a value that adds no children (a table given to
/// a listener added elsewhere) cuts no child added at boot: no note.
#[test]
fn a_bound_in_a_value_that_adds_no_children_is_not_a_cut() {
    let root = tree("add_loop", "route_sup", "start_link", 0);
    assert_eq!(child_ids(&root), ["keeper"], "{}", outline(&root));
    assert!(
        !root.notes.iter().any(|n| n.contains("evaluation limit")),
        "{}",
        outline(&root)
    );
}

/// The ids of a supervisor's children, in order.
fn child_ids(root: &TreeNode) -> Vec<String> {
    let s = root.supervisor.as_ref().expect("a supervisor");
    s.children.iter().map(|c| c.id.clone()).collect()
}

/// A start function's `start_child/2` loop over a list known to its end
/// is followed to the end, past the recursion bound (12): scalaris'
/// `sup:add_childs/3` listed the first twelve of its children.
#[test]
fn a_start_child_loop_over_a_known_list_runs_to_its_end() {
    let expected: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    for module in ["long_sup", "drop_sup"] {
        let root = tree("add_loop", module, "start_link", 0);
        assert_eq!(child_ids(&root), expected, "{module}\n{}", outline(&root));
        assert!(
            !root.notes.iter().any(|n| n.contains("evaluation limit")),
            "{module}\n{}",
            outline(&root)
        );
    }
    // With a part the env decides in the middle: the walk goes on past it.
    let root = tree("add_loop", "mixed_sup", "start_link", 0);
    let mut expected: Vec<String> = (1..=13).map(|n| n.to_string()).collect();
    expected.extend(["extra", "14", "15"].map(String::from));
    assert_eq!(child_ids(&root), expected, "{}", outline(&root));
}

/// Plugins' child specs merged by id into known ones with
/// `lists:keystore/4` (couchdb's `couch_epi_sup:merge/2`): the known
/// children stay, unconditional, and the plugins' are one computed child
/// (before: the known ones "only when the 1st argument of merge/2 is
/// empty", and an unresolved child per recursive clause).
#[test]
fn keyed_merge_over_a_list_not_known_keeps_the_known_children() {
    check(
        "keyed_merge",
        "merge_sup",
        "start_link",
        0,
        r#"
merge_sup sup one_for_one 1/5 permanent infinity supervisor {local,merge_sup}
  1. a (w) worker permanent 100 gen_server
  2. b (w) worker permanent 100 gen_server
  3. ? ? ? ? computed ?child spec: element of a list not fully known (keyed_merge/merge_sup.erl:13)
"#,
    );
}

/// Issue 15, item 5: a condition longer than the cap is cut between
/// conditions, with how many are left out; no condition or id ends in
/// half a term.
#[test]
fn long_texts_are_cut_where_people_read_a_break() {
    let t = tree("long_words", "long_sup", "start_link", 0);
    let children = &t.supervisor.as_ref().expect("a supervisor").children;
    let gated = children.iter().find(|c| c.id == "gated").expect("gated");
    // The JSON document keeps all twenty.
    assert_eq!(gated.presence.text().matches("dep:setting(").count(), 20);
    let text = gated.presence.text_within(480);
    assert!(text.chars().count() <= 480, "{text}");
    assert!(
        text.starts_with("dep:setting(tango) matches on and dep:setting(sierra) matches on and "),
        "{text}"
    );
    assert!(text.ends_with(" more"), "{text}");
    assert!(!text.contains("..."), "{text}");
    let shown = text.matches("dep:setting(").count();
    let more: usize = text
        .rsplit("… and ")
        .next()
        .and_then(|n| n.trim_end_matches(" more").parse().ok())
        .expect("a count");
    assert_eq!(shown + more, 20, "{text}");
    // A value: cut between the elements of its list, closed, counted.
    let long = children.iter().find(|c| c.id == "long").expect("long");
    assert_eq!(
        long.unresolved,
        [
            "restart: one of: permanent, {…,[alpha_option,bravo_option,… and 6 more]}, \
          depending on the branch taken"
        ]
    );
}

/// A macro standing for a record (`-define(CHILD, #child_v1).`, then
/// `?CHILD{...}`, `C?CHILD.id`, `C?CHILD{...}`; riak_core's `?CHSTATE`):
/// the children built with it are read, not a syntax error.
#[test]
fn records_named_by_a_macro() {
    check(
        "record_macro",
        "rec_macro_sup",
        "start_link",
        0,
        r#"
rec_macro_sup sup one_for_one 1/5 permanent infinity supervisor {local,rec_macro_sup}
  1. one (w) worker permanent 5000 gen_server
  2. two (w) worker transient 5000 gen_server
"#,
    );
}

/// Issue 15, items 1 and 3: each child a start function's loop adds is
/// evaluated with a step budget of its own, so that costly children (each
/// spec a long fold here; nested supervisors starting their own children
/// in scalaris) do not leave the later ones out.
#[test]
fn each_child_added_at_boot_has_a_budget_of_its_own() {
    let t = tree("add_loop", "costly_sup", "start_link", 0);
    let ids: Vec<&str> = t
        .supervisor
        .as_ref()
        .expect("a supervisor")
        .children
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let expected: Vec<String> = (1..=12)
        .map(|n| format!("{{worker,{n},{}}}", n + 80_200))
        .collect();
    assert_eq!(ids, expected);
    assert!(
        t.notes.iter().all(|n| !n.contains("evaluation limit")),
        "{:?}",
        t.notes
    );
}
