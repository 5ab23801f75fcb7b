-module(harbor_core_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Registry = #{id => harbor_core_registry,
                 start => {harbor_core_registry, start_link, []},
                 shutdown => 5000},
    {ok, {#{strategy => one_for_one, intensity => 3, period => 10}, [Registry]}}.
