%% -*- coding: latin-1 -*-
-module(harbor_dock).
-behaviour(gen_server).
-export([start_link/0, berth/1]).
-export([init/1, handle_call/3, handle_cast/2]).

%% Quai d'arrivée: the berth names are written in Latin-1.
-define(BERTHS, ["Quai Nord", "Quai Sud", "Bassin à flot"]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

berth(N) ->
    gen_server:call(?MODULE, {berth, N}).

init([]) ->
    {ok, ?BERTHS}.

handle_call({berth, N}, _From, Berths) when N >= 1, N =< length(Berths) ->
    {reply, {ok, lists:nth(N, Berths)}, Berths};
handle_call({berth, _}, _From, Berths) ->
    {reply, {error, no_such_berth}, Berths}.

handle_cast(_Msg, Berths) ->
    {noreply, Berths}.
