//! The diff in sentences, shared by the human and markdown renderers:
//! one line per change, grouped by section.

use super::{Diff, ListChange, TreeChangeKind};

/// A section's title and its lines.
type Section = (&'static str, Vec<String>);

fn list(l: &ListChange) -> Vec<String> {
    let mut out: Vec<String> = l.added.iter().map(|a| format!("+{a}")).collect();
    out.extend(l.removed.iter().map(|r| format!("-{r}")));
    out
}

/// `added name detail (file:line)`: an app, dep or release on one side.
fn entry(verb: &str, e: &super::Entry) -> String {
    match &e.detail {
        Some(d) if !d.is_empty() => format!("{verb} {} {d} ({}:{})", e.name, e.at.file, e.at.line),
        _ => format!("{verb} {} ({}:{})", e.name, e.at.file, e.at.line),
    }
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}

/// Every change, as sentences, by section (sections without changes left out).
pub(crate) fn sections(d: &Diff) -> Vec<Section> {
    let mut apps = Vec::new();
    apps.extend(d.apps_added.iter().map(|e| entry("added", e)));
    apps.extend(d.apps_removed.iter().map(|e| entry("removed", e)));
    for a in &d.apps_changed {
        let mut parts = Vec::new();
        if let Some(v) = &a.vsn {
            parts.push(format!("vsn {} -> {}", opt(&v.before), opt(&v.after)));
        }
        if let Some(m) = &a.mod_ {
            parts.push(format!("mod {} -> {}", opt(&m.before), opt(&m.after)));
        }
        if !a.applications.added.is_empty() || !a.applications.removed.is_empty() {
            parts.push(format!("applications {}", list(&a.applications).join(" ")));
        }
        if !a.included_applications.added.is_empty() || !a.included_applications.removed.is_empty()
        {
            parts.push(format!(
                "included_applications {}",
                list(&a.included_applications).join(" ")
            ));
        }
        apps.push(format!(
            "{}: {} ({}:{})",
            a.name,
            parts.join("; "),
            a.at.file,
            a.at.line
        ));
    }
    let mut deps = Vec::new();
    deps.extend(d.deps_added.iter().map(|e| entry("added", e)));
    deps.extend(d.deps_removed.iter().map(|e| entry("removed", e)));
    for x in &d.deps_changed {
        deps.push(format!(
            "{}: {} -> {} ({}:{})",
            x.name, x.source.before, x.source.after, x.at.file, x.at.line
        ));
    }
    let mut rels = Vec::new();
    rels.extend(d.releases_added.iter().map(|e| entry("added", e)));
    rels.extend(d.releases_removed.iter().map(|e| entry("removed", e)));
    for r in &d.releases_changed {
        let mut parts = Vec::new();
        if let Some(v) = &r.vsn {
            parts.push(format!("vsn {} -> {}", v.before, v.after));
        }
        if !r.applications.added.is_empty() || !r.applications.removed.is_empty() {
            parts.push(format!("applications {}", list(&r.applications).join(" ")));
        }
        for (app, t) in &r.start_types {
            parts.push(format!("{app} {} -> {}", t.before, t.after));
        }
        if let Some(b) = &r.boot_order {
            parts.push(format!(
                "boot order {} -> {}",
                b.before.join(", "),
                b.after.join(", ")
            ));
        }
        rels.push(format!(
            "{}: {} ({}:{})",
            r.name,
            parts.join("; "),
            r.at.file,
            r.at.line
        ));
    }
    let mut trees = Vec::new();
    for t in &d.tree_changes {
        let path = format!("{}: {}", t.app, t.path.join(" / "));
        let what = match &t.kind {
            TreeChangeKind::Added => "child added".to_owned(),
            TreeChangeKind::Removed => "child removed".to_owned(),
            TreeChangeKind::Reordered { order } => format!(
                "children reordered: {} -> {}",
                order.before.join(", "),
                order.after.join(", ")
            ),
            TreeChangeKind::Changed { attribute, change } => format!(
                "{attribute} {} -> {}",
                opt(&change.before),
                opt(&change.after)
            ),
        };
        let at =
            t.at.as_ref()
                .map(|a| format!(" ({}:{})", a.file, a.line))
                .unwrap_or_default();
        trees.push(format!("{path}: {what}{at}"));
    }
    let finding = |prefix: &str, f: &super::FindingEntry| {
        format!(
            "{prefix} {}[{}] {}:{}: {}",
            f.severity.as_str(),
            f.rule,
            f.at.file,
            f.at.line,
            f.message
        )
    };
    let mut lint: Vec<String> = d.findings_new.iter().map(|f| finding("new", f)).collect();
    lint.extend(d.findings_fixed.iter().map(|f| finding("fixed", f)));
    [
        ("Applications", apps),
        ("Dependencies", deps),
        ("Releases", rels),
        ("Supervision trees", trees),
        ("Lint findings", lint),
    ]
    .into_iter()
    .filter(|(_, lines)| !lines.is_empty())
    .collect()
}
