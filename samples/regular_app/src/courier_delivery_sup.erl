%%% @doc One transient process per delivery, started on demand by
%%% courier:deliver/2.
-module(courier_delivery_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

-spec start_link() -> {ok, pid()} | ignore | {error, term()}.
start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    SupFlags = #{strategy => simple_one_for_one,
                 intensity => 10,
                 period => 60},
    Delivery = #{id => delivery,
                 start => {courier_delivery, start_link, []},
                 restart => transient,
                 shutdown => 5000},
    {ok, {SupFlags, [Delivery]}}.
