//! ## What it does
//!
//! Finds calls that block on something outside the node, or on another
//! process, while a supervised process starts: in `init/1` of a
//! `gen_server`, `gen_statem`, `gen_fsm`, `supervisor_bridge` or
//! `supervisor` callback module, and in a `proc_lib` special process
//! (started with `proc_lib:start_link(M, F, A)`) before it calls
//! `proc_lib:init_ack`. It follows the calls `init/1` makes through local
//! functions and other modules of the project, and reports the whole chain.
//!
//! Blocking calls are:
//!
//! - connects: `gen_tcp:connect`, `ssl:connect`, `gen_sctp:connect`,
//!   `socket:connect`, `net_kernel:connect_node`, `net_adm:ping`,
//!   `ssh:connect`, `eldap:open`, `ftp:open`;
//! - synchronous remote requests: `httpc:request` (unless its options hold
//!   `{sync, false}`), `rpc:call` (the message names the node, "node
//!   `db@host`" or "the node its caller gives (`Node`)": it may be this
//!   one), `rpc:multicall`, `erpc:call`,
//!   `erpc:multicall`, `gen_server:multi_call`, `global:sync`, and client
//!   libraries that connect before returning: `epgsql:connect`,
//!   `mysql:start_link`, `eredis:start_link`, `amqp_connection:start`,
//!   `gun:await_up`, `gun:await`, `hackney:request`, `hackney:connect`,
//!   `ibrowse:send_req`, `emqtt:connect`, `mc_worker_api:connect`;
//! - DNS lookups: `inet_res:lookup`, `inet_res:resolve`,
//!   `inet_res:nslookup`, `inet:gethostbyname`, `inet:getaddr`,
//!   `inet:getaddrs`;
//! - waits: `receive` without `after` (or with `after infinity`, also
//!   through a variable bound to `infinity` in the function or a parameter
//!   the caller on the chain passes `infinity` to),
//!   `timer:sleep`, `gen_tcp:accept`, `gen_tcp:recv`, `ssl:transport_accept`,
//!   `ssl:handshake`, `ssl:recv`, `mnesia:wait_for_tables(_, infinity)`,
//!   and any call into code outside the project (a dependency, OTP) whose
//!   last argument, where Erlang puts a timeout, is the atom `infinity`
//!   (`dep_client:wait_for_ready(Name, infinity)`), except in modules that
//!   take `infinity` as a value (`maps`, `proplists`, `application`, ...);
//! - calls to another process: `gen_server:call`, `gen_statem:call`,
//!   `gen_fsm:sync_send_event`, `gen_fsm:sync_send_all_state_event`,
//!   `gen_event:call`. A call to `self()`, or to the module's own name
//!   (registered before `init/1` runs), is reported as a deadlock. With
//!   these calls ranks a `receive` without `after` each of whose clauses
//!   takes the 'DOWN' message of a monitor (`{'DOWN', MRef, process, Pid,
//!   _}`): a monitor always sends it (at once, with `noproc`, when the
//!   process is gone), so the `receive` waits until the monitored process
//!   exits ("waits until the monitored process `Pid` exits"), not forever;
//!   so does one that also takes other messages (a reply) beside the
//!   'DOWN' of the monitor its clauses name ("waits until a message comes
//!   or the monitored process `Pid` exits");
//! - a wait for a process the same function spawned and monitors
//!   (`spawn_monitor(Fun)`, `spawn_monitor(M, F, A)`, `spawn_opt` with
//!   `monitor`, `Pid = spawn(..)` then `monitor(process, Pid)`), for its
//!   'DOWN': it lasts as long as the code that process runs, which is
//!   walked as init/1's is (the fun as written there or bound to a
//!   variable before, or `M:F`), and what is found there is reported at
//!   the `receive`: "waits until the process spawned at `file:line`
//!   exits, and in that process `os:cmd/1` runs an external program". In
//!   that code an external program (`os:cmd`, `open_port` of `{spawn,
//!   Command}` or `{spawn_executable, File}`) is a wait too: the process
//!   runs until the program ends. Nothing there, nothing reported.
//!
//! The list is configurable (see "Configuration").
//!
//! Not hazards: a connect to this very host (`localhost`, `{127,0,0,1}`)
//! with a finite timeout; a `receive` with a clause for a timer's message
//! (`{timeout, TRef, _}`, set with `erlang:start_timer/3`); a `receive`
//! for the 'DOWN' of a process the function kills on the way to it
//! (`exit(Pid, kill)`: the 'DOWN' comes at once) or whose 'EXIT' the
//! enclosing `receive` branch took (`{'EXIT', Pid, _} -> receive
//! {'DOWN', _, process, Pid, _} -> ...`: it is gone); a `receive`
//! waiting for a process the same function started linked or monitored
//! (`spawn_link`, `spawn_monitor`), unless that process's fun, as written
//! there, runs an external command or a listed call. A call whose process
//! is a name passed down as an argument (`call(Name)` reached with `Name =
//! db`) is judged as a call to that name.
//!
//! A call to a registered process that OTP's start order already runs
//! (an older sibling, an application in `applications` or started earlier
//! by every release) is not reported (`--show-safe` lists it as an info,
//! with the reason); a call to one started later is `start-order`
//! (OTP010). The `init/1` of a child started at run time (a
//! `simple_one_for_one` instance) is an info: it blocks the caller of
//! `start_child`, not the boot. So is the `init/1` of a process no
//! supervisor starts when every call that starts it (`conn:start_link(..)`)
//! is made, through the functions calling it, from callbacks that run
//! once their process is up (`handle_call/3`, `handle_info/2`, ...): a
//! client a manager starts when a peer joins blocks the manager.
//!
//! One finding per `init/1`: when it reaches several hazards, the finding
//! is at the most serious (a deadlock, then a connect or request to
//! another host, a remote call, an unbounded wait, a sleep, a call to a
//! local process) and its notes list the others ("also reached in this
//! init/1"). A hazard with its own suppression comment stays a finding of
//! its own. Code the default build does not compile (`-ifdef(TEST)`) is
//! not followed unless `--define TEST` is given.
//!
//! Code that does not run in `init/1` is not followed: a fun stored or
//! spawned (a fun passed to `lists:foreach/2` and the like does run),
//! `handle_continue/2`, `handle_info/2` after `self() ! connect`, gen_statem
//! `next_event` actions, `timer:send_after`, a cowboy handler's `init/2`, and
//! `init` of another arity, nor `init/1` of a module that calls
//! `gen_server:enter_loop` from it (a ranch-style connection process that
//! `proc_lib:spawn_link` starts without anyone waiting; started with
//! `proc_lib:start_link`, it is followed until `proc_lib:init_ack`).
//! When the blocking call is deep in another application's code, the
//! message names the call init/1 made into it ("inside
//! `z_db:table_exists/2`"): the database or broker round trip behind the
//! incidental call found below. Local resources are fine: `gen_tcp:listen`,
//! `gen_udp:open`, files, `ets`, `dets`. Tests, examples and fetched
//! dependencies are not roots.
//!
//! ## Why is this bad?
//!
//! Supervisors start their children one by one, and `init/1` is a promise:
//! when it returns, the process is in a known state the siblings started
//! after it can rely on. A remote database or service is not something a
//! process can promise. Connecting in `init/1` turns an ordinary network
//! failure into a boot failure: the supervisor restarts the child without
//! backoff, gives up after its restart intensity, and takes the node down.
//! A wait without a bound stalls the whole boot behind it, and a call to
//! yourself never returns.
//!
//! ## Example
//!
//! ```erlang
//! -module(db_conn).
//! -behaviour(gen_server).
//!
//! init([]) ->
//!     {ok, Sock} = gen_tcp:connect("db.internal", 5432, [binary]),
//!     {ok, #{sock => Sock}}.
//! ```
//!
//! is reported as
//!
//! ```text
//! warning[OTP001] blocking-init: `gen_tcp:connect/3` connects to another host, in init/1 of gen_server `db_conn`: db_conn:init/1 -> gen_tcp:connect/3
//! ```
//!
//! ## How to fix
//!
//! Start disconnected and connect afterwards, reconnecting with a backoff
//! and answering `{error, not_connected}` meanwhile:
//!
//! ```erlang
//! init([]) ->
//!     {ok, #{sock => undefined}, {continue, connect}}.
//!
//! handle_continue(connect, State) ->
//!     case gen_tcp:connect("db.internal", 5432, [binary]) of
//!         {ok, Sock} -> {noreply, State#{sock := Sock}};
//!         {error, _} -> erlang:send_after(1000, self(), reconnect), {noreply, State}
//!     end.
//! ```
//!
//! In a gen_statem, return `{ok, disconnected, Data, [{next_event, internal,
//! connect}]}`; in a gen_fsm or a `proc_lib` process, `self() ! connect` (for
//! the latter after `proc_lib:init_ack/1`). Each finding names the fix that
//! fits its behaviour and its call: a call to another process
//! (`gen_server:call`, `gen_event:call`) or a wait (`mnesia:wait_for_tables`)
//! moves to `{continue, post_init}` without retries, a `receive` becomes a
//! `handle_info/2` clause, and a `timer:sleep/1` becomes
//! `erlang:send_after/3` (a `state_timeout` in a gen_statem). If the dependency really is local and started
//! before (a registry started by an earlier sibling), suppress the finding
//! with a reason: `%% otpmap:ignore blocking-init <reason>`.
//!
//! ## Configuration
//!
//! ```erlang
//! {lint, [{blocking_calls, [{add, [{my_db, connect, '_'}, "my_http:get/2"]},
//!                           {remove, ["gen_server:call/*"]}]},
//!         {max_call_depth, 16}]}.
//! ```
//!
//! A function on the chain with syntax errors is named on the finding: the
//! result there is partial.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

mod listed_child;
mod monitored;
mod run_time_starts;

use listed_child::listed_child;
use monitored::{down_wait, Down, Spawned};
use run_time_starts::{RunTimeStarts, Texts};

use rayon::prelude::*;

use super::short;
use crate::diagnostic::Severity;
use crate::graph::calls::known::identity;
use crate::graph::calls::quiet::{Loud, Quiet};
use crate::graph::calls::{
    walk_fun_skipping, walk_reachable_skipping, CallTarget, Frame, Limits, Mfa, Step,
};
use crate::lint::boot_path::{registered_shown, BootPath, Verdict};
use crate::lint::config::MfaPattern;
use crate::lint::registry::RuleMeta;
use crate::lint::registry::{ChainEntry, Context, Finding};
use crate::syntax::condition::Condition;
use crate::syntax::{walk_expr, walk_function, Expr, ExprKind, Walk, WalkContext};

