%%% @doc FINE: a listening socket is a local resource; if it cannot be
%%% opened the node is misconfigured and should not boot.
-module(uplink_listener).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Listen} = gen_tcp:listen(0, [binary, {active, false}, {reuseaddr, true}]),
    {ok, #{listen => Listen}}.

handle_call(port, _From, #{listen := Listen} = State) ->
    {reply, inet:port(Listen), State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
