//! A static evaluator for the small part of Elixir a `mix.exs` is written
//! in, over the tree of the Elixir tree-sitter grammar. It never runs code.
//!
//! Understood: literals (atoms, strings without unknown interpolation,
//! charlists, `~c`/`~s`/`~w` sigils, integers, booleans, `nil`, aliases),
//! lists with `|` tails, keyword lists, tuples, `++` and `<>`, module
//! attributes (`@version "1.2.3"`), variables bound earlier in the same body,
//! local functions of the module (`deps()`, `deps(env)` with plain
//! parameters, one clause, no guard), `File.read!/1` of a file of the
//! repository, `String.trim/1`, `Path.join/2`, and pipes into them.
//! Anything else (a conditional, `Mix.env()`, a function of another module)
//! is a [`Gap`]: the caller reports it with its line and uses the rest.

use std::collections::BTreeMap;
use tree_sitter::Node;

/// A value with the line it was written on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Val {
    pub(crate) v: Value,
    pub(crate) line: u32,
}

/// What an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Atom(String),
    Str(String),
    Int(i64),
    Bool(bool),
    Nil,
    /// A list, with the parts that could not be read (`++ other_module()`).
    List {
        items: Vec<Val>,
        gaps: Vec<Gap>,
    },
    Tuple(Vec<Val>),
    /// A module alias, `Foo.Bar`: the atom `'Elixir.Foo.Bar'`.
    Alias(String),
    Unknown(Gap),
}

/// A part of the file that cannot be evaluated without running Elixir.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// The expression as written (first line, shortened).
    pub(crate) text: String,
    pub(crate) line: u32,
    /// Why, in a phrase: "a call to `UMP.deps/1`, a function of another module".
    pub(crate) why: String,
    /// The list items written in the arguments of a call that could not be
    /// evaluated: `UMP.deps([{:emqx, in_umbrella: true}])` still names `emqx`.
    pub(crate) salvage: Vec<Val>,
}

impl Val {
    fn new(v: Value, line: u32) -> Val {
        Val { v, line }
    }

    /// The items of a list (empty for anything else).
    pub(crate) fn items(&self) -> &[Val] {
        match &self.v {
            Value::List { items, .. } => items,
            _ => &[],
        }
    }

    /// A string or an atom's name.
    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.v {
            Value::Str(s) | Value::Atom(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a keyword list, the last one when repeated
    /// (as `Keyword.merge` keeps it).
    pub(crate) fn keyword(&self, key: &str) -> Option<&Val> {
        self.items().iter().rev().find_map(|item| match &item.v {
            Value::Tuple(kv) if kv.len() == 2 && kv[0].v == Value::Atom(key.to_owned()) => {
                Some(&kv[1])
            }
            _ => None,
        })
    }

    /// The gaps of a list, or the value itself when it is unknown.
    pub(crate) fn gaps(&self) -> Vec<&Gap> {
        match &self.v {
            Value::List { gaps, .. } => gaps.iter().collect(),
            Value::Unknown(g) => vec![g],
            _ => vec![],
        }
    }
}

/// The functions a module defines, its attributes, and the file's text.
pub(crate) struct Module<'t> {
    src: &'t str,
    functions: BTreeMap<String, Vec<Clause<'t>>>,
    /// `@name value`, in file order.
    attributes: Vec<(String, Node<'t>, u32)>,
    read_file: &'t dyn Fn(&str) -> Result<String, String>,
}

struct Clause<'t> {
    line: u32,
    params: Vec<Node<'t>>,
    guarded: bool,
    body: Vec<Node<'t>>,
}

/// Levels of nesting and calls: deep enough for any real `mix.exs`; a
/// recursive function, or a hostile file, stops here.
const MAX_DEPTH: u32 = 200;

fn line_of(n: Node) -> u32 {
    n.start_position().row as u32 + 1
}

/// The named children that are code (not comments).
fn code_children(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|c| c.kind() != "comment")
        .collect()
}

