//! The lint's configuration: the `{lint, [...]}` entry of an
//! `otpmap.config` file (Erlang terms, read like `elvis.config`) or of the
//! `{otpmap, [...]}` entry of a `rebar.config`.
//!
//! ```erlang
//! {lint, [
//!     {rules, [{'blocking-init', error},          % error | warning | info | off | on
//!              {'infinity-call-timeout', off}]},
//!     {exclude, ["test/**", "src/legacy_*.erl"]}, % globs, relative to the file's directory
//!     {exclude_apps, [legacy]},
//!     {blocking_calls, [{add, [{my_db, connect, '_'}, "my_http:get/2"]},
//!                       {remove, [{timer, sleep, 1}]}]},
//!     {max_call_depth, 16}
//! ]}.
//! ```
//!
//! A file applies to its directory and below; deeper files win, and in one
//! directory `otpmap.config` wins over `rebar.config`. A file given with
//! `--config` applies to the whole project and wins over both. Mistakes
//! are diagnostics (code `lint-config`); the rest of the file still applies.

use std::collections::BTreeMap;

use crate::config::path_glob::PathGlob;
use crate::config::term::{Term, TermKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Project, ToolConfig};

/// How one rule is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleSetting {
    Off,
    /// On at its default severity.
    On,
    Severity(Severity),
}

/// `module:function/arity` with wildcards: the function and arity may be
/// any (`'_'` in a tuple, `*` in a string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MfaPattern {
    pub(crate) module: String,
    function: Option<String>,
    arity: Option<u32>,
}

impl MfaPattern {
    /// A pattern for exactly `m:f/a`, or any arity when `arity` is `None`.
    pub(crate) fn new(module: &str, function: &str, arity: Option<u32>) -> MfaPattern {
        MfaPattern {
            module: module.to_owned(),
            function: Some(function.to_owned()),
            arity,
        }
    }

    /// Parses `m:f/a`, `m:f/*`, `m:f` (any arity) or `m:*`.
    pub(crate) fn parse(s: &str) -> Option<MfaPattern> {
        let (module, rest) = s.trim().split_once(':')?;
        let (function, arity) = match rest.split_once('/') {
            Some((f, a)) => (f, a),
            None => (rest, "*"),
        };
        let arity = match arity {
            "*" | "_" => None,
            a => Some(a.parse().ok()?),
        };
        let function = match function {
            "*" | "_" => None,
            f if !f.is_empty() => Some(f.to_owned()),
            _ => return None,
        };
        if module.is_empty() {
            return None;
        }
        Some(MfaPattern {
            module: module.to_owned(),
            function,
            arity,
        })
    }

    /// The function it matches; `None` for any.
    pub(crate) fn function(&self) -> Option<&str> {
        self.function.as_deref()
    }

    /// True when the pattern covers `module:function/arity`.
    pub(crate) fn matches(&self, module: &str, function: &str, arity: u32) -> bool {
        self.module == module
            && self.function.as_deref().is_none_or(|f| f == function)
            && self.arity.is_none_or(|a| a == arity)
    }

    /// True when every call this pattern matches is matched by `other`.
    pub(crate) fn covered_by(&self, other: &MfaPattern) -> bool {
        other.module == self.module
            && (other.function.is_none() || other.function == self.function)
            && (other.arity.is_none() || other.arity == self.arity)
    }
}

impl std::fmt::Display for MfaPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}/{}",
            self.module,
            self.function.as_deref().unwrap_or("*"),
            self.arity.map_or_else(|| "*".to_owned(), |a| a.to_string())
        )
    }
}

/// The settings of one configuration file, for its directory.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// Relative directory (`.` for the root).
    dir: String,
    /// Rule code to setting.
    rules: BTreeMap<&'static str, RuleSetting>,
    /// Globs relative to `dir`.
    exclude: Vec<PathGlob>,
    exclude_apps: Vec<String>,
}

