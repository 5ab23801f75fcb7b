%% A small gen_server look-alike: the process starts through gen:start/6,
%% which calls init_it/6 here, which calls back Mod:init/1 like
%% gen_server does.
-module(relay_loop).
-export([start_link/3, start_link/4, call/2, cast/2]).
-export([init_it/6]).

-callback init(Args :: term()) -> {ok, State :: term()}.
-callback handle_msg(Msg :: term(), State :: term()) -> {ok, State :: term()}.

start_link(Mod, Args, Options) ->
    gen:start(?MODULE, link, Mod, Args, Options).

start_link(Name, Mod, Args, Options) ->
    gen:start(?MODULE, link, Name, Mod, Args, Options).

call(Server, Msg) ->
    {ok, Reply} = gen:call(Server, '$relay_call', Msg),
    Reply.

cast(Server, Msg) ->
    Server ! {'$relay_cast', Msg},
    ok.

init_it(Starter, _Parent, _Name, Mod, Args, _Options) ->
    case Mod:init(Args) of
        {ok, State} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Mod, State);
        Other ->
            proc_lib:init_ack(Starter, {error, Other})
    end.

loop(Mod, State) ->
    receive
        {'$relay_call', {Pid, Tag}, Msg} ->
            {ok, State1} = Mod:handle_msg(Msg, State),
            Pid ! {Tag, State1},
            loop(Mod, State1);
        {'$relay_cast', Msg} ->
            {ok, State1} = Mod:handle_msg(Msg, State),
            loop(Mod, State1)
    end.
