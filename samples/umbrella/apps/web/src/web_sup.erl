-module(web_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% Default sup flags (one_for_one, 1 restart in 5 s) are fine here.
init([]) ->
    {ok, {#{}, [#{id => web_session_cache,
                  start => {web_session_cache, start_link, []}}]}}.
