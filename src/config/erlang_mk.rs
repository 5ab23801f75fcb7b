//! erlang.mk `Makefile`s: the variables erlang.mk turns into the `.app` file
//! (`PROJECT`, `PROJECT_VERSION`, `PROJECT_MOD`, ...) and the dependency
//! variables (`DEPS`, `LOCAL_DEPS`, `BUILD_DEPS`, `TEST_DEPS`, `dep_*`).
//!
//! Only plain assignments are read, under the conditionals
//! (`ifeq`/`ifdef`/...) that hold in the default build (see
//! [`super::make_conditional`]); make functions are not evaluated, and a
//! value that still holds `$(...)` after expanding the variables set in the
//! same file is reported as unresolved (a make function in a list of names
//! is then left out of it).

use super::make_conditional::{Conditionals, Directive, Reading};
pub use super::make_vars::Assignment;
use super::make_vars::{expand_value, Expansion, EXPANSION_BUDGET};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Dep, DepSource, GitRef};
use std::collections::BTreeMap;

/// What an erlang.mk Makefile says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErlangMk {
    /// Every variable assigned, after expanding references to others.
    pub vars: BTreeMap<String, Assignment>,
    /// Whether the Makefile includes erlang.mk.
    pub(crate) includes_erlang_mk: bool,
}

impl ErlangMk {
    /// The project name, if this is an erlang.mk project.
    pub fn project(&self) -> Option<&Assignment> {
        self.vars.get("PROJECT").filter(|a| !a.value.is_empty())
    }

