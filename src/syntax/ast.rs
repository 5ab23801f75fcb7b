//! The owned Erlang AST the analyses work on: no tree-sitter lifetimes,
//! `Send + Sync`, every node with its span. Macro calls are kept
//! unexpanded (see `macros` to expand them); what the grammar marks as an
//! error, or what is not supported, is an `Error` node with its span.

use serde::Serialize;

use super::condition::Condition;

/// Where a node is: byte range in its file plus the 1-based line and
/// character column of its start. Offsets are `u32`, as in tokens and
/// tree-sitter (texts over 4 GiB are not read: see `--max-file-size`):
/// every node has a span, and parsed bodies stay for the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based character column of `start`.
    pub column: u32,
}

impl Span {
    /// The span of the bytes `start..end` starting at `line` and `column`
    /// (offsets past `u32` cannot occur: see above).
    pub(crate) fn new(start: usize, end: usize, line: u32, column: u32) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
            line,
            column,
        }
    }

    /// The byte range.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `inner` lies within this span (the node it marks is this
    /// node or one inside it).
    pub(crate) fn encloses(self, inner: Span) -> bool {
        self.start <= inner.start && inner.end <= self.end
    }
}

/// An expression or pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// Binary operators, in Erlang's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BinaryOp {
    /// `!` (send)
    Send,
    /// `orelse`
    OrElse,
    /// `andalso`
    AndAlso,
    /// `==`
    Eq,
    /// `/=`
    Ne,
    /// `=<`
    Le,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `=:=`
    ExactEq,
    /// `=/=`
    ExactNe,
    /// `++`
    Append,
    /// `--`
    Subtract,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `bor`
    Bor,
    /// `bxor`
    Bxor,
    /// `bsl`
    Bsl,
    /// `bsr`
    Bsr,
    /// `or`
    Or,
    /// `xor`
    Xor,
    /// `/`
    Div,
    /// `*`
    Mul,
    /// `div`
    IntDiv,
    /// `rem`
    Rem,
    /// `band`
    Band,
    /// `and`
    And,
}

impl BinaryOp {
    /// The operator from its source text.
    pub fn from_text(s: &str) -> Option<BinaryOp> {
        use BinaryOp::*;
        Some(match s {
            "!" => Send,
            "orelse" => OrElse,
            "andalso" => AndAlso,
            "==" => Eq,
            "/=" => Ne,
            "=<" => Le,
            "<" => Lt,
            ">=" => Ge,
            ">" => Gt,
            "=:=" => ExactEq,
            "=/=" => ExactNe,
            "++" => Append,
            "--" => Subtract,
            "+" => Add,
            "-" => Sub,
            "bor" => Bor,
            "bxor" => Bxor,
            "bsl" => Bsl,
            "bsr" => Bsr,
            "or" => Or,
            "xor" => Xor,
            "/" => Div,
            "*" => Mul,
            "div" => IntDiv,
            "rem" => Rem,
            "band" => Band,
            "and" => And,
            _ => return None,
        })
    }

    /// The operator's source text.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Send => "!",
            OrElse => "orelse",
            AndAlso => "andalso",
            Eq => "==",
            Ne => "/=",
            Le => "=<",
            Lt => "<",
            Ge => ">=",
            Gt => ">",
            ExactEq => "=:=",
            ExactNe => "=/=",
            Append => "++",
            Subtract => "--",
            Add => "+",
            Sub => "-",
            Bor => "bor",
            Bxor => "bxor",
            Bsl => "bsl",
            Bsr => "bsr",
            Or => "or",
            Xor => "xor",
            Div => "/",
            Mul => "*",
            IntDiv => "div",
            Rem => "rem",
            Band => "band",
            And => "and",
        }
    }
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum UnaryOp {
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `bnot`
    Bnot,
    /// `not`
    Not,
}

impl UnaryOp {
    /// The operator from its source text.
    pub fn from_text(s: &str) -> Option<UnaryOp> {
        Some(match s {
            "+" => UnaryOp::Plus,
            "-" => UnaryOp::Minus,
            "bnot" => UnaryOp::Bnot,
            "not" => UnaryOp::Not,
            _ => return None,
        })
    }

