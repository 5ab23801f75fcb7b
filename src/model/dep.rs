//! Dependencies declared in `rebar.config` or an erlang.mk `Makefile`.

use serde::Serialize;

/// Where a dependency is fetched from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DepSource {
    Hex,
    Git,
    Hg,
    Path,
    Other,
}

/// The revision of a git or hg dependency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum GitRef {
    Tag(String),
    Branch(String),
    Ref(String),
}

impl GitRef {
    /// `tag 1.2.0`, `branch main`, `ref 0a1b2c3d4e5f` (a full commit hash is
    /// noise in a table: 12 digits identify it).
    pub(crate) fn text(&self) -> String {
        match self {
            GitRef::Tag(t) => format!("tag {t}"),
            GitRef::Branch(b) => format!("branch {b}"),
            GitRef::Ref(r) if r.chars().count() > 12 => {
                format!("ref {}", r.chars().take(12).collect::<String>())
            }
            GitRef::Ref(r) => format!("ref {r}"),
        }
    }
}

/// A dependency pinned in `rebar.lock`: transitive ones too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LockedDep {
    pub(crate) name: String,
    pub(crate) source: DepSource,
    /// The exact version of a hex package.
    pub(crate) version: Option<String>,
    pub(crate) url: Option<String>,
    /// The commit of a git or hg dependency.
    #[serde(rename = "ref")]
    pub(crate) git_ref: Option<GitRef>,
    /// The hex package name when it differs from the app name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) package: Option<String>,
    /// 0 for what `rebar.config` declares, 1 for their dependencies, ...
    pub(crate) level: u32,
    /// The hex package's checksum (`pkg_hash`, the current lock format).
    pub(crate) hash: Option<String>,
    /// The lock file and the line of the entry.
    pub(crate) file: String,
    pub(crate) line: u32,
}

impl LockedDep {
    /// The lock entry as a dependency of the project, for the graph.
    pub(crate) fn as_dep(&self) -> Dep {
        Dep {
            name: self.name.clone(),
            source: self.source,
            version: self.version.clone(),
            url: self.url.clone(),
            git_ref: self.git_ref.clone(),
            package: self.package.clone(),
            profile: None,
            file: self.file.clone(),
            line: self.line,
            raw: false,
        }
    }
}

/// A declared dependency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dep {
    pub(crate) name: String,
    pub(crate) source: DepSource,
    /// A hex version requirement (`"~> 2.0"`, `"3.1.0"`) or rebar2 regex.
    pub(crate) version: Option<String>,
    pub(crate) url: Option<String>,
    #[serde(rename = "ref")]
    pub(crate) git_ref: Option<GitRef>,
    /// The hex package name when it differs from the app name (`{pkg, Name}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) package: Option<String>,
    /// The rebar3 profile (`test`, `prod`, ...) the dep is declared under;
    /// for erlang.mk, `build` (`BUILD_DEPS`) or `test` (`TEST_DEPS`).
    pub(crate) profile: Option<String>,
    /// The file and line declaring it.
    pub(crate) file: String,
    pub line: u32,
    /// rebar2's `[raw]` option: fetched, but not built as an application
    /// (C code, data, a tool), so no application is expected to list it.
    #[serde(skip)]
    pub(crate) raw: bool,
}
