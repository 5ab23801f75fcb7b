%%% @doc HAZARD: fetches the initial price list over HTTP in init/1.
-module(uplink_feed).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    Url = application:get_env(uplink, feed_url, "http://localhost/prices"),
    %% expect: blocking-init
    {ok, {{_, 200, _}, _Headers, Body}} = httpc:request(get, {Url, []}, [{timeout, 5000}], []),
    {ok, #{prices => Body}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
