//! Dependencies declared in `rebar.config` or an erlang.mk `Makefile`.

use serde::Serialize;

/// Where a dependency is fetched from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepSource {
    Hex,
    Git,
    Hg,
    Path,
    Other,
}

/// The revision of a git or hg dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GitRef {
    Tag(String),
    Branch(String),
    Ref(String),
}

/// A declared dependency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dep {
    pub name: String,
    pub source: DepSource,
    /// A hex version requirement (`"~> 2.0"`, `"3.1.0"`) or rebar2 regex.
    pub version: Option<String>,
    pub url: Option<String>,
    #[serde(rename = "ref")]
    pub git_ref: Option<GitRef>,
    /// The hex package name when it differs from the app name (`{pkg, Name}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The rebar3 profile (`test`, `prod`, ...) the dep is declared under;
    /// for erlang.mk, `build` (`BUILD_DEPS`) or `test` (`TEST_DEPS`).
    pub profile: Option<String>,
    /// The file and line declaring it.
    pub file: String,
    pub line: u32,
}
