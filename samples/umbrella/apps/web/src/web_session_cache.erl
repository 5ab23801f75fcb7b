%%% @doc Maps session tokens to open cart pids.
-module(web_session_cache).
-behaviour(gen_server).

-export([start_link/0, cart_for/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec cart_for(binary()) -> {ok, pid()} | {error, term()}.
cart_for(Session) ->
    gen_server:call(?MODULE, {cart_for, Session}).

init([]) ->
    {ok, #{}}.

handle_call({cart_for, Session}, _From, Carts) ->
    case Carts of
        #{Session := Pid} ->
            {reply, {ok, Pid}, Carts};
        #{} ->
            case store:open_cart(Session) of
                {ok, Pid} ->
                    erlang:monitor(process, Pid),
                    {reply, {ok, Pid}, Carts#{Session => Pid}};
                Error ->
                    {reply, Error, Carts}
            end
    end.

handle_cast(_Msg, Carts) ->
    {noreply, Carts}.

handle_info({'DOWN', _Ref, process, Pid, _Reason}, Carts) ->
    {noreply, maps:filter(fun(_, P) -> P =/= Pid end, Carts)}.