/// The rule.
pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "OTP001",
    name: "blocking-init",
    default_severity: Severity::Warning,
    source: include_str!("blocking_init.rs"),
    check: Some(check),
    reads_supervisors: false,
    finds: "calls in `init/1` (and before `proc_lib:init_ack`) that block on something outside the node or on another process",
};

/// What a blocking call waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A connection to another host.
    Connect,
    /// A synchronous request to another node or service.
    Request,
    /// A wait for a peer, a message, time or tables.
    Wait,
    /// A synchronous call to another process.
    Call,
    /// On the list because the configuration says so.
    Configured,
}

/// When a listed call blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Always,
    /// Unless the options argument (at this index) holds `{sync, false}`.
    Sync(usize),
    /// Only with the atom `infinity` as the argument at this index.
    Infinity(usize),
}

/// One entry of the blocking-call list.
#[derive(Debug, Clone)]
struct BlockingCall {
    pattern: MfaPattern,
    kind: Kind,
    when: When,
    /// What it does, for the message ("connects to another host").
    what: &'static str,
}

/// A built-in entry: module, function, arities (empty for any), kind,
/// when it blocks, what it does.
type Builtin = (
    &'static str,
    &'static str,
    &'static [u32],
    Kind,
    When,
    &'static str,
);

/// The built-in list.
const DEFAULT: &[Builtin] = {
    use Kind::*;
    use When::*;
    const HOST: &str = "connects to another host";
    // The message names the node a call goes to ([`requested_node`]).
    const REMOTE: &str = "makes a synchronous request to a node";
    const MULTI: &str = "makes a synchronous request to several nodes";
    const SERVICE: &str = "connects to a remote service before returning";
    const DNS: &str = "asks a DNS server (it waits for its answer)";
    &[
        ("gen_tcp", "connect", &[3, 4], Connect, Always, HOST),
        ("ssl", "connect", &[2, 3, 4], Connect, Always, HOST),
        ("gen_sctp", "connect", &[4, 5], Connect, Always, HOST),
        ("socket", "connect", &[2, 3], Connect, Always, HOST),
        (
            "net_kernel",
            "connect_node",
            &[1],
            Connect,
            Always,
            "connects to another node",
        ),
        (
            "net_adm",
            "ping",
            &[1],
            Connect,
            Always,
            "connects to another node",
        ),
        ("ssh", "connect", &[], Connect, Always, HOST),
        ("eldap", "open", &[], Connect, Always, HOST),
        ("ftp", "open", &[], Connect, Always, HOST),
        (
            "httpc",
            "request",
            &[1, 2],
            Request,
            Always,
            "makes a synchronous HTTP request",
        ),
        (
            "httpc",
            "request",
            &[4, 5],
            Request,
            Sync(3),
            "makes a synchronous HTTP request",
        ),
        ("rpc", "call", &[4, 5], Request, Always, REMOTE),
        ("rpc", "block_call", &[4, 5], Request, Always, REMOTE),
        ("rpc", "multicall", &[], Request, Always, MULTI),
        ("erpc", "call", &[], Request, Always, REMOTE),
        ("erpc", "multicall", &[], Request, Always, MULTI),
        ("gen_server", "multi_call", &[], Request, Always, MULTI),
        (
            "global",
            "sync",
            &[0],
            Request,
            Always,
            "waits for the other nodes",
        ),
        ("epgsql", "connect", &[], Request, Always, SERVICE),
        ("mysql", "start_link", &[], Request, Always, SERVICE),
        ("eredis", "start_link", &[], Request, Always, SERVICE),
        ("amqp_connection", "start", &[], Request, Always, SERVICE),
        (
            "gun",
            "await_up",
            &[],
            Request,
            Always,
            "waits for a remote connection",
        ),
        (
            "gun",
            "await",
            &[],
            Request,
            Always,
            "waits for a remote response",
        ),
        (
            "hackney",
            "request",
            &[],
            Request,
            Always,
            "makes a synchronous HTTP request",
        ),
        ("hackney", "connect", &[], Request, Always, HOST),
        (
            "ibrowse",
            "send_req",
            &[],
            Request,
            Always,
            "makes a synchronous HTTP request",
        ),
        ("emqtt", "connect", &[], Request, Always, SERVICE),
        ("mc_worker_api", "connect", &[], Request, Always, SERVICE),
        ("inet_res", "lookup", &[], Request, Always, DNS),
        ("inet_res", "resolve", &[], Request, Always, DNS),
        ("inet_res", "nslookup", &[], Request, Always, DNS),
        ("inet", "gethostbyname", &[], Request, Always, DNS),
        ("inet", "getaddr", &[], Request, Always, DNS),
        ("inet", "getaddrs", &[], Request, Always, DNS),
        ("timer", "sleep", &[1], Wait, Always, "sleeps"),
        (
            "gen_tcp",
            "accept",
            &[1, 2],
            Wait,
            Always,
            "waits for a peer to connect",
        ),
        (
            "gen_tcp",
            "recv",
            &[2, 3],
            Wait,
            Always,
            "waits for data from a peer",
        ),
        (
            "ssl",
            "transport_accept",
            &[1, 2],
            Wait,
            Always,
            "waits for a peer to connect",
        ),
        (
            "ssl",
            "handshake",
            &[],
            Wait,
            Always,
            "waits for a TLS handshake with a peer",
        ),
        (
            "ssl",
            "recv",
            &[2, 3],
            Wait,
            Always,
            "waits for data from a peer",
        ),
        (
            "mnesia",
            "wait_for_tables",
            &[2],
            Wait,
            Infinity(1),
            "waits without a bound for Mnesia tables",
        ),
        (
            "gen_server",
            "call",
            &[2, 3],
            Call,
            Always,
            "waits for another process",
        ),
        (
            "gen_statem",
            "call",
            &[2, 3],
            Call,
            Always,
            "waits for another process",
        ),
        (
            "gen_fsm",
            "sync_send_event",
            &[2, 3],
            Call,
            Always,
            "waits for another process",
        ),
        (
            "gen_fsm",
            "sync_send_all_state_event",
            &[2, 3],
            Call,
            Always,
            "waits for another process",
        ),
        (
            "gen_event",
            "call",
            &[3, 4],
            Call,
            Always,
            "waits for another process",
        ),
    ]
};

/// The blocking-call list: the built-in entries less those the
/// configuration removes, plus those it adds.
fn blocking_calls(add: &[MfaPattern], remove: &[MfaPattern]) -> Vec<BlockingCall> {
    let mut out = Vec::new();
    for &(m, f, arities, kind, when, what) in DEFAULT {
        let patterns: Vec<MfaPattern> = if arities.is_empty() {
            vec![MfaPattern::new(m, f, None)]
        } else {
            arities
                .iter()
                .map(|&a| MfaPattern::new(m, f, Some(a)))
                .collect()
        };
        for pattern in patterns {
            if remove.iter().any(|r| pattern.covered_by(r)) {
                continue;
            }
            out.push(BlockingCall {
                pattern,
                kind,
                when,
                what,
            });
        }
    }
    for p in add {
        out.push(BlockingCall {
            pattern: p.clone(),
            kind: Kind::Configured,
            when: When::Always,
            what: "is on the configured list of blocking calls",
        });
    }
    out
}

/// How the process at a root starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RootKind {
    Behaviour(&'static str),
    ProcLib,
}

/// Behaviours whose `init/1` runs while the supervisor waits.
const BEHAVIOURS: &[&str] = &[
    "gen_server",
    "gen_statem",
    "gen_fsm",
    "supervisor_bridge",
    "supervisor",
];

/// A function the walk starts from.
#[derive(Debug, Clone)]
struct Root {
    mfa: Mfa,
    kind: RootKind,
    /// The behaviour alias used, said in the finding's notes.
    alias: Option<String>,
}

impl Root {
    fn describe(&self) -> String {
        match self.kind {
            RootKind::Behaviour(b) => format!("in init/1 of {b} `{}`", self.mfa.module),
            RootKind::ProcLib => format!(
                "in special process `{}` before proc_lib:init_ack",
                self.mfa.module
            ),
        }
    }

    fn fix(&self, hit: &Hit) -> String {
        if hit.deadlock {
            return "do the work directly in init/1: a process cannot wait for its own answer"
                .to_owned();
        }
        fix_text(self.kind, hit.kind, hit.callee.as_deref())
    }
}

/// How to move a blocking call of `call`'s kind (`callee`, or `receive`
/// when `None`) out of the start of a process of `root`'s kind.
fn fix_text(root: RootKind, call: Kind, callee: Option<&str>) -> String {
    let sleep = callee == Some("timer:sleep/1");
    let receive = callee.is_none();
    // What the process does later, and the message or continue tag
    // that tells it to: a connection is retried, a call or a wait is
    // just moved after init/1.
    let (tag, act) = match call {
        Kind::Connect | Kind::Request | Kind::Configured => ("connect", "do this"),
        // A `receive` for a 'DOWN' waits for another process too.
        Kind::Call if receive => ("post_init", "wait"),
        Kind::Call => ("post_init", "make this call"),
        Kind::Wait if sleep => ("post_init", "do the work"),
        Kind::Wait => ("post_init", "wait"),
    };
    let retry = matches!(call, Kind::Connect | Kind::Request | Kind::Configured);
    let base = match root {
        RootKind::Behaviour("gen_server") if sleep => {
            return "do not sleep in init/1: return `{ok, State}` and schedule the work \
                    with `erlang:send_after(Delay, self(), post_init)`, handled in \
                    handle_info/2"
                .to_owned();
        }
        RootKind::Behaviour("gen_statem") if sleep => {
            return "do not sleep in init/1: return `{ok, State, Data, [{state_timeout, \
                    Delay, post_init}]}` and do the work when the timeout fires"
                .to_owned();
        }
        RootKind::Behaviour("gen_server") if receive => {
            "return `{ok, State}` from init/1 and handle the message in handle_info/2 \
             when it arrives"
                .to_owned()
        }
        RootKind::Behaviour("gen_server") if retry => {
            "return `{ok, State, {continue, connect}}` from init/1 and do this in \
             handle_continue/2 (or `self() ! connect` and handle_info/2), retrying with a \
             backoff and answering `{error, not_connected}` meanwhile"
                .to_owned()
        }
        RootKind::Behaviour("gen_server") => format!(
            "return `{{ok, State, {{continue, {tag}}}}}` from init/1 and {act} in \
             handle_continue/2 (or `self() ! {tag}` and handle_info/2), so that the \
             supervisor goes on with the next child meanwhile"
        ),
        RootKind::Behaviour("gen_statem") if receive => {
            "return from init/1 and handle the message as an `info` event when it arrives"
                .to_owned()
        }
        RootKind::Behaviour("gen_statem") if retry => {
            "start in a disconnected state: return `{ok, disconnected, Data, [{next_event, \
             internal, connect}]}` from init/1 and do this in that state, retrying with a \
             state_timeout"
                .to_owned()
        }
        RootKind::Behaviour("gen_statem") => format!(
            "return `{{ok, State, Data, [{{next_event, internal, {tag}}}]}}` from init/1 \
             and {act} when that event is handled"
        ),
        RootKind::Behaviour("gen_fsm") => {
            let retry = if retry {
                ", retrying with a backoff"
            } else {
                ""
            };
            format!(
                "send yourself `{tag}` (`self() ! {tag}`) from init/1 and {act} in \
                 handle_info/3{retry}"
            )
        }
        RootKind::Behaviour("supervisor") => format!(
            "a supervisor's init/1 should only return child specs: move this into a worker \
             that does it after its own init/1 (`{{continue, {tag}}}`)"
        ),
        RootKind::Behaviour(_) => format!(
            "return from init/1 first and let the started process {act} once it runs \
             (`self() ! {tag}`)"
        ),
        RootKind::ProcLib => {
            let retry = if retry {
                ", retrying with a backoff"
            } else {
                ""
            };
            format!(
                "call `proc_lib:init_ack/1` first and {act} afterwards (`self() ! {tag}` in \
                 the loop){retry}"
            )
        }
    };
    if sleep {
        format!("do not sleep: schedule the work with `erlang:send_after/3`; {base}")
    } else {
        base
    }
}

