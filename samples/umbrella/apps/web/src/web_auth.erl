%%% @doc Bearer-token checks: JWT signature via jose, revocation list
%%% in Redis via eredis (connection owned by the caller).
-module(web_auth).

-export([verify/3]).

-spec verify(pid(), binary(), map()) -> {ok, map()} | {error, atom()}.
verify(Redis, Token, Jwk) ->
    case jose_jwt:verify(jose_jwk:from_map(Jwk), Token) of
        {true, {jose_jwt, Claims}, _Jws} ->
            case eredis:q(Redis, ["SISMEMBER", "revoked", maps:get(<<"jti">>, Claims, <<>>)]) of
                {ok, <<"0">>} -> {ok, Claims};
                {ok, <<"1">>} -> {error, revoked};
                {error, _} -> {error, unavailable}
            end;
        _ ->
            {error, bad_signature}
    end.
