//! Child resolution: from a start MFA `{M, F, A}`, run `M:F(A...)` until it
//! reaches an OTP start call (`supervisor:start_link/3`,
//! `gen_server:start_link/4`, `proc_lib:spawn_link/3`, ...) and read the
//! callback module, its behaviour, its registered name and the argument its
//! `init/1` gets.

use std::sync::Arc;

use crate::eval::value::{Loc, Process, StartKind, Val, Value};
use crate::eval::{alternatives, is_raise, Evaluator, StartChildEffect};
use crate::model::{Project, OTP_BEHAVIOURS};

/// What a start function turned out to start.
#[derive(Debug, Clone, Default)]
pub struct Started {
    /// The start call reached, if any.
    pub(crate) process: Option<Arc<Process>>,
    /// The callback module.
    pub(crate) callback: Option<String>,
    /// The behaviour: the callback's `-behaviour` that matches the start
    /// call, else the start call's module (`gen_event`, `proc_lib`).
    pub behaviour: Option<String>,
    /// The registered name in Erlang syntax (`{local,my_server}`).
    pub name: Option<String>,
    /// Why no start call was found.
    pub(crate) unresolved: Option<String>,
    /// Assumptions made on the way.
    pub(crate) notes: Vec<String>,
    /// `supervisor:start_child/2` calls the start function made after
    /// starting its process (children it adds at boot).
    pub(crate) effects: Vec<StartChildEffect>,
    /// Set when the start function hands over to a module that is not in
    /// the project (a dependency such as `gen_server2` or `poolboy`): the
    /// call, as `gen_server2:start_link/4`.
    pub(crate) external: Option<String>,
    /// Set when the start function returns `ignore` (on every branch, or
    /// in the default build): by design no process is started, which is
    /// known, not unresolved. The text says when.
    pub(crate) ignored: Option<String>,
}

impl Started {
    /// True when the process is an OTP supervisor.
    pub(crate) fn is_supervisor(&self) -> bool {
        self.process
            .as_ref()
            .is_some_and(|p| p.kind == StartKind::Supervisor)
            && self.callback.is_some()
    }
}

/// The process a start call's result holds: `{ok, Pid}`, `{ok, Pid, Info}`
/// or a pid.
pub(crate) fn find_process(v: &Val) -> Result<Arc<Process>, String> {
    match v.kind() {
        Value::Pid(p) => Ok(p.clone()),
        Value::Tuple(es) if (2..=3).contains(&es.len()) && es[0].as_atom() == Some("ok") => {
            find_process(&es[1])
        }
        Value::Alt(alts) => {
            let found: Vec<(bool, Arc<Process>)> = alts
                .iter()
                .filter_map(|(c, x)| Some((c.default == Some(true), find_process(x).ok()?)))
                .collect();
            found
                .iter()
                .find(|(d, _)| *d)
                .or(found.first())
                .map(|(_, p)| p.clone())
                .ok_or_else(|| match crate::eval::words::unknown_reasons(v) {
                    Some(reasons) => reasons,
                    None => format!(
                        "no branch returns a started process: {}",
                        crate::eval::words::value(v)
                    ),
                })
        }
        Value::Unknown(u) if is_raise(v) => Err(format!("the start function {}", u.reason)),
        Value::Unknown(u) => Err(u.describe()),
        _ => Err(format!(
            "returns {}, not a started process",
            crate::eval::words::value(v)
        )),
    }
}

/// When a start function's result is `ignore` and no process: "always"
/// when every branch that returns gives `ignore`, else the default build's
/// condition. A supervisor starts nothing for such a child, by design.
fn returns_ignore(v: &Val) -> Option<String> {
    let is_ignore = |x: &Val| x.as_atom() == Some("ignore");
    let branches: Vec<_> = alternatives(v, 64)
        .into_iter()
        .filter(|(_, x)| !is_raise(x))
        .collect();
    if branches.is_empty() {
        return None;
    }
    if branches.iter().all(|(_, x)| is_ignore(x)) {
        return Some("always".to_owned());
    }
    v.default_view().filter(is_ignore)?;
    let when: Vec<&str> = branches
        .iter()
        .find(|(path, x)| is_ignore(x) && path.iter().all(|c| c.default == Some(true)))
        .map(|(path, _)| path.iter().map(|c| c.text.as_str()).collect())
        .unwrap_or_default();
    Some(if when.is_empty() {
        "in the default build".to_owned()
    } else {
        format!("in the default build, where {}", when.join(" and "))
    })
}

/// The behaviours a module implements, clones of OTP behaviours taken as
/// the original (`Project::behaviours`, which the lint uses too).
pub(crate) fn declared_behaviours(project: &Project, module: &str) -> Vec<String> {
    project
        .module_behaviours(module)
        .into_iter()
        .map(|b| b.name)
        .collect()
}

/// The process behaviour `module` declares, if any: an OTP behaviour, a
/// clone taken as one, or a behaviour from outside the project (a
/// dependency's `gen_server` look-alike, whose source is not read). A
/// behaviour the project defines and does not clone from OTP is a plug-in
/// interface (`-behaviour(my_pipe)`): it says which callbacks the module
/// exports, not what kind of process it runs, so it is not one.
fn process_behaviour(project: &Project, module: &str) -> Option<String> {
    declared_behaviours(project, module)
        .into_iter()
        .find(|b| is_process_behaviour(project, b))
}

fn is_process_behaviour(project: &Project, behaviour: &str) -> bool {
    OTP_BEHAVIOURS.contains(&behaviour) || project.sources.module(behaviour).is_none()
}

/// "supervisor2 taken as supervisor (...)" for each alias `module`'s
/// behaviours went through.
fn alias_notes(project: &Project, module: &str) -> Vec<String> {
    project
        .module_behaviours(module)
        .iter()
        .filter_map(|b| b.alias.as_ref().map(|a| a.describe()))
        .collect()
}

