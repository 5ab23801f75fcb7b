%%% @doc Holds the node-local sealing key, generated at start.
-module(vault_keyring).
-behaviour(gen_server).

-export([start_link/0, key/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec key() -> <<_:256>>.
key() ->
    gen_server:call(?MODULE, key).

init([]) ->
    {ok, crypto:strong_rand_bytes(32)}.

handle_call(key, _From, Key) ->
    {reply, Key, Key}.

handle_cast(_Msg, Key) ->
    {noreply, Key}.
