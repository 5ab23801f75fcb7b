//! The OTP start functions (`gen_server:start_link`, `supervisor:start_link`,
//! `proc_lib`...): the process they start, as a [`Process`].

use std::sync::Arc;

use super::super::value::{Loc, Process, StartKind, Val, Value};

/// An OTP start function: the pid it returns, as a [`Process`].
pub(super) fn start_call(m: &str, f: &str, args: &[Val], at: &Option<Loc>) -> Option<Val> {
    let loc = at.clone();
    let n = args.len();
    let kind = match (m, f) {
        ("supervisor", "start_link") if n == 2 || n == 3 => StartKind::Supervisor,
        ("supervisor_bridge", "start_link" | "start") if n == 2 || n == 3 => {
            StartKind::SupervisorBridge
        }
        ("gen_server", "start_link" | "start" | "start_monitor") if n == 3 || n == 4 => {
            StartKind::GenServer
        }
        ("gen_statem", "start_link" | "start" | "start_monitor") if n == 3 || n == 4 => {
            StartKind::GenStatem
        }
        ("gen_fsm", "start_link" | "start") if n == 3 || n == 4 => StartKind::GenFsm,
        ("gen_event", "start_link" | "start" | "start_monitor") if n <= 2 => StartKind::GenEvent,
        ("proc_lib", "start_link" | "start" | "start_monitor") if (3..=5).contains(&n) => {
            StartKind::ProcLib
        }
        ("proc_lib", "spawn_link" | "spawn" | "spawn_opt") if (1..=5).contains(&n) => {
            StartKind::ProcLib
        }
        ("erlang", "spawn_link" | "spawn" | "spawn_opt" | "spawn_monitor") => StartKind::Spawn,
        _ => return None,
    };
    let call = format!("{m}:{f}/{n}");
    let unknown_cb = || Val::unknown("process started from a fun", loc.clone());
    let (name, callback, arg) = match kind {
        StartKind::Supervisor | StartKind::SupervisorBridge => match args {
            [name, cb, a] => (Some(name.clone()), cb.clone(), Some(a.clone())),
            [cb, a] => (None, cb.clone(), Some(a.clone())),
            _ => return None,
        },
        StartKind::GenServer | StartKind::GenStatem | StartKind::GenFsm => match args {
            [name, cb, a, _] => (Some(name.clone()), cb.clone(), Some(a.clone())),
            [cb, a, _] => (None, cb.clone(), Some(a.clone())),
            _ => return None,
        },
        StartKind::GenEvent => {
            let name = args.first().filter(|a| a.as_tuple().is_some()).cloned();
            (name, Val::atom("gen_event", loc.clone()), None)
        }
        StartKind::ProcLib | StartKind::Spawn => {
            let start = f.starts_with("start");
            let listy = |v: &Val| matches!(v.kind(), Value::List(_) | Value::Str(_));
            match args {
                // spawn(Node, M, F, A) and spawn_opt(M, F, A, Opts) both have 4.
                [_node, m, _f, a, ..] if !start && !listy(&args[2]) => {
                    (None, m.clone(), Some(a.clone()))
                }
                [m, _f, a, ..] => (None, m.clone(), Some(a.clone())),
                _ => (None, unknown_cb(), None),
            }
        }
    };
    let pid = Val::new(
        Value::Pid(Arc::new(Process {
            kind,
            call,
            callback,
            arg,
            name,
            loc: loc.clone(),
        })),
        loc.clone(),
    );
    Some(match kind {
        StartKind::ProcLib if f.starts_with("spawn") => pid,
        StartKind::Spawn => pid,
        _ => Val::tuple(vec![Val::atom("ok", loc.clone()), pid], loc),
    })
}
