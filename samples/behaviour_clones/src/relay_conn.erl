%% A server written against gen_server2: its init/1 connects, and the
%% supervisor waits for it.
-module(relay_conn).
-behaviour(gen_server2).
-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server2:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Socket} = gen_tcp:connect("broker.internal", 5672, [binary]),
    {ok, Socket}.

handle_call(_Request, _From, Socket) ->
    {reply, ok, Socket}.

handle_cast(_Msg, Socket) ->
    {noreply, Socket}.

handle_info(_Info, Socket) ->
    {noreply, Socket}.
