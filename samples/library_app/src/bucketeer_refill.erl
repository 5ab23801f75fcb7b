%%% @doc Refill arithmetic, kept apart so it can be property-tested.
-module(bucketeer_refill).

-include_lib("bucketeer/include/bucketeer.hrl").

-export([refill/2, ms_until/2]).

-spec refill(#bucket{}, integer()) -> #bucket{}.
refill(#bucket{stamp = Stamp} = B, NowMs) when NowMs =< Stamp ->
    B;
refill(#bucket{rate = Rate, burst = Burst, level = Level, stamp = Stamp} = B, NowMs) ->
    %% Rate tokens per second == Rate milli-tokens per millisecond.
    Added = (NowMs - Stamp) * Rate,
    B#bucket{level = min(Burst * ?MILLI, Level + Added), stamp = NowMs}.

%% @doc Milliseconds needed to gather `MilliTokens' at `Rate' tokens/s.
-spec ms_until(pos_integer(), pos_integer()) -> pos_integer().
ms_until(MilliTokens, Rate) ->
    (MilliTokens + Rate - 1) div Rate.
