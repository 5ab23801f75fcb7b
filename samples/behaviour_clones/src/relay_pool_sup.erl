%% A supervisor written against pool_supervisor, configured as an alias
%% of supervisor in rebar.config.
-module(relay_pool_sup).
-behaviour(pool_supervisor).
-export([start_link/0, init/1]).

start_link() ->
    pool_supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {{one_for_all, 1, 5},
          [{relay_worker, {relay_worker, start_link, []},
            permanent, 5000, worker, [relay_worker]}]}}.
