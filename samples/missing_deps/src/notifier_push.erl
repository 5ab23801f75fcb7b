%%% @doc Sends pushes through an HTTP gateway.
-module(notifier_push).
-behaviour(gen_server).

-export([start_link/0, send/2]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec send(binary(), map()) -> ok.
send(Device, Payload) ->
    gen_server:cast(?MODULE, {send, Device, Payload}).

init([]) ->
    {ok, application:get_env(notifier, push_url, undefined)}.

handle_call(_Req, _From, Url) ->
    {reply, ok, Url}.

handle_cast({send, Device, Payload}, Url) ->
    Body = jiffy:encode(#{device => Device, payload => Payload}),
    case hackney:request(post, Url, [{<<"content-type">>, <<"application/json">>}], Body, []) of
        {ok, Status, _Headers, _Ref} when Status < 300 ->
            estatsd:increment("notifier.push.ok");
        _ ->
            estatsd:increment("notifier.push.failed")
    end,
    trace(Device),
    {noreply, Url}.

%% opentelemetry_api is optional: only trace when it is loaded.
trace(Device) ->
    case code:ensure_loaded(otel_tracer) of
        {module, otel_tracer} ->
            Tracer = opentelemetry:get_application_tracer(?MODULE),
            otel_tracer:set_current_span(otel_tracer:start_span(Tracer, <<"push">>,
                                                                #{attributes => #{device => Device}}));
        {error, _} ->
            ok
    end.
