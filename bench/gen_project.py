#!/usr/bin/env python3
"""Writes a realistic rebar3 umbrella of OTP applications for the benchmark.

    bench/gen_project.py DIR SCALE [SEED]

SCALE 1 is about 7.5 MB of Erlang; the size grows linearly with SCALE.
Every application has an .app.src, an application callback, a top
supervisor (tuple or map child specs, sometimes a nested supervisor or a
simple_one_for_one pool), gen_servers, a gen_statem, library modules and a
header with records and macros. Apps depend on earlier apps; a few calls
cross into an app that is not declared and a few init/1 connect to a remote
service, so every command has something to report. The code is generated
here from word lists (no code is copied from anywhere); the same DIR, SCALE
and SEED give the same files byte for byte.
"""

import os
import random
import sys

APPS_PER_SCALE = 32
NOUNS = [
    "order", "invoice", "ledger", "account", "session", "cart", "parcel",
    "route", "quote", "tariff", "ticket", "booking", "stock", "batch",
    "meter", "reading", "alert", "report", "policy", "claim", "payout",
    "shipment", "carrier", "device", "sensor", "channel", "topic", "feed",
    "profile", "token", "audit", "metric", "export", "import", "catalog",
    "price", "coupon", "review", "vendor", "warehouse", "slot", "tenant",
]
VERBS = [
    "fetch", "store", "apply", "check", "merge", "split", "index", "render",
    "encode", "decode", "refresh", "expire", "notify", "settle", "reserve",
    "release", "validate", "normalise", "enrich", "compact", "archive",
]
FIELDS = [
    "id", "owner", "amount", "currency", "status", "created_at", "updated_at",
    "tags", "attempts", "region", "priority", "version", "note", "ref",
]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, xs):
        return self.r.choice(xs)

    def sample(self, xs, n):
        return self.r.sample(xs, min(n, len(xs)))

    def expr(self, vars_, depth=0):
        """A pure expression over the variables in scope."""
        r = self.r.random()
        v = self.pick(vars_)
        if depth > 2 or r < 0.25:
            return self.pick([v, str(self.r.randint(0, 5000)), "?DEFAULT_TIMEOUT",
                              "<<\"%s\">>" % self.pick(NOUNS), "undefined"])
        if r < 0.45:
            return "lists:map(fun(X) -> {X, %s} end, %s)" % (
                self.expr(vars_, depth + 1), v)
        if r < 0.6:
            return "maps:get(%s, %s, %s)" % (self.pick(FIELDS), v,
                                            self.expr(vars_, depth + 1))
        if r < 0.75:
            return "{%s, %s}" % (self.expr(vars_, depth + 1),
                                 self.expr(vars_, depth + 1))
        if r < 0.9:
            return "[%s | %s]" % (self.expr(vars_, depth + 1), v)
        return "erlang:max(%s, %s)" % (v, self.expr(vars_, depth + 1))

    def function(self, name, arity, calls):
        """A function with a few clauses and a body of several lines."""
        args = ["A%d" % i for i in range(arity)]
        clauses = []
        for c in range(self.r.randint(1, 3)):
            head = list(args)
            guard = ""
            if arity and c == 0 and self.r.random() < 0.5:
                head[0] = "#{%s := %s}" % (self.pick(FIELDS), "V" + args[0])
                guard = ""
            elif arity and self.r.random() < 0.4:
                guard = " when is_list(%s)" % args[0]
            lines = []
            vars_ = [a for a in head if a in args] or ["undefined"]
            for i in range(self.r.randint(2, 7)):
                var = "V%d_%d" % (c, i)
                if calls and self.r.random() < 0.3:
                    m, f, a = self.pick(calls)
                    call_args = ", ".join(self.expr(vars_, 2) for _ in range(a))
                    lines.append("%s = %s:%s(%s)" % (var, m, f, call_args))
                elif self.r.random() < 0.2:
                    lines.append(
                        "%s = case %s of\n"
                        "        [] -> ?LOG(\"empty %s\", []), [];\n"
                        "        [H%s | _] when is_map(H%s) -> maps:keys(H%s);\n"
                        "        Other%s -> Other%s\n"
                        "    end" % ((var, self.pick(vars_), self.pick(NOUNS)) + (var,) * 5))
                else:
                    lines.append("%s = %s" % (var, self.expr(vars_)))
                vars_.append(var)
            lines.append("{ok, %s}" % self.pick(vars_))
            body = ",\n    ".join(lines)
            clauses.append("%s(%s)%s ->\n    %s" % (name, ", ".join(head), guard, body))
        doc = "%%%% @doc %s the %s %s.\n" % (
            name.split("_")[0].capitalize(), self.pick(NOUNS), self.pick(["entries", "state", "records"]))
        return doc + ";\n".join(clauses) + ".\n"


