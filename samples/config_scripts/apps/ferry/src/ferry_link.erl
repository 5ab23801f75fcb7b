-module(ferry_link).
-behaviour(gen_server).
-export([start_link/0, init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ferry_link}, ?MODULE, [], []).

init([]) ->
    Port = application:get_env(ferry, port, 7070),
    {ok, #{port => Port}}.

handle_call(_Request, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
