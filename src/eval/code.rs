//! The code of a run: each function parsed and macro-expanded once, on
//! first use, from a [`Source`] (the project, or a configuration script),
//! and read by the evaluator and by the call graph (`graph::calls`) alike.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::clauses::choosing_arguments;
use super::mfa::Mfa;
use super::value::{Cond, Loc, Val};
use crate::syntax::ModuleIndex;
use crate::syntax::{Clause, Condition, Function, MacroTable, Span, TestKind};

/// The module an expression is evaluated in.
#[derive(Debug)]
pub(crate) struct ModCtx {
    /// Module name.
    pub(crate) name: String,
    /// Relative path of its file.
    pub(crate) file: Arc<str>,
    /// The app whose `src/` holds it.
    pub(crate) app: Option<String>,
}

impl ModCtx {
    /// The location of a span in this module.
    pub(crate) fn loc(&self, span: Span) -> Option<Loc> {
        Some(Loc {
            file: self.file.clone(),
            line: span.line,
            column: span.column,
            end: span.end as usize,
        })
    }
}

/// One definition of a function: more than one when conditional
/// compilation defines it differently.
#[derive(Debug)]
pub(crate) struct FnDef {
    /// The condition this definition is compiled under (only set when
    /// there are several).
    pub(crate) cond: Option<Cond>,
    /// The function, macros expanded.
    pub(crate) function: Arc<Function>,
    /// Its module.
    pub(crate) module: Arc<ModCtx>,
}

/// A function of the code, parsed and macro-expanded: every definition of
/// the name/arity for the evaluator (it derefs to them), and their clauses
/// together for the call graph.
#[derive(Debug)]
pub(crate) struct LoadedFunction {
    /// Each definition, in file order.
    pub(crate) defs: Vec<FnDef>,
    /// The clauses of every definition, in file order: what the call graph
    /// walks (the first definition itself when there is one).
    pub(crate) function: Arc<Function>,
    /// Where it is defined (relative path).
    pub(crate) file: Arc<str>,
    /// True when tree-sitter found syntax errors in it: what a walk sees
    /// of it may be incomplete.
    pub(crate) has_parse_errors: bool,
    /// The functions its bodies name, in the order a walk meets them
    /// (`super::adders`): read once for the run, where each evaluation
    /// walked the bodies again.
    pub(super) callees: std::sync::OnceLock<Vec<Mfa>>,
}

impl std::ops::Deref for LoadedFunction {
    type Target = [FnDef];

    fn deref(&self) -> &[FnDef] {
        &self.defs
    }
}

/// One module as the evaluator reads it.
pub(crate) struct ModuleView<'a> {
    pub(crate) name: &'a str,
    /// Relative path of its file.
    pub(crate) file: &'a str,
    /// The app whose `src/` holds it.
    pub(crate) app: Option<&'a str>,
    pub(crate) index: &'a ModuleIndex,
    /// Its macros, includes resolved.
    pub(crate) macros: &'a MacroTable,
}

/// Where the evaluator finds the code it calls: the project's modules for
/// the supervision trees, a script's one module for a configuration
/// script. The evaluator depends on nothing later in the pipeline; the
/// stages that run it say through this what code there is.
pub(crate) trait Source: Sync {
    /// The module named `name`, if there is one.
    fn module(&self, name: &str) -> Option<ModuleView<'_>>;

    /// A call to a clone of an OTP behaviour as the call to the OTP module
    /// it stands for (`gen_server2:start_link(M, A, O)` is
    /// `gen_server:start_link(M, A, O)`): the OTP module and the arguments.
    fn behaviour_call(
        &self,
        module: &str,
        function: &str,
        args: &[Val],
    ) -> Option<(String, Vec<Val>)> {
        let _ = (module, function, args);
        None
    }
}

/// The code of a run: functions parsed and macro-expanded once, on first
/// use, whoever asks first. One `Code` serves the whole run: the
/// evaluations of every thread and the call graph's walks
/// (`graph::calls`) read the same functions, so none is expanded twice.
pub(crate) struct Code<'p> {
    pub(crate) source: &'p dyn Source,
    functions: RwLock<FastMap<Mfa, Option<Arc<LoadedFunction>>>>,
    /// [`Code::choosing_arguments`] of the functions called so far.
    choosing: RwLock<FastMap<Mfa, Arc<[bool]>>>,
    modules: RwLock<FastMap<String, Option<Arc<ModCtx>>>>,
    /// `.app.src` env per app: key -> value.
    env: Arc<AppEnv>,
}

/// Each application's `.app.src` env: app -> key -> value.
pub(crate) type AppEnv = HashMap<String, HashMap<String, Val>>;

/// The tables looked up at every call evaluated: foldhash rather than
/// SipHash, whose cost showed in every profile of `tree`.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// A lookup in one of [`Code`]'s tables, or `compute` (outside the lock,
/// so a long parse holds no other thread) kept there. Two threads may
/// compute the same entry; both get the first one kept, so who asked
/// first does not show.
fn cached<K, Q, V: Clone>(
    table: &RwLock<FastMap<K, V>>,
    key: &Q,
    owned: impl FnOnce() -> K,
    compute: impl FnOnce() -> V,
) -> V
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    if let Some(v) = table.read().ok().and_then(|t| t.get(key).cloned()) {
        return v;
    }
    let v = compute();
    match table.write() {
        Ok(mut t) => t.entry(owned()).or_insert(v).clone(),
        Err(_) => v,
    }
}

