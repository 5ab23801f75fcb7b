-module(harbor_pilot).
-behaviour(gen_server).
-export([start_link/0, assign/1]).
-export([init/1, handle_call/3, handle_cast/2]).

%% Macros that expand to half an expression: legal, since epp works on
%% tokens, but no parser of single forms can read them.
-define(MATCH(Expr), case Expr of).
-define(ELSE(Default), _ -> Default end).
-define(HANDLE_CALL(Request), handle_call(Request, _From, State) ->).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

assign(Ship) ->
    gen_server:call(?MODULE, {assign, Ship}).

init([]) ->
    {ok, #{}}.

?HANDLE_CALL({assign, Ship})
    ?MATCH(maps:find(Ship, State))
        {ok, Pilot} -> {reply, {ok, Pilot}, State};
        ?ELSE({reply, {error, unknown_ship}, State});
?HANDLE_CALL(_Other)
    {reply, {error, bad_request}, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
