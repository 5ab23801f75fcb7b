%%% @doc Expires stale sightings on a timer.
-module(beacon_sweeper).
-behaviour(gen_statem).

-export([start_link/0]).
-export([init/1, callback_mode/0, handle_event/4]).

-spec start_link() -> gen_statem:start_ret().
start_link() ->
    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec callback_mode() -> handle_event_function.
callback_mode() ->
    handle_event_function.

-spec init([]) -> gen_statem:init_result(waiting).
init([]) ->
    Interval = application:get_env(beacon, sweep_interval, 30000),
    {ok, waiting, Interval, [{state_timeout, Interval, sweep}]}.

-spec handle_event(gen_statem:event_type(), term(), waiting, pos_integer()) ->
          gen_statem:event_handler_result(waiting).
handle_event(state_timeout, sweep, waiting, Interval) ->
    Ttl = application:get_env(beacon, ttl, 90000),
    _Expired = beacon_registry:expire(Ttl),
    {keep_state_and_data, [{state_timeout, Interval, sweep}]}.
