#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%%
%% Oracle for otpmap's `tree` command: boots a sample application for real
%% and prints its live supervision tree as JSON, in the shape of otpmap's
%% `tree --format json` nodes. Also checks that config files consult.
%%
%% Usage:
%%   boot_tree.escript tree SAMPLE_DIR APP WORK_DIR OUT_FILE [WITHOUT]
%%       Compile every app found under SAMPLE_DIR into WORK_DIR/lib/<app>/ebin,
%%       write a .app for each (from src/<app>.app.src, a prebuilt
%%       ebin/<app>.app, or an erlang.mk Makefile), start APP with
%%       application:ensure_all_started/1 and write its tree to OUT_FILE.
%%       WITHOUT is "without=a,b": applications dropped from every
%%       `applications` list because they are hex/git deps that are not
%%       fetched (the tree never calls them while booting).
%%   boot_tree.escript otp APP OUT_FILE
%%       Start OTP's own application APP (inets, tftp...) as installed,
%%       with application:ensure_all_started/1 and no configuration, and
%%       write its tree to OUT_FILE as `tree` does.
%%   boot_tree.escript blast SAMPLE_DIR APP WORK_DIR TYPE PATH [WITHOUT]
%%       Oracle for `otpmap blast`: boot APP as in `tree` with start type
%%       TYPE (temporary, transient or permanent), kill the process at PATH
%%       (child ids from the top supervisor down, `/`-separated) once and
%%       print "CHANGED <path>" for every process whose pid changed, then
%%       kill it again each time it is back until the application stops,
%%       printing "STOPPED_AFTER <n>" (or "STILL_RUNNING <n>" after 400);
%%       "ALIVE" last if the node is still up. A permanent application's
%%       stop halts the node before "ALIVE".
%%   boot_tree.escript instance SAMPLE_DIR APP WORK_DIR SUP_PATH SETUP ARGS [WITHOUT]
%%       Oracle for `otpmap blast` on a simple_one_for_one instance: boot
%%       APP (temporary), evaluate the expression SETUP, start three
%%       instances under the supervisor at SUP_PATH with
%%       supervisor:start_child(Sup, ARGS) (ARGS an expression), kill the
%%       second, and print "CHANGED <path>" for every process with an id
%%       whose pid changed, "INSTANCE_BACK true|false" (a new instance took
%%       the killed one's place), "OTHERS_SAME true|false" (the other two
%%       kept their pids); then kill an instance each time one runs
%%       (starting one when none does) until the application stops:
%%       "STOPPED_AFTER <n>", or "STILL_RUNNING <n>" after 200 kills.
%%   boot_tree.escript consult FILE... [--broken FILE...]
%%       file:consult/1 every FILE; print "FAIL <file>: <reason>" for each
%%       failure, and "UNEXPECTEDLY OK <file>" for each file after --broken
%%       that does consult; exit 1 if any such line was printed.
%%
%% How the tree is read on OTP 25 (see also samples/README.md):
%%  * top supervisor: application:get_supervisor/1 only exists from OTP 26;
%%    on 25 we use application_controller:get_master/1 and
%%    application_master:get_child/1 (both exported, undocumented).
%%  * children: supervisor:which_children/1 returns them in REVERSE start
%%    order (the supervisor keeps child ids in a list it prepends to), so we
%%    reverse it; we also assert that this equals the reversed id list kept
%%    in the supervisor's state, so a change in OTP shows up as a failure.
%%  * child specs: supervisor:get_childspec/2 (maps with defaults filled in).
%%  * sup flags: there is no API for them on OTP 25 (supervisor:get_sup_flags
%%    does not exist), so we read sys:get_state/1, which is the supervisor's
%%    #state{} record. Field positions are computed from the record
%%    definition in supervisor.beam's debug_info (OTP ships it), falling back
%%    to the OTP 25 positions. The same goes for the #child{} record used to
%%    read a simple_one_for_one template (get_childspec/2 cannot: the
%%    template has no id to look up while no child is running).
%%  * the root node has no child spec; by convention it gets restart
%%    "permanent" and shutdown "infinity".

-mode(compile).

