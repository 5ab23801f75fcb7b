-module(old_berth).
-export([moor/1]).

moor(Ship) ->
    {moored, Ship}.
