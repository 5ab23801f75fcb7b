//! "What if this crashes": `otpmap blast` for every node of the trees, in
//! the compact form the page shows in a node's panel.
//!
//! Siblings left running are counted, not listed (a supervisor of 500
//! children would otherwise list 499 names under each of them), and the
//! lists of restarted processes are cut at [`LISTED`] names with a count.

use serde_json::{json, Value};

use crate::graph::blast::{self, Blast, Level, Outcome, ProcessRef};
use crate::graph::supervision::Supervision;
use crate::model::Release;

/// How many processes a level names before it only counts.
const LISTED: usize = 12;

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Restarted => "restarted",
        Outcome::NotRestarted => "not_restarted",
        Outcome::AutoShutdown => "auto_shutdown",
        Outcome::Unknown => "unknown",
    }
}

fn ids(refs: &[ProcessRef]) -> Value {
    Value::from(
        refs.iter()
            .take(LISTED)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
    )
}

/// Processes in `refs` and below them.
fn processes(refs: &[ProcessRef]) -> usize {
    refs.iter().map(|r| 1 + r.below).sum()
}

fn level(l: &Level) -> Value {
    json!({
        "supervisor": l.supervisor.id,
        "strategy": l.strategy.map(|s| s.as_str()),
        "intensity": l.intensity,
        "period": l.period,
        "auto_shutdown": l.auto_shutdown,
        "child": l.child.id,
        "restart": l.restart.map(|r| r.as_str()),
        "significant": l.significant,
        "outcome": outcome(l.outcome),
        "restarted": ids(&l.restarted),
        "restarted_count": l.restarted.len(),
        "restarted_processes": processes(&l.restarted),
        "terminated": ids(&l.terminated),
        "terminated_count": l.terminated.len(),
        "untouched_count": l.untouched.len(),
    })
}

fn crash(b: &Blast) -> Value {
    json!({
        "instance": b.instance,
        "levels": b.levels.iter().map(level).collect::<Vec<_>>(),
        "application_stops": b.application_stops,
        "crashes_to_stop_app": b.crashes_to_stop_app,
        "notes": b.notes,
    })
}

/// What the application's exit does in each release (the same for every
/// node of one tree, so written once per tree).
pub(crate) fn releases(b: &Blast) -> Value {
    Value::from(
        b.releases
            .iter()
            .map(|r| {
                json!({
                    "release": r.release,
                    "start_type": r.start_type.as_str(),
                    "node_stops": r.node_stops,
                })
            })
            .collect::<Vec<_>>(),
    )
}

/// The blast of the node at `path` (child ids from the tree's root).
pub(crate) fn of(
    releases: &[Release],
    boot_orders: &[Vec<String>],
    trees: &Supervision,
    app: &str,
    path: &[String],
) -> Option<Blast> {
    let m = blast::Match {
        app: app.to_owned(),
        path: path.to_vec(),
        included: false,
    };
    blast::blast(releases, boot_orders, trees, &m)
}

/// The node's `crash` member.
pub(crate) fn member(b: &Blast) -> Value {
    crash(b)
}