main(["tree", SampleDir, App, WorkDir, OutFile | Rest]) ->
    Without = parse_without(Rest),
    run(fun() -> tree(SampleDir, list_to_atom(App), WorkDir, OutFile, Without) end);
main(["otp", App, OutFile]) ->
    run(fun() -> otp_tree(list_to_atom(App), OutFile) end);
main(["blast", SampleDir, App, WorkDir, Type, PathArg | Rest]) ->
    Without = parse_without(Rest),
    run(fun() -> blast(SampleDir, list_to_atom(App), WorkDir, list_to_atom(Type),
                       [list_to_atom(P) || P <- string:lexemes(PathArg, "/")],
                       Without) end);
main(["instance", SampleDir, App, WorkDir, SupPath, Setup, Args | Rest]) ->
    Without = parse_without(Rest),
    run(fun() -> instance(SampleDir, list_to_atom(App), WorkDir,
                          [list_to_atom(P) || P <- string:lexemes(SupPath, "/")],
                          Setup, Args, Without) end);
main(["consult" | Args]) ->
    {Good, Broken} = lists:splitwith(fun(A) -> A =/= "--broken" end, Args),
    Failed = [F || F <- Good, not consult_ok(F)],
    Unbroken = [F || F <- Broken -- ["--broken"], consult_quiet(F)],
    [io:format("UNEXPECTEDLY OK ~ts: listed as broken but consults~n", [F])
     || F <- Unbroken],
    halt(case Failed ++ Unbroken of [] -> 0; _ -> 1 end);
main(_) ->
    io:format(standard_error,
              "usage: boot_tree.escript tree SAMPLE APP WORKDIR OUT [without=a,b]~n"
              "       boot_tree.escript consult FILE... [--broken FILE...]~n", []),
    halt(2).

run(Fun) ->
    try
        Fun(),
        halt(0)
    catch
        throw:{oracle, Fmt, Args} ->
            io:format(standard_error, "oracle: " ++ Fmt ++ "~n", Args),
            halt(1);
        Class:Reason:Stack ->
            io:format(standard_error, "oracle crashed: ~p:~p~n~p~n",
                      [Class, Reason, Stack]),
            halt(1)
    end.

fail(Fmt, Args) ->
    throw({oracle, Fmt, Args}).

parse_without([]) -> [];
parse_without(["without=" ++ List]) ->
    [list_to_atom(A) || A <- string:lexemes(List, ",")].

%%% ------------------------------------------------------------------
%%% consult

consult_ok(File) ->
    case file:consult(File) of
        {ok, _Terms} ->
            true;
        {error, Reason} ->
            io:format("FAIL ~ts: ~ts~n", [File, format_consult_error(Reason)]),
            false
    end.

consult_quiet(File) ->
    element(1, file:consult(File)) =:= ok.

format_consult_error({Line, Mod, Term}) when is_atom(Mod) ->
    io_lib:format("line ~p: ~ts", [Line, Mod:format_error(Term)]);
format_consult_error(Reason) ->
    io_lib:format("~p", [Reason]).

%%% ------------------------------------------------------------------
%%% build

otp_tree(App, OutFile) ->
    logger:set_primary_config(level, error),
    case application:ensure_all_started(App) of
        {ok, _} -> ok;
        {error, Why} -> fail("~p did not start: ~p", [App, Why])
    end,
    Root = top_supervisor(App),
    Json = {obj, [{app, atom_to_binary(App)}, {root, root_node(Root)}]},
    ok = file:write_file(OutFile, [encode(Json, 0), $\n]).

tree(SampleDir, App, WorkDir, OutFile, Without) ->
    logger:set_primary_config(level, error),
    Apps = find_apps(filename:absname(SampleDir)),
    [] =/= Apps orelse fail("no applications found under ~ts", [SampleDir]),
    LibDir = filename:join(filename:absname(WorkDir), "lib"),
    Built = [prepare(A, LibDir) || A <- Apps],
    [compile_app(B) || B <- Built],
    [write_app_file(B, Without) || B <- Built],
    lists:keymember(App, 1, Built)
        orelse fail("application ~p not found under ~ts", [App, SampleDir]),
    case application:ensure_all_started(App) of
        {ok, _} -> ok;
        {error, Why} -> fail("~p did not start: ~p", [App, Why])
    end,
    Root = top_supervisor(App),
    Json = {obj, [{app, atom_to_binary(App)}, {root, root_node(Root)}]},
    ok = file:write_file(OutFile, [encode(Json, 0), $\n]).

