-module(vault_app).
-behaviour(application).

-export([start/2, stop/1]).

start(normal, []) ->
    vault_sup:start_link().

stop(_State) ->
    ok.
