//! Hand-built projects for the graph's unit tests.

use crate::model::{
    App, AppKind, AppMod, AppOrigin, AppRef, Dep, DepSource, Layout, Project, Release, ReleaseApp,
    ReleaseSource, ResourceKind, StartType,
};

/// A project app: `regular` has a `mod`. Refs get lines 10, 11, ...
pub(crate) fn app(
    name: &str,
    regular: bool,
    apps: &[&str],
    included: &[&str],
    optional: &[&str],
) -> App {
    let refs = |names: &[&str], base: u32| -> Vec<AppRef> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| AppRef {
                name: (*n).to_owned(),
                line: base + i as u32,
            })
            .collect()
    };
    App {
        name: name.to_owned(),
        vsn: Some("1.0.0".to_owned()),
        description: None,
        kind: if regular {
            AppKind::Regular
        } else {
            AppKind::Library
        },
        mod_: regular.then(|| AppMod {
            module: format!("{name}_app"),
            args: "[]".to_owned(),
            start_phases: Vec::new(),
        }),
        applications: refs(apps, 10),
        included_applications: refs(included, 30),
        optional_applications: refs(optional, 50),
        registered: vec![],
        env_keys: vec![],
        env: vec![],
        dir: format!("apps/{name}"),
        file: format!("apps/{name}/src/{name}.app.src"),
        line: 1,
        resource: ResourceKind::AppSrc,
        origin: AppOrigin::Project,
        modules: vec![],
    }
}

/// A hex dependency declared at `line` of rebar.config.
pub(crate) fn dep(name: &str, line: u32) -> Dep {
    Dep {
        name: name.to_owned(),
        source: DepSource::Hex,
        version: None,
        url: None,
        git_ref: None,
        package: None,
        profile: None,
        file: "rebar.config".to_owned(),
        line,
        raw: false,
    }
}

/// A release of `source` kind; apps given as `(name, type)`.
pub(crate) fn release(name: &str, source: ReleaseSource, apps: &[(&str, StartType)]) -> Release {
    Release {
        name: name.to_owned(),
        vsn: "1.0.0".to_owned(),
        apps: apps
            .iter()
            .enumerate()
            .map(|(i, (n, t))| ReleaseApp {
                name: (*n).to_owned(),
                start_type: *t,
                vsn: None,
                included: None,
                line: 100 + i as u32,
            })
            .collect(),
        source,
        profile: None,
        file: "rebar.config".to_owned(),
        line: 99,
        carried: Default::default(),
    }
}

/// A project of these parts.
pub(crate) fn project(apps: Vec<App>, deps: Vec<Dep>, releases: Vec<Release>) -> Project {
    Project {
        layout: Layout::Umbrella,
        projects: vec![],
        apps,
        deps,
        locks: vec![],
        releases,
        sources: Default::default(),
        tool_config: vec![],
        extra_src_dirs: Default::default(),
        dep_folders: Default::default(),
        behaviour_aliases: Default::default(),
        diagnostics: vec![],
    }
}
