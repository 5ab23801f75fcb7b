-module(broken).
-export([ok/0, bad_bracket/1, unclosed/0]).

ok() -> fine.

bad_bracket(X) ->
    case X of
        a -> [1, 2};
        _ -> none
    end.

unclosed() ->
    begin
        still_open.

after_error() -> 'this one is fine'.
