-module(tides_gauge).
-behaviour(gen_server).
-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    {ok, Host} = application:get_env(tides, gauge_host),
    {ok, Sock} = tides_wire:open(Host),
    {ok, Sock}.

handle_call(_Request, _From, Sock) ->
    {reply, ok, Sock}.

handle_cast(_Msg, Sock) ->
    {noreply, Sock}.
