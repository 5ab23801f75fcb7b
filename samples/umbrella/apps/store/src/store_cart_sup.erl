%%% @doc One process per open cart; carts are started by store:open_cart/1.
-module(store_cart_sup).
-behaviour(supervisor).

-export([start_link/0, start_cart/1]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec start_cart(binary()) -> {ok, pid()} | {error, term()}.
start_cart(Customer) ->
    supervisor:start_child(?MODULE, [Customer]).

init([]) ->
    {ok, {{simple_one_for_one, 0, 1},
          [{cart, {store_cart, start_link, []}, temporary, brutal_kill, worker, [store_cart]}]}}.
