%%% @doc Price per unit of each metered product, in micro-cents.
-module(billing_rates).
-behaviour(gen_server).

-export([start_link/0, rate/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

rate(Product) ->
    gen_server:call(?MODULE, {rate, Product}).

init([]) ->
    {ok, #{api_call => 40, gb_month => 2300000}}.

handle_call({rate, Product}, _From, Rates) ->
    {reply, maps:find(Product, Rates), Rates}.

handle_cast(_Msg, Rates) ->
    {noreply, Rates}.
