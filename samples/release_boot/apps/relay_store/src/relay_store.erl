%% Messages waiting for delivery, in an ETS table owned by this server.
-module(relay_store).
-behaviour(gen_server).

-export([start_link/0, put/2, take/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

put(To, Message) ->
    gen_server:call(?MODULE, {put, To, relay_proto:encode(Message)}).

take(To) ->
    gen_server:call(?MODULE, {take, To}).

init([]) ->
    Max = application:get_env(relay_store, max_messages, 10000),
    {ok, #{table => ets:new(?MODULE, [bag]), max => Max}}.

handle_call({put, To, Frame}, _From, State = #{table := T, max := Max}) ->
    case ets:info(T, size) < Max of
        true ->
            ets:insert(T, {To, Frame}),
            {reply, ok, State};
        false ->
            {reply, {error, full}, State}
    end;
handle_call({take, To}, _From, State = #{table := T}) ->
    Frames = [F || {_, F} <- ets:take(T, To)],
    {reply, [P || F <- Frames, {ok, P, _} <- [relay_proto:decode(F)]], State}.

handle_cast(_Msg, State) ->
    {noreply, State}.