impl<'t> Module<'t> {
    /// Reads the function definitions and attributes of a `defmodule` body
    /// (a `do_block`).
    pub(super) fn new(
        src: &'t str,
        body: Node<'t>,
        read_file: &'t dyn Fn(&str) -> Result<String, String>,
    ) -> Module<'t> {
        let mut m = Module {
            src,
            functions: BTreeMap::new(),
            attributes: Vec::new(),
            read_file,
        };
        for stmt in code_children(body) {
            if stmt.kind() == "unary_operator" && m.operator(stmt) == "@" {
                if let Some(call) = stmt.child_by_field_name("operand") {
                    if call.kind() == "call" {
                        let name = m.call_name(call);
                        if let (Some(name), Some(arg)) = (name, m.args(call).first().copied()) {
                            m.attributes.push((name, arg, line_of(stmt)));
                        }
                    }
                }
            } else if stmt.kind() == "call" {
                let kw = m.call_name(stmt);
                if matches!(kw.as_deref(), Some("def" | "defp")) {
                    if let Some((name, clause)) = m.clause(stmt) {
                        m.functions.entry(name).or_default().push(clause);
                    }
                }
            }
        }
        m
    }

    /// The line of `def name` (the first clause of that name, any arity).
    pub(crate) fn function_line(&self, name: &str) -> Option<u32> {
        self.functions
            .get(name)
            .and_then(|cs| cs.first())
            .map(|c| c.line)
    }

    /// Whether the module defines `name/0`.
    pub(crate) fn defines(&self, name: &str) -> bool {
        self.functions
            .get(name)
            .is_some_and(|cs| cs.iter().any(|c| c.params.is_empty()))
    }

    /// Evaluates `name()`.
    pub(crate) fn call0(&self, name: &str, line: u32) -> Val {
        self.local_call(name, vec![], line, &format!("{name}()"), 0)
    }

    fn text(&self, n: Node) -> &'t str {
        &self.src[n.byte_range()]
    }

    fn operator(&self, n: Node) -> &'t str {
        n.child_by_field_name("operator")
            .map(|o| self.text(o))
            .unwrap_or("")
    }

    /// `name` of `name(...)` or `name ...`.
    fn call_name(&self, call: Node) -> Option<String> {
        let target = call.child_by_field_name("target")?;
        (target.kind() == "identifier").then(|| self.text(target).to_owned())
    }

    /// The arguments of a call, keyword arguments as one trailing list.
    fn args(&self, call: Node<'t>) -> Vec<Node<'t>> {
        let mut c = call.walk();
        let args = call
            .named_children(&mut c)
            .find(|c| c.kind() == "arguments");
        args.map(code_children).unwrap_or_default()
    }

    /// One `def`/`defp` clause: its name, parameters and body.
    fn clause(&self, def: Node<'t>) -> Option<(String, Clause<'t>)> {
        let args = self.args(def);
        let head = *args.first()?;
        let (head, guarded) = if head.kind() == "binary_operator" && self.operator(head) == "when" {
            (head.child_by_field_name("left")?, true)
        } else {
            (head, false)
        };
        let (name, params) = match head.kind() {
            "identifier" => (self.text(head).to_owned(), vec![]),
            "call" => (self.call_name(head)?, self.args(head)),
            _ => return None,
        };
        // `def f, do: expr` or `def f do ... end`.
        let body = match args.get(1) {
            Some(kw) if kw.kind() == "keywords" => {
                let pair = code_children(*kw).into_iter().find(|p| {
                    p.child_by_field_name("key")
                        .is_some_and(|k| self.text(k).trim_end().trim_end_matches(':') == "do")
                })?;
                vec![pair.child_by_field_name("value")?]
            }
            _ => {
                let mut c = def.walk();
                let block = def
                    .named_children(&mut c)
                    .find(|c| c.kind() == "do_block")?;
                code_children(block)
                    .into_iter()
                    .filter(|n| !n.kind().ends_with("_block"))
                    .collect()
            }
        };
        Some((
            name,
            Clause {
                line: line_of(def),
                params,
                guarded,
                body,
            },
        ))
    }

    fn gap(&self, n: Node, why: impl Into<String>) -> Val {
        Val::new(Value::Unknown(self.gap_of(n, why)), line_of(n))
    }

    fn gap_of(&self, n: Node, why: impl Into<String>) -> Gap {
        let text = self.text(n).lines().next().unwrap_or("").trim();
        let mut short: String = text.chars().take(60).collect();
        if short.len() < text.len() || self.text(n).contains('\n') {
            short.push_str(" ...");
        }
        Gap {
            text: short,
            line: line_of(n),
            why: why.into(),
            salvage: vec![],
        }
    }

    /// Evaluates a body: `name = expr` statements bind, the last expression
    /// is the value.
    fn body(&self, stmts: &[Node<'t>], vars: &mut Vars, depth: u32) -> Val {
        let mut last = None;
        for s in stmts {
            if s.kind() == "binary_operator" && self.operator(*s) == "=" {
                let (Some(l), Some(r)) = (
                    s.child_by_field_name("left"),
                    s.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let v = self.eval(r, vars, depth);
                if l.kind() == "identifier" {
                    vars.insert(self.text(l).to_owned(), v.clone());
                }
                last = Some(v);
            } else {
                last = Some(self.eval(*s, vars, depth));
            }
        }
        last.unwrap_or(Val::new(Value::Nil, 1))
    }

    /// Evaluates one expression.
    pub(crate) fn eval(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let line = line_of(n);
        if depth > MAX_DEPTH {
            return self.gap(n, "nested too deeply (a recursive function?)");
        }
        // Every level counts, so that nesting, not only calls, is bounded.
        let depth = depth + 1;
        let v = match n.kind() {
            "atom" => Value::Atom(self.text(n).trim_start_matches(':').to_owned()),
            "quoted_atom" => match self.quoted(n, vars, depth) {
                Some(s) => Value::Atom(s),
                None => return self.gap(n, "an atom built from values otpmap cannot read"),
            },
            "string" | "charlist" => match self.quoted(n, vars, depth) {
                Some(s) => Value::Str(s),
                None => return self.gap(n, "a string built from values otpmap cannot read"),
            },
            "sigil" => return self.sigil(n, vars, depth),
            "integer" => match self.text(n).replace('_', "").parse() {
                Ok(i) => Value::Int(i),
                Err(_) => return self.gap(n, "an integer otpmap does not read"),
            },
            "boolean" => Value::Bool(self.text(n) == "true"),
            "nil" => Value::Nil,
            "alias" => Value::Alias(self.text(n).to_owned()),
            "list" => return self.list(n, vars, depth),
            "tuple" => {
                let mut items = Vec::new();
                for c in code_children(n) {
                    if c.kind() == "keywords" {
                        items.push(self.keywords(c, vars, depth));
                    } else {
                        items.push(self.eval(c, vars, depth));
                    }
                }
                Value::Tuple(items)
            }
            "keywords" => return self.keywords(n, vars, depth),
            "block" => {
                let stmts = code_children(n);
                let mut scoped = vars.clone();
                return self.body(&stmts, &mut scoped, depth);
            }
            "unary_operator" if self.operator(n) == "@" => return self.attribute(n, vars, depth),
            "binary_operator" => return self.binary(n, vars, depth),
            "identifier" => {
                let name = self.text(n);
                if let Some(v) = vars.get(name) {
                    return v.clone();
                }
                if name == "__DIR__" {
                    Value::Str(".".to_owned())
                } else {
                    // Old mix.exs files call `deps` without parentheses.
                    return self.local_call(name, vec![], line, name, depth);
                }
            }
            "call" => return self.call(n, None, vars, depth),
            _ => return self.gap(n, "an expression otpmap does not evaluate"),
        };
        Val::new(v, line)
    }

    /// The content of a string or quoted atom; `None` when an
    /// interpolation cannot be evaluated to text.
    fn quoted(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Option<String> {
        let mut out = String::new();
        for c in code_children(n) {
            match c.kind() {
                "quoted_content" => out.push_str(self.text(c)),
                "escape_sequence" => out.push_str(&unescape(self.text(c))),
                "interpolation" => {
                    let inner = code_children(c);
                    let v = self.eval(*inner.first()?, vars, depth + 1);
                    match v.v {
                        Value::Str(s) | Value::Atom(s) => out.push_str(&s),
                        Value::Int(i) => out.push_str(&i.to_string()),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        Some(out)
    }

    fn sigil(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let line = line_of(n);
        let kids = code_children(n);
        let name = kids
            .iter()
            .find(|c| c.kind() == "sigil_name")
            .map(|c| self.text(*c))
            .unwrap_or("");
        let modifiers = kids
            .iter()
            .find(|c| c.kind() == "sigil_modifiers")
            .map(|c| self.text(*c))
            .unwrap_or("");
        // Lower-case sigils interpolate, upper-case ones do not.
        let content = if name.chars().all(|c| c.is_ascii_lowercase()) {
            self.quoted_parts(&kids, vars, depth)
        } else {
            Some(
                kids.iter()
                    .filter(|c| c.kind() == "quoted_content")
                    .map(|c| self.text(*c))
                    .collect(),
            )
        };
        let Some(content) = content else {
            return self.gap(n, "a sigil built from values otpmap cannot read");
        };
        match name {
            "c" | "C" | "s" | "S" => Val::new(Value::Str(content), line),
            "w" | "W" => {
                let items = content
                    .split_whitespace()
                    .map(|w| {
                        let v = if modifiers.contains('a') {
                            Value::Atom(w.to_owned())
                        } else {
                            Value::Str(w.to_owned())
                        };
                        Val::new(v, line)
                    })
                    .collect();
                Val::new(
                    Value::List {
                        items,
                        gaps: vec![],
                    },
                    line,
                )
            }
            _ => self.gap(n, format!("the sigil ~{name}, which otpmap does not read")),
        }
    }

    fn quoted_parts(&self, kids: &[Node<'t>], vars: &Vars, depth: u32) -> Option<String> {
        let mut out = String::new();
        for c in kids {
            match c.kind() {
                "quoted_content" => out.push_str(self.text(*c)),
                "escape_sequence" => out.push_str(&unescape(self.text(*c))),
                "interpolation" => {
                    let v = self.eval(*code_children(*c).first()?, vars, depth + 1);
                    out.push_str(v.as_str()?);
                }
                _ => {}
            }
        }
        Some(out)
    }

    fn list(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let mut out = Val::new(
            Value::List {
                items: vec![],
                gaps: vec![],
            },
            line_of(n),
        );
        for c in code_children(n) {
            let part = match c.kind() {
                "keywords" => self.keywords(c, vars, depth),
                // `[a, b | tail]`: the head item, then the tail list.
                "binary_operator" if self.operator(c) == "|" => {
                    let (Some(l), Some(r)) = (
                        c.child_by_field_name("left"),
                        c.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    let head = self.eval(l, vars, depth);
                    push_item(&mut out, head);
                    self.eval(r, vars, depth)
                }
                _ => {
                    let item = self.eval(c, vars, depth);
                    push_item(&mut out, item);
                    continue;
                }
            };
            out = concat(out, part);
        }
        out
    }

    /// `key: value, ...` as a list of `{key, value}` tuples.
    fn keywords(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let mut items = Vec::new();
        for pair in code_children(n) {
            let (Some(k), Some(v)) = (
                pair.child_by_field_name("key"),
                pair.child_by_field_name("value"),
            ) else {
                continue;
            };
            let key = match k.kind() {
                "quoted_keyword" => match self.quoted(k, vars, depth) {
                    Some(s) => s,
                    None => continue,
                },
                _ => self.text(k).trim_end().trim_end_matches(':').to_owned(),
            };
            let line = line_of(pair);
            let value = self.eval(v, vars, depth);
            items.push(Val::new(
                Value::Tuple(vec![Val::new(Value::Atom(key), line), value]),
                line,
            ));
        }
        Val::new(
            Value::List {
                items,
                gaps: vec![],
            },
            line_of(n),
        )
    }

    fn attribute(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let line = line_of(n);
        let name = n
            .child_by_field_name("operand")
            .and_then(|o| match o.kind() {
                "identifier" => Some(self.text(o).to_owned()),
                "call" => self.call_name(o),
                _ => None,
            });
        let Some(name) = name else {
            return self.gap(n, "a module attribute otpmap does not read");
        };
        // The value in force where it is read: the last one set above.
        let set = self
            .attributes
            .iter()
            .rev()
            .find(|(a, _, at)| *a == name && *at <= line)
            .or_else(|| self.attributes.iter().find(|(a, _, _)| *a == name));
        match set {
            Some((_, value, _)) => self.eval(*value, vars, depth + 1),
            None => self.gap(n, format!("`@{name}` is not set in this module")),
        }
    }

    fn binary(&self, n: Node<'t>, vars: &Vars, depth: u32) -> Val {
        let (Some(l), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return self.gap(n, "an incomplete expression");
        };
        match self.operator(n) {
            "++" => concat(self.eval(l, vars, depth), self.eval(r, vars, depth)),
            "<>" => {
                let (a, b) = (self.eval(l, vars, depth), self.eval(r, vars, depth));
                match (&a.v, &b.v) {
                    (Value::Str(x), Value::Str(y)) => {
                        Val::new(Value::Str(format!("{x}{y}")), a.line)
                    }
                    _ => self.gap(n, "a string built from values otpmap cannot read"),
                }
            }
            "|>" => {
                let first = self.eval(l, vars, depth);
                if r.kind() == "call" {
                    self.call(r, Some(first), vars, depth)
                } else {
                    self.gap(n, "a pipe into an expression otpmap does not evaluate")
                }
            }
            op => self.gap(
                n,
                format!("the operator `{op}`, which otpmap does not evaluate"),
            ),
        }
    }

    /// A call, with `first` as its first argument when piped into.
    fn call(&self, n: Node<'t>, first: Option<Val>, vars: &Vars, depth: u32) -> Val {
        let line = line_of(n);
        let Some(target) = n.child_by_field_name("target") else {
            return self.gap(n, "a call otpmap does not evaluate");
        };
        let mut args: Vec<Val> = first.into_iter().collect();
        let arg_nodes = self.args(n);
        match target.kind() {
            "identifier" => {
                let name = self.text(target);
                if matches!(
                    name,
                    "if" | "unless" | "case" | "cond" | "with" | "for" | "try"
                ) {
                    return self.gap(n, format!("`{name}`, decided when Mix runs"));
                }
                for a in &arg_nodes {
                    args.push(self.eval(*a, vars, depth));
                }
                self.local_call(name, args, line, self.text(n), depth)
            }
            "dot" => {
                let module = target
                    .child_by_field_name("left")
                    .map(|m| self.text(m))
                    .unwrap_or("");
                let fun = target
                    .child_by_field_name("right")
                    .map(|f| self.text(f))
                    .unwrap_or("");
                for a in &arg_nodes {
                    args.push(self.eval(*a, vars, depth));
                }
                self.remote_call(n, module, fun, args)
            }
            _ => self.gap(n, "a call otpmap does not evaluate"),
        }
    }

    fn local_call(&self, name: &str, args: Vec<Val>, line: u32, text: &str, depth: u32) -> Val {
        let unknown = |why: String| {
            let mut gap = Gap {
                text: text.lines().next().unwrap_or("").chars().take(60).collect(),
                line,
                why,
                salvage: vec![],
            };
            gap.salvage = salvage(&args);
            Val::new(Value::Unknown(gap), line)
        };
        let Some(clauses) = self.functions.get(name) else {
            // An imported function or a macro: its arguments say nothing
            // reliable about its value.
            let mut v = unknown(format!(
                "a call to `{name}/{}`, which this module does not define",
                args.len()
            ));
            if let Value::Unknown(g) = &mut v.v {
                g.salvage.clear();
            }
            return v;
        };
        // Clauses are tried in order, as Elixir does: a parameter that is a
        // name binds, a literal must equal the argument.
        for clause in clauses.iter().filter(|c| c.params.len() == args.len()) {
            let mut vars = Vars::new();
            let mut matched = true;
            for (p, a) in clause.params.iter().zip(&args) {
                if p.kind() == "identifier" {
                    vars.insert(self.text(*p).to_owned(), a.clone());
                    continue;
                }
                let literal = self.eval(*p, &Vars::new(), depth + 1);
                if matches!(
                    literal.v,
                    Value::Unknown(_) | Value::List { .. } | Value::Tuple(_)
                ) || matches!(
                    a.v,
                    Value::Unknown(_) | Value::List { .. } | Value::Tuple(_)
                ) {
                    return unknown(format!(
                        "`{name}/{}` matches its arguments against patterns otpmap does not read",
                        args.len()
                    ));
                }
                if literal.v != a.v {
                    matched = false;
                    break;
                }
            }
            if !matched {
                continue;
            }
            if clause.guarded {
                return unknown(format!(
                    "`{name}/{}` has a guard, decided when Mix runs",
                    args.len()
                ));
            }
            return self.body(&clause.body, &mut vars, depth + 1);
        }
        unknown(format!(
            "no clause of `{name}/{}` matches these arguments",
            args.len()
        ))
    }

    fn remote_call(&self, n: Node<'t>, module: &str, fun: &str, args: Vec<Val>) -> Val {
        let line = line_of(n);
        let strs: Vec<Option<&str>> = args
            .iter()
            .map(|a| match &a.v {
                Value::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let value = match (module, fun, strs.as_slice()) {
            ("File", "read!", [Some(path)]) => match (self.read_file)(path) {
                Ok(text) => Value::Str(text),
                Err(why) => return self.gap(n, why),
            },
            ("String", "trim", [Some(s)]) => Value::Str(s.trim().to_owned()),
            ("String", "trim_trailing", [Some(s)]) => Value::Str(s.trim_end().to_owned()),
            ("Path", "join", [Some(a), Some(b)]) => Value::Str(format!("{a}/{b}")),
            ("Mix", "env", _) => {
                return self.gap(
                    n,
                    "the build environment (MIX_ENV), known only when Mix runs",
                )
            }
            ("System", _, _) => return self.gap(n, "the environment of the machine Mix runs on"),
            _ => {
                let mut gap = self.gap_of(
                    n,
                    format!(
                        "a call to `{module}.{fun}/{}`, a function of another module",
                        args.len()
                    ),
                );
                gap.salvage = salvage(&args);
                return Val::new(Value::Unknown(gap), line);
            }
        };
        Val::new(value, line)
    }
}

/// Variables bound in a body.
type Vars = BTreeMap<String, Val>;

fn push_item(list: &mut Val, item: Val) {
    if let Value::List { items, .. } = &mut list.v {
        items.push(item);
    }
}

/// `a ++ b`: the known items of both, and the gaps of both.
fn concat(a: Val, b: Val) -> Val {
    let line = a.line;
    let (mut items, mut gaps) = parts(a);
    let (more, more_gaps) = parts(b);
    items.extend(more);
    gaps.extend(more_gaps);
    Val::new(Value::List { items, gaps }, line)
}

fn parts(v: Val) -> (Vec<Val>, Vec<Gap>) {
    match v.v {
        Value::List { items, gaps } => (items, gaps),
        Value::Unknown(g) => (vec![], vec![g]),
        // Not a list: `++` would fail when Mix runs; keep it visible.
        other => (vec![Val::new(other, v.line)], vec![]),
    }
}

/// The list items written in a call's arguments.
fn salvage(args: &[Val]) -> Vec<Val> {
    args.iter()
        .flat_map(|a| match &a.v {
            Value::List { items, gaps } => items
                .iter()
                .cloned()
                .chain(gaps.iter().flat_map(|g| g.salvage.iter().cloned()))
                .collect(),
            Value::Unknown(g) => g.salvage.clone(),
            _ => vec![],
        })
        .collect()
}

fn unescape(seq: &str) -> String {
    match seq {
        "\\n" => "\n".to_owned(),
        "\\t" => "\t".to_owned(),
        "\\r" => "\r".to_owned(),
        "\\s" => " ".to_owned(),
        "\\0" => "\0".to_owned(),
        _ => seq.chars().skip(1).collect(),
    }
}
