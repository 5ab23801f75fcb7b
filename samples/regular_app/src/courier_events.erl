%%% @doc The courier event manager. Started by courier_sup; handlers
%%% are added right after the manager is up.
-module(courier_events).

-export([start_link/0, notify/1]).

-define(MANAGER, ?MODULE).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    case gen_event:start_link({local, ?MANAGER}) of
        {ok, Pid} ->
            ok = gen_event:add_handler(?MANAGER, courier_log_handler, []),
            {ok, Pid};
        Error ->
            Error
    end.

-spec notify(term()) -> ok.
notify(Event) ->
    gen_event:notify(?MANAGER, Event).
