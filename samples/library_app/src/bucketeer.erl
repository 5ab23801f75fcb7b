%%% @doc Public API: create buckets, take tokens, build bucket keys.
%%%
%%% Buckets are values; callers keep them wherever they like (a map in
%%% a gen_server state, an ETS row). Nothing here runs a process.
-module(bucketeer).

-include("bucketeer.hrl").

-export([new/2, take/2, take/3, key/2]).
-export_type([bucket/0]).

-type bucket() :: #bucket{}.

%% @doc A full bucket refilling `Rate' tokens per second, holding at
%% most `Burst' tokens.
-spec new(pos_integer(), pos_integer()) -> bucket().
new(Rate, Burst) when Rate > 0, Burst > 0 ->
    #bucket{rate = Rate, burst = Burst, level = Burst * ?MILLI,
            stamp = now_ms()}.

-spec take(pos_integer(), bucket()) -> {ok, bucket()} | {wait, pos_integer(), bucket()}.
take(N, Bucket) ->
    take(N, Bucket, now_ms()).

%% @doc Take `N' tokens at time `NowMs'. When the bucket is short, say
%% how many milliseconds until it will hold enough.
-spec take(pos_integer(), bucket(), integer()) ->
          {ok, bucket()} | {wait, pos_integer(), bucket()}.
take(N, Bucket0, NowMs) ->
    Bucket = bucketeer_refill:refill(Bucket0, NowMs),
    Need = N * ?MILLI,
    case Bucket#bucket.level of
        Level when Level >= Need ->
            telemetry:execute([bucketeer, take], #{tokens => N}, #{result => ok}),
            {ok, Bucket#bucket{level = Level - Need}};
        Level ->
            Wait = bucketeer_refill:ms_until(Need - Level, Bucket#bucket.rate),
            telemetry:execute([bucketeer, take], #{tokens => N}, #{result => wait}),
            {wait, Wait, Bucket}
    end.

%% @doc A compact key for a (tenant, resource) pair, stable across nodes.
-spec key(binary(), binary()) -> binary().
key(Tenant, Resource) ->
    bucketeer_key:derive(Tenant, Resource).

now_ms() ->
    erlang:monotonic_time(millisecond).
