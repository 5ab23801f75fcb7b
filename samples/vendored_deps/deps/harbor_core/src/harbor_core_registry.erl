-module(harbor_core_registry).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% Asks the harbour master for the berths before the supervisor goes on.
init([]) ->
    {ok, Socket} = gen_tcp:connect("harbour-master.local", 7400, [binary]),
    {ok, #{master => Socket, ships => #{}}}.

handle_call({berth, Ship}, _From, State = #{ships := Ships}) ->
    {reply, ok, State#{ships := Ships#{Ship => docked}}};
handle_call(_Request, _From, State) ->
    {reply, {error, unknown}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
