%%% @doc The product catalog, an ETS table owned by this server.
-module(store_catalog).
-behaviour(gen_server).

-include("store.hrl").

-export([start_link/0, lookup/1, put/1]).
-export([init/1, handle_call/3, handle_cast/2]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec lookup(binary()) -> {ok, #sku{}} | not_found.
lookup(Code) ->
    case ets:lookup(?MODULE, Code) of
        [Sku] -> {ok, Sku};
        [] -> not_found
    end.

-spec put(#sku{}) -> ok.
put(#sku{} = Sku) ->
    gen_server:call(?MODULE, {put, Sku}).

init([]) ->
    Tab = ets:new(?MODULE, [named_table, protected, {keypos, #sku.code}]),
    {ok, Tab}.

handle_call({put, Sku}, _From, Tab) ->
    true = ets:insert(Tab, Sku),
    {reply, ok, Tab}.

handle_cast(_Msg, Tab) ->
    {noreply, Tab}.