/// A blocking call found from a root.
#[derive(Debug, Clone)]
struct Hit {
    /// `m:f/a` of the blocking call; `None` for `receive`.
    callee: Option<String>,
    /// What sort of blocking it is (`Wait` for `receive`).
    kind: Kind,
    what: String,
    deadlock: bool,
    expr: Expr,
    file: String,
    chain: Vec<crate::graph::calls::ChainStep>,
    partial: Vec<Mfa>,
    /// Set for a call to a process this very walk started just before
    /// (`{ok, Pid} = conn:start_link(..)`): why it is running.
    started: Option<String>,
    /// The process a call is made to when the call names it through a
    /// variable whose value the walk knows (`gen_server:call(Name, ..)`
    /// reached with `Name = db`); `None` when it is written out.
    to: Option<Expr>,
    /// Whether an exit of the call is caught on the way to `init/1`
    /// ([`crate::graph::calls::Frame::caught`]).
    caught: bool,
}

impl Hit {
    /// The process a call to another process is made to: its known value,
    /// else as written.
    fn process(&self) -> Option<&Expr> {
        match &self.expr.kind {
            ExprKind::Call { args, .. } => self.to.as_ref().or(args.first()),
            _ => None,
        }
    }
}

/// Where a blocking expression is: file and byte range.
type Place<'w> = (&'w str, usize, usize);

/// A hit of the walk, the root reaching it by the shortest chain, and the
/// other roots reaching it.
type Reached<'w> = (&'w Root, &'w Hit, Vec<String>);

/// Runs the rule.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    check_with(cx, out, true);
}

/// Where the call-depth limit cut a root's walk: the call not entered.
type Cut = Option<(Mfa, crate::graph::calls::ChainStep)>;

/// The walk from every root: its hazards and where the depth limit cut it.
/// Shared with `start-order` ([`Context::init_walk`]).
pub(crate) struct Walked {
    roots: Vec<(Root, Vec<Hit>, Cut)>,
    max_depth: usize,
}

/// Walks every root, entering quiet functions too when `skip_quiet` is
/// false (to test that skipping them changes nothing).
pub(crate) fn walk(cx: &Context<'_>, skip_quiet: bool) -> Walked {
    let calls = blocking_calls(&cx.config.blocking_add, &cx.config.blocking_remove);
    let limits = Limits {
        max_depth: cx
            .config
            .max_call_depth
            .unwrap_or(Limits::default().max_depth),
        ..Limits::default()
    };
    let roots = roots(cx);
    // A function whose tokens, and its callees', name no listed call,
    // nor one that stops the walk, holds no hit: not entered.
    let mut loud = Loud::default();
    for c in &calls {
        loud.add_call(&c.pattern.module, c.pattern.function());
    }
    for (m, f) in STOPS {
        loud.add_call(m, Some(f));
    }
    // A call outside the project with the timeout `infinity` is a hazard
    // whatever its module: the atom marks the functions that may hold one.
    loud.add_last_argument("infinity");
    // A listed `erlang` function may be called without its module.
    let quiet = match calls.iter().any(|c| c.pattern.module == "erlang") || !skip_quiet {
        true => Quiet::default(),
        false => {
            let mfas: Vec<Mfa> = roots.iter().map(|r| r.mfa.clone()).collect();
            Quiet::new(&cx.code, &mfas, &loud)
        }
    };
    let listed: HashSet<&str, foldhash::fast::FixedState> =
        calls.iter().map(|c| c.pattern.module.as_str()).collect();
    // Each root's walk is its own (the parsed functions they share are
    // cached in `cx.code`): walked in parallel, merged in root order.
    let walked: Vec<(Root, Vec<Hit>, Cut)> = roots
        .into_par_iter()
        // One job per root: their walks differ a hundredfold in cost.
        .with_max_len(1)
        .map(|root| {
            let mut hits = Vec::new();
            let skip = |mfa: &Mfa| quiet.is_quiet(mfa);
            let compiled = |c: &Condition, file: &str| cx.build.holds_in(c, file);
            let visitor = Visitor {
                code: &cx.code,
                calls: &calls,
                listed: &listed,
                root: &root,
                limits,
                compiled: &compiled,
                spawned: false,
            };
            let summary = walk_reachable_skipping(
                &cx.code,
                &root.mfa,
                limits,
                &skip,
                &compiled,
                &mut |frame, e| visit(&visitor, frame, e, &mut hits),
            );
            (root, hits, summary.cut)
        })
        .collect();
    Walked {
        roots: walked,
        max_depth: limits.max_depth,
    }
}

/// The rule, entering quiet functions too when `skip_quiet` is false (to
/// test that skipping them changes nothing).
fn check_with(cx: &Context<'_>, out: &mut Vec<Finding>, skip_quiet: bool) {
    let fresh;
    let walked = if skip_quiet {
        cx.init_walk()
    } else {
        fresh = walk(cx, false);
        &fresh
    };
    let boot = cx.boot_path();
    // One finding per blocking expression; the shortest chain wins and the
    // other roots reaching it are named.
    // Borrowed from the walk: a hit holds its expression and chain, and
    // OTP's lib has thousands.
    let mut by_place: BTreeMap<Place<'_>, Reached<'_>> = BTreeMap::new();
    // Roots whose walk the call-depth limit cut: a blocking call below the
    // cut is not seen, so what is reported for them is partial.
    let mut cut: BTreeMap<Mfa, (Root, crate::graph::calls::ChainStep, String)> = BTreeMap::new();
    for (root, _, at) in &walked.roots {
        if let Some((callee, step)) = at {
            let why = format!(
                "the walk from {} stopped at the call-depth limit ({}) before {callee}, \
                     called at {}:{}: calls below it were not checked (raise \
                     {{max_call_depth, N}} in otpmap.config)",
                root.mfa, walked.max_depth, step.file, step.span.line
            );
            cut.insert(root.mfa.clone(), (root.clone(), step.clone(), why));
        }
    }
    for (root, hits, _) in &walked.roots {
        // A chain through code the default build does not compile (an
        // `-ifdef(TEST)` function) does not ship; another root may still
        // reach the same call through shipped code.
        for hit in hits.iter().filter(|h| shipped(cx, h)) {
            // A call the start order decides is safe, or is `start-order`'s.
            match start_order_verdict(boot, root, hit) {
                Verdict::Unknown => {}
                Verdict::Safe(why) => {
                    if cx.config.show_safe {
                        out.extend(safe_finding(cx, root, hit, &why));
                    }
                    continue;
                }
                Verdict::Later(_) => continue,
            }
            let key = (
                hit.file.as_str(),
                hit.expr.span.start as usize,
                hit.expr.span.end as usize,
            );
            match by_place.get_mut(&key) {
                None => {
                    by_place.insert(key, (root, hit, Vec::new()));
                }
                Some((r, h, others)) => {
                    if hit.chain.len() < h.chain.len() {
                        others.push(r.mfa.to_string());
                        *r = root;
                        *h = hit;
                    } else {
                        others.push(root.mfa.to_string());
                    }
                }
            }
        }
    }
    // One finding per init/1: its most serious hazard, the others in
    // notes. A hazard with its own suppression comment stays a finding of
    // its own, so that the comment suppresses it.
    let suppressed: HashSet<(String, u32)> = cx
        .suppressions()
        .iter()
        .filter(|s| {
            s.rules
                .iter()
                .any(|n| crate::lint::registry::find(n).is_some_and(|r| r.code == RULE.code))
        })
        .map(|s| (s.file.clone(), s.target_line))
        .collect();
    let mut by_root: BTreeMap<&Mfa, Vec<Reached<'_>>> = BTreeMap::new();
    for (_, (root, hit, others)) in by_place {
        if suppressed.contains(&(hit.file.clone(), hit.expr.span.line)) {
            if let Some(f) = finding(cx, root, hit, others) {
                out.push(f);
            }
            continue;
        }
        by_root
            .entry(&root.mfa)
            .or_default()
            .push((root, hit, others));
    }
    let mut prepared = Vec::new();
    for (mfa, mut group) in by_root {
        // A call the start order cannot place is named only when nothing
        // else is found: it is the least telling hazard of all.
        group.sort_by(|a, b| {
            (
                unplaced_local_call(a.1).is_some(),
                seriousness(a.1),
                a.1.chain.len(),
                &a.1.file,
                a.1.expr.span.start,
            )
                .cmp(&(
                    unplaced_local_call(b.1).is_some(),
                    seriousness(b.1),
                    b.1.chain.len(),
                    &b.1.file,
                    b.1.expr.span.start,
                ))
        });
        // Only calls to local processes the start order cannot place: an
        // info (see `unplaced_local_call`).
        let unplaced = group
            .iter()
            .all(|(_, h, _)| unplaced_local_call(h).is_some());
        let mut group = group.into_iter();
        let Some((root, hit, others)) = group.next() else {
            continue;
        };
        let Some(mut f) = finding(cx, root, hit, others) else {
            continue;
        };
        if let (true, Some(name)) = (unplaced, unplaced_local_call(hit)) {
            unplaced_finding(&mut f, root, hit, &name);
        }
        prepared.push((mfa, root, f, group));
    }
    // A process no tree starts: who does, and when. Each search is its
    // own, on rayon's threads: one reads up to hundreds of functions (5 ms
    // for a wx window of OTP's observer), and this was the lint's longest
    // stretch on one thread.
    let unplaced_behaviour = |root: &Root, f: &Finding| {
        f.severity != Severity::Info
            && matches!(root.kind, RootKind::Behaviour(_))
            && boot.run_time_only(&root.mfa.module).is_none()
    };
    let searched: BTreeSet<String> = prepared
        .iter()
        .filter(|(_, root, f, _)| unplaced_behaviour(root, f))
        .map(|(_, root, ..)| root.mfa.module.clone())
        .collect();
    let texts = Texts::new(cx);
    let searched: Vec<String> = searched.into_iter().collect();
    let searched: HashMap<String, Option<String>> = searched
        .into_par_iter()
        .with_max_len(1)
        .map(|module| {
            let how = RunTimeStarts::new(cx, &texts).of(&module);
            (module, how)
        })
        .collect();
    for (mfa, root, mut f, group) in prepared {
        if let Some(how) = boot.run_time_only(&root.mfa.module) {
            started_at_run_time(&mut f, root, &how);
        } else if let Some(Some(how)) = searched.get(&root.mfa.module) {
            if unplaced_behaviour(root, &f) {
                started_at_run_time(&mut f, root, how);
            }
        }
        if let Some((_, _, why)) = cut.remove(mfa) {
            f.partial = Some(match f.partial.take() {
                Some(p) => format!("{p}; {why}"),
                None => why,
            });
        }
        for (_, other, _) in group {
            let through = if other.chain.len() > 1 {
                let steps: Vec<String> =
                    other.chain.iter().map(|s| s.function.to_string()).collect();
                format!(", through {}", steps.join(" -> "))
            } else {
                String::new()
            };
            f.notes.push(format!(
                "also reached in this init/1: {} at {}:{}{through}",
                other.what, other.file, other.expr.span.line
            ));
        }
        out.push(f);
    }
    // A root with nothing found above the cut: what is below may hide a
    // hazard, so it is said, as an info at the call the walk did not enter.
    for (_, (root, step, why)) in cut {
        let Some(module) = cx.code.module(&step.function.module) else {
            continue;
        };
        if !cx.build.compiles(&step.file, step.span.line) {
            continue;
        }
        let mut f = Finding::new(
            &RULE,
            &module.index.file,
            step.span,
            format!(
                "calls {} were not followed to the end: a blocking call below this one would \
                 not be seen",
                root.describe()
            ),
        );
        f.severity = Severity::Info;
        f.partial = Some(why);
        out.push(f);
    }
}

