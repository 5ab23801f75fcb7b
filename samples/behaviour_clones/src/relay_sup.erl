%% A supervisor written against supervisor2, a copy of supervisor.
-module(relay_sup).
-behaviour(supervisor2).
-export([start_link/0, init/1]).

start_link() ->
    supervisor2:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 5, period => 10},
    Children = [#{id => relay_conn,
                  start => {relay_conn, start_link, []}},
                #{id => relay_ticker,
                  start => {relay_ticker, start_link, []}},
                #{id => relay_pool_sup,
                  start => {relay_pool_sup, start_link, []},
                  type => supervisor}],
    {ok, {Flags, Children}}.
