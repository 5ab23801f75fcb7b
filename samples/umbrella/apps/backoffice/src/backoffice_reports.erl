%%% @doc Hourly order report, built from the store's order log.
-module(backoffice_reports).
-behaviour(gen_server).

-export([start_link/0, latest/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec latest() -> #{orders := non_neg_integer(), at := integer()} | none.
latest() ->
    gen_server:call(?MODULE, latest).

init([]) ->
    Interval = application:get_env(backoffice, report_interval, 3600000),
    erlang:send_after(Interval, self(), build),
    {ok, #{interval => Interval, latest => none}}.

handle_call(latest, _From, #{latest := Latest} = State) ->
    {reply, Latest, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info(build, #{interval := Interval} = State) ->
    erlang:send_after(Interval, self(), build),
    Report = #{orders => store_order_log:count(), at => erlang:system_time(second)},
    backoffice_audit:record(<<"system">>, {report_built, Report}),
    {noreply, State#{latest := Report}}.
