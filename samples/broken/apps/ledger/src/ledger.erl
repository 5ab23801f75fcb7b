%%% @doc Postings and balances. This module is fine.
-module(ledger).

-export([post/3, balance/2]).

-type account() :: binary().
-type posting() :: {account(), account(), integer()}.

-spec post(account(), account(), pos_integer()) -> posting().
post(From, To, Amount) when Amount > 0 ->
    {From, To, Amount}.

-spec balance(account(), [posting()]) -> integer().
balance(Account, Postings) ->
    lists:foldl(fun({A, _, N}, Acc) when A =:= Account -> Acc - N;
                   ({_, A, N}, Acc) when A =:= Account -> Acc + N;
                   (_, Acc) -> Acc
                end, 0, Postings).