%%% ------------------------------------------------------------------
%%% blast

blast(SampleDir, App, WorkDir, Type, Path, Without) ->
    logger:set_primary_config(level, none),
    Apps = find_apps(filename:absname(SampleDir)),
    LibDir = filename:join(filename:absname(WorkDir), "lib"),
    Built = [prepare(A, LibDir) || A <- Apps],
    [compile_app(B) || B <- Built],
    [write_app_file(B, Without) || B <- Built],
    case application:ensure_all_started(App, Type) of
        {ok, _} -> ok;
        {error, Why} -> fail("~p did not start: ~p", [App, Why])
    end,
    Top = top_supervisor(App),
    Before = pids(Top),
    Target = target(Top, Path),
    kill_and_wait(Target, Path, Top),
    After = pids(Top),
    [io:format("CHANGED ~ts~n", [join_path(P)])
     || {P, Pid} <- Before, proplists:get_value(P, After) =/= Pid],
    %% The first kill counts: the loop goes on from the second.
    Kills = kill_until_stopped(App, Top, Path, 2),
    case Kills of
        {stopped, N} -> io:format("STOPPED_AFTER ~b~n", [N]);
        {running, N} -> io:format("STILL_RUNNING ~b~n", [N])
    end,
    %% A permanent application's stop halts the node asynchronously.
    timer:sleep(1000),
    io:format("ALIVE~n").

%%% ------------------------------------------------------------------
%%% instance: a simple_one_for_one child started at run time

instance(SampleDir, App, WorkDir, SupPath, Setup, ArgsText, Without) ->
    logger:set_primary_config(level, none),
    Apps = find_apps(filename:absname(SampleDir)),
    LibDir = filename:join(filename:absname(WorkDir), "lib"),
    Built = [prepare(A, LibDir) || A <- Apps],
    [compile_app(B) || B <- Built],
    [write_app_file(B, Without) || B <- Built],
    case application:ensure_all_started(App, temporary) of
        {ok, _} -> ok;
        {error, Why} -> fail("~p did not start: ~p", [App, Why])
    end,
    _ = eval(Setup),
    Top = top_supervisor(App),
    Sup = target(Top, SupPath),
    Started = [start_instance(Sup, ArgsText) || _ <- [1, 2, 3]],
    Before = pids(Top),
    [_, Killed, _] = Started,
    exit(Killed, kill),
    timer:sleep(200),
    After = pids(Top),
    [io:format("CHANGED ~ts~n", [join_path(P)])
     || {P, Pid} <- Before, proplists:get_value(P, After) =/= Pid],
    Now = instances(Sup),
    io:format("INSTANCE_BACK ~p~n", [length(Now) =:= 3 andalso not lists:member(Killed, Now)]),
    io:format("OTHERS_SAME ~p~n", [lists:all(fun(P) -> lists:member(P, Now) end,
                                             Started -- [Killed])]),
    case kill_instances(App, SupPath, ArgsText, 2) of
        {stopped, N} -> io:format("STOPPED_AFTER ~b~n", [N]);
        {running, N} -> io:format("STILL_RUNNING ~b~n", [N])
    end.

eval(Text) ->
    {ok, Tokens, _} = erl_scan:string(Text ++ "."),
    {ok, [Expr]} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erl_eval:expr(Expr, erl_eval:new_bindings()),
    Value.

start_instance(Sup, ArgsText) ->
    case supervisor:start_child(Sup, eval(ArgsText)) of
        {ok, Pid} -> Pid;
        {ok, Pid, _} -> Pid;
        Other -> fail("start_child: ~p", [Other])
    end.

instances(Sup) ->
    [Pid || {_, Pid, _, _} <- supervisor:which_children(Sup), is_pid(Pid)].

%% The first kill counts: this goes on from the second. A supervisor that
%% gave up comes back empty (its instances were started at run time), so
%% an instance is started whenever none runs, as the application's users
%% would.
kill_instances(_App, _SupPath, _ArgsText, N) when N > 200 ->
    {running, N - 1};
