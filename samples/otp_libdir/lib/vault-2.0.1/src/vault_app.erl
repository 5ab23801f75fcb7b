-module(vault_app).
-behaviour(application).

-export([start/2, start_phase/3, stop/1]).

start(normal, []) ->
    vault_sup:start_link().

%% Run by the application master after start/2, still during the boot.
start_phase(audit, normal, []) ->
    Spec = #{id => vault_audit,
             start => {vault_audit, start_link, []},
             shutdown => 1000},
    {ok, _} = supervisor:start_child(vault_sup, Spec),
    ok.

stop(_State) ->
    ok.