/// Whether the default build compiles `hit` and every call on its chain.
fn shipped(cx: &Context<'_>, hit: &Hit) -> bool {
    cx.build.compiles(&hit.file, hit.expr.span.line)
        && hit
            .chain
            .iter()
            .all(|s| cx.build.compiles(&s.file, s.span.line))
}

/// What the start order says of a call to a registered process from
/// `init/1` of a behaviour (a deadlock and other hazards are not its
/// business).
fn start_order_verdict(boot: &BootPath, root: &Root, hit: &Hit) -> Verdict {
    if let Some(why) = &hit.started {
        return Verdict::Safe(why.clone());
    }
    match (hit.process(), root.kind) {
        (Some(to), RootKind::Behaviour(_)) if hit.kind == Kind::Call && !hit.deadlock => {
            match boot.judge(&root.mfa.module, to) {
                // Not registered yet: the call exits at once with `noproc`,
                // and a `catch` on the way lets init/1 go on (blockchain's
                // score cache retries later). A registered ancestor still
                // in init/1 makes it wait for its timeout, caught or not.
                Verdict::Later(later) if hit.caught && !later.registered => Verdict::Safe(format!(
                    "the call exits at once with noproc while it is not started ({}), and \
                     the exit is caught on the way to init/1",
                    later.why
                )),
                v => v,
            }
        }
        _ => Verdict::Unknown,
    }
}

/// The info `--show-safe` shows for a call the start order makes safe.
fn safe_finding(cx: &Context<'_>, root: &Root, hit: &Hit, why: &str) -> Option<Finding> {
    let mut f = finding(cx, root, hit, Vec::new())?;
    let to = hit
        .process()
        .map(|a| registered_shown(a).unwrap_or_else(|| short(a)));
    f.severity = Severity::Info;
    f.message = format!(
        "`{}` to `{}` {} is safe by OTP's start order: {why}",
        hit.callee.as_deref().unwrap_or("call"),
        to.unwrap_or_default(),
        root.describe()
    );
    f.fix = None;
    Some(f)
}

/// A synchronous call to a process registered locally by name (`db`, not
/// `{db, Node}` nor `{global, db}`) that the start order cannot judge:
/// the trees do not place the caller or the process called. Such a call
/// returns as soon as that process answers; it holds up the boot only if
/// the process is not started yet, which is `start-order`'s business and
/// here not known, so it is an info rather than a warning. (On 26 real
/// code bases, 38 of 43 false `blocking-init` warnings were such calls to
/// servers that run before in practice; see docs/lint.md.)
fn unplaced_local_call(hit: &Hit) -> Option<String> {
    if hit.kind != Kind::Call || hit.deadlock || hit.started.is_some() {
        return None;
    }
    hit.process()?
        .as_atom()
        .map(crate::syntax::print::atom_text)
}

/// The info for calls [`unplaced_local_call`] leaves unjudged.
fn unplaced_finding(f: &mut Finding, root: &Root, hit: &Hit, name: &str) {
    f.severity = Severity::Info;
    f.message = format!(
        "`{}` to the local process `{name}` {}: the supervision trees do not say \
         whether `{name}` is started before it, so the start order is not judged \
         (the call blocks the boot only while `{name}` is not running)",
        hit.callee.as_deref().unwrap_or("call"),
        root.describe()
    );
    f.fix = None;
}

/// A finding of an `init/1` that runs only at run time: it blocks the
/// caller of `start_child`, not the boot.
fn started_at_run_time(f: &mut Finding, root: &Root, how: &str) {
    f.severity = Severity::Info;
    f.message = format!(
        "{}; `{}` is {how}, so this blocks that caller, not the boot",
        f.message, root.mfa.module
    );
}

/// A call to a registered process from `init/1`, for `start-order`.
pub(crate) struct ProcessCall<'a> {
    /// The `init/1`.
    pub(crate) root: &'a Mfa,
    /// "in init/1 of gen_server `x`".
    pub(crate) root_text: String,
    /// `gen_server:call/2`.
    pub(crate) callee: &'a str,
    /// The call.
    pub(crate) expr: &'a Expr,
    /// The process called (the call's first argument, or the value the
    /// walk knows for it).
    pub(crate) to: Option<&'a Expr>,
    pub(crate) chain: &'a [crate::graph::calls::ChainStep],
}

impl Walked {
    /// The calls to another process that the default build makes from a
    /// behaviour's `init/1`, with the process they call as written.
    pub(crate) fn process_calls<'a>(&'a self, cx: &Context<'_>) -> Vec<(ProcessCall<'a>, Verdict)> {
        let boot = cx.boot_path();
        let mut out = Vec::new();
        for (root, hits, _) in &self.roots {
            for hit in hits.iter().filter(|h| shipped(cx, h)) {
                let Some(callee) = hit.callee.as_deref() else {
                    continue;
                };
                let verdict = start_order_verdict(boot, root, hit);
                if verdict == Verdict::Unknown {
                    continue;
                }
                out.push((
                    ProcessCall {
                        root: &root.mfa,
                        root_text: root.describe(),
                        callee,
                        expr: &hit.expr,
                        to: hit.process(),
                        chain: &hit.chain,
                    },
                    verdict,
                ));
            }
        }
        out
    }
}

/// How serious a hazard is, most serious first: a deadlock, a connect or
/// request to another host, a remote call, an unbounded wait, a sleep, a
/// call to a local process.
fn seriousness(hit: &Hit) -> u8 {
    if hit.deadlock {
        return 0;
    }
    match hit.kind {
        Kind::Connect => 1,
        Kind::Request => 2,
        Kind::Configured => 3,
        Kind::Wait if hit.callee.as_deref() == Some("timer:sleep/1") => 5,
        Kind::Wait => 4,
        Kind::Call => 6,
    }
}

/// The finding of one hazard reached from `root`; `others` are the other
/// roots reaching it.
fn finding(cx: &Context<'_>, root: &Root, hit: &Hit, others: Vec<String>) -> Option<Finding> {
    let here = hit.chain.last().map_or(&root.mfa, |s| &s.function);
    let module = cx.code.module(&here.module)?;
    let mut chain_text: Vec<String> = hit.chain.iter().map(|s| s.function.to_string()).collect();
    chain_text.push(hit.callee.clone().unwrap_or_else(|| "receive".to_owned()));
    let inside = entry_call(cx, root, hit)
        .map(|e| format!(", inside `{e}`"))
        .unwrap_or_default();
    let message = format!(
        "{}, {}{inside}: {}",
        hit.what,
        root.describe(),
        chain_text.join(" -> ")
    );
    let mut f = Finding::new(&RULE, &module.index.file, hit.expr.span, message);
    f.chain = hit.chain.iter().map(ChainEntry::from_step).collect();
    f.fix = Some(root.fix(hit));
    if let Some(alias) = &root.alias {
        f.notes.push(alias.clone());
    }
    if !hit.partial.is_empty() {
        let names: Vec<String> = hit.partial.iter().map(Mfa::to_string).collect();
        f.notes.push(format!(
            "partial result: {} had syntax errors, so calls in it may be missing",
            names.join(", ")
        ));
    }
    if !others.is_empty() {
        let mut others = others;
        others.sort();
        others.dedup();
        f.notes
            .push(format!("also reached from {}", others.join(", ")));
    }
    Some(f)
}

