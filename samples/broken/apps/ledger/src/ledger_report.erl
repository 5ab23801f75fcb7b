%%% @doc Report helpers. BROKEN: summarise/1 lacks the `end' of its case.
-module(ledger_report).

-export([header/1, summarise/1]).

header(Title) ->
    [Title, $\n, lists:duplicate(length(Title), $=), $\n].

summarise(Postings) ->
    case Postings of
        [] ->
            empty;
        _ ->
            {total, length(Postings)}
    .
