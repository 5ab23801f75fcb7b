//! Release specifications in their three dialects: relx (`rebar.config` and
//! `relx.config`), reltool (`{sys, [{rel, ...}]}`) and systools `.rel` files.

use super::app_resource::short;
use super::term::{Term, TermKind};
use super::term_diagnostic;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Carried, Release, ReleaseApp, ReleaseSource, StartType};

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
    // Releases that extend another, with the name of the one they extend:
    // relx starts from that release's applications (see `extend_releases`).
    let mut extends: Vec<(usize, String)> = Vec::new();
    for entry in entries {
        let Some(args) = entry.tagged("release") else {
            continue;
        };
        // relx's forms: {release, Id, Apps} | {release, Id, Apps, Config}
        // | {release, Id, {erts, Vsn}, Apps} | {release, Id, {erts, Vsn},
        // Apps, Config}, with Id = {Name, Vsn} | {Name, Vsn, {extend, Rel}}.
        let (id, apps) = match args {
            [id, erts, apps] | [id, erts, apps, _]
                if erts.tagged("erts").is_some() && apps.as_list().is_some() =>
            {
                (id, apps)
            }
            [id, apps] | [id, apps, _] if apps.as_list().is_some() => (id, apps),
            [id, ext, apps] if ext.tagged("extend").is_some() => (id, apps),
            _ => {
                diags.push(term_diagnostic(
                    Severity::Warning,
                    "bad-release",
                    rel,
                    entry,
                    format!(
                        "expected {{release, {{Name, Vsn}}, [App]}} or one of relx's other \
                         release forms, found {}; relx skips this term with a warning, so no \
                         release is built from it",
                        short(entry)
                    ),
                ));
                continue;
            }
        };
        let Some((name, vsn, extended)) = release_id(id) else {
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
        if let Some(base) = extended {
            extends.push((out.len(), base));
        }
        out.push(Release {
            name,
            vsn,
            apps,
            source,
            profile: profile.map(str::to_owned),
            file: rel.to_owned(),
            line: entry.pos.line,
            carried: Default::default(),
        });
    }
    extend_releases(&mut out, &extends, rel, diags);
    out
}

/// relx builds an extending release from the applications of the release it
/// extends, with the extending release's own entries replacing those of the
/// same application (`merge_application_goals`).
fn extend_releases(
    out: &mut [Release],
    extends: &[(usize, String)],
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, base_name) in extends {
        let Some(base) = out.iter().find(|r| &r.name == base_name) else {
            diags.push(Diagnostic::new(
                Severity::Warning,
                "bad-release",
                rel,
                out[*i].line,
                None,
                format!(
                    "release {} extends release {base_name}, which is not declared here; \
                     only its own applications are read",
                    out[*i].name
                ),
            ));
            continue;
        };
        let mut apps: Vec<ReleaseApp> = base.apps.clone();
        for own in std::mem::take(&mut out[*i].apps) {
            match apps.iter_mut().find(|a| a.name == own.name) {
                Some(slot) => *slot = own,
                None => apps.push(own),
            }
        }
        out[*i].apps = apps;
    }
}

/// `{Name, Vsn}`, or relx's `{Name, Vsn, {extend, Release}}` with the name
/// of the release extended.
fn release_id(id: &Term) -> Option<(String, String, Option<String>)> {
    // relx names releases with atoms, .rel files with strings.
    let text =
        |n: &Term, v: &Term| Some((n.as_text()?, v.as_text().unwrap_or_else(|| v.to_erlang())));
    match id.as_tuple()? {
        [n, v] => text(n, v).map(|(n, v)| (n, v, None)),
        [n, v, ext] => {
            let base = ext.tagged("extend")?.first()?.as_text()?;
            text(n, v).map(|(n, v)| (n, v, Some(base)))
        }
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
        let carried = carried_apps(items);
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
                source: ReleaseSource::Reltool,
                profile: None,
                file: rel.to_owned(),
                line: item.pos.line,
                carried: carried.clone(),
            });
        }
    }
    out
}

/// What reltool puts in the target system of `sys` (its items) besides
/// the releases' applications: `{incl_cond, include}` at the top takes
/// every application of `lib_dirs`, and `{app, Name, [{incl_cond,
/// include}]}` one (reltool's default, `derived`, takes only those an
/// included one calls, which a reading of the sources cannot tell).
fn carried_apps(items: &[Term]) -> Carried {
    let incl_cond = |opts: &[Term]| {
        opts.iter().find_map(|o| match o.tagged("incl_cond") {
            Some([c]) => c.as_atom().map(str::to_owned),
            _ => None,
        })
    };
    // The top's condition and its line, read together.
    let top = items.iter().find_map(|o| match o.tagged("incl_cond") {
        Some([c]) => Some((c.as_atom()?, o.pos.line)),
        _ => None,
    });
    let mut carried = Carried {
        all: top.filter(|(c, _)| *c == "include").map(|(_, line)| line),
        ..Carried::default()
    };
    for item in items {
        let Some([name, opts]) = item.tagged("app") else {
            continue;
        };
        let (Some(name), Some(opts)) = (name.as_atom(), opts.as_list()) else {
            continue;
        };
        match incl_cond(opts).as_deref() {
            Some("include") => carried.apps.push((name.to_owned(), item.pos.line)),
            // An app's own condition overrides the one at the top
            // (`reltool_server:app_init_is_included/4`).
            Some(_) => carried.excluded.push(name.to_owned()),
            None => {}
        }
    }
    carried
}

