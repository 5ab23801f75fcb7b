%%% @doc Picks orders off the queue: idle -> picking -> idle.
-module(store_fulfilment).
-behaviour(gen_statem).

-include("store.hrl").

-export([start_link/0, poke/0]).
-export([init/1, callback_mode/0, idle/3, picking/3]).

start_link() ->
    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec poke() -> ok.
poke() ->
    gen_statem:cast(?MODULE, poke).

callback_mode() ->
    [state_functions, state_enter].

init([]) ->
    {ok, idle, #{shipped => 0}}.

idle(enter, _Old, _Data) ->
    keep_state_and_data;
idle(cast, poke, Data) ->
    {next_state, picking, Data}.

picking(enter, _Old, _Data) ->
    {keep_state_and_data, [{state_timeout, 0, pick}]};
picking(state_timeout, pick, #{shipped := N} = Data) ->
    case store_order_queue:next() of
        {ok, #order{}} -> {repeat_state, Data#{shipped := N + 1}};
        empty -> {next_state, idle, Data}
    end;
picking(cast, poke, _Data) ->
    keep_state_and_data.
