//! The condition of a function clause in words: which argument decides
//! and what it must be, not the clause head (`clause merge([], Children)`
//! said nothing a reader could act on). "the 1st argument of
//! merge/2 is empty (plugin specs not known)", "the 2nd argument of
//! socket_count/2 is not {win32, _} (the OS type ...)".

use std::cell::OnceCell;

use super::value::{Val, Value};
use super::words::{cap, value};
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::Clause;

/// Longest text of the argument's value in a condition.
const SUBJECT_CHARS: usize = 60;

/// Longest text of a pattern in a condition.
const PATTERN_CHARS: usize = 60;

/// The condition under which `callee` (`merge/2`, `a fun`) takes
/// `clauses[index]` for `args`, in words.
pub(super) fn clause_condition(
    callee: &str,
    clauses: &[Clause],
    index: usize,
    words: &ArgWords<'_>,
    alternatives: bool,
) -> String {
    let args = words.args;
    let subject = |i: usize| match args[i].kind() {
        Value::Alt(_) if !alternatives => String::new(),
        _ => words.subject(callee, i).to_owned(),
    };
    let c = &clauses[index];
    if super::words::is_catch_all(c) {
        return catch_all(callee, clauses, index, words, &subject);
    }
    let mut parts = Vec::new();
    for (i, (p, a)) in c.patterns.iter().zip(args).enumerate() {
        if !decides(c, p, a) {
            continue;
        }
        // Joined in place: the formatting machinery cost more than the text.
        let mut part = words.which(callee, i).to_owned();
        part.push(' ');
        part.push_str(&predicate(c, p));
        part.push_str(&subject(i));
        parts.push(part);
    }
    if parts.is_empty() {
        return fallback(callee, c);
    }
    parts.join(" and ")
}

/// A clause that takes every value the clauses before it did not
/// (`socket_count(Wanted, _)`): "is not" what they ask of the one
/// argument they test (`{win32, _}`, "a list" for `L when is_list(L)`).
fn catch_all(
    callee: &str,
    clauses: &[Clause],
    index: usize,
    words: &ArgWords<'_>,
    subject: &dyn Fn(usize) -> String,
) -> String {
    let args = words.args;
    let before: Vec<&Clause> = clauses[..index]
        .iter()
        .filter(|c| !super::words::is_catch_all(c))
        .collect();
    // What each earlier clause asks of argument `i`, when it asks
    // something that can be said ("{win32, _}", "a list").
    let asks = |c: &Clause, i: usize| -> Option<Option<String>> {
        let p = c.patterns.get(i)?;
        match &p.kind {
            ExprKind::Var(v) if guards_read(c, v) => {
                Some(Some(type_test(c, v).map(str::to_owned).or_else(|| {
                    Some(format!("{v} such that {}", guard_words(c)?))
                })?))
            }
            ExprKind::Var(_) => None,
            _ if c.guards.is_empty() => Some(Some(cap(&p.to_string(), PATTERN_CHARS))),
            _ => Some(None),
        }
    };
    let tested: Vec<usize> = (0..args.len())
        .filter(|&i| !args[i].is_concrete() && before.iter().any(|c| asks(c, i).is_some()))
        .collect();
    if let [i] = tested.as_slice() {
        let said: Option<Vec<String>> = before.iter().filter_map(|c| asks(c, *i)).collect();
        if let Some(said) = said {
            return format!(
                "{} is not {}{}",
                words.which(callee, *i),
                said.join(" or "),
                subject(*i)
            );
        }
    }
    if before.is_empty() {
        return fallback(callee, &clauses[index]);
    }
    format!(
        "{callee} takes none of its earlier clauses ({})",
        cap(
            &before
                .iter()
                .map(|c| super::clauses::clause_text(c))
                .collect::<Vec<_>>()
                .join("; "),
            super::words::MAX_CHARS
        )
    )
}

/// Whether argument pattern `p` can decide the clause for `a`: it tests
/// something (not a lone variable, or one its guard reads), on a value not
/// wholly known.
fn decides(c: &Clause, p: &Expr, a: &Val) -> bool {
    if a.is_concrete() {
        return false;
    }
    match &p.kind {
        ExprKind::Var(v) => v != "_" && guards_read(c, v),
        _ => true,
    }
}

fn guards_read(c: &Clause, var: &str) -> bool {
    let mut found = false;
    for g in c.guards.iter().flatten() {
        super::clauses::each_var(g, &mut |v| found |= v == var);
    }
    found
}

fn is_lone_var(p: &Expr) -> bool {
    matches!(&p.kind, ExprKind::Var(_))
}

/// The words of the arguments of one call, each written once: every
/// clause of the call that may be taken names the same arguments again
/// (their texts were a sixth of the evaluation's instructions).
pub(super) struct ArgWords<'a> {
    args: &'a [Val],
    /// [`super::words::argument`] of each argument.
    argument: Vec<OnceCell<String>>,
    /// [`which`] of each argument.
    which: Vec<OnceCell<String>>,
    /// [`subject`] of each argument.
    subject: Vec<OnceCell<String>>,
}

