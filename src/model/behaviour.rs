//! Behaviours, look-alikes included: the one place that says which
//! behaviours a module implements. A module written against a clone of an
//! OTP behaviour (`-behaviour(gen_server2)`, `-behaviour(supervisor2)`) is
//! treated as implementing the original, so `blocking-init` checks its
//! `init/1` and `tree` reads its supervisor's `init/1`. A clone is known
//! from `{behaviour_aliases, [{Clone, Behaviour}]}` in `otpmap.config` or
//! rebar.config's `{otpmap, [...]}`, from its source when the project has
//! it (a copy of `supervisor`, or a process started through `gen:start` or
//! `proc_lib` that calls back `Mod:init/1`), else from a built-in table of
//! well-known clones.

use std::collections::BTreeMap;

use serde::Serialize;

use super::sources::{ModuleSource, Sources};
use super::tool_config::ToolConfig;
use crate::config::term::Term;
use crate::diagnostic::{Diagnostic, Severity};

/// The OTP behaviours a clone can stand for.
pub(crate) const OTP_BEHAVIOURS: &[&str] = &[
    "gen_server",
    "gen_statem",
    "gen_fsm",
    "gen_event",
    "supervisor",
    "supervisor_bridge",
];

/// Well-known clones, each checked against its published source: a copy
/// or drop-in replacement of the OTP module, same callbacks, same
/// `init/1` return shape.
const BUILT_IN: &[(&str, &str)] = &[
    // ProcessOne's p1_utils: drop-in replacements with overload options.
    ("p1_server", "gen_server"),
    ("p1_fsm", "gen_fsm"),
    // RabbitMQ: copies of R13B's gen_server and R16B's supervisor.
    ("gen_server2", "gen_server"),
    ("supervisor2", "supervisor"),
    // RabbitMQ: a supervisor whose children are shared by a group of
    // nodes; start_link(Group, Mod, Args), init/1 as supervisor's.
    ("mirrored_supervisor", "supervisor"),
    // Riak core's copy of gen_server (from gen_server2).
    ("riak_core_gen_server", "gen_server"),
    // Partisan's gen_server fork that sends over its own transport.
    ("partisan_gen_server", "gen_server"),
    // Klarna's supervisor3 (a copy of supervisor) as vendored by brod.
    ("brod_supervisor3", "supervisor"),
    ("supervisor3", "supervisor"),
    // gen_fsm kept alive after its deprecation.
    ("gen_fsm_compat", "gen_fsm"),
];

/// Where an alias comes from, as the output says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub(crate) enum AliasOrigin {
    /// `{behaviour_aliases, ...}` in this configuration file.
    Config { file: String },
    /// Recognised from the clone's source file.
    Source { file: String },
    /// otpmap's table of well-known clones.
    BuiltIn,
}

/// One look-alike: the clone and the OTP behaviour it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BehaviourAlias {
    clone: String,
    pub(crate) behaviour: String,
    #[serde(flatten)]
    origin: AliasOrigin,
}

impl BehaviourAlias {
    /// For notes: "supervisor2 taken as supervisor (behaviour alias, built in)".
    pub(crate) fn describe(&self) -> String {
        let from = match &self.origin {
            AliasOrigin::Config { file } => format!("configured in {file}"),
            AliasOrigin::Source { file } => format!("recognised from {file}"),
            AliasOrigin::BuiltIn => "otpmap's table of well-known clones".to_owned(),
        };
        format!(
            "{} taken as {} (behaviour alias: {from})",
            self.clone, self.behaviour
        )
    }
}

/// The project's behaviour aliases, by clone.
#[derive(Debug, Clone, Default)]
pub(crate) struct BehaviourAliases {
    by_clone: BTreeMap<String, BehaviourAlias>,
}

impl BehaviourAliases {
    /// Configuration wins over the source, the source over the table.
    pub(crate) fn build(
        sources: &Sources,
        tool_config: &[ToolConfig],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> BehaviourAliases {
        let mut by_clone = BTreeMap::new();
        for (clone, behaviour) in BUILT_IN {
            by_clone.insert(
                (*clone).to_owned(),
                BehaviourAlias {
                    clone: (*clone).to_owned(),
                    behaviour: (*behaviour).to_owned(),
                    origin: AliasOrigin::BuiltIn,
                },
            );
        }
        // Every module's `-behaviour` names, gathered once: asked per
        // module, the question read every module again (quadratic: 2.2 M
        // visits on OTP's lib, on the thread that loads the project).
        let declared: std::collections::HashSet<&str> = sources
            .modules
            .iter()
            .flat_map(|m| m.index.behaviours.iter().filter_map(|b| b.atom()))
            .collect();
        for m in &sources.modules {
            if let Some(behaviour) = recognise(&declared, m) {
                by_clone.insert(
                    m.name.clone(),
                    BehaviourAlias {
                        clone: m.name.clone(),
                        behaviour: behaviour.to_owned(),
                        origin: AliasOrigin::Source {
                            file: m.file.clone(),
                        },
                    },
                );
            }
        }
        for t in tool_config {
            for alias in configured(t, diagnostics) {
                by_clone.insert(alias.clone.clone(), alias);
            }
        }
        BehaviourAliases { by_clone }
    }

    /// The alias of `module`, if it is a known clone.
    pub(crate) fn get(&self, module: &str) -> Option<&BehaviourAlias> {
        self.by_clone.get(module)
    }
}

/// A behaviour a module implements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleBehaviour {
    /// The OTP behaviour it stands for, or the declared name when it is not
    /// a known clone.
    pub(crate) name: String,
    /// The alias used, when the declared behaviour is a clone.
    pub(crate) alias: Option<BehaviourAlias>,
}