/// The operation init/1 asked for when the blocking call is deep in it:
/// the first function on the chain in another application (else in another
/// module), when the call is further down. `z_db:table_exists/2` says what
/// blocks (a database round trip) better than the incidental
/// `gen_server:call/3` found three calls below it.
fn entry_call(cx: &Context<'_>, root: &Root, hit: &Hit) -> Option<Mfa> {
    let app = |module: &str| cx.code.module(module).and_then(|m| m.app.clone());
    let root_app = app(&root.mfa.module);
    let steps = hit.chain.get(1..)?;
    let index = steps
        .iter()
        .position(|s| app(&s.function.module) != root_app)
        .or_else(|| {
            steps
                .iter()
                .position(|s| s.function.module != root.mfa.module)
        })?;
    (index + 1 < steps.len()).then(|| steps[index].function.clone())
}

/// The functions to walk: `init/1` of the behaviours above, and the
/// functions `proc_lib:start*` starts.
fn roots(cx: &Context<'_>) -> Vec<Root> {
    let mut roots: BTreeMap<Mfa, (RootKind, Option<String>)> = BTreeMap::new();
    // Every module's text is searched: a searcher built once (SIMD).
    let proc_lib_start = memchr::memmem::Finder::new("proc_lib:start");
    for m in cx.lint_modules() {
        let declared = cx.project.behaviours(m, cx.build.defines());
        let found = BEHAVIOURS
            .iter()
            .find_map(|b| Some((*b, declared.iter().find(|d| d.name == *b)?)));
        if let Some((b, declared)) = found {
            let init = Mfa::new(&m.name, "init", 1);
            if m.index.function_entry("init", 1).is_some() && !enters_loop(cx, &init) {
                let alias = declared.alias.as_ref().map(|a| a.describe());
                roots.insert(
                    Mfa::new(&m.name, "init", 1),
                    (RootKind::Behaviour(b), alias),
                );
            }
        }
        // Cheap text check first: only then parse the functions that start one.
        if proc_lib_start.find(m.index.file.text.as_bytes()).is_none() {
            continue;
        }
        for entry in &m.index.functions {
            let text = m.index.file.text.get(entry.range()).unwrap_or("");
            if proc_lib_start.find(text.as_bytes()).is_none() {
                continue;
            }
            let mfa = Mfa::new(&m.name, entry.name(), entry.arity);
            let Some(f) = cx.code.function(&mfa) else {
                continue;
            };
            walk_function(&f.function, &mut |e, _| {
                if let Some(started) = proc_lib_started(e) {
                    if cx.code.defines(&started) {
                        roots.insert(started, (RootKind::ProcLib, None));
                    }
                }
                Walk::Continue
            });
        }
    }
    roots
        .into_iter()
        .map(|(mfa, (kind, alias))| Root { mfa, kind, alias })
        .collect()
}

/// The node an `rpc:call`/`erpc:call` (or `block_call`) goes to, in words,
/// without claiming it is another node when that is not known: "node
/// `db@host`" for a name written out or known, "the node its caller
/// gives (`Node`)" for a parameter (ra passes `node()` two calls up, in a
/// tuple whose other part is not known, which the walk does not carry),
/// else "the node `Expr`". `node()`, written or passed down, is judged
/// before.
fn requested_node(
    code: &crate::graph::calls::Code<'_>,
    frame: &Frame<'_>,
    target: &CallTarget<'_>,
) -> Option<String> {
    let mfa = &target.mfa;
    if !matches!(mfa.module.as_str(), "rpc" | "erpc")
        || !matches!(mfa.function.as_str(), "call" | "block_call")
    {
        return None;
    }
    let written = target.args.first()?;
    let known = match &written.kind {
        ExprKind::Var(_) => frame.known(written),
        _ => None,
    };
    let node = known.as_ref().unwrap_or(written);
    if let Some(name) = node.as_atom() {
        return Some(format!("node `{}`", crate::syntax::print::atom_text(name)));
    }
    let ExprKind::Var(var) = &written.kind else {
        return Some(format!("the node `{}`", short(written)));
    };
    // A variable of the function's head: the caller chose the node.
    let parameter = code.function(frame.current).is_some_and(|f| {
        f.function.clauses.iter().any(|c| {
            let mut names = Vec::new();
            for p in &c.patterns {
                variable_names(p, &mut names);
            }
            names.iter().any(|n| n == var)
        })
    });
    Some(match parameter {
        true => format!("the node its caller gives (`{var}`)"),
        false => format!("the node `{var}`"),
    })
}

/// Whether `init` calls `gen_server:enter_loop` (or gen_statem's,
/// gen_fsm's, or a copy's) itself: then it is no callback that `gen_server:start_link`
/// runs while its caller waits (a callback returns `{ok, State}`), but the
/// body of a process started otherwise, like a ranch protocol's
/// `proc_lib:spawn_link(?MODULE, init, [Ref])`, which nobody waits for.
/// Started with `proc_lib:start_link`, it is a root of its own until
/// `proc_lib:init_ack`.
fn enters_loop(cx: &Context<'_>, init: &Mfa) -> bool {
    let Some(f) = cx.code.function(init) else {
        return false;
    };
    let mut found = false;
    walk_function(&f.function, &mut |e, _| {
        if let ExprKind::Call {
            module: Some(m),
            function,
            ..
        } = &e.kind
        {
            // Copies of gen_server (rabbit's gen_server2) keep the name.
            found |= m.as_atom().is_some() && function.as_atom() == Some("enter_loop");
        }
        Walk::Continue
    });
    found
}

/// `proc_lib:start_link(M, F, [A, ...])` (also `start`, `start_monitor`):
/// the function it runs, `M:F/N`.
fn proc_lib_started(e: &Expr) -> Option<Mfa> {
    let ExprKind::Call {
        module: Some(m),
        function,
        args,
    } = &e.kind
    else {
        return None;
    };
    if m.as_atom() != Some("proc_lib")
        || !matches!(
            function.as_atom(),
            Some("start" | "start_link" | "start_monitor")
        )
        || args.len() < 3
    {
        return None;
    }
    let ExprKind::List { elems, tail: None } = &args[2].kind else {
        return None;
    };
    Some(Mfa::new(
        args[0].as_atom()?,
        args[1].as_atom()?,
        u32::try_from(elems.len()).ok()?,
    ))
}

/// The calls that end a walk: past `init_ack` the starter has its
/// answer; `enter_loop` never returns.
const STOPS: &[(&str, &str)] = &[
    ("proc_lib", "init_ack"),
    ("gen_server", "enter_loop"),
    ("gen_statem", "enter_loop"),
    ("gen_fsm", "enter_loop"),
];

/// What the visitor of a walk reads besides the expression it is at.
struct Visitor<'a> {
    code: &'a crate::graph::calls::Code<'a>,
    calls: &'a [BlockingCall],
    /// The modules of `calls`: most calls the walk meets are into none
    /// of them, which one lookup tells without matching each pattern.
    listed: &'a HashSet<&'a str, foldhash::fast::FixedState>,
    root: &'a Root,
    limits: Limits,
    compiled: &'a dyn Fn(&Condition, &str) -> bool,
    /// True in the walk of the code a process spawned from the walk runs
    /// ([`spawned_hazard`]): the spawned process is not the one starting,
    /// and its own waits for 'DOWN' are not judged further.
    spawned: bool,
}

