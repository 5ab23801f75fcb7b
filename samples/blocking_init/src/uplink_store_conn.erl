%%% @doc FIXED: starts disconnected and connects in handle_continue,
%%% retrying with a backoff; callers get {error, not_connected} meanwhile.
-module(uplink_store_conn).
-behaviour(gen_server).

-include("uplink.hrl").

-export([start_link/0, query/1]).
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

query(Q) ->
    gen_server:call(?MODULE, {query, Q}).

init([]) ->
    Endpoint = #endpoint{host = "store.internal", port = 5433},
    {ok, #{endpoint => Endpoint, socket => undefined}, {continue, connect}}.

handle_continue(connect, #{endpoint := Endpoint} = State) ->
    case uplink_net:open(Endpoint) of
        {ok, Socket} ->
            {noreply, State#{socket := Socket}};
        {error, _Reason} ->
            erlang:send_after(?RETRY_MS, self(), reconnect),
            {noreply, State}
    end.

handle_call({query, _Q}, _From, #{socket := undefined} = State) ->
    {reply, {error, not_connected}, State};
handle_call({query, Q}, _From, #{socket := Socket} = State) ->
    {reply, gen_tcp:send(Socket, Q), State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(reconnect, State) ->
    {noreply, State, {continue, connect}};
handle_info({tcp_closed, _}, State) ->
    {noreply, State#{socket := undefined}, {continue, connect}}.
