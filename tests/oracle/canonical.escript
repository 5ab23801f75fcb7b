#!/usr/bin/env escript
%%! -noshell
%% The Erlang side of tests/term_oracle.rs.
%%
%% Reads file paths from standard input, one per line, and for each prints
%% one line: "OK" followed by the canonical form of every term
%% file:consult/1 returns (each preceded by a space), or "ERR" and the
%% reason. The canonical form is the one src/config/term/print.rs documents.

main(_) ->
    ok = io:setopts(standard_io, [binary]),
    loop().

loop() ->
    case io:get_line(standard_io, "") of
        eof -> ok;
        Line ->
            Path = unicode:characters_to_list(string:trim(Line, trailing, "\r\n")),
            io:put_chars(standard_io, [result(Path), $\n]),
            loop()
    end.

result(Path) ->
    try file:consult(Path) of
        {ok, Terms} -> ["OK", [[$\s, canon(T)] || T <- Terms]];
        {error, Reason} -> ["ERR ", ascii(io_lib:format("~0p", [Reason]))]
    catch
        Class:Error -> ["ERR ", ascii(io_lib:format("~0p:~0p", [Class, Error]))]
    end.

%% Reasons may quote the offending text; keep the output one ASCII line.
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
