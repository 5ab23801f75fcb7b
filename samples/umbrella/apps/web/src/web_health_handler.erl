-module(web_health_handler).

-export([init/2]).

%% Cowboy plain handler; no -behaviour so it compiles without cowboy.
init(Req0, Opts) ->
    Up = whereis(store_sup) =/= undefined,
    Req = cowboy_req:reply(case Up of true -> 200; false -> 503 end,
                           #{<<"content-type">> => <<"application/json">>},
                           jsx:encode(#{store => Up}), Req0),
    {ok, Req, Opts}.
