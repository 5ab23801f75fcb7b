//! The evaluator on its own: a [`Source`] over a few modules written here,
//! no project, no supervision tree.

use std::rc::Rc;

use super::value::Item;
use super::*;
use crate::syntax::{index_module, MacroContext, MacroTable, ModuleIndex, SourceFile};

/// Modules indexed from text, as a [`Source`].
struct Modules(Vec<(String, ModuleIndex, MacroTable)>);

impl Modules {
    fn new(texts: &[&str]) -> Modules {
        Modules(
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let index = index_module(SourceFile::from_text(format!("src/m{i}.erl"), *text));
                    let macros = MacroTable::new(
                        index.defines.iter().cloned(),
                        MacroContext::for_module(&index),
                    );
                    (index.name().unwrap_or_default().to_owned(), index, macros)
                })
                .collect(),
        )
    }
}

impl Source for Modules {
    fn module(&self, name: &str) -> Option<ModuleView<'_>> {
        self.0
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(n, index, macros)| ModuleView {
                name: n,
                file: &index.file.path,
                app: None,
                index,
                macros,
            })
    }
}

fn int(i: i128) -> Val {
    Val::new(Value::Int(i), None)
}

/// `module:function(args)` evaluated with the default limits.
fn run(texts: &[&str], module: &str, function: &str, args: Vec<Val>) -> (Val, bool) {
    let modules = Modules::new(texts);
    let code = Code::new(&modules);
    let mut ev = Evaluator::new(&code);
    ev.begin();
    let v = ev.call(module, function, args, None);
    (v, ev.limit_hit)
}

#[test]
fn follows_calls_across_modules_with_arguments_substituted() {
    let (v, _) = run(
        &[
            "-module(a).\nf(X) -> {ok, b:g(X, 2)}.\n",
            "-module(b).\ng(X, Y) -> [X * Y | lists:seq(1, Y)].\n",
        ],
        "a",
        "f",
        vec![int(21)],
    );
    assert_eq!(v.to_erlang(), "{ok,[42,1,2]}");
}

#[test]
fn clauses_and_guards_pick_the_branch_the_argument_takes() {
    let text =
        "-module(a).\nf(X) when is_atom(X) -> atom;\nf(X) when X > 10 -> big;\nf(_) -> small.\n";
    assert_eq!(run(&[text], "a", "f", vec![int(11)]).0.to_erlang(), "big");
    assert_eq!(run(&[text], "a", "f", vec![int(3)]).0.to_erlang(), "small");
    assert_eq!(
        run(&[text], "a", "f", vec![Val::atom("x", None)])
            .0
            .to_erlang(),
        "atom"
    );
}

#[test]
fn an_unknown_argument_gives_every_possible_clause() {
    let text = "-module(a).\nf(X) -> case X of 1 -> one; _ -> other end.\n";
    let (v, _) = run(&[text], "a", "f", vec![Val::unknown("argument 1", None)]);
    let mut alts: Vec<String> = alternatives(&v, 16)
        .into_iter()
        .map(|(_, x)| x.to_erlang())
        .collect();
    alts.sort();
    assert_eq!(alts, ["one", "other"]);
}

#[test]
fn a_function_outside_the_code_is_an_unknown_naming_it() {
    let (v, hit) = run(&["-module(a).\nf() -> dep:start().\n"], "a", "f", vec![]);
    let u = v.as_unknown().expect("unknown");
    assert!(
        u.external.as_deref() == Some("dep:start/0") || u.describe().contains("dep:start/0"),
        "{}",
        u.describe()
    );
    assert!(!hit, "an unknown function is no evaluation limit");
}

#[test]
fn io_lib_format_is_made_here_even_when_io_lib_is_in_the_code() {
    // OTP's lib as the project holds stdlib's io_lib: its format/2 is
    // still made here (or not known), never read from the project.
    let io_lib = "-module(io_lib).\nformat(_, _) -> \"read\".\nfwrite(F, A) -> format(F, A).\n";
    let caller = "-module(a).\nf(N) -> list_to_atom(io_lib:format(\"~s_sup\", [N])).\n\
                  g() -> io_lib:fwrite(\"~10w\", [1]).\n";
    let (v, _) = run(&[io_lib, caller], "a", "f", vec![Val::atom("pool", None)]);
    assert_eq!(v.to_erlang(), "pool_sup");
    let (v, _) = run(&[io_lib, caller], "a", "g", vec![]);
    assert_eq!(
        v.as_unknown().and_then(|u| u.external.as_deref()),
        Some("io_lib:fwrite/2"),
        "a field width is not computed"
    );
    // Another function of the module is read as before.
    let caller = "-module(b).\nh() -> io_lib:other().\n";
    let io_lib = "-module(io_lib).\nother() -> read.\n";
    assert_eq!(
        run(&[io_lib, caller], "b", "h", vec![]).0.to_erlang(),
        "read"
    );
}

