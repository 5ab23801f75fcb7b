; -define(Name, Body). and -define(Name(P1, ...), Body).
; The body is any replacement: an expression, clauses, guards or `()`.
(pp_define
  lhs: (macro_lhs
    name: (_) @name
    args: (var_args)? @params)
  replacement: (_)? @body) @define
