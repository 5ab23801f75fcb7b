-module(ingest).

-export([file/2]).

%% @doc Ingest one CSV file in the background.
-spec file(file:filename(), file:filename()) -> {ok, pid()} | {error, term()}.
file(In, Out) ->
    supervisor:start_child(ingest_sup, [In, Out]).
