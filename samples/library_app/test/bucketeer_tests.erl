-module(bucketeer_tests).

-include_lib("eunit/include/eunit.hrl").
-include("bucketeer.hrl").

refill_caps_at_burst_test() ->
    B = #bucket{rate = 10, burst = 5, level = 0, stamp = 0},
    ?assertEqual(5000, (bucketeer_refill:refill(B, 60000))#bucket.level).

ms_until_rounds_up_test() ->
    ?assertEqual(100, bucketeer_refill:ms_until(1000, 10)),
    ?assertEqual(1, bucketeer_refill:ms_until(1, 10)).
