%%% @doc FINE: schedules its first poll with timer:send_after/2.
-module(uplink_poller).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, _TRef} = timer:send_after(1000, poll),
    {ok, #{polls => 0}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(poll, #{polls := N} = State) ->
    {ok, _TRef} = timer:send_after(1000, poll),
    {noreply, State#{polls := N + 1}}.
