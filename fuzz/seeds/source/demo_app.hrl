%% Shared definitions of the demo application.
-ifndef(DEMO_APP_HRL).
-define(DEMO_APP_HRL, true).

-define(GEN_SERVER, gen_server).
-define(CHILD(Id, Type), #{id => Id, start => {Id, start_link, []}, type => Type}).
-define(TIMEOUT, 5000).

-record(conn, {host = "localhost" :: string(), port = 5432, opts = []}).

-endif.
