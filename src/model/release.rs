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
    /// What a reltool target system holds besides the release's
    /// applications and what they need (not started by the boot).
    #[serde(skip)]
    pub(crate) carried: Carried,
}

/// The applications a reltool `sys` puts in its target system without
/// the release naming them: their code is there, but the boot script
/// neither loads nor starts them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Carried {
    /// `{app, Name, [{incl_cond, include}]}`, with its line.
    pub(crate) apps: Vec<(String, u32)>,
    /// The line of `{incl_cond, include}` at the top of `sys`: every
    /// application of its `lib_dirs` goes in, but those in `excluded`.
    pub(crate) all: Option<u32>,
    /// Applications with a condition of their own other than `include`
    /// (`{app, Name, [{incl_cond, exclude}]}`, or `derived`), which
    /// overrides the one at the top.
    pub(crate) excluded: Vec<String>,
}

/// Why a reltool target system holds an application.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Held {
    /// `{app, Name, [{incl_cond, include}]}` at this line.
    Named(u32),
    /// `{incl_cond, include}` at the top of `sys`, at this line.
    Every(u32),
}

impl Held {
    /// The line of the entry that puts the application in.
    pub(crate) fn line(self) -> u32 {
        match self {
            Held::Named(line) | Held::Every(line) => line,
        }
    }
}

impl Carried {
    /// Why the target system holds `app`, if it does.
    pub(crate) fn held(&self, app: &str) -> Option<Held> {
        if let Some((_, line)) = self.apps.iter().find(|(a, _)| a == app) {
            return Some(Held::Named(*line));
        }
        self.all
            .filter(|_| !self.excluded.iter().any(|a| a == app))
            .map(Held::Every)
    }
}
