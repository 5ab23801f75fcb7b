%%% @doc HAZARD: connects to the database before init/1 returns.
%%% Chain: init/1 -> connect/1 -> uplink_net:open/1 -> gen_tcp:connect/4.
-module(uplink_db_conn).
-behaviour(gen_server).

-include("uplink.hrl").

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Socket} = connect(endpoint()),
    {ok, #{socket => Socket}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

connect(Endpoint) ->
    uplink_net:open(Endpoint).

endpoint() ->
    #endpoint{host = application:get_env(uplink, db_host, "localhost"),
              port = application:get_env(uplink, db_port, 5432)}.