/// The lint configuration of a project.
#[derive(Debug, Clone, Default)]
pub(crate) struct LintConfig {
    /// Root first, deeper directories after; the command line's last.
    scopes: Vec<Scope>,
    /// Calls added to the blocking-call list (everywhere).
    pub(crate) blocking_add: Vec<MfaPattern>,
    /// Calls removed from it.
    pub(crate) blocking_remove: Vec<MfaPattern>,
    /// Longest call chain `blocking-init` follows.
    pub(crate) max_call_depth: Option<usize>,
    /// The supervision evaluator's step budget (`--max-steps`).
    pub(crate) max_steps: Option<usize>,
    /// `--show-safe`: calls from `init/1` the start order makes safe are
    /// reported as infos.
    pub(crate) show_safe: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl LintConfig {
    /// Reads the project's configuration entries and `extra` (from `--config`).
    /// `rule_code` gives the code of a rule by name or code (the
    /// registry's), `None` for a rule there is not: the registry depends on
    /// the configuration (its rules read it), not the other way.
    pub(crate) fn from_project(
        project: &Project,
        extra: Option<&ToolConfig>,
        rule_code: &dyn Fn(&str) -> Option<&'static str>,
    ) -> LintConfig {
        let mut sources: Vec<&ToolConfig> = project.tool_config.iter().collect();
        // Root first; in one directory rebar.config before otpmap.config.
        sources.sort_by_key(|t| {
            (
                if t.dir == "." {
                    0
                } else {
                    t.dir.matches('/').count() + 1
                },
                t.dir.clone(),
                !t.file.ends_with("rebar.config"),
            )
        });
        let mut config = LintConfig::default();
        for t in sources.into_iter().chain(extra) {
            config.read(t, rule_code);
        }
        config
    }

    fn read(&mut self, t: &ToolConfig, rule_code: &dyn Fn(&str) -> Option<&'static str>) {
        let mut scope = Scope {
            dir: t.dir.clone(),
            ..Scope::default()
        };
        // A rebar.config entry is one term, the list; an otpmap.config's
        // terms are the entries themselves.
        let entries: Vec<&Term> = if t.file.ends_with("rebar.config") {
            match t.terms.first().and_then(Term::as_list) {
                Some(items) => items.iter().collect(),
                None => {
                    if let Some(term) = t.terms.first() {
                        self.warn(&t.file, term, "`{otpmap, ...}` must hold a list of entries");
                    }
                    Vec::new()
                }
            }
        } else {
            t.terms.iter().collect()
        };
        for entry in entries {
            match entry.tagged("lint") {
                Some([opts]) => match opts.as_list() {
                    Some(opts) => {
                        for o in opts {
                            self.option(&t.file, o, &mut scope, rule_code);
                        }
                    }
                    None => self.warn(&t.file, opts, "`{lint, ...}` must hold a list of options"),
                },
                Some(_) => self.warn(&t.file, entry, "expected `{lint, [Option, ...]}`"),
                // Entries of other commands are theirs to read.
                None => {}
            }
        }
        self.scopes.push(scope);
    }

    fn option(
        &mut self,
        file: &str,
        o: &Term,
        scope: &mut Scope,
        rule_code: &dyn Fn(&str) -> Option<&'static str>,
    ) {
        let Some(key) = o.key() else {
            return self.warn(file, o, "expected a `{Key, Value}` option");
        };
        let value = match o.tagged(key) {
            Some([v]) => v,
            _ => {
                return self.warn(
                    file,
                    o,
                    format!("expected `{{{key}, Value}}`; option ignored"),
                )
            }
        };
        match key {
            "rules" => {
                for item in self.list(file, value, "rules") {
                    self.rule_setting(file, item, scope, rule_code);
                }
            }
            "exclude" | "exclude_paths" => {
                for item in self.list(file, value, key) {
                    match item.as_text() {
                        Some(glob) => match PathGlob::new(&glob) {
                            Ok(g) => scope.exclude.push(g),
                            Err(why) => self.warn(file, item, why),
                        },
                        None => self.warn(file, item, "expected a path glob (a string)"),
                    }
                }
            }
            "exclude_apps" => {
                for item in self.list(file, value, key) {
                    match item.as_text() {
                        Some(app) => scope.exclude_apps.push(app),
                        None => self.warn(file, item, "expected an application name"),
                    }
                }
            }
            "blocking_calls" => {
                for item in self.list(file, value, key) {
                    let (which, specs) = match (item.tagged("add"), item.tagged("remove")) {
                        (Some([l]), _) => (true, l),
                        (_, Some([l])) => (false, l),
                        _ => {
                            self.warn(file, item, "expected `{add, [Call]}` or `{remove, [Call]}`");
                            continue;
                        }
                    };
                    for spec in self.list(file, specs, key) {
                        match mfa_pattern(spec) {
                            Some(p) if which => self.blocking_add.push(p),
                            Some(p) => self.blocking_remove.push(p),
                            None => self.warn(
                                file,
                                spec,
                                "expected `{Module, Function, Arity}` (Arity may be '_') or \
                                 \"module:function/arity\"",
                            ),
                        }
                    }
                }
            }
            "max_call_depth" => match value.as_integer() {
                Some(n) if (1..=1000).contains(&n) => self.max_call_depth = Some(n as usize),
                _ => self.warn(file, value, "expected an integer from 1 to 1000"),
            },
            other => self.warn(
                file,
                o,
                format!(
                    "unknown lint option `{other}` (known: rules, exclude, exclude_apps, \
                     blocking_calls, max_call_depth)"
                ),
            ),
        }
    }

    fn rule_setting(
        &mut self,
        file: &str,
        item: &Term,
        scope: &mut Scope,
        rule_code: &dyn Fn(&str) -> Option<&'static str>,
    ) {
        let (name, setting) = match item.as_tuple() {
            Some([n, s]) => (n, Some(s)),
            _ => (item, None),
        };
        let Some(rule_name) = name.as_text() else {
            return self.warn(file, item, "expected `{RuleName, Setting}`");
        };
        let Some(code) = rule_code(&rule_name) else {
            return self.warn(
                file,
                name,
                format!("unknown rule `{rule_name}` (otpmap lint --list-rules shows them)"),
            );
        };
        let setting = match setting.map(|s| s.as_text()) {
            None => Some(RuleSetting::On),
            Some(Some(s)) => match s.as_str() {
                "off" | "false" | "disable" | "disabled" => Some(RuleSetting::Off),
                "on" | "true" | "enable" | "enabled" => Some(RuleSetting::On),
                other => Severity::parse(other).map(RuleSetting::Severity),
            },
            Some(None) => None,
        };
        match setting {
            Some(s) => {
                scope.rules.insert(code, s);
            }
            None => self.warn(
                file,
                item,
                format!("setting of `{rule_name}` must be off, on, info, warning or error"),
            ),
        }
    }

    fn list<'t>(&mut self, file: &str, value: &'t Term, key: &str) -> &'t [Term] {
        match value.as_list() {
            Some(items) => items,
            None => {
                self.warn(file, value, format!("`{key}` must be a list"));
                &[]
            }
        }
    }

    fn warn(&mut self, file: &str, at: &Term, message: impl Into<String>) {
        self.diagnostics.push(crate::config::term_diagnostic(
            Severity::Warning,
            "lint-config",
            file,
            at,
            message,
        ));
    }

    /// The severity of the rule `code` (of severity `default_severity`
    /// unless configured) for a finding in `file`; `None` when the rule is
    /// off there.
    pub(crate) fn setting(
        &self,
        code: &str,
        default_severity: Severity,
        file: &str,
    ) -> Option<Severity> {
        let mut sev = Some(default_severity);
        for s in self.scopes.iter().filter(|s| is_under(file, &s.dir)) {
            match s.rules.get(code) {
                Some(RuleSetting::Off) => sev = None,
                Some(RuleSetting::On) => sev = Some(default_severity),
                Some(RuleSetting::Severity(x)) => sev = Some(*x),
                None => {}
            }
        }
        sev
    }

    /// False when the rule `code` is off for the whole project, so it need
    /// not run.
    pub(crate) fn may_run(&self, code: &str) -> bool {
        let mut on = true;
        for s in &self.scopes {
            match s.rules.get(code) {
                Some(RuleSetting::Off) if s.dir == "." => on = false,
                Some(RuleSetting::Off) | None => {}
                Some(_) => on = true,
            }
        }
        on
    }

    /// True when `file` (of `app`, if known) is excluded by a configuration
    /// that applies to it.
    pub(crate) fn is_excluded(&self, file: &str, app: Option<&str>) -> bool {
        self.scopes
            .iter()
            .filter(|s| is_under(file, &s.dir))
            .any(|s| {
                let rel = relative_to(file, &s.dir);
                s.exclude.iter().any(|g| g.matches(rel))
                    || app.is_some_and(|a| s.exclude_apps.iter().any(|x| x == a))
            })
    }
}

