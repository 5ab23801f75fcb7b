//! Applications, as their resource files (`.app`, `.app.src`) or an
//! erlang.mk `Makefile` describe them.

use serde::Serialize;

/// `regular` when the app has a `mod` callback and so a supervision tree;
/// `library` otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppKind {
    Regular,
    Library,
}

/// Where an app comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppOrigin {
    /// Part of the scanned code base.
    Project,
    /// Fetched dependency under `_build/*/lib` or `deps/` (`--include-deps`).
    Dep,
}

/// Which file the app was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
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
pub struct AppMod {
    pub module: String,
    /// The start argument, printed in Erlang syntax.
    pub args: String,
    /// `{start_phases, [{Phase, PhaseArgs}]}`: after `Module:start/2`
    /// returns, the application master calls `Module:start_phase(Phase,
    /// normal, PhaseArgs)` for each, in order, still during the boot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub start_phases: Vec<StartPhase>,
}

/// One `{Phase, PhaseArgs}` of `start_phases`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartPhase {
    pub phase: String,
    /// The phase argument, printed in Erlang syntax.
    pub args: String,
    pub line: u32,
}

/// A reference to an application by name, with the line that names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AppRef {
    pub name: String,
    pub line: u32,
}

/// One `{Key, Value}` of an application's `env`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvEntry {
    pub key: String,
    /// The value in Erlang syntax.
    pub value: String,
    pub line: u32,
}

/// An application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct App {
    pub name: String,
    pub vsn: Option<String>,
    pub description: Option<String>,
    pub kind: AppKind,
    #[serde(rename = "mod")]
    pub mod_: Option<AppMod>,
    pub applications: Vec<AppRef>,
    pub included_applications: Vec<AppRef>,
    pub optional_applications: Vec<AppRef>,
    pub registered: Vec<String>,
    pub env_keys: Vec<String>,
    /// The `env` entries with their values (`.app.src`, erlang.mk `PROJECT_ENV`).
    #[serde(skip)]
    pub env: Vec<EnvEntry>,
    /// Relative directory of the application (the one holding `src/`).
    pub dir: String,
    /// Relative path of the file the app was read from.
    pub file: String,
    /// Line of the `{application, ...}` term (1 for Makefiles).
    pub line: u32,
    pub resource: ResourceKind,
    pub origin: AppOrigin,
    /// Modules whose source lies in the app's directory, sorted.
    pub modules: Vec<String>,
}

impl App {
    /// Names of the apps this one must start after (`applications`).
    pub fn application_names(&self) -> impl Iterator<Item = &str> {
        self.applications.iter().map(|a| a.name.as_str())
    }
}
