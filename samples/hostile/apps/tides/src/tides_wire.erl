-module(tides_wire).
-export([open/1, close/1]).

open(Host) ->
    gen_tcp:connect(Host, 5555, [binary, {active, false}]).

%% Broken on purpose: the `if` has no `end`.
close(Sock) ->
    if Sock =:= undefined -> ok;
       true -> gen_tcp:close(Sock).
