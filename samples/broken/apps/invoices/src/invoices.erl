-module(invoices).

-export([render/1]).

render(Postings) ->
    [io_lib:format("~s -> ~s: ~b~n", [F, T, N]) || {F, T, N} <- Postings].
