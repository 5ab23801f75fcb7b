%%% @doc Counts reads and writes of secrets. Started by the `audit` start
%%% phase, once the store runs, so that it can be left out of a release
%%% by dropping the phase.
-module(vault_audit).
-behaviour(gen_server).

-export([start_link/0, count/1, totals/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

count(Op) ->
    gen_server:cast(?MODULE, {count, Op}).

totals() ->
    gen_server:call(?MODULE, totals).

init([]) ->
    {ok, #{}}.

handle_call(totals, _From, Counts) ->
    {reply, Counts, Counts}.

handle_cast({count, Op}, Counts) ->
    {noreply, maps:update_with(Op, fun(N) -> N + 1 end, 1, Counts)}.
