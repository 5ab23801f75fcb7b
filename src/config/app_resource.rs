//! Application resource files: `ebin/<app>.app` and `src/<app>.app.src`,
//! a single `{application, Name, [Key/Value]}` term.

use super::term::Term;
use super::term_diagnostic;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AppMod, AppRef, StartPhase};

/// What an application resource file says.
#[derive(Debug, Clone, PartialEq)]
pub struct AppResource {
    pub(crate) name: String,
    pub(crate) vsn: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) mod_: Option<AppMod>,
    pub(crate) applications: Vec<AppRef>,
    pub(crate) included_applications: Vec<AppRef>,
    pub(crate) optional_applications: Vec<AppRef>,
    pub(crate) registered: Vec<String>,
    pub(crate) env_keys: Vec<String>,
    /// The `env` entries: key, value in Erlang syntax, line.
    pub(crate) env: Vec<crate::model::EnvEntry>,
    /// The `modules` key (filled in `.app` files, usually empty in `.app.src`).
    pub(crate) modules: Vec<String>,
    /// Line of the `{application, ...}` term.
    pub(crate) line: u32,
}

/// Reads the terms of a resource file. `expected_name` is the name the file
/// name implies; a mismatch is reported (OTP refuses to load such an app).
pub fn from_terms(
    terms: &[Term],
    rel: &str,
    expected_name: &str,
) -> (Option<AppResource>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(first) = terms.first() else {
        diags.push(Diagnostic::file_level(
            Severity::Error,
            "bad-app-file",
            rel,
            "empty application resource file: expected {application, Name, [...]}.",
        ));
        return (None, diags);
    };
    if terms.len() > 1 {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-app-file",
            rel,
            &terms[1],
            "an application resource file holds one term; the rest is ignored",
        ));
    }
    let (name_term, props) = match first.tagged("application") {
        Some([name, props]) => (name, props),
        _ => {
            diags.push(term_diagnostic(
                Severity::Error,
                "bad-app-file",
                rel,
                first,
                format!(
                    "expected {{application, Name, [...]}}, found {}",
                    short(first)
                ),
            ));
            return (None, diags);
        }
    };
    let Some(name) = name_term.as_atom() else {
        diags.push(term_diagnostic(
            Severity::Error,
            "bad-app-file",
            rel,
            name_term,
            format!(
                "the application name must be an atom, found {}",
                short(name_term)
            ),
        ));
        return (None, diags);
    };
    if name != expected_name {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-app-file",
            rel,
            name_term,
            format!("application `{name}` is in a file named for `{expected_name}`; OTP will not load it"),
        ));
    }
    let Some(props) = props.as_list() else {
        diags.push(term_diagnostic(
            Severity::Error,
            "bad-app-file",
            rel,
            props,
            "the application properties must be a list of {Key, Value}",
        ));
        return (None, diags);
    };

    let mut app = AppResource {
        name: name.to_owned(),
        vsn: None,
        description: None,
        mod_: None,
        applications: vec![],
        included_applications: vec![],
        optional_applications: vec![],
        registered: vec![],
        env_keys: vec![],
        env: vec![],
        modules: vec![],
        line: first.pos.line,
    };
    let mut start_phases = Vec::new();
    for prop in props {
        let (key, value) = match prop.as_tuple() {
            Some([k, v]) if k.as_atom().is_some() => (k.as_atom().unwrap_or_default(), v),
            _ => {
                diags.push(term_diagnostic(
                    Severity::Warning,
                    "bad-app-file",
                    rel,
                    prop,
                    format!("expected {{Key, Value}}, found {}", short(prop)),
                ));
                continue;
            }
        };
        let mut bad = |what: &str| {
            diags.push(term_diagnostic(
                Severity::Warning,
                "bad-app-file",
                rel,
                value,
                format!("`{key}` should be {what}, found {}", short(value)),
            ))
        };
        match key {
            "vsn" => match value.as_text() {
                Some(v) => app.vsn = Some(v),
                None => app.vsn = Some(value.to_erlang()),
            },
            "description" => match value.as_text() {
                Some(d) => app.description = Some(d),
                None => bad("a string"),
            },
            "mod" => match value.as_tuple() {
                Some([m, args]) if m.as_atom().is_some() => {
                    app.mod_ = Some(AppMod {
                        module: m.as_atom().unwrap_or_default().to_owned(),
                        args: args.to_erlang(),
                        start_phases: std::mem::take(&mut start_phases),
                    })
                }
                _ => bad("{Module, StartArgs}"),
            },
            "start_phases" => match value.as_list().map(phases) {
                Some(Some(p)) => match app.mod_.as_mut() {
                    Some(m) => m.start_phases = p,
                    // `mod` may come later in the list.
                    None => start_phases = p,
                },
                _ => bad("a list of {Phase, PhaseArgs}"),
            },
            "applications" => match app_refs(value) {
                Some(r) => app.applications = r,
                None => bad("a list of application names"),
            },
            "included_applications" => match app_refs(value) {
                Some(r) => app.included_applications = r,
                None => bad("a list of application names"),
            },
            "optional_applications" => match app_refs(value) {
                Some(r) => app.optional_applications = r,
                None => bad("a list of application names"),
            },
            "registered" => match atoms(value) {
                Some(r) => app.registered = r,
                None => bad("a list of names"),
            },
            "modules" => match atoms(value) {
                Some(r) => app.modules = r,
                None => bad("a list of module names"),
            },
            "env" => match value.as_list() {
                Some(items) => {
                    app.env_keys = items
                        .iter()
                        .filter_map(|i| match i.as_tuple() {
                            Some([k, _]) => k.as_atom().map(str::to_owned),
                            _ => None,
                        })
                        .collect();
                    app.env = env_entries(items);
                }
                None => bad("a list of {Key, Value}"),
            },
            _ => {}
        }
    }
    (Some(app), diags)
}

/// `[{Phase, PhaseArgs}]`, or `None` when an entry is not of that shape.
fn phases(items: &[Term]) -> Option<Vec<StartPhase>> {
    items
        .iter()
        .map(|i| match i.as_tuple() {
            Some([p, a]) => Some(StartPhase {
                phase: p.as_atom()?.to_owned(),
                args: a.to_erlang(),
                line: i.pos.line,
            }),
            _ => None,
        })
        .collect()
}

/// The `{Key, Value}` entries of an `env` list, values printed in Erlang syntax.
pub(crate) fn env_entries(items: &[Term]) -> Vec<crate::model::EnvEntry> {
    items
        .iter()
        .filter_map(|i| match i.as_tuple() {
            Some([k, v]) => Some(crate::model::EnvEntry {
                key: k.as_atom()?.to_owned(),
                value: v.to_erlang(),
                line: v.pos.line,
            }),
            _ => None,
        })
        .collect()
}

fn app_refs(t: &Term) -> Option<Vec<AppRef>> {
    t.as_list()?
        .iter()
        .map(|a| {
            a.as_atom().map(|n| AppRef {
                name: n.to_owned(),
                line: a.pos.line,
            })
        })
        .collect()
}

fn atoms(t: &Term) -> Option<Vec<String>> {
    t.as_list()?
        .iter()
        .map(|a| a.as_atom().map(str::to_owned))
        .collect()
}

/// A term shortened for a message.
pub(crate) fn short(t: &Term) -> String {
    let s = t.to_erlang();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}
