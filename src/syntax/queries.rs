//! The tree-sitter queries in `queries/*.scm`, compiled once per process.

use std::sync::OnceLock;

use tree_sitter::Query;

/// Every query's file name and source, for the test that compiles them all.
const QUERY_SOURCES: &[(&str, &str)] = &[
    ("define.scm", include_str!("../../queries/define.scm")),
    ("record.scm", include_str!("../../queries/record.scm")),
    ("function.scm", include_str!("../../queries/function.scm")),
];

/// The compiled queries.
pub(crate) struct Queries {
    /// `pp_define` with `@name`, `@params`, `@body`.
    pub(crate) define: Query,
    /// `record_decl` with `@name`.
    pub(crate) record: Query,
    /// Function clauses: `@clause`, `@macro_clause`. The index finds them
    /// by walking the tree ([`super::items::clause_nodes`], faster); the
    /// query is the reference its test compares with.
    #[cfg(test)]
    pub(crate) function: Query,
}

fn compile(source: &str) -> Result<Query, String> {
    Query::new(&tree_sitter_erlang::LANGUAGE.into(), source).map_err(|e| e.to_string())
}

/// The compiled queries, or why the grammar rejected one.
pub(crate) fn queries() -> Result<&'static Queries, String> {
    static QUERIES: OnceLock<Result<Queries, String>> = OnceLock::new();
    QUERIES
        .get_or_init(|| {
            Ok(Queries {
                define: compile(QUERY_SOURCES[0].1)?,
                record: compile(QUERY_SOURCES[1].1)?,
                #[cfg(test)]
                function: compile(QUERY_SOURCES[2].1)?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles() {
        for (name, source) in QUERY_SOURCES {
            if let Err(e) = compile(source) {
                panic!("queries/{name} does not compile against the grammar: {e}");
            }
        }
        assert!(queries().is_ok());
        let names = queries().unwrap().define.capture_names().to_vec();
        assert_eq!(names, ["name", "params", "body", "define"]);
    }
}
