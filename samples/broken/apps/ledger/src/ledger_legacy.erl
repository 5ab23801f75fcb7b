%%% @doc Legacy labels, written in Latin-1 with no coding comment.
-module(ledger_legacy).

-export([label/1]).

%% Résumé of the old ledger's categories.
label(cash) -> "Trésorerie";
label(_) -> "Autre".
