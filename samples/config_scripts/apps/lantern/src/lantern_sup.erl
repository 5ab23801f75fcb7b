-module(lantern_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, lantern_sup}, ?MODULE, []).

init([]) ->
    Pulse = #{id => lantern_pulse,
              start => {lantern_pulse, start_link, []},
              restart => permanent,
              shutdown => 5000,
              type => worker},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [Pulse]}}.
