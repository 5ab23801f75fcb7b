%%% @doc Socket helpers shared by the database connectors.
-module(uplink_net).

-include("uplink.hrl").

-export([open/1]).

-spec open(#endpoint{}) -> {ok, gen_tcp:socket()} | {error, term()}.
open(#endpoint{host = Host, port = Port}) ->
    Opts = [binary, {active, once}, {packet, 4}, {nodelay, true}],
    %% expect: blocking-init
    gen_tcp:connect(Host, Port, Opts, ?CONNECT_TIMEOUT).