    /// The operator's source text.
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Plus => "+",
            UnaryOp::Minus => "-",
            UnaryOp::Bnot => "bnot",
            UnaryOp::Not => "not",
        }
    }
}

/// The expression language.
///
/// Kept to 48 bytes (a node is 64 with its span): the parsed bodies of a
/// whole code base stay in memory for the run, and most of their nodes
/// are variables, atoms and calls. A large payload of a rare kind is
/// boxed (`Try`, `Macro`, `Maybe`'s `else`), a name that never grows is
/// a `Box<str>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    /// `foo`, `'Foo bar'` (the name, unquoted).
    Atom(String),
    /// `X`, `_`, `_Y`.
    Var(String),
    /// An integer, or a `$c` character (`char` is true; the value is the code point).
    Integer {
        /// The value; `None` when it does not fit an `i128`.
        value: Option<IntValue>,
        /// The source text (`16#ff`, `$a`).
        text: Box<str>,
        /// True for a `$c` character literal.
        char: bool,
    },
    /// A float.
    Float {
        /// The value (NaN when the text could not be read).
        value: f64,
        /// The source text.
        text: String,
    },
    /// A string: adjacent literals joined, escapes decoded.
    String(String),
    /// Adjacent strings that include a macro or a (macro parameter)
    /// variable, e.g. `?MODULE_STRING ".erl"`; macro expansion folds it into
    /// a `String` when every part becomes one.
    Concat(Vec<Expr>),
    /// `<<Seg, ...>>`
    Binary(Vec<BinElement>),
    /// `{A, B}`
    Tuple(Vec<Expr>),
    /// `[A, B | Tail]`
    List {
        /// The elements before `|`.
        elems: Vec<Expr>,
        /// The tail after `|`, if any.
        tail: Option<Box<Expr>>,
    },
    /// `#{K => V, K := V}`
    Map(Vec<MapField>),
    /// `Base#{K => V}`
    MapUpdate {
        /// The map updated.
        base: Box<Expr>,
        /// The new associations.
        fields: Vec<MapField>,
    },
    /// `#rec{f = V}`
    Record {
        /// Record name (a macro name is kept as `?NAME`).
        name: Box<str>,
        /// The fields given.
        fields: Vec<RecordField>,
    },
    /// `Base#rec{f = V}`
    RecordUpdate {
        /// The record updated.
        base: Box<Expr>,
        /// Record name.
        name: Box<str>,
        /// The fields given.
        fields: Box<[RecordField]>,
    },
    /// `Base#rec.field`
    RecordField {
        /// The record read.
        base: Box<Expr>,
        /// Record name.
        name: Box<str>,
        /// Field name.
        field: Box<str>,
    },
    /// `#rec.field` (the field's index)
    RecordIndex {
        /// Record name.
        name: Box<str>,
        /// Field name.
        field: Box<str>,
    },
    /// A call: `f(..)` (module `None`, function an atom), `m:f(..)`,
    /// `M:F(..)`, `(Expr)(..)` (function any expression).
    Call {
        /// The module of a remote call.
        module: Option<Box<Expr>>,
        /// The function: an atom for a named call, else any expression.
        function: Box<Expr>,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `m:f` outside a call (only meaningful in macro bodies and types).
    Remote {
        /// The module.
        module: Box<Expr>,
        /// The function.
        function: Box<Expr>,
    },
    /// `fun f/1`, `fun m:f/1`, `fun M:F/A`.
    FunRef {
        /// The module, for `fun m:f/1`.
        module: Option<Box<Expr>>,
        /// The function name.
        function: Box<Expr>,
        /// The arity.
        arity: Box<Expr>,
    },
    /// `fun (..) -> .. end` or a named fun `fun Name(..) -> .. end`.
    Fun {
        /// The name of a named fun.
        name: Option<Box<str>>,
        /// The clauses.
        clauses: Vec<Clause>,
    },
    /// `Pattern = Value`
    Match {
        /// The left side.
        pattern: Box<Expr>,
        /// The right side.
        value: Box<Expr>,
    },
    /// `Pattern ?= Value` inside `maybe`.
    MaybeMatch {
        /// The left side.
        pattern: Box<Expr>,
        /// The right side.
        value: Box<Expr>,
    },
    /// `L op R`, including `!`, `++`, `--`, `andalso`, `orelse`.
    BinaryOp {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `op X`
    UnaryOp {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `case E of Clauses end`
    Case {
        /// The expression examined.
        expr: Box<Expr>,
        /// One pattern per clause.
        clauses: Vec<Clause>,
    },
    /// `if Guards -> Body; ... end` (clauses have no patterns).
    If(Vec<Clause>),
    /// `receive Clauses after T -> Body end`
    Receive {
        /// One pattern per clause.
        clauses: Vec<Clause>,
        /// The `after` part.
        after: Option<Box<ReceiveAfter>>,
    },
    /// `try Body of Clauses catch CatchClauses after After end`
    Try(Box<TryExpr>),
    /// `catch Expr`
    Catch(Box<Expr>),
    /// `begin Exprs end`
    Block(Vec<Expr>),
    /// `[Template || Qualifiers]`
    ListComprehension {
        /// The template.
        template: Box<Expr>,
        /// Generators and filters.
        qualifiers: Vec<Qualifier>,
    },
    /// `<<Template || Qualifiers>>`
    BinaryComprehension {
        /// The template.
        template: Box<Expr>,
        /// Generators and filters.
        qualifiers: Vec<Qualifier>,
    },
    /// `#{K => V || Qualifiers}`
    MapComprehension {
        /// The template.
        template: Box<MapField>,
        /// Generators and filters.
        qualifiers: Vec<Qualifier>,
    },
    /// `maybe Exprs else Clauses end`
    Maybe {
        /// The body.
        body: Vec<Expr>,
        /// The `else` clauses (`None` without `else`).
        else_clauses: Option<Box<Vec<Clause>>>,
    },
    /// A macro call kept unexpanded: `?NAME`, `?NAME(Args)`.
    Macro(Box<MacroExpr>),
    /// `??Arg`: the text of a macro argument.
    MacroString(String),
    /// The result of expanding a macro with conditional definitions: one
    /// alternative per definition, each with the condition it holds under.
    Conditional(Vec<Alternative>),
    /// A syntax error or an unsupported construct, with the reason.
    Error(String),
}

/// An integer literal's value as bytes: an `i128` field made every node
/// 16-aligned, for the 2% of nodes that are integers.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IntValue([u8; 16]);

impl IntValue {
    /// The value.
    pub fn get(self) -> i128 {
        i128::from_le_bytes(self.0)
    }
}

impl From<i128> for IntValue {
    fn from(v: i128) -> IntValue {
        IntValue(v.to_le_bytes())
    }
}

impl std::fmt::Debug for IntValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for IntValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i128(self.get())
    }
}

