%%% @doc Append-only log of placed orders (kept in memory here).
-module(store_order_log).
-behaviour(gen_server).

-include("store.hrl").

-export([start_link/0, append/1, count/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec append(#order{}) -> ok.
append(Order) ->
    gen_server:cast(?MODULE, {append, Order}).

count() ->
    gen_server:call(?MODULE, count).

init([]) ->
    process_flag(trap_exit, true),
    {ok, []}.

handle_call(count, _From, Log) ->
    {reply, length(Log), Log}.

handle_cast({append, #order{} = Order}, Log) ->
    {noreply, [Order | Log]}.