kill_instances(App, SupPath, ArgsText, N) ->
    case lists:keymember(App, 1, application:which_applications()) of
        false ->
            {stopped, N - 1};
        true ->
            Top = top_supervisor(App),
            case proplists:get_value(SupPath, pids(Top)) of
                undefined ->
                    %% Its parent restarts it at once, or gives up too.
                    timer:sleep(100),
                    case lists:keymember(App, 1, application:which_applications()) of
                        false -> {stopped, N - 1};
                        true -> {running, N - 1}
                    end;
                Sup ->
                    Pid = case instances(Sup) of
                              [P | _] -> P;
                              [] -> start_instance(Sup, ArgsText)
                          end,
                    exit(Pid, kill),
                    timer:sleep(30),
                    kill_instances(App, SupPath, ArgsText, N + 1)
            end
    end.

join_path(P) ->
    lists:join("/", [io_lib:format("~tp", [Id]) || Id <- P]).

%% Path (child ids from the top supervisor down) to pid, for every
%% process with an id (simple_one_for_one instances have none).
pids(Top) ->
    case erlang:process_info(Top, registered_name) of
        {registered_name, TopName} -> [{[TopName], Top} | pids(Top, [TopName])];
        _ -> []                                 % stopped with its application
    end.

pids(Sup, Above) ->
    Children = try supervisor:which_children(Sup) catch _:_ -> [] end,
    lists:append(
      [[{Above ++ [Id], Pid} |
        case Type of
            supervisor -> pids(Pid, Above ++ [Id]);
            worker -> []
        end]
       || {Id, Pid, Type, _} <- Children, is_pid(Pid), Id =/= undefined]).

target(Top, Path) ->
    case proplists:get_value(Path, pids(Top)) of
        undefined -> fail("no process at ~ts", [join_path(Path)]);
        Pid -> Pid
    end.

%% Kills the process and waits until its supervisors are done restarting
%% (the process is back with a new pid, or gone for good).
kill_and_wait(Pid, Path, Top) ->
    exit(Pid, kill),
    wait_settled(Path, Top, Pid, 40).

wait_settled(_Path, _Top, _Old, 0) ->
    ok;
wait_settled(Path, Top, Old, N) ->
    timer:sleep(25),
    case is_process_alive(Top) andalso proplists:get_value(Path, pids(Top)) of
        false -> ok;
        New when is_pid(New), New =/= Old -> timer:sleep(25);
        _ -> wait_settled(Path, Top, Old, N - 1)
    end.

kill_until_stopped(_App, _Top, _Path, N) when N > 400 ->
    {running, N - 1};
kill_until_stopped(App, _Top, Path, N) ->
    case lists:keymember(App, 1, application:which_applications()) of
        false ->
            {stopped, N - 1};
        true ->
            %% The top supervisor may have been restarted: look it up again.
            Top1 = top_supervisor(App),
            case proplists:get_value(Path, pids(Top1)) of
                undefined ->
                    %% Not back (temporary, or a supervisor gave up for good).
                    timer:sleep(100),
                    case lists:keymember(App, 1, application:which_applications()) of
                        false -> {stopped, N - 1};
                        true -> {running, N - 1}
                    end;
                Pid ->
                    kill_and_wait(Pid, Path, Top1),
                    kill_until_stopped(App, Top1, Path, N + 1)
            end
    end.

%% Each app: {Name, Kind, Dir, ResourceFile}.
find_apps(Dir) ->
    case app_in(Dir) of
        {ok, App} ->
            [App];
        none ->
            {ok, Names} = file:list_dir(Dir),
            lists:append(
              [find_apps(filename:join(Dir, N))
               || N <- lists:sort(Names),
                  not lists:member(N, ["_build", "deps", "ebin", "src"]),
                  hd(N) =/= $.,
                  filelib:is_dir(filename:join(Dir, N))])
    end.

