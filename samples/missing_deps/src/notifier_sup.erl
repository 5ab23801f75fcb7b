-module(notifier_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {{one_for_one, 5, 10},
          [{notifier_push, {notifier_push, start_link, []},
            permanent, 5000, worker, [notifier_push]}]}}.
