%%% @doc One CSV file, parsed line by line and emitted as JSON lines.
-module(ingest_job).

-export([start_link/2, run/3]).

-spec start_link(file:filename(), file:filename()) -> {ok, pid()}.
start_link(In, Out) ->
    Pid = proc_lib:spawn_link(?MODULE, run, [self(), In, Out]),
    {ok, Pid}.

run(_Parent, In, Out) ->
    {ok, Bin} = file:read_file(In),
    [Header | Rows] = binary:split(Bin, <<"\n">>, [global, trim_all]),
    Keys = binary:split(Header, <<",">>, [global]),
    Lines = [[jsone:encode(maps:from_list(lists:zip(Keys, binary:split(Row, <<",">>, [global])))), $\n]
             || Row <- Rows],
    ok = file:write_file(Out, Lines).