app_in(Dir) ->
    AppSrc = filelib:wildcard(filename:join([Dir, "src", "*.app.src"])),
    AppFile = filelib:wildcard(filename:join([Dir, "ebin", "*.app"])),
    Makefile = filename:join(Dir, "Makefile"),
    if
        AppSrc =/= [] ->
            [F] = AppSrc,
            {ok, {app_name(F, ".app.src"), app_src, Dir, F}};
        AppFile =/= [] ->
            [F] = AppFile,
            {ok, {app_name(F, ".app"), app, Dir, F}};
        true ->
            case erlang_mk_vars(Makefile) of
                #{"PROJECT" := Project} ->
                    {ok, {list_to_atom(Project), erlang_mk, Dir, Makefile}};
                _ ->
                    none
            end
    end.

app_name(File, Ext) ->
    list_to_atom(filename:basename(File, Ext)).

%% WorkDir/lib/<app>/ebin on the code path and <app>/include linked, so
%% that -include_lib("<app>/include/...") resolves through code:lib_dir/1.
prepare({Name, Kind, Dir, File}, LibDir) ->
    AppLib = filename:join(LibDir, atom_to_list(Name)),
    Ebin = filename:join(AppLib, "ebin"),
    ok = filelib:ensure_dir(filename:join(Ebin, "x")),
    Include = filename:join(Dir, "include"),
    case filelib:is_dir(Include) of
        true -> ok = file:make_symlink(Include, filename:join(AppLib, "include"));
        false -> ok
    end,
    true = code:add_patha(Ebin),
    {Name, Kind, Dir, File, Ebin}.

compile_app({Name, _Kind, Dir, _File, Ebin}) ->
    Src = filename:join(Dir, "src"),
    Opts = [report_errors, {outdir, Ebin},
            {i, filename:join(Dir, "include")}, {i, Src}],
    [case compile:file(F, Opts) of
         {ok, _Mod} -> ok;
         error -> fail("~ts (app ~p) does not compile", [F, Name])
     end || F <- filelib:wildcard(filename:join(Src, "**/*.erl"))],
    ok.

write_app_file({Name, Kind, _Dir, File, Ebin}, Without) ->
    Compiled = lists:sort([list_to_atom(filename:basename(B, ".beam"))
                           || B <- filelib:wildcard(filename:join(Ebin, "*.beam"))]),
    {application, Name, Props0} = app_spec(Kind, Name, File),
    Props1 = case Kind of
                 app ->
                     %% A prebuilt .app must list exactly its modules.
                     Listed = lists:sort(proplists:get_value(modules, Props0, [])),
                     Listed =:= Compiled
                         orelse fail("~ts lists modules ~p but src has ~p",
                                     [File, Listed, Compiled]),
                     Props0;
                 _ ->
                     lists:keystore(modules, 1, Props0, {modules, Compiled})
             end,
    Apps = [A || A <- proplists:get_value(applications, Props1, []),
                 not lists:member(A, Without)],
    Props = lists:keystore(applications, 1, Props1, {applications, Apps}),
    Out = filename:join(Ebin, atom_to_list(Name) ++ ".app"),
    ok = file:write_file(Out, io_lib:format("~tp.~n", [{application, Name, Props}])).

app_spec(erlang_mk, Name, Makefile) ->
    Vars = erlang_mk_vars(Makefile),
    Words = fun(K) -> [list_to_atom(W) || W <- string:lexemes(maps:get(K, Vars, ""), " \t")] end,
    Env = case maps:get("PROJECT_ENV", Vars, "") of
              "" -> [];
              Text -> parse_term(Text)
          end,
    Mod = case maps:get("PROJECT_MOD", Vars, "") of
              "" -> [];
              M -> [{mod, {list_to_atom(M), []}}]
          end,
    {application, Name,
     [{description, maps:get("PROJECT_DESCRIPTION", Vars, "")},
      {vsn, maps:get("PROJECT_VERSION", Vars, "rolling")},
      {modules, []},
      {registered, []},
      {applications, dedup([kernel, stdlib | Words("LOCAL_DEPS") ++ Words("DEPS")])},
      {env, Env}] ++ Mod};
app_spec(_Kind, Name, File) ->
    case file:consult(File) of
        {ok, [{application, Name, Props}]} -> {application, Name, Props};
        Other -> fail("cannot read ~ts: ~p", [File, Other])
    end.

dedup([]) -> [];
dedup([H | T]) -> [H | dedup([X || X <- T, X =/= H])].

