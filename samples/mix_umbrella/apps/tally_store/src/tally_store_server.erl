-module(tally_store_server).
-behaviour(gen_server).

-include("tally_store.hrl").
-include_lib("tally_core/include/tally.hrl").

-export([start_link/0, bump/1, value/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

bump(Name) ->
    gen_server:call(?MODULE, {bump, Name}).

value(Name) ->
    case ets:lookup(?TABLE, Name) of
        [{Name, C}] -> tally_core:value(C);
        [] -> 0
    end.

init([]) ->
    ?TABLE = ets:new(?TABLE, [named_table, protected, {read_concurrency, true}]),
    erlang:send_after(?FLUSH_EVERY, self(), flush),
    {ok, #{flushed => 0}}.

handle_call({bump, Name}, _From, State) ->
    C0 = case ets:lookup(?TABLE, Name) of
             [{Name, Found}] -> Found;
             [] -> tally_core:new(Name)
         end,
    C = tally_core:bump(C0),
    true = ets:insert(?TABLE, {Name, C}),
    {reply, C#counter.value, State};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown_call}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(flush, #{flushed := N} = State) ->
    erlang:send_after(?FLUSH_EVERY, self(), flush),
    {noreply, State#{flushed := N + 1}};
handle_info(_Info, State) ->
    {noreply, State}.
