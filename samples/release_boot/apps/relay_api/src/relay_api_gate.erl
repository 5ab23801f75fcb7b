%% Accepts TLS connections and hands each message to relay_store. The
%% listening socket is local, so opening it in init/1 is fine.
-module(relay_api_gate).
-behaviour(gen_server).

-export([start_link/0, load/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% The load report: os_mon's figures when it runs, nothing otherwise.
load() ->
    case lists:keymember(os_mon, 1, application:which_applications()) of
        true -> #{cpu => cpu_sup:util(), memory => memsup:get_system_memory_data()};
        false -> #{}
    end.

init([]) ->
    Port = application:get_env(relay_api, port, 7443),
    Certs = application:get_env(relay_api, certs, []),
    {ok, Listener} = ssl:listen(Port, [binary, {active, false}, {reuseaddr, true} | Certs]),
    {ok, #{port => Port, listener => Listener}}.

handle_call(_Req, _From, State) ->
    {reply, ok, State}.

handle_cast(_Msg, State) ->
    {noreply, State}.

handle_info({ssl, Socket, Data}, State) ->
    {ok, To, Message} = split(Data),
    ok = relay_store:put(To, Message),
    ok = ssl:setopts(Socket, [{active, once}]),
    {noreply, State};
handle_info(_Other, State) ->
    {noreply, State}.

split(Data) ->
    case binary:split(Data, <<$\n>>) of
        [To, Message] -> {ok, binary_to_atom(To), Message};
        _ -> {error, no_recipient}
    end.
