-module(relay_store_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Store = #{id => relay_store, start => {relay_store, start_link, []}},
    {ok, {#{strategy => one_for_one, intensity => 3, period => 10}, [Store]}}.
