%%% @doc Store API used by web and backoffice.
-module(store).

-export([open_cart/1, add_to_cart/3, checkout/1]).

-spec open_cart(binary()) -> {ok, pid()} | {error, term()}.
open_cart(Customer) ->
    store_cart_sup:start_cart(Customer).

add_to_cart(Cart, Sku, Qty) ->
    store_cart:add(Cart, Sku, Qty).

checkout(Cart) ->
    store_cart:checkout(Cart).