#[test]
fn an_ets_read_is_a_table_filled_at_run_time() {
    let text =
        "-module(a).\nf() -> ets:lookup_element(listeners, max, 2).\ng(T) -> ets:lookup(T, max).\n";
    let (v, _) = run(&[text], "a", "f", vec![]);
    assert_eq!(
        v.as_unknown().map(|u| u.reason.as_str()),
        Some("ets:lookup_element/3 of the ETS table listeners, filled at run time")
    );
    let (v, _) = run(&[text], "a", "g", vec![Val::unknown("argument 1", None)]);
    assert!(
        v.as_unknown()
            .is_some_and(|u| u.reason.starts_with("ets:lookup/2 of an ETS table")),
        "{v:?}"
    );
}

#[test]
fn a_variable_every_branch_binds_before_its_value_stays_bound() {
    // `Mod` is bound by a statement that is not the branch's value: the
    // code after the `case` (and after the block) reads it.
    let text = "-module(a).\n\
                f(K) -> case K of fast -> Mod = quick, Args = [1]; _ -> Mod = slow, Args = [] end, {Mod, Args}.\n\
                g() -> begin Name = pool, ok end, Name.\n\
                h(K) -> case K of fast -> Mod = quick, ok; _ -> erlang:error(badarg) end, Mod.\n";
    let (v, _) = run(&[text], "a", "f", vec![Val::atom("fast", None)]);
    assert_eq!(v.to_erlang(), "{quick,[1]}");
    // Each variable is one value per branch.
    let (v, _) = run(&[text], "a", "f", vec![Val::unknown("argument 1", None)]);
    assert_eq!(v.to_erlang(), "{(quick | slow),([1] | [])}");
    assert_eq!(run(&[text], "a", "g", vec![]).0.to_erlang(), "pool");
    // A clause that raises binds nothing for what follows.
    let (v, _) = run(&[text], "a", "h", vec![Val::unknown("argument 1", None)]);
    assert_eq!(v.to_erlang(), "quick");
}

#[test]
fn endless_recursion_stops_at_a_bound_and_says_so() {
    let (v, hit) = run(
        &["-module(a).\nloop(N) -> loop(N + 1).\n"],
        "a",
        "loop",
        vec![int(0)],
    );
    assert!(hit);
    assert!(
        v.as_unknown()
            .is_some_and(|u| u.describe().contains(EVALUATION_LIMIT)),
        "{}",
        v.to_erlang()
    );
}

#[test]
fn a_function_defined_under_ifdef_is_one_alternative_per_definition() {
    let text = "-module(a).\n-ifdef(TEST).\nf() -> test.\n-else.\nf() -> prod.\n-endif.\n";
    let (v, _) = run(&[text], "a", "f", vec![]);
    // In the default build TEST is not defined: `prod` is what it gives.
    assert_eq!(
        v.default_view().map(|d| d.to_erlang()).as_deref(),
        Some("prod")
    );
    assert_eq!(alternatives(&v, 16).len(), 2);
}

#[test]
fn the_same_call_gives_the_same_value_when_remembered() {
    let text = "-module(a).\nf(X) -> length(g(X)) + length(g(X)).\ng(X) -> lists:seq(1, X).\n";
    let (v, hit) = run(&[text], "a", "f", vec![int(4)]);
    assert_eq!(v.to_erlang(), "8");
    assert!(!hit);
}

/// A host answering `os:getenv/1` before the library functions do.
struct Env1;

impl Host for Env1 {
    fn call(
        &self,
        _ev: &mut Evaluator<'_, '_>,
        module: &str,
        function: &str,
        args: &[Val],
        at: &Option<Loc>,
    ) -> Option<Val> {
        ((module, function, args.len()) == ("os", "getenv", 1))
            .then(|| Val::new(Value::Str("set".to_owned()), at.clone()))
    }
}

