//! `rebar.config`: dependencies (every form rebar3 and rebar2 accept),
//! profiles, the relx section, `erl_opts` and `project_app_dirs`.

use super::app_resource::short;
use super::release_spec;
use super::term::{Term, TermKind};
use super::term_diagnostic;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Dep, DepSource, GitRef, Release, ReleaseSource};

/// What otpmap uses from a `rebar.config`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RebarConfig {
    pub(crate) deps: Vec<Dep>,
    pub(crate) releases: Vec<Release>,
    /// `{i, Dir}` include directories from `erl_opts`, relative to the config.
    pub(crate) include_dirs: Vec<String>,
    /// `{d, Macro}` / `{d, Macro, Value}` from `erl_opts`.
    defines: Vec<(String, Option<Term>)>,
    /// `project_app_dirs`, when set.
    pub(crate) project_app_dirs: Option<Vec<String>>,
    /// `extra_src_dirs` of every profile: rebar3 compiles them beside an
    /// application (tests, scripts, examples), never into it.
    pub(crate) extra_src_dirs: Vec<String>,
    /// The `{otpmap, [...]}` entry: lint configuration.
    pub(crate) otpmap: Option<Term>,
}

/// Reads the terms of a `rebar.config` at relative path `rel`.
pub fn from_terms(terms: &[Term], rel: &str, diags: &mut Vec<Diagnostic>) -> RebarConfig {
    let mut cfg = RebarConfig::default();
    read_section(terms, rel, None, &mut cfg, diags);
    for t in terms {
        let Some([profiles]) = t.tagged("profiles") else {
            continue;
        };
        let Some(profiles) = profiles.as_list() else {
            diags.push(term_diagnostic(
                Severity::Warning,
                "bad-rebar-config",
                rel,
                profiles,
                "`profiles` should be a list of {Profile, [Option]}",
            ));
            continue;
        };
        for p in profiles {
            match p.as_tuple() {
                Some([name, opts]) if name.as_atom().is_some() => {
                    let name = name.as_atom().unwrap_or_default();
                    match opts.as_list() {
                        Some(opts) => read_section(opts, rel, Some(name), &mut cfg, diags),
                        None => diags.push(term_diagnostic(
                            Severity::Warning,
                            "bad-rebar-config",
                            rel,
                            opts,
                            format!("profile `{name}` should be a list of options"),
                        )),
                    }
                }
                _ => diags.push(term_diagnostic(
                    Severity::Warning,
                    "bad-rebar-config",
                    rel,
                    p,
                    format!("expected {{Profile, [Option]}}, found {}", short(p)),
                )),
            }
        }
    }
    cfg
}

/// Reads the options at the top level or inside one profile.
fn read_section(
    opts: &[Term],
    rel: &str,
    profile: Option<&str>,
    cfg: &mut RebarConfig,
    diags: &mut Vec<Diagnostic>,
) {
    for t in opts {
        match t.key() {
            Some("deps") => {
                if let Some([list]) = t.tagged("deps") {
                    match list.as_list() {
                        Some(items) => {
                            for item in items {
                                if let Some(dep) = dep(item, rel, profile, diags) {
                                    cfg.deps.push(dep);
                                }
                            }
                        }
                        None => diags.push(term_diagnostic(
                            Severity::Warning,
                            "bad-rebar-config",
                            rel,
                            list,
                            "`deps` should be a list",
                        )),
                    }
                }
            }
            Some("relx") => {
                if let Some([list]) = t.tagged("relx") {
                    let entries = list.as_list().unwrap_or_default();
                    cfg.releases.extend(release_spec::from_relx(
                        entries,
                        rel,
                        ReleaseSource::Rebar3,
                        profile,
                        diags,
                    ));
                }
            }
            Some("erl_opts") if profile.is_none() => {
                if let Some([list]) = t.tagged("erl_opts") {
                    for o in list.as_list().unwrap_or_default() {
                        read_erl_opt(o, cfg);
                    }
                }
            }
            Some("project_app_dirs") if profile.is_none() => {
                if let Some([list]) = t.tagged("project_app_dirs") {
                    cfg.project_app_dirs = list
                        .as_list()
                        .map(|l| l.iter().filter_map(Term::as_text).collect());
                }
            }
            Some("extra_src_dirs") => {
                if let Some([list]) = t.tagged("extra_src_dirs") {
                    // A dir is a string, or `{Dir, Opts}`.
                    for d in list.as_list().unwrap_or_default() {
                        let dir = match d.as_tuple() {
                            Some([dir, _]) => dir.as_text(),
                            _ => d.as_text(),
                        };
                        cfg.extra_src_dirs.extend(dir);
                    }
                }
            }
            Some("otpmap") if profile.is_none() => {
                if let Some([v]) = t.tagged("otpmap") {
                    cfg.otpmap = Some(v.clone());
                }
            }
            _ => {}
        }
    }
}

fn read_erl_opt(o: &Term, cfg: &mut RebarConfig) {
    match o.as_tuple() {
        Some([k, dir]) if k.as_atom() == Some("i") => {
            if let Some(d) = dir.as_text() {
                cfg.include_dirs.push(d);
            }
        }
        Some([k, m]) if k.as_atom() == Some("d") => {
            if let Some(m) = m.as_atom() {
                cfg.defines.push((m.to_owned(), None));
            }
        }
        Some([k, m, v]) if k.as_atom() == Some("d") => {
            if let Some(m) = m.as_atom() {
                cfg.defines.push((m.to_owned(), Some(v.clone())));
            }
        }
        _ => {}
    }
}

