#!/usr/bin/env escript
%%! -noshell
%% The Erlang side of tests/script_oracle.rs.
%%
%% Reads lines "ROOT<TAB>SCRIPT<TAB>ENV" from standard input (ENV is
%% NAME=VALUE pairs separated by `;`, maybe none). For each, in ROOT and
%% with exactly those variables set, runs SCRIPT with file:script/2 bound
%% as rebar3 binds it (CONFIG: the terms of the file SCRIPT stands next
%% to, or []; SCRIPT: its path relative to ROOT) and prints one line: "OK"
%% and the canonical form of each term of the value (a value that is not a
%% list counts as a list of one, as rebar3 takes it), or "ERR" and why.
%% The canonical form is the one src/config/term/print.rs documents.

main(_) ->
    ok = io:setopts(standard_io, [binary]),
    %% rebar3 runs the scripts with its own application loaded.
    ok = application:load({application, rebar, [{vsn, "3.0.0"}, {modules, []},
                                                {registered, []},
                                                {applications, [kernel, stdlib]}]}),
    %% And its entry module, which scripts test for with
    %% erlang:function_exported(rebar3, main, 1).
    {ok, rebar3, Beam} = compile:forms([{attribute, 1, module, rebar3},
                                        {attribute, 1, export, [{main, 1}]},
                                        {function, 1, main, 1,
                                         [{clause, 1, [{var, 1, '_'}], [], [{atom, 1, ok}]}]}]),
    {module, rebar3} = code:load_binary(rebar3, "rebar3.erl", Beam),
    {ok, Home} = file:get_cwd(),
    loop(Home).

loop(Home) ->
    case io:get_line(standard_io, "") of
        eof -> ok;
        Line ->
            Text = unicode:characters_to_list(string:trim(Line, trailing, "\r\n")),
            [Root, Script, EnvSpec] = string:split(Text, "\t", all),
            Env = [list_to_tuple(string:split(P, "=")) || P <- string:tokens(EnvSpec, ";")],
            [os:putenv(K, V) || {K, V} <- Env],
            ok = file:set_cwd(Root),
            Out = result(Script),
            ok = file:set_cwd(Home),
            [os:unsetenv(K) || {K, _} <- Env],
            io:put_chars(standard_io, [Out, $\n]),
            loop(Home)
    end.

result(Script) ->
    Sibling = filename:rootname(Script, ".script"),
    Config = case file:consult(Sibling) of
                 {ok, Terms} -> Terms;
                 {error, _} -> []
             end,
    Bs = erl_eval:add_binding('SCRIPT', Script,
                              erl_eval:add_binding('CONFIG', Config, erl_eval:new_bindings())),
    try file:script(Script, Bs) of
        {ok, Value} when is_list(Value) -> ["OK", [[$\s, canon(T)] || T <- Value]];
        {ok, Value} -> ["OK ", canon(Value)];
        {error, Reason} -> ["ERR ", ascii(io_lib:format("~0p", [Reason]))]
    catch
        Class:Error -> ["ERR ", ascii(io_lib:format("~0p:~0p", [Class, Error]))]
    end.

ascii(Chars) ->
    [if C >= 32, C < 127 -> C; true -> $? end || C <- lists:flatten(Chars)].

canon(I) when is_integer(I) -> integer_to_list(I);
canon(F) when is_float(F) ->
    %% 0.0 =:= -0.0 in OTP 25: both print as 0.0.
    <<Bits:64>> = <<(if F == 0 -> 0.0; true -> F end)/float>>,
    Hex = string:lowercase(integer_to_list(Bits, 16)),
    ["f:", lists:duplicate(16 - length(Hex), $0), Hex];
canon(A) when is_atom(A) -> atom(A);
canon(T) when is_tuple(T) -> [${, join([canon(E) || E <- tuple_to_list(T)]), $}];
canon([]) -> "[]";
canon([H | T]) -> [$[, canon(H), list_rest(T)];
canon(M) when is_map(M) ->
    Sorted = lists:sort(fun({K1, _}, {K2, _}) -> key_le(K1, K2) end, maps:to_list(M)),
    ["#{", join([[canon(K), "=>", canon(V)] || {K, V} <- Sorted]), $}];
canon(B) when is_bitstring(B) ->
    Whole = bit_size(B) div 8,
    Rest = bit_size(B) rem 8,
    <<Bytes:Whole/binary, Last:Rest>> = B,
    Parts = [integer_to_list(Byte) || <<Byte>> <= Bytes]
        ++ [[integer_to_list(Last), $:, integer_to_list(Rest)] || Rest > 0],
    ["<<", join(Parts), ">>"];
canon(F) when is_function(F) ->
    {module, M} = erlang:fun_info(F, module),
    {name, N} = erlang:fun_info(F, name),
    {arity, A} = erlang:fun_info(F, arity),
    ["fun:", atom(M), $:, atom(N), $/, integer_to_list(A)].

list_rest([]) -> "]";
list_rest([H | T]) -> [$,, canon(H), list_rest(T)];
list_rest(Tail) -> [$|, canon(Tail), $]].

%% Term order; keys equal in it but not =:= ({1} and {1.0}) by canonical text.
key_le(K1, K2) when K1 < K2 -> true;
key_le(K1, K2) when K1 > K2 -> false;
key_le(K1, K2) -> flat(canon(K1)) =< flat(canon(K2)).

flat(IoList) -> binary_to_list(iolist_to_binary(IoList)).

atom(A) ->
    [$', [atom_char(C) || C <- atom_to_list(A)], $'].

atom_char(C) when C >= $!, C =< $~, C =/= $', C =/= $\\ -> C;
atom_char(C) -> ["\\x{", integer_to_list(C, 16), "}"].

join([]) -> [];
join([H | T]) -> [H | [[$,, E] || E <- T]].
