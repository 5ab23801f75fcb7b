; -record(name, {field = Default :: Type, ...}).
; Fields are read from the record node's `fields` children.
(record_decl
  name: (_) @name) @record
