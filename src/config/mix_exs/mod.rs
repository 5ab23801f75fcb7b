//! `mix.exs`: the Mix project file of an Elixir-built code base, read
//! statically with the Elixir tree-sitter grammar (no Elixir installed, no
//! code run). From `project/0`: `app`, `version`, `description`,
//! `apps_path` (an umbrella), `language`, `elixir` and `deps`; from
//! `application/0`: `mod`, `extra_applications`, `applications`,
//! `included_applications`, `registered`, `env`. What Mix would compute
//! when it runs (a conditional, `Mix.env()`, another module's function) is
//! a diagnostic with its line, and the rest is used.

mod eval;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AppMod, AppRef, Dep, DepSource, EnvEntry, GitRef};
use eval::{Gap, Val, Value};

/// A value `mix.exs` computes: otpmap cannot know it without running Mix.
pub(crate) const MIX_COMPUTED: &str = "mix-computed";
/// A `mix.exs` otpmap cannot use at all (no `Mix.Project` module, no
/// `project/0`, no `app`).
const MIX_NO_PROJECT: &str = "mix-no-project";
/// A syntax error in `mix.exs`.
const MIX_SYNTAX: &str = "mix-syntax";
/// An entry of `deps` that is not a dependency.
pub(crate) const MIX_BAD_DEP: &str = "mix-bad-dep";
/// A Mix project whose `compilers` leave out `:erlang`: no Erlang application.
pub(crate) const MIX_NO_ERLANG: &str = "mix-no-erlang";

/// An application named in `mix.exs`, and whether it is optional.
#[derive(Debug, Clone, PartialEq)]
struct Named {
    name: String,
    line: u32,
    optional: bool,
}

/// One entry of `deps`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MixDep {
    pub(crate) dep: Dep,
    /// `in_umbrella: true`: a sibling application of the umbrella.
    pub(crate) in_umbrella: bool,
    /// Mix lists it in the `.app`'s `applications` of a prod build: not
    /// `runtime: false`, not `app: false`, `only:` including `:prod`.
    runtime: bool,
    optional: bool,
    /// A bare name salvaged from a helper's arguments (`UMP.deps([:gproc])`):
    /// its source is declared elsewhere.
    pub(crate) name_only: bool,
}

/// What a `mix.exs` says.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct MixProject {
    /// Line of `def project`.
    pub(crate) line: u32,
    /// `None` for an umbrella root (it has `apps_path` instead), or when
    /// the name is computed ([`MixProject::app_computed`]).
    pub(crate) app: Option<String>,
    /// `app:` is given but computed when Mix runs (read from the
    /// `.app.src` the project also has, say): there is an application,
    /// whose name is not written here.
    pub(crate) app_computed: bool,
    pub(crate) version: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) apps_path: Option<String>,
    /// `language: :erlang`: Mix then leaves `elixir` out of `applications`.
    language_erlang: bool,
    /// The `elixir:` requirement and its line.
    pub(crate) elixir: Option<(String, u32)>,
    /// `compilers:` when written out in full (no `Mix.compilers()`), with
    /// its line: without `:erlang` the project compiles no Erlang.
    pub(crate) compilers: Option<(Vec<String>, u32)>,
    pub(crate) deps: Vec<MixDep>,
    /// Line of `def application` (of `def project` when there is none).
    application_line: u32,
    pub(crate) mod_: Option<AppMod>,
    extra_applications: Vec<Named>,
    /// `applications:` when given: it replaces the list inferred from deps.
    applications: Option<Vec<Named>>,
    pub(crate) included_applications: Vec<AppRef>,
    pub(crate) registered: Vec<String>,
    pub(crate) env: Vec<EnvEntry>,
}

