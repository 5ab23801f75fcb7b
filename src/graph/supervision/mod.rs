//! Static supervision trees: from source alone, the tree a booted node
//! would show, annotated with what a reader needs to reason about failure.
//!
//! For each application with a `mod` callback ([`roots`]), `Mod:start/2` is
//! evaluated up to the top supervisor's start call; each supervisor's
//! `init/1` is evaluated with the argument its start call passes
//! ([`eval`], over the value domain of [`value`]); the result is decoded
//! into [`SupFlags`] and [`ChildSpec`]s ([`child_spec`], [`children`]); each
//! child's start MFA is followed to its OTP start call ([`start`]); and
//! `supervisor:start_child/2` call sites are attached to the supervisors
//! they target ([`dynamic`]). Nothing is guessed: what is not known is
//! reported as unresolved, with the reason and the location.
//!
//! (The example is the unit test `doc_example`.)

mod app_root;
mod child_spec;
mod children;
mod dynamic;
mod node;
mod project_code;
pub(crate) mod roots;
pub(crate) mod specs;
mod start;
pub mod tree;
pub(crate) mod unstarted;

pub(crate) use crate::eval::{value, words};
pub(crate) use crate::eval::{Code, Cond, Evaluator, Limits, Loc, Val};
pub(crate) use child_spec::{
    ChildType, Field, FieldValue, Form, RestartType, Shutdown, Strategy, SupFlags,
};
pub(crate) use dynamic::{StartChildSite, Target};
pub use node::{StartCall, SupervisorNode, TreeNode};
pub(crate) use project_code::code;
pub(crate) use unstarted::UnstartedSupervisor;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;

/// The tree of one application.
#[derive(Debug, Clone)]
pub(crate) struct AppTree {
    pub(crate) app: String,
    /// The application callback: `courier_app:start/2`.
    pub(crate) start: String,
    /// Where `start/2` is.
    pub(crate) loc: Option<Loc>,
    /// Apps that list this one in `included_applications`: they start
    /// this tree themselves.
    pub(crate) included_in: Vec<String>,
    pub(crate) root: TreeNode,
}

/// Every application's tree, and what could not be attached.
#[derive(Debug, Clone, Default)]
pub struct Supervision {
    /// In boot order (see [`roots::apps_in_boot_order`]).
    pub(crate) trees: Vec<AppTree>,
    /// `start_child` calls whose supervisor is not known or not in a tree.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The project's supervisors that no tree starts (left empty when the
    /// trees are not all drawn: `--app`, `--root`).
    pub(crate) unstarted: Vec<UnstartedSupervisor>,
}

/// What every evaluation of a run reads, computed once: the run's code
/// (with the applications' env), the `start_child` call sites and the
/// functions that make them.
struct Prepared<'c, 'p> {
    code: &'c Code<'p>,
    sites: Vec<StartChildSite>,
    adds_children: std::sync::Arc<std::collections::HashSet<crate::eval::Mfa>>,
}

impl<'c, 'p> Prepared<'c, 'p> {
    /// Finds the project's `supervisor:start_child/2` call sites on
    /// rayon's threads, in the order of the modules.
    fn new(project: &Project, code: &'c Code<'p>) -> Prepared<'c, 'p> {
        use rayon::prelude::*;
        let per_module: Vec<Vec<StartChildSite>> = project
            .sources
            .modules
            .par_iter()
            .with_max_len(crate::syntax::FILES_PER_JOB)
            .map(|m| dynamic::module_sites(&mut Evaluator::new(code), m))
            .collect();
        let sites: Vec<StartChildSite> = per_module.into_iter().flatten().collect();
        // A wrapper (`start_child(Spec) -> supervisor:start_child(?MODULE,
        // Spec)`) still adds children; so do the functions that call it.
        let (sites, adds_children) =
            dynamic::through_wrappers(project, sites, |wrappers, adding, sites| {
                let through: Vec<Vec<(usize, Option<StartChildSite>)>> = project
                    .sources
                    .modules
                    .par_iter()
                    .map(|m| {
                        let mut ev = Evaluator::new(code);
                        ev.adds_children = adding.clone();
                        wrappers.module_calls(&mut ev, project, m, sites)
                    })
                    .collect();
                through.into_iter().flatten().collect()
            });
        let adds_children = std::sync::Arc::new(adds_children);
        Prepared {
            code,
            sites,
            adds_children,
        }
    }

