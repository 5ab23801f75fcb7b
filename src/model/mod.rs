//! The project model: what otpmap knows about a code base after reading it.
//! Later stages (graphs, trees, lints, renderers) read only this.

mod app;
mod behaviour;
mod dep;
mod otp;
mod release;
pub(crate) mod sources;
mod tool_config;

pub(crate) use app::{App, AppKind, AppMod, AppOrigin, AppRef, EnvEntry, ResourceKind, StartPhase};
pub(crate) use behaviour::{BehaviourAliases, ModuleBehaviour, OTP_BEHAVIOURS};
pub(crate) use dep::{Dep, DepSource, GitRef, LockedDep};
pub(crate) use otp::OtpApp;
pub use otp::OtpLibrary;
pub(crate) use release::{Carried, Held};
pub use release::{Release, ReleaseApp, ReleaseSource, StartType};
pub(crate) use sources::{
    is_test_path, owning_app, partial_read, ModuleSource, PartialRead, Sources,
};
pub use tool_config::ToolConfig;

use crate::diagnostic::Diagnostic;
use serde::Serialize;

/// How a code base is laid out, in the words of the JSON contract (docs/json.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Layout {
    /// One application at the root (`src/*.app.src` or `ebin/*.app`).
    SingleApp,
    /// Several applications: a rebar3 umbrella (`apps/*`, `lib/*`), an OTP
    /// lib dir, or a monorepo of projects.
    Umbrella,
    /// An erlang.mk project at the root (`Makefile` with `PROJECT =`).
    ErlangMk,
    /// Erlang modules with no application resource file.
    Raw,
}

impl Layout {
    /// The name used in every output.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Layout::SingleApp => "single_app",
            Layout::Umbrella => "umbrella",
            Layout::ErlangMk => "erlang_mk",
            Layout::Raw => "raw",
        }
    }
}

/// The build tool or packaging a project directory uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BuildTool {
    Rebar3,
    ErlangMk,
    /// An installed OTP or release lib dir: `lib/<app>-<vsn>/ebin/<app>.app`.
    OtpLibDir,
    /// Mix: a `mix.exs` (an umbrella root with `apps_path`, or one application).
    Mix,
    /// Application resource files with no build tool configuration.
    None,
}

/// One project found in the tree: a directory with its own build
/// configuration. A monorepo holds several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SubProject {
    /// Relative to the scanned root, `.` for the root itself.
    pub(crate) dir: String,
    pub(crate) layout: Layout,
    pub(crate) build_tool: BuildTool,
}

/// Everything read from a code base.
#[derive(Debug, Clone)]
pub struct Project {
    pub(crate) layout: Layout,
    pub(crate) projects: Vec<SubProject>,
    pub(crate) apps: Vec<App>,
    pub(crate) deps: Vec<Dep>,
    /// What `rebar.lock` files pin, sorted by name, file, line.
    pub(crate) locks: Vec<LockedDep>,
    pub releases: Vec<Release>,
    /// Every `.erl` and `.hrl`, indexed.
    pub sources: Sources,
    /// `otpmap.config` files and `{otpmap, ...}` entries, sorted by file.
    pub(crate) tool_config: Vec<ToolConfig>,
    /// rebar3's `extra_src_dirs` (any profile), relative to the root: code
    /// compiled beside the applications, not part of any.
    pub(crate) extra_src_dirs: std::collections::BTreeSet<String>,
    /// The folders of dependencies, vendored and fetched.
    pub(crate) dep_folders: DepFolders,
    /// Clones of OTP behaviours (`gen_server2`, `supervisor2`, ...).
    pub(crate) behaviour_aliases: BehaviourAliases,
    pub diagnostics: Vec<Diagnostic>,
}

/// The folders under `deps/`, `_checkouts/` and `_build`, and the
/// application folders the repository ignores, with what each is (see
/// [`crate::discover::DepFolder`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct DepFolders {
    /// Sorted by folder.
    pub(crate) folders: Vec<crate::discover::DepFolder>,
    /// The fetched ones.
    fetched: std::collections::BTreeSet<String>,
}

/// A project of modules indexed in memory, with no applications: for
/// tests and examples that evaluate code without files.
pub(crate) fn project_from_modules(modules: Vec<crate::syntax::ModuleIndex>) -> Project {
    let sources = Sources::from_indexes(modules);
    let behaviour_aliases = BehaviourAliases::build(&sources, &[], &mut Vec::new());
    Project {
        layout: Layout::Raw,
        projects: Vec::new(),
        apps: Vec::new(),
        deps: Vec::new(),
        locks: Vec::new(),
        releases: Vec::new(),
        sources,
        tool_config: Vec::new(),
        extra_src_dirs: Default::default(),
        dep_folders: DepFolders::default(),
        behaviour_aliases,
        diagnostics: Vec::new(),
    }
}

impl Project {
    /// Whether `file` (relative to the root) is in one of rebar3's
    /// `extra_src_dirs`: compiled for tests or tools, in no release.
    pub(crate) fn in_extra_src_dir(&self, file: &str) -> bool {
        self.extra_src_dirs.contains(".")
            || crate::discover::is_under_any(file, &self.extra_src_dirs)
    }

    /// The app with this name, preferring the project's own over deps.
    pub(crate) fn app(&self, name: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.name == name)
    }

    /// Whether a file or folder (relative to the root) belongs to a fetched
    /// dependency rather than to the project.
    pub(crate) fn is_fetched(&self, rel: &str) -> bool {
        crate::discover::is_under_any(rel, &self.dep_folders.fetched)
    }

    /// The behaviours `m` implements in the default build, `defines` given
    /// as `-D` options, clones taken as the OTP behaviour they stand for:
    /// what the lint and the trees both use.
    pub(crate) fn behaviours(&self, m: &ModuleSource, defines: &[String]) -> Vec<ModuleBehaviour> {
        behaviour::behaviours(m, &self.behaviour_aliases, defines)
    }

    /// The behaviours of the module named `module` in the default build,
    /// if the project has it.
    pub(crate) fn module_behaviours(&self, module: &str) -> Vec<ModuleBehaviour> {
        self.sources
            .module(module)
            .map(|m| self.behaviours(m, &[]))
            .unwrap_or_default()
    }
}

impl DepFolders {
    /// What discovery decided.
    pub(crate) fn new(
        folders: Vec<crate::discover::DepFolder>,
        fetched: std::collections::BTreeSet<String>,
    ) -> DepFolders {
        DepFolders { folders, fetched }
    }
}
