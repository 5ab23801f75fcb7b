-module(harbor_web_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Board = {harbor_web_board, {harbor_web_board, start_link, []},
             permanent, 2000, worker, [harbor_web_board]},
    {ok, {{one_for_all, 1, 5}, [Board]}}.