    /// The parallel evaluation of a run's trees: the limits, the code,
    /// sites and functions that add children read once.
    fn workers<'a>(&'a self, project: &'a Project, limits: Limits) -> tree::Workers<'a, 'p> {
        tree::Workers {
            project,
            code: self.code,
            limits,
            adds_children: self.adds_children.clone(),
            sites: &self.sites,
            app: None,
            inherited: Vec::new(),
        }
    }
}

/// Builds the supervision tree of every application with a `mod` callback
/// (or only of `only_app`), in the order of the releases' `boot_orders`
/// (one per release of the project, from the run: [`crate::graph::Run`]).
pub fn analyse(
    project: &Project,
    boot_orders: &[Vec<String>],
    only_app: Option<&str>,
) -> Supervision {
    analyse_with(project, boot_orders, only_app, Limits::default())
}

/// [`analyse`] with these evaluation limits (`--max-steps`).
pub(crate) fn analyse_with(
    project: &Project,
    boot_orders: &[Vec<String>],
    only_app: Option<&str>,
    limits: Limits,
) -> Supervision {
    let code = project_code::code(project);
    let prepared = Prepared::new(project, &code);
    let sites = &prepared.sites;
    let apps: Vec<&crate::model::App> = roots::apps_in_boot_order(project, boot_orders)
        .into_iter()
        .filter(|app| only_app.is_none_or(|o| o == app.name))
        .collect();
    let (built, used) = prepared
        .workers(project, limits)
        .each(&apps, |builder, app| {
            // A bug met in one application's tree loses that tree only; the
            // diagnostic names the callback module's file, where it started.
            let file = app
                .mod_
                .as_ref()
                .and_then(|m| project.sources.module(&m.module))
                .map_or(app.file.as_str(), |m| m.file.as_str());
            let what = format!("evaluating the supervision tree of `{}`", app.name);
            crate::internal_error::guard(file, &what, || {
                builder.ev.app = Some(app.name.clone());
                let root = roots::app_root(builder.ev, app)?;
                let node = builder.root(&root);
                Some((root, node))
            })
        });
    let mut trees = Vec::new();
    let mut diagnostics = Vec::new();
    for (app, built) in apps.iter().zip(built) {
        let (root, node) = match built {
            Ok(Some(built)) => built,
            Ok(None) => continue,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        trees.push(AppTree {
            app: app.name.clone(),
            start: root.start.clone(),
            loc: root.loc.clone(),
            included_in: roots::included_in(project, &app.name),
            root: node,
        });
    }
    for t in &mut trees {
        t.root.drop_start_calls(&used.at_boot);
        // After the evaluation: the bodies it parsed count too.
        let app_module = project
            .app(&t.app)
            .and_then(|a| a.mod_.as_ref())
            .map(|m| m.module.as_str());
        t.root.mark_partial(&project.sources, app_module);
    }
    if only_app.is_none() {
        let mut wrappers_said = std::collections::BTreeSet::new();
        for (i, s) in sites.iter().enumerate() {
            if used.used.contains(&i) || s.made_at(&used.at_boot) {
                continue;
            }
            // A dependency's own tree is not drawn (`--include-deps` reads
            // it to follow the project's calls), so its calls have no tree
            // to join: saying so would be noise about code the project
            // does not own (ranch's start_listener into ranch_sup).
            let in_dependency = project
                .sources
                .module(&s.caller_key.module)
                .and_then(|m| m.app.as_deref())
                .and_then(|a| project.app(a))
                .is_some_and(|a| a.origin == crate::model::AppOrigin::Dep);
            if in_dependency {
                continue;
            }
            let what = match &s.target {
                Target::Unknown(why) => format!("its supervisor is not statically known ({why})"),
                Target::Local(n) | Target::Global(n) | Target::Via(n) => {
                    format!("it targets {n}, which is no supervisor of an application tree")
                }
            };
            // Calls through a wrapper all go where the call that names
            // the supervisor sends them: said once, there.
            let (loc, caller, through) = match &s.through {
                Some(t) => {
                    if !wrappers_said.insert(t.named_at.clone()) {
                        continue;
                    }
                    let through = if t.named_by == t.function {
                        String::new()
                    } else {
                        format!(" (through {})", t.function)
                    };
                    (&t.named_at, &t.named_by, through)
                }
                None => (&s.loc, &s.caller, String::new()),
            };
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                "start-child-unattached",
                loc.file.to_string(),
                loc.line,
                Some(loc.column),
                format!(
                    "supervisor:start_child/2 in {caller}{through} is not shown in a tree: {what}"
                ),
            ));
        }
    }
    let unstarted = if only_app.is_none() {
        unstarted::unstarted(project, trees.iter().map(|t| &t.root))
    } else {
        Vec::new()
    };
    Supervision {
        trees,
        diagnostics,
        unstarted,
    }
}