fn visit(v: &Visitor<'_>, frame: &Frame<'_>, e: &Expr, hits: &mut Vec<Hit>) -> Step {
    let (code, calls, root) = (v.code, v.calls, v.root);
    let mut hit = |callee: Option<String>, kind: Kind, what: String, deadlock: bool| {
        hits.push(Hit {
            callee,
            kind,
            what,
            deadlock,
            expr: e.clone(),
            file: frame.file.to_owned(),
            chain: frame.chain_to(e.span),
            partial: frame.partial.to_vec(),
            started: None,
            to: None,
            caught: frame.caught,
        });
    };
    match &e.kind {
        ExprKind::Receive { after, .. } => {
            let forever = match after {
                None => Some("`receive` without `after` waits forever for a message".to_owned()),
                Some(a) if a.timeout.as_atom() == Some("infinity") => {
                    Some("`receive ... after infinity` waits forever for a message".to_owned())
                }
                Some(a) => match &a.timeout.kind {
                    ExprKind::Var(name) if infinity_var(code, frame, e, name) => Some(format!(
                        "`receive ... after {name}` waits forever for a message: `{name}` is \
                         `infinity` here"
                    )),
                    _ => None,
                },
            };
            let Some(what) = forever else {
                return Step::Continue;
            };
            if before_stop(code, frame, e) || takes_timer(e) {
                return Step::Continue;
            }
            match down_wait(code, frame, e) {
                // A monitor always delivers its 'DOWN': this waits as long
                // as the monitored process lives, not forever.
                Some(Down::Gone) => {}
                Some(Down::Spawned { at, code: spawned }) if !v.spawned => {
                    if let Some(found) = spawned_hazard(v, frame, spawned) {
                        hit(
                            None,
                            found.kind,
                            format!(
                                "`receive` waits until the process spawned at {}:{} exits, and \
                                 in that process {} ({}:{})",
                                frame.file, at.line, found.what, found.file, found.expr.span.line
                            ),
                            false,
                        );
                    }
                }
                Some(Down::Spawned { .. }) => {}
                // A reference the function takes from the process it
                // started (`fun({Pid, Ref}) -> .. end` mapped over
                // `spawn_monitor` calls): judged as such a wait.
                Some(Down::Existing { .. }) if waits_on_started(code, frame, e) => {}
                Some(Down::Existing {
                    pid,
                    others,
                    spawned_at,
                }) => {
                    let whom = match (spawned_at, pid) {
                        (Some(at), _) => {
                            format!("the process spawned at {}:{}", frame.file, at.line)
                        }
                        (None, Some(p)) => format!("the monitored process `{p}`"),
                        (None, None) => "a monitored process".to_owned(),
                    };
                    let what = match others {
                        true => format!("`receive` waits until a message comes or {whom} exits"),
                        false => format!("`receive` waits until {whom} exits"),
                    };
                    hit(None, Kind::Call, what, false);
                }
                None => {
                    if !waits_on_started(code, frame, e) {
                        hit(None, Kind::Wait, what, false);
                    }
                }
            }
            Step::Continue
        }
        ExprKind::Call { .. } => {
            // The walk worked the target of the call it is at out already.
            let Some(target) = frame.call() else {
                return Step::Continue;
            };
            let mfa = &target.mfa;
            if STOPS
                .iter()
                .any(|(m, f)| mfa.module == *m && mfa.function == *f)
            {
                return Step::Stop;
            }
            if v.spawned {
                if let Some(what) = external_program(frame, target) {
                    hit(Some(mfa.to_string()), Kind::Wait, what, false);
                    return Step::SkipChildren;
                }
            }
            let entry = match v.listed.contains(mfa.module.as_str()) {
                true => calls
                    .iter()
                    .find(|c| c.pattern.matches(&mfa.module, &mfa.function, mfa.arity)),
                false => None,
            };
            let Some(entry) = entry else {
                if let Some(what) = unbounded_outside(code, target) {
                    hit(Some(mfa.to_string()), Kind::Wait, what, false);
                    return Step::SkipChildren;
                }
                return Step::Continue;
            };
            if !blocks(entry, target) {
                return Step::Continue;
            }
            // Named only for a call listed as blocking: most calls are not.
            let name = mfa.to_string();
            if entry.kind == Kind::Connect && local_bounded_connect(frame, target) {
                return Step::SkipChildren;
            }
            if entry.kind == Kind::Connect && connects_here(frame, target) {
                hit(
                    Some(name.clone()),
                    entry.kind,
                    format!(
                        "`{name}` connects to a server on this host without a timeout: the \
                         boot waits for it, and fails when it is not up"
                    ),
                    false,
                );
                return Step::SkipChildren;
            }
            if entry.kind == Kind::Call {
                if let Some(written) = target.args.first() {
                    // A name passed down as an argument is that name.
                    let known = match &written.kind {
                        ExprKind::Var(_) => frame.known(written),
                        _ => None,
                    };
                    let to = known.as_ref().unwrap_or(written);
                    if is_self(to) {
                        hit(
                            Some(name.clone()),
                            entry.kind,
                            format!(
                                "`{name}` to `self()` deadlocks: a process cannot answer its own \
                                 call (it exits with calling_self)"
                            ),
                            true,
                        );
                        return Step::SkipChildren;
                    }
                    if to.as_atom() == Some(root.mfa.module.as_str())
                        && matches!(root.kind, RootKind::Behaviour(_))
                    {
                        hit(
                            Some(name.clone()),
                            entry.kind,
                            format!(
                                "`{name}` to `{}` calls this very process (its name is \
                                 registered before init/1 runs), so it exits with calling_self",
                                root.mfa.module
                            ),
                            true,
                        );
                        return Step::SkipChildren;
                    }
                    let shown = match &known {
                        Some(k) => format!("`{}`, here `{}`", short(written), short(k)),
                        None => format!("`{}`", short(written)),
                    };
                    hit(
                        Some(name.clone()),
                        entry.kind,
                        format!("`{name}` {} ({shown})", entry.what),
                        false,
                    );
                    if let Some(last) = hits.last_mut() {
                        if let ExprKind::Var(v) = &written.kind {
                            last.started = started_before(code, frame, e, v)
                                .or_else(|| listed_child(code, frame, written));
                        }
                        last.to = known;
                    }
                    return Step::SkipChildren;
                }
            }
            // rpc and erpc to this very node still wait for the function,
            // run by another process: not another node.
            if matches!(mfa.module.as_str(), "rpc" | "erpc")
                && target
                    .args
                    .first()
                    .is_some_and(|n| frame.identity(n) == Some("node"))
            {
                hit(
                    Some(name.clone()),
                    Kind::Call,
                    format!(
                        "`{name}` to `node()` runs the function in another process of this \
                         node and waits for it"
                    ),
                    false,
                );
                return Step::SkipChildren;
            }
            if let Some(node) = requested_node(code, frame, target) {
                hit(
                    Some(name.clone()),
                    entry.kind,
                    format!("`{name}` makes a synchronous request to {node}"),
                    false,
                );
                return Step::SkipChildren;
            }
            // A sleep right before the process stops or raises delays a
            // failure; it does not hold up a boot that would succeed.
            if name == "timer:sleep/1" && before_stop(code, frame, e) {
                return Step::SkipChildren;
            }
            hit(
                Some(name.clone()),
                entry.kind,
                format!("`{name}` {}", entry.what),
                false,
            );
            Step::SkipChildren
        }
        _ => Step::Continue,
    }
}

/// The most serious hazard in the code a process spawned from the walk
/// runs (its fun, walked as code of the function spawning it, or its
/// function): what a wait for that process to exit waits for. Calls to
/// other processes are left out, as for a linked start
/// ([`linked_quiet_start`]); a fun that is not written there is not read.
fn spawned_hazard(v: &Visitor<'_>, frame: &Frame<'_>, spawned: Spawned) -> Option<Hit> {
    let inner = Visitor {
        spawned: true,
        ..*v
    };
    let mut hits = Vec::new();
    // Every function is entered: the external programs looked for here
    // do not make a function loud ([`Loud`]).
    let skip = |_: &Mfa| false;
    let mut visit_inner = |f: &Frame<'_>, e: &Expr| visit(&inner, f, e, &mut hits);
    match spawned {
        Spawned::Fun(clauses) => {
            walk_fun_skipping(
                v.code,
                frame.current,
                &clauses,
                v.limits,
                &skip,
                v.compiled,
                &mut visit_inner,
            );
        }
        Spawned::Function(mfa) => {
            walk_reachable_skipping(v.code, &mfa, v.limits, &skip, v.compiled, &mut visit_inner);
        }
        Spawned::Unknown => return None,
    }
    hits.into_iter()
        .filter(|h| h.kind != Kind::Call && !h.deadlock)
        .min_by_key(seriousness)
}

/// A call that runs an external program: `os:cmd`, or `open_port` of a
/// `{spawn, Command}` or `{spawn_executable, File}`. Judged only in the
/// code of a spawned process init/1 waits for: the process ends when the
/// program does.
fn external_program(frame: &Frame<'_>, target: &CallTarget<'_>) -> Option<String> {
    let mfa = &target.mfa;
    match (mfa.module.as_str(), mfa.function.as_str(), mfa.arity) {
        ("os", "cmd", 1 | 2) => Some(format!(
            "`{mfa}` runs an external program and waits for it to end"
        )),
        ("erlang", "open_port", 2) => {
            let name = frame
                .known(&target.args[0])
                .unwrap_or_else(|| target.args[0].clone());
            let ExprKind::Tuple(t) = &name.kind else {
                return None;
            };
            let how = t.first()?.as_atom()?;
            matches!(how, "spawn" | "spawn_executable" | "spawn_driver")
                .then(|| format!("`{mfa}` runs an external program with `{how}`"))
        }
        _ => None,
    }
}

/// Whether the variable `name`, the timeout of the `receive` at `e`, is
/// `infinity`: bound so in the current function (`T = infinity`), or a
/// parameter of the clause holding `e` to which the caller on the chain
/// passes the atom `infinity`.
fn infinity_var(
    code: &crate::graph::calls::Code<'_>,
    frame: &Frame<'_>,
    e: &Expr,
    name: &str,
) -> bool {
    let Some(current) = code.function(frame.current) else {
        return false;
    };
    let mut bound = false;
    walk_function(&current.function, &mut |x, _| {
        if let ExprKind::Match { pattern, value } = &x.kind {
            if matches!(&pattern.kind, ExprKind::Var(v) if v == name)
                && value.as_atom() == Some("infinity")
            {
                bound = true;
            }
        }
        Walk::Continue
    });
    if bound {
        return true;
    }
    let Some(index) = current.function.clauses.iter().find_map(|c| {
        let inside = c.span.encloses(e.span);
        let i = c
            .patterns
            .iter()
            .position(|p| matches!(&p.kind, ExprKind::Var(v) if v == name))?;
        inside.then_some(i)
    }) else {
        return false;
    };
    let Some(call) = frame.callers.last() else {
        return false;
    };
    let Some(caller) = code.function(&call.function) else {
        return false;
    };
    let mut passed = false;
    walk_function(&caller.function, &mut |x, _| {
        if let ExprKind::Call { args, .. } = &x.kind {
            if x.span.start == call.span.start
                && args.get(index).and_then(Expr::as_atom) == Some("infinity")
            {
                passed = true;
            }
        }
        Walk::Continue
    });
    passed
}

/// Why the process in variable `name`, called at `e`, is running: the
/// function making the call bound it earlier from a start function
/// (`{ok, Pid} = conn:start_link(..)`, `supervisor:start_child/2`), which
/// returns once the new process's `init/1` has. Such a call waits for a
/// process that is up, as one to an older sibling does.
fn started_before(
    code: &crate::graph::calls::Code<'_>,
    frame: &Frame<'_>,
    e: &Expr,
    name: &str,
) -> Option<String> {
    let current = code.function(frame.current)?;
    let clause = current
        .function
        .clauses
        .iter()
        .find(|c| c.span.encloses(e.span))?;
    let mut found = None;
    for x in &clause.body {
        if x.span.start >= e.span.start {
            break;
        }
        let ExprKind::Match { pattern, value } = &x.kind else {
            continue;
        };
        let binds = match &pattern.kind {
            ExprKind::Tuple(t) if t.len() == 2 && t[0].as_atom() == Some("ok") => {
                matches!(&t[1].kind, ExprKind::Var(v) if v == name)
            }
            _ => false,
        };
        let ExprKind::Call {
            module, function, ..
        } = &value.kind
        else {
            continue;
        };
        let starts = match (
            module.as_ref().and_then(|m| m.as_atom()),
            function.as_atom(),
        ) {
            (Some("supervisor"), Some("start_child")) => true,
            (_, Some(f)) => matches!(f, "start_link" | "start" | "start_monitor"),
            _ => false,
        };
        if let (true, true, Some(t)) = (binds, starts, frame.target(value)) {
            found = Some(format!(
                "`{name}` is started just before, by {} at {}:{}, which returns once its \
                 init/1 has",
                t.mfa, frame.file, x.span.line
            ));
        }
    }
    found
}

/// Every sequence of expressions of `function`: its clauses' bodies and
/// those of the `case`, `if`, `receive` (and its `after`), `try` and
/// `begin` blocks in it; with `funs`, those of the funs it writes too.
fn bodies(function: &crate::syntax::Function, funs: bool) -> Vec<&[Expr]> {
    let mut out: Vec<&[Expr]> = function.clauses.iter().map(|c| c.body.as_slice()).collect();
    walk_function(function, &mut |x, _| {
        match &x.kind {
            ExprKind::Case { clauses, .. } | ExprKind::If(clauses) => {
                out.extend(clauses.iter().map(|c| c.body.as_slice()));
            }
            ExprKind::Fun { clauses, .. } if funs => {
                out.extend(clauses.iter().map(|c| c.body.as_slice()));
            }
            ExprKind::Receive { clauses, after } => {
                out.extend(clauses.iter().map(|c| c.body.as_slice()));
                out.extend(after.iter().map(|a| a.body.as_slice()));
            }
            ExprKind::Try(t) => {
                let crate::syntax::ast::TryExpr {
                    body,
                    of_clauses,
                    catch_clauses,
                    after,
                } = &**t;
                out.push(body);
                out.push(after);
                out.extend(of_clauses.iter().map(|c| c.body.as_slice()));
                out.extend(catch_clauses.iter().map(|c| c.body.as_slice()));
            }
            ExprKind::Block(es) => out.push(es),
            _ => {}
        }
        Walk::Continue
    });
    out
}

