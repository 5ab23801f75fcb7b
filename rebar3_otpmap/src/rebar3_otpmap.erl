%% @doc The plugin's entry point: rebar3 calls init/1 to register providers.
-module(rebar3_otpmap).

-export([init/1]).

-spec init(rebar_state:t()) -> {ok, rebar_state:t()}.
init(State) ->
    rebar3_otpmap_prv:init(State).
