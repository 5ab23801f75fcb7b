%%% @doc gen_event handler that logs courier events.
-module(courier_log_handler).
-behaviour(gen_event).

-include_lib("kernel/include/logger.hrl").

-export([init/1, handle_event/2, handle_call/2, handle_info/2,
         terminate/2, code_change/3]).

init([]) ->
    {ok, #{seen => 0}}.

handle_event({delivered, Id}, #{seen := N} = State) ->
    ?LOG_INFO("courier delivered ~p", [Id]),
    {ok, State#{seen := N + 1}};
handle_event({failed, Id, Reason}, #{seen := N} = State) ->
    ?LOG_WARNING("courier delivery ~p failed: ~p", [Id, Reason]),
    {ok, State#{seen := N + 1}};
handle_event(_Other, State) ->
    {ok, State}.

handle_call(seen, #{seen := N} = State) ->
    {ok, N, State}.

handle_info(_Info, State) ->
    {ok, State}.

terminate(_Arg, _State) ->
    ok.

code_change(_OldVsn, State, _Extra) ->
    {ok, State}.