impl<'p> Code<'p> {
    /// Reads nothing yet: functions are parsed when first called. No
    /// application env.
    pub(crate) fn new(source: &'p dyn Source) -> Code<'p> {
        Code::with_env(source, Arc::default())
    }

    /// A `Code` with the applications' env.
    pub(crate) fn with_env(source: &'p dyn Source, env: Arc<AppEnv>) -> Code<'p> {
        Code {
            source,
            functions: RwLock::default(),
            choosing: RwLock::default(),
            modules: RwLock::default(),
            env,
        }
    }

    /// The env this `Code` reads.
    pub(crate) fn env(&self) -> Arc<AppEnv> {
        self.env.clone()
    }

    /// The module's context, if the code has it.
    pub(crate) fn module(&self, name: &str) -> Option<Arc<ModCtx>> {
        cached(
            &self.modules,
            name,
            || name.to_owned(),
            || {
                self.source.module(name).map(|m| {
                    Arc::new(ModCtx {
                        name: m.name.to_owned(),
                        file: Arc::from(m.file),
                        app: m.app.map(str::to_owned),
                    })
                })
            },
        )
    }

    /// The definitions of `m:f/a`, parsed and expanded on first use.
    pub(crate) fn function(
        &self,
        module: &str,
        name: &str,
        arity: u32,
    ) -> Option<Arc<LoadedFunction>> {
        self.loaded(&Mfa::new(module, name, arity))
    }

    /// [`Code::function`] by [`Mfa`].
    pub(crate) fn loaded(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        cached(
            &self.functions,
            mfa,
            || mfa.clone(),
            || self.load_function(mfa, true).map(Arc::new),
        )
    }

    /// The function as [`Code::loaded`] gives it, but parsed without
    /// keeping the result when no one has asked for it before: for a pass
    /// that reads every function of the project once, so that the ASTs of
    /// a whole code base are not all in memory at the end.
    pub(crate) fn loaded_once(&self, mfa: &Mfa) -> Option<Arc<LoadedFunction>> {
        if let Some(hit) = self.functions.read().ok().and_then(|t| t.get(mfa).cloned()) {
            return hit;
        }
        self.load_function(mfa, false).map(Arc::new)
    }

    fn load_function(&self, mfa: &Mfa, keep: bool) -> Option<LoadedFunction> {
        let src = self.source.module(&mfa.module)?;
        let ctx = self.module(&mfa.module)?;
        let entries: Vec<_> = src
            .index
            .function_entries(&mfa.function, mfa.arity)
            .collect();
        if entries.is_empty() {
            return None;
        }
        let several = entries.len() > 1;
        let mut has_parse_errors = false;
        let defs: Vec<FnDef> = entries
            .iter()
            .map(|e| {
                let (parsed, errors) = if keep {
                    (e.function(), !e.diagnostics().is_empty())
                } else {
                    e.function_once()
                };
                has_parse_errors |= errors;
                FnDef {
                    cond: several.then(|| condition_cond(e.condition(), src.macros)),
                    function: src.macros.expand_shared(&parsed),
                    module: ctx.clone(),
                }
            })
            .collect();
        let mut function = defs[0].function.clone();
        for d in &defs[1..] {
            Arc::make_mut(&mut function)
                .clauses
                .extend(d.function.clauses.iter().cloned());
        }
        Some(LoadedFunction {
            file: ctx.file.clone(),
            defs,
            function,
            has_parse_errors,
            callees: std::sync::OnceLock::new(),
        })
    }

    /// Which arguments of `m:f/a` choose its clause (see
    /// [`choosing_arguments`]), over every definition of it.
    pub(crate) fn choosing_arguments(&self, mfa: &Mfa, defs: &[FnDef]) -> Arc<[bool]> {
        cached(
            &self.choosing,
            mfa,
            || mfa.clone(),
            || {
                let clauses: Vec<&Clause> = defs.iter().flat_map(|d| &d.function.clauses).collect();
                choosing_arguments(&clauses, mfa.arity as usize).into()
            },
        )
    }

    /// The `.app.src` env value of `app`'s `key`.
    pub(crate) fn app_env(&self, app: &str, key: &str) -> Option<&Val> {
        self.env.get(app)?.get(key)
    }

    /// True when the code defines the module.
    pub(crate) fn has_module(&self, name: &str) -> bool {
        self.source.module(name).is_some()
    }

    /// A conditional-compilation condition of `module` as a [`Cond`].
    pub(crate) fn condition(&self, module: &str, c: &Condition) -> Cond {
        match self.source.module(module) {
            Some(s) => condition_cond(c, s.macros),
            None => Cond::new(c.to_string(), None),
        }
    }
}

/// A conditional-compilation condition as a [`Cond`]: in the default build
/// the macros no file defines unconditionally are taken as undefined.
pub(crate) fn condition_cond(c: &Condition, macros: &MacroTable) -> Cond {
    let mut default = Some(true);
    for t in c.terms() {
        let test = match t.kind {
            TestKind::If => None,
            TestKind::Ifdef | TestKind::Ifndef => {
                let defs = macros.definitions(&t.text);
                let defined = if crate::syntax::macros::PREDEFINED.contains(&t.text.as_str())
                    || defs.iter().any(|d| d.condition().is_always())
                {
                    Some(true)
                } else if defs.is_empty() {
                    Some(false)
                } else {
                    None
                };
                defined.map(|d| if t.kind == TestKind::Ifdef { d } else { !d })
            }
        };
        default = super::value::and3(default, test.map(|v| t.holds_when(v)));
    }
    Cond::new(c.to_string(), default)
}
