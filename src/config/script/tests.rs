use std::collections::BTreeMap;
use std::path::Path;

use super::{evaluate, ScriptInput, NOT_EVALUATED, NOT_SETTLED};
use crate::config::term::canonical;
use crate::diagnostic::{Diagnostic, Severity};

fn run_in(root: &Path, text: &str, env: &[(&str, &str)]) -> (Option<Vec<String>>, Vec<Diagnostic>) {
    let env: BTreeMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let input = ScriptInput {
        root,
        rel: "rebar.config.script",
        config: &[],
        config_file: None,
        env: &env,
        max_bytes: 1 << 20,
    };
    let (terms, diags) = evaluate(text, &input);
    (
        terms.map(|ts| ts.iter().map(|(_, t)| canonical(t)).collect()),
        diags,
    )
}

fn run(text: &str, env: &[(&str, &str)]) -> (Option<Vec<String>>, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().expect("temp dir");
    run_in(dir.path(), text, env)
}

#[test]
fn getenv_is_false_unless_env_sets_it() {
    let script = "case os:getenv(\"CI\") of false -> [{ci, no}]; V -> [{ci, V}] end.";
    assert_eq!(run(script, &[]).0, Some(vec!["{'ci','no'}".to_owned()]));
    assert_eq!(
        run(script, &[("CI", "ok")]).0,
        Some(vec!["{'ci',[111,107]}".to_owned()])
    );
}

#[test]
fn an_unknown_entry_is_dropped_with_its_line_and_the_rest_kept() {
    let script = "A = 1,\nB = os:cmd(\"date\"),\n[{a, A}, {b, B}, {c, 3}].";
    let (terms, diags) = run(script, &[]);
    assert_eq!(
        terms,
        Some(vec!["{'a',1}".to_owned(), "{'c',3}".to_owned()])
    );
    let d = diags
        .iter()
        .find(|d| d.code == NOT_SETTLED && d.severity == Severity::Warning)
        .expect("a diagnostic for {b, B}");
    assert_eq!((d.file.as_str(), d.line), ("rebar.config.script", 2));
    assert!(d.message.contains("os:cmd/1"), "{}", d.message);
}

#[test]
fn files_of_the_repository_are_read_and_others_are_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("extra.config"), "{deps, [x]}.\n").expect("write");
    let script = "{ok, T} = file:consult(\"conf/../extra.config\"),\n\
                  Missing = file:consult(\"none.config\"),\n\
                  Outside = filelib:is_file(\"../outside\"),\n\
                  [{terms, T}, {missing, Missing}, {outside, Outside}].";
    let (terms, diags) = run_in(dir.path(), script, &[]);
    assert_eq!(
        terms,
        Some(vec![
            "{'terms',[{'deps',['x']}]}".to_owned(),
            "{'missing',{'error','enoent'}}".to_owned(),
        ])
    );
    assert!(
        diags
            .iter()
            .any(|d| d.line == 3 && d.message.contains("outside the repository")),
        "{diags:?}"
    );
}

#[test]
fn a_script_that_raises_names_the_unset_variables() {
    let script =
        "{ok, C} = file:consult(filename:join(os:getenv(\"CONF_DIR\"), \"a.config\")),\nC.";
    let (terms, diags) = run(script, &[]);
    assert_eq!(terms, None);
    let d = diags
        .iter()
        .find(|d| d.code == NOT_EVALUATED)
        .expect("raise diagnostic");
    assert_eq!(d.line, 1);
    assert!(d.message.contains("--env CONF_DIR=VALUE"), "{}", d.message);
}

#[test]
fn a_syntax_error_is_an_error_with_its_line() {
    // The list opened on line 1 is never closed.
    let (terms, diags) = run("A = [1, 2,\n{b, }.\n", &[]);
    assert_eq!(terms, None);
    assert!(
        diags
            .iter()
            .any(|d| d.severity == Severity::Error && d.code == NOT_EVALUATED && d.line == 1),
        "{diags:?}"
    );
}

#[test]
fn plain_arguments_are_empty_and_a_value_not_a_list_is_one_term() {
    let script = "Args = init:get_plain_arguments(),\n{application, a, [{args, Args}]}.";
    assert_eq!(
        run(script, &[]).0,
        Some(vec!["{'application','a',[{'args',[]}]}".to_owned()])
    );
}

#[test]
fn entries_every_branch_leaves_alone_are_kept() {
    let script = "Base = [{deps, [gun]}, {dialyzer, [hipe]}],\n\
                  Trimmed = case code:lib_dir(hipe) of\n\
                  {error, _} -> lists:keystore(dialyzer, 1, Base, {dialyzer, []});\n\
                  _ -> Base\n\
                  end,\n\
                  Trimmed ++ [{minimum_otp_vsn, \"24\"}].";
    let (terms, diags) = run(script, &[]);
    assert_eq!(
        terms,
        Some(vec![
            "{'deps',['gun']}".to_owned(),
            "{'minimum_otp_vsn',[50,52]}".to_owned()
        ])
    );
    let d = diags
        .iter()
        .find(|d| d.code == NOT_SETTLED)
        .expect("a diagnostic for the dialyzer entry");
    assert!(d.message.contains("`dialyzer` depends on"), "{}", d.message);
}

#[test]
fn rebar3_entry_module_and_preloaded_modules_are_answered() {
    let script = "Tool = case erlang:function_exported(rebar3, main, 1) of\n\
                  true -> rebar3; false -> rebar2 end,\n\
                  Counters = code:which(counters),\n\
                  Other = code:which(lists),\n\
                  Legacy = erlang:function_exported(rebar, main, 1),\n\
                  [{tool, Tool}, {counters, Counters}, {other, Other}, {legacy, Legacy}].";
    let (terms, diags) = run(script, &[]);
    // `code:which(lists)` depends on the code path, and rebar 2's module
    // on which tool runs: both left out.
    assert_eq!(
        terms,
        Some(vec![
            "{'tool','rebar3'}".to_owned(),
            "{'counters','preloaded'}".to_owned()
        ])
    );
    let infos: Vec<(u32, &str)> = diags
        .iter()
        .filter(|d| d.code == NOT_SETTLED && d.severity == Severity::Info)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        infos,
        [
            (
                1,
                "erlang:function_exported(rebar3, main, 1) read as true: otpmap reads the \
                 script as rebar3 runs it"
            ),
            (
                3,
                "code:which(counters) read as preloaded: the runtime system preloads \
                 counters (OTP 21.2 and later)"
            )
        ]
    );
}
