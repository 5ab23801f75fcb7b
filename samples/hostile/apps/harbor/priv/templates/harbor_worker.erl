%% Template for `rebar3 new harbor_worker name=NAME`: rebar3 fills in the
%% placeholders; this file is not Erlang until it does.
-module({{name}}).
-behaviour(gen_server).
-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, {{name}}}, ?MODULE, [], []).

init([]) ->
    {ok, #{interval => {{interval}}}}.

handle_call(_Request, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
