%%% @doc Top supervisor of backoffice. Starts the included store
%%% application's tree first, then the back-office workers.
-module(backoffice_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Store = {store_sup, {store_sup, start_link, []},
             permanent, infinity, supervisor, [store_sup]},
    Audit = {backoffice_audit, {backoffice_audit, start_link, []},
             permanent, 5000, worker, [backoffice_audit]},
    Reports = #{id => backoffice_reports,
                start => {backoffice_reports, start_link, []},
                restart => permanent,
                shutdown => 5000},
    {ok, {{one_for_one, 4, 60}, [Store, Audit, Reports]}}.
