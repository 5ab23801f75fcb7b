-module(demo_worker).
-behavior(?GEN_SERVER).
-include("demo_app.hrl").
-export([start_link/0, init/1, handle_call/3, handle_cast/2]).

start_link() -> ?GEN_SERVER:start_link(?MODULE, [], []).

init([]) ->
    self() ! connect,
    {ok, #conn{}}.

handle_call(ping, _From, S) -> {reply, pong, S};
handle_call(_, _From, S) -> {reply, {error, unknown}, S}.

handle_cast(_, S) -> {noreply, S}.
