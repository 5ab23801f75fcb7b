-module(tally_store_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    SupFlags = #{strategy => one_for_one, intensity => 3, period => 10},
    Server = #{id => tally_store_server,
               start => {tally_store_server, start_link, []},
               restart => permanent,
               shutdown => 2000,
               type => worker},
    {ok, {SupFlags, [Server]}}.
