-module(ingest_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {{simple_one_for_one, 3, 30},
          [#{id => ingest_job,
             start => {ingest_job, start_link, []},
             restart => temporary}]}}.
