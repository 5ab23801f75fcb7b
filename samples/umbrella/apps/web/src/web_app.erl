%%% @doc Starts the HTTP listener, then the web supervision tree.
-module(web_app).
-behaviour(application).

-export([start/2, stop/1]).

start(_Type, _Args) ->
    Dispatch = cowboy_router:compile(
                 [{'_', [{"/health", web_health_handler, []},
                         {"/carts/[:id]", web_cart_handler, []}]}]),
    Port = application:get_env(web, port, 8080),
    {ok, _} = cowboy:start_clear(web_http,
                                 [{port, Port}],
                                 #{env => #{dispatch => Dispatch}}),
    web_sup:start_link().

stop(_State) ->
    ok = cowboy:stop_listener(web_http).
