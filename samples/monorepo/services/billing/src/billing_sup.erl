-module(billing_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Children = [#{id => billing_rates,
                  start => {billing_rates, start_link, []}},
                #{id => billing_ledger,
                  start => {billing_ledger, start_link, []},
                  shutdown => 15000}],
    {ok, {#{strategy => rest_for_one, intensity => 2, period => 60}, Children}}.
