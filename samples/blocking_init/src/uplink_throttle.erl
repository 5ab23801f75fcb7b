%%% @doc HAZARD: sleeps in init/1 "to let the upstream settle".
-module(uplink_throttle).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    %% expect: blocking-init
    timer:sleep(2000),
    {ok, #{tokens => 100}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
