%% Frames: <<Length:32, Checksum:32/binary, Payload/binary>>, the checksum
%% being the SHA-256 of the payload.
-module(relay_proto).

-export([encode/1, decode/1]).

-spec encode(binary()) -> binary().
encode(Payload) when is_binary(Payload) ->
    Sum = crypto:hash(sha256, Payload),
    <<(byte_size(Payload)):32, Sum/binary, Payload/binary>>.

-spec decode(binary()) -> {ok, binary(), binary()} | more | {error, checksum}.
decode(<<Len:32, Sum:32/binary, Rest/binary>>) when byte_size(Rest) >= Len ->
    <<Payload:Len/binary, Tail/binary>> = Rest,
    case crypto:hash(sha256, Payload) of
        Sum -> {ok, Payload, Tail};
        _ -> {error, checksum}
    end;
decode(_Partial) ->
    more.