/// `try Body of Clauses catch CatchClauses after After end` (boxed in
/// its node: 96 bytes, in one node of 600).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TryExpr {
    /// The protected body.
    pub body: Vec<Expr>,
    /// The `of` clauses.
    pub of_clauses: Vec<Clause>,
    /// The `catch` clauses.
    pub catch_clauses: Vec<CatchClause>,
    /// The `after` body.
    pub after: Vec<Expr>,
}

/// A macro call kept unexpanded: `?NAME`, `?NAME(Args)` (boxed in its
/// node: 72 bytes, in one node of forty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MacroExpr {
    /// The macro name without `?`.
    pub name: String,
    /// The arguments; `None` for `?NAME` without parentheses.
    pub args: Option<Vec<Expr>>,
    /// Set by macro expansion when the macro could not be expanded.
    pub unresolved: Option<String>,
}

/// One conditional alternative of an expanded macro.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// When this definition is the one in force.
    pub condition: Condition,
    /// The expansion under that condition.
    pub expr: Expr,
}

/// A binary segment `Value:Size/Type-Specifiers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinElement {
    /// The segment value.
    pub(crate) value: Expr,
    /// The size, if given.
    pub size: Option<Expr>,
    /// Type specifiers as written (`integer`, `little`, `unit:8`).
    pub types: Vec<String>,
    /// Where it is.
    pub(crate) span: Span,
}

