%%% @doc Seal and open secrets with AES-256-GCM. Pure functions.
-module(vault_codec).

-export([seal/3, open/3]).

-define(AAD, <<"vault/v1">>).

-spec seal(<<_:256>>, binary(), binary()) -> binary().
seal(Key, Name, Plain) ->
    IV = crypto:strong_rand_bytes(12),
    {Cipher, Tag} = crypto:crypto_one_time_aead(aes_256_gcm, Key, IV, Plain,
                                                [?AAD, Name], true),
    <<IV/binary, Tag/binary, Cipher/binary>>.

-spec open(<<_:256>>, binary(), binary()) -> {ok, binary()} | {error, tampered}.
open(Key, Name, <<IV:12/binary, Tag:16/binary, Cipher/binary>>) ->
    case crypto:crypto_one_time_aead(aes_256_gcm, Key, IV, Cipher,
                                     [?AAD, Name], Tag, false) of
        error -> {error, tampered};
        Plain -> {ok, Plain}
    end.
