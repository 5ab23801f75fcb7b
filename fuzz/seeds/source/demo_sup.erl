%%% A supervisor whose children depend on macros and conditional compilation.
-module(demo_sup).
-behaviour(supervisor).

-include("demo_app.hrl").
-include_lib("kernel/include/logger.hrl").

-export([start_link/0, init/1]).
-compile([export_all, nowarn_export_all]).

-define(SERVER, ?MODULE).
-define(F, fun_one).
-define(F(X), {fun_two, X}).

-ifdef(TEST).
-define(POOL_SIZE, 1).
-else.
-define(POOL_SIZE, 10).
-endif.

-if(?OTP_RELEASE >= 23).
-define(HAS_MAPS, true).
-elif(?OTP_RELEASE >= 21).
-define(HAS_MAPS, partial).
-else.
-define(HAS_MAPS, false).
-endif.

start_link() ->
    supervisor:start_link({local, ?SERVER}, ?MODULE, []).

init([]) ->
    SupFlags = #{strategy => one_for_one, intensity => 5, period => 10},
    Children = [?CHILD(demo_worker, worker), ?CHILD(demo_pool_sup, supervisor)],
    {ok, {SupFlags, Children}}.

-ifdef(TEST).
test_only() -> ?POOL_SIZE.
-else.
test_only() -> not_in_test.
-endif.

where() -> {?FUNCTION_NAME, ?FUNCTION_ARITY, ?LINE}.
