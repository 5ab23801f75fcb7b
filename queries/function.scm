; The clauses of a function form: each clause is its own fun_decl.
; A clause written as a macro call (`?CLAUSE(...)`) is captured apart.
(fun_decl
  clause: (function_clause) @clause)
(fun_decl
  clause: (macro_call_expr) @macro_clause)
