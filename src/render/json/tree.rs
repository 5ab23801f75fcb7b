//! `otpmap tree --format json`: schema `otpmap.tree/1` (see docs/json.md).

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;
use crate::graph::supervision::{Loc, Shutdown, StartCall, TreeNode};
use crate::graph::Run;

/// The schema name and version written in every tree document.
const SCHEMA: &str = "otpmap.tree/1";

#[derive(Serialize)]
struct TreeDoc<'a> {
    schema: &'static str,
    trees: Vec<TreeOut<'a>>,
    /// Supervisors no tree starts (absent when there are none, and with
    /// `--app` or `--root`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unstarted_supervisors: Vec<UnstartedOut<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct UnstartedOut<'a> {
    module: &'a str,
    app: Option<&'a str>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct TreeOut<'a> {
    app: &'a str,
    start: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    included_in: &'a Vec<String>,
    /// A node of the tree is partial: the tree may be missing children.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
    root: NodeOut<'a>,
}

#[derive(Serialize)]
struct StartCallOut<'a> {
    caller: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    spec: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    through: Option<ThroughOut<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    uncalled: bool,
}

/// The wrapper a `start_child` call goes through.
#[derive(Serialize)]
struct ThroughOut<'a> {
    function: &'a str,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct LocOut<'a> {
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    module: Option<&'a str>,
    behaviour: Option<&'a str>,
    #[serde(rename = "type")]
    child_type: Option<&'static str>,
    restart: Option<&'static str>,
    shutdown: Json,
    file: Option<&'a str>,
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_by: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dynamic: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    conditional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_default_build: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    computed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unresolved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: &'a Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    start_calls: Vec<StartCallOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strategy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intensity: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    init: Option<LocOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignore: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Vec<NodeOut<'a>>>,
}

fn shutdown(s: Option<Shutdown>) -> Json {
    match s {
        Some(Shutdown::Timeout(ms)) => Json::from(ms),
        Some(other) => Json::from(other.to_string()),
        None => Json::Null,
    }
}

fn loc_out(l: &Option<Loc>) -> (Option<&str>, Option<u32>) {
    match l {
        Some(l) => (Some(&l.file), Some(l.line)),
        None => (None, None),
    }
}

fn calls(cs: &[StartCall]) -> Vec<StartCallOut<'_>> {
    cs.iter()
        .map(|c| StartCallOut {
            caller: &c.caller,
            file: &c.loc.file,
            line: c.loc.line,
            column: c.loc.column,
            spec: &c.spec,
            through: c.through.as_ref().map(|t| ThroughOut {
                function: &t.function,
                file: &t.loc.file,
                line: t.loc.line,
            }),
            uncalled: c.uncalled,
        })
        .collect()
}

fn node(n: &TreeNode) -> NodeOut<'_> {
    let (file, line) = loc_out(&n.loc);
    let sup = n.supervisor.as_ref();
    let conditional = !n.presence.is_always();
    let mut start_calls = calls(&n.start_calls);
    if let Some(s) = sup {
        start_calls.extend(calls(&s.start_calls));
    }
    NodeOut {
        id: &n.id,
        module: n.module.as_deref(),
        behaviour: n.started.behaviour.as_deref(),
        child_type: n.child_type.map(|t| t.as_str()),
        restart: n.restart.map(|r| r.as_str()),
        shutdown: shutdown(n.shutdown),
        file,
        line,
        callback: n.started.callback.as_deref(),
        name: n.started.name.as_deref(),
        start: n.start.as_deref(),
        started_by: n.started.process.as_ref().map(|p| p.call.as_str()),
        dynamic: n.dynamic,
        conditional,
        condition: conditional.then(|| n.presence.text()),
        in_default_build: if conditional {
            n.presence.default()
        } else {
            None
        },
        computed: n.computed.as_deref(),
        unresolved: (!n.unresolved.is_empty()).then(|| n.unresolved.join("; ")),
        partial: n.partial.as_deref(),
        notes: &n.notes,
        start_calls,
        strategy: sup.and_then(|s| s.strategy).map(|s| s.as_str()),
        intensity: sup.and_then(|s| s.intensity),
        period: sup.and_then(|s| s.period),
        init: sup.and_then(|s| s.init.as_ref()).map(|l| LocOut {
            file: &l.file,
            line: l.line,
        }),
        ignore: sup.and_then(|s| s.ignore.as_deref()),
        children: sup.map(|s| s.children.iter().map(node).collect()),
    }
}

/// Renders the tree document of the run's trees.
pub fn render(run: &Run) -> String {
    let s = run.trees();
    let doc = TreeDoc {
        schema: SCHEMA,
        trees: s
            .trees
            .iter()
            .map(|t| {
                let (file, line) = loc_out(&t.loc);
                TreeOut {
                    app: &t.app,
                    start: &t.start,
                    file,
                    line,
                    included_in: &t.included_in,
                    partial: t.root.has_partial(),
                    root: node(&t.root),
                }
            })
            .collect(),
        unstarted_supervisors: s
            .unstarted
            .iter()
            .map(|u| UnstartedOut {
                module: &u.module,
                app: u.app.as_deref(),
                file: &u.loc.file,
                line: u.loc.line,
            })
            .collect(),
        diagnostics: &run.diagnostics,
    };
    super::to_string(&doc)
}
