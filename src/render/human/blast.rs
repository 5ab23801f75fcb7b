//! `otpmap blast`: the answer in sentences, level by level up the tree.

use crate::graph::blast::{Blast, Level, Outcome, ProcessRef};
use crate::graph::supervision::RestartType;
use crate::render::Painter;

fn named(p: &ProcessRef) -> String {
    if p.below == 0 {
        p.id.clone()
    } else {
        let s = if p.below == 1 { "" } else { "es" };
        format!("{} (and the {} process{s} below it)", p.id, p.below)
    }
}

fn list(ps: &[ProcessRef]) -> String {
    ps.iter().map(named).collect::<Vec<_>>().join(", ")
}

fn restart(r: Option<RestartType>) -> &'static str {
    r.map_or("of unknown restart type", |r| r.as_str())
}

fn flags(l: &Level) -> String {
    match (l.intensity, l.period) {
        (Some(i), Some(p)) => format!("{i} restarts in {p} s"),
        _ => "restart intensity not known".to_owned(),
    }
}

fn gives_up(l: &Level) -> String {
    match (l.intensity, l.period) {
        (Some(i), Some(p)) => format!(
            "after {} exit{} of {} within {p} s it gives up and exits with `shutdown`",
            i + 1,
            if i == 0 { "" } else { "s" },
            l.child.id
        ),
        _ => "how many restarts it tolerates is not known".to_owned(),
    }
}

/// Renders the report.
pub(crate) fn render(b: &Blast, paint: &Painter) -> String {
    let mut out = String::new();
    let p = &b.process;
    let mut head = format!("{} {}", paint.heading("If"), paint.name(&p.id));
    if let Some(name) = &p.name {
        head.push_str(&format!(" {}", paint.dim(name)));
    }
    head.push_str(&format!(" crashes (application {}", b.app));
    if let (Some(f), Some(l)) = (&p.file, p.line) {
        head.push_str(&format!(", {f}:{l}"));
    }
    head.push_str("):\n");
    out.push_str(&head);
    out.push_str(&format!("  path: {}\n", b.path.join(" / ")));
    if b.levels.is_empty() {
        out.push_str("  it is the application's top supervisor: its exit is the application's\n");
    }
    for (n, l) in b.levels.iter().enumerate() {
        let strategy = l.strategy.map_or("unknown strategy", |s| s.as_str());
        out.push_str(&format!(
            "{}. {} ({strategy}, {}): {} is {}",
            n + 1,
            paint.name(&l.supervisor.id),
            flags(l),
            l.child.id,
            restart(l.restart)
        ));
        out.push_str(match l.outcome {
            Outcome::Restarted => "; restarted\n",
            Outcome::NotRestarted if n == 0 && l.restart == Some(RestartType::Temporary) => {
                "; not restarted, and its exit does not count against the intensity\n"
            }
            Outcome::NotRestarted => "; an exit with `shutdown` is normal for it: not restarted\n",
            Outcome::AutoShutdown => "; not restarted\n",
            Outcome::Unknown => "; what the supervisor does is not known\n",
        });
        if !l.restarted.is_empty() {
            out.push_str(&format!("     restarted: {}\n", list(&l.restarted)));
        }
        if !l.terminated.is_empty() {
            out.push_str(&format!(
                "     terminated, not restarted (temporary): {}\n",
                list(&l.terminated)
            ));
        }
        if !l.untouched.is_empty() {
            out.push_str(&format!("     left running: {}\n", list(&l.untouched)));
        }
        match l.outcome {
            Outcome::Restarted => out.push_str(&format!("     {}\n", gives_up(l))),
            Outcome::AutoShutdown => out.push_str(&format!(
                "     {} is significant and auto_shutdown is {}: {} exits with `shutdown`\n",
                l.child.id,
                l.auto_shutdown.as_deref().unwrap_or("set"),
                l.supervisor.id
            )),
            Outcome::NotRestarted => out.push_str(&format!(
                "     the exit stops here: {} stays down, the rest of the tree runs on\n",
                l.child.id
            )),
            Outcome::Unknown => {}
        }
    }
    if b.application_stops {
        out.push_str(&format!(
            "Then the top supervisor exits and application {} stops:\n",
            b.app
        ));
        for r in &b.releases {
            let which = r.release.as_ref().map_or(
                "no release names it (application:start/1)".to_owned(),
                |n| format!("release {n}"),
            );
            let what = if r.node_stops {
                "the node stops"
            } else {
                "the node keeps running without it"
            };
            out.push_str(&format!("  {which}: {}: {what}\n", r.start_type.as_str()));
        }
        if let Some(n) = b.crashes_to_stop_app {
            let groups: Vec<String> = b
                .levels
                .iter()
                .filter(|l| l.outcome == Outcome::Restarted)
                .filter_map(|l| Some(format!("{} within {} s", l.intensity? + 1, l.period?)))
                .collect();
            out.push_str(&format!(
                "Shortest way there: {n} crash{} of {}{}\n",
                if n == 1 { "" } else { "es" },
                p.id,
                if groups.is_empty() {
                    String::new()
                } else {
                    format!(" ({}, level by level)", groups.join(", then "))
                }
            ));
        }
    }
    for note in &b.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}
