-module(scripted).

-export([channel/0]).

channel() ->
    application:get_env(scripted, channel, stable).