/// `Key => Value` or `Key := Value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapField {
    /// The key.
    pub(crate) key: Expr,
    /// The value.
    pub(crate) value: Expr,
    /// True for `:=` (the key must exist).
    pub(crate) exact: bool,
    /// Where it is.
    pub(crate) span: Span,
}

/// `field = Value` in a record expression (`_ = V` sets the others).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordField {
    /// Field name.
    pub name: String,
    /// The value, absent in declarations without a default.
    pub value: Option<Expr>,
    /// Where it is.
    pub(crate) span: Span,
}

/// A clause of a function, `fun`, `case`, `receive`, `if` or `maybe ... else`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// Argument patterns (functions, funs), one pattern (`case`,
    /// `receive`), none (`if`).
    pub patterns: Vec<Expr>,
    /// Guard sequence: alternatives (`;`) of conjunctions (`,`).
    pub guards: Vec<Vec<Expr>>,
    /// The body.
    pub body: Vec<Expr>,
    /// Where it is.
    pub(crate) span: Span,
}

/// `Class:Reason:Stacktrace when Guard -> Body` of a `try ... catch`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatchClause {
    /// The class, if written (`throw`, `error`, `exit`, a variable).
    pub class: Option<Expr>,
    /// The reason pattern.
    pub(crate) pattern: Expr,
    /// The stacktrace variable, if written.
    pub(crate) stacktrace: Option<Expr>,
    /// Guard sequence.
    pub(crate) guards: Vec<Vec<Expr>>,
    /// The body.
    pub(crate) body: Vec<Expr>,
    /// Where it is.
    pub(crate) span: Span,
}

/// `after Timeout -> Body` of a `receive`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiveAfter {
    /// The timeout.
    pub(crate) timeout: Expr,
    /// The body.
    pub(crate) body: Vec<Expr>,
}

/// A comprehension qualifier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Qualifier {
    /// `Pattern <- List` (`strict` for `<:-`).
    Generator {
        /// The pattern.
        pattern: Expr,
        /// The list.
        source: Expr,
        /// True for a strict generator `<:-`.
        strict: bool,
    },
    /// `Pattern <= Binary` (`strict` for `<:=`).
    BinaryGenerator {
        /// The pattern.
        pattern: Expr,
        /// The binary.
        source: Expr,
        /// True for a strict generator `<:=`.
        strict: bool,
    },
    /// `K := V <- Map`
    MapGenerator {
        /// The key pattern and value pattern.
        pattern: Box<MapField>,
        /// The map.
        source: Expr,
        /// True for a strict generator `<:-`.
        strict: bool,
    },
    /// Generators run in lock step: `A <- L1 && B <- L2`.
    Zip(Vec<Qualifier>),
    /// A filter expression.
    Filter(Expr),
}

/// A function: all clauses of one `name/arity` form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Function {
    /// The name.
    pub(crate) name: String,
    /// The arity.
    pub(crate) arity: u32,
    /// The clauses.
    pub clauses: Vec<Clause>,
    /// The whole form.
    pub span: Span,
}

// The sizes the comment on `ExprKind` keeps.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<ExprKind>() == 48 && std::mem::size_of::<Expr>() == 64);

