%% relay_jobs is an included application: its top supervisor runs here,
%% under relay_api's tree.
-module(relay_api_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Jobs = #{id => relay_jobs_sup,
             start => {relay_jobs_sup, start_link, []},
             type => supervisor},
    Gate = #{id => relay_api_gate, start => {relay_api_gate, start_link, []}},
    {ok, {#{strategy => rest_for_one, intensity => 3, period => 60}, [Jobs, Gate]}}.
