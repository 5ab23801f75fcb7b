%% A token bucket. Tokens are kept in milli-tokens so that refill
%% arithmetic stays in integers.

-record(bucket, {rate      :: pos_integer(),      % tokens per second
                 burst     :: pos_integer(),      % capacity in tokens
                 level     :: non_neg_integer(),  % milli-tokens available
                 stamp     :: integer()}).        % last refill, ms

-define(MILLI, 1000).
