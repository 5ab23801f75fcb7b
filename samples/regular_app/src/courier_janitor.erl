%%% @doc Periodically logs how many deliveries are pending. Temporary:
%%% if it crashes, nobody needs it back before the next deploy.
-module(courier_janitor).
-behavior(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    Interval = application:get_env(courier, janitor_interval, 60000),
    {ok, _TRef} = timer:send_interval(Interval, sweep),
    {ok, #{interval => Interval}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(sweep, State) ->
    logger:debug("courier: ~b deliveries pending", [courier:pending()]),
    {noreply, State}.