impl MixProject {
    /// `applications` and `optional_applications` as Mix writes them into
    /// the `.app`: kernel, stdlib, elixir (unless `language: :erlang`), the
    /// extra applications, then `applications:` or the runtime deps (minus
    /// included applications).
    pub(crate) fn applications(&self) -> (Vec<AppRef>, Vec<AppRef>) {
        let at = self.application_line;
        let mut named: Vec<Named> = ["kernel", "stdlib"]
            .iter()
            .chain(if self.language_erlang {
                &[][..]
            } else {
                &["elixir"][..]
            })
            .map(|n| Named {
                name: (*n).to_owned(),
                line: at,
                optional: false,
            })
            .collect();
        named.extend(self.extra_applications.iter().cloned());
        match &self.applications {
            Some(given) => named.extend(given.iter().cloned()),
            None => named.extend(
                self.deps
                    .iter()
                    .filter(|d| d.runtime)
                    .filter(|d| {
                        !self
                            .included_applications
                            .iter()
                            .any(|i| i.name == d.dep.name)
                    })
                    .map(|d| Named {
                        name: d.dep.name.clone(),
                        line: d.dep.line,
                        optional: d.optional,
                    }),
            ),
        }
        let mut all: Vec<AppRef> = Vec::new();
        let mut optional = Vec::new();
        for n in named {
            if all.iter().any(|a| a.name == n.name) {
                continue;
            }
            let r = AppRef {
                name: n.name,
                line: n.line,
            };
            if n.optional {
                optional.push(r.clone());
            }
            all.push(r);
        }
        (all, optional)
    }
}

/// Reads a `mix.exs`. `read_file` reads a file named relative to the
/// `mix.exs` (for `File.read!("VERSION")`), or says why it cannot.
pub(crate) fn read(
    text: &str,
    rel: &str,
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> (Option<MixProject>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_elixir::LANGUAGE.into())
        .is_err()
    {
        return (None, diags);
    }
    let Some(tree) = parser.parse(text, None) else {
        return (None, diags);
    };
    let root = tree.root_node();
    if root.has_error() {
        let at = first_error(root).unwrap_or(root);
        diags.push(Diagnostic::new(
            Severity::Warning,
            MIX_SYNTAX,
            rel,
            at.start_position().row as u32 + 1,
            Some(at.start_position().column as u32 + 1),
            "syntax error in mix.exs; otpmap reads what it can of the rest",
        ));
    }
    let Some(body) = mix_module(root, text) else {
        diags.push(Diagnostic::file_level(
            Severity::Warning,
            MIX_NO_PROJECT,
            rel,
            "no `defmodule` with `use Mix.Project`: not a Mix project file, skipped",
        ));
        return (None, diags);
    };
    let module = eval::Module::new(text, body, read_file);
    if !module.defines("project") {
        diags.push(Diagnostic::file_level(
            Severity::Warning,
            MIX_NO_PROJECT,
            rel,
            "the Mix project module defines no `project/0`: skipped",
        ));
        return (None, diags);
    }
    let line = module.function_line("project").unwrap_or(1);
    let project = module.call0("project", line);
    let mut r = Reader {
        rel,
        diags: &mut diags,
    };
    r.gaps("the project configuration", &project, Severity::Warning);
    let mut p = MixProject {
        line,
        application_line: line,
        ..MixProject::default()
    };
    p.app = r.atom(&project, "app", "the application name", Severity::Warning);
    p.app_computed = p.app.is_none() && project.keyword("app").is_some();
    p.apps_path = r.string(&project, "apps_path", "`apps_path`", Severity::Warning);
    p.version = r.string(&project, "version", "the version", Severity::Info);
    p.description = r.string(&project, "description", "the description", Severity::Info);
    p.language_erlang = r
        .atom(&project, "language", "`language`", Severity::Info)
        .as_deref()
        == Some("erlang");
    p.elixir = project
        .keyword("elixir")
        .and_then(|v| v.as_str().map(|s| (s.to_owned(), v.line)));
    p.compilers = project.keyword("compilers").and_then(|c| {
        let complete = matches!(&c.v, Value::List { gaps, .. } if gaps.is_empty());
        complete.then(|| {
            let names = c
                .items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned));
            (names.collect(), c.line)
        })
    });
    if let Some(deps) = project.keyword("deps") {
        r.deps(deps, &mut p.deps);
    }
    if p.app.is_none() && !p.app_computed && p.apps_path.is_none() && project.gaps().is_empty() {
        r.diags.push(Diagnostic::new(
            Severity::Warning,
            MIX_NO_PROJECT,
            rel,
            line,
            None,
            "`project/0` sets neither `app` nor `apps_path`: no application here",
        ));
    }
    if module.defines("application") {
        let at = module.function_line("application").unwrap_or(line);
        p.application_line = at;
        let app = module.call0("application", at);
        r.gaps("the application configuration", &app, Severity::Warning);
        r.application(&app, &mut p);
    }
    (Some(p), diags)
}

