%% coding: utf-8
-module(features).
-behaviour(gen_server).
-export([start_link/0, init/1, handle_call/3, f/2]).
-include_lib("kernel/include/logger.hrl").
-define(NAME, ?MODULE).
-define(TIMEOUT(X), (X * 1000)).
-record(state, {count = 0 :: integer(), name = <<"n">>, map = #{}}).
-ifdef(TEST).
-define(DEBUG, true).
-else.
-undef(DEBUG).
-endif.

start_link() -> gen_server:start_link({local, ?NAME}, ?MODULE, [], []).

init([]) ->
    process_flag(trap_exit, true),
    {ok, #state{}, ?TIMEOUT(5)}.

handle_call({add, N}, _From, #state{count = C} = S) when is_integer(N), N > 0 ->
    {reply, ok, S#state{count = C + N}};
handle_call(<<Len:16/big, Rest:Len/binary, _/bits>>, _, S) ->
    {reply, Rest, S};
handle_call(_, _, S) ->
    {reply, [X || X <- lists:seq(1, 3), X rem 2 =:= 1], S}.

f(A, B) ->
    F = fun(X) -> X + $a end,
    M = #{a => 1, "b" => 2.5e3, 'c d' => [16#ff, 2#1010, 1_000]},
    try maybe
            {ok, V} ?= A,
            V
        else
            _ -> B
        end
    of
        R -> {R, F, M#{a := 2}}
    catch
        throw:T:St -> {T, St}
    after
        ok
    end,
    receive {msg, Y} -> Y after 100 -> case B of [H | _] -> H; _ -> begin 'end' end end end.
