%% Fixture for harbor_SUITE: a module cut off in the middle of a list, on
%% purpose (the suite checks that the code loader rejects it).
-module(truncated).
-export([berths/0]).

berths() ->
    [quai_nord,
     quai_sud,
