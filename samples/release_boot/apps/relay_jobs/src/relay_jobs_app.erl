%% Used only when relay_jobs runs on its own; when included, the
%% includer's supervisor starts relay_jobs_sup and this is not called.
-module(relay_jobs_app).
-behaviour(application).

-export([start/2, stop/1]).

start(_Type, _Args) ->
    relay_jobs_sup:start_link().

stop(_State) ->
    ok.
