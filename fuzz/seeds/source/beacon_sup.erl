%%% @doc beacon's supervision tree: the registry must exist before
%%% the UDP listener writes to it and the sweeper expires entries.
-module(beacon_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Procs = [#{id => beacon_registry,
               start => {beacon_registry, start_link, []}},
             #{id => beacon_udp,
               start => {beacon_udp, start_link, []},
               shutdown => 1000},
             #{id => beacon_sweeper,
               start => {beacon_sweeper, start_link, []},
               restart => transient,
               shutdown => brutal_kill}],
    {ok, {{rest_for_one, 10, 10}, Procs}}.
