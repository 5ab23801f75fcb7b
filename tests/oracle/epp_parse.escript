#!/usr/bin/env escript
%% Reads source paths, one a line, from standard input and prints, for
%% each, "ok<TAB>Path" when epp:parse_file/2 (the preprocessor and parser
%% erlc runs) finds no error in it, or "error<TAB>Path<TAB>Line: reason".
%% Include dirs: the file's own folder, its application's `include` and
%% `src`, then the `include` folder of every application in the list (as
%% OTP's makefiles pass `-I` for the applications they use);
%% `-include_lib` resolves through the code path as erlc's does.
%% One node for every file: starting one per file would cost more than
%% the parsing.
-mode(compile).

main(_) ->
    io:setopts(standard_io, [{encoding, unicode}]),
    Paths = read_paths([]),
    Shared = lists:usort([filename:join(app_dir(filename:dirname(P)), "include")
                          || P <- Paths]),
    lists:foreach(fun(P) -> check(P, Shared) end, Paths).

read_paths(Acc) ->
    case io:get_line(standard_io, "") of
        eof -> lists:reverse(Acc);
        Line ->
            case string:trim(Line) of
                "" -> read_paths(Acc);
                Path -> read_paths([Path | Acc])
            end
    end.

check(Path, Shared) ->
    App = app_dir(filename:dirname(Path)),
    Includes = [filename:dirname(Path), filename:join(App, "include"),
                filename:join(App, "src") | Shared],
    Result = try epp:parse_file(Path, [{includes, Includes}, {macros, []}]) of
                 {ok, Forms} -> first_error(Forms);
                 {error, E} -> {0, io_lib:format("~p", [E])}
             catch
                 C:R -> {0, io_lib:format("~p:~p", [C, R])}
             end,
    case Result of
        ok -> io:format("ok\t~ts~n", [Path]);
        {Line, Why} -> io:format("error\t~ts\t~p: ~ts~n", [Path, Line, oneline(Why)])
    end.

first_error([]) -> ok;
first_error([{error, {Loc, Mod, Desc}} | _]) ->
    {line(Loc), Mod:format_error(Desc)};
first_error([{error, Other} | _]) -> {0, io_lib:format("~p", [Other])};
first_error([_ | Rest]) -> first_error(Rest).

line({L, _}) -> L;
line(L) -> L.

oneline(Chars) ->
    [case C of $\n -> $\s; $\t -> $\s; _ -> C end
     || C <- lists:flatten(io_lib:format("~ts", [Chars]))].

%% The folder above `src` (sources may sit in subfolders of it).
app_dir(Dir) ->
    case filename:basename(Dir) of
        "src" -> filename:dirname(Dir);
        _ ->
            Parent = filename:dirname(Dir),
            case Parent of
                Dir -> Dir;
                _ -> app_dir(Parent)
            end
    end.
