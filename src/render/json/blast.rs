//! `otpmap blast --format json`: schema `otpmap.blast/1` (docs/json.md).

use serde::Serialize;

use crate::graph::blast::{Blast, Level, Outcome, ProcessRef};

/// The schema name and version.
const SCHEMA: &str = "otpmap.blast/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    app: &'a str,
    process: &'a ProcessRef,
    path: &'a [String],
    instance: bool,
    levels: Vec<LevelOut<'a>>,
    application_stops: bool,
    releases: Vec<ReleaseOut<'a>>,
    crashes_to_stop_app: Option<u64>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct LevelOut<'a> {
    supervisor: &'a ProcessRef,
    strategy: Option<&'static str>,
    intensity: Option<u64>,
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_shutdown: Option<&'a str>,
    child: &'a str,
    restart: Option<&'static str>,
    significant: bool,
    outcome: &'static str,
    restarted: &'a [ProcessRef],
    terminated: &'a [ProcessRef],
    untouched: &'a [ProcessRef],
}

#[derive(Serialize)]
struct ReleaseOut<'a> {
    release: Option<&'a str>,
    start_type: &'static str,
    node_stops: bool,
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Restarted => "restarted",
        Outcome::NotRestarted => "not_restarted",
        Outcome::AutoShutdown => "auto_shutdown",
        Outcome::Unknown => "unknown",
    }
}

fn level(l: &Level) -> LevelOut<'_> {
    LevelOut {
        supervisor: &l.supervisor,
        strategy: l.strategy.map(|s| s.as_str()),
        intensity: l.intensity,
        period: l.period,
        auto_shutdown: l.auto_shutdown.as_deref(),
        child: &l.child.id,
        restart: l.restart.map(|r| r.as_str()),
        significant: l.significant,
        outcome: outcome(l.outcome),
        restarted: &l.restarted,
        terminated: &l.terminated,
        untouched: &l.untouched,
    }
}

/// Renders the document.
pub(crate) fn render(b: &Blast) -> String {
    let doc = Doc {
        schema: SCHEMA,
        app: &b.app,
        process: &b.process,
        path: &b.path,
        instance: b.instance,
        levels: b.levels.iter().map(level).collect(),
        application_stops: b.application_stops,
        releases: b
            .releases
            .iter()
            .map(|r| ReleaseOut {
                release: r.release.as_deref(),
                start_type: r.start_type.as_str(),
                node_stops: r.node_stops,
            })
            .collect(),
        crashes_to_stop_app: b.crashes_to_stop_app,
        notes: &b.notes,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