def header(g, app, records):
    out = ["%%%% Records and macros shared by the modules of %s.\n" % app,
           "-ifndef(%s_HRL).\n-define(%s_HRL, true).\n\n" % (app.upper(), app.upper()),
           "-define(DEFAULT_TIMEOUT, %d).\n" % g.r.choice([1000, 5000, 15000]),
           "-define(LOG(Fmt, Args), logger:info(\"[%s] \" ++ Fmt, Args)).\n" % app,
           "-define(APP, %s).\n\n" % app]
    for rec in records:
        fields = g.sample(FIELDS, g.r.randint(3, 7))
        out.append("-record(%s, {%s}).\n" % (rec, ",\n        ".join(
            "%s = %s" % (f, g.pick(["undefined", "0", "[]", "#{}"])) for f in fields)))
    out.append("\n-endif.\n")
    return "".join(out)


def app_src(app, vsn, deps, mod):
    apps = ",\n                   ".join(["kernel", "stdlib", "sasl"] + deps)
    return ("{application, %s,\n [{description, \"The %s service\"},\n"
            "  {vsn, \"%s\"},\n  {registered, [%s_sup]},\n"
            "  {mod, {%s, []}},\n  {applications, [%s]},\n"
            "  {env, [{pool_size, 8}, {port, %d}]},\n  {licenses, [\"Apache-2.0\"]}\n ]}.\n"
            % (app, app.replace("_", " "), vsn, app, mod, apps, 4000 + len(app)))


def app_module(app):
    return ("-module(%s_app).\n-behaviour(application).\n\n-export([start/2, stop/1]).\n\n"
            "start(_Type, _Args) ->\n    %s_sup:start_link().\n\n"
            "stop(_State) ->\n    ok.\n" % (app, app))


def sup_module(g, app, workers, pool, sub):
    maps_form = g.r.random() < 0.5
    children = []
    for w in workers:
        if maps_form:
            children.append("#{id => %s, start => {%s, start_link, []}, restart => permanent, "
                            "shutdown => 5000, type => worker, modules => [%s]}" % (w, w, w))
        else:
            children.append("{%s, {%s, start_link, []}, permanent, 5000, worker, [%s]}" % (w, w, w))
    if pool:
        children.append("#{id => %s, start => {%s, start_link, []}, type => supervisor}" % (pool, pool))
    if sub:
        children.append("{%s, {%s, start_link, []}, permanent, infinity, supervisor, [%s]}" % (sub, sub, sub))
    flags = ("#{strategy => one_for_one, intensity => %d, period => %d}" % (g.r.randint(1, 10), g.r.choice([5, 10, 60]))
             if maps_form else "{one_for_all, %d, %d}" % (g.r.randint(1, 10), g.r.choice([5, 10, 60])))
    return ("-module(%s_sup).\n-behaviour(supervisor).\n\n-export([start_link/0, init/1]).\n\n"
            "start_link() ->\n    supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\n"
            "init([]) ->\n    Children = [\n        %s\n    ],\n    {ok, {%s, Children}}.\n"
            % (app, ",\n        ".join(children), flags))


def pool_sup(name, worker):
    return ("-module(%s).\n-behaviour(supervisor).\n\n-export([start_link/0, start_child/1, init/1]).\n\n"
            "start_link() ->\n    supervisor:start_link({local, ?MODULE}, ?MODULE, []).\n\n"
            "start_child(Args) ->\n    supervisor:start_child(?MODULE, [Args]).\n\n"
            "init([]) ->\n    {ok, {#{strategy => simple_one_for_one, intensity => 5, period => 10},\n"
            "          [#{id => %s, start => {%s, start_link, []}, restart => temporary}]}}.\n"
            % (name, worker, worker))


