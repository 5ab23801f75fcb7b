//! The code the evaluator reads: each function parsed and macro-expanded
//! once, on first use, from a [`Source`] (the project, or a configuration
//! script).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

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
            end: span.end,
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
    pub(crate) module: Rc<ModCtx>,
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
pub(crate) trait Source {
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

/// The code as the evaluator reads it: functions parsed and
/// macro-expanded once, on first use.
pub(crate) struct Code<'p> {
    pub(crate) source: &'p dyn Source,
    functions: RefCell<HashMap<Mfa, Option<Rc<Vec<FnDef>>>>>,
    /// [`Code::choosing_arguments`] of the functions called so far.
    choosing: RefCell<HashMap<Mfa, Rc<[bool]>>>,
    modules: RefCell<HashMap<String, Option<Rc<ModCtx>>>>,
    /// `.app.src` env per app: key -> value.
    env: Arc<AppEnv>,
}

/// Each application's `.app.src` env: app -> key -> value.
pub(crate) type AppEnv = HashMap<String, HashMap<String, Val>>;

impl<'p> Code<'p> {
    /// Reads nothing yet: functions are parsed when first called. No
    /// application env.
    pub(crate) fn new(source: &'p dyn Source) -> Code<'p> {
        Code::with_env(source, Arc::default())
    }

    /// A `Code` with the applications' env: one `Code` per thread shares
    /// one env, read once.
    pub(crate) fn with_env(source: &'p dyn Source, env: Arc<AppEnv>) -> Code<'p> {
        Code {
            source,
            functions: RefCell::new(HashMap::new()),
            choosing: RefCell::new(HashMap::new()),
            modules: RefCell::new(HashMap::new()),
            env,
        }
    }

    /// The env this `Code` reads, for another `Code` on another thread.
    pub(crate) fn env(&self) -> Arc<AppEnv> {
        self.env.clone()
    }

    /// The module's context, if the code has it.
    pub(crate) fn module(&self, name: &str) -> Option<Rc<ModCtx>> {
        if let Some(m) = self.modules.borrow().get(name) {
            return m.clone();
        }
        let ctx = self.source.module(name).map(|m| {
            Rc::new(ModCtx {
                name: m.name.to_owned(),
                file: Arc::from(m.file),
                app: m.app.map(str::to_owned),
            })
        });
        self.modules
            .borrow_mut()
            .insert(name.to_owned(), ctx.clone());
        ctx
    }

    /// The definitions of `m:f/a`, parsed and expanded on first use.
    pub(crate) fn function(&self, module: &str, name: &str, arity: u32) -> Option<Rc<Vec<FnDef>>> {
        let key = Mfa::new(module, name, arity);
        if let Some(f) = self.functions.borrow().get(&key) {
            return f.clone();
        }
        let defs = self.load_function(module, name, arity);
        self.functions.borrow_mut().insert(key, defs.clone());
        defs
    }

    pub(super) fn load_function(
        &self,
        module: &str,
        name: &str,
        arity: u32,
    ) -> Option<Rc<Vec<FnDef>>> {
        let src = self.source.module(module)?;
        let ctx = self.module(module)?;
        let entries: Vec<_> = src.index.function_entries(name, arity).collect();
        if entries.is_empty() {
            return None;
        }
        let several = entries.len() > 1;
        let defs = entries
            .iter()
            .map(|e| FnDef {
                cond: several.then(|| condition_cond(&e.condition, src.macros)),
                function: src.macros.expand_shared(&e.function()),
                module: ctx.clone(),
            })
            .collect();
        Some(Rc::new(defs))
    }

    /// Which arguments of `m:f/a` choose its clause (see
    /// [`choosing_arguments`]), over every definition of it.
    pub(crate) fn choosing_arguments(&self, mfa: &Mfa, defs: &[FnDef]) -> Rc<[bool]> {
        if let Some(c) = self.choosing.borrow().get(mfa) {
            return c.clone();
        }
        let clauses: Vec<&Clause> = defs.iter().flat_map(|d| &d.function.clauses).collect();
        let c: Rc<[bool]> = choosing_arguments(&clauses, mfa.arity as usize).into();
        self.choosing.borrow_mut().insert(mfa.clone(), c.clone());
        c
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
                    || defs.iter().any(|d| d.condition.is_always())
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
