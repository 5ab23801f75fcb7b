%%% @doc Test-only channel that records what would have been sent.
%%% Started by courier_route_sup only when compiled with TEST.
-module(courier_loopback).
-behaviour(gen_server).

-export([start_link/0, sent/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec sent() -> [term()].
sent() ->
    gen_server:call(?MODULE, sent).

init([]) ->
    {ok, []}.

handle_call(sent, _From, Sent) ->
    {reply, lists:reverse(Sent), Sent}.

handle_cast({send, Msg}, Sent) ->
    {noreply, [Msg | Sent]}.
