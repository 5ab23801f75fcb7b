//! Builds the [`Project`] from what discovery found: reads every
//! configuration file once and assembles apps, deps and releases.

use super::paths::{join, parent_dir};
use crate::config::app_resource::{self, AppResource};
use crate::config::path_glob::PathGlob;
use crate::config::{erlang_mk, read_bytes, read_terms_limited, rebar, release_spec};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, DiscoverError, DiscoverOptions, FileKind, Found};
use crate::model::{
    App, AppKind, AppMod, AppOrigin, AppRef, BehaviourAliases, BuildTool, Dep, Layout, LockedDep,
    Project, Release, ReleaseSource, ResourceKind, SubProject, ToolConfig,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Options for [`load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub(crate) discover: DiscoverOptions,
    pub(crate) index: crate::syntax::IndexOptions,
    /// `--env NAME=VALUE`: what `os:getenv/1` answers in configuration
    /// scripts (`false` for any other name).
    pub(crate) script_env: BTreeMap<String, String>,
}

/// What the rebar.config files (or their scripts) of the code base give.
#[derive(Default)]
struct RebarRead {
    deps: Vec<Dep>,
    releases: Vec<Release>,
    tool_config: Vec<ToolConfig>,
    include_dirs: Vec<String>,
    extra_src_dirs: Vec<String>,
    /// `project_app_dirs` of each project folder that sets it.
    project_app_dirs: BTreeMap<String, Vec<String>>,
}

impl RebarRead {
    /// Reads the terms of `file` (a rebar.config, or the script standing
    /// for it).
    fn add(
        &mut self,
        terms: &[crate::config::term::Term],
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        let cfg = rebar::from_terms(terms, file, diags);
        let dir = parent_dir(file);
        if let Some(t) = cfg.otpmap.clone() {
            self.tool_config.push(ToolConfig {
                file: file.to_owned(),
                dir: dir.clone(),
                terms: vec![t],
            });
        }
        self.include_dirs
            .extend(cfg.include_dirs.iter().map(|i| join(&dir, i)));
        self.extra_src_dirs
            .extend(cfg.extra_src_dirs.iter().map(|i| join(&dir, i)));
        self.deps.extend(cfg.deps);
        self.releases.extend(cfg.releases);
        if let Some(dirs) = cfg.project_app_dirs {
            self.project_app_dirs.insert(dir, dirs);
        }
    }
}

/// What a configuration script stands for.
enum ScriptRead {
    /// The script's value, as terms, each with the file it is placed in.
    Evaluated(Vec<(String, crate::config::term::Term)>),
    /// Its value is not known: the static file next to it.
    Sibling(Vec<crate::config::term::Term>),
    /// Neither.
    Nothing,
}

/// Evaluates a `.script` with `CONFIG` bound to the terms of the file it
/// stands next to, as rebar3 does; falls back to that file when the
/// script's value is not known at all.
fn read_script(
    f: &Found,
    root: &Path,
    present: &BTreeSet<&str>,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> ScriptRead {
    let max_bytes = opts.index.max_bytes;
    let sibling = f.rel.trim_end_matches(".script");
    let config = if present.contains(sibling) {
        let (terms, mut d) = read_terms_limited(&root.join(sibling), sibling, max_bytes);
        diags.append(&mut d);
        Some(terms)
    } else {
        None
    };
    let text = match read_bytes(&f.path, &f.rel, max_bytes) {
        Ok(b) => crate::source::decode(&b).text,
        Err(d) => {
            diags.push(d);
            return config.map_or(ScriptRead::Nothing, ScriptRead::Sibling);
        }
    };
    let input = crate::config::script::ScriptInput {
        root,
        rel: &f.rel,
        config: config.as_deref().unwrap_or(&[]),
        config_file: config.is_some().then_some(sibling),
        env: &opts.script_env,
        max_bytes,
    };
    let (terms, mut d) = crate::config::script::evaluate(&text, &input);
    diags.append(&mut d);
    match (terms, config) {
        (Some(t), _) => ScriptRead::Evaluated(t),
        (None, Some(c)) => {
            diags.push(Diagnostic::file_level(
                Severity::Info,
                crate::config::script::NOT_EVALUATED,
                f.rel.clone(),
                format!("using the static {sibling}, which the script may change"),
            ));
            ScriptRead::Sibling(c)
        }
        (None, None) => ScriptRead::Nothing,
    }
}

/// Discovers and reads the code base at `root`. Only a root that cannot be
/// walked at all is an error; every other problem is a diagnostic.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Project, DiscoverError> {
    let found = discover::discover(root, &opts.discover)?;
    let mut diags = found.diagnostics.clone();
    let kept = without_fixture_projects(&found.files, &mut diags);
    let files = &kept;
    let present: BTreeSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();

    let mut apps: Vec<App> = Vec::new();
    let mut deps: Vec<Dep> = Vec::new();
    let mut locks: Vec<LockedDep> = Vec::new();
    let mut releases: Vec<Release> = Vec::new();
    let mut rebar_dirs: BTreeSet<String> = BTreeSet::new();
    let mut erlang_mk_dirs: BTreeSet<String> = BTreeSet::new();
    let mut mix_roots: Vec<crate::load::mix::MixRoot> = Vec::new();
    let mut erl_opts_i: Vec<String> = Vec::new();
    let mut tool_config: Vec<ToolConfig> = Vec::new();
    let mut rebar_read = RebarRead::default();
    let max_bytes = opts.index.max_bytes;

    // The sources are read and indexed on rayon's threads while this one
    // reads the configuration: neither needs the other, and the
    // configuration alone would leave the other core idle.
    let (indexes, ()) = rayon::join(
        || super::sources::index_sources(&found.root, files, opts.index),
        || {
            for f in files {
                // A bug met in one file is that file's diagnostic, not the run's end.
                let read =
                    crate::internal_error::guard(&f.rel, "reading this file", || match f.kind {
                        FileKind::AppSrc | FileKind::App | FileKind::AppSrcScript
                            if stray_resource(f, &present, &mut diags) => {}
                        FileKind::AppSrc | FileKind::App => {
                            if f.kind == FileKind::App && has_app_src_sibling(f, &present) {
                                // ebin/<app>.app is build output of src/<app>.app.src.
                                return;
                            }
                            if f.kind == FileKind::AppSrc && has_versioned_app(f, &present) {
                                return;
                            }
                            if f.kind == FileKind::AppSrc
                                && present.contains(format!("{}.script", f.rel).as_str())
                            {
                                // rebar3 uses what the script makes of this file.
                                return;
                            }
                            if f.rel.ends_with(".in")
                                && present.contains(f.rel.trim_end_matches(".in"))
                            {
                                // `configure` has run: the file it wrote is the truth.
                                return;
                            }
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            let unreadable = terms.is_empty() && !d.is_empty();
                            diags.append(&mut d);
                            if unreadable {
                                return;
                            }
                            let expected = app_name_from_file(&f.rel);
                            let (res, mut d) = app_resource::from_terms(&terms, &f.rel, &expected);
                            diags.append(&mut d);
                            if let Some(res) = res {
                                let kind = if f.kind == FileKind::AppSrc {
                                    ResourceKind::AppSrc
                                } else {
                                    ResourceKind::App
                                };
                                apps.push(app_from_resource(res, f, kind));
                            }
                        }
                        FileKind::AppSrcScript => {
                            let sibling = f.rel.trim_end_matches(".script");
                            let (terms, used) =
                                match read_script(f, &found.root, &present, opts, &mut diags) {
                                    ScriptRead::Evaluated(terms) => {
                                        // The application is read where the script placed it:
                                        // the static file when the script passed it through.
                                        let placed = match terms.first() {
                                            Some((file, _)) if file == sibling => sibling,
                                            _ => f.rel.as_str(),
                                        };
                                        (
                                            terms.into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
                                            placed,
                                        )
                                    }
                                    ScriptRead::Sibling(terms) => (terms, sibling),
                                    ScriptRead::Nothing => {
                                        diags.push(Diagnostic::file_level(
                            Severity::Warning,
                            crate::config::script::NOT_EVALUATED,
                            f.rel.clone(),
                            "the script's value is not known and there is no static .app.src \
                             next to it: only the application's name is known",
                        ));
                                        apps.push(app_from_script(f));
                                        return;
                                    }
                                };
                            let expected = app_name_from_file(&f.rel);
                            let (res, mut d) = app_resource::from_terms(&terms, used, &expected);
                            diags.append(&mut d);
                            if let Some(res) = res {
                                let mut app = app_from_resource(res, f, ResourceKind::AppSrcScript);
                                if used != f.rel {
                                    app.resource = ResourceKind::AppSrc;
                                    app.file = used.to_owned();
                                }
                                apps.push(app);
                            }
                        }
                        FileKind::RebarConfig => {
                            rebar_dirs.insert(parent_dir(&f.rel));
                            if present.contains(format!("{}.script", f.rel).as_str()) {
                                // rebar3 uses what the script makes of this file.
                                return;
                            }
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            rebar_read.add(&terms, &f.rel, &mut diags);
                        }
                        FileKind::RebarConfigScript => {
                            rebar_dirs.insert(parent_dir(&f.rel));
                            let sibling = f.rel.trim_end_matches(".script");
                            match read_script(f, &found.root, &present, opts, &mut diags) {
                                ScriptRead::Evaluated(terms) => {
                                    // Each entry is read where it is placed: rebar.config
                                    // for what the script passes through unchanged.
                                    let mut by_file: BTreeMap<
                                        String,
                                        Vec<crate::config::term::Term>,
                                    > = BTreeMap::new();
                                    for (file, t) in terms {
                                        by_file.entry(file).or_default().push(t);
                                    }
                                    for (file, terms) in by_file {
                                        rebar_read.add(&terms, &file, &mut diags);
                                    }
                                }
                                ScriptRead::Sibling(terms) => {
                                    rebar_read.add(&terms, sibling, &mut diags)
                                }
                                ScriptRead::Nothing => {
                                    diags.push(Diagnostic::file_level(
                                        Severity::Info,
                                        crate::config::script::NOT_EVALUATED,
                                        f.rel.clone(),
                                        "the script's value is not known and there is no static \
                             rebar.config: its deps and releases are unknown",
                                    ));
                                }
                            }
                        }
                        // rebar3 reads only the project's own lock, never a dependency's.
                        FileKind::RebarLock if f.in_deps => {}
                        FileKind::RebarLock => {
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            locks.extend(crate::config::rebar_lock::from_terms(
                                &terms, &f.rel, &mut diags,
                            ));
                        }
                        FileKind::RelxConfig => {
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            releases.extend(release_spec::from_relx(
                                &terms,
                                &f.rel,
                                ReleaseSource::Relx,
                                None,
                                &mut diags,
                            ));
                        }
                        FileKind::ReltoolConfig => {
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            releases.extend(release_spec::from_reltool(&terms, &f.rel, &mut diags));
                        }
                        FileKind::Rel => {
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            releases
                                .extend(release_spec::from_rel_file(&terms, &f.rel, &mut diags));
                        }
                        FileKind::OtpmapConfig => {
                            let (terms, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                            tool_config.push(ToolConfig {
                                file: f.rel.clone(),
                                dir: parent_dir(&f.rel),
                                terms,
                            });
                        }
                        FileKind::SysConfig => {
                            // Read for its diagnostics: a malformed sys.config fails the boot.
                            let (_, mut d) = read_terms_limited(&f.path, &f.rel, max_bytes);
                            diags.append(&mut d);
                        }
                        FileKind::Makefile => {
                            if let Some(dir) = read_erlang_mk(
                                &found.root,
                                f,
                                &present,
                                max_bytes,
                                &mut apps,
                                &mut deps,
                                &mut diags,
                            ) {
                                erlang_mk_dirs.insert(dir);
                            }
                        }
                        FileKind::MixExs => {
                            let root = &found.root;
                            let mut read = || {
                                crate::load::mix::read_mix_exs(
                                    f, root, &present, max_bytes, &mut apps, &mut deps, &mut diags,
                                )
                            };
                            mix_roots.extend(read());
                        }
                        FileKind::Erl | FileKind::Hrl => {}
                    });
                if let Err(d) = read {
                    diags.push(d);
                }
            }
        },
    );

    let project_app_dirs = std::mem::take(&mut rebar_read.project_app_dirs);
    deps.append(&mut rebar_read.deps);
    releases.append(&mut rebar_read.releases);
    tool_config.append(&mut rebar_read.tool_config);
    erl_opts_i.append(&mut rebar_read.include_dirs);
    let extra_src_dirs = std::mem::take(&mut rebar_read.extra_src_dirs)
        .into_iter()
        .collect();
    crate::load::mix::add_named_deps(&mix_roots, &mut deps);
    assign_modules(files, &mut apps);
    dedup_apps(&mut apps, &mut diags);
    same_name_apps(&apps, &mut diags);
    infer_erlang_mk_mods(&mut apps);
    let sources =
        super::sources::read_sources(&found.root, files, indexes, &apps, &erl_opts_i, &mut diags);

    apps.sort_by(|a, b| (&a.name, &a.dir).cmp(&(&b.name, &b.dir)));
    deps.sort_by(|a, b| {
        (&a.name, &a.profile, &a.file, a.line).cmp(&(&b.name, &b.profile, &b.file, b.line))
    });
    locks_rebar3_reads(&mut locks, &rebar_dirs, &project_app_dirs, &mut diags);
    locks.sort_by(|a, b| (&a.name, &a.file, a.line).cmp(&(&b.name, &b.file, b.line)));
    // A `dep_` line in a makefile several projects include is one dep.
    deps.dedup();
    releases.sort_by(|a, b| {
        (&a.name, &a.profile, &a.file, a.line).cmp(&(&b.name, &b.profile, &b.file, b.line))
    });

    // Directories that hold an app resource file, readable or not: a
    // rebar.config there belongs to an umbrella app.
    let mut app_dirs: BTreeSet<String> = files
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FileKind::AppSrc | FileKind::App | FileKind::AppSrcScript
            )
        })
        .map(|f| app_dir_of(&f.rel))
        .collect();
    app_dirs.extend(
        apps.iter()
            .filter(|a| a.resource == ResourceKind::MixExs)
            .map(|a| a.dir.clone()),
    );
    let mix_dirs = crate::load::mix::project_dirs(&mix_roots);
    let projects = sub_projects(&apps, &app_dirs, &rebar_dirs, &erlang_mk_dirs, &mix_dirs);
    let layout = top_layout(&apps, &projects, sources.modules.len(), &erlang_mk_dirs);
    let behaviour_aliases = BehaviourAliases::build(&sources, &tool_config, &mut diags);
    Ok(Project {
        layout,
        projects,
        apps,
        deps,
        locks,
        releases,
        sources,
        tool_config,
        extra_src_dirs,
        dep_folders: crate::model::DepFolders::new(found.dep_folders, found.fetched),
        behaviour_aliases,
        diagnostics: diags,
    })
}

/// Keeps the locks rebar3 reads: the lock at the root of the project it
/// builds, and no other. The lock of an application the project builds
/// (an umbrella's `apps/a/rebar.lock`, left from building `a` alone) or of
/// a dependency it holds (`_checkouts/d`, a committed `deps/d`) pins
/// nothing: rebar3 fetches what the project's own lock and configuration
/// say, whatever that lock holds. A project's applications are the
/// folders its `project_app_dirs` names (`apps/*`, `lib/*` and itself by
/// default); a folder with a `rebar.config` of its own elsewhere in it (a
/// test harness's `big_tests/`) is a project of its own, whose lock is
/// read. Each lock left out is said once.
fn locks_rebar3_reads(
    locks: &mut Vec<LockedDep>,
    rebar_dirs: &BTreeSet<String>,
    project_app_dirs: &BTreeMap<String, Vec<String>>,
    diags: &mut Vec<Diagnostic>,
) {
    const DEFAULT_APP_DIRS: [&str; 3] = ["apps/*", "lib/*", "."];
    const DEP_DIRS: [&str; 2] = ["_checkouts/*", "deps/*"];
    if locks.is_empty() {
        return;
    }
    // A pattern that cannot be used (over PathGlob's length bound) names
    // no folder.
    let globs = |patterns: &mut dyn Iterator<Item = &str>| -> Vec<PathGlob> {
        patterns.filter_map(|p| PathGlob::whole(p).ok()).collect()
    };
    let default_app_dirs = globs(&mut DEFAULT_APP_DIRS.into_iter());
    let dep_dirs = globs(&mut DEP_DIRS.into_iter());
    let app_dirs_of: BTreeMap<&str, Vec<PathGlob>> = project_app_dirs
        .iter()
        .map(|(dir, patterns)| {
            (
                dir.as_str(),
                globs(&mut patterns.iter().map(String::as_str)),
            )
        })
        .collect();
    // The project that builds the folder `dir` as one of its applications
    // or dependencies, nearest first, and which of the two.
    let built_by = |dir: &str| -> Option<(String, bool)> {
        ancestors(dir)
            .filter(|a| rebar_dirs.contains(*a))
            .find_map(|a| {
                let inner = if a == "." {
                    dir
                } else {
                    dir.strip_prefix(a)?.strip_prefix('/')?
                };
                let app_dirs = app_dirs_of.get(a).unwrap_or(&default_app_dirs);
                if app_dirs.iter().any(|g| g.matches(inner)) {
                    Some((a.to_owned(), true))
                } else if dep_dirs.iter().any(|g| g.matches(inner)) {
                    Some((a.to_owned(), false))
                } else {
                    None
                }
            })
    };
    let mut unread: BTreeMap<String, (String, bool)> = BTreeMap::new();
    locks.retain(|l| match built_by(&parent_dir(&l.file)) {
        Some(by) => {
            unread.insert(l.file.clone(), by);
            false
        }
        None => true,
    });
    for (file, (project, as_app)) in unread {
        let at = if project == "." {
            "the root".to_owned()
        } else {
            format!("`{project}`")
        };
        let what = if as_app {
            "an application"
        } else {
            "a dependency"
        };
        diags.push(Diagnostic::file_level(
            Severity::Info,
            LOCK_NOT_READ,
            file,
            format!(
                "not read: this folder is {what} of the project at {at}, and rebar3 reads \
                 only that project's lock ({}); the pins here are not used",
                join(&project, "rebar.lock")
            ),
        ));
    }
}

/// The code of the note on a lock rebar3 does not read.
const LOCK_NOT_READ: &str = "lock-not-read";

/// The files discovered, less the configuration of fixture projects (see
/// [`discover::fixture_folder`]): their sources stay, read as test code.
/// Each such folder of the project is said once.
fn without_fixture_projects(files: &[Found], diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let kept = files
        .iter()
        .filter(|f| {
            if matches!(f.kind, FileKind::Erl | FileKind::Hrl) {
                return true;
            }
            let Some(folder) = discover::fixture_folder(&f.rel) else {
                return true;
            };
            if !f.in_deps {
                *skipped.entry(folder).or_default() += 1;
            }
            false
        })
        .cloned()
        .collect();
    for (folder, n) in skipped {
        let files = if n == 1 { "file" } else { "files" };
        diags.push(Diagnostic::file_level(
            Severity::Info,
            "fixture-project",
            folder,
            format!(
                "{n} configuration {files} of test data or templates here: not read as \
                 applications, dependencies or releases of this project (rebar3 and \
                 erlang.mk never build them); run otpmap on that folder to map it"
            ),
        ));
    }
    kept
}

/// `apps/web/src/web.app.src` → `web`.
fn app_name_from_file(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    // `.in`: an autotools template (`x.app.src.in`).
    name.trim_end_matches(".in")
        .trim_end_matches(".script")
        .trim_end_matches(".src")
        .trim_end_matches(".app")
        .to_owned()
}

/// The application directory: the parent of `src/` or `ebin/`.
fn app_dir_of(resource_rel: &str) -> String {
    let dir = parent_dir(resource_rel);
    let last = dir.rsplit('/').next().unwrap_or(&dir);
    if last == "src" || last == "ebin" {
        parent_dir(&dir)
    } else {
        dir
    }
}

fn has_app_src_sibling(f: &Found, present: &BTreeSet<&str>) -> bool {
    let dir = app_dir_of(&f.rel);
    let name = app_name_from_file(&f.rel);
    // In an installed OTP or release lib dir (`lib/<app>-<vsn>/`) the
    // `.app` is the built truth and the `.app.src` a template (`%VSN%`).
    let last = dir.rsplit('/').next().unwrap_or(&dir);
    if last
        .strip_prefix(name.as_str())
        .is_some_and(|rest| rest.starts_with('-'))
    {
        return false;
    }
    present.contains(join(&dir, &format!("src/{name}.app.src")).as_str())
        || present.contains(join(&dir, &format!("src/{name}.app.src.script")).as_str())
}

/// A resource file in an application's folder itself, beside `src/`
/// holding the resource of the same name (dgiot keeps a copy of its
/// `src/*.app.src.script` one level up): rebar3 reads only `src/` and
/// `ebin/`, so the copy is not read, with an info.
fn stray_resource(f: &Found, present: &BTreeSet<&str>, diags: &mut Vec<Diagnostic>) -> bool {
    let dir = parent_dir(&f.rel);
    let last = dir.rsplit('/').next().unwrap_or(&dir);
    if last == "src" || last == "ebin" {
        return false;
    }
    let name = app_name_from_file(&f.rel);
    // The script first: rebar3 uses it when both are there.
    let Some(used) = [".app.src.script", ".app.src"]
        .iter()
        .map(|ext| join(&dir, &format!("src/{name}{ext}")))
        .find(|p| present.contains(p.as_str()))
    else {
        return false;
    };
    diags.push(Diagnostic::file_level(
        Severity::Info,
        "duplicate-app",
        f.rel.clone(),
        format!("not read: rebar3 reads the application `{name}` from {used}"),
    ));
    true
}

/// `lib/<app>-<vsn>/src/<app>.app.src` next to `lib/<app>-<vsn>/ebin/<app>.app`.
fn has_versioned_app(f: &Found, present: &BTreeSet<&str>) -> bool {
    let dir = app_dir_of(&f.rel);
    let name = app_name_from_file(&f.rel);
    let last = dir.rsplit('/').next().unwrap_or(&dir);
    last.strip_prefix(name.as_str())
        .is_some_and(|rest| rest.starts_with('-'))
        && present.contains(join(&dir, &format!("ebin/{name}.app")).as_str())
}

fn app_from_resource(res: AppResource, f: &Found, resource: ResourceKind) -> App {
    App {
        kind: if res.mod_.is_some() {
            AppKind::Regular
        } else {
            AppKind::Library
        },
        name: res.name,
        vsn: res.vsn,
        description: res.description,
        mod_: res.mod_,
        applications: res.applications,
        included_applications: res.included_applications,
        optional_applications: res.optional_applications,
        registered: res.registered,
        env_keys: res.env_keys,
        env: res.env,
        dir: app_dir_of(&f.rel),
        file: f.rel.clone(),
        line: res.line,
        resource,
        origin: origin(f),
        modules: res.modules,
    }
}

fn origin(f: &Found) -> AppOrigin {
    if f.in_deps {
        AppOrigin::Dep
    } else {
        AppOrigin::Project
    }
}

fn app_from_script(f: &Found) -> App {
    App {
        name: app_name_from_file(&f.rel),
        vsn: None,
        description: None,
        kind: AppKind::Library,
        mod_: None,
        applications: vec![],
        included_applications: vec![],
        optional_applications: vec![],
        registered: vec![],
        env_keys: vec![],
        env: vec![],
        dir: app_dir_of(&f.rel),
        file: f.rel.clone(),
        line: 1,
        resource: ResourceKind::AppSrcScript,
        origin: origin(f),
        modules: vec![],
    }
}

/// Reads a Makefile; an erlang.mk project adds its deps, and its app unless a
/// `.app.src` describes it. Returns the project directory.
fn read_erlang_mk(
    root: &Path,
    f: &Found,
    present: &BTreeSet<&str>,
    max_bytes: u64,
    apps: &mut Vec<App>,
    deps: &mut Vec<Dep>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let bytes = match read_bytes(&f.path, &f.rel, max_bytes) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let text = crate::source::decode(&bytes).text;
    // Cheap check first: most Makefiles in a tree are not erlang.mk's.
    if !text.contains("PROJECT") {
        return None;
    }
    let dir = parent_dir(&f.rel);
    let mut unreadable = Vec::new();
    let mut open = |word: &str| {
        let Some(rel) = normalise(&join(&dir, word)) else {
            return erlang_mk::Included::Outside;
        };
        let path = root.join(&rel);
        if !path.is_file() {
            return erlang_mk::Included::Missing;
        }
        match read_bytes(&path, &rel, max_bytes) {
            Ok(bytes) => erlang_mk::Included::Read {
                text: crate::source::decode(&bytes).text,
                rel,
            },
            Err(d) => {
                unreadable.push(d);
                erlang_mk::Included::Unreadable
            }
        }
    };
    let (mk, mut d) = erlang_mk::read_with_includes(&text, &f.rel, &mut open);
    d.append(&mut unreadable);
    let uses_erlang_mk =
        mk.includes_erlang_mk || present.contains(join(&dir, "erlang.mk").as_str());
    let project = mk.project()?;
    if !uses_erlang_mk {
        return None;
    }
    diags.append(&mut d);
    deps.extend(mk.deps(&f.rel));
    let name = project.value.clone();
    let has_app_src = present.contains(join(&dir, &format!("src/{name}.app.src")).as_str());
    if !has_app_src {
        // erlang.mk's generated applications list: kernel, stdlib, then
        // LOCAL_DEPS, then DEPS.
        let line_of = |var: &str| mk.line_in(var, &f.rel);
        let mut applications: Vec<AppRef> = ["kernel", "stdlib"]
            .iter()
            .map(|n| AppRef {
                name: (*n).to_owned(),
                line: project.line,
            })
            .collect();
        for var in ["LOCAL_DEPS", "DEPS"] {
            for n in mk.words(var) {
                applications.push(AppRef {
                    name: n,
                    line: line_of(var),
                });
            }
        }
        // PROJECT_ENV is an Erlang list written on the Makefile line.
        let env = mk
            .value("PROJECT_ENV")
            .and_then(|text| crate::config::term::consult(&format!("{text}.")).ok())
            .and_then(|terms| {
                terms.first().and_then(|t| t.as_list()).map(|items| {
                    let mut e = crate::config::app_resource::env_entries(items);
                    let line = mk.line("PROJECT_ENV");
                    for entry in &mut e {
                        entry.line = line;
                    }
                    e
                })
            })
            .unwrap_or_default();
        let mod_ = mk.value("PROJECT_MOD").map(|m| AppMod {
            module: m.to_owned(),
            args: "[]".to_owned(),
            start_phases: Vec::new(),
        });
        apps.push(App {
            name,
            // A version make computes (`$(shell git describe)`) is unknown.
            vsn: mk
                .value("PROJECT_VERSION")
                .filter(|v| !v.contains("$(") && !v.contains("${"))
                .map(str::to_owned),
            description: mk.value("PROJECT_DESCRIPTION").map(str::to_owned),
            kind: if mod_.is_some() {
                AppKind::Regular
            } else {
                AppKind::Library
            },
            mod_,
            applications,
            included_applications: vec![],
            optional_applications: vec![],
            registered: mk.words("PROJECT_REGISTERED"),
            env_keys: env.iter().map(|e| e.key.clone()).collect(),
            env,
            dir: dir.clone(),
            file: f.rel.clone(),
            line: project.line,
            resource: ResourceKind::ErlangMk,
            origin: origin(f),
            modules: vec![],
        });
    }
    Some(dir)
}

/// erlang.mk uses `<project>_app` as the callback when `PROJECT_MOD` is not
/// set and `src/<project>_app.erl` exists.
fn infer_erlang_mk_mods(apps: &mut [App]) {
    for app in apps.iter_mut() {
        if app.resource == ResourceKind::ErlangMk && app.mod_.is_none() {
            let candidate = format!("{}_app", app.name);
            if app.modules.contains(&candidate) {
                app.mod_ = Some(AppMod {
                    module: candidate,
                    args: "[]".to_owned(),
                    start_phases: Vec::new(),
                });
                app.kind = AppKind::Regular;
            }
        }
    }
}

/// Adds to each app the modules its `src/` holds (the deepest app directory
/// wins), merged with a `.app`'s `modules` list.
fn assign_modules(files: &[Found], apps: &mut [App]) {
    let mut by_app: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind == FileKind::Erl) {
        let name = crate::model::sources::module_stem(&f.rel);
        let owner = apps
            .iter()
            .enumerate()
            .filter(|(_, a)| crate::model::sources::in_src_of(&f.rel, &a.dir))
            .max_by_key(|(_, a)| a.dir.len())
            .map(|(i, _)| i);
        if let Some(i) = owner {
            by_app.entry(i).or_default().insert(name);
        }
    }
    for (i, mods) in by_app {
        // Sources win over a `.app`'s `modules` list, which may be stale.
        let mut all: BTreeSet<String> = apps[i].modules.iter().cloned().collect();
        all.extend(mods);
        apps[i].modules = all.into_iter().collect();
    }
    for app in apps.iter_mut() {
        app.modules.sort();
        app.modules.dedup();
    }
}

/// Two resource files for one app in one directory (say `ebin/x.app` and a
/// `.app.src.script` stand-in): keep the first, which is the richer.
fn dedup_apps(apps: &mut Vec<App>, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut keep = vec![true; apps.len()];
    let mut merged: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, a) in apps.iter().enumerate() {
        if let Some(&first) = seen.get(&(a.name.clone(), a.dir.clone())) {
            keep[i] = false;
            // Modules may have been given to either (same directory).
            merged.push((first, a.modules.clone()));
            diags.push(Diagnostic::file_level(
                Severity::Info,
                "duplicate-app",
                a.file.clone(),
                format!(
                    "application `{}` is also described by {}; using that one",
                    a.name, apps[first].file
                ),
            ));
        } else {
            seen.insert((a.name.clone(), a.dir.clone()), i);
        }
    }
    for (first, modules) in merged {
        let kept = &mut apps[first];
        kept.modules.extend(modules);
        kept.modules.sort();
        kept.modules.dedup();
    }
    let mut i = 0;
    apps.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// `a/b/../c` → `a/c`; `None` when the path leaves the root.
fn normalise(rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn is_under(path: &str, dir: &str) -> bool {
    dir == "." || path == dir || path.starts_with(&format!("{dir}/"))
}

/// Two folders of the project declaring one application name: OTP loads
/// one of them, and which depends on the code path, so both are kept and
/// the second by path is a warning naming both folders. Fetched copies
/// (`_checkouts/` over `_build/`) are how rebar3 overrides a dependency,
/// so only the project's own apps are compared.
fn same_name_apps(apps: &[App], diags: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, &App> = BTreeMap::new();
    let mut own: Vec<&App> = apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Project)
        .collect();
    own.sort_by(|a, b| a.file.cmp(&b.file));
    for a in own {
        match first.get(a.name.as_str()) {
            Some(f) => diags.push(Diagnostic::file_level(
                Severity::Warning,
                "duplicate-app-name",
                a.file.clone(),
                format!(
                    "application `{}` is declared in two folders, {} and {} ({}); \
                     OTP loads only one of them: rename or remove one",
                    a.name, f.dir, a.dir, f.file
                ),
            )),
            None => {
                first.insert(a.name.as_str(), a);
            }
        }
    }
}

/// The folders holding `dir`, innermost first, `.` last (none for `.`):
/// a lookup per ancestor instead of a comparison with every root keeps
/// thousands of stray apps linear.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut rest = (dir != ".").then_some(dir);
    std::iter::from_fn(move || {
        let d = rest?;
        match d.rfind('/') {
            Some(i) => {
                rest = Some(&d[..i]);
                Some(&d[..i])
            }
            None => {
                rest = None;
                Some(".")
            }
        }
    })
}

/// The projects in the tree: each rebar3 or erlang.mk project directory that
/// is not an app inside another project, plus OTP lib dirs and stray apps.
fn sub_projects(
    apps: &[App],
    app_dirs: &BTreeSet<String>,
    rebar_dirs: &BTreeSet<String>,
    erlang_mk_dirs: &BTreeSet<String>,
    mix_dirs: &BTreeMap<String, Option<String>>,
) -> Vec<SubProject> {
    let mut roots: BTreeMap<String, BuildTool> = BTreeMap::new();
    for d in erlang_mk_dirs {
        roots.insert(d.clone(), BuildTool::ErlangMk);
    }
    for d in rebar_dirs {
        roots.entry(d.clone()).or_insert(BuildTool::Rebar3);
    }
    for d in mix_dirs.keys() {
        roots.entry(d.clone()).or_insert(BuildTool::Mix);
    }
    // Whether the project at `outer` takes in what lies at `d`: a Mix
    // project holds only its own directory and, for an umbrella, what lies
    // under its `apps_path` (a plugin with its own mix.exs elsewhere in it,
    // or a test harness mix.exs at the root of a rebar3 monorepo, holds
    // nothing more).
    let holds = |outer: &str, tool: BuildTool, d: &str| match (tool, mix_dirs.get(outer)) {
        (BuildTool::Mix, Some(apps_path)) => {
            d == outer
                || apps_path
                    .as_deref()
                    .is_some_and(|p| is_under(d, &join(outer, p.trim_end_matches('/'))))
        }
        _ => is_under(d, outer),
    };
    // An app's own rebar.config inside an umbrella is part of the umbrella.
    let nested: Vec<String> = roots
        .keys()
        .filter(|d| {
            app_dirs.contains(*d)
                && ancestors(d).any(|a| roots.get(a).is_some_and(|t| holds(a, *t, d)))
        })
        .cloned()
        .collect();
    for d in nested {
        roots.remove(&d);
    }
    for app in apps.iter().filter(|a| a.origin == AppOrigin::Project) {
        if roots.contains_key(&app.dir)
            || ancestors(&app.dir).any(|a| roots.get(a).is_some_and(|t| holds(a, *t, &app.dir)))
        {
            continue;
        }
        // lib/<app>-<vsn>: an OTP or release lib dir.
        let last = app.dir.rsplit('/').next().unwrap_or(&app.dir);
        let versioned = last
            .strip_prefix(&app.name)
            .is_some_and(|rest| rest.starts_with('-'));
        if versioned {
            let lib = parent_dir(&app.dir);
            let root = if lib.rsplit('/').next() == Some("lib") {
                parent_dir(&lib)
            } else {
                lib
            };
            roots.insert(root, BuildTool::OtpLibDir);
        } else {
            roots.insert(app.dir.clone(), BuildTool::None);
        }
    }
    // A root nested in another root (a lib dir inside a rebar project) is
    // part of it.
    let all: Vec<(String, BuildTool)> = roots.iter().map(|(d, t)| (d.clone(), *t)).collect();
    for (d, _) in &all {
        // Against every root found, removed ones included (`all` is sorted).
        if ancestors(d).any(|a| {
            all.binary_search_by(|(k, _)| k.as_str().cmp(a))
                .is_ok_and(|i| holds(a, all[i].1, d))
        }) && !erlang_mk_dirs.contains(d)
            && !rebar_dirs.contains(d)
            && !mix_dirs.contains_key(d)
        {
            roots.remove(d);
        }
    }
    // Apps per root: each app counted for every root holding it.
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for a in apps {
        for d in std::iter::once(a.dir.as_str()).chain(ancestors(&a.dir)) {
            if roots.get(d).is_some_and(|t| holds(d, *t, &a.dir)) {
                *count.entry(d).or_default() += 1;
            }
        }
    }
    let count: BTreeMap<String, usize> =
        count.into_iter().map(|(d, n)| (d.to_owned(), n)).collect();
    roots
        .into_iter()
        .map(|(dir, build_tool)| {
            let n = count.get(&dir).copied().unwrap_or(0);
            let layout = match (build_tool, n) {
                (BuildTool::ErlangMk, _) => Layout::ErlangMk,
                (_, 0) => Layout::Raw,
                (_, 1) => Layout::SingleApp,
                _ => Layout::Umbrella,
            };
            SubProject {
                dir,
                layout,
                build_tool,
            }
        })
        .collect()
}

fn top_layout(
    apps: &[App],
    projects: &[SubProject],
    module_count: usize,
    erlang_mk_dirs: &BTreeSet<String>,
) -> Layout {
    let own = apps
        .iter()
        .filter(|a| a.origin == AppOrigin::Project)
        .count();
    if let [only] = projects {
        if only.dir == "." {
            return only.layout;
        }
    }
    if erlang_mk_dirs.contains(".") {
        Layout::ErlangMk
    } else if own == 0 {
        if module_count == 0 && !projects.is_empty() {
            projects[0].layout
        } else {
            Layout::Raw
        }
    } else if own == 1 {
        Layout::SingleApp
    } else {
        Layout::Umbrella
    }
}

#[cfg(test)]
mod tests {
    use super::ancestors;

    #[test]
    fn folders_holding_a_folder() {
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a/b", "a", "."]);
        assert_eq!(ancestors("a").collect::<Vec<_>>(), ["."]);
        assert_eq!(ancestors(".").count(), 0);
    }
}