/// One entry of `deps`, in any form rebar3 or rebar2 accepts.
fn dep(t: &Term, rel: &str, profile: Option<&str>, diags: &mut Vec<Diagnostic>) -> Option<Dep> {
    let mut d = Dep {
        name: String::new(),
        source: DepSource::Hex,
        version: None,
        url: None,
        git_ref: None,
        package: None,
        profile: profile.map(str::to_owned),
        file: rel.to_owned(),
        line: t.pos.line,
        raw: false,
    };
    // `cowboy`: the latest hex release.
    if let Some(name) = t.as_atom() {
        d.name = name.to_owned();
        return Some(d);
    }
    let items = t.as_tuple().unwrap_or_default();
    let Some(name) = items.first().and_then(Term::as_atom) else {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-dep",
            rel,
            t,
            format!(
                "expected a dependency (Name, {{Name, Vsn}} or {{Name, Source}}), found {}",
                short(t)
            ),
        ));
        return None;
    };
    d.name = name.to_owned();
    let rest = &items[1..];
    let ok = match rest {
        // {Name, "1.0.0"}
        [v] if is_text(v) => {
            d.version = v.as_text();
            true
        }
        // {Name, Source} | {Name, Source, Opts}
        [src] | [src, _] if src.as_tuple().is_some() => source(src, &mut d),
        // {Name, "1.0.0", {pkg, P}} or rebar2 {Name, VsnRegex, Source[, Opts]}
        [v, src] | [v, src, _] if is_text(v) && src.as_tuple().is_some() => {
            d.version = v.as_text();
            d.raw = rest
                .get(2)
                .and_then(Term::as_list)
                .is_some_and(|opts| opts.iter().any(|o| o.as_atom() == Some("raw")));
            source(src, &mut d)
        }
        _ => false,
    };
    if ok {
        Some(d)
    } else {
        diags.push(term_diagnostic(
            Severity::Warning,
            "bad-dep",
            rel,
            t,
            format!("unrecognised dependency form {}", short(t)),
        ));
        // The name is still worth reporting: the app may be listed somewhere.
        d.source = DepSource::Other;
        Some(d)
    }
}

fn is_text(t: &Term) -> bool {
    matches!(t.kind, TermKind::String(_) | TermKind::Binary { .. })
}

/// `{git, Url[, Ref]}`, `{git_subdir, Url, Ref, Dir}`, `{hg, Url[, Rev]}`,
/// `{pkg, Name[, Vsn]}`, `{path, Dir}`, and anything else as `other`.
pub(super) fn source(src: &Term, d: &mut Dep) -> bool {
    let items = src.as_tuple().unwrap_or_default();
    let Some(kind) = items.first().and_then(Term::as_atom) else {
        return false;
    };
    let args = &items[1..];
    match kind {
        "git" | "git_subdir" | "hg" => {
            d.source = if kind == "hg" {
                DepSource::Hg
            } else {
                DepSource::Git
            };
            d.url = args.first().and_then(Term::as_text);
            d.git_ref = args.get(1).and_then(git_ref);
            d.url.is_some()
        }
        "pkg" => {
            d.source = DepSource::Hex;
            d.package = args.first().and_then(Term::as_text);
            if let Some(v) = args.get(1).and_then(Term::as_text) {
                d.version = Some(v);
            }
            d.package.is_some()
        }
        "path" => {
            d.source = DepSource::Path;
            d.url = args.first().and_then(Term::as_text);
            true
        }
        _ => {
            d.source = DepSource::Other;
            d.url = args.first().and_then(Term::as_text);
            true
        }
    }
}

/// `{tag, T}`, `{branch, B}`, `{ref, R}`, or rebar2's bare string (a branch)
/// and `""`/`HEAD` (the default branch).
fn git_ref(t: &Term) -> Option<GitRef> {
    if let Some([k, v]) = t.as_tuple() {
        let v = v.as_text()?;
        return match k.as_atom()? {
            "tag" => Some(GitRef::Tag(v)),
            "branch" => Some(GitRef::Branch(v)),
            "ref" => Some(GitRef::Ref(v)),
            _ => None,
        };
    }
    match t.as_text() {
        Some(s) if s.is_empty() || s == "HEAD" => None,
        Some(s) => Some(GitRef::Branch(s)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::from_terms;
    use crate::config::term::consult;

    #[test]
    fn rebar2_raw_option_marks_a_dependency_that_is_no_application() {
        let terms = consult(
            r#"{deps, [{ui, ".*", {git, "https://example.org/ui.git", {tag, "v1"}}, [raw]},
                       {db, ".*", {git, "https://example.org/db.git", {tag, "v2"}}, []},
                       {log, ".*", {git, "https://example.org/log.git", "main"}}]}."#,
        )
        .unwrap();
        let mut diags = Vec::new();
        let cfg = from_terms(&terms, "rebar.config", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let raw: Vec<(&str, bool)> = cfg.deps.iter().map(|d| (d.name.as_str(), d.raw)).collect();
        assert_eq!(raw, [("ui", true), ("db", false), ("log", false)]);
    }
}
