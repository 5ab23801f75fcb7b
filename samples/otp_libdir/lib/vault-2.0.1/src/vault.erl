%%% @doc Public API.
-module(vault).

-export([put/2, get/1]).

-spec put(binary(), binary()) -> {ok, pos_integer()}.
put(Name, Plain) ->
    vault_store:put(Name, Plain).

-spec get(binary()) -> {ok, binary()} | {error, not_found | tampered}.
get(Name) ->
    vault_store:get(Name).
