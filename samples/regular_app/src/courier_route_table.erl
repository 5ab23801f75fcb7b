%%% @doc Owns the routes ETS table (recipient prefix -> channel).
-module(courier_route_table).
-behaviour(gen_server).

-include("courier.hrl").

-export([start_link/0, lookup/1, add/2]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(TAB, courier_routes).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec lookup(binary()) -> {ok, #route{}} | not_found.
lookup(Recipient) ->
    Matches = [R || #route{prefix = P} = R <- ets:tab2list(?TAB),
                    binary:longest_common_prefix([P, Recipient]) =:= byte_size(P)],
    case Matches of
        [Route | _] -> {ok, Route};
        [] -> not_found
    end.

-spec add(binary(), smtp | sms | push) -> ok.
add(Prefix, Channel) ->
    gen_server:call(?MODULE, {add, #route{prefix = Prefix, channel = Channel}}).

init([]) ->
    Tab = ets:new(?TAB, [named_table, protected, {keypos, #route.prefix},
                         {read_concurrency, true}]),
    true = ets:insert(Tab, #route{prefix = <<"+">>, channel = sms}),
    {ok, Tab}.

handle_call({add, Route}, _From, Tab) ->
    true = ets:insert(Tab, Route),
    {reply, ok, Tab}.

handle_cast(_Msg, Tab) ->
    {noreply, Tab}.
