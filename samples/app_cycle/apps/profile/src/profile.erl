-module(profile).

-export([display_name/1]).

display_name(Token) ->
    case auth:whoami(Token) of
        {ok, User} -> <<"@", User/binary>>;
        error -> <<"anonymous">>
    end.
