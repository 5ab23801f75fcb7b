%% Run from a remote shell: relay_console:trace_store() shows every call
%% into relay_store for a few seconds.
-module(relay_console).

-export([pending/1, trace_store/0]).

pending(To) ->
    length(relay_store:take(To)).

trace_store() ->
    {ok, _} = dbg:tracer(),
    {ok, _} = dbg:p(all, c),
    {ok, _} = dbg:tpl(relay_store, []),
    timer:sleep(5000),
    dbg:stop().
