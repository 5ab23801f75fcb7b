//! The project's Erlang sources: every module and header indexed once, with
//! `-include`/`-include_lib` resolved the way epp and rebar3 resolve them,
//! and each module's macro table (its own `-define`s and those of the
//! headers it includes, in order). Read by `load/sources.rs`.

use super::app::App;
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::{self, MacroContext, MacroTable, ModuleIndex};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One indexed module and what is needed to read its code.
#[derive(Debug, Clone)]
pub struct ModuleSource {
    /// The module name (from `-module`, or the file stem when it has none).
    pub(crate) name: String,
    /// Relative path.
    pub(crate) file: String,
    /// The app whose `src/` holds it.
    pub(crate) app: Option<String>,
    pub index: Arc<ModuleIndex>,
    /// Its macros, includes resolved.
    pub macros: Arc<MacroTable>,
}

/// Why what otpmap knows of a source file may be incomplete: the file was
/// not read, or parts of it did not parse. Trees and findings that depend
/// on the file carry it, so a result is never silently partial.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PartialRead {
    /// Relative path.
    pub(crate) file: String,
    /// The first problem's line (1 for a file not read).
    pub(crate) line: u32,
    /// The first problem, as its diagnostic says it.
    pub(crate) reason: String,
}

impl std::fmt::Display for PartialRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// Diagnostic codes that mean part of a file's code is not known.
const PARTIAL_CODES: &[&str] = &[
    syntax::forms::PARSE_ERROR,
    "parse-timeout",
    "parse-failed",
    crate::internal_error::INTERNAL_ERROR,
];

/// What is missing from an indexed file, if anything: it was not read, the
/// cheap pass found syntax errors, or a body parsed so far had errors.
pub(crate) fn partial_read(index: &ModuleIndex) -> Option<PartialRead> {
    // A template is not code of the project: nothing of it is missing.
    if index.is_unreadable() {
        let d = index.diagnostics.first()?;
        return (d.code != syntax::TEMPLATE_FILE).then(|| PartialRead {
            file: index.file.path.clone(),
            line: d.line,
            reason: format!("not read ({})", d.message),
        });
    }
    let cheap = index
        .diagnostics
        .iter()
        .filter(|d| PARTIAL_CODES.contains(&d.code))
        .min_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // tree-sitter also fails on valid code it cannot see whole (a macro
    // expanding to half a `case`), so say what failed, not "syntax error".
    let lazy = index
        .functions
        .iter()
        .filter(|f| f.is_parsed())
        .flat_map(|f| f.diagnostics())
        .filter(|d| d.severity == Severity::Error)
        .min_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let (first, reason) = match (cheap, lazy) {
        (Some(c), Some(l)) if l.sort_key() < c.sort_key() => (l, lazy_reason(l)),
        (Some(c), _) => (c, c.message.clone()),
        (None, Some(l)) => (l, lazy_reason(l)),
        (None, None) => return None,
    };
    Some(PartialRead {
        file: index.file.path.clone(),
        line: first.line,
        reason,
    })
}

impl ModuleSource {
    /// What is missing from this module's code, if anything (see
    /// [`partial_read`]); call it after the analysis that parsed bodies.
    pub(crate) fn partial_read(&self) -> Option<PartialRead> {
        partial_read(&self.index)
    }
}

fn lazy_reason(d: &Diagnostic) -> String {
    if d.code == syntax::forms::PARSE_ERROR {
        format!(
            "tree-sitter could not parse all of a function ({})",
            d.message
        )
    } else {
        d.message.clone()
    }
}

/// Which module a name stands for (its position in [`Sources::modules`]):
/// every atom a lint rule reads may be looked up, so a fast hash.
pub(crate) type ModulesByName = HashMap<String, usize, foldhash::fast::FixedState>;

/// All sources of a project.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Modules sorted by file.
    pub(crate) modules: Vec<ModuleSource>,
    /// Headers by relative path.
    pub(crate) headers: BTreeMap<String, Arc<ModuleIndex>>,
    by_name: ModulesByName,
}