impl Expr {
    /// An expression of the given kind at a span.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// The atom's name, if this is an atom.
    pub fn as_atom(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Atom(a) => Some(a),
            _ => None,
        }
    }

    /// The integer's value, if this is an integer (or char) that fits.
    pub fn as_integer(&self) -> Option<i128> {
        match &self.kind {
            ExprKind::Integer { value, .. } => value.map(IntValue::get),
            _ => None,
        }
    }

    /// Calls `f` on each direct sub-expression; `true` marks the ones that
    /// are inside a `fun` body (or its patterns and guards).
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Expr, bool)) {
        use ExprKind as K;
        let clauses = |cs: &'a [Clause], in_fun: bool, f: &mut dyn FnMut(&'a Expr, bool)| {
            for c in cs {
                c.for_each_expr(&mut |e| f(e, in_fun));
            }
        };
        match &self.kind {
            K::Atom(_)
            | K::Var(_)
            | K::Integer { .. }
            | K::Float { .. }
            | K::String(_)
            | K::RecordIndex { .. }
            | K::MacroString(_)
            | K::Error(_) => {}
            K::Concat(es) | K::Tuple(es) | K::Block(es) => es.iter().for_each(|e| f(e, false)),
            K::Binary(els) => {
                for el in els {
                    f(&el.value, false);
                    if let Some(s) = &el.size {
                        f(s, false);
                    }
                }
            }
            K::List { elems, tail } => {
                elems.iter().for_each(|e| f(e, false));
                if let Some(t) = tail {
                    f(t, false);
                }
            }
            K::Map(fields) => fields
                .iter()
                .for_each(|m| m.for_each_expr(&mut |e| f(e, false))),
            K::MapUpdate { base, fields } => {
                f(base, false);
                fields
                    .iter()
                    .for_each(|m| m.for_each_expr(&mut |e| f(e, false)));
            }
            K::Record { fields, .. } => fields
                .iter()
                .filter_map(|r| r.value.as_ref())
                .for_each(|e| f(e, false)),
            K::RecordUpdate { base, fields, .. } => {
                f(base, false);
                fields
                    .iter()
                    .filter_map(|r| r.value.as_ref())
                    .for_each(|e| f(e, false));
            }
            K::RecordField { base, .. } => f(base, false),
            K::Call {
                module,
                function,
                args,
            } => {
                if let Some(m) = module {
                    f(m, false);
                }
                f(function, false);
                args.iter().for_each(|e| f(e, false));
            }
            K::Remote { module, function } => {
                f(module, false);
                f(function, false);
            }
            K::FunRef {
                module,
                function,
                arity,
            } => {
                if let Some(m) = module {
                    f(m, false);
                }
                f(function, false);
                f(arity, false);
            }
            K::Fun { clauses: cs, .. } => clauses(cs, true, f),
            K::Match { pattern, value } | K::MaybeMatch { pattern, value } => {
                f(pattern, false);
                f(value, false);
            }
            K::BinaryOp { lhs, rhs, .. } => {
                f(lhs, false);
                f(rhs, false);
            }
            K::UnaryOp { operand, .. } => f(operand, false),
            K::Case { expr, clauses: cs } => {
                f(expr, false);
                clauses(cs, false, f);
            }
            K::If(cs) => clauses(cs, false, f),
            K::Receive { clauses: cs, after } => {
                clauses(cs, false, f);
                if let Some(a) = after {
                    f(&a.timeout, false);
                    a.body.iter().for_each(|e| f(e, false));
                }
            }
            K::Try(t) => {
                let TryExpr {
                    body,
                    of_clauses,
                    catch_clauses,
                    after,
                } = &**t;
                body.iter().for_each(|e| f(e, false));
                clauses(of_clauses, false, f);
                for c in catch_clauses {
                    c.class
                        .iter()
                        .chain(Some(&c.pattern))
                        .chain(c.stacktrace.iter())
                        .for_each(|e| f(e, false));
                    c.guards
                        .iter()
                        .flatten()
                        .chain(&c.body)
                        .for_each(|e| f(e, false));
                }
                after.iter().for_each(|e| f(e, false));
            }
            K::Catch(e) => f(e, false),
            K::ListComprehension {
                template,
                qualifiers,
            }
            | K::BinaryComprehension {
                template,
                qualifiers,
            } => {
                f(template, false);
                qualifiers
                    .iter()
                    .for_each(|q| q.for_each_expr(&mut |e| f(e, false)));
            }
            K::MapComprehension {
                template,
                qualifiers,
            } => {
                template.for_each_expr(&mut |e| f(e, false));
                qualifiers
                    .iter()
                    .for_each(|q| q.for_each_expr(&mut |e| f(e, false)));
            }
            K::Maybe { body, else_clauses } => {
                body.iter().for_each(|e| f(e, false));
                if let Some(cs) = else_clauses {
                    clauses(cs, false, f);
                }
            }
            K::Macro(m) => m.args.iter().flatten().for_each(|e| f(e, false)),
            K::Conditional(alts) => alts.iter().for_each(|a| f(&a.expr, false)),
        }
    }

    /// Calls `f` on each direct sub-expression, mutably (macro expansion
    /// rewrites trees in place with it).
    pub(crate) fn for_each_child_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        use ExprKind as K;
        let clauses = |cs: &mut [Clause], f: &mut dyn FnMut(&mut Expr)| {
            for c in cs {
                c.patterns
                    .iter_mut()
                    .chain(c.guards.iter_mut().flatten())
                    .chain(c.body.iter_mut())
                    .for_each(&mut *f);
            }
        };
        let fields = |ms: &mut [MapField], f: &mut dyn FnMut(&mut Expr)| {
            for m in ms {
                f(&mut m.key);
                f(&mut m.value);
            }
        };
        match &mut self.kind {
            K::Atom(_)
            | K::Var(_)
            | K::Integer { .. }
            | K::Float { .. }
            | K::String(_)
            | K::RecordIndex { .. }
            | K::MacroString(_)
            | K::Error(_) => {}
            K::Concat(es) | K::Tuple(es) | K::Block(es) => es.iter_mut().for_each(f),
            K::Binary(els) => {
                for el in els {
                    f(&mut el.value);
                    if let Some(s) = &mut el.size {
                        f(s);
                    }
                }
            }
            K::List { elems, tail } => {
                elems.iter_mut().for_each(&mut *f);
                if let Some(t) = tail {
                    f(t);
                }
            }
            K::Map(ms) => fields(ms, f),
            K::MapUpdate { base, fields: ms } => {
                f(base);
                fields(ms, f);
            }
            K::Record { fields, .. } => fields
                .iter_mut()
                .filter_map(|r| r.value.as_mut())
                .for_each(f),
            K::RecordUpdate { base, fields, .. } => {
                f(base);
                fields
                    .iter_mut()
                    .filter_map(|r| r.value.as_mut())
                    .for_each(f);
            }
            K::RecordField { base, .. } => f(base),
            K::Call {
                module,
                function,
                args,
            } => {
                if let Some(m) = module {
                    f(m);
                }
                f(function);
                args.iter_mut().for_each(f);
            }
            K::Remote { module, function } => {
                f(module);
                f(function);
            }
            K::FunRef {
                module,
                function,
                arity,
            } => {
                if let Some(m) = module {
                    f(m);
                }
                f(function);
                f(arity);
            }
            K::Fun { clauses: cs, .. } | K::If(cs) => clauses(cs, f),
            K::Match { pattern, value } | K::MaybeMatch { pattern, value } => {
                f(pattern);
                f(value);
            }
            K::BinaryOp { lhs, rhs, .. } => {
                f(lhs);
                f(rhs);
            }
            K::UnaryOp { operand, .. } => f(operand),
            K::Case { expr, clauses: cs } => {
                f(expr);
                clauses(cs, f);
            }
            K::Receive { clauses: cs, after } => {
                clauses(cs, f);
                if let Some(a) = after {
                    f(&mut a.timeout);
                    a.body.iter_mut().for_each(f);
                }
            }
            K::Try(t) => {
                let TryExpr {
                    body,
                    of_clauses,
                    catch_clauses,
                    after,
                } = &mut **t;
                body.iter_mut().for_each(&mut *f);
                clauses(of_clauses, f);
                for c in catch_clauses {
                    c.class
                        .iter_mut()
                        .chain(Some(&mut c.pattern))
                        .chain(c.stacktrace.iter_mut())
                        .chain(c.guards.iter_mut().flatten())
                        .chain(c.body.iter_mut())
                        .for_each(&mut *f);
                }
                after.iter_mut().for_each(f);
            }
            K::Catch(e) => f(e),
            K::ListComprehension {
                template,
                qualifiers,
            }
            | K::BinaryComprehension {
                template,
                qualifiers,
            } => {
                f(template);
                qualifiers.iter_mut().for_each(|q| q.for_each_expr_mut(f));
            }
            K::MapComprehension {
                template,
                qualifiers,
            } => {
                f(&mut template.key);
                f(&mut template.value);
                qualifiers.iter_mut().for_each(|q| q.for_each_expr_mut(f));
            }
            K::Maybe { body, else_clauses } => {
                body.iter_mut().for_each(&mut *f);
                if let Some(cs) = else_clauses {
                    clauses(cs, f);
                }
            }
            K::Macro(m) => m.args.iter_mut().flatten().for_each(f),
            K::Conditional(alts) => alts.iter_mut().for_each(|a| f(&mut a.expr)),
        }
    }
}

