-module(skel_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) ->
    skel_sup:start_link().

stop(_State) ->
    ok.