#[test]
fn a_host_answers_the_calls_it_knows() {
    let modules = Modules::new(&["-module(a).\nf() -> {os:getenv(\"HOME\"), length([1,2])}.\n"]);
    let code = Code::new(&modules);
    let mut ev = Evaluator::new(&code);
    ev.host = Some(Rc::new(Env1));
    ev.begin();
    let v = ev.call("a", "f", Vec::new(), None);
    assert_eq!(v.to_erlang(), "{\"set\",2}");
}

#[test]
fn the_application_env_default_is_one_branch_of_get_env() {
    let text = "-module(a).\nf() -> application:get_env(app, key, 5).\n";
    let (v, _) = run(&[text], "a", "f", vec![]);
    assert_eq!(
        v.default_view().map(|d| d.to_erlang()).as_deref(),
        Some("5")
    );
}

/// A condition met in a helper names what its caller gave it: a generic
/// env reader's `case application:get_env(app, Key, Default)` reads as
/// the call made, not with the helper's parameter names.
#[test]
fn a_helpers_condition_names_the_arguments_it_was_given() {
    let helper = "-module(envs).\n-export([flag/2]).\n\
                  flag(Key, Default) ->\n\
                  \x20   case application:get_env(app, Key, Default) of\n\
                  \x20       true -> true;\n\
                  \x20       _ -> false\n\
                  \x20   end.\n";
    let caller = "-module(a).\nf() -> envs:flag(chain_dead, false).\n";
    let (v, _) = run(&[helper, caller], "a", "f", vec![]);
    let Value::Alt(alts) = v.kind() else {
        panic!("one of two values: {v:?}");
    };
    let texts: Vec<&str> = alts.iter().map(|(c, _)| c.text.as_str()).collect();
    assert!(!texts.is_empty());
    for t in &texts {
        assert!(
            t.contains("application:get_env(app, chain_dead, false)"),
            "{t}"
        );
        assert!(!t.contains("Key") && !t.contains("Default"), "{t}");
    }
}

/// `get_env/1` and `get_all_env/0` read the env of the application whose
/// tree is evaluated, not the calling module's (which has none here).
#[test]
fn get_env_1_and_get_all_env_0_read_the_running_application() {
    let modules = Modules::new(&["-module(a).\nf() -> {application:get_env(pool), \
         proplists:get_value(backend, application:get_all_env(), none)}.\n"]);
    let mut env = AppEnv::default();
    let mut run_env = std::collections::HashMap::new();
    run_env.insert("pool".to_owned(), int(4));
    run_env.insert("backend".to_owned(), Val::atom("disk", None));
    env.insert("runner".to_owned(), run_env);
    let code = Code::with_env(&modules, std::sync::Arc::new(env));
    let mut ev = Evaluator::new(&code);
    ev.app = Some("runner".to_owned());
    ev.begin();
    let v = ev.call("a", "f", vec![], None);
    assert_eq!(
        v.default_view().map(|d| d.to_erlang()).as_deref(),
        Some("{{ok,4},disk}")
    );
}

/// Issue 15, item 1: a value past the size bound loses its large parts
/// only: child specs that each carry a large configuration keep their
/// ids and start functions (CloudI's cloudi_core_i_sup).
#[test]
fn a_value_too_large_loses_only_its_large_parts() {
    let text = "-module(a).\n\
        config() -> L = lists:seq(1, 400), {config, L, L, L, L, L, L, L, L, L, L}.\n\
        f() -> C = config(), [{Id, {w, start_link, [C]}} || Id <- [a, b, c, d, e, f]].\n";
    let (v, hit) = run(&[text], "a", "f", vec![]);
    assert!(hit, "the bound is said");
    let specs = v.as_proper_list().expect("the list is kept");
    let ids: Vec<String> = specs
        .iter()
        .filter_map(|s| s.as_tuple().and_then(|t| t.first().cloned()))
        .map(|id| id.to_erlang())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    let first = specs[0].to_erlang();
    assert!(first.starts_with("{a,{w,start_link,["), "{first}");
}

#[test]
fn mfa_prints_as_erlang_names_it() {
    assert_eq!(Mfa::new("m", "f", 2).to_string(), "m:f/2");
    assert!(Mfa::new("a", "z", 9) < Mfa::new("b", "a", 0));
}

