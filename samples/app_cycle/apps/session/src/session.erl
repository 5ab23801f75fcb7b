%%% @doc Session tokens and their owners' display names.
-module(session).

-export([new_token/0, describe/1]).

new_token() ->
    binary:encode_hex(crypto:strong_rand_bytes(16)).

describe(Token) ->
    profile:display_name(Token).
