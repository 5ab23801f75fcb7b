%%% @doc Issues opaque tokens and remembers who they belong to.
-module(auth_tokens).
-behaviour(gen_server).

-export([start_link/0, issue/1, whoami/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

issue(User) ->
    gen_server:call(?MODULE, {issue, User}).

whoami(Token) ->
    gen_server:call(?MODULE, {whoami, Token}).

init([]) ->
    {ok, #{}}.

handle_call({issue, User}, _From, Tokens) ->
    Token = session:new_token(),
    {reply, Token, Tokens#{Token => User}};
handle_call({whoami, Token}, _From, Tokens) ->
    {reply, maps:find(Token, Tokens), Tokens}.

handle_cast(_Msg, Tokens) ->
    {noreply, Tokens}.
