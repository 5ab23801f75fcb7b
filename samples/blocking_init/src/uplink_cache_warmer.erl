%%% @doc A synchronous call to another server from init/1, made safe by
%%% the start order: uplink_sup starts uplink_registry before this one.
-module(uplink_cache_warmer).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    %% safe: uplink_registry is an older sibling (lint --show-safe)
    {ok, Endpoint} = gen_server:call(uplink_registry, {lookup, cache}, infinity),
    {ok, #{endpoint => Endpoint, warm => false}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
