%%% @doc Cluster-wide delivery counters. Registered globally so that a
%%% single instance serves every node of the cluster.
-module(courier_metrics).
-behaviour(gen_server).

-export([start_link/0, bump/1, snapshot/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(NAME, {global, ?MODULE}).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link(?NAME, ?MODULE, [], []).

-spec bump(atom()) -> ok.
bump(Counter) ->
    gen_server:cast(?NAME, {bump, Counter}).

-spec snapshot() -> #{atom() => non_neg_integer()}.
snapshot() ->
    gen_server:call(?NAME, snapshot).

init([]) ->
    {ok, #{}}.

handle_call(snapshot, _From, Counters) ->
    {reply, Counters, Counters}.

handle_cast({bump, Counter}, Counters) ->
    {noreply, maps:update_with(Counter, fun(N) -> N + 1 end, 1, Counters)}.
