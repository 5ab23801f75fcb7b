%% The ETS table counters are kept in, and how often it is written out.
-define(TABLE, tally_counters).
-define(FLUSH_EVERY, 5000).
