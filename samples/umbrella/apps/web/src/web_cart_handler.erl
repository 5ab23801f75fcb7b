%%% @doc POST /carts/:id with a JSON body {"sku": ..., "qty": ...}.
-module(web_cart_handler).
-behaviour(cowboy_handler).

-export([init/2]).

init(Req0, Opts) ->
    Session = cowboy_req:binding(id, Req0),
    {ok, Body, Req1} = cowboy_req:read_body(Req0),
    Line = jsx:decode(Body, [return_maps]),
    ok = shop_schema:validate(cart_line, Line),
    #{<<"sku">> := Sku, <<"qty">> := Qty} = Line,
    {ok, Cart} = web_session_cache:cart_for(Session),
    ok = store:add_to_cart(Cart, Sku, Qty),
    Req = cowboy_req:reply(204, #{}, Req1),
    {ok, Req, Opts}.
