%%% @doc The order pipeline: log <- queue <- fulfilment. Each stage
%%% depends on the ones started before it, hence rest_for_one.
-module(store_orders_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {{rest_for_one, 2, 5},
          [stage(store_order_log, 10000),
           stage(store_order_queue, 5000),
           #{id => store_fulfilment,
             start => {store_fulfilment, start_link, []},
             restart => transient}]}}.

stage(Mod, Shutdown) ->
    {Mod, {Mod, start_link, []}, permanent, Shutdown, worker, [Mod]}.