/// `{M, F, A}` (F or A may be `'_'`) or a `"m:f/a"` string.
fn mfa_pattern(t: &Term) -> Option<MfaPattern> {
    if let Some([m, f, a]) = t.as_tuple() {
        let any = |x: &Term| x.as_atom() == Some("_");
        return Some(MfaPattern {
            module: m.as_atom()?.to_owned(),
            function: if any(f) {
                None
            } else {
                Some(f.as_atom()?.to_owned())
            },
            arity: if any(a) {
                None
            } else {
                Some(u32::try_from(a.as_integer()?).ok()?)
            },
        });
    }
    if matches!(t.kind, TermKind::Tuple(_)) {
        return None;
    }
    MfaPattern::parse(&t.as_text()?)
}

fn is_under(file: &str, dir: &str) -> bool {
    dir == "." || file.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

fn relative_to<'a>(file: &'a str, dir: &str) -> &'a str {
    if dir == "." {
        file
    } else {
        file.get(dir.len() + 1..).unwrap_or(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfa_patterns() {
        let p = MfaPattern::parse("epgsql:connect/*").unwrap();
        assert!(p.matches("epgsql", "connect", 3));
        assert!(!p.matches("epgsql", "squery", 2));
        let p = MfaPattern::parse("timer:sleep/1").unwrap();
        assert!(p.matches("timer", "sleep", 1) && !p.matches("timer", "sleep", 2));
        assert!(MfaPattern::parse("my_db:*")
            .unwrap()
            .matches("my_db", "x", 0));
        assert!(MfaPattern::parse("nocolon").is_none());
        assert!(MfaPattern::parse("m:f/x").is_none());
    }
}
