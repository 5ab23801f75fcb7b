%%% @doc Audit trail of back-office edits, logged through lager.
-module(backoffice_audit).
-behaviour(gen_server).

-export([start_link/0, record/2]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec record(binary(), term()) -> ok.
record(User, Action) ->
    gen_server:cast(?MODULE, {record, User, Action}).

init([]) ->
    {ok, 0}.

handle_call(count, _From, N) ->
    {reply, N, N}.

handle_cast({record, User, Action}, N) ->
    lager:info("audit: ~s did ~p", [User, Action]),
    {noreply, N + 1}.
