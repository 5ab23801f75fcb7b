//! `otpmap scan`: the overview a newcomer reads first.

use super::{diagnostics, table};
use crate::discover::FolderStatus;
use crate::graph::Run;
use crate::model::{AppKind, AppOrigin, BuildTool, DepSource, Layout, Project};
use crate::render::shown::shown;
use crate::render::vsn::vsn_label;
use crate::render::Painter;

/// Renders the overview.
pub fn render(run: &Run, paint: &Painter) -> String {
    let p = &run.project;
    let mut out = String::new();
    out.push_str(&summary(p, paint));

    let own: Vec<_> = p
        .apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Project)
        .collect();
    if !own.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("Applications")));
        for a in &own {
            let vsn = a.vsn.as_deref().map_or_else(|| "?".into(), vsn_label);
            let kind = match a.kind {
                AppKind::Regular => paint.accent("regular"),
                AppKind::Library => "library".to_owned(),
            };
            out.push_str(&format!(
                "  {} {}  {}  {}\n",
                paint.name(&a.name),
                paint.dim(&vsn),
                kind,
                paint.dim(&a.dir)
            ));
            if let Some(d) = &a.description {
                out.push_str(&format!("      {}\n", shown(d)));
            }
            match &a.mod_ {
                Some(m) => out.push_str(&format!(
                    "      starts at {}:start/2 (args {})\n",
                    shown(&m.module),
                    shown(&m.args)
                )),
                None => out.push_str("      no `mod`: a library, nothing is started\n"),
            }
            for (label, refs) in [
                ("applications", &a.applications),
                ("included", &a.included_applications),
                ("optional", &a.optional_applications),
            ] {
                if !refs.is_empty() {
                    let names: Vec<&str> = refs.iter().map(|r| r.name.as_str()).collect();
                    out.push_str(&format!("      {label}: {}\n", shown(&names.join(", "))));
                }
            }
            if !a.modules.is_empty() {
                out.push_str(&format!("      {} modules\n", a.modules.len()));
            }
        }
    }

    let fetched: Vec<_> = p
        .apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Dep)
        .collect();
    if !fetched.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("Fetched dependency apps")));
        let rows: Vec<_> = fetched
            .iter()
            .map(|a| {
                let vsn = a.vsn.as_deref().map_or_else(|| "?".into(), vsn_label);
                vec![
                    (a.name.clone(), paint.name(&a.name)),
                    (vsn.clone(), paint.dim(&vsn)),
                    (a.dir.clone(), paint.dim(&a.dir)),
                ]
            })
            .collect();
        out.push_str(&table(&rows, "  "));
    }

    out.push_str(&dep_folders(p, paint));

    if !p.deps.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("Dependencies")));
        let rows: Vec<_> = p
            .deps
            .iter()
            .map(|d| {
                let source = source_name(d.source).to_owned();
                let what = match (&d.url, &d.version, &d.package) {
                    (Some(url), _, _) => match &d.git_ref {
                        Some(r) => format!("{url} {}", r.text()),
                        None => url.clone(),
                    },
                    (None, Some(v), Some(pkg)) => format!("{pkg} {v}"),
                    (None, Some(v), None) => v.clone(),
                    (None, None, Some(pkg)) => format!("{pkg} (latest)"),
                    (None, None, None) => "(latest)".to_owned(),
                };
                let profile = d
                    .profile
                    .as_ref()
                    .map(|p| format!("profile {p}"))
                    .unwrap_or_default();
                let at = format!("{}:{}", d.file, d.line);
                vec![
                    (d.name.clone(), paint.name(&d.name)),
                    (source.clone(), source),
                    (what.clone(), what),
                    (profile.clone(), profile),
                    (at.clone(), paint.dim(&at)),
                ]
            })
            .collect();
        out.push_str(&table(&rows, "  "));
    }

    out.push_str(&locked(p, paint));

    if !p.releases.is_empty() {
        out.push_str(&format!("\n{}\n", paint.heading("Releases")));
        for (r, boot_order) in p.releases.iter().zip(&run.boot_orders) {
            let profile = r
                .profile
                .as_ref()
                .map(|p| format!(" (profile {})", shown(p)))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {}{}  {}\n",
                paint.name(&r.name),
                paint.dim(&vsn_label(&r.vsn)),
                profile,
                paint.dim(&format!("{}:{}", r.file, r.line))
            ));
            let apps: Vec<String> = r
                .apps
                .iter()
                .map(|a| {
                    let vsn = a
                        .vsn
                        .as_deref()
                        .map(|v| format!(" {}", vsn_label(v)))
                        .unwrap_or_default();
                    format!("{}{} ({})", a.name, vsn, a.start_type.as_str())
                })
                .collect();
            out.push_str(&format!("      apps: {}\n", shown(&apps.join(", "))));
            if !boot_order.is_empty() {
                out.push_str(&format!(
                    "      boot order: {}\n",
                    shown(&boot_order.join(" → "))
                ));
            }
        }
    }

    let stray = p.sources.modules.iter().filter(|m| m.app.is_none()).count();
    if p.layout == Layout::Raw || (stray > 0 && own.is_empty()) {
        out.push_str(&format!(
            "\n{}\n  {} modules with no application\n",
            paint.heading("Modules"),
            stray
        ));
    }
    out.push_str(&diagnostics(&run.diagnostics, paint));
    crate::render::shown::for_terminal(&out, paint.enabled)
}

