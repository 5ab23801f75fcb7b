%%% @doc Top supervisor of the store. When store runs as an included
%%% application of backoffice, backoffice_sup starts this supervisor.
-module(store_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Catalog = #{id => store_catalog,
                start => {store_catalog, start_link, []},
                shutdown => 3000},
    Carts = #{id => store_cart_sup,
              start => {store_cart_sup, start_link, []},
              type => supervisor},
    Orders = #{id => store_orders_sup,
               start => {store_orders_sup, start_link, []},
               type => supervisor},
    {ok, {#{strategy => one_for_one, intensity => 3, period => 10},
          [Catalog, Carts, Orders]}}.
