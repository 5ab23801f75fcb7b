-module(harbor_web_board).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, []}.

handle_call(arrivals, _From, Arrivals) ->
    {reply, Arrivals, Arrivals}.

handle_cast({arrived, Ship}, Arrivals) ->
    {noreply, [Ship | Arrivals]}.
