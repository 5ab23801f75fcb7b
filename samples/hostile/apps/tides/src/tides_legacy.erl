-module(tides_legacy).
-export([station/0]).

%% Station names from the old tide tables, saved by an old editor.
station() ->
    "Saint-Nazaire, été 1987".
