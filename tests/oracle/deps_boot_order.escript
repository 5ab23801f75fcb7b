#!/usr/bin/env escript
%% -*- erlang -*-
%%! -noshell
%%
%% Oracle for the boot order of otpmap's `deps` and `scan`: lets
%% systools:make_script/2 write the boot script of every release of a
%% sample and prints the order in which the script loads and starts
%% applications.
%%
%% Usage:
%%   deps_boot_order.escript SAMPLE_DIR WORK_DIR
%%
%% For each application under SAMPLE_DIR (src/<app>.app.src or
%% ebin/<app>.app, outside _build and deps), writes
%% WORK_DIR/lib/<app>-<vsn>/ebin/<app>.app with an empty `modules` list
%% (systools then has no module to check; the order of the script does not
%% depend on modules). OTP's applications come from this node's code path.
%%
%% Releases:
%%  * relx entries of SAMPLE_DIR/rebar.config and relx.config: the .rel is
%%    built the way relx 4 builds it (rlx_resolve:subset/7 and
%%    rlx_release:create_app_spec/3): for each goal in order, depth first
%%    through applications ++ included_applications ++
%%    optional_applications, each app after those it names, a missing
%%    optional app skipped; the type is the goal's, else `load` for an app
%%    some resolved app includes, else permanent.
%%  * systools .rel files found under SAMPLE_DIR: used as written, with the
%%    versions replaced by the ones available here.
%%
%% Output, one line per release (tab-separated):
%%   NAME  ok     START,START,...  LOAD,LOAD,...
%%   NAME  error  REASON            (systools refused: e.g. a cycle)
%%   NAME  skip   REASON            (an app is neither in the sample nor OTP)

-mode(compile).

main([SampleDir, WorkDir]) ->
    Lib = filename:join(WorkDir, "lib"),
    Apps = [write_app(Lib, A) || A <- find_apps(SampleDir)],
    World = maps:from_list([{Name, A} || A = {Name, _, _} <- Apps]),
    RelDir = filename:join(WorkDir, "rel"),
    ok = filelib:ensure_dir(filename:join(RelDir, "x")),
    Path = [filename:join([Lib, "*", "ebin"]), filename:join([code:lib_dir(), "*", "ebin"])],
    Releases = relx_releases(SampleDir) ++ rel_files(SampleDir),
    lists:foreach(fun(R) -> report(R, World, RelDir, Path) end, Releases),
    halt(0);
main(_) ->
    io:format(standard_error, "usage: deps_boot_order.escript SAMPLE_DIR WORK_DIR~n", []),
    halt(2).

%% Applications of the sample: [{Name, Vsn, Props}].
find_apps(Dir) ->
    Files = filelib:wildcard(filename:join(Dir, "**/src/*.app.src"))
        ++ filelib:wildcard(filename:join(Dir, "**/ebin/*.app")),
    lists:usort(
      [{Name, proplists:get_value(vsn, Props, "0"), Props}
       || F <- Files,
          not lists:member("_build", filename:split(F)),
          not lists:member("deps", filename:split(F)),
          {ok, [{application, Name, Props}]} <- [file:consult(F)],
          is_list(Props)]).

write_app(Lib, {Name, Vsn, Props}) ->
    Ebin = filename:join([Lib, atom_to_list(Name) ++ "-" ++ Vsn, "ebin"]),
    ok = filelib:ensure_dir(filename:join(Ebin, "x")),
    Props1 = lists:keystore(modules, 1, Props, {modules, []}),
    File = filename:join(Ebin, atom_to_list(Name) ++ ".app"),
    ok = file:write_file(File, io_lib:format("~tp.~n", [{application, Name, Props1}])),
    {Name, Vsn, Props1}.

%% {Name, {relx, Goals}} for each relx release.
relx_releases(Dir) ->
    Terms = consult_or_empty(filename:join(Dir, "rebar.config")),
    Relx = proplists:get_value(relx, Terms, []),
    RelxCfg = consult_or_empty(filename:join(Dir, "relx.config")),
    [{N, {relx, Goals}} || Entry <- Relx ++ RelxCfg,
                           {N, Goals} <- relx_release(Entry)].

relx_release({release, {N, _V}, Goals}) when is_list(Goals) -> [{N, Goals}];
relx_release({release, {N, _V}, Goals, _Opts}) when is_list(Goals) -> [{N, Goals}];
relx_release(_) -> [].

consult_or_empty(File) ->
    case file:consult(File) of
        {ok, Terms} -> Terms;
        _ -> []
    end.

rel_files(Dir) ->
    [{N, {rel, Apps}}
     || F <- filelib:wildcard(filename:join(Dir, "**/*.rel")),
        {ok, [{release, {N, _}, _Erts, Apps}]} <- [file:consult(F)]].

