%% @doc `rebar3 otpmap COMMAND [OPTIONS] [-- OTHER OTPMAP OPTIONS]'.
%%
%% Runs the otpmap binary on the project's root, with what rebar3 knows
%% that otpmap cannot see from the files alone: whether dependencies are
%% fetched (then `--include-deps') and the macros the active profile
%% defines (`--define', when the binary takes it). The output streams to
%% the console; a non-zero exit (lint findings, or otpmap failing) is a
%% rebar3 error, so `rebar3 otpmap lint' fails a CI job like otpmap does.
%%
%% Settings in rebar.config:
%%   {otpmap, [{bin, "/path/to/otpmap"},        % default: otpmap on PATH
%%             {args, ["--fail-on", "error"]}]}. % added to every run
-module(rebar3_otpmap_prv).

-export([init/1, do/1, format_error/1]).

-define(PROVIDER, otpmap).
-define(COMMANDS, ["scan", "deps", "tree", "lint"]).

-spec init(rebar_state:t()) -> {ok, rebar_state:t()}.
init(State) ->
    Provider = providers:create([
        {name, ?PROVIDER},
        {module, ?MODULE},
        {bare, true},
        %% Reading the project is otpmap's job: nothing is compiled first.
        {deps, []},
        {example, "rebar3 otpmap lint --format sarif -o otpmap.sarif"},
        {opts, opts()},
        {short_desc, "Map and lint the project with otpmap (no compile)."},
        {desc, desc()}
    ]),
    {ok, rebar_state:add_provider(State, Provider)}.

opts() ->
    [{command, undefined, undefined, string,
      "scan, deps, tree or lint (default: lint)."},
     {format, $f, "format", string, "Output format (as otpmap's --format)."},
     {output, $o, "output", string, "Write the output to this file."},
     {app, undefined, "app", string, "One application (deps, tree)."},
     {fail_on, undefined, "fail-on", string, "lint: info, warning or error."},
     {select, undefined, "select", string, "lint: only these rules."},
     {ignore, undefined, "ignore", string, "lint: not these rules."},
     {baseline, undefined, "baseline", string, "lint: report only findings not in this file."}].

desc() ->
    "Runs the otpmap binary on the project's root: `rebar3 otpmap lint`\n"
    "fails like `otpmap lint` does. Other otpmap options go after `--`:\n"
    "  rebar3 otpmap tree -- --max-steps 50000\n"
    "The binary is `otpmap` on PATH, or {otpmap, [{bin, Path}]} in rebar.config.\n".

-spec do(rebar_state:t()) -> {ok, rebar_state:t()} | {error, term()}.
do(State) ->
    {Parsed, Rest} = rebar_state:command_parsed_args(State),
    {Command, Extra} =
        case proplists:get_value(command, Parsed) of
            undefined -> {"lint", Rest};
            C -> {C, Rest}
        end,
    case lists:member(Command, ?COMMANDS) of
        false ->
            {error, {?MODULE, {unknown_command, Command}}};
        true ->
            Config = rebar_state:get(State, otpmap, []),
            case binary(Config) of
                {error, _} = Error ->
                    Error;
                {ok, Bin} ->
                    Root = rebar_state:dir(State),
                    Args = [Command] ++ passed(Parsed)
                        ++ project_args(State, Bin, Command)
                        ++ proplists:get_value(args, Config, []) ++ Extra
                        ++ [Root],
                    rebar_api:info("Running ~ts ~ts", [Bin, lists:join(" ", Args)]),
                    case run(Bin, Args, Root) of
                        0 -> {ok, State};
                        Status -> {error, {?MODULE, {exit, Command, Status}}}
                    end
            end
    end.

-spec format_error(any()) -> iolist().
format_error({unknown_command, C}) ->
    io_lib:format("unknown otpmap command ~ts (one of: ~ts)",
                  [C, lists:join(", ", ?COMMANDS)]);
format_error(no_binary) ->
    "otpmap not found on PATH: install it (cargo install --path . in otpmap's "
    "checkout) or set {otpmap, [{bin, Path}]} in rebar.config";
format_error({no_such_binary, Path}) ->
    io_lib:format("{otpmap, [{bin, ~p}]}: no such executable", [Path]);
format_error({exit, "lint", 1}) ->
    "otpmap lint found problems at or above --fail-on (listed above)";
format_error({exit, Command, Status}) ->
    io_lib:format("otpmap ~ts exited with status ~b", [Command, Status]);
format_error(Reason) ->
    io_lib:format("~p", [Reason]).

binary(Config) ->
    case proplists:get_value(bin, Config) of
        undefined ->
            case os:find_executable("otpmap") of
                false -> {error, {?MODULE, no_binary}};
                Path -> {ok, Path}
            end;
        Path0 ->
            Path = filename:absname(Path0),
            case filelib:is_regular(Path) of
                true -> {ok, Path};
                false -> {error, {?MODULE, {no_such_binary, Path0}}}
            end
    end.

%% The options rebar3 parsed, given back in otpmap's spelling.
passed(Parsed) ->
    lists:append([["--" ++ flag(K), V] || {K, V} <- Parsed, K =/= command]).

flag(fail_on) -> "fail-on";
flag(K) -> atom_to_list(K).

%% What the project's rebar3 state says that the files do not: fetched
%% dependencies are read too, and the active profile's macros are defined.
project_args(State, Bin, Command) ->
    DepsDir = rebar_dir:deps_dir(State),
    Deps = case filelib:wildcard(filename:join(DepsDir, "*")) of
               [] -> [];
               _ -> ["--include-deps"]
           end,
    Deps ++ defines(State, Bin, Command).

defines(State, Bin, Command) ->
    Macros = lists:usort([macro(D) || D <- rebar_state:get(State, erl_opts, []),
                                      macro(D) =/= none]),
    case Macros =/= [] andalso takes_define(Bin, Command) of
        true -> lists:append([["--define", M] || M <- Macros]);
        false -> []
    end.

macro({d, M}) when is_atom(M) -> atom_to_list(M);
macro({d, M, _}) when is_atom(M) -> atom_to_list(M);
macro(_) -> none.

%% Older otpmap binaries have no --define: ask the binary, don't break it.
takes_define(Bin, Command) ->
    Help = os:cmd(quote(Bin) ++ " " ++ Command ++ " --help"),
    string:find(Help, "--define") =/= nomatch.

quote(Path) ->
    "'" ++ lists:flatten(string:replace(Path, "'", "'\\''", all)) ++ "'".

run(Bin, Args, Dir) ->
    Port = open_port({spawn_executable, Bin},
                     [{args, Args}, {cd, Dir}, exit_status, stderr_to_stdout,
                      binary, stream]),
    loop(Port).

loop(Port) ->
    receive
        {Port, {data, Data}} ->
            io:put_chars(Data),
            loop(Port);
        {Port, {exit_status, Status}} ->
            Status
    end.
