//! tree-sitter-erlang node kinds and field names, named once here so a
//! grammar bump is a one-file change.

// Literals and names.
pub(crate) const ATOM: &str = "atom";
pub(crate) const VAR: &str = "var";
pub(crate) const INTEGER: &str = "integer";
pub(crate) const FLOAT: &str = "float";
pub(crate) const CHAR: &str = "char";
pub(crate) const STRING: &str = "string";
pub(crate) const CONCATABLES: &str = "concatables";

// Macros.
pub(crate) const MACRO_CALL_EXPR: &str = "macro_call_expr";
pub(crate) const MACRO_STRING: &str = "macro_string";

// Compound terms.
pub(crate) const LIST: &str = "list";
pub(crate) const PIPE: &str = "pipe";
pub(crate) const BINARY: &str = "binary";
pub(crate) const TUPLE: &str = "tuple";
pub(crate) const MAP_EXPR: &str = "map_expr";
pub(crate) const MAP_EXPR_UPDATE: &str = "map_expr_update";
pub(crate) const RECORD_EXPR: &str = "record_expr";
pub(crate) const RECORD_UPDATE_EXPR: &str = "record_update_expr";
pub(crate) const RECORD_FIELD_EXPR: &str = "record_field_expr";
pub(crate) const RECORD_INDEX_EXPR: &str = "record_index_expr";

// Comprehensions.
pub(crate) const LIST_COMPREHENSION: &str = "list_comprehension";
pub(crate) const BINARY_COMPREHENSION: &str = "binary_comprehension";
pub(crate) const MAP_COMPREHENSION: &str = "map_comprehension";
pub(crate) const GENERATOR: &str = "generator";
pub(crate) const B_GENERATOR: &str = "b_generator";
pub(crate) const MAP_GENERATOR: &str = "map_generator";

// Calls and funs.
pub(crate) const CALL: &str = "call";
pub(crate) const REMOTE: &str = "remote";
pub(crate) const INTERNAL_FUN: &str = "internal_fun";
pub(crate) const EXTERNAL_FUN: &str = "external_fun";
pub(crate) const ANONYMOUS_FUN: &str = "anonymous_fun";

// Operators.
pub(crate) const MATCH_EXPR: &str = "match_expr";
pub(crate) const COND_MATCH_EXPR: &str = "cond_match_expr";
pub(crate) const BINARY_OP_EXPR: &str = "binary_op_expr";
pub(crate) const UNARY_OP_EXPR: &str = "unary_op_expr";

// Control flow.
pub(crate) const CASE_EXPR: &str = "case_expr";
pub(crate) const CR_CLAUSE: &str = "cr_clause";
pub(crate) const IF_EXPR: &str = "if_expr";
pub(crate) const RECEIVE_EXPR: &str = "receive_expr";
pub(crate) const TRY_EXPR: &str = "try_expr";
pub(crate) const CATCH_EXPR: &str = "catch_expr";
pub(crate) const BLOCK_EXPR: &str = "block_expr";
pub(crate) const PAREN_EXPR: &str = "paren_expr";
pub(crate) const MAYBE_EXPR: &str = "maybe_expr";

// Type syntax (in macro bodies it can look like an expression).
pub(crate) const ANN_TYPE: &str = "ann_type";
pub(crate) const RANGE_TYPE: &str = "range_type";
pub(crate) const DOTDOTDOT: &str = "dotdotdot";
pub(crate) const FUN_TYPE: &str = "fun_type";

// Native records (OTP 29), not lowered.
pub(crate) const NATIVE_RECORD_KINDS: &[&str] = &[
    "anon_record_expr",
    "anon_record_field_expr",
    "anon_record_update_expr",
    "qualified_record_expr",
    "qualified_record_field_expr",
    "qualified_record_update_expr",
];

// Forms and clauses.
pub(crate) const FUNCTION_CLAUSE: &str = "function_clause";
pub(crate) const REPLACEMENT_PREFIX: &str = "replacement_";

// Field names.
pub(crate) const F_ARGS: &str = "args";
pub(crate) const F_AFTER: &str = "after";
pub(crate) const F_ARITY: &str = "arity";
pub(crate) const F_BODY: &str = "body";
pub(crate) const F_CATCH: &str = "catch";
pub(crate) const F_CLASS: &str = "class";
pub(crate) const F_CLAUSES: &str = "clauses";
pub(crate) const F_ELEMENT: &str = "element";
pub(crate) const F_ELEMENTS: &str = "elements";
pub(crate) const F_ELEMS: &str = "elems";
pub(crate) const F_EXPR: &str = "expr";
pub(crate) const F_EXPRS: &str = "exprs";
pub(crate) const F_FIELD: &str = "field";
pub(crate) const F_FIELDS: &str = "fields";
pub(crate) const F_FUN: &str = "fun";
pub(crate) const F_GUARD: &str = "guard";
pub(crate) const F_KEY: &str = "key";
pub(crate) const F_LC_EXPRS: &str = "lc_exprs";
pub(crate) const F_LHS: &str = "lhs";
pub(crate) const F_MODULE: &str = "module";
pub(crate) const F_NAME: &str = "name";
pub(crate) const F_OPERAND: &str = "operand";
pub(crate) const F_PAT: &str = "pat";
pub(crate) const F_RHS: &str = "rhs";
pub(crate) const F_SIZE: &str = "size";
pub(crate) const F_STACK: &str = "stack";
pub(crate) const F_TYPES: &str = "types";
pub(crate) const F_VALUE: &str = "value";
