-module(relay_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    relay_sup:start_link().

stop(_State) ->
    ok.