report({Name, Spec}, World, RelDir, Path) ->
    Label = to_list(Name),
    try rel_apps(Spec, World) of
        Apps ->
            Base = filename:join(RelDir, Label),
            Rel = {release, {Label, "1"}, {erts, erlang:system_info(version)}, Apps},
            ok = file:write_file(Base ++ ".rel", io_lib:format("~tp.~n", [Rel])),
            case systools:make_script(Base, [{path, Path}, {outdir, RelDir}, silent, no_warn_sasl]) of
                {ok, _, _} ->
                    {ok, [{script, _, Cmds}]} = file:consult(Base ++ ".script"),
                    Starts = [A || {apply, {application, start_boot, [A | _]}} <- Cmds],
                    Loads = [A || {apply, {application, load, [{application, A, _}]}} <- Cmds],
                    io:format("~ts\tok\t~ts\t~ts~n", [Label, join(Starts), join(Loads)]);
                {error, Mod, Reason} ->
                    Text = lists:flatten(Mod:format_error(Reason)),
                    io:format("~ts\terror\t~ts~n", [Label, oneline(Text)])
            end
    catch
        throw:{skip, Why} -> io:format("~ts\tskip\t~ts~n", [Label, Why])
    end.

%% The application list of the .rel file.
rel_apps({relx, Goals}, World) ->
    Parsed = [parse_goal(G) || G <- Goals],
    {Resolved, _} = lists:foldl(
                      fun({N, _, _}, {Acc, Seen}) -> subset(N, World, Seen, [], Acc) end,
                      {[], #{}}, Parsed),
    Ordered = lists:reverse(Resolved),
    Included = lists:usort(lists:append([props(incl, A, World) || A <- Ordered])),
    [spec(A, Parsed, Included, World) || A <- Ordered];
rel_apps({rel, Apps}, World) ->
    [rel_entry(E, World) || E <- Apps].

parse_goal(N) when is_atom(N) -> {N, undefined, undefined};
parse_goal({N, T}) when T =:= permanent; T =:= transient; T =:= temporary;
                        T =:= load; T =:= none -> {N, T, undefined};
parse_goal({N, [A | _] = I}) when is_atom(A) -> {N, undefined, I};
parse_goal({N, V}) when is_list(V) -> {N, undefined, undefined};
parse_goal({N, V, T}) when is_list(V), is_atom(T) -> {N, T, undefined};
parse_goal({N, V, I}) when is_list(V), is_list(I) -> {N, undefined, I};
parse_goal({N, _V, T, I}) -> {N, T, I}.

%% rlx_resolve:subset/7: depth first, each app after what it names.
subset(Name, World, Seen, Optional, Acc) ->
    case maps:is_key(Name, Seen) of
        true -> {Acc, Seen};
        false ->
            case exists(Name, World) of
                false ->
                    case lists:member(Name, Optional) of
                        true -> {Acc, Seen};
                        false -> throw({skip, io_lib:format("~p not found", [Name])})
                    end;
                true ->
                    Opt = props(opt, Name, World),
                    Children = props(apps, Name, World) ++ props(incl, Name, World) ++ Opt,
                    {Acc1, Seen1} = lists:foldl(
                                      fun(C, {A, S}) -> subset(C, World, S, Opt, A) end,
                                      {Acc, Seen#{Name => true}}, Children),
                    {[Name | Acc1], Seen1}
            end
    end.

%% rlx_release:create_app_spec/3.
spec(Name, Parsed, Included, World) ->
    Default = case lists:member(Name, Included) of
                  true -> load;
                  false -> permanent
              end,
    {Type, Incl} = case lists:keyfind(Name, 1, Parsed) of
                       {_, undefined, I} -> {Default, I};
                       {_, T, I} -> {T, I};
                       false -> {Default, undefined}
                   end,
    Vsn = vsn(Name, World),
    case Incl of
        undefined -> {Name, Vsn, Type};
        _ -> {Name, Vsn, Type, Incl}
    end.

rel_entry({N, _V}, World) -> {N, vsn(N, World)};
rel_entry({N, _V, X}, World) -> {N, vsn(N, World), X};
rel_entry({N, _V, T, I}, World) -> {N, vsn(N, World), T, I}.

exists(Name, World) ->
    maps:is_key(Name, World) orelse otp_app(Name) =/= false.

%% The .app properties of a sample app or an OTP app.
app_props(Name, World) ->
    case maps:find(Name, World) of
        {ok, {_, _, Props}} -> Props;
        error ->
            case otp_app(Name) of
                false -> throw({skip, io_lib:format("~p not found", [Name])});
                Props -> Props
            end
    end.

otp_app(Name) ->
    case code:lib_dir(Name) of
        {error, _} -> false;
        Dir ->
            case file:consult(filename:join([Dir, "ebin", atom_to_list(Name) ++ ".app"])) of
                {ok, [{application, _, Props}]} -> Props;
                _ -> false
            end
    end.

props(apps, N, W) -> proplists:get_value(applications, app_props(N, W), []);
props(incl, N, W) -> proplists:get_value(included_applications, app_props(N, W), []);
props(opt, N, W) -> proplists:get_value(optional_applications, app_props(N, W), []).

vsn(Name, World) -> proplists:get_value(vsn, app_props(Name, World)).

join(Atoms) -> lists:join(",", [atom_to_list(A) || A <- Atoms]).

oneline(Text) -> [case C of $\n -> $\s; $\t -> $\s; _ -> C end || C <- Text].

to_list(A) when is_atom(A) -> atom_to_list(A);
to_list(L) -> L.
