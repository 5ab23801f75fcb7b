//! Mix projects in the model: a `mix.exs` with `app:` is an application
//! (resource `mix_exs`) whose `applications` are those Mix writes into the
//! `.app`; its deps are dependencies; a `mix.exs` with `apps_path:` is an
//! umbrella whose applications live in `<apps_path>/*/mix.exs`.
//!
//! A `.app.src` (or `.app.src.script`, or `ebin/<app>.app`) next to the
//! `mix.exs` wins: rebar3 builds from it, it lists `applications` itself
//! where `mix.exs` often computes them, and code bases that keep both keep
//! the `.app.src` for the Erlang tools.

use crate::config::mix_exs::{self, MixProject};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Found;
use crate::model::{App, AppKind, AppOrigin, Dep, DepSource, ResourceKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A `mix.exs` describes the same application as a `.app.src` beside it.
const MIX_SUPERSEDED: &str = "mix-exs-superseded";

/// The applications that come with Elixir rather than with OTP: named by a
/// Mix app, they are a dependency on the Elixir installation.
const ELIXIR_APPS: &[&str] = &["eex", "elixir", "ex_unit", "iex", "logger", "mix"];

/// A directory holding a `mix.exs` that was read.
#[derive(Debug, Clone)]
pub(super) struct MixRoot {
    dir: String,
    /// `apps_path` of an umbrella root.
    apps_path: Option<String>,
    /// It comes from a fetched dependency.
    in_deps: bool,
    /// Dependencies known by name only (salvaged from a helper's arguments):
    /// see [`add_named_deps`].
    named: Vec<Dep>,
}

/// Reads one `mix.exs`: adds its application and deps. Returns the
/// directory when the file is a Mix project.
pub(super) fn read_mix_exs(
    f: &Found,
    root: &Path,
    present: &BTreeSet<&str>,
    max_bytes: u64,
    apps: &mut Vec<App>,
    deps: &mut Vec<Dep>,
    diags: &mut Vec<Diagnostic>,
) -> Option<MixRoot> {
    let bytes = match crate::config::read_bytes(&f.path, &f.rel, max_bytes) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = crate::source::decode(&bytes).text;
    let dir = super::paths::parent_dir(&f.rel);
    let read_file = |name: &str| read_beside(root, &dir, name, max_bytes);
    let (project, mut d) = mix_exs::read(&text, &f.rel, &read_file);
    let Some(project) = project else {
        diags.append(&mut d);
        return None;
    };
    if let Some((compilers, line)) = &project.compilers {
        if !compilers.iter().any(|c| c == "erlang") {
            // Its `src/` (say the sources of the apps of a monorepo it
            // tests) is not its own.
            diags.push(Diagnostic::new(
                Severity::Info,
                mix_exs::MIX_NO_ERLANG,
                &f.rel,
                *line,
                None,
                format!(
                    "`compilers: [{}]` leaves out `:erlang`: an Elixir project that compiles no \
                     Erlang, out of otpmap's scope; not read further",
                    compilers
                        .iter()
                        .map(|c| format!(":{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            return None;
        }
    }
    let mut mix_root = MixRoot {
        dir: dir.clone(),
        apps_path: project.apps_path.clone(),
        in_deps: f.in_deps,
        named: vec![],
    };
    let declared = project
        .deps
        .iter()
        .filter(|d| !d.in_umbrella && !d.name_only);
    if project.app.is_none() && project.app_computed {
        // A mix.exs beside a rebar3 project often reads its name (and the
        // rest) from the project's own `.app.src`: that file is the truth.
        if let Some(resource) = only_resource(&dir, present) {
            let why = format!(
                "the application this file describes has a computed name; {resource}, \
                 which rebar3 builds, describes the one application here: using that one"
            );
            superseded(f, &project, d, diags, why);
            return Some(mix_root);
        }
    }
    let Some(name) = project.app.clone() else {
        // An umbrella root's deps are the umbrella's.
        diags.append(&mut d);
        deps.extend(declared.map(|d| d.dep.clone()));
        return Some(mix_root);
    };
    if let Some(resource) = static_resource(&dir, &name, present) {
        let why = format!(
            "application `{name}` is also described by {resource}, which rebar3 builds and \
             which lists its applications itself: using that one"
        );
        superseded(f, &project, d, diags, why);
        return Some(mix_root);
    }
    diags.append(&mut d);
    let app = app_from_mix(&project, name, f, &dir);
    deps.extend(declared.map(|d| d.dep.clone()));
    mix_root.named = project
        .deps
        .iter()
        .filter(|d| d.name_only)
        .map(|d| d.dep.clone())
        .collect();
    // One dependency on the Elixir installation per Elixir app, declared
    // where a Mix app first names it.
    for r in &app.applications {
        let declared = deps.iter().any(|d| d.name == r.name);
        if ELIXIR_APPS.contains(&r.name.as_str()) && !declared {
            deps.push(Dep {
                name: r.name.clone(),
                source: DepSource::Other,
                version: project.elixir.as_ref().map(|(v, _)| v.clone()),
                url: None,
                git_ref: None,
                package: None,
                profile: None,
                file: f.rel.clone(),
                // `elixir` is implicit: declared by the `elixir:` requirement.
                line: match &project.elixir {
                    Some((_, line)) if r.name == "elixir" => *line,
                    _ => r.line,
                },
                raw: false,
            });
        }
    }
    apps.push(app);
    Some(mix_root)
}

/// The mix.exs `f` is superseded by an application resource (`why`
/// says which): what it computes does not matter, one info says so.
fn superseded(
    f: &Found,
    project: &MixProject,
    mut d: Vec<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
    why: String,
) {
    d.retain(|d| d.code != mix_exs::MIX_COMPUTED && d.code != mix_exs::MIX_BAD_DEP);
    diags.append(&mut d);
    diags.push(Diagnostic::new(
        Severity::Info,
        MIX_SUPERSEDED,
        &f.rel,
        project.line,
        None,
        why,
    ));
}

/// The resource of application `name` in folder `dir`, as rebar3 reads
/// it: `src/NAME.app.src`, its `.script`, or `ebin/NAME.app`, the first
/// present.
fn static_resource(dir: &str, name: &str, present: &BTreeSet<&str>) -> Option<String> {
    [
        format!("src/{name}.app.src"),
        format!("src/{name}.app.src.script"),
        format!("ebin/{name}.app"),
    ]
    .into_iter()
    .map(|r| super::paths::join(dir, &r))
    .find(|r| present.contains(r.as_str()))
}

/// The application resource of folder `dir` when it describes one
/// application only ([`static_resource`] of the one name its `src/` and
/// `ebin/` resources give).
fn only_resource(dir: &str, present: &BTreeSet<&str>) -> Option<String> {
    let src = super::paths::join(dir, "src/");
    let ebin = super::paths::join(dir, "ebin/");
    let name_in = |p: &str, folder: &str, suffixes: &[&str]| -> Option<String> {
        let n = p.strip_prefix(folder).filter(|n| !n.contains('/'))?;
        suffixes
            .iter()
            .find_map(|s| n.strip_suffix(s))
            .map(str::to_owned)
    };
    let names: BTreeSet<String> = present
        .iter()
        .filter_map(|p| {
            name_in(p, &src, &[".app.src", ".app.src.script"])
                .or_else(|| name_in(p, &ebin, &[".app"]))
        })
        .collect();
    let [name] = names.into_iter().collect::<Vec<_>>().try_into().ok()?;
    static_resource(dir, &name, present)
}

fn app_from_mix(p: &MixProject, name: String, f: &Found, dir: &str) -> App {
    let (applications, optional_applications) = p.applications();
    App {
        kind: if p.mod_.is_some() {
            AppKind::Regular
        } else {
            AppKind::Library
        },
        // Mix's default description is the application's name.
        description: Some(p.description.clone().unwrap_or_else(|| name.clone())),
        name,
        vsn: p.version.clone(),
        mod_: p.mod_.clone(),
        applications,
        included_applications: p.included_applications.clone(),
        optional_applications,
        registered: p.registered.clone(),
        env_keys: p.env.iter().map(|e| e.key.clone()).collect(),
        env: p.env.clone(),
        dir: dir.to_owned(),
        file: f.rel.clone(),
        line: p.line,
        resource: ResourceKind::MixExs,
        origin: if f.in_deps {
            AppOrigin::Dep
        } else {
            AppOrigin::Project
        },
        modules: vec![],
    }
}

/// Adds the dependencies known by name only that no file declares: the
/// first mention of each (`UMP.deps([:gproc])` names a dependency whose
/// spec a helper of another module holds; when the root `mix.exs` declares
/// it, that declaration is the one kept).
pub(super) fn add_named_deps(roots: &[MixRoot], deps: &mut Vec<Dep>) {
    for d in roots.iter().flat_map(|r| &r.named) {
        if !deps.iter().any(|known| known.name == d.name) {
            deps.push(d.clone());
        }
    }
}

/// `File.read!(name)` in a `mix.exs` of `dir`: Mix runs it from the
/// project's directory. Only files inside the scanned tree are read.
fn read_beside(root: &Path, dir: &str, name: &str, max_bytes: u64) -> Result<String, String> {
    let mut parts: Vec<&str> = if dir == "." {
        vec![]
    } else {
        dir.split('/').collect()
    };
    if name.starts_with('/') {
        return Err(format!("`{name}` is outside the scanned directory"));
    }
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{name}` is outside the scanned directory"));
                }
            }
            p => parts.push(p),
        }
    }
    let rel = parts.join("/");
    match crate::config::read_bytes(&root.join(&rel), &rel, max_bytes) {
        Ok(bytes) => Ok(crate::source::decode(&bytes).text),
        Err(_) => Err(format!("`{rel}` cannot be read")),
    }
}

/// The directories that are projects of their own, with their
/// `apps_path`: every Mix root but the applications of an umbrella
/// (`<root>/<apps_path>/<app>`) and fetched dependencies.
pub(super) fn project_dirs(roots: &[MixRoot]) -> BTreeMap<String, Option<String>> {
    let umbrella_apps: BTreeSet<String> = roots
        .iter()
        .filter_map(|r| {
            let path = r.apps_path.as_deref()?;
            Some(super::paths::join(&r.dir, path.trim_end_matches('/')))
        })
        .collect();
    roots
        .iter()
        .filter(|r| !r.in_deps)
        .filter(|r| !umbrella_apps.contains(&super::paths::parent_dir(&r.dir)))
        .map(|r| (r.dir.clone(), r.apps_path.clone()))
        .collect()
}
