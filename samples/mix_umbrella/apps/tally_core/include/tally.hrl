%% A named counter, shared by the applications of the umbrella.
-define(DEFAULT_STEP, 1).
-record(counter, {name :: atom(), value = 0 :: integer(), step = ?DEFAULT_STEP :: pos_integer()}).
