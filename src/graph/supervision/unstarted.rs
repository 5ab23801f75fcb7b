//! Supervisors no application starts: a library's pool supervisor that its
//! users start (`poolboy`, a connection pool), a supervisor only tests
//! start. `tree` lists them after the trees, and `tree --root Module`
//! (or `Module:Function`) draws a tree from one of them.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::app_root::AppRoot;
use super::node::TreeNode;
use super::start::find_process;
use crate::eval::value::{Loc, Process, StartKind, Val};
use crate::eval::Evaluator;
use crate::model::{AppOrigin, ModuleSource, Project};

/// Test suites and the helpers beside them (`test/`, `*_SUITE.erl`,
/// `*_SUITE_data/`); examples stay listed: they show how to start the
/// project's supervisors.
fn is_test_code(file: &str) -> bool {
    let mut parts = file.split('/');
    let name = parts.next_back().unwrap_or(file);
    name.ends_with("_SUITE.erl")
        || name.ends_with("_tests.erl")
        || parts.any(|d| matches!(d, "test" | "tests") || d.ends_with("_SUITE_data"))
}

/// A module that declares `-behaviour(supervisor)` and that no tree
/// starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnstartedSupervisor {
    pub(crate) module: String,
    /// The application whose sources hold it.
    pub(crate) app: Option<String>,
    /// Its `init/1` (else the module's first line).
    pub(crate) loc: Loc,
}

/// The project's own supervisors (fetched dependencies left out: their
/// trees are not drawn) whose callback module is no node of `trees`, by
/// module name.
pub(crate) fn unstarted<'a>(
    project: &Project,
    trees: impl IntoIterator<Item = &'a TreeNode>,
) -> Vec<UnstartedSupervisor> {
    let mut started = BTreeSet::new();
    for t in trees {
        callbacks(t, &mut started);
    }
    let mut out: Vec<UnstartedSupervisor> = project
        .sources
        .modules
        .iter()
        .filter(|m| is_supervisor(m) && !started.contains(m.name.as_str()))
        // What `priv/` holds (a skeleton project, a template) is never
        // compiled into the project: no one starts it, not even tests. A
        // supervisor written in a test suite or test helper is the test's
        // own scaffolding, not a supervisor the project offers.
        .filter(|m| m.app.is_some() || !m.file.split('/').any(|d| d == "priv"))
        .filter(|m| !is_test_code(&m.file))
        .filter(|m| {
            m.app
                .as_deref()
                .and_then(|a| project.app(a))
                .is_none_or(|a| a.origin != AppOrigin::Dep)
        })
        .map(|m| UnstartedSupervisor {
            module: m.name.clone(),
            app: m.app.clone(),
            loc: init_loc(m),
        })
        .collect();
    out.sort_by(|a, b| (&a.app, &a.module).cmp(&(&b.app, &b.module)));
    out
}

fn callbacks<'a>(n: &'a TreeNode, out: &mut BTreeSet<&'a str>) {
    if let Some(m) = &n.started.callback {
        out.insert(m);
    }
    if let Some(m) = &n.module {
        out.insert(m);
    }
    for c in n.supervisor.iter().flat_map(|s| &s.children) {
        callbacks(c, out);
    }
}

/// Whether the module declares `-behaviour(supervisor)` (also through a
/// macro) in the default build and defines `init/1`.
pub(super) fn is_supervisor(m: &ModuleSource) -> bool {
    declares_supervisor(&m.index, &m.macros)
}

/// A module that declares `-behaviour(supervisor)` and defines `init/1`.
pub(super) fn declares_supervisor(
    index: &crate::syntax::ModuleIndex,
    macros: &crate::syntax::MacroTable,
) -> bool {
    let declares = index
        .compiled_behaviours(macros, &[])
        .iter()
        .any(|b| b.name == "supervisor");
    declares
        && index
            .functions
            .iter()
            .any(|f| f.name() == "init" && f.arity == 1)
}

fn init_loc(m: &ModuleSource) -> Loc {
    let line = m
        .index
        .functions
        .iter()
        .find(|f| f.name() == "init" && f.arity == 1)
        .map_or(1, |f| f.span().line);
    Loc {
        file: Arc::from(m.file.as_str()),
        line,
        column: 1,
        end: 0,
    }
}

