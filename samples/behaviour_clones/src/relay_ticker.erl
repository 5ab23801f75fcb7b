%% A process written against relay_loop, the look-alike in this sample:
%% its init/1 sleeps while the supervisor waits.
-module(relay_ticker).
-behaviour(relay_loop).
-export([start_link/0]).
-export([init/1, handle_msg/2]).

start_link() ->
    relay_loop:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    timer:sleep(2000),
    {ok, 0}.

handle_msg(tick, N) ->
    {ok, N + 1}.