    /// A variable's value split on whitespace, without the words that are
    /// make expressions left unexpanded (`$(if $(CI),ci.erlang.mk)` is one
    /// word, and no name: reported by [`read`]).
    pub(crate) fn words(&self, var: &str) -> Vec<String> {
        self.vars
            .get(var)
            .map(|a| {
                make_words(&a.value)
                    .into_iter()
                    .filter(|w| !w.contains("$(") && !w.contains("${"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A variable's value.
    pub(crate) fn value(&self, var: &str) -> Option<&str> {
        self.vars.get(var).map(|a| a.value.as_str())
    }

    /// The line a variable is set on (1 when it is not set).
    pub(crate) fn line(&self, var: &str) -> u32 {
        self.vars.get(var).map(|a| a.line).unwrap_or(1)
    }

    /// The line a variable is set on in the makefile `rel` (1 when it is
    /// set in an included makefile, or not at all).
    pub(crate) fn line_in(&self, var: &str, rel: &str) -> u32 {
        self.vars
            .get(var)
            .filter(|a| a.file == rel)
            .map(|a| a.line)
            .unwrap_or(1)
    }

    /// Deps from `DEPS` (runtime), `BUILD_DEPS` and `TEST_DEPS` (marked with
    /// the profile `build`/`test`), with sources from `dep_*` lines.
    pub fn deps(&self, rel: &str) -> Vec<Dep> {
        let mut out = Vec::new();
        for (var, profile) in [
            ("DEPS", None),
            ("BUILD_DEPS", Some("build")),
            ("TEST_DEPS", Some("test")),
            ("DOC_DEPS", Some("doc")),
            ("REL_DEPS", Some("rel")),
        ] {
            for name in self.words(var) {
                out.push(self.dep(&name, rel, var, profile));
            }
        }
        out
    }

    /// `dep_NAME = FETCH URL REF`, with `dep_NAME_commit` overriding the ref.
    fn dep(&self, name: &str, rel: &str, listed_in: &str, profile: Option<&str>) -> Dep {
        let spec = self.vars.get(&format!("dep_{name}"));
        let words: Vec<&str> = spec
            .map(|a| a.value.split_whitespace().collect())
            .unwrap_or_default();
        let mut d = Dep {
            name: name.to_owned(),
            source: DepSource::Other,
            version: None,
            url: None,
            git_ref: None,
            package: None,
            profile: profile.map(str::to_owned),
            // Where it is said: the `dep_` line, else the list naming it,
            // in whichever makefile holds them.
            file: spec
                .or_else(|| self.vars.get(listed_in))
                .map(|a| a.file.clone())
                .unwrap_or_else(|| rel.to_owned()),
            line: spec.map(|a| a.line).unwrap_or_else(|| self.line(listed_in)),
            raw: false,
        };
        match words.as_slice() {
            ["git" | "git-subfolder" | "git-emu", url, rest @ ..] => {
                d.source = DepSource::Git;
                d.url = Some((*url).to_owned());
                d.git_ref = rest.first().map(|r| git_ref(r));
            }
            ["hg", url, rest @ ..] => {
                d.source = DepSource::Hg;
                d.url = Some((*url).to_owned());
                d.git_ref = rest.first().map(|r| GitRef::Ref((*r).to_owned()));
            }
            ["hex", vsn, rest @ ..] => {
                d.source = DepSource::Hex;
                d.version = Some((*vsn).to_owned());
                d.package = rest.first().map(|p| (*p).to_owned());
            }
            ["ln" | "cp", path, ..] => {
                d.source = DepSource::Path;
                d.url = Some((*path).to_owned());
            }
            [_, url, ..] => d.url = Some((*url).to_owned()),
            // No dep_ line: erlang.mk looks the name up in its package index.
            _ => {}
        }
        if let Some(commit) = self.value(&format!("dep_{name}_commit")) {
            d.git_ref = Some(git_ref(commit));
        }
        d
    }
}

/// erlang.mk passes one ref; by convention `master`/`main`/`develop` are
/// branches and anything else is a tag or commit.
fn git_ref(r: &str) -> GitRef {
    match r {
        "master" | "main" | "develop" | "dev" => GitRef::Branch(r.to_owned()),
        _ if r.len() >= 7 && r.len() <= 40 && r.chars().all(|c| c.is_ascii_hexdigit()) => {
            GitRef::Ref(r.to_owned())
        }
        _ => GitRef::Tag(r.to_owned()),
    }
}

/// Reads a Makefile. Returns the assignments and diagnostics for values that
/// reference variables this file does not set. `include`s are not followed
/// (see [`read_with_includes`]).
pub fn read(text: &str, rel: &str) -> (ErlangMk, Vec<Diagnostic>) {
    read_with_includes(text, rel, &mut |_: &str| Included::Outside)
}

/// What an `include`d makefile is to the reader.
pub(crate) enum Included {
    /// Its text and its path relative to the scanned root.
    Read { text: String, rel: String },
    /// Not in the repository (generated by the build, or outside it).
    Missing,
    /// A path that leaves the repository: not read.
    Outside,
    /// Could not be read: already a diagnostic.
    Unreadable,
}

/// Makefiles included inside one another before the reader stops (make
/// has no limit; a file that includes itself loops forever there).
const MAX_INCLUDE_DEPTH: usize = 8;

/// Reads a Makefile and, in place, the makefiles it `include`s (`include`,
/// `-include`, `sinclude`) that `open` finds in the repository, as make
/// does: variables set there count (RabbitMQ's plugins set their `dep_*`
/// lines in a shared `rabbitmq-components.mk`). erlang.mk itself is never
/// read: only that it is included matters. `open` gets the path as written
/// after expansion, relative to the Makefile's directory.
pub(crate) fn read_with_includes(
    text: &str,
    rel: &str,
    open: &mut dyn FnMut(&str) -> Included,
) -> (ErlangMk, Vec<Diagnostic>) {
    let mut reader = Reader {
        mk: ErlangMk::default(),
        diags: Vec::new(),
        open,
        stack: vec![rel.to_owned()],
    };
    reader.read_file(text, rel);
    let Reader {
        mut mk, mut diags, ..
    } = reader;
    expand_all(&mut mk, text.len(), &mut diags);
    (mk, diags)
}

struct Reader<'o> {
    mk: ErlangMk,
    diags: Vec<Diagnostic>,
    open: &'o mut dyn FnMut(&str) -> Included,
    /// The files being read, outermost first.
    stack: Vec<String>,
}

impl Reader<'_> {
    fn read_file(&mut self, text: &str, rel: &str) {
        let mut lines = text.lines().enumerate().peekable();
        let mut in_define = false;
        let mut conditionals = Conditionals::default();
        while let Some((i, line)) = lines.next() {
            let start_line = i as u32 + 1;
            // Join backslash continuations, as make does (with one space).
            let mut logical = line.trim_end_matches('\r').to_owned();
            while logical.ends_with('\\') {
                logical.pop();
                match lines.next() {
                    Some((_, next)) => {
                        logical.push(' ');
                        logical.push_str(next.trim_end_matches('\r').trim_start());
                    }
                    None => break,
                }
            }
            let code = strip_comment(&logical);
            let trimmed = code.trim();
            if in_define {
                in_define = trimmed != "endef";
                continue;
            }
            if trimmed.starts_with("define ") {
                in_define = true;
                continue;
            }
            if code.starts_with('\t') || trimmed.is_empty() {
                continue;
            }
            match conditionals.directive(trimmed, start_line, &self.mk.vars) {
                Directive::Handled => continue,
                Directive::Stray(word) => {
                    self.diags.push(Diagnostic::new(
                        Severity::Warning,
                        "make-conditional",
                        rel,
                        start_line,
                        None,
                        format!("`{word}` without an open `ifeq`/`ifdef`; make rejects this"),
                    ));
                    continue;
                }
                Directive::None => {}
            }
            let (reading, decided_by) = conditionals.reading();
            if reading != Reading::Yes {
                // Say so when it changes what the project depends on.
                if let (Some((name, _, _)), Some((line, directive))) =
                    (assignment(trimmed), decided_by)
                {
                    if names_project_or_dep(name) {
                        let what = match reading {
                            Reading::No => "false in the default build (no variable set on the \
                                            command line or in the environment): left out"
                                .to_owned(),
                            _ => "which otpmap does not evaluate (a make function): read as if \
                                  it held"
                                .to_owned(),
                        };
                        self.diags.push(Diagnostic::new(
                            Severity::Info,
                            "make-conditional",
                            rel,
                            start_line,
                            None,
                            format!("`{trimmed}` is under `{directive}` (line {line}), {what}"),
                        ));
                    }
                }
                if reading == Reading::No {
                    continue;
                }
            }
            if let Some((optional, rest)) = include_directive(trimmed) {
                let words = expand_value(rest, &self.mk.vars).unwrap_or_else(|| rest.to_owned());
                for word in make_words(&words) {
                    if word.rsplit('/').next() == Some("erlang.mk") {
                        self.mk.includes_erlang_mk = true;
                    } else if !word.contains("$(") && !word.contains("${") {
                        self.include(word, rel, start_line, optional);
                    }
                }
                continue;
            }
            let Some((name, op, value)) = assignment(trimmed) else {
                continue;
            };
            let value = value.trim().to_owned();
            match op {
                "+=" => {
                    let entry = self.mk.vars.entry(name.to_owned()).or_insert(Assignment {
                        value: String::new(),
                        line: start_line,
                        file: rel.to_owned(),
                    });
                    if !entry.value.is_empty() {
                        entry.value.push(' ');
                    }
                    entry.value.push_str(&value);
                }
                "?=" if self.mk.vars.contains_key(name) => {}
                _ => {
                    // `:=` expands now: `V := $(V) more` keeps the old value.
                    let value = if op == ":=" {
                        expand_value(&value, &self.mk.vars).unwrap_or(value)
                    } else {
                        value
                    };
                    self.mk.vars.insert(
                        name.to_owned(),
                        Assignment {
                            value,
                            line: start_line,
                            file: rel.to_owned(),
                        },
                    );
                }
            }
        }

        if let Some((line, directive)) = conditionals.unclosed() {
            self.diags.push(Diagnostic::new(
                Severity::Warning,
                "make-conditional",
                rel,
                line,
                None,
                format!("`{directive}` is not closed by `endif`; make rejects this"),
            ));
        }
    }

    /// Reads an included makefile in place.
    fn include(&mut self, word: &str, rel: &str, line: u32, optional: bool) {
        if self.stack.len() > MAX_INCLUDE_DEPTH {
            return;
        }
        match (self.open)(word) {
            Included::Read {
                text,
                rel: included,
            } => {
                if self.stack.contains(&included) {
                    self.diags.push(Diagnostic::new(
                        Severity::Warning,
                        "make-include",
                        rel,
                        line,
                        None,
                        format!(
                            "`{word}` includes itself through {}; make loops on this: read once",
                            self.stack.join(" -> ")
                        ),
                    ));
                    return;
                }
                self.stack.push(included.clone());
                self.read_file(&text, &included);
                self.stack.pop();
            }
            Included::Missing if !optional => self.diags.push(Diagnostic::new(
                Severity::Info,
                "make-include",
                rel,
                line,
                None,
                format!(
                    "included makefile `{word}` is not in the repository (the build makes it, \
                     or make fails): the variables it sets are unknown"
                ),
            )),
            Included::Missing | Included::Outside | Included::Unreadable => {}
        }
    }
}

/// `include FILES`, `-include FILES`, `sinclude FILES`: whether a missing
/// file is fine, and the files.
fn include_directive(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("include ") {
        return Some((false, rest));
    }
    line.strip_prefix("-include ")
        .or_else(|| line.strip_prefix("sinclude "))
        .map(|rest| (true, rest))
}

/// Expands `$(VAR)` / `${VAR}` references to the variables the files set,
/// and reports the project variables left with references.
fn expand_all(mk: &mut ErlangMk, text_len: usize, diags: &mut Vec<Diagnostic>) {
    let snapshot = mk.vars.clone();
    let mut budget = EXPANSION_BUDGET.saturating_add(text_len);
    for (name, a) in mk.vars.iter_mut() {
        let mut expansion = Expansion {
            out: String::with_capacity(a.value.len()),
            stack: vec![name.as_str()],
            budget: &mut budget,
            problem: None,
        };
        expansion.expand(&a.value, &snapshot);
        let Expansion { out, problem, .. } = expansion;
        a.value = out;
        if !is_project_var(name) {
            continue;
        }
        let message = match problem {
            Some(problem) => format!("`{name}` {problem}; read as `{}`", a.value),
            None if a.value.contains("$(") => format!(
                "`{name}` uses make functions or variables set elsewhere; read as `{}`",
                a.value
            ),
            None => continue,
        };
        // A dependency list only a test, documentation or release build
        // reads changes neither the applications nor their boot
        // (ninenines' `TEST_DEPS = $(if $(CI_ERLANG_MK),ci.erlang.mk) ...`).
        let severity = if matches!(name.as_str(), "TEST_DEPS" | "DOC_DEPS" | "REL_DEPS") {
            Severity::Info
        } else {
            Severity::Warning
        };
        diags.push(Diagnostic::new(
            severity,
            "unresolved-make-variable",
            a.file.clone(),
            a.line,
            None,
            message,
        ));
    }
}

/// The variables erlang.mk makes the project and its dependency lists of.
fn is_project_var(name: &str) -> bool {
    matches!(
        name,
        "PROJECT"
            | "PROJECT_VERSION"
            | "PROJECT_MOD"
            | "DEPS"
            | "LOCAL_DEPS"
            | "BUILD_DEPS"
            | "TEST_DEPS"
            | "DOC_DEPS"
            | "REL_DEPS"
    )
}

/// Those, and the `dep_*` lines that say where each dependency comes from.
fn names_project_or_dep(name: &str) -> bool {
    is_project_var(name) || name.starts_with("dep_")
}

/// Splits a value on whitespace as make does, except inside `$(...)` and
/// `${...}`: a make function call with its arguments is one word.
fn make_words(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'{' if i > 0 && bytes[i - 1] == b'$' || depth > 0 => depth += 1,
            b')' | b'}' if depth > 0 => depth -= 1,
            _ if b.is_ascii_whitespace() && depth == 0 => {
                if let Some(st) = start.take() {
                    out.push(&value[st..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(st) = start {
        out.push(&value[st..]);
    }
    out
}

/// `NAME = value`, `NAME := value`, `NAME ::= value`, `NAME ?= value`,
/// `NAME += value` (also with `export`/`override` in front).
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let line = line
        .strip_prefix("export ")
        .or_else(|| line.strip_prefix("override "))
        .unwrap_or(line)
        .trim_start();
    let eq = line.find('=')?;
    let (before, value) = (&line[..eq], &line[eq + 1..]);
    let (name, op) = if let Some(n) = before.strip_suffix("::") {
        (n, ":=")
    } else if let Some(n) = before.strip_suffix(':') {
        (n, ":=")
    } else if let Some(n) = before.strip_suffix('?') {
        (n, "?=")
    } else if let Some(n) = before.strip_suffix('+') {
        (n, "+=")
    } else {
        (before, "=")
    };
    let name = name.trim();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    valid.then_some((name, op, value))
}

fn strip_comment(line: &str) -> String {
    // A `#` starts a comment unless escaped as `\#`.
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'#') => {
                out.push('#');
                chars.next();
            }
            '#' => break,
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_project_and_deps() {
        let mk = "PROJECT = relay\nPROJECT_VERSION = 1.2.0\n\
                  DEPS = cowlib ranch\nLOCAL_DEPS = crypto \\\n  ssl\n\
                  dep_ranch = git https://example.org/ranch.git 2.1.0\n\
                  dep_cowlib = hex 2.12.1\n# a comment\ninclude erlang.mk\n";
        let (mk, diags) = read(mk, "Makefile");
        assert!(diags.is_empty());
        assert!(mk.includes_erlang_mk);
        assert_eq!(mk.project().map(|a| a.value.as_str()), Some("relay"));
        assert_eq!(mk.words("LOCAL_DEPS"), vec!["crypto", "ssl"]);
        let deps = mk.deps("Makefile");
        assert_eq!(deps.len(), 2);
        assert_eq!(deps[0].name, "cowlib");
        assert_eq!(deps[0].source, DepSource::Hex);
        assert_eq!(deps[0].version.as_deref(), Some("2.12.1"));
        assert_eq!(deps[1].source, DepSource::Git);
        assert_eq!(deps[1].git_ref, Some(GitRef::Tag("2.1.0".into())));
        assert_eq!(deps[1].line, 6);
    }

    #[test]
    fn conditionals_false_in_the_default_build_are_left_out() {
        let mk = "PROJECT = web\nDEPS = cowlib ranch\n\
                  ifeq ($(WEB_QUIC),1)\nDEPS += quicer\ndep_quicer = git https://example.org/q main\n\
                  else\nDEPS += gun\nendif\n\
                  ifneq ($(wildcard local.mk),)\nTEST_DEPS = meck\nendif\n\
                  ifdef CI\n  ifeq (a,a)\nDEPS += never\n  endif\nendif\n\
                  include erlang.mk\n";
        let (mk, diags) = read(mk, "Makefile");
        assert_eq!(mk.words("DEPS"), vec!["cowlib", "ranch", "gun"]);
        assert_eq!(mk.words("TEST_DEPS"), vec!["meck"]);
        assert!(mk.value("dep_quicer").is_none());
        let said: Vec<(u32, &str)> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(said.len(), 4, "{said:?}");
        assert!(said[0].1.starts_with("`DEPS += quicer` is under `ifeq ($(WEB_QUIC),1)` (line 3), false in the default build"), "{said:?}");
        assert_eq!(said[1].0, 5);
        assert!(
            said[2]
                .1
                .contains("does not evaluate (a make function): read as if it held"),
            "{said:?}"
        );
        let (_, diags) = read("endif\nifdef X\n", "Makefile");
        let said: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].starts_with("`endif` without an open"));
        assert!(said[1].starts_with("`ifdef X` is not closed"));
    }

    #[test]
    fn expands_and_appends() {
        let (mk, _) = read(
            "NAME = app\nPROJECT = $(NAME)\nDEPS = a\nDEPS += b\n",
            "Makefile",
        );
        assert_eq!(mk.value("PROJECT"), Some("app"));
        assert_eq!(mk.words("DEPS"), vec!["a", "b"]);
    }

    #[test]
    fn make_functions_are_no_dependency_names() {
        let (mk, diags) = read(
            "PROJECT = web\nTEST_DEPS = $(if $(CI_ERLANG_MK),ci.erlang.mk) ct_helper gun\n",
            "Makefile",
        );
        assert_eq!(mk.words("TEST_DEPS"), ["ct_helper", "gun"]);
        let names: Vec<String> = mk.deps("Makefile").into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["ct_helper", "gun"]);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("`TEST_DEPS` uses make functions"));
        assert_eq!(diags[0].severity, Severity::Info, "read by tests only");
        let (_, diags) = read(
            "PROJECT = web\nDEPS = $(if $(WITH_TLS),ssl_verify) cowlib\n",
            "Makefile",
        );
        assert_eq!(diags[0].severity, Severity::Warning, "a runtime dependency");
        assert_eq!(
            make_words(" a $(b c) ${d e}f  g "),
            ["a", "$(b c)", "${d e}f", "g"]
        );
    }

    #[test]
    fn unresolved_is_reported() {
        let (_, diags) = read("PROJECT = $(notdir $(CURDIR))\n", "Makefile");
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn self_reference_is_reported_not_expanded_forever() {
        // Found by the erlang_mk fuzz target: each `$(BASE)` expanded
        // `$(BASE)` twice again, 2^16 copies of the value.
        let (mk, diags) = read("BASE = x $(BASE) $(BASE)\nPROJECT = $(BASE)\n", "Makefile");
        assert_eq!(
            mk.value("PROJECT"),
            Some("x $(BASE) $(BASE)"),
            "expanded once, the loop kept as written"
        );
        assert_eq!(diags.len(), 1);
        assert!(diags[0]
            .message
            .contains("refers to itself through `$(BASE)`"));
    }

    #[test]
    fn exponential_expansion_stops_at_the_budget() {
        // 40 levels of `Vn = $(Vn+1)$(Vn+1)` would be 2^40 copies.
        let mut mk = String::from("V40 = abcdefgh\n");
        for n in 0..40 {
            mk.push_str(&format!("V{n} = $(V{m})$(V{m})\n", m = n + 1));
        }
        mk.push_str("PROJECT = $(V0)\n");
        let (mk, diags) = read(&mk, "Makefile");
        let project = mk.value("PROJECT").unwrap();
        assert!(project.len() <= 2 * EXPANSION_BUDGET, "{}", project.len());
        assert!(project.contains("$(V"), "what was not expanded is kept");
        assert!(diags.iter().any(|d| d.message.contains("`PROJECT` ")));
        // Empty values cost their references: no output, but bounded work.
        let mut empty = String::from("E40 =\n");
        for n in 0..40 {
            empty.push_str(&format!("E{n} = $(E{m})$(E{m})\n", m = n + 1));
        }
        let (mk, _) = read(&empty, "Makefile");
        assert!(mk.value("E0").is_some());
    }

    #[test]
    fn includes_are_read_in_place() {
        let files = |word: &str| match word {
            "plugins.mk" => Included::Read {
                text: "PLUGINS := web\nDEPS += $(PLUGINS)\ndep_web = ln ../web\n".into(),
                rel: "plugins.mk".into(),
            },
            "loop.mk" => Included::Read {
                text: "include loop.mk\nLOOPED = yes\n".into(),
                rel: "loop.mk".into(),
            },
            "../outside.mk" => Included::Outside,
            _ => Included::Missing,
        };
        let mut open = files;
        let (mk, diags) = read_with_includes(
            "PROJECT = app\nDEPS = core\ninclude plugins.mk\nDEPS += last\n\
             include loop.mk\n-include optional.mk\ninclude generated.mk ../outside.mk\n\
             include ../../erlang.mk\n",
            "Makefile",
            &mut open,
        );
        assert!(mk.includes_erlang_mk);
        assert_eq!(mk.words("DEPS"), ["core", "web", "last"]);
        assert_eq!(mk.value("LOOPED"), Some("yes"));
        let web = mk.deps("Makefile").into_iter().find(|d| d.name == "web");
        let web = web.expect("dep_web from the included file");
        assert_eq!((web.file.as_str(), web.line), ("plugins.mk", 3));
        let said: Vec<(&str, u32, &str)> = diags
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.message.as_str()))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert_eq!((said[0].0, said[0].1), ("loop.mk", 1));
        assert!(said[0].2.contains("includes itself"), "{said:?}");
        assert_eq!((said[1].0, said[1].1), ("Makefile", 7));
        assert!(
            said[1]
                .2
                .contains("`generated.mk` is not in the repository"),
            "{said:?}"
        );
    }

    #[test]
    fn simple_assignment_expands_at_once() {
        let (mk, diags) = read("V = a\nV := $(V) b\nPROJECT := $(V)\n", "Makefile");
        assert_eq!(mk.value("PROJECT"), Some("a b"));
        assert!(diags.is_empty(), "{diags:?}");
    }
}
