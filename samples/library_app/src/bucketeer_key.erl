%%% @doc Bucket keys: a truncated SHA-256 of tenant and resource.
-module(bucketeer_key).

-export([derive/2]).

-define(KEY_BYTES, 12).

-spec derive(binary(), binary()) -> binary().
derive(Tenant, Resource) when is_binary(Tenant), is_binary(Resource) ->
    Digest = crypto:hash(sha256, [<<(byte_size(Tenant)):16>>, Tenant, Resource]),
    <<Key:?KEY_BYTES/binary, _/binary>> = Digest,
    base64:encode(Key).
