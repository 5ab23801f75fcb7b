%%% @doc Public API of courier.
-module(courier).

-include_lib("courier/include/courier.hrl").

-export([deliver/2, channel_for/1, pending/0]).

%% @doc Hand a message over for delivery. Each delivery runs in its own
%% transient process under courier_delivery_sup.
-spec deliver(binary(), iodata()) -> {ok, pid()} | {error, term()}.
deliver(Recipient, Body) when is_binary(Recipient) ->
    Delivery = #delivery{id = make_ref(), recipient = Recipient, body = Body},
    supervisor:start_child(courier_delivery_sup, [Delivery]).

-spec channel_for(binary()) -> smtp | sms | push.
channel_for(Recipient) ->
    case courier_route_table:lookup(Recipient) of
        {ok, #route{channel = Channel}} -> Channel;
        not_found -> smtp
    end.

-spec pending() -> non_neg_integer().
pending() ->
    proplists:get_value(active, supervisor:count_children(courier_delivery_sup)).