impl<'a> ArgWords<'a> {
    pub(super) fn new(args: &'a [Val]) -> ArgWords<'a> {
        let cells = || (0..args.len()).map(|_| OnceCell::new()).collect();
        ArgWords {
            args,
            argument: cells(),
            which: cells(),
            subject: cells(),
        }
    }

    fn argument(&self, i: usize) -> &str {
        self.argument[i].get_or_init(|| super::words::argument(&self.args[i]))
    }

    /// [`which`]: one callee per call, so each argument's is kept.
    fn which(&self, callee: &str, i: usize) -> &str {
        self.which[i].get_or_init(|| which(callee, i, self))
    }

    /// [`subject`], kept as [`ArgWords::which`].
    fn subject(&self, callee: &str, i: usize) -> &str {
        self.subject[i].get_or_init(|| subject(callee, &self.args[i]))
    }
}

/// "the 2nd argument of f/3", "the argument of f/1".
/// With the other arguments that are known (`os_mon:childspec(disksup,
/// …)`): they tell apart calls of one function.
fn which(callee: &str, i: usize, words: &ArgWords<'_>) -> String {
    let args = words.args;
    let n = args.len();
    if n == 1 {
        return format!("the argument of {callee}");
    }
    let known = args
        .iter()
        .enumerate()
        .any(|(k, a)| k != i && a.is_concrete() && words.argument(k).len() <= 30);
    let callee = match (known, callee.rsplit_once('/')) {
        (true, Some((name, _))) => {
            let shown: Vec<String> = args
                .iter()
                .enumerate()
                .map(|(k, a)| {
                    let text = words.argument(k);
                    if k != i && a.is_concrete() && text.len() <= 30 {
                        text.to_owned()
                    } else {
                        "…".to_owned()
                    }
                })
                .collect();
            format!("{name}({})", shown.join(", "))
        }
        _ => callee.to_owned(),
    };
    let ord = match i + 1 {
        1 => "1st".to_owned(),
        2 => "2nd".to_owned(),
        3 => "3rd".to_owned(),
        k => format!("{k}th"),
    };
    format!("the {ord} argument of {callee}")
}

/// What pattern `p` (with the clause's guard) asks of the argument.
fn predicate(c: &Clause, p: &Expr) -> String {
    match &p.kind {
        ExprKind::List { elems, tail: None } if elems.is_empty() => return "is empty".to_owned(),
        // `[C]`, `[A, B | T]`: how many elements, not the pattern.
        ExprKind::List { elems, tail } if elems.iter().all(is_lone_var) => {
            let n = elems.len();
            let s = if n == 1 { "" } else { "s" };
            match tail.as_deref() {
                None => return format!("has {n} element{s}"),
                Some(t) if is_lone_var(t) && n == 1 => return "is not empty".to_owned(),
                Some(t) if is_lone_var(t) => return format!("has at least {n} elements"),
                Some(_) => {}
            }
        }
        ExprKind::Var(v) => {
            if let Some(t) = type_test(c, v) {
                return format!("is {t}");
            }
        }
        _ => {}
    }
    let text = cap(&p.to_string(), PATTERN_CHARS);
    let guard = guard_words(c);
    match (&p.kind, super::clauses::has_vars(p), guard) {
        (ExprKind::Var(v), _, Some(g)) => format!("is {v} such that {g}"),
        (_, _, Some(g)) => format!("matches {text} such that {g}"),
        (_, false, None) => format!("is {text}"),
        (_, true, None) => format!("matches {text}"),
    }
}

/// The clause's guard for people: alternatives (`;`) joined by "or",
/// tests (`,`) by "and".
fn guard_words(c: &Clause) -> Option<String> {
    if c.guards.is_empty() {
        return None;
    }
    let text = c
        .guards
        .iter()
        .map(|g| {
            g.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join(" or ");
    Some(cap(&text, PATTERN_CHARS))
}

/// `is_integer(V)` as the clause's whole guard: "an integer".
fn type_test(c: &Clause, var: &str) -> Option<&'static str> {
    let [g] = c.guards.as_slice() else {
        return None;
    };
    let [test] = g.as_slice() else {
        return None;
    };
    let text = test.to_string();
    let name = text.strip_suffix(&format!("({var})"))?;
    Some(match name.strip_prefix("erlang:").unwrap_or(name) {
        "is_integer" => "an integer",
        "is_float" => "a float",
        "is_number" => "a number",
        "is_atom" => "an atom",
        "is_boolean" => "a boolean",
        "is_list" => "a list",
        "is_binary" => "a binary",
        "is_tuple" => "a tuple",
        "is_map" => "a map",
        "is_pid" => "a pid",
        "is_function" => "a fun",
        _ => return None,
    })
}

/// The argument's value in words: a value not known by its reason.
/// ` (<what the argument is>)`: a term with no known part (`[…]`) says
/// nothing, the reason of its first part not known instead; a reason
/// that only restates the argument (`the argument of f/1 (not started
/// from a tree)`, `argument 1`) is left out.
fn subject(callee: &str, a: &Val) -> String {
    let text = match a.kind() {
        Value::Unknown(u) => u.reason.clone(),
        _ => {
            let text = value(a);
            match a.first_unknown() {
                Some(u) if !text.chars().any(char::is_alphanumeric) => {
                    format!("not known: {}", u.reason)
                }
                // Alternatives none of which is known: the first reason,
                // without the place (cut, it ended mid-path).
                Some(u) if text.starts_with("unknown: ") => u.reason,
                _ => text,
            }
        }
    };
    if text.contains(callee) || text.starts_with("argument ") {
        return String::new();
    }
    format!(" ({})", cap(&text, SUBJECT_CHARS))
}

/// When no argument can be named: the clause, said as the one taken.
fn fallback(callee: &str, c: &Clause) -> String {
    format!(
        "{callee} takes its clause {}",
        cap(
            &super::clauses::clause_text_args(c),
            super::words::MAX_CHARS
        )
    )
}