impl Sources {
    /// Sources of modules indexed in memory: each with its own defines
    /// only (includes are not resolved), sorted by file.
    pub(crate) fn from_indexes(indexes: Vec<ModuleIndex>) -> Sources {
        let mut modules: Vec<ModuleSource> = indexes
            .into_iter()
            .map(|index| {
                let macros = MacroTable::new(
                    index.defines.iter().cloned(),
                    MacroContext::for_module(&index),
                );
                ModuleSource {
                    name: index.name().unwrap_or_default().to_owned(),
                    file: index.file.path.clone(),
                    app: None,
                    index: Arc::new(index),
                    macros: Arc::new(macros),
                }
            })
            .collect();
        modules.sort_by(|a, b| a.file.cmp(&b.file));
        let mut by_name = ModulesByName::default();
        for (i, m) in modules.iter().enumerate() {
            by_name.entry(m.name.clone()).or_insert(i);
        }
        Sources {
            modules,
            headers: BTreeMap::new(),
            by_name,
        }
    }

    /// Sources read by the loading stage: modules sorted by file, headers
    /// by path, and which module each name stands for.
    pub(crate) fn from_parts(
        modules: Vec<ModuleSource>,
        headers: BTreeMap<String, Arc<ModuleIndex>>,
        by_name: ModulesByName,
    ) -> Sources {
        Sources {
            modules,
            headers,
            by_name,
        }
    }

    /// The module with this name (the first by path when two share a name).
    pub fn module(&self, name: &str) -> Option<&ModuleSource> {
        self.by_name.get(name).map(|&i| &self.modules[i])
    }

    /// Parses given up on `--parse-timeout` while an analysis read function
    /// bodies: limits of the tool, reported like any unreadable input.
    /// (Syntax errors tree-sitter finds in bodies are not: valid code
    /// behind a macro causes them too; results mark them `partial`.)
    /// In the order of the files; the run's sink sorts them with the rest.
    pub fn late_diagnostics(&self) -> Vec<Diagnostic> {
        self.modules
            .iter()
            .map(|m| &*m.index)
            .chain(self.headers.values().map(|h| &**h))
            .flat_map(|i| i.functions.iter())
            .filter(|f| f.is_parsed())
            .flat_map(|f| f.diagnostics())
            .filter(|d| d.code == "parse-timeout")
            .cloned()
            .collect()
    }
}

/// The module name a `.erl` file's name gives (`src/a/b_sup.erl` ->
/// `b_sup`), which the compiler requires `-module` to match.
pub(crate) fn module_stem(rel: &str) -> String {
    rel.rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".erl")
        .to_owned()
}

/// Test suites, test helpers, examples, and what `priv/` holds (templates,
/// fixture projects, code loaded by hand): not boot code.
pub(crate) fn is_test_path(file: &str) -> bool {
    let mut parts = file.split('/');
    let name = parts.next_back().unwrap_or(file);
    let dirs: Vec<&str> = parts.collect();
    name.ends_with("_SUITE.erl")
        || name.ends_with("_tests.erl")
        || dirs.iter().any(|d| {
            matches!(
                *d,
                "test" | "tests" | "example" | "examples" | "bench" | "doc" | "priv"
            ) || d.ends_with("_test")
                || d.ends_with("_tests")
                || d.ends_with("_SUITE_data")
        })
}

/// The app whose `src/` directory holds the file (the deepest app wins).
pub(crate) fn owning_app<'a>(rel: &str, apps: &'a [App]) -> Option<&'a App> {
    apps.iter()
        .filter(|a| in_src_of(rel, &a.dir))
        .max_by_key(|a| a.dir.len())
}

/// True when `rel` is under `dir/src/` (`src/` for the root). Called for
/// every file and app, so it builds no string.
pub(crate) fn in_src_of(rel: &str, dir: &str) -> bool {
    if dir == "." || dir.is_empty() {
        return rel.starts_with("src/");
    }
    rel.len() >= dir.len() + 5 && rel.starts_with(dir) && rel[dir.len()..].starts_with("/src/")
}

#[cfg(test)]
mod tests {
    use super::in_src_of;

    #[test]
    fn src_dirs_of_apps() {
        assert!(in_src_of("apps/a/src/x.erl", "apps/a"));
        assert!(in_src_of("src/x.erl", "."));
        assert!(!in_src_of("apps/ab/src/x.erl", "apps/a"));
        assert!(!in_src_of("apps/a/test/x.erl", "apps/a"));
    }
}
