-module(relay_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, relay_sup}, ?MODULE, []).

init([]) ->
    Link = {relay_link, {relay_link, start_link, []}, permanent, 2000, worker, [relay_link]},
    {ok, {{one_for_all, 3, 60}, [Link]}}.
