%% Shared records of the courier application.

-record(delivery, {id          :: reference(),
                   recipient   :: binary(),
                   body        :: iodata(),
                   attempts = 0 :: non_neg_integer()}).

-record(route, {prefix :: binary(),
                channel :: smtp | sms | push}).

-define(DEFAULT_MAX_ATTEMPTS, 5).