/// The behaviours `m` declares in the default build, `defines` given as
/// `-D` options ([`crate::syntax::ModuleIndex::compiled_behaviours`]), clones
/// replaced by the behaviour they stand for.
pub(crate) fn behaviours(
    m: &ModuleSource,
    aliases: &BehaviourAliases,
    defines: &[String],
) -> Vec<ModuleBehaviour> {
    let mut out: Vec<ModuleBehaviour> = Vec::new();
    for declared in m.index.compiled_behaviours(&m.macros, defines) {
        let b = match aliases.get(&declared.name) {
            Some(a) => ModuleBehaviour {
                name: a.behaviour.clone(),
                alias: Some(a.clone()),
            },
            None => ModuleBehaviour {
                name: declared.name,
                alias: None,
            },
        };
        if !out.iter().any(|o| o.name == b.name) {
            out.push(b);
        }
    }
    out
}

/// The OTP behaviour `m` is a copy of, judged from its source: only for a
/// module other modules name in `-behaviour` (a library that happens to
/// call `gen:start` is not a behaviour).
fn recognise(declared: &std::collections::HashSet<&str>, m: &ModuleSource) -> Option<&'static str> {
    if OTP_BEHAVIOURS.contains(&m.name.as_str()) || !declared.contains(m.name.as_str()) {
        return None;
    }
    let exports = |name: &str, arity: u32| m.index.is_exported(name, arity);
    let text = &m.index.file.text;
    let calls_back_init = text.contains(":init(");
    if !calls_back_init {
        return None;
    }
    // A copy of supervisor is a gen_server with supervisor's API.
    if exports("start_child", 2)
        && exports("which_children", 1)
        && (exports("start_link", 2) || exports("start_link", 3))
    {
        return Some("supervisor");
    }
    let starts = text.contains("gen:start(")
        || text.contains("proc_lib:start_link(")
        || text.contains("proc_lib:start(");
    if !starts {
        return None;
    }
    if exports("send_event", 2) && exports("sync_send_event", 2) {
        Some("gen_fsm")
    } else if text.contains("callback_mode") && exports("call", 2) {
        Some("gen_statem")
    } else if exports("call", 2) && exports("cast", 2) {
        Some("gen_server")
    } else {
        None
    }
}

/// `{behaviour_aliases, [{Clone, Behaviour}, ...]}` entries of one
/// configuration file; mistakes are warnings (code `otpmap-config`).
fn configured(t: &ToolConfig, diagnostics: &mut Vec<Diagnostic>) -> Vec<BehaviourAlias> {
    // A rebar.config entry is one term, the list; an otpmap.config's terms
    // are the entries themselves (as the lint configuration reads them).
    let entries: Vec<&Term> = if t.file.ends_with("rebar.config") {
        t.terms
            .first()
            .and_then(Term::as_list)
            .map(|l| l.iter().collect())
            .unwrap_or_default()
    } else {
        t.terms.iter().collect()
    };
    let mut out = Vec::new();
    let mut warn = |at: &Term, message: String| {
        diagnostics.push(crate::config::term::term_diagnostic(
            Severity::Warning,
            "otpmap-config",
            &t.file,
            at,
            message,
        ));
    };
    for entry in entries {
        let Some(args) = entry.tagged("behaviour_aliases") else {
            continue;
        };
        let Some(list) = args
            .first()
            .and_then(Term::as_list)
            .filter(|_| args.len() == 1)
        else {
            warn(
                entry,
                "expected `{behaviour_aliases, [{Clone, Behaviour}, ...]}`".to_owned(),
            );
            continue;
        };
        for pair in list {
            let names = pair
                .as_tuple()
                .filter(|p| p.len() == 2)
                .and_then(|p| Some((p[0].as_atom()?, p[1].as_atom()?)));
            match names {
                Some((clone, behaviour)) if OTP_BEHAVIOURS.contains(&behaviour) => {
                    out.push(BehaviourAlias {
                        clone: clone.to_owned(),
                        behaviour: behaviour.to_owned(),
                        origin: AliasOrigin::Config {
                            file: t.file.clone(),
                        },
                    });
                }
                Some((_, behaviour)) => warn(
                    pair,
                    format!(
                        "`{behaviour}` is not an OTP behaviour a clone can stand for ({})",
                        OTP_BEHAVIOURS.join(", ")
                    ),
                ),
                None => warn(
                    pair,
                    "expected `{Clone, Behaviour}`, two atoms: `{p1_server, gen_server}`"
                        .to_owned(),
                ),
            }
        }
    }
    out
}

impl BehaviourAliases {
    /// A call to a clone as the call to the OTP module it stands for:
    /// `gen_server2:start_link(M, A, O)` is `gen_server:start_link(M, A, O)`.
    /// `mirrored_supervisor`'s start functions take a group besides
    /// supervisor's arguments (`start_link(Group, Mod, Args)`,
    /// `start_link(Name, Group, Mod, Args)`): it is dropped.
    pub(crate) fn otp_call<T: Clone>(
        &self,
        module: &str,
        function: &str,
        args: &[T],
    ) -> Option<(&BehaviourAlias, Vec<T>)> {
        let alias = self.get(module)?;
        let mut args = args.to_vec();
        if module == "mirrored_supervisor" && function.starts_with("start") {
            match args.len() {
                3 => {
                    args.remove(0);
                }
                4 => {
                    args.remove(1);
                }
                _ => return None,
            }
        }
        Some((alias, args))
    }
}