#[test]
fn a_recursion_over_a_list_not_known_is_cut_at_its_second_level() {
    let text = "-module(a).\n\
                specs([], Acc) -> Acc;\n\
                specs([{w, N} | T], Acc) -> specs(T, [N | Acc]);\n\
                specs([_ | T], Acc) -> specs(T, Acc).\n";
    let (v, hit) = run(
        &[text],
        "a",
        "specs",
        vec![Val::unknown("argument 1", None), Val::list(vec![], None)],
    );
    assert!(!hit, "no bound is hit: {}", v.to_erlang());
    // The accumulator read: zero or more `N`s (covering `[]` and the step
    // that adds nothing), computed from the list.
    let Value::List(items) = v.kind() else {
        panic!("a list: {}", v.to_erlang());
    };
    assert!(
        matches!(items.as_slice(), [Item::Many { reason, .. }] if reason.contains("argument 1")),
        "{items:?}"
    );
}

/// Body recursion and an accumulator beside a counter, over a list not
/// known: templates of what one step adds, the counter not known in them.
#[test]
fn recursions_over_a_list_not_known_give_templates() {
    let text = "-module(a).\n\
                body([]) -> [];\n\
                body([X | T]) -> [{x, X} | body(T)].\n\
                count([], _N, Acc) -> lists:reverse(Acc);\n\
                count([X | T], N, Acc) -> count(T, N + 1, [{N, X} | Acc]).\n\
                other([], Acc) -> Acc;\n\
                other([X | T], Acc) -> other(T, {X, Acc}).\n";
    let list = || Val::unknown("argument 1", None);
    let (v, _) = run(&[text], "a", "body", vec![list()]);
    let templates = |v: &Val| match v.kind() {
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Item::Many { template, .. } => template.to_erlang(),
                _ => format!("not a template: {i:?}"),
            })
            .collect::<Vec<_>>(),
        _ => vec![format!("not a list: {}", v.to_erlang())],
    };
    assert_eq!(templates(&v).len(), 1, "{}", v.to_erlang());
    assert!(templates(&v)[0].starts_with("{x,"), "{:?}", templates(&v));
    let one = Val::new(Value::Int(1), None);
    let (v, _) = run(
        &[text],
        "a",
        "count",
        vec![list(), one, Val::list(vec![], None)],
    );
    let t = templates(&v);
    assert_eq!(t.len(), 1, "{}", v.to_erlang());
    assert!(!t[0].starts_with("{1,"), "the counter varies: {t:?}");
    // An accumulator that is not a list stays not known.
    let (v, _) = run(&[text], "a", "other", vec![list(), Val::atom("nil", None)]);
    assert!(
        alternatives(&v, 8)
            .iter()
            .any(|(_, x)| x.as_unknown().is_some()),
        "{}",
        v.to_erlang()
    );
}

#[test]
fn a_function_the_runtime_implements_is_not_known_and_does_not_raise() {
    let text = "-module(a).\nf() -> {ok, stub()}.\nstub() -> erlang:nif_error(undefined).\n";
    let (v, hit) = run(&[text], "a", "f", vec![]);
    assert!(!hit);
    assert!(!is_raise(&v));
    assert!(v.to_erlang().starts_with("{ok,"), "{}", v.to_erlang());
}

#[test]
fn the_default_build_has_no_command_line_flag() {
    let text = "-module(a).\n\
                f() -> case init:get_argument(epmd_module) of {ok, [[M | _] | _]} -> M; _ -> erl_epmd end.\n";
    let (v, _) = run(&[text], "a", "f", vec![]);
    assert_eq!(
        v.default_view().map(|d| d.to_erlang()).as_deref(),
        Some("erl_epmd")
    );
}