/// Reads a systools `.rel` file:
/// `{release, {Name, Vsn}, {erts, EVsn}, [{App, Vsn} | {App, Vsn, Type} | ...]}`.
pub fn from_rel_file(terms: &[Term], rel: &str, diags: &mut Vec<Diagnostic>) -> Vec<Release> {
    let mut out = Vec::new();
    for t in terms {
        match t.tagged("release") {
            Some([id, _erts, apps]) => {
                let Some((name, vsn, None)) = release_id(id) else {
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
                    source: ReleaseSource::Rel,
                    profile: None,
                    file: rel.to_owned(),
                    line: t.pos.line,
                    carried: Default::default(),
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

#[cfg(test)]
mod tests {
    use super::{from_reltool, from_relx};
    use crate::config::term::consult;
    use crate::model::{Held, ReleaseSource};

    /// A release as the tests compare it: name, vsn, application names.
    type Read = (String, String, Vec<String>);

    fn read(text: &str) -> (Vec<Read>, Vec<String>) {
        let terms = consult(text).unwrap();
        let mut diags = Vec::new();
        let rels = from_relx(&terms, "relx.config", ReleaseSource::Relx, None, &mut diags);
        let rels = rels
            .into_iter()
            .map(|r| (r.name, r.vsn, r.apps.into_iter().map(|a| a.name).collect()))
            .collect();
        (rels, diags.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn every_relx_release_form_is_read() {
        let (rels, diags) = read(
            "{release, {a, \"1\"}, [x]}.
             {release, {b, \"1\"}, [x], [{dev_mode, true}]}.
             {release, {c, \"1\"}, {erts, \"13.0\"}, [x, y]}.
             {release, {d, \"1\"}, {erts, \"13.0\"}, [y], [{include_erts, false}]}.",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<(&str, usize)> = rels.iter().map(|r| (r.0.as_str(), r.2.len())).collect();
        assert_eq!(names, [("a", 1), ("b", 1), ("c", 2), ("d", 1)]);
    }

    #[test]
    fn an_extending_release_starts_from_the_one_it_extends() {
        let (rels, diags) = read(
            "{release, {base, \"1\"}, [x, {y, load}]}.
             {release, {more, \"1\", {extend, base}}, [{y, permanent}, z]}.",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(rels[1].0, "more");
        assert_eq!(rels[1].2, ["x", "y", "z"]);
    }

    #[test]
    fn a_term_relx_skips_says_so() {
        let (rels, diags) =
            read("{release, {a, git}, [x], {dev_mode, true}, {debug_info, strip}}.");
        assert!(rels.is_empty());
        assert!(diags[0].contains("relx skips this term"), "{diags:?}");
    }

    #[test]
    fn reltool_apps_held_without_being_started_are_read() {
        let terms = consult(
            "{sys, [{lib_dirs, [\"../deps\"]},
                    {rel, \"node\", \"1\", [kernel, stdlib, node]},
                    {rel, \"start_clean\", \"\", [kernel, stdlib]},
                    {incl_cond, exclude},
                    {app, node, [{incl_cond, include}, {lib_dir, \"..\"}]},
                    {app, metrics, [{incl_cond, include}]},
                    {app, debugger, [{incl_cond, exclude}]},
                    {app, tools, [{mod_cond, app}]}]}.",
        )
        .unwrap();
        let mut diags = Vec::new();
        let rels = from_reltool(&terms, "rel/reltool.config", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(rels.len(), 2);
        let carried = &rels[0].carried;
        assert_eq!(rels[1].carried, *carried, "one sys, one target system");
        assert_eq!(carried.held("metrics"), Some(Held::Named(6)));
        assert_eq!(carried.held("node"), Some(Held::Named(5)));
        assert_eq!(carried.held("debugger"), None);
        assert_eq!(carried.held("tools"), None, "no incl_cond: derived");
        assert_eq!(carried.all, None, "{{incl_cond, exclude}} at the top");

        let terms = consult(
            "{sys, [{rel, \"node\", \"1\", [kernel, stdlib, node]},
                    {incl_cond, include},
                    {app, debugger, [{incl_cond, exclude}]}]}.",
        )
        .unwrap();
        let rels = from_reltool(&terms, "rel/reltool.config", &mut diags);
        let carried = &rels[0].carried;
        assert_eq!(
            carried.held("anything"),
            Some(Held::Every(2)),
            "every app of lib_dirs"
        );
        assert_eq!(carried.held("debugger"), None, "but those excluded");
    }
}