parse_term(Text) ->
    {ok, Tokens, _} = erl_scan:string(Text ++ "."),
    {ok, Term} = erl_parse:parse_term(Tokens),
    Term.

%% The simple `VAR = value` assignments of an erlang.mk Makefile
%% (continuation lines joined). Enough for PROJECT_* and *DEPS.
erlang_mk_vars(Makefile) ->
    case file:read_file(Makefile) of
        {ok, Bin} ->
            Text = string:replace(unicode:characters_to_list(Bin), "\\\n", " ", all),
            Lines = string:split(lists:flatten(Text), "\n", all),
            case lists:member("include erlang.mk", [string:trim(L) || L <- Lines]) of
                false -> #{};
                true -> maps:from_list(lists:filtermap(fun makefile_assignment/1, Lines))
            end;
        {error, _} ->
            #{}
    end.

makefile_assignment(Line) ->
    case re:run(Line, "^([A-Z_a-z0-9]+)\\s*[:?]?=\\s*(.*?)\\s*$",
                [{capture, all_but_first, list}, unicode]) of
        {match, [Var, Value]} -> {true, {Var, Value}};
        nomatch -> false
    end.

%%% ------------------------------------------------------------------
%%% walk the live tree

top_supervisor(App) ->
    {module, application} = code:ensure_loaded(application),
    case erlang:function_exported(application, get_supervisor, 1) of
        true ->                                       % OTP 26+
            {ok, Pid} = erlang:apply(application, get_supervisor, [App]),
            Pid;
        false ->                                      % OTP 25
            Master = application_controller:get_master(App),
            is_pid(Master) orelse fail("~p has no application master", [App]),
            {Pid, _Mod} = application_master:get_child(Master),
            Pid
    end.

root_node(Pid) ->
    Id = case process_info(Pid, registered_name) of
             {registered_name, Name} -> Name;
             _ -> supervisor:get_callback_module(Pid)
         end,
    node_for(Id, supervisor:get_callback_module(Pid), supervisor,
             permanent, infinity, Pid).

node_for(Id, Module, Type, Restart, Shutdown, Pid) ->
    Base = [{id, format_id(Id)},
            {module, atom_to_binary(Module)},
            {type, atom_to_binary(Type)},
            {restart, atom_to_binary(Restart)},
            {shutdown, shutdown(Shutdown)}],
    case Type of
        worker ->
            {obj, Base};
        supervisor ->
            is_pid(Pid) andalso is_supervisor(Pid)
                orelse fail("child ~p (~p) is typed supervisor but is not one", [Id, Pid]),
            {obj, Base ++ supervisor_fields(Pid)}
    end.

is_supervisor(Pid) ->
    {dictionary, Dict} = process_info(Pid, dictionary),
    %% proc_lib records {supervisor, CallbackModule, 1} for supervisors
    %% ({supervisor_bridge, Mod, 1} for bridges, {Mod, init, 1} for others).
    case proplists:get_value('$initial_call', Dict) of
        {supervisor, _Mod, 1} -> true;
        _ -> false
    end.

supervisor_fields(Pid) ->
    State = sys:get_state(Pid),
    St = fun(Field) -> element(field_pos(state, Field), State) end,
    state = element(1, State),
    Strategy = St(strategy),
    Children =
        case Strategy of
            simple_one_for_one ->
                {[TId], Db} = St(children),
                [template_node(maps:get(TId, Db))];
            _ ->
                Which = lists:reverse(supervisor:which_children(Pid)),
                {StateIds, _} = St(children),
                Ids = [Id || {Id, _, _, _} <- Which],
                Ids =:= lists:reverse(StateIds)
                    orelse fail("which_children order ~p differs from state ~p",
                                [Ids, StateIds]),
                [child_node(Pid, Id, ChildPid) || {Id, ChildPid, _, _} <- Which]
        end,
    [{strategy, atom_to_binary(Strategy)},
     {intensity, St(intensity)},
     {period, St(period)},
     {children, Children}].

