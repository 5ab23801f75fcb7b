-module(harbor_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 3, period => 10},
    Children = [#{id => harbor_dock, start => {harbor_dock, start_link, []}},
                #{id => harbor_pilot, start => {harbor_pilot, start_link, []},
                  shutdown => 2000}],
    {ok, {Flags, Children}}.
