%% A device sighting, as stored in the registry.
-record(sighting, {device  :: binary(),
                   addr    :: inet:ip_address(),
                   seen_at :: integer()}).   % monotonic ms
