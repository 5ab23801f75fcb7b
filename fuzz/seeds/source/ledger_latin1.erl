%% -*- coding: latin-1 -*-
%%% @doc Legacy labels, written in Latin-1 and declared as such.
-module(ledger_latin1).

-export([label/1]).

%% Libellés des comptes (account labels).
label(receivable) -> "Créances clients";
label(payable) -> "Dettes fournisseurs";
label(_) -> "Divers".
