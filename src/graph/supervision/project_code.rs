//! The project as the evaluator reads it: its modules, its clones of OTP
//! behaviours and its applications' env.

use std::collections::HashMap;
use std::sync::Arc;

use crate::eval::{term_text_value, AppEnv, Code, Loc, ModuleView, Source, Val};
use crate::model::Project;

impl Source for Project {
    fn module(&self, name: &str) -> Option<ModuleView<'_>> {
        self.sources.module(name).map(|m| ModuleView {
            name: &m.name,
            file: &m.file,
            app: m.app.as_deref(),
            index: &m.index,
            macros: &m.macros,
        })
    }

    fn behaviour_call(
        &self,
        module: &str,
        function: &str,
        args: &[Val],
    ) -> Option<(String, Vec<Val>)> {
        self.behaviour_aliases
            .otp_call(module, function, args)
            .map(|(alias, args)| (alias.behaviour.clone(), args))
    }
}

/// The run's code over the project, with its applications' env: the one
/// cache of parsed functions that the supervision evaluator and the call
/// graph (`graph::calls::Code`) read.
pub(crate) fn code(project: &Project) -> Code<'_> {
    Code::with_env(project, Arc::new(read_env(project)))
}

/// Every application's env as values.
pub(crate) fn read_env(project: &Project) -> AppEnv {
    let mut env: AppEnv = HashMap::new();
    for app in &project.apps {
        let entries = env.entry(app.name.clone()).or_default();
        for e in &app.env {
            let loc = Some(Loc {
                file: Arc::from(app.file.as_str()),
                line: e.line,
                column: 1,
                end: 0,
            });
            if let Some(v) = term_text_value(&e.value, loc) {
                entries.entry(e.key.clone()).or_insert(v);
            }
        }
    }
    env
}
