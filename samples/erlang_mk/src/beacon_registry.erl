%%% @doc Latest sighting per device, in a public ETS table.
-module(beacon_registry).
-behaviour(gen_server).

-include("beacon.hrl").

-export([start_link/0, seen/2, expire/1]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(TAB, beacon_sightings).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec seen(binary(), inet:ip_address()) -> true.
seen(Device, Addr) ->
    ets:insert(?TAB, #sighting{device = Device, addr = Addr,
                               seen_at = erlang:monotonic_time(millisecond)}).

%% @doc Remove sightings older than `TtlMs'; returns how many.
-spec expire(pos_integer()) -> non_neg_integer().
expire(TtlMs) ->
    Cutoff = erlang:monotonic_time(millisecond) - TtlMs,
    ets:select_delete(?TAB, [{#sighting{seen_at = '$1', _ = '_'},
                              [{'<', '$1', Cutoff}], [true]}]).

-spec init([]) -> {ok, ets:tid() | atom()}.
init([]) ->
    {ok, ets:new(?TAB, [named_table, public, {keypos, #sighting.device}])}.

-spec handle_call(term(), gen_server:from(), atom()) -> {reply, term(), atom()}.
handle_call(size, _From, Tab) ->
    {reply, ets:info(Tab, size), Tab}.

-spec handle_cast(term(), atom()) -> {noreply, atom()}.
handle_cast(_Msg, Tab) ->
    {noreply, Tab}.
