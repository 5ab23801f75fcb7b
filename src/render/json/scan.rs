//! `otpmap scan --format json`: schema `otpmap.scan/1`.

use crate::diagnostic::Diagnostic;
use crate::graph::Run;
use crate::model::{
    AppKind, AppOrigin, DepSource, GitRef, Layout, ResourceKind, StartType, SubProject,
};
use serde::Serialize;

/// The schema name and version written in every scan document.
const SCHEMA: &str = "otpmap.scan/1";

#[derive(Serialize)]
struct ScanDoc<'a> {
    schema: &'static str,
    layout: Layout,
    projects: &'a [SubProject],
    apps: Vec<AppOut<'a>>,
    deps: Vec<DepOut<'a>>,
    dep_folders: &'a [crate::discover::DepFolder],
    locked: &'a [crate::model::LockedDep],
    releases: Vec<ReleaseOut<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct AppOut<'a> {
    name: &'a str,
    vsn: Option<&'a str>,
    kind: AppKind,
    dir: &'a str,
    file: &'a str,
    line: u32,
    #[serde(rename = "mod")]
    mod_: Option<&'a str>,
    mod_args: Option<&'a str>,
    description: Option<&'a str>,
    applications: Vec<&'a str>,
    included_applications: Vec<&'a str>,
    optional_applications: Vec<&'a str>,
    registered: &'a [String],
    env_keys: &'a [String],
    modules: &'a [String],
    resource: ResourceKind,
    origin: AppOrigin,
}

#[derive(Serialize)]
struct DepOut<'a> {
    name: &'a str,
    source: DepSource,
    version: Option<&'a str>,
    url: Option<&'a str>,
    #[serde(rename = "ref")]
    git_ref: Option<&'a GitRef>,
    package: Option<&'a str>,
    profile: Option<&'a str>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct ReleaseOut<'a> {
    name: &'a str,
    vsn: &'a str,
    apps: Vec<ReleaseAppOut<'a>>,
    boot_order: &'a [String],
    source: crate::model::ReleaseSource,
    profile: Option<&'a str>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct ReleaseAppOut<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    start_type: StartType,
    vsn: Option<&'a str>,
}

/// Renders the scan document.
pub fn render(run: &Run) -> String {
    let p = &run.project;
    let doc = ScanDoc {
        schema: SCHEMA,
        layout: p.layout,
        projects: &p.projects,
        apps: p
            .apps
            .iter()
            .map(|a| AppOut {
                name: &a.name,
                vsn: a.vsn.as_deref(),
                kind: a.kind,
                dir: &a.dir,
                file: &a.file,
                line: a.line,
                mod_: a.mod_.as_ref().map(|m| m.module.as_str()),
                mod_args: a.mod_.as_ref().map(|m| m.args.as_str()),
                description: a.description.as_deref(),
                applications: a.applications.iter().map(|r| r.name.as_str()).collect(),
                included_applications: a
                    .included_applications
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect(),
                optional_applications: a
                    .optional_applications
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect(),
                registered: &a.registered,
                env_keys: &a.env_keys,
                modules: &a.modules,
                resource: a.resource,
                origin: a.origin,
            })
            .collect(),
        deps: p
            .deps
            .iter()
            .map(|d| DepOut {
                name: &d.name,
                source: d.source,
                version: d.version.as_deref(),
                url: d.url.as_deref(),
                git_ref: d.git_ref.as_ref(),
                package: d.package.as_deref(),
                profile: d.profile.as_deref(),
                file: &d.file,
                line: d.line,
            })
            .collect(),
        dep_folders: &p.dep_folders.folders,
        locked: &p.locks,
        releases: p
            .releases
            .iter()
            .zip(&run.boot_orders)
            .map(|(r, boot_order)| ReleaseOut {
                name: &r.name,
                vsn: &r.vsn,
                apps: r
                    .apps
                    .iter()
                    .map(|a| ReleaseAppOut {
                        name: &a.name,
                        start_type: a.start_type,
                        vsn: a.vsn.as_deref(),
                    })
                    .collect(),
                boot_order,
                source: r.source,
                profile: r.profile.as_deref(),
                file: &r.file,
                line: r.line,
            })
            .collect(),
        diagnostics: &run.diagnostics,
    };
    super::to_string(&doc)
}
