%%% @doc Top supervisor of courier.
%%%
%%% rest_for_one: the event manager and the configuration server come
%%% first, and everything started after them is restarted when one of
%%% them dies, since it holds their pids in its state.
-module(courier_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-define(SERVER, ?MODULE).
-define(CHILD(I, Type), {I, {I, start_link, []}, permanent, 5000, Type, [I]}).

-spec start_link() -> {ok, pid()} | ignore | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?SERVER}, ?MODULE, []).

init([]) ->
    SupFlags = #{strategy => rest_for_one,
                 intensity => 5,
                 period => 30},
    RouteSup = #{id => courier_route_sup,
                 start => {courier_route_sup, start_link, []},
                 type => supervisor},
    Metrics = case application:get_env(courier, metrics_enabled, true) of
                  true ->
                      [#{id => courier_metrics,
                         start => {courier_metrics, start_link, []},
                         restart => transient,
                         shutdown => 2000}];
                  false ->
                      []
              end,
    Children =
        [{courier_events, {courier_events, start_link, []},
          permanent, 5000, worker, dynamic},
         ?CHILD(courier_config, worker),
         #{id => courier_clock,
           start => {courier_clock, start_link, []},
           shutdown => brutal_kill},
         RouteSup,
         sup_child(courier_delivery_sup),
         #{id => courier_janitor,
           start => {courier_janitor, start_link, []},
           restart => temporary,
           shutdown => 1000}
        | Metrics],
    {ok, {SupFlags, Children}}.

%% Internal

-spec sup_child(module()) -> supervisor:child_spec().
sup_child(Mod) ->
    #{id => Mod,
      start => {Mod, start_link, []},
      restart => permanent,
      shutdown => infinity,
      type => supervisor,
      modules => [Mod]}.