impl Clause {
    /// Patterns, then guards, then body.
    pub(crate) fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        self.patterns
            .iter()
            .chain(self.guards.iter().flatten())
            .chain(&self.body)
            .for_each(f);
    }
}

impl MapField {
    /// Key then value.
    pub(crate) fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(&self.key);
        f(&self.value);
    }
}

impl Qualifier {
    /// The qualifier's expressions in source order.
    pub(crate) fn for_each_expr<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        match self {
            Qualifier::Generator {
                pattern, source, ..
            }
            | Qualifier::BinaryGenerator {
                pattern, source, ..
            } => {
                f(pattern);
                f(source);
            }
            Qualifier::MapGenerator {
                pattern, source, ..
            } => {
                pattern.for_each_expr(f);
                f(source);
            }
            Qualifier::Zip(qs) => qs.iter().for_each(|q| q.for_each_expr(f)),
            Qualifier::Filter(e) => f(e),
        }
    }

    fn for_each_expr_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        match self {
            Qualifier::Generator {
                pattern, source, ..
            }
            | Qualifier::BinaryGenerator {
                pattern, source, ..
            } => {
                f(pattern);
                f(source);
            }
            Qualifier::MapGenerator {
                pattern, source, ..
            } => {
                f(&mut pattern.key);
                f(&mut pattern.value);
                f(source);
            }
            Qualifier::Zip(qs) => qs.iter_mut().for_each(|q| q.for_each_expr_mut(f)),
            Qualifier::Filter(e) => f(e),
        }
    }
}