/// Describes the process a start call started.
pub(crate) fn describe(project: &Project, p: Arc<Process>) -> Started {
    let callback = p.callback.as_atom().map(str::to_owned);
    let declared = callback
        .as_deref()
        .map(|m| declared_behaviours(project, m))
        .unwrap_or_default();
    let kind_name = p.kind.as_str();
    let behaviour = match p.kind {
        StartKind::Supervisor
        | StartKind::SupervisorBridge
        | StartKind::GenServer
        | StartKind::GenStatem
        | StartKind::GenFsm
        | StartKind::GenEvent => Some(kind_name.to_owned()),
        StartKind::ProcLib | StartKind::Spawn => declared
            .iter()
            .find(|b| is_process_behaviour(project, b))
            .cloned()
            .or_else(|| (p.kind == StartKind::ProcLib).then(|| "proc_lib".to_owned())),
    };
    let mut notes = callback
        .as_deref()
        .map(|m| alias_notes(project, m))
        .unwrap_or_default();
    if let (
        Some(cb),
        StartKind::GenServer | StartKind::GenStatem | StartKind::GenFsm | StartKind::Supervisor,
    ) = (&callback, p.kind)
    {
        if !declared.is_empty() && !declared.iter().any(|d| d == kind_name) {
            notes.push(format!(
                "{cb} is started by {} but declares -behaviour({})",
                p.call,
                declared.join(", ")
            ));
        }
    }
    let unresolved = match (&callback, p.kind) {
        (None, StartKind::GenEvent) => None,
        (None, _) => Some(match p.callback.as_unknown() {
            Some(u) => format!("callback module of {}: {}", p.call, u.describe()),
            None => format!("callback module of {} not known", p.call),
        }),
        _ => None,
    };
    Started {
        callback: callback.or_else(|| (p.kind == StartKind::GenEvent).then(|| "gen_event".into())),
        behaviour,
        name: p.name.as_ref().map(Val::to_erlang),
        unresolved,
        notes,
        process: Some(p),
        effects: Vec::new(),
        external: None,
        ignored: None,
    }
}

/// The note a start function gets when a bound cut its evaluation on the
/// default build's path after it added children at boot
/// (`supervisor:start_child/2` in a loop over a list, scalaris'
/// `sup:add_childs/3`): the children it adds past that point are missing,
/// and the tree says so instead of ending silently.
pub(crate) fn effects_cut_note(
    ev: &Evaluator<'_, '_>,
    start: &str,
    effects: &[crate::eval::StartChildEffect],
) -> Option<String> {
    let first = ev.first_effects_limit.as_ref()?;
    (!effects.is_empty()).then(|| {
        format!(
            "{}: {start} was only partly evaluated ({first}); children it adds at boot \
             after that point may be missing",
            crate::eval::EVALUATION_LIMIT
        )
    })
}

/// Runs the start function `module:function(args)` and describes what it
/// starts. When no start call is reached but `module` declares
/// `-behaviour(supervisor)`, it is taken as the supervisor's callback
/// module (said in the notes).
pub(crate) fn resolve(
    ev: &mut Evaluator<'_, '_>,
    project: &Project,
    module: &str,
    function: &str,
    args: Option<Vec<Val>>,
    at: Option<Loc>,
) -> Started {
    let mut effects = Vec::new();
    let mut assumed = Vec::new();
    let mut external = None;
    let mut ignored = None;
    let result = match args {
        Some(args) => {
            let arity = args.len();
            ev.begin();
            let v = ev.call(module, function, args, at.clone());
            effects = std::mem::take(&mut ev.start_child_effects);
            assumed = std::mem::take(&mut ev.assumed);
            let start = format!("{module}:{function}/{arity}");
            assumed.extend(effects_cut_note(ev, &start, &effects));
            external = v
                .default_view()
                .unwrap_or_else(|| v.clone())
                .as_unknown()
                .and_then(|u| u.external.clone());
            ignored = returns_ignore(&v);
            find_process(&v)
        }
        None => Err("start arguments not known".to_owned()),
    };
    match result {
        Ok(p) => {
            let mut s = Started {
                effects,
                ..describe(project, p)
            };
            s.notes.extend(assumed);
            s
        }
        Err(_) if ignored.is_some() => Started {
            behaviour: process_behaviour(project, module),
            ignored,
            effects,
            notes: assumed,
            ..Started::default()
        },
        Err(reason) => {
            let declared = declared_behaviours(project, module);
            let mut s = Started {
                behaviour: process_behaviour(project, module),
                ..Started::default()
            };
            if declared.iter().any(|d| d == "supervisor") {
                s.callback = Some(module.to_owned());
                s.notes.extend(alias_notes(project, module));
                s.notes.push(format!(
                    "start call not followed ({reason}); assumed {module} is the supervisor \
                     callback (it declares -behaviour(supervisor)), init/1 argument not known"
                ));
                s.process = Some(Arc::new(Process {
                    kind: StartKind::Supervisor,
                    call: "supervisor:start_link/3 (assumed)".to_owned(),
                    callback: Val::atom(module, at.clone()),
                    arg: Some(Val::unknown(
                        format!("init/1 argument not known ({reason})"),
                        at.clone(),
                    )),
                    name: None,
                    loc: at,
                }));
            } else {
                if !declared.is_empty() && ev.code.has_module(module) {
                    s.callback = Some(module.to_owned());
                }
                s.unresolved = Some(format!(
                    "start {}:{function}: {reason}",
                    crate::syntax::print::atom_text(module)
                ));
                s.external = external;
            }
            s
        }
    }
}