/// What `rebar.lock` pins: every dependency, at every level, with the exact
/// version or commit.
fn locked(p: &Project, paint: &Painter) -> String {
    if p.locks.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{}\n", paint.heading("Locked (rebar.lock)"));
    let rows: Vec<_> = p
        .locks
        .iter()
        .map(|l| {
            let source = source_name(l.source).to_owned();
            let what = match (&l.version, &l.url, &l.git_ref) {
                (Some(v), _, _) => match &l.package {
                    Some(pkg) => format!("{pkg} {v}"),
                    None => v.clone(),
                },
                (None, Some(url), Some(r)) => format!("{url} {}", r.text()),
                (None, Some(url), None) => url.clone(),
                (None, None, _) => String::new(),
            };
            let level = format!("level {}", l.level);
            let at = format!("{}:{}", l.file, l.line);
            vec![
                (l.name.clone(), paint.name(&l.name)),
                (source.clone(), source),
                (what.clone(), what),
                (level.clone(), level),
                (at.clone(), paint.dim(&at)),
            ]
        })
        .collect();
    out.push_str(&table(&rows, "  "));
    out
}

/// The folders under `deps/`, `_checkouts/` and `_build`: vendored (the
/// project's own, read like `apps/`) or fetched, and why.
fn dep_folders(p: &Project, paint: &Painter) -> String {
    let folders = &p.dep_folders.folders;
    if folders.is_empty() {
        return String::new();
    }
    let vendored = folders
        .iter()
        .filter(|f| f.status == FolderStatus::Vendored)
        .count();
    let mut out = format!(
        "\n{}\n  {vendored} vendored (the project's own: read, drawn and linted), {} fetched \
         (read only with --include-deps)\n",
        paint.heading("Dependency folders"),
        folders.len() - vendored
    );
    let rows: Vec<_> = folders
        .iter()
        .map(|f| {
            let status = match f.status {
                FolderStatus::Vendored => "vendored",
                FolderStatus::Fetched => "fetched",
            };
            vec![
                (f.dir.clone(), paint.name(&f.dir)),
                (status.to_owned(), status.to_owned()),
                (f.reason.clone(), paint.dim(&f.reason)),
            ]
        })
        .collect();
    out.push_str(&table(&rows, "  "));
    out
}

/// One line saying what kind of code base this is.
fn summary(p: &Project, paint: &Painter) -> String {
    let own = p
        .apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Project)
        .count();
    let regular = p
        .apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Project && a.kind == AppKind::Regular)
        .count();
    let what = match p.layout {
        Layout::SingleApp => {
            if regular == 1 {
                "a single application with a supervision tree".to_owned()
            } else {
                "a single library application".to_owned()
            }
        }
        Layout::Umbrella => format!(
            "{} applications ({} regular, {} library)",
            own,
            regular,
            own - regular
        ),
        Layout::ErlangMk => "an erlang.mk project".to_owned(),
        Layout::Raw => format!(
            "raw Erlang: {} modules, no application resource file",
            p.sources.modules.len()
        ),
    };
    let mut out = format!(
        "{} {}: {}\n",
        paint.heading("Layout"),
        paint.accent(p.layout.as_str()),
        what
    );
    if p.projects.len() > 1 || p.projects.first().is_some_and(|s| s.dir != ".") {
        for s in &p.projects {
            out.push_str(&format!(
                "  project {}  {} ({})\n",
                paint.name(&s.dir),
                s.layout.as_str(),
                tool_name(s.build_tool)
            ));
        }
    }
    out.push_str(&format!(
        "  {} apps, {} deps, {} releases, {} modules\n",
        own,
        p.deps.len(),
        p.releases.len(),
        p.sources.modules.len()
    ));
    out
}

fn tool_name(t: BuildTool) -> &'static str {
    match t {
        BuildTool::Rebar3 => "rebar3",
        BuildTool::ErlangMk => "erlang.mk",
        BuildTool::OtpLibDir => "OTP lib dir",
        BuildTool::Mix => "Mix",
        BuildTool::None => "no build tool",
    }
}

fn source_name(s: DepSource) -> &'static str {
    match s {
        DepSource::Hex => "hex",
        DepSource::Git => "git",
        DepSource::Hg => "hg",
        DepSource::Path => "path",
        DepSource::Other => "other",
    }
}