/// The tree under one supervisor that no application need start:
/// `module:function` (or, for `module` alone, its `start_link` or its
/// `init/1`), listed under the module's application. `Err` says, for the
/// user, why there is no such root.
pub(crate) fn analyse_root(
    project: &Project,
    module: &str,
    function: Option<&str>,
    limits: Limits,
) -> Result<Supervision, String> {
    let code = project_code::code(project);
    let prepared = Prepared::new(project, &code);
    let (built, used) = prepared.workers(project, limits).each(&[()], |builder, _| {
        let root = unstarted::function_root(builder.ev, project, module, function)?;
        let node = builder.root(&root);
        Ok::<_, String>((root, node))
    });
    let Some(built) = built.into_iter().next() else {
        return Err(format!("no tree under `{module}`"));
    };
    let (root, mut node) = built?;
    node.drop_start_calls(&used.at_boot);
    node.mark_partial(&project.sources, None);
    Ok(Supervision {
        trees: vec![AppTree {
            app: unstarted::root_app(project, module),
            start: root.start,
            loc: root.loc,
            included_in: Vec::new(),
            root: node,
        }],
        diagnostics: Vec::new(),
        unstarted: Vec::new(),
    })
}

/// The tree under one start function, for modules indexed without a
/// project (tests, examples): `module:function(Args...)` with `arity`
/// unknown arguments is the root.
pub fn analyse_modules(
    modules: Vec<crate::syntax::ModuleIndex>,
    module: &str,
    function: &str,
    arity: usize,
) -> TreeNode {
    let project = crate::model::project_from_modules(modules);
    let code = Code::new(&project);
    let mut ev = Evaluator::new(&code);
    let (sites, adds_children) = dynamic::start_child_sites(&mut ev, &project);
    ev.adds_children = std::sync::Arc::new(adds_children);
    let args = (0..arity)
        .map(|i| Val::unknown(format!("argument {}", i + 1), None))
        .collect();
    ev.begin();
    let result = ev.call(module, function, args, None);
    let start = format!("{module}:{function}/{arity}");
    let effects = std::mem::take(&mut ev.start_child_effects);
    let note = start::effects_cut_note(&ev, &start, &effects);
    let root = app_root::AppRoot {
        start,
        loc: None,
        process: start::find_process(&result),
        effects,
        note,
    };
    let mut builder = tree::Builder {
        ev: &mut ev,
        project: &project,
        sites: &sites,
        used_sites: Default::default(),
        boot_sites: Default::default(),
        inherited: Vec::new(),
    };
    let mut node = builder.root(&root);
    node.drop_start_calls(&builder.boot_sites);
    node
}

#[cfg(test)]
mod tests {
    /// The module documentation's example: a supervisor and its worker.
    #[test]
    fn doc_example() {
        use crate::graph::supervision::{analyse_modules, RestartType};
        use crate::syntax::{index_module, SourceFile};

        let sup = "-module(s).\n-behaviour(supervisor).\n\
                   start_link() -> supervisor:start_link({local, s}, s, []).\n\
                   init([]) -> {ok, {{one_for_all, 3, 10}, [#{id => w, start => {w, start_link, []}, restart => transient}]}}.\n";
        let worker = "-module(w).\n-behaviour(gen_server).\n\
                      start_link() -> gen_server:start_link({local, w}, w, [], []).\n";
        let files = [
            SourceFile::from_text("src/s.erl", sup),
            SourceFile::from_text("src/w.erl", worker),
        ];
        let tree = analyse_modules(
            files.into_iter().map(index_module).collect(),
            "s",
            "start_link",
            0,
        );
        let sup = tree.supervisor.as_ref().unwrap();
        assert_eq!((sup.intensity, sup.period), (Some(3), Some(10)));
        let w = &sup.children[0];
        assert_eq!(
            (w.id.as_str(), w.restart),
            ("w", Some(RestartType::Transient))
        );
        assert_eq!(w.started.behaviour.as_deref(), Some("gen_server"));
        assert_eq!(w.started.name.as_deref(), Some("{local,w}"));
    }
}
