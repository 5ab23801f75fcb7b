%% Types shared by every shop application.

-record(sku, {code        :: binary(),
              title       :: binary(),
              price_cents :: non_neg_integer()}).

-record(line, {sku :: binary(),
               qty :: pos_integer()}).

-define(CURRENCY, <<"EUR">>).
