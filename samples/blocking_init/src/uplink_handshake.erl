%%% @doc HAZARD: waits in init/1 for a message that may never come.
-module(uplink_handshake).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    true = register(uplink_handshake_peer, self()),
    %% expect: blocking-init
    receive
        {peer_hello, Peer} ->
            {ok, #{peer => Peer}}
    end.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
