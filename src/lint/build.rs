//! The default build: which code `erlc` compiles without `-D` options
//! other than those given with `--define`. Code under `-ifdef(TEST)` (or
//! any macro the default build does not define) is not linted: a hazard
//! there does not ship.

use std::collections::HashMap;

use crate::model::{ModuleSource, Project};
use crate::syntax::condition::Condition;

/// Answers "is this line compiled?" for the project's modules.
pub(crate) struct DefaultBuild<'p> {
    by_file: HashMap<&'p str, &'p ModuleSource>,
    /// Macros given with `--define`.
    defines: Vec<String>,
}

impl<'p> DefaultBuild<'p> {
    /// The default build of `project`, with `defines` defined.
    pub(crate) fn new(project: &'p Project, defines: &[String]) -> DefaultBuild<'p> {
        DefaultBuild {
            by_file: project
                .sources
                .modules
                .iter()
                .map(|m| (m.file.as_str(), m))
                .collect(),
            defines: defines.to_vec(),
        }
    }

    /// Whether the function form holding `line` of `file` is compiled.
    /// Lines outside any function, and files that are not modules (a
    /// header, an `.app.src`), are.
    pub(crate) fn compiles(&self, file: &str, line: u32) -> bool {
        let Some(m) = self.by_file.get(file) else {
            return true;
        };
        let lines = m.index.file.line_index();
        // Forms are disjoint and in file order, so their last lines only
        // grow: the first form not ending before `line` is the only one
        // that may hold it (a linear search was 1% of `lint` on OTP).
        let functions = &m.index.functions;
        let at = functions.partition_point(|e| lines.line(e.range().end) < line);
        functions
            .get(at)
            .filter(|e| lines.line(e.range().start) <= line)
            .is_none_or(|e| self.holds(e.condition(), m))
    }

    /// Whether code under `cond` is compiled in the module of `file`
    /// (a macro's definition under `-ifdef(TEST)` is not, by default).
    /// Files that are not modules: taken to hold.
    pub(crate) fn holds_in(&self, cond: &Condition, file: &str) -> bool {
        self.by_file.get(file).is_none_or(|m| self.holds(cond, m))
    }

    /// Whether code under `cond` in module `m` is compiled.
    fn holds(&self, cond: &Condition, m: &ModuleSource) -> bool {
        m.macros.compiled(cond, &self.defines)
    }

    /// Macros given with `--define`.
    pub(crate) fn defines(&self) -> &[String] {
        &self.defines
    }
}
