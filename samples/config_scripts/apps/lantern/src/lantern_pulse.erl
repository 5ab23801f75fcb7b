-module(lantern_pulse).
-behaviour(gen_server).
-export([start_link/0, init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, lantern_pulse}, ?MODULE, [], []).

init([]) ->
    {ok, Interval} = application:get_env(lantern, interval_ms),
    erlang:send_after(Interval, self(), pulse),
    {ok, Interval}.

handle_call(_Request, _From, Interval) ->
    {reply, ok, Interval}.

handle_cast(_Msg, Interval) ->
    {noreply, Interval}.

handle_info(pulse, Interval) ->
    erlang:send_after(Interval, self(), pulse),
    {noreply, Interval}.
