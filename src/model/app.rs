//! Applications, as their resource files (`.app`, `.app.src`) or an
//! erlang.mk `Makefile` describe them.

use serde::Serialize;

/// `regular` when the app has a `mod` callback and so a supervision tree;
/// `library` otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AppKind {
    Regular,
    Library,
}

/// Where an app comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AppOrigin {
    /// Part of the scanned code base.
    Project,
    /// Fetched dependency under `_build/*/lib` or `deps/` (`--include-deps`).
    Dep,
}

/// Which file the app was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ResourceKind {
    /// `src/<app>.app.src`
    AppSrc,
    /// `ebin/<app>.app`
    App,
    /// `src/<app>.app.src.script`, evaluated statically ([`crate::config::script`]);
    /// only the name is known when its value is not and no `.app.src` is next to it.
    AppSrcScript,
    /// An erlang.mk `Makefile` (the `.app` is generated at build time).
    ErlangMk,
    /// A Mix `mix.exs` (the `.app` is generated at build time).
    MixExs,
}

/// The application callback: `{mod, {Module, Args}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AppMod {
    pub(crate) module: String,
    /// The start argument, printed in Erlang syntax.
    pub(crate) args: String,
    /// `{start_phases, [{Phase, PhaseArgs}]}`: after `Module:start/2`
    /// returns, the application master calls `Module:start_phase(Phase,
    /// normal, PhaseArgs)` for each, in order, still during the boot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) start_phases: Vec<StartPhase>,
}

/// One `{Phase, PhaseArgs}` of `start_phases`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StartPhase {
    pub(crate) phase: String,
    /// The phase argument, printed in Erlang syntax.
    pub(crate) args: String,
    pub(crate) line: u32,
}

/// A reference to an application by name, with the line that names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct AppRef {
    pub(crate) name: String,
    pub(crate) line: u32,
}

/// One `{Key, Value}` of an application's `env`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct EnvEntry {
    pub(crate) key: String,
    /// The value in Erlang syntax.
    pub(crate) value: String,
    pub(crate) line: u32,
}

/// An application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct App {
    pub(crate) name: String,
    pub(crate) vsn: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) kind: AppKind,
    #[serde(rename = "mod")]
    pub(crate) mod_: Option<AppMod>,
    pub(crate) applications: Vec<AppRef>,
    pub(crate) included_applications: Vec<AppRef>,
    pub(crate) optional_applications: Vec<AppRef>,
    pub(crate) registered: Vec<String>,
    pub(crate) env_keys: Vec<String>,
    /// The `env` entries with their values (`.app.src`, erlang.mk `PROJECT_ENV`).
    #[serde(skip)]
    pub(crate) env: Vec<EnvEntry>,
    /// Relative directory of the application (the one holding `src/`).
    pub(crate) dir: String,
    /// Relative path of the file the app was read from.
    pub(crate) file: String,
    /// Line of the `{application, ...}` term (1 for Makefiles).
    pub(crate) line: u32,
    pub(crate) resource: ResourceKind,
    pub(crate) origin: AppOrigin,
    /// Modules whose source lies in the app's directory, sorted.
    pub(crate) modules: Vec<String>,
}

impl App {
    /// Names of the apps this one must start after (`applications`).
    pub(crate) fn application_names(&self) -> impl Iterator<Item = &str> {
        self.applications.iter().map(|a| a.name.as_str())
    }
}