/// The first error or missing node, walking down (a loop: the tree of a
/// hostile file may be deeper than the stack).
fn first_error(mut n: tree_sitter::Node) -> Option<tree_sitter::Node> {
    loop {
        if n.is_error() || n.is_missing() {
            return Some(n);
        }
        let mut c = n.walk();
        let next = n.children(&mut c).find(|k| k.has_error() || k.is_missing());
        match next {
            Some(k) => n = k,
            None => return Some(n),
        }
    }
}

/// The `do` block of the module that says `use Mix.Project` (else of the
/// first `defmodule`).
fn mix_module<'t>(root: tree_sitter::Node<'t>, text: &str) -> Option<tree_sitter::Node<'t>> {
    let mut c = root.walk();
    let mut blocks = Vec::new();
    for n in root.named_children(&mut c) {
        let is_defmodule = n.kind() == "call"
            && n.child_by_field_name("target")
                .is_some_and(|t| &text[t.byte_range()] == "defmodule");
        if !is_defmodule {
            continue;
        }
        let mut c2 = n.walk();
        let block = n.named_children(&mut c2).find(|k| k.kind() == "do_block");
        blocks.extend(block);
    }
    let uses_mix = |b: &tree_sitter::Node| {
        let mut c = b.walk();
        let found = b.named_children(&mut c).any(|s| {
            let t = &text[s.byte_range()];
            s.kind() == "call" && t.starts_with("use") && t.contains("Mix.Project")
        });
        found
    };
    blocks
        .iter()
        .find(|b| uses_mix(b))
        .or(blocks.first())
        .copied()
}

