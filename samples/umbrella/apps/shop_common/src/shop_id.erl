%%% @doc Opaque, URL-safe identifiers for carts and orders.
-module(shop_id).

-export([new/1]).

-spec new(cart | order) -> binary().
new(Kind) ->
    Prefix = case Kind of
                 cart -> <<"c_">>;
                 order -> <<"o_">>
             end,
    Random = base64:encode(crypto:strong_rand_bytes(9)),
    <<Prefix/binary, (binary:replace(Random, [<<"+">>, <<"/">>], <<"-">>, [global]))/binary>>.
