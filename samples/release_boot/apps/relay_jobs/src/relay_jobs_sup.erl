-module(relay_jobs_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Retry = #{id => relay_jobs_retry,
              start => {relay_jobs_retry, start_link, []},
              shutdown => 2000},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 30}, [Retry]}}.
