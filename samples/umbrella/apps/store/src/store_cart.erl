%%% @doc A shopping cart. Temporary: a crashed cart is simply gone.
-module(store_cart).
-behaviour(gen_server).

-include("store.hrl").

-export([start_link/1, add/3, checkout/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(IDLE_TIMEOUT, timer:minutes(30)).

start_link(Customer) ->
    gen_server:start_link(?MODULE, Customer, []).

add(Cart, Sku, Qty) ->
    gen_server:call(Cart, {add, Sku, Qty}).

checkout(Cart) ->
    gen_server:call(Cart, checkout).

init(Customer) ->
    {ok, #order{id = shop_id:new(cart), customer = Customer}, ?IDLE_TIMEOUT}.

handle_call({add, Sku, Qty}, _From, #order{lines = Lines} = Order) ->
    {reply, ok, Order#order{lines = [#line{sku = Sku, qty = Qty} | Lines]}, ?IDLE_TIMEOUT};
handle_call(checkout, _From, #order{lines = Lines} = Order) ->
    case shop_money:total(Lines, fun store_catalog:lookup/1) of
        {ok, Total} ->
            Placed = Order#order{id = shop_id:new(order), total_cents = Total},
            ok = store_order_queue:enqueue(Placed),
            {stop, normal, {ok, Placed#order.id}, Placed};
        {error, _} = Error ->
            {reply, Error, Order, ?IDLE_TIMEOUT}
    end.

handle_cast(_Msg, Order) ->
    {noreply, Order, ?IDLE_TIMEOUT}.

handle_info(timeout, Order) ->
    {stop, normal, Order}.
