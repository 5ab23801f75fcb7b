%%% @doc Supervises the routing pair. The router caches the table's
%%% pid, so the two live and die together (one_for_all).
-module(courier_route_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | ignore | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-ifdef(TEST).
%% In tests a loopback channel stands in for the real gateways.
-define(EXTRA_CHILDREN,
        [#{id => courier_loopback,
           start => {courier_loopback, start_link, []},
           restart => temporary}]).
-else.
-define(EXTRA_CHILDREN, []).
-endif.

init([]) ->
    Table = #{id => route_table,
              start => {courier_route_table, start_link, []},
              restart => permanent,
              shutdown => infinity,
              type => worker,
              modules => [courier_route_table]},
    Router = {courier_router, {courier_router, start_link, []},
              permanent, 2000, worker, [courier_router]},
    {ok, {{one_for_all, 3, 10}, [Table, Router | ?EXTRA_CHILDREN]}}.