struct Reader<'a> {
    rel: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn computed(&mut self, what: &str, gap: &Gap, severity: Severity, consequence: &str) {
        self.diags.push(Diagnostic::new(
            severity,
            MIX_COMPUTED,
            self.rel,
            gap.line,
            None,
            format!(
                "{what} is computed by `{}` ({}): otpmap reads mix.exs without running Elixir; \
                 {consequence}",
                gap.text, gap.why
            ),
        ));
    }

    /// Reports the parts of a keyword list that could not be read.
    fn gaps(&mut self, what: &str, v: &Val, severity: Severity) {
        for g in v.gaps() {
            self.computed(
                &format!("part of {what}"),
                g,
                severity,
                "the keys it sets are unknown",
            );
        }
    }

    fn scalar<'v>(
        &mut self,
        list: &'v Val,
        key: &str,
        what: &str,
        sev: Severity,
    ) -> Option<&'v Val> {
        let v = list.keyword(key)?;
        if let Value::Unknown(g) = &v.v {
            self.computed(what, g, sev, "left unknown");
            return None;
        }
        Some(v)
    }

    fn atom(&mut self, list: &Val, key: &str, what: &str, sev: Severity) -> Option<String> {
        match &self.scalar(list, key, what, sev)?.v {
            Value::Atom(a) => Some(a.clone()),
            Value::Alias(a) => Some(format!("Elixir.{a}")),
            _ => None,
        }
    }

    fn string(&mut self, list: &Val, key: &str, what: &str, sev: Severity) -> Option<String> {
        match &self.scalar(list, key, what, sev)?.v {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A list of application names (`[:ssl, {:ex_unit, :optional}]`).
    fn names(&mut self, list: &Val, key: &str, what: &str) -> Option<Vec<Named>> {
        let v = list.keyword(key)?;
        for g in v.gaps() {
            self.computed(
                what,
                g,
                Severity::Warning,
                "the applications it adds are unknown",
            );
        }
        let mut out = Vec::new();
        for item in v.items() {
            let (name, optional) = match &item.v {
                Value::Atom(a) => (a.clone(), false),
                Value::Tuple(t) if t.len() == 2 => match (&t[0].v, &t[1].v) {
                    (Value::Atom(a), Value::Atom(kind)) => (a.clone(), kind == "optional"),
                    _ => continue,
                },
                _ => continue,
            };
            out.push(Named {
                name,
                line: item.line,
                optional,
            });
        }
        Some(out)
    }

    fn application(&mut self, app: &Val, p: &mut MixProject) {
        if let Some(m) = self.scalar(
            app,
            "mod",
            "the application callback `mod`",
            Severity::Warning,
        ) {
            if let Value::Tuple(t) = &m.v {
                if let [module, args] = t.as_slice() {
                    let module = match &module.v {
                        Value::Atom(a) => Some(a.clone()),
                        Value::Alias(a) => Some(format!("Elixir.{a}")),
                        _ => None,
                    };
                    p.mod_ = module.map(|module| AppMod {
                        module,
                        args: erlang_text(args),
                        start_phases: Vec::new(),
                    });
                }
            }
        }
        p.extra_applications = self
            .names(app, "extra_applications", "`extra_applications`")
            .unwrap_or_default();
        p.applications = self.names(app, "applications", "`applications`");
        p.included_applications = self
            .names(app, "included_applications", "`included_applications`")
            .unwrap_or_default()
            .into_iter()
            .map(|n| AppRef {
                name: n.name,
                line: n.line,
            })
            .collect();
        p.registered = app
            .keyword("registered")
            .map(|r| {
                r.items()
                    .iter()
                    .filter_map(|i| match &i.v {
                        Value::Atom(a) => Some(a.clone()),
                        Value::Alias(a) => Some(format!("Elixir.{a}")),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(env) = app.keyword("env") {
            for g in env.gaps() {
                self.computed(
                    "part of `env`",
                    g,
                    Severity::Info,
                    "the keys it sets are unknown",
                );
            }
            for item in env.items() {
                if let Value::Tuple(kv) = &item.v {
                    if let [Val {
                        v: Value::Atom(key),
                        ..
                    }, value] = kv.as_slice()
                    {
                        p.env.push(EnvEntry {
                            key: key.clone(),
                            value: erlang_text(value),
                            line: item.line,
                        });
                    }
                }
            }
        }
    }

    fn deps(&mut self, deps: &Val, out: &mut Vec<MixDep>) {
        let mut items: Vec<&Val> = deps.items().iter().collect();
        for g in deps.gaps() {
            let consequence = if g.salvage.is_empty() {
                "the dependencies it adds are unknown".to_owned()
            } else {
                items.extend(g.salvage.iter());
                format!(
                    "using the {} dependencies written in its arguments; the call may add others",
                    g.salvage.len()
                )
            };
            self.computed("`deps`", g, Severity::Warning, &consequence);
        }
        for item in items {
            if let Some(d) = self.dep(item) {
                out.push(d);
            }
        }
    }

    fn dep(&mut self, item: &Val) -> Option<MixDep> {
        let (name, rest): (&str, &[Val]) = match &item.v {
            // A bare name is no Mix dependency, but a helper of the project
            // may turn it into one (seen in `UMP.deps([:gproc])`).
            Value::Atom(a) => (a, &[]),
            Value::Tuple(t) => match t.first().map(|n| &n.v) {
                Some(Value::Atom(a)) => (a, &t[1..]),
                _ => return self.bad_dep(item),
            },
            _ => return self.bad_dep(item),
        };
        let (requirement, opts) = match rest {
            [] => (None, None),
            [Val {
                v: Value::Str(r), ..
            }] => (Some(r.clone()), None),
            [o] if matches!(o.v, Value::List { .. }) => (None, Some(o)),
            [Val {
                v: Value::Str(r), ..
            }, o] => (Some(r.clone()), Some(o)),
            _ => return self.bad_dep(item),
        };
        let mut dep = Dep {
            name: name.to_owned(),
            source: if matches!(item.v, Value::Atom(_)) {
                DepSource::Other
            } else {
                DepSource::Hex
            },
            version: requirement,
            url: None,
            git_ref: None,
            package: None,
            profile: None,
            file: self.rel.to_owned(),
            line: item.line,
            raw: false,
        };
        let mut d = MixDep {
            dep: dep.clone(),
            in_umbrella: false,
            runtime: true,
            optional: false,
            name_only: matches!(item.v, Value::Atom(_)),
        };
        let Some(opts) = opts else {
            d.dep = dep;
            return Some(d);
        };
        let str_opt = |k: &str| {
            opts.keyword(k).and_then(|v| match &v.v {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
        };
        let flag = |k: &str| opts.keyword(k).map(|v| v.v == Value::Bool(true));
        if flag("in_umbrella") == Some(true) {
            d.in_umbrella = true;
            dep.source = DepSource::Path;
            dep.url = Some(format!("../{name}"));
        } else if let Some(path) = str_opt("path") {
            dep.source = DepSource::Path;
            dep.url = Some(path);
        } else if let Some(url) = str_opt("git") {
            dep.source = DepSource::Git;
            dep.url = Some(url);
        } else if let Some(repo) = str_opt("github") {
            dep.source = DepSource::Git;
            dep.url = Some(format!("https://github.com/{repo}.git"));
        }
        if dep.source == DepSource::Git {
            dep.git_ref = str_opt("tag")
                .map(GitRef::Tag)
                .or_else(|| str_opt("branch").map(GitRef::Branch))
                .or_else(|| str_opt("ref").map(GitRef::Ref));
        }
        if let Some(Value::Atom(pkg)) = opts.keyword("hex").map(|v| &v.v) {
            if pkg != name {
                dep.package = Some(pkg.clone());
            }
        }
        for key in [
            "runtime",
            "app",
            "optional",
            "only",
            "targets",
            "in_umbrella",
        ] {
            if let Some(Val {
                v: Value::Unknown(g),
                ..
            }) = opts.keyword(key)
            {
                self.computed(
                    &format!("`{key}:` of dependency `{name}`"),
                    g,
                    Severity::Warning,
                    "read as if it were not given",
                );
            }
        }
        d.optional = flag("optional") == Some(true);
        let runtime = flag("runtime") != Some(false) && flag("app") != Some(false);
        let only = atoms(opts.keyword("only"));
        let targets = atoms(opts.keyword("targets"));
        // otpmap maps the production build (MIX_ENV=prod) for the host
        // target: what a release is made of.
        let in_prod = only
            .as_ref()
            .is_none_or(|envs| envs.iter().any(|e| e == "prod"));
        let on_host = targets
            .as_ref()
            .is_none_or(|t| t.iter().any(|e| e == "host"));
        d.runtime = runtime && in_prod && on_host;
        dep.profile = match (&only, runtime) {
            (Some(envs), _) if !in_prod => Some(envs.join(",")),
            (_, false) => Some("build".to_owned()),
            _ => None,
        };
        d.dep = dep;
        Some(d)
    }

    fn bad_dep(&mut self, item: &Val) -> Option<MixDep> {
        let what = match &item.v {
            Value::Unknown(g) => {
                self.computed("an entry of `deps`", g, Severity::Warning, "left out");
                return None;
            }
            other => {
                let text = erlang_text(&Val {
                    v: other.clone(),
                    line: item.line,
                });
                let mut short: String = text.chars().take(60).collect();
                if short.len() < text.len() {
                    short.push_str(" ...");
                }
                short
            }
        };
        self.diags.push(Diagnostic::new(
            Severity::Warning,
            MIX_BAD_DEP,
            self.rel,
            item.line,
            None,
            format!(
                "`{what}` is not a dependency: Mix expects {{:name, requirement}}, {{:name, opts}} \
                 or {{:name, requirement, opts}}; left out"
            ),
        ));
        None
    }
}

/// `:prod` or `[:dev, :test]` as names.
fn atoms(v: Option<&Val>) -> Option<Vec<String>> {
    let v = v?;
    match &v.v {
        Value::Atom(a) => Some(vec![a.clone()]),
        Value::List { .. } => Some(
            v.items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    }
}

/// A value in Erlang syntax, as it lands in the `.app` file (strings are
/// binaries, aliases `'Elixir.X'` atoms).
fn erlang_text(v: &Val) -> String {
    match &v.v {
        Value::Atom(a) => atom_text(a),
        Value::Alias(a) => atom_text(&format!("Elixir.{a}")),
        Value::Str(s) => format!("<<\"{}\">>", s.replace('\\', "\\\\").replace('"', "\\\"")),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Nil => "nil".to_owned(),
        Value::List { items, gaps } => {
            let mut parts: Vec<String> = items.iter().map(erlang_text).collect();
            parts.extend(gaps.iter().map(|_| "...".to_owned()));
            format!("[{}]", parts.join(","))
        }
        Value::Tuple(t) => format!(
            "{{{}}}",
            t.iter().map(erlang_text).collect::<Vec<_>>().join(",")
        ),
        Value::Unknown(_) => "...".to_owned(),
    }
}

fn atom_text(a: &str) -> String {
    let plain = a.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain {
        a.to_owned()
    } else {
        format!("'{}'", a.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests;
