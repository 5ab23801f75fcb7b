%%% @doc Expiry arithmetic for kv_store.
-module(kv_util).

-export([deadline/1, expired/1]).

-spec deadline(timeout()) -> integer() | infinity.
deadline(infinity) -> infinity;
deadline(TtlMs) when is_integer(TtlMs), TtlMs >= 0 ->
    erlang:monotonic_time(millisecond) + TtlMs.

-spec expired(integer() | infinity) -> boolean().
expired(infinity) -> false;
expired(Deadline) -> erlang:monotonic_time(millisecond) >= Deadline.