/// Whether the expression that runs right after `e`, in the body holding
/// it (in the function being walked), stops the node or raises: `halt`,
/// `erlang:raise/3`, `error`, `exit/1`, `throw`; or the one right before
/// it stops the node (`init:stop`, `halt`): a wait there only waits for
/// the node to go down.
fn before_stop(code: &crate::graph::calls::Code<'_>, frame: &Frame<'_>, e: &Expr) -> bool {
    let Some(current) = code.function(frame.current) else {
        return false;
    };
    let bodies = bodies(&current.function, false);
    let holds = |x: &Expr| x.span.encloses(e.span);
    let stops = |x: &Expr, before: bool| {
        frame.target(x).is_some_and(|t| {
            let (m, f, a) = (t.mfa.module.as_str(), t.mfa.function.as_str(), t.mfa.arity);
            match (m, f, a) {
                ("erlang", "halt", _) => true,
                // After the wait: the wait delays a failure.
                ("erlang", "raise", 3) | ("erlang", "error", _) => before,
                ("erlang", "exit", 1) | ("erlang", "throw", 1) => before,
                // Before the wait: the node is already on its way down, and
                // the wait keeps this process from going on meanwhile.
                ("init", "stop", _) => !before,
                _ => false,
            }
        })
    };
    bodies.iter().any(|body| {
        body.windows(2)
            .any(|w| (holds(&w[0]) && stops(&w[1], true)) || (holds(&w[1]) && stops(&w[0], false)))
    })
}

/// Whether a connect goes to this very host (the loopback address,
/// `localhost`) with a finite timeout: it answers or fails within that
/// bound without the network, so it cannot hold up the boot beyond it
/// (a control client probing a local port, say).
fn local_bounded_connect(frame: &Frame<'_>, target: &CallTarget<'_>) -> bool {
    let mfa = &target.mfa;
    if !matches!(mfa.module.as_str(), "gen_tcp" | "ssl")
        || mfa.function != "connect"
        || target.args.len() != 4
    {
        return false;
    }
    let value = |a: &Expr| frame.known(a).unwrap_or_else(|| a.clone());
    value(&target.args[3])
        .as_integer()
        .is_some_and(|ms| ms >= 0)
        && is_loopback(&value(&target.args[0]))
}

/// Whether a `gen_tcp`/`ssl` connect goes to this very host.
fn connects_here(frame: &Frame<'_>, target: &CallTarget<'_>) -> bool {
    matches!(target.mfa.module.as_str(), "gen_tcp" | "ssl")
        && target.mfa.function == "connect"
        && target.args.len() >= 3
        && is_loopback(
            &frame
                .known(&target.args[0])
                .unwrap_or_else(|| target.args[0].clone()),
        )
}

/// `localhost`, `"localhost"`, `{127, _, _, _}`, `"127.0.0.1"`, `::1`.
fn is_loopback(host: &Expr) -> bool {
    match &host.kind {
        ExprKind::Atom(a) => a == "localhost",
        ExprKind::String(s) => s == "localhost" || s.starts_with("127.") || s == "::1",
        ExprKind::Tuple(t) if t.len() == 4 => t[0].as_integer() == Some(127),
        ExprKind::Tuple(t) if t.len() == 8 => t
            .iter()
            .enumerate()
            .all(|(i, x)| x.as_integer() == Some(i128::from(i == 7))),
        _ => false,
    }
}

/// Whether the `receive` at `e` waits for a process the function holding
/// it started linked or monitored (`Pid = spawn_link(..)` then a pattern
/// on `Pid`; a fun over `[spawn_monitor(..) || ..]` matching `{Pid,
/// Ref}`): like a call's, the wait ends when that process answers or
/// exits, and what it does runs in it, not in init/1.
fn waits_on_started(code: &crate::graph::calls::Code<'_>, frame: &Frame<'_>, e: &Expr) -> bool {
    let ExprKind::Receive { clauses, .. } = &e.kind else {
        return false;
    };
    let mut names = Vec::new();
    for p in clauses.iter().flat_map(|c| &c.patterns) {
        variable_names(p, &mut names);
    }
    names.retain(|n| !n.starts_with('_'));
    if names.is_empty() {
        return false;
    }
    let Some(current) = code.function(frame.current) else {
        return false;
    };
    let binds = |p: &Expr| {
        let mut bound = Vec::new();
        variable_names(p, &mut bound);
        bound.iter().any(|b| names.contains(b))
    };
    let mut found = false;
    walk_function(&current.function, &mut |x, _| {
        match &x.kind {
            ExprKind::Match { pattern, value }
                if x.span.end <= e.span.start
                    && binds(pattern)
                    && starts_linked(code, frame, &current.function, value, true) =>
            {
                found = true;
            }
            // `lists:map(fun({Pid, Ref}) -> receive .. end end, Spawned)`.
            ExprKind::Call { args, .. } => {
                let waiting_fun = args.iter().any(|a| match &a.kind {
                    ExprKind::Fun { clauses, .. } => {
                        a.span.start <= e.span.start
                            && e.span.end <= a.span.end
                            && clauses.iter().flat_map(|c| &c.patterns).any(&binds)
                    }
                    _ => false,
                });
                if waiting_fun
                    && args
                        .iter()
                        .any(|a| starts_linked(code, frame, &current.function, a, false))
                {
                    found = true;
                }
            }
            _ => {}
        }
        Walk::Continue
    });
    found
}

/// Whether `e` holds a call that starts a process linked or monitored
/// (`spawn_link`, `spawn_monitor`, `spawn_opt` with `link` or `monitor`,
/// also `proc_lib`'s) whose fun, as written in `function`, neither runs an
/// external command (`open_port`, `os:cmd`) nor makes a listed blocking
/// call: then waiting for it would wait for that. With `through`, also a
/// call to a project function each of whose clauses ends in one.
fn starts_linked(
    code: &crate::graph::calls::Code<'_>,
    frame: &Frame<'_>,
    function: &crate::syntax::Function,
    e: &Expr,
    through: bool,
) -> bool {
    let mut found = false;
    walk_expr(e, WalkContext::default(), &mut |x, _| {
        if matches!(x.kind, ExprKind::Call { .. }) && linked_quiet_start(frame, function, x) {
            found = true;
        }
        Walk::Continue
    });
    if found || !through {
        return found;
    }
    let Some(callee) = frame.target(e).and_then(|t| code.function(&t.mfa)) else {
        return false;
    };
    !callee.function.clauses.is_empty()
        && callee.function.clauses.iter().all(|c| {
            c.body
                .last()
                .is_some_and(|last| linked_quiet_start(frame, &callee.function, last))
        })
}

/// Whether `x` is a linked or monitored spawn whose fun (written there, or
/// bound to a variable in `function`) waits on nothing outside the node.
fn linked_quiet_start(frame: &Frame<'_>, function: &crate::syntax::Function, x: &Expr) -> bool {
    let Some(t) = frame.target(x) else {
        return false;
    };
    let linked = matches!(t.mfa.module.as_str(), "erlang" | "proc_lib")
        && match t.mfa.function.as_str() {
            "spawn_link" | "spawn_monitor" => true,
            "spawn_opt" => t.args.last().is_some_and(|o| {
                let mut atoms = Vec::new();
                walk_expr(o, WalkContext::default(), &mut |y, _| {
                    atoms.extend(y.as_atom().map(str::to_owned));
                    Walk::Continue
                });
                atoms.iter().any(|a| a == "link" || a == "monitor")
            }),
            _ => false,
        };
    if !linked {
        return false;
    }
    // The fun's body: written in the call, or bound to a variable before.
    let mut bodies: Vec<&Expr> = t.args.iter().collect();
    for a in t.args {
        if let ExprKind::Var(v) = &a.kind {
            walk_function(function, &mut |y, _| {
                if let ExprKind::Match { pattern, value } = &y.kind {
                    if matches!(&pattern.kind, ExprKind::Var(p) if p == v) {
                        bodies.push(value);
                    }
                }
                Walk::Continue
            });
        }
    }
    let mut waits = false;
    for body in bodies {
        walk_expr(body, WalkContext::default(), &mut |y, _| {
            if let Some(c) = frame.target(y) {
                let (m, f) = (c.mfa.module.as_str(), c.mfa.function.as_str());
                let blocking = DEFAULT
                    .iter()
                    .any(|b| b.0 == m && b.1 == f && b.3 != Kind::Call);
                if blocking || (m, f) == ("erlang", "open_port") || (m, f) == ("os", "cmd") {
                    waits = true;
                }
            }
            Walk::Continue
        });
    }
    !waits
}

/// Whether the `receive` at `e` has a clause for the message of a timer
/// (`{timeout, TRef, _}`, what `erlang:start_timer/3` sends): the wait is
/// bounded by that timer, as by an `after`.
fn takes_timer(e: &Expr) -> bool {
    let ExprKind::Receive { clauses, .. } = &e.kind else {
        return false;
    };
    clauses
        .iter()
        .flat_map(|c| &c.patterns)
        .any(|p| match &p.kind {
            ExprKind::Tuple(t) if t.len() == 3 => {
                t[0].as_atom() == Some("timeout")
                    && matches!(&t[1].kind, ExprKind::Var(v) if !v.starts_with('_'))
            }
            _ => false,
        })
}

/// The names of the variables in `e`.
fn variable_names(e: &Expr, out: &mut Vec<String>) {
    walk_expr(e, WalkContext::default(), &mut |x, _| {
        if let ExprKind::Var(v) = &x.kind {
            out.push(v.clone());
        }
        Walk::Continue
    });
}

/// OTP modules whose functions take `infinity` as a value (a default, a
/// setting, a bound to compare with), never as a time to wait: they read
/// or build data and return without waiting on a process or a peer.
const VALUE_MODULES: &[&str] = &[
    "erlang",
    "maps",
    "lists",
    "proplists",
    "dict",
    "orddict",
    "gb_trees",
    "gb_sets",
    "sets",
    "ordsets",
    "persistent_term",
    "ets",
    "application",
    "os",
    "string",
    "binary",
    "math",
    "io_lib",
    "calendar",
    "logger",
];

