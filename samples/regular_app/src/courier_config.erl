%%% @doc Holds the runtime configuration of courier, read once from the
%%% application environment and reloadable.
-module(courier_config).

-define(GEN_SERVER, gen_server).
-behaviour(?GEN_SERVER).

-export([start_link/0, get/1, reload/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    ?GEN_SERVER:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec get(atom()) -> term().
get(Key) ->
    ?GEN_SERVER:call(?MODULE, {get, Key}).

-spec reload() -> ok.
reload() ->
    ?GEN_SERVER:cast(?MODULE, reload).

init([]) ->
    {ok, read_env()}.

handle_call({get, Key}, _From, Config) ->
    {reply, maps:get(Key, Config, undefined), Config}.

handle_cast(reload, _Config) ->
    {noreply, read_env()}.

read_env() ->
    maps:from_list(application:get_all_env(courier)).