child_node(Sup, Id, ChildPid) ->
    {ok, #{start := {M, _F, _A}, restart := R, shutdown := S, type := T}} =
        supervisor:get_childspec(Sup, Id),
    node_for(Id, M, T, R, S, ChildPid).

template_node(Child) ->
    C = fun(Field) -> element(field_pos(child, Field), Child) end,
    child = element(1, Child),
    {M, _F, _A} = C(mfargs),
    {obj, Fields} =
        case C(child_type) of
            worker -> node_for(C(id), M, worker, C(restart_type), C(shutdown), undefined);
            %% No instance to walk: a supervisor template shows no children.
            supervisor -> {obj, [{id, format_id(C(id))},
                                 {module, atom_to_binary(M)},
                                 {type, <<"supervisor">>},
                                 {restart, atom_to_binary(C(restart_type))},
                                 {shutdown, shutdown(C(shutdown))}]}
        end,
    {obj, Fields ++ [{dynamic, true}]}.

shutdown(N) when is_integer(N) -> N;
shutdown(A) when A =:= infinity; A =:= brutal_kill -> atom_to_binary(A).

format_id(Id) ->
    unicode:characters_to_binary(io_lib:format("~9999tp", [Id])).

%% Position of a field in supervisor.erl's records: from the record
%% definition in the beam's debug_info, else the OTP 25 layout.
field_pos(Rec, Field) ->
    Fields = case persistent_term:get({?MODULE, Rec}, undefined) of
                 undefined ->
                     F = record_fields(Rec),
                     persistent_term:put({?MODULE, Rec}, F),
                     F;
                 F ->
                     F
             end,
    index_of(Field, Fields) + 1.

record_fields(Rec) ->
    Otp25 = #{state => [name, strategy, children, dynamics, intensity, period,
                        restarts, dynamic_restarts, auto_shutdown, module, args],
              child => [pid, id, mfargs, restart_type, significant, shutdown,
                        child_type, modules]},
    case beam_lib:chunks(code:which(supervisor), [abstract_code]) of
        {ok, {supervisor, [{abstract_code, {raw_abstract_v1, Forms}}]}} ->
            case [Fs || {attribute, _, record, {R, Fs}} <- Forms, R =:= Rec] of
                [Fs] -> [field_name(F) || F <- Fs];
                _ -> maps:get(Rec, Otp25)
            end;
        _ ->
            maps:get(Rec, Otp25)
    end.

field_name({typed_record_field, F, _Type}) -> field_name(F);
field_name({record_field, _, {atom, _, Name}}) -> Name;
field_name({record_field, _, {atom, _, Name}, _Default}) -> Name.

index_of(X, L) -> index_of(X, L, 1).
index_of(X, [X | _], N) -> N;
index_of(X, [_ | T], N) -> index_of(X, T, N + 1);
index_of(X, [], _) -> fail("supervisor record has no field ~p", [X]).

%%% ------------------------------------------------------------------
%%% a tiny JSON encoder: {obj, [{Key, Value}]}, lists, binaries (strings),
%%% integers, true/false/null. Pretty-printed with two-space indents.

encode({obj, []}, _) -> "{}";
encode({obj, Pairs}, Ind) ->
    Pad = indent(Ind + 1),
    Items = [[Pad, string(key(K)), ": ", encode(V, Ind + 1)] || {K, V} <- Pairs],
    ["{\n", lists:join(",\n", Items), "\n", indent(Ind), "}"];
encode([], _) -> "[]";
encode(List, Ind) when is_list(List) ->
    Pad = indent(Ind + 1),
    ["[\n", lists:join(",\n", [[Pad, encode(V, Ind + 1)] || V <- List]),
     "\n", indent(Ind), "]"];
encode(true, _) -> "true";
encode(false, _) -> "false";
encode(null, _) -> "null";
encode(N, _) when is_integer(N) -> integer_to_list(N);
encode(B, _) when is_binary(B) -> string(B).

key(K) when is_atom(K) -> atom_to_binary(K);
key(K) when is_binary(K) -> K.

indent(N) -> lists:duplicate(2 * N, $\s).

string(B) ->
    [$", [escape(C) || C <- unicode:characters_to_list(B)], $"].

escape($") -> "\\\"";
escape($\\) -> "\\\\";
escape($\n) -> "\\n";
escape($\r) -> "\\r";
escape($\t) -> "\\t";
escape(C) when C < 16#20 -> io_lib:format("\\u~4.16.0b", [C]);
escape(C) -> unicode:characters_to_binary([C]).
