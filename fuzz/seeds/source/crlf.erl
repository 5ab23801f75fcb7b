-module(crlf).
-export([f/0]).

f() ->
    [1,
     2 }.
