//! Releases: relx `{release, ...}` entries, reltool `{rel, ...}` and systools
//! `.rel` files.

use serde::Serialize;

/// How an application is started in a release (`application:start/2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartType {
    Permanent,
    Transient,
    Temporary,
    /// Loaded, not started.
    Load,
    /// Neither loaded nor started (only its code is in the release).
    None,
}

impl StartType {
    /// Parses the atom used in release specs.
    pub(crate) fn parse(s: &str) -> Option<StartType> {
        Some(match s {
            "permanent" => StartType::Permanent,
            "transient" => StartType::Transient,
            "temporary" => StartType::Temporary,
            "load" => StartType::Load,
            "none" => StartType::None,
            _ => return None,
        })
    }

    /// The atom's name.
    pub fn as_str(self) -> &'static str {
        match self {
            StartType::Permanent => "permanent",
            StartType::Transient => "transient",
            StartType::Temporary => "temporary",
            StartType::Load => "load",
            StartType::None => "none",
        }
    }
}

/// Which file format declared the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseSource {
    /// `{relx, [...]}` in `rebar.config`.
    Rebar3,
    /// A `relx.config` file.
    Relx,
    /// reltool's `{sys, [{rel, ...}]}`.
    Reltool,
    /// A systools `.rel` file.
    Rel,
}

/// An application in a release, with its start type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseApp {
    pub(crate) name: String,
    #[serde(rename = "type")]
    pub(crate) start_type: StartType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) vsn: Option<String>,
    /// `included_applications` overridden in the release spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) included: Option<Vec<String>>,
    pub(crate) line: u32,
}

/// A release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    pub(crate) name: String,
    pub(crate) vsn: String,
    pub(crate) apps: Vec<ReleaseApp>,
    pub(crate) source: ReleaseSource,
    /// The rebar3 profile the release is declared under, if any.
    pub(crate) profile: Option<String>,
    pub(crate) file: String,
    pub(crate) line: u32,
}
