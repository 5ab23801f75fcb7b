%% Wakes up every retry_interval and re-queues what relay_store holds for
%% the `retry` mailbox.
-module(relay_jobs_retry).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    Interval = application:get_env(relay_jobs, retry_interval, 5000),
    erlang:send_after(Interval, self(), retry),
    {ok, Interval}.

handle_call(_Req, _From, Interval) ->
    {reply, ok, Interval}.

handle_cast(_Msg, Interval) ->
    {noreply, Interval}.

handle_info(retry, Interval) ->
    [relay_store:put(inbox, M) || M <- relay_store:take(retry)],
    erlang:send_after(Interval, self(), retry),
    {noreply, Interval}.
