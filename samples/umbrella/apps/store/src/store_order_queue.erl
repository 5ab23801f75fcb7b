%%% @doc Bounded queue of orders waiting for fulfilment.
-module(store_order_queue).
-behaviour(gen_server).

-include("store.hrl").

-export([start_link/0, enqueue/1, next/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec enqueue(#order{}) -> ok | {error, full}.
enqueue(Order) ->
    gen_server:call(?MODULE, {enqueue, Order}).

-spec next() -> {ok, #order{}} | empty.
next() ->
    gen_server:call(?MODULE, next).

init([]) ->
    Limit = application:get_env(store, order_queue_limit, 100),
    {ok, {Limit, queue:new()}}.

handle_call({enqueue, Order}, _From, {Limit, Q} = State) ->
    case queue:len(Q) >= Limit of
        true ->
            {reply, {error, full}, State};
        false ->
            store_order_log:append(Order),
            store_fulfilment:poke(),
            {reply, ok, {Limit, queue:in(Order, Q)}}
    end;
handle_call(next, _From, {Limit, Q0}) ->
    case queue:out(Q0) of
        {{value, Order}, Q} -> {reply, {ok, Order}, {Limit, Q}};
        {empty, Q} -> {reply, empty, {Limit, Q}}
    end.

handle_cast(_Msg, State) ->
    {noreply, State}.
