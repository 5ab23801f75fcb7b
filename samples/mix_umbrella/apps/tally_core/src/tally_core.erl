-module(tally_core).

-include("tally.hrl").

-export([new/1, bump/1, value/1, token/0]).

-spec new(atom()) -> #counter{}.
new(Name) ->
    #counter{name = Name}.

-spec bump(#counter{}) -> #counter{}.
bump(#counter{value = V, step = S} = C) ->
    C#counter{value = V + S}.

-spec value(#counter{}) -> integer().
value(#counter{value = V}) ->
    V.

%% A random name for an anonymous counter.
-spec token() -> binary().
token() ->
    binary:encode_hex(crypto:strong_rand_bytes(4)).