/// Where a visited expression is, for analyses that care when code runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WalkContext {
    /// True inside the clauses of a `fun ... end`: that code runs when the
    /// fun is called, not when the enclosing function runs.
    pub in_fun: bool,
    /// How many `fun ... end` bodies enclose the expression.
    fun_depth: u32,
}

/// What the walk does after visiting an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Visit the expression's children.
    Continue,
    /// Do not visit its children.
    SkipChildren,
}

/// Visits `expr` and every sub-expression depth-first in source order.
pub fn walk_expr<'a>(
    expr: &'a Expr,
    ctx: WalkContext,
    f: &mut dyn FnMut(&'a Expr, WalkContext) -> Walk,
) {
    if f(expr, ctx) == Walk::SkipChildren {
        return;
    }
    // Macro expansion can nest deeper than lowering allows: grow, not overflow.
    stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || walk_children(expr, ctx, f));
}

fn walk_children<'a>(
    expr: &'a Expr,
    ctx: WalkContext,
    f: &mut dyn FnMut(&'a Expr, WalkContext) -> Walk,
) {
    expr.for_each_child(&mut |child, enters_fun| {
        let ctx = if enters_fun {
            WalkContext {
                in_fun: true,
                fun_depth: ctx.fun_depth + 1,
            }
        } else {
            ctx
        };
        walk_expr(child, ctx, f);
    });
}

/// Visits every expression of a list (e.g. a clause body).
pub fn walk_exprs<'a>(exprs: &'a [Expr], f: &mut dyn FnMut(&'a Expr, WalkContext) -> Walk) {
    for e in exprs {
        walk_expr(e, WalkContext::default(), f);
    }
}

/// Visits every expression of a function: each clause's patterns, guards
/// and body.
pub fn walk_function<'a>(function: &'a Function, f: &mut dyn FnMut(&'a Expr, WalkContext) -> Walk) {
    for clause in &function.clauses {
        clause.for_each_expr(&mut |e| walk_expr(e, WalkContext::default(), f));
    }
}
