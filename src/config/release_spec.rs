//! Release specifications in their three dialects: relx (`rebar.config` and
//! `relx.config`), reltool (`{sys, [{rel, ...}]}`) and systools `.rel` files.

use super::app_resource::short;
use super::term::{Term, TermKind};
use super::term_diagnostic;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Release, ReleaseApp, ReleaseSource, StartType};

/// Reads the `{release, {Name, Vsn}, Apps}` entries of a relx configuration
/// (the value of `{relx, [...]}` or the terms of `relx.config`).
pub fn from_relx(
    entries: &[Term],
    rel: &str,
    source: ReleaseSource,
    profile: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Release> {
    let mut out = Vec::new();
    for entry in entries {
        let Some(args) = entry.tagged("release") else {
            continue;
        };
        // {release, {N, V}, Apps} | {release, {N, V}, Apps, Opts}
        // | {release, {N, V}, {extend, Other}, Apps}
        let (id, apps) = match args {
            [id, apps] | [id, apps, _] if apps.as_list().is_some() => (id, apps),
            [id, ext, apps] if ext.tagged("extend").is_some() => (id, apps),
            _ => {
                diags.push(term_diagnostic(
                    Severity::Warning,
                    "bad-release",
                    rel,
                    entry,
                    format!(
                        "expected {{release, {{Name, Vsn}}, [App]}}, found {}",
                        short(entry)
                    ),
                ));
                continue;
            }
        };
        let Some((name, vsn)) = release_id(id) else {
            diags.push(term_diagnostic(
                Severity::Warning,
                "bad-release",
                rel,
                id,
                format!("expected {{Name, Vsn}}, found {}", short(id)),
            ));
            continue;
        };
        let Some(list) = apps.as_list() else {
            diags.push(term_diagnostic(
                Severity::Warning,
                "bad-release",
                rel,
                apps,
                "the release's applications must be a list",
            ));
            continue;
        };
        let apps = list
            .iter()
            .filter_map(|a| relx_app(a, rel, diags))
            .collect();
        out.push(Release {
            name,
            vsn,
            apps,
            boot_order: vec![],
            source,
            profile: profile.map(str::to_owned),
            file: rel.to_owned(),
            line: entry.pos.line,
        });
    }
    out
}

fn release_id(id: &Term) -> Option<(String, String)> {
    match id.as_tuple()? {
        // relx names releases with atoms, .rel files with strings.
        [n, v] => Some((n.as_text()?, v.as_text().unwrap_or_else(|| v.to_erlang()))),
        _ => None,
    }
}

/// `App | {App, Type} | {App, Vsn} | {App, Vsn, Type} | {App, Type, Inc}
/// | {App, Vsn, Inc} | {App, Vsn, Type, Inc}`: relx accepts them all.
fn relx_app(t: &Term, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<ReleaseApp> {
    let mut bad = |msg: String| {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-release",
            rel,
            t,
            msg,
        ));
        None
    };
    if let Some(name) = t.as_atom() {
        return Some(release_app(name, t));
    }
    let Some(items) = t.as_tuple() else {
        return bad(format!(
            "expected an application name or tuple, found {}",
            short(t)
        ));
    };
    let Some(name) = items.first().and_then(Term::as_atom) else {
        return bad(format!(
            "expected {{App, ...}} with an atom name, found {}",
            short(t)
        ));
    };
    let mut app = release_app(name, t);
    for item in &items[1..] {
        if let Some(atom) = item.as_atom() {
            match StartType::parse(atom) {
                Some(ty) => app.start_type = ty,
                None => {
                    return bad(format!(
                        "`{atom}` is not a start type (permanent, transient, temporary, load, none)"
                    ))
                }
            }
        } else if let Some(vsn) = version_text(item) {
            app.vsn = Some(vsn);
        } else if item.as_list().is_some() {
            app.included = Some(names(item));
        } else {
            return bad(format!("unexpected {} in {}", short(item), short(t)));
        }
    }
    Some(app)
}

/// A version is a non-empty string or a binary; `[]` is an empty list of
/// included applications, not a version.
fn version_text(t: &Term) -> Option<String> {
    match &t.kind {
        TermKind::String(s) if !s.is_empty() => Some(s.clone()),
        TermKind::Binary { .. } => t.as_binary_text(),
        _ => None,
    }
}

fn release_app(name: &str, t: &Term) -> ReleaseApp {
    ReleaseApp {
        name: name.to_owned(),
        start_type: StartType::Permanent,
        vsn: None,
        included: None,
        line: t.pos.line,
    }
}

fn names(list: &Term) -> Vec<String> {
    list.as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.as_atom().map(str::to_owned))
        .collect()
}

/// Reads reltool's `{sys, [..., {rel, Name, Vsn, [App]}, ...]}`.
pub fn from_reltool(terms: &[Term], rel: &str, diags: &mut Vec<Diagnostic>) -> Vec<Release> {
    let mut out = Vec::new();
    for t in terms {
        let Some([sys]) = t.tagged("sys") else {
            continue;
        };
        let Some(items) = sys.as_list() else {
            continue;
        };
        for item in items {
            let Some(args) = item.tagged("rel") else {
                continue;
            };
            let (name, vsn, apps) = match args {
                [n, v, apps] | [n, v, apps, _] => (n, v, apps),
                _ => {
                    diags.push(term_diagnostic(
                        Severity::Warning,
                        "bad-release",
                        rel,
                        item,
                        "expected {rel, Name, Vsn, [App]}",
                    ));
                    continue;
                }
            };
            let Some(name) = name.as_text() else { continue };
            let vsn = vsn.as_text().unwrap_or_else(|| vsn.to_erlang());
            let apps = apps
                .as_list()
                .unwrap_or_default()
                .iter()
                .filter_map(|a| relx_app(a, rel, diags))
                .collect();
            out.push(Release {
                name,
                vsn,
                apps,
                boot_order: vec![],
                source: ReleaseSource::Reltool,
                profile: None,
                file: rel.to_owned(),
                line: item.pos.line,
            });
        }
    }
    out
}

/// Reads a systools `.rel` file:
/// `{release, {Name, Vsn}, {erts, EVsn}, [{App, Vsn} | {App, Vsn, Type} | ...]}`.
pub fn from_rel_file(terms: &[Term], rel: &str, diags: &mut Vec<Diagnostic>) -> Vec<Release> {
    let mut out = Vec::new();
    for t in terms {
        match t.tagged("release") {
            Some([id, _erts, apps]) => {
                let Some((name, vsn)) = release_id(id) else {
                    diags.push(term_diagnostic(
                        Severity::Warning,
                        "bad-release",
                        rel,
                        id,
                        "expected {Name, Vsn}",
                    ));
                    continue;
                };
                let apps = apps
                    .as_list()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| relx_app(a, rel, diags))
                    .collect();
                out.push(Release {
                    name,
                    vsn,
                    apps,
                    boot_order: vec![],
                    source: ReleaseSource::Rel,
                    profile: None,
                    file: rel.to_owned(),
                    line: t.pos.line,
                });
            }
            _ => diags.push(term_diagnostic(
                Severity::Warning,
                "bad-release",
                rel,
                t,
                "expected {release, {Name, Vsn}, {erts, Vsn}, [App]}",
            )),
        }
    }
    out
}
