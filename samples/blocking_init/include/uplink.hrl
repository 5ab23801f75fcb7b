-record(endpoint, {host :: inet:hostname(),
                   port :: inet:port_number()}).

-define(CONNECT_TIMEOUT, 5000).
-define(RETRY_MS, 2000).
