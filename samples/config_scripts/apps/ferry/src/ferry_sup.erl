-module(ferry_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ferry_sup}, ?MODULE, []).

init([]) ->
    Link = {ferry_link, {ferry_link, start_link, []}, permanent, 2000, worker, [ferry_link]},
    {ok, {{one_for_all, 3, 60}, [Link]}}.