def functions(g, fewest, most, calls):
    """Between fewest and most exported helper functions with distinct
    name/arity pairs: their (name, arity) pairs and their code."""
    funs = []
    exports = []
    for _ in range(g.r.randint(fewest, most)):
        fname = "%s_%s" % (g.pick(VERBS), g.pick(NOUNS))
        arity = g.r.randint(0, 3)
        if (fname, arity) in exports:
            continue
        exports.append((fname, arity))
        funs.append(g.function(fname, arity, calls))
    return exports, funs


def gen_server(g, app, name, records, calls, blocking):
    rec = g.pick(records)
    init_body = "    process_flag(trap_exit, true),\n"
    if blocking:
        init_body += ("    {ok, Sock} = gen_tcp:connect(\"%s.internal\", %d, [binary, {active, false}]),\n"
                      "    {ok, #%s{}, Sock}.\n" % (g.pick(NOUNS), g.r.randint(1000, 9999), rec))
        init_body = init_body.replace("{ok, #%s{}, Sock}" % rec, "{ok, {#%s{}, Sock}}" % rec)
    else:
        init_body += "    self() ! refresh,\n    {ok, #%s{}}.\n" % rec
    exports, funs = functions(g, 4, 9, calls)
    api = "".join(
        "%s(%s) ->\n    gen_server:call(?MODULE, {%s%s}, ?DEFAULT_TIMEOUT).\n\n" % (
            "api_" + f, ", ".join("A%d" % i for i in range(a)), f,
            "".join(", A%d" % i for i in range(a)))
        for f, a in exports[:3])
    handles = "".join(
        "handle_call({%s%s}, _From, State) ->\n    {reply, %s(%s), State};\n" % (
            f, "".join(", A%d" % i for i in range(a)), f, ", ".join("A%d" % i for i in range(a)))
        for f, a in exports[:3])
    export_line = ", ".join("%s/%d" % ("api_" + f, a) for f, a in exports[:3])
    return ("-module(%s).\n-behaviour(gen_server).\n\n-include(\"%s.hrl\").\n\n"
            "-export([start_link/0, start_link/1%s]).\n"
            "-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).\n\n"
            "start_link() ->\n    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).\n\n"
            "start_link(Args) ->\n    gen_server:start_link(?MODULE, Args, []).\n\n"
            "%s"
            "init(_Args) ->\n%s\n"
            "%s"
            "handle_call(_Request, _From, State) ->\n    {reply, {error, unknown_call}, State}.\n\n"
            "handle_cast(_Msg, State) ->\n    {noreply, State}.\n\n"
            "handle_info(refresh, State) ->\n    erlang:send_after(?DEFAULT_TIMEOUT, self(), refresh),\n    {noreply, State};\n"
            "handle_info(_Info, State) ->\n    {noreply, State}.\n\n"
            "terminate(_Reason, _State) ->\n    ok.\n\n%s"
            % (name, app, (", " + export_line) if export_line else "", api, init_body, handles,
               "\n".join(funs)))


def statem(g, app, name, calls):
    states = g.sample(["idle", "connecting", "ready", "draining", "closed", "waiting"], 3)
    funs = "\n".join(g.function("%s_%s" % (g.pick(VERBS), g.pick(NOUNS)), g.r.randint(1, 2), calls)
                     for _ in range(g.r.randint(2, 5)))
    clauses = "".join(
        "%s(info, Msg, Data) ->\n    ?LOG(\"%s got ~p\", [Msg]),\n    {next_state, %s, Data};\n"
        "%s(_Type, _Event, Data) ->\n    {keep_state, Data}.\n\n" % (s, s, states[(i + 1) % 3], s)
        for i, s in enumerate(states))
    return ("-module(%s).\n-behaviour(gen_statem).\n\n-include(\"%s.hrl\").\n\n"
            "-export([start_link/0, init/1, callback_mode/0, %s]).\n\n"
            "start_link() ->\n    gen_statem:start_link({local, ?MODULE}, ?MODULE, [], []).\n\n"
            "callback_mode() ->\n    state_functions.\n\n"
            "init([]) ->\n    {ok, %s, #{}, [{next_event, internal, connect}]}.\n\n%s%s"
            % (name, app, ", ".join("%s/3" % s for s in states), states[0], clauses, funs))