/// Where a tree drawn with `--root` starts: `Module:Function` run with
/// arguments its callers give (not known here), or for `Module` alone its
/// `start_link` (lowest arity), else its `init/1` with an argument not
/// known. `Err` says why the root cannot be drawn, for the user.
pub(crate) fn function_root(
    ev: &mut Evaluator<'_, '_>,
    project: &Project,
    module: &str,
    function: Option<&str>,
) -> Result<AppRoot, String> {
    let Some(src) = project.sources.module(module) else {
        return Err(format!("no module `{module}` in the project"));
    };
    let arities = |name: &str| -> Vec<u32> {
        let mut a: Vec<u32> = src
            .index
            .functions
            .iter()
            .filter(|f| f.name() == name)
            .map(|f| f.arity)
            .collect();
        a.sort_unstable();
        a.dedup();
        a
    };
    let function = match function {
        Some(f) => f.to_owned(),
        None if !arities("start_link").is_empty() => "start_link".to_owned(),
        None if is_supervisor(src) => return Ok(init_root(src)),
        None => {
            return Err(format!(
                "`{module}` has no start_link function and is no supervisor \
                 (no -behaviour(supervisor) with init/1): give `{module}:Function`"
            ))
        }
    };
    let Some(&arity) = arities(&function).first() else {
        return Err(format!("no function `{module}:{function}` in {}", src.file));
    };
    let loc = src
        .index
        .functions
        .iter()
        .find(|f| f.name() == function && f.arity == arity)
        .map(|f| Loc {
            file: Arc::from(src.file.as_str()),
            line: f.span().line,
            column: f.span().column,
            end: 0,
        });
    let args = (0..arity)
        .map(|i| {
            Val::unknown(
                format!("argument {} given by the caller", i + 1),
                loc.clone(),
            )
        })
        .collect();
    ev.begin();
    let result = ev.call(module, &function, args, loc.clone());
    let start = format!(
        "{}:{}/{arity}",
        crate::syntax::print::atom_text(module),
        crate::syntax::print::atom_text(&function)
    );
    let effects = std::mem::take(&mut ev.start_child_effects);
    let note = super::start::effects_cut_note(ev, &start, &effects);
    Ok(AppRoot {
        start,
        loc,
        process: find_process(&result),
        effects,
        note,
    })
}

/// A supervisor module without a start function of its own: its `init/1`
/// is run as a start call with an argument not known would run it.
fn init_root(src: &ModuleSource) -> AppRoot {
    let loc = init_loc(src);
    AppRoot {
        start: format!("{}:init/1", crate::syntax::print::atom_text(&src.name)),
        loc: Some(loc.clone()),
        process: Ok(Arc::new(Process {
            kind: StartKind::Supervisor,
            call: "supervisor:start_link/2 (by its callers)".to_owned(),
            callback: Val::atom(&src.name, Some(loc.clone())),
            arg: Some(Val::unknown(
                "init/1 argument given by the caller",
                Some(loc.clone()),
            )),
            name: None,
            loc: Some(loc),
        })),
        effects: Vec::new(),
        note: None,
    }
}

/// The application a `--root` tree is listed under: the module's.
pub(crate) fn root_app(project: &Project, module: &str) -> String {
    project
        .sources
        .module(module)
        .and_then(|m| m.app.clone())
        .unwrap_or_else(|| "(no application)".to_owned())
}

#[cfg(test)]
mod tests {
    use super::is_test_code;

    #[test]
    fn test_scaffolding_is_not_offered_as_an_unstarted_supervisor() {
        assert!(is_test_code("test/proc_cleanup_SUITE.erl"));
        assert!(is_test_code("apps/web/test/web_test_sup.erl"));
        assert!(is_test_code("test/a_SUITE_data/src/fixture_sup.erl"));
        assert!(!is_test_code("apps/web/src/web_pool_sup.erl"));
        assert!(!is_test_code("examples/src/ex_sup.erl"));
    }
}
