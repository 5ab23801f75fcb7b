-module(ferry).

-export([next_departure/1]).

next_departure(Timetable) ->
    lists:min(Timetable).