/// A call into code outside the project (a dependency's
/// `wait_for_ready(Name, infinity)`, a client's `call(Ref, Req,
/// infinity)`) whose last argument, where Erlang puts a timeout, is the
/// atom `infinity`: an unbounded wait on something otpmap cannot read.
fn unbounded_outside(
    code: &crate::graph::calls::Code<'_>,
    target: &CallTarget<'_>,
) -> Option<String> {
    let mfa = &target.mfa;
    if target.args.last()?.as_atom() != Some("infinity")
        || code.module(&mfa.module).is_some()
        || VALUE_MODULES.contains(&mfa.module.as_str())
    {
        return None;
    }
    Some(format!(
        "`{mfa}` is given the timeout `infinity`: it may wait without a bound for \
         something outside the project"
    ))
}

/// Whether a listed call blocks with these arguments.
fn blocks(entry: &BlockingCall, target: &CallTarget<'_>) -> bool {
    match entry.when {
        When::Always => true,
        When::Sync(i) => !target.args.get(i).is_some_and(has_sync_false),
        When::Infinity(i) => target
            .args
            .get(i)
            .is_some_and(|a| a.as_atom() == Some("infinity")),
    }
}

/// A literal option list holding `{sync, false}`.
fn has_sync_false(e: &Expr) -> bool {
    let ExprKind::List { elems, .. } = &e.kind else {
        return false;
    };
    elems.iter().any(|el| match &el.kind {
        ExprKind::Tuple(t) => {
            t.len() == 2 && t[0].as_atom() == Some("sync") && t[1].as_atom() == Some("false")
        }
        _ => false,
    })
}

/// `self()` or `erlang:self()`.
fn is_self(e: &Expr) -> bool {
    identity(e) == Some("self")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::TestLint;

    /// The fix fits the call: only connections are retried and answer
    /// `not_connected`; a call or a wait is moved after init/1; a
    /// `receive` becomes a message handler.
    #[test]
    fn fix_text_fits_the_kind_of_call() {
        let server = RootKind::Behaviour("gen_server");
        let statem = RootKind::Behaviour("gen_statem");
        let connect = fix_text(server, Kind::Connect, Some("gen_tcp:connect/3"));
        assert!(connect.contains("{continue, connect}") && connect.contains("not_connected"));
        let call = fix_text(server, Kind::Call, Some("gen_event:call/4"));
        assert!(call.contains("{continue, post_init}") && call.contains("make this call"));
        assert!(
            !call.contains("connect") && !call.contains("retry"),
            "{call}"
        );
        let receive = fix_text(server, Kind::Wait, None);
        assert!(receive.contains("handle_info/2") && !receive.contains("connect"));
        let sleep = fix_text(statem, Kind::Wait, Some("timer:sleep/1"));
        assert!(
            sleep.contains("state_timeout") && !sleep.contains("connect"),
            "{sleep}"
        );
        let wait = fix_text(statem, Kind::Wait, Some("mnesia:wait_for_tables/2"));
        assert!(wait.contains("next_event, internal, post_init") && wait.contains("and wait"));
        for root in [
            RootKind::Behaviour("gen_fsm"),
            RootKind::Behaviour("supervisor"),
            RootKind::ProcLib,
        ] {
            let t = fix_text(root, Kind::Call, Some("gen_server:call/2"));
            assert!(
                t.contains("post_init") && !t.contains("connect") && !t.contains("retry"),
                "{t}"
            );
            let t = fix_text(root, Kind::Connect, Some("ssl:connect/3"));
            assert!(t.contains("connect"), "{t}");
        }
    }

    /// The messages of the findings in `gen_server` module `m`, written
    /// as `text` after its head.
    fn messages(text: &str) -> Vec<String> {
        use crate::syntax::{index_module, SourceFile};
        let text = format!("-module(m).\n-behaviour(gen_server).\n{text}");
        let module = index_module(SourceFile::from_text("src/m.erl", text.as_str()));
        let project = crate::model::project_from_modules(vec![module]);
        let lint = TestLint::new(&project);
        let mut out = Vec::new();
        check(&lint.cx(), &mut out);
        out.iter()
            .map(|f| format!("{}: {}", f.line, f.message))
            .collect()
    }

    /// A `receive` for a monitor's 'DOWN' waits as long as the process
    /// lives: judged by what that process runs, and not at all after
    /// `exit(Pid, kill)` on the way to it.
    #[test]
    fn down_waits_are_judged_by_the_monitored_process() {
        // `spawn_opt` with `monitor`, a fun bound before: os:cmd there.
        let found = messages(
            "init(C) ->\n\
             F = fun() -> exit(os:cmd(C)) end,\n\
             {P, R} = spawn_opt(F, [monitor]),\n\
             receive {'DOWN', R, process, P, Out} -> {ok, Out} end.\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(
                "6: `receive` waits until the process spawned at src/m.erl:5 exits, and in \
                 that process `os:cmd/1` runs an external program"
            ),
            "{found:?}"
        );
        // A fun from the caller is not read: nothing to report.
        let found = messages(
            "init(F) ->\n{P, R} = spawn_monitor(F),\n\
             receive {'DOWN', R, process, P, Out} -> {ok, Out} end.\n",
        );
        assert!(found.is_empty(), "{found:?}");
        // The kill is in another branch: the wait is for a live process.
        let found = messages(
            "init(P) ->\nR = monitor(process, P),\n\
             case P of old -> exit(P, kill); _ -> P ! stop end,\n\
             receive {'DOWN', R, process, P, _} -> {ok, P} end.\n",
        );
        assert_eq!(
            found,
            [
                "6: `receive` waits until the monitored process `P` exits, in init/1 of \
              gen_server `m`: m:init/1 -> receive"
            ],
        );
        // Killed on the way: the 'DOWN' comes at once.
        let found = messages(
            "init(P) ->\nR = monitor(process, P),\n_ = exit(P, kill),\n\
             receive {'DOWN', R, process, P, _} -> {ok, P} end.\n",
        );
        assert!(found.is_empty(), "{found:?}");
        // In the branch that took its 'EXIT': gone, the 'DOWN' comes at
        // once. After another process's 'EXIT', P may still live.
        for (exited, waits) in [("P", false), ("Q", true)] {
            let found = messages(&format!(
                "init({{P, Q}}) ->\n_ = monitor(process, P),\nunlink(P),\n\
                 receive {{'EXIT', {exited}, Why}} ->\n\
                 receive {{'DOWN', _, process, P, _}} -> {{stop, Why}} end\n\
                 after 0 -> {{ok, Q}} end.\n"
            ));
            assert_eq!(found.len(), usize::from(waits), "{exited}: {found:?}");
            if waits {
                assert!(
                    found[0]
                        .starts_with("7: `receive` waits until the monitored process `P` exits"),
                    "{found:?}"
                );
            }
        }
    }

    /// A `receive` that takes a reply or the 'DOWN' of the monitor its
    /// clauses name (`gen:call`'s own wait, written by hand) ends at the
    /// latest when the process exits.
    #[test]
    fn a_reply_or_down_wait_is_a_wait_on_the_process() {
        let found = messages(
            "init(P) ->\nR = monitor(process, P),\nP ! {get, self(), R},\n\
             receive {R, Reply} -> {ok, Reply};\n\
             {'DOWN', R, process, P, Why} -> {stop, Why} end.\n",
        );
        assert_eq!(
            found,
            [
                "6: `receive` waits until a message comes or the monitored process `P` exits, \
                 in init/1 of gen_server `m`: m:init/1 -> receive"
            ],
        );
    }

    /// A process the function spawns may answer at any point of its code
    /// (`started`, then its work): a reply-or-'DOWN' wait for it is a
    /// wait on it, not on all of its code; and none when that code is
    /// quiet (a start handshake, as for a linked start).
    #[test]
    fn a_started_handshake_is_a_wait_on_the_spawned_process() {
        let init = |work: &str| {
            format!(
                "init(_) ->\nMe = self(),\n\
                 {{P, R}} = spawn_monitor(fun() -> Me ! started, {work} end),\n\
                 receive started -> {{ok, P}};\n\
                 {{'DOWN', R, process, _, Why}} -> {{stop, Why}} end.\n"
            )
        };
        assert_eq!(
            messages(&init("os:cmd(\"make\")")),
            [
                "6: `receive` waits until a message comes or the process spawned at src/m.erl:5 \
                 exits, in init/1 of gen_server `m`: m:init/1 -> receive"
            ],
        );
        let found = messages(&init("receive stop -> ok end"));
        assert!(found.is_empty(), "{found:?}");
    }

    /// A `receive` whose clauses name no monitor's 'DOWN' (another
    /// message beside a 'DOWN' of any reference, or a port's) still waits
    /// for a message without a bound.
    #[test]
    fn other_receives_still_wait_forever() {
        for clauses in [
            "{'DOWN', _, process, P, _} -> ok; {go, P} -> ok",
            "{'DOWN', R, port, P, _} -> ok",
        ] {
            let found = messages(&format!(
                "init(P) ->\nR = monitor(process, P),\nreceive {clauses} end,\n{{ok, P}}.\n"
            ));
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].starts_with("5: `receive` without `after` waits forever for a message"),
                "{found:?}"
            );
        }
    }

    /// Not entering quiet functions changes no finding, on every sample
    /// and lint fixture project.
    #[test]
    fn skipping_quiet_functions_changes_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = Vec::new();
        for parent in ["samples", "tests/fixtures/lint"] {
            for e in std::fs::read_dir(root.join(parent)).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                }
            }
        }
        dirs.sort();
        let mut findings = 0;
        for dir in &dirs {
            let Ok(project) = crate::load::load(dir, &Default::default()) else {
                continue;
            };
            let lint = TestLint::new(&project);
            let cx = lint.cx();
            let run = |skip: bool| {
                let mut out = Vec::new();
                check_with(&cx, &mut out, skip);
                out.iter()
                    .map(|f| {
                        format!(
                            "{}:{}:{} {} {:?}",
                            f.file, f.line, f.column, f.message, f.notes
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let skipping = run(true);
            assert_eq!(skipping, run(false), "{}", dir.display());
            findings += skipping.len();
        }
        // The corpus has blocking calls to find.
        assert!(findings > 5, "{findings} findings");
    }
}
