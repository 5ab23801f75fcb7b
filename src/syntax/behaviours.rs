//! The behaviours a module declares, as the default build compiles it:
//! the one reading the lint and the supervision trees share (through
//! `Project::behaviours`) and `missing-app-dependency` counts.

use super::ast::{Expr, ExprKind, Span};
use super::macros::MacroTable;
use super::module::ModuleIndex;

/// A behaviour named by a `-behaviour` attribute the default build
/// compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclaredBehaviour {
    /// The behaviour module, macros expanded.
    pub(crate) name: String,
    /// The attribute.
    pub(crate) span: Span,
}

impl ModuleIndex {
    /// The behaviours this module declares in the default build, with
    /// `defines` given as `-D` options, in attribute order: an attribute
    /// under `-ifdef(TEST)` is left out, and of a macro defined in several
    /// branches (`-behaviour(?BEHAVIOUR)`) only the definitions that build
    /// compiles count ([`MacroTable::compiled`]). `macros` is the module's
    /// macro table.
    pub(crate) fn compiled_behaviours(
        &self,
        macros: &MacroTable,
        defines: &[String],
    ) -> Vec<DeclaredBehaviour> {
        let mut out = Vec::new();
        for b in &self.behaviours {
            if !macros.compiled(&b.condition, defines) {
                continue;
            }
            let mut names = Vec::new();
            match b.atom() {
                Some(a) => names.push(a.to_owned()),
                None => compiled_atoms(&macros.expand(&b.name), macros, defines, &mut names),
            }
            for name in names {
                out.push(DeclaredBehaviour { name, span: b.span });
            }
        }
        out
    }
}

/// The atoms `e` may be in the default build: itself, or the alternatives
/// of a conditional expansion whose condition that build compiles (each
/// once).
fn compiled_atoms(e: &Expr, macros: &MacroTable, defines: &[String], out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Atom(a) if !out.contains(a) => out.push(a.clone()),
        ExprKind::Conditional(alternatives) => {
            for alt in alternatives {
                if macros.compiled(&alt.condition, defines) {
                    compiled_atoms(&alt.expr, macros, defines, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::{index_module, MacroContext, MacroTable, SourceFile};

    /// The behaviours of `text` in the default build, with `defines`.
    fn behaviours(text: &str, defines: &[&str]) -> Vec<String> {
        let index = index_module(SourceFile::from_text("src/m.erl", text));
        let macros = MacroTable::new(
            index.defines.iter().cloned(),
            MacroContext::for_module(&index),
        );
        let defines: Vec<String> = defines.iter().map(|d| (*d).to_owned()).collect();
        index
            .compiled_behaviours(&macros, &defines)
            .into_iter()
            .map(|b| b.name)
            .collect()
    }

    /// Where the lint's old reading (every `-ifdef` alternative) and the
    /// trees' (an atom, else nothing) differed: a behaviour macro defined
    /// in both branches of `-ifdef(TEST)`. The lint took both, the trees
    /// neither; the default build compiles the `-else` branch.
    #[test]
    fn a_behaviour_macro_defined_per_branch_is_the_default_builds() {
        let text = "-module(m).\n\
                    -ifdef(TEST).\n\
                    -define(BEHAVIOUR, gen_server).\n\
                    -else.\n\
                    -define(BEHAVIOUR, supervisor).\n\
                    -endif.\n\
                    -behaviour(?BEHAVIOUR).\n\
                    init(_) -> ignore.\n";
        assert_eq!(behaviours(text, &[]), ["supervisor"]);
        assert_eq!(behaviours(text, &["TEST"]), ["gen_server"]);
    }

    /// An attribute under a condition the default build does not compile
    /// is not declared; one outside any condition, or under a macro the
    /// module defines, is.
    #[test]
    fn a_behaviour_attribute_under_ifdef_test_is_not_declared() {
        let text = "-module(m).\n\
                    -define(WITH_POOL, true).\n\
                    -behaviour(gen_server).\n\
                    -ifdef(TEST).\n\
                    -behaviour(eunit_fixture).\n\
                    -endif.\n\
                    -ifdef(WITH_POOL).\n\
                    -behaviour(poolboy_worker).\n\
                    -endif.\n";
        assert_eq!(behaviours(text, &[]), ["gen_server", "poolboy_worker"]);
        assert_eq!(
            behaviours(text, &["TEST"]),
            ["gen_server", "eunit_fixture", "poolboy_worker"]
        );
    }
}
