%%% @doc Listens for "HELLO <device-id>" datagrams. Opening a local UDP
%%% port is a local resource, so it is done in init/1.
-module(beacon_udp).
-behaviour(gen_server).

-export([start_link/0, port/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec port() -> inet:port_number().
port() ->
    gen_server:call(?MODULE, port).

-spec init([]) -> {ok, gen_udp:socket()} | {stop, term()}.
init([]) ->
    Port = application:get_env(beacon, udp_port, 0),
    case gen_udp:open(Port, [binary, {active, true}]) of
        {ok, Socket} -> {ok, Socket};
        {error, Reason} -> {stop, Reason}
    end.

-spec handle_call(port, gen_server:from(), gen_udp:socket()) ->
          {reply, inet:port_number(), gen_udp:socket()}.
handle_call(port, _From, Socket) ->
    {ok, Port} = inet:port(Socket),
    {reply, Port, Socket}.

-spec handle_cast(term(), gen_udp:socket()) -> {noreply, gen_udp:socket()}.
handle_cast(_Msg, Socket) ->
    {noreply, Socket}.

-spec handle_info(term(), gen_udp:socket()) -> {noreply, gen_udp:socket()}.
handle_info({udp, Socket, Addr, _Port, <<"HELLO ", Device/binary>>}, Socket) ->
    beacon_registry:seen(string:trim(Device), Addr),
    {noreply, Socket};
handle_info({udp, Socket, _Addr, _Port, _Junk}, Socket) ->
    {noreply, Socket}.
