%%% @doc FINE: init/1 builds the connect fun but only calls it later,
%%% on the first request.
-module(uplink_lazy).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    Connect = fun() -> gen_tcp:connect("search.internal", 9200, [binary], 5000) end,
    {ok, #{connect => Connect, socket => undefined}}.

handle_call(Req, From, #{socket := undefined, connect := Connect} = State) ->
    case Connect() of
        {ok, Socket} -> handle_call(Req, From, State#{socket := Socket});
        {error, _} = Error -> {reply, Error, State}
    end;
handle_call({send, Bin}, _From, #{socket := Socket} = State) ->
    {reply, gen_tcp:send(Socket, Bin), State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
