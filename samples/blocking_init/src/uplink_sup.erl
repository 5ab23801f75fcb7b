%%% @doc Every connector of uplink. The first group blocks in init/1 on
%%% something remote; the second group shows the fixed patterns.
-module(uplink_sup).
-behaviour(supervisor).

-export([start_link/0]).
-export([init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Hazards = [uplink_registry,          % a plain local server, used below
               uplink_db_conn,           % gen_tcp:connect via two calls
               uplink_tls_session,       % ssl:connect in gen_statem init
               uplink_cache_warmer,      % gen_server:call in init
               uplink_handshake,         % receive without after
               uplink_throttle,          % timer:sleep
               uplink_feed],             % httpc:request
    Fixed = [uplink_store_conn,          % {continue, connect}
             uplink_metrics_push,        % self() ! connect
             uplink_tls_client,          % next_event internal connect
             uplink_listener,            % gen_tcp:listen is local
             uplink_lazy,                % connect fun stored, not called
             uplink_poller],             % timer:send_after
    {ok, {{one_for_one, 5, 10}, [worker(M) || M <- Hazards ++ Fixed]}}.

worker(Mod) ->
    #{id => Mod, start => {Mod, start_link, []}}.
