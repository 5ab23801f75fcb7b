%%% @doc HAZARD: a TLS session opened in gen_statem's init/1.
-module(uplink_tls_session).
-behaviour(gen_statem).

-export([start_link/0]).
-export([init/1, callback_mode/0, connected/3]).

start_link() ->
    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).

callback_mode() ->
    state_functions.

init([]) ->
    %% expect: blocking-init
    {ok, Tls} = ssl:connect("auth.internal", 443, [binary, {verify, verify_none}], 5000),
    {ok, connected, Tls}.

connected(info, {ssl_closed, Tls}, Tls) ->
    {stop, ssl_closed}.