def library(g, app, name, calls):
    exports, funs = functions(g, 6, 14, calls)
    return ("%%%% Helpers of %s.\n-module(%s).\n\n-include(\"%s.hrl\").\n\n-export([%s]).\n\n%s"
            % (app, name, app, ", ".join("%s/%d" % e for e in exports), "\n".join(funs)))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    out, scale = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    g = Gen(seed * 1000 + scale)
    n_apps = APPS_PER_SCALE * scale
    apps = []
    exported = {}  # app -> [(module, function, arity)]
    for i in range(n_apps):
        app = "%s_%s%d" % (g.pick(NOUNS), g.pick(["svc", "core", "api", "store", "sync"]), i)
        apps.append(app)
    for i, app in enumerate(apps):
        base = "%s/apps/%s" % (out, app)
        deps = g.sample(apps[max(0, i - 12):i], g.r.randint(0, 3))
        # Calls into declared apps, and now and then into one that is not.
        calls = [c for d in deps for c in exported.get(d, [])[:12]]
        if i > 20 and g.r.random() < 0.15:
            undeclared = g.pick(apps[:i - 12])
            calls += exported.get(undeclared, [])[:2]
        records = ["%s_%s" % (app.split("_")[0], g.pick(NOUNS)) for _ in range(g.r.randint(1, 3))]
        records = sorted(set(records))
        write("%s/include/%s.hrl" % (base, app), header(g, app, records))
        write("%s/src/%s.app.src" % (base, app), app_src(app, "1.%d.%d" % (g.r.randint(0, 9), i), deps, app + "_app"))
        write("%s/src/%s_app.erl" % (base, app), app_module(app))
        workers = ["%s_%s_srv" % (app, g.pick(NOUNS)) for _ in range(g.r.randint(2, 5))]
        workers = sorted(set(workers))
        pool = "%s_pool_sup" % app if g.r.random() < 0.4 else None
        sub = "%s_conn_sup" % app if g.r.random() < 0.3 else None
        own = []
        for j, w in enumerate(workers):
            blocking = g.r.random() < 0.05
            text = gen_server(g, app, w, records, calls, blocking)
            write("%s/src/%s.erl" % (base, w), text)
        if pool:
            write("%s/src/%s.erl" % (base, pool), pool_sup(pool, workers[0]))
        if sub:
            fsm = "%s_conn" % app
            write("%s/src/%s.erl" % (base, fsm), statem(g, app, fsm, calls))
            write("%s/src/%s.erl" % (base, sub),
                  sup_module(g, app, [fsm], None, None).replace("-module(%s_sup)" % app, "-module(%s)" % sub))
        write("%s/src/%s_sup.erl" % (base, app), sup_module(g, app, workers, pool, sub))
        for k in range(g.r.randint(18, 30)):
            lib = "%s_%s_%s" % (app, g.pick(NOUNS), g.pick(["lib", "util", "codec", "db", "cache"]))
            if os.path.exists("%s/src/%s.erl" % (base, lib)):
                continue
            text = library(g, app, lib, calls)
            write("%s/src/%s.erl" % (base, lib), text)
            for line in text.splitlines():
                if line.startswith("-export(["):
                    for e in line[len("-export(["):-3].split(", "):
                        f, a = e.split("/")
                        own.append((lib, f, int(a)))
        exported[app] = own
    write("%s/rebar.config" % out,
          "{erl_opts, [debug_info]}.\n{project_app_dirs, [\"apps/*\"]}.\n"
          "{deps, [{cowboy, \"2.10.0\"}, {jsx, \"3.1.0\"},\n"
          "        {recon, {git, \"https://example.com/recon.git\", {tag, \"2.5.3\"}}}]}.\n"
          "{relx, [{release, {bench, \"1.0.0\"}, [%s]}]}.\n" % ", ".join(apps[-5:]))


if __name__ == "__main__":
    main()
