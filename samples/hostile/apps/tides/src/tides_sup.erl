-module(tides_sup).
-behaviour(supervisor).
-export([start_link/0, init/1, describe/0]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => rest_for_one, intensity => 5, period => 60},
    Children = [#{id => tides_gauge, start => {tides_gauge, start_link, []}}],
    {ok, {Flags, Children}}.

%% Broken on purpose: the tuple is never closed.
describe() ->
    {tides_sup, [tides_gauge].
