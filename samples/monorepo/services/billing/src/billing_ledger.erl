%%% @doc Accumulates rated usage per account until invoicing.
-module(billing_ledger).
-behaviour(gen_server).

-export([start_link/0, record/3, balance/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

record(Account, Product, Units) ->
    gen_server:call(?MODULE, {record, Account, Product, Units}).

balance(Account) ->
    gen_server:call(?MODULE, {balance, Account}).

init([]) ->
    process_flag(trap_exit, true),
    {ok, #{}}.

handle_call({record, Account, Product, Units}, _From, Ledger) ->
    case billing_rates:rate(Product) of
        {ok, Rate} ->
            {reply, ok, maps:update_with(Account, fun(B) -> B + Units * Rate end,
                                         Units * Rate, Ledger)};
        error ->
            {reply, {error, unknown_product}, Ledger}
    end;
handle_call({balance, Account}, _From, Ledger) ->
    Micro = maps:get(Account, Ledger, 0),
    {reply, decimal:to_binary({Micro, -6}), Ledger}.

handle_cast(_Msg, Ledger) ->
    {noreply, Ledger}.
