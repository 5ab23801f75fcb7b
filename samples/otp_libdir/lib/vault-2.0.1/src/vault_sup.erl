%%% @doc The store cannot outlive the key that sealed its contents, and
%%% a new key makes every stored secret unreadable: one_for_all.
-module(vault_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    {ok, {{one_for_all, 2, 20},
          [{vault_keyring, {vault_keyring, start_link, []},
            permanent, 2000, worker, [vault_keyring]},
           {vault_store, {vault_store, start_link, []},
            permanent, 5000, worker, [vault_store]}]}}.
