%%% @doc HAZARD: a synchronous call to another server from init/1.
%%% If that server is busy, slow or itself starting, so is this boot.
-module(uplink_cache_warmer).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    %% expect: blocking-init
    {ok, Endpoint} = gen_server:call(uplink_registry, {lookup, cache}, infinity),
    {ok, #{endpoint => Endpoint, warm => false}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
