-module(harbor_SUITE).
-export([all/0, truncated_module_is_rejected/1]).

all() ->
    [truncated_module_is_rejected].

truncated_module_is_rejected(Config) ->
    Dir = proplists:get_value(data_dir, Config),
    {error, _, _} = compile:file(filename:join(Dir, "truncated.erl"), [return]),
    ok.
