%%% @doc A single delivery attempt loop. Exits normally once the
%%% message is handed to its channel or the attempts run out.
-module(courier_delivery).
-behaviour(gen_server).

-include("courier.hrl").

-export([start_link/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-spec start_link(#delivery{}) -> {ok, pid()} | {error, term()}.
start_link(Delivery) ->
    gen_server:start_link(?MODULE, Delivery, []).

init(#delivery{} = Delivery) ->
    self() ! attempt,
    {ok, Delivery}.

handle_call(_Req, _From, Delivery) ->
    {reply, {error, unknown_call}, Delivery}.

handle_cast(_Msg, Delivery) ->
    {noreply, Delivery}.

handle_info(attempt, #delivery{id = Id, attempts = N} = Delivery) ->
    Max = application:get_env(courier, max_attempts, ?DEFAULT_MAX_ATTEMPTS),
    case courier_router:route(Delivery#delivery.recipient) of
        {ok, _Channel} ->
            courier_events:notify({delivered, Id}),
            {stop, normal, Delivery};
        {error, Reason} when N + 1 >= Max ->
            courier_events:notify({failed, Id, Reason}),
            {stop, normal, Delivery};
        {error, _Reason} ->
            erlang:send_after(1000 bsl N, self(), attempt),
            {noreply, Delivery#delivery{attempts = N + 1}}
    end.
