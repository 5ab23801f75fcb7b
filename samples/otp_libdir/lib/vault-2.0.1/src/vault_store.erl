%%% @doc Sealed secrets by name.
-module(vault_store).
-behaviour(gen_server).

-include_lib("vault/include/vault.hrl").

-export([start_link/0, put/2, get/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

put(Name, Plain) ->
    gen_server:call(?MODULE, {put, Name, Plain}).

get(Name) ->
    gen_server:call(?MODULE, {get, Name}).

init([]) ->
    {ok, #{}}.

handle_call({put, Name, Plain}, _From, Secrets) ->
    Version = case Secrets of
                  #{Name := #secret{version = V}} -> V + 1;
                  #{} -> 1
              end,
    Sealed = vault_codec:seal(vault_keyring:key(), Name, Plain),
    {reply, {ok, Version},
     Secrets#{Name => #secret{name = Name, sealed = Sealed, version = Version}}};
handle_call({get, Name}, _From, Secrets) ->
    Reply = case Secrets of
                #{Name := #secret{sealed = Sealed}} ->
                    vault_codec:open(vault_keyring:key(), Name, Sealed);
                #{} ->
                    {error, not_found}
            end,
    {reply, Reply, Secrets}.

handle_cast(_Msg, Secrets) ->
    {noreply, Secrets}.
