-module(reminders).

-export([due/2]).

due(Invoices, Today) ->
    [I || {_, DueDate} = I <- Invoices, DueDate < Today].
