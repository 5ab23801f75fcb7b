%%% @doc A tiny key-value server with per-key expiry. Dropped into a
%%% project as loose files, without an application around it; callers
%%% start it from their own supervisor with kv_store:start_link/1.
-module(kv_store).
-behaviour(gen_server).

-include("kv.hrl").

-export([start_link/1, put/3, get/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-spec start_link(pos_integer()) -> {ok, pid()} | {error, term()}.
start_link(SweepMs) ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, SweepMs, []).

-spec put(term(), term(), timeout()) -> ok.
put(Key, Value, Ttl) ->
    gen_server:call(?MODULE, {put, Key, Value, Ttl}).

-spec get(term()) -> {ok, term()} | not_found.
get(Key) ->
    gen_server:call(?MODULE, {get, Key}).

init(SweepMs) ->
    {ok, _} = timer:send_interval(SweepMs, sweep),
    {ok, #{}}.

handle_call({put, Key, Value, Ttl}, _From, Tab) ->
    Entry = #entry{key = Key, value = Value, expires = kv_util:deadline(Ttl)},
    {reply, ok, Tab#{Key => Entry}};
handle_call({get, Key}, _From, Tab) ->
    case Tab of
        #{Key := #entry{value = V, expires = Exp}} ->
            case kv_util:expired(Exp) of
                true -> {reply, not_found, maps:remove(Key, Tab)};
                false -> {reply, {ok, V}, Tab}
            end;
        #{} ->
            {reply, not_found, Tab}
    end.

handle_cast(_Msg, Tab) ->
    {noreply, Tab}.

handle_info(sweep, Tab) ->
    {noreply, maps:filter(fun(_K, #entry{expires = E}) -> not kv_util:expired(E) end, Tab)}.
