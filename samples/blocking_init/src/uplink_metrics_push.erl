%%% @doc FIXED: sends itself `connect' and connects from handle_info.
-module(uplink_metrics_push).
-behaviour(gen_server).

-include("uplink.hrl").

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    self() ! connect,
    {ok, #{socket => undefined}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast({push, Line}, #{socket := Socket} = State) when Socket =/= undefined ->
    ok = gen_tcp:send(Socket, Line),
    {noreply, State};
handle_cast({push, _Line}, State) ->
    {noreply, State}.

handle_info(connect, State) ->
    case gen_tcp:connect("metrics.internal", 2003, [binary], ?CONNECT_TIMEOUT) of
        {ok, Socket} ->
            {noreply, State#{socket := Socket}};
        {error, _} ->
            erlang:send_after(?RETRY_MS, self(), connect),
            {noreply, State}
    end.
