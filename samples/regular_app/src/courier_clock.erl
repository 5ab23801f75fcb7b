%%% @doc A coarse wall clock for delivery timestamps, written as a
%%% proc_lib special process (no gen_* behaviour) so that it stays tiny.
%%% It answers sys messages, so release handling and sys:get_state/1
%%% work on it.
-module(courier_clock).

-export([start_link/0, now_s/0]).
-export([init/1]).
-export([system_continue/3, system_terminate/4, system_code_change/4]).

-define(TICK_MS, 1000).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    proc_lib:start_link(?MODULE, init, [self()]).

%% @doc Seconds since the epoch, at most one tick old.
-spec now_s() -> non_neg_integer().
now_s() ->
    Ref = make_ref(),
    ?MODULE ! {now, self(), Ref},
    receive
        {Ref, Now} -> Now
    after 1000 ->
        erlang:system_time(second)
    end.

-spec init(pid()) -> no_return().
init(Parent) ->
    true = register(?MODULE, self()),
    Debug = sys:debug_options([]),
    proc_lib:init_ack(Parent, {ok, self()}),
    erlang:send_after(?TICK_MS, self(), tick),
    loop(Parent, Debug, erlang:system_time(second)).

loop(Parent, Debug, Now) ->
    receive
        tick ->
            erlang:send_after(?TICK_MS, self(), tick),
            loop(Parent, Debug, erlang:system_time(second));
        {now, From, Ref} ->
            From ! {Ref, Now},
            loop(Parent, Debug, Now);
        {system, From, Request} ->
            sys:handle_system_msg(Request, From, Parent, ?MODULE, Debug, Now);
        {'EXIT', Parent, Reason} ->
            exit(Reason)
    end.

system_continue(Parent, Debug, Now) ->
    loop(Parent, Debug, Now).

system_terminate(Reason, _Parent, _Debug, _Now) ->
    exit(Reason).

system_code_change(Now, _Module, _OldVsn, _Extra) ->
    {ok, Now}.
