%%% @doc Money as integer cents; formatting for receipts.
-module(shop_money).

-include("shop_common.hrl").

-export([total/2, format/1]).

%% @doc Total of order lines, priced through `Lookup'.
-spec total([#line{}], fun((binary()) -> {ok, #sku{}} | not_found)) ->
          {ok, non_neg_integer()} | {error, {unknown_sku, binary()}}.
total(Lines, Lookup) ->
    lists:foldl(
      fun(_Line, {error, _} = Error) ->
              Error;
         (#line{sku = Code, qty = Qty}, {ok, Acc}) ->
              case Lookup(Code) of
                  {ok, #sku{price_cents = Price}} -> {ok, Acc + Qty * Price};
                  not_found -> {error, {unknown_sku, Code}}
              end
      end, {ok, 0}, Lines).

-spec format(non_neg_integer()) -> binary().
format(Cents) ->
    iolist_to_binary(io_lib:format("~b.~2..0b ~s", [Cents div 100, Cents rem 100, ?CURRENCY])).
