%%% @doc Local name -> endpoint registry. Nothing remote, fine to call
%%% from anywhere except another process's init/1.
-module(uplink_registry).
-behaviour(gen_server).

-export([start_link/0, lookup/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

lookup(Name) ->
    gen_server:call(?MODULE, {lookup, Name}).

init([]) ->
    {ok, #{cache => {"cache.internal", 6379}}}.

handle_call({lookup, Name}, _From, Endpoints) ->
    {reply, maps:find(Name, Endpoints), Endpoints}.

handle_cast(_Msg, Endpoints) ->
    {noreply, Endpoints}.
