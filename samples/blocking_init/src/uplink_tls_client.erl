%%% @doc FIXED: gen_statem that enters `disconnected' and connects on
%%% an internal event queued by init/1.
-module(uplink_tls_client).
-behaviour(gen_statem).

-include("uplink.hrl").

-export([start_link/0]).
-export([init/1, callback_mode/0, disconnected/3, connected/3]).

start_link() ->
    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).

callback_mode() ->
    state_functions.

init([]) ->
    {ok, disconnected, undefined, [{next_event, internal, connect}]}.

disconnected(internal, connect, _Data) ->
    case ssl:connect("auth.internal", 443, [binary, {verify, verify_none}], ?CONNECT_TIMEOUT) of
        {ok, Tls} -> {next_state, connected, Tls};
        {error, _} -> {keep_state_and_data, [{state_timeout, ?RETRY_MS, retry}]}
    end;
disconnected(state_timeout, retry, _Data) ->
    {keep_state_and_data, [{next_event, internal, connect}]};
disconnected({call, From}, _Req, _Data) ->
    {keep_state_and_data, [{reply, From, {error, not_connected}}]}.

connected(info, {ssl_closed, Tls}, Tls) ->
    {next_state, disconnected, undefined, [{next_event, internal, connect}]};
connected({call, From}, {send, Bin}, Tls) ->
    {keep_state_and_data, [{reply, From, ssl:send(Tls, Bin)}]}.