/// `shorten_joined` keeps whole parts, counts the rest, and stays within
/// its cap however often a text at the cap is joined again.
#[test]
fn joined_texts_are_cut_between_parts() {
    let parts = [
        "", "a", "é", "ab", "éèê", "abcdef", "x ü y", "f(x, y)", "{a,b,c}",
    ];
    for max in [3, 4, 5, 6, 8, 11, 20, 30] {
        for a in parts {
            for b in parts {
                for c in parts {
                    let joined = [a, b, c].join(" and ");
                    let got = evaluator::shorten_joined([a, b, c], " and ", max);
                    assert!(got.chars().count() <= max, "{got:?} {max}");
                    if joined.chars().count() <= max {
                        assert_eq!(got, joined);
                    }
                }
            }
        }
    }
    let conds: Vec<String> = (0..40).map(|i| format!("f({i}) matches ok")).collect();
    let mut text = String::new();
    for c in &conds {
        text = evaluator::shorten_joined(
            [text.as_str(), c.as_str()]
                .into_iter()
                .filter(|t| !t.is_empty()),
            " and ",
            120,
        );
        assert!(text.chars().count() <= 120, "{text}");
    }
    let shown = text.matches(" matches ok").count();
    assert!(
        text.starts_with("f(0) matches ok and f(1) matches ok and "),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(" … and {} more", 40 - shown)),
        "{text}"
    );
}

#[test]
fn condition_fingerprints_follow_their_texts() {
    let alt = |text: &str| {
        Val::new(
            Value::Alt(vec![
                (Cond::new(text, None), Val::atom("a", None)),
                (Cond::new("other", None), Val::atom("b", None)),
            ]),
            None,
        )
    };
    // Texts of either length of the fingerprint's blocks (8 bytes).
    let texts = [
        "x",
        "env x",
        "TEST defined",
        "TEST definee",
        &"y".repeat(40),
    ];
    for a in texts {
        for b in texts {
            let (va, vb) = (alt(a), alt(b));
            // The fingerprint is the printed key's, condition texts and all.
            assert_eq!(va.key_fp(), key_fp::KeyFp::of_text(&va.key()), "{a}");
            assert_eq!(va.key() == vb.key(), va.key_fp() == vb.key_fp(), "{a} {b}");
        }
    }
}

/// The module documentation's example: a `Source` of one module, evaluated.
#[test]
fn doc_example() {
    use crate::eval::{Code, Evaluator, ModuleView, Source, Val};
    use crate::syntax::{index_module, MacroContext, MacroTable, SourceFile};

    struct One(crate::syntax::ModuleIndex, MacroTable);
    impl Source for One {
        fn module(&self, name: &str) -> Option<ModuleView<'_>> {
            (name == "m").then_some(ModuleView {
                name: "m",
                file: "m.erl",
                app: None,
                index: &self.0,
                macros: &self.1,
            })
        }
    }
    let index = index_module(SourceFile::from_text(
        "m.erl",
        "-module(m).\nf(X) -> {ok, X + 1}.\n",
    ));
    let macros = MacroTable::new(
        index.defines.iter().cloned(),
        MacroContext::for_module(&index),
    );
    let one = One(index, macros);
    let code = Code::new(&one);
    let mut ev = Evaluator::new(&code);
    ev.begin();
    let v = ev.call(
        "m",
        "f",
        vec![Val::new(crate::eval::Value::Int(41), None)],
        None,
    );
    assert_eq!(v.to_erlang(), "{ok,42}");
}

/// Text with a part not known spliced in prints as strings joined by
/// `++`, not as character codes (couchdb's couch_epi child ids showed
/// `[99,111,117,...]`), in the JSON's `~tp` form and in words.
#[test]
fn text_with_a_part_not_known_prints_as_strings() {
    let src = "-module(t).\n-export([id/1]).\nid(Name) -> \"monitor|\" ++ Name ++ \"|keeper\".\n";
    let (v, _) = run(&[src], "t", "id", vec![Val::unknown("plugin name", None)]);
    assert_eq!(v.to_erlang(), "\"monitor|\"++?++\"|keeper\"");
    assert_eq!(words::value(&v), "\"monitor|\"++…++\"|keeper\"");
}

/// Numeric BIFs compute pool sizes and restart intensities.
#[test]
fn numeric_bifs_compute() {
    let src = "-module(n).\n-export([f/0]).\n\
               f() -> {1 + ceil(math:log2(max(3, 5))), round(7.6), floor(-0.5), trunc(2.9), \
               min(500, 2000.0), abs(-3), setelement(1, {a, b}, c), \
               lists:enumerate([x, y]), lists:sum([1, 2, 3])}.\n";
    let (v, _) = run(&[src], "n", "f", vec![]);
    assert_eq!(v.to_erlang(), "{4,8,-1,2,500,3,{c,b},[{1,x},{2,y}],6}");
}
