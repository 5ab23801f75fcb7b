%%% @doc Routing state machine: `open' routes normally, `draining'
%%% refuses new work while in-flight deliveries finish.
-module(courier_router).
-behaviour(gen_statem).

-export([start_link/0, route/1, drain/0]).
-export([init/1, callback_mode/0, open/3, draining/3]).

-spec start_link() -> gen_statem:start_ret().
start_link() ->
    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec route(binary()) -> {ok, atom()} | {error, draining}.
route(Recipient) ->
    gen_statem:call(?MODULE, {route, Recipient}).

-spec drain() -> ok.
drain() ->
    gen_statem:cast(?MODULE, drain).

callback_mode() ->
    state_functions.

init([]) ->
    {ok, open, #{routed => 0}}.

open({call, From}, {route, Recipient}, #{routed := N} = Data) ->
    Channel = courier:channel_for(Recipient),
    {keep_state, Data#{routed := N + 1}, [{reply, From, {ok, Channel}}]};
open(cast, drain, Data) ->
    {next_state, draining, Data}.

draining({call, From}, {route, _Recipient}, _Data) ->
    {keep_state_and_data, [{reply, From, {error, draining}}]};
draining(cast, drain, _Data) ->
    keep_state_and_data.
