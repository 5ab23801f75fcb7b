-include_lib("shop_common/include/shop_common.hrl").

-record(order, {id           :: binary(),
                customer     :: binary(),
                lines = []   :: [#line{}],
                total_cents  :: non_neg_integer() | undefined}).
