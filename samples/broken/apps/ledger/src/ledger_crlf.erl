%%% @doc Currency rounding. Saved with CRLF line endings; valid.
-module(ledger_crlf).

-export([round_cents/1]).

-spec round_cents(float()) -> integer().
round_cents(Amount) ->
    round(Amount * 100).
