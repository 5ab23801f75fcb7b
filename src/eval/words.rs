//! Values in words, for people: every message, note and label that shows an
//! evaluated value goes through [`value`], so that the evaluator's own
//! notation (`?` for an unknown, `(A | B)` for alternatives, `...X` for a
//! spliced list) never reaches a reader. The JSON document keeps values in
//! their structure (`raw`, the fields); only its prose goes through here.
//!
//! - a known term is printed in Erlang syntax (`{local,my_sup}`);
//! - a part of a term that is not known is `…` (`{ok,…}`);
//! - a value not known at all is `unknown: <reason>`;
//! - alternatives are `one of: A, B`, or `depends on application env
//!   `app.key` (default: X)` when an env value decides between them;
//! - the text is cut at [`MAX_CHARS`] characters.

use super::value::{and3, Item, Val, Value, DOES_NOT_MATCH};

/// Longest text a value is shown with; past it the text ends in `...`.
pub(super) const MAX_CHARS: usize = 120;

/// Alternatives listed by name before the rest are counted.
const MAX_OPTIONS: usize = 4;

/// Alternatives looked at before the rest are counted: nested `Alt`s can
/// hold many leaves.
const MAX_LEAVES: usize = 64;

/// What stands for a part of a term that is not known.
const UNKNOWN_PART: &str = "…";

/// The value in words, at most [`MAX_CHARS`] characters.
pub(crate) fn value(v: &Val) -> String {
    cap(&describe(v), MAX_CHARS)
}

/// An argument in a call shown as Erlang (`init(…)`): the term, its parts
/// not known as [`UNKNOWN_PART`], at most [`MAX_CHARS`] characters.
pub(crate) fn argument(v: &Val) -> String {
    cap(&term(v), MAX_CHARS)
}

/// The reasons when no alternative of the value is known at all (an
/// unknown, or alternatives that are all unknown), joined by `; `: what to
/// say instead of "not a child spec: unknown".
pub(crate) fn unknown_reasons(v: &Val) -> Option<String> {
    let leaves = leaves(v);
    let mut reasons: Vec<String> = Vec::new();
    for (_, l) in &leaves {
        let Value::Unknown(u) = l.kind() else {
            return None;
        };
        let r = u.describe();
        if !reasons.contains(&r) {
            reasons.push(r);
        }
    }
    (!reasons.is_empty()).then(|| cap(&reasons.join("; "), MAX_CHARS * 2))
}

/// `text` in at most `max` characters, cut between alternatives,
/// elements or words, with what is left out counted (see
/// [`super::cut`]).
pub(crate) fn cap(text: &str, max: usize) -> String {
    super::cut::cut(text, max)
}

fn describe(v: &Val) -> String {
    match v.kind() {
        Value::Unknown(u) => {
            let mut out = String::from("unknown: ");
            u.describe_into(&mut out);
            out
        }
        Value::Alt(_) => alternatives(v),
        _ => term(v),
    }
}

/// The alternatives of a value, nested ones flattened, each with whether it
/// is the default build's (three-valued, as [`super::value::Cond::default`]).
fn leaves(v: &Val) -> Vec<(Option<bool>, Val)> {
    fn walk(v: &Val, default: Option<bool>, out: &mut Vec<(Option<bool>, Val)>) {
        if out.len() >= MAX_LEAVES {
            return;
        }
        match v.kind() {
            Value::Alt(alts) => {
                for (c, x) in alts {
                    walk(x, and3(default, c.default), out);
                }
            }
            _ => out.push((default, v.clone())),
        }
    }
    let mut out = Vec::new();
    walk(v, Some(true), &mut out);
    out
}

fn alternatives(v: &Val) -> String {
    let leaves = leaves(v);
    if let Some(text) = env_dependent(&leaves) {
        return text;
    }
    if let Some(reasons) = unknown_reasons(v) {
        return format!("unknown: {reasons}");
    }
    let mut known: Vec<String> = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    for (_, l) in &leaves {
        let (t, into) = match l.kind() {
            Value::Unknown(u) => (u.describe(), &mut reasons),
            _ => (cap(&term(l), MAX_CHARS / 2), &mut known),
        };
        if !into.contains(&t) {
            into.push(t);
        }
    }
    let mut text = match known.as_slice() {
        [one] if reasons.is_empty() => return one.clone(),
        _ if known.len() > MAX_OPTIONS => format!(
            "one of: {} and {} more",
            known[..MAX_OPTIONS].join(", "),
            known.len() - MAX_OPTIONS
        ),
        _ => format!("one of: {}", known.join(", ")),
    };
    if !reasons.is_empty() {
        // The known alternatives first: the reasons may be cut.
        text.push_str(&format!(
            ", or a value not known ({})",
            cap(&reasons.join("; "), MAX_CHARS * 3 / 4)
        ));
    }
    text
}

/// `depends on application env `app.key` (default: X)` when the values
/// other than the default build's are an application env value read at run
/// time, and only one env key is involved.
fn env_dependent(leaves: &[(Option<bool>, Val)]) -> Option<String> {
    const ENV: &str = "application env ";
    let mut key: Option<String> = None;
    let mut default: Option<&Val> = None;
    for (d, l) in leaves {
        match l.first_unknown() {
            Some(u) if u.reason.starts_with(ENV) => {
                let k = u.reason[ENV.len()..].to_owned();
                if key.as_ref().is_some_and(|x| *x != k) {
                    return None;
                }
                key = Some(k);
            }
            _ if *d == Some(true) && default.is_none() => default = Some(l),
            _ => return None,
        }
    }
    let key = key?;
    if key.starts_with('(') {
        // "application env (application or key not known)"
        return None;
    }
    Some(match default {
        Some(d) => format!(
            "depends on application env `{key}` (default: {})",
            cap(&term(d), MAX_CHARS / 2)
        ),
        None => format!("depends on application env `{key}`"),
    })
}

/// The term in Erlang syntax, parts not known as [`UNKNOWN_PART`]. Values
/// share parts, so a term can be far larger printed than in memory: the
/// walk stops once the text is past what [`cap`] keeps.
fn term(v: &Val) -> String {
    let mut out = String::new();
    write_term(&mut out, v);
    out
}

fn write_term(out: &mut String, v: &Val) {
    if out.len() > MAX_CHARS * 4 {
        return;
    }
    let seq = |out: &mut String, vs: &mut dyn Iterator<Item = &Val>| {
        for (i, e) in vs.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_term(out, e);
        }
    };
    match v.kind() {
        Value::Tuple(es) => {
            out.push('{');
            seq(out, &mut es.iter());
            out.push('}');
        }
        Value::List(items) if !v.is_concrete() => {
            // `"monitor|"++…`: text as text, not character codes.
            if let Some(parts) = super::term_text::text_with_unknown_parts(items) {
                for (n, p) in parts.iter().enumerate() {
                    if n > 0 {
                        out.push_str("++");
                    }
                    match p {
                        Ok(text) => out.push_str(&crate::syntax::print::string_text(text)),
                        Err(_) => out.push_str(UNKNOWN_PART),
                    }
                }
                return;
            }
            out.push('[');
            let mut last_unknown = false;
            for (n, i) in items.iter().enumerate() {
                let unknown = !matches!(i, Item::One(e) if !matches!(e.kind(), Value::Unknown(_) | Value::Alt(_)));
                // `[a,…,…]` says no more than `[a,…]`.
                if unknown && last_unknown {
                    continue;
                }
                if n > 0 {
                    out.push(',');
                }
                match i {
                    Item::One(e) => write_term(out, e),
                    Item::Splice(_) | Item::Many { .. } => out.push_str(UNKNOWN_PART),
                }
                last_unknown = unknown;
            }
            out.push(']');
        }
        Value::Map(kvs) if !v.is_concrete() => {
            let mut fields: Vec<String> = kvs
                .iter()
                .map(|(k, x)| format!("{} => {}", term(k), term(x)))
                .collect();
            fields.sort();
            out.push_str("#{");
            out.push_str(&fields.join(","));
            out.push('}');
        }
        Value::Record { name, fields } if !v.is_concrete() => {
            out.push('#');
            out.push_str(&crate::syntax::print::atom_text(name));
            out.push('{');
            for (i, (f, x)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&crate::syntax::print::atom_text(f));
                out.push_str(" = ");
                write_term(out, x);
            }
            out.push('}');
        }
        Value::Pid(p) => {
            out.push_str("<pid of ");
            write_term(out, &p.callback);
            out.push('>');
        }
        Value::Unknown(_) | Value::Alt(_) => out.push_str(UNKNOWN_PART),
        _ => out.push_str(&v.to_erlang()),
    }
}

/// The condition of a clause that takes whatever the clauses before it
/// did not ([`is_catch_all`]), in words: "`subject` does not match A or
/// B", the patterns cut at [`MAX_CHARS`] characters, not "matches _".
pub(crate) fn catch_all_text(
    subject: &str,
    clauses: &[crate::syntax::Clause],
    index: usize,
) -> String {
    let before: Vec<String> = clauses[..index.min(clauses.len())]
        .iter()
        .filter(|c| !is_catch_all(c))
        .map(super::clauses::clause_text)
        .collect();
    let patterns = match before.as_slice() {
        [] => return format!("{subject} is any value"),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    format!("{subject}{DOES_NOT_MATCH}{}", cap(&patterns, MAX_CHARS))
}

/// Whether a `case` clause takes whatever the earlier clauses did not
/// (`_ ->`, `Other ->`, no guard): its condition reads "does not match
/// A or B" ([`catch_all_text`]), not "matches _".
pub(crate) fn is_catch_all(c: &crate::syntax::Clause) -> bool {
    let lone_var = |text: &str| {
        text.starts_with(|ch: char| ch == '_' || ch.is_ascii_uppercase())
            && text.chars().all(|ch| ch == '_' || ch.is_alphanumeric())
    };
    c.guards.is_empty()
        && c.patterns.iter().all(|p| match &p.kind {
            // A variable prints as its name: read without printing it
            // (every clause of every call that may take several is asked).
            crate::syntax::ExprKind::Var(v) => lone_var(v),
            _ => lone_var(&p.to_string()),
        })
}

/// An operand in the reason of an operation not evaluated (`X == true`):
/// an unknown one by its reason, without its location, which the
/// operation's own reason gives.
pub(crate) fn operand(v: &Val) -> String {
    match v.kind() {
        Value::Unknown(u) => cap(&format!("({})", u.reason), MAX_CHARS / 2),
        _ => cap(&describe(v), MAX_CHARS / 2),
    }
}

/// A term as the JSON document prints it (`{listener,?}`, `?` for a part
/// not known) in words for people: `{listener,…}`. A `?` inside a quoted
/// atom or a string is text and stays.
pub(crate) fn term_text(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    // Unquoted parentheses appear in no printed term but alternatives,
    // `(a | b)`: a part not known either.
    let mut depth = 0usize;
    for c in term.chars() {
        if quote.is_none() && depth > 0 {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                '\'' | '"' => quote = Some(c),
                _ => {}
            }
            continue;
        }
        if quote.is_some() && depth > 0 {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if Some(c) == quote {
                quote = None;
            }
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => out.push('…'),
            None if c == '(' => {
                depth = 1;
                out.push('…');
            }
            None => out.push(c),
        }
    }
    out
}

/// A start MFA as the JSON prints it (`m:f(a,?)`) for people: its
/// arguments through [`term_text`] (`m:f(a,…)`).
pub(crate) fn call_text(call: &str) -> String {
    match (call.find('('), call.strip_suffix(')')) {
        (Some(open), Some(_)) if open + 1 < call.len() => format!(
            "{}({})",
            &call[..open],
            term_text(&call[open + 1..call.len() - 1])
        ),
        _ => term_text(call),
    }
}

/// The expressions of a `case` subject whose parts [`bound_literals`] and
/// [`subject_text`] read: those that bind no variable of their own.
fn written_through(k: &crate::syntax::ExprKind) -> bool {
    use crate::syntax::ExprKind as K;
    matches!(
        k,
        K::Call { .. } | K::Tuple(_) | K::List { .. } | K::BinaryOp { .. } | K::UnaryOp { .. }
    )
}

/// The variables of a `case` subject bound to an atom or an integer, each
/// with its value as an expression, for [`subject_text`]; only those
/// outside any clause or fun, which may bind the name again. Empty (no
/// allocation) for most subjects.
pub(crate) fn bound_literals(
    subject: &crate::syntax::Expr,
    env: &super::value::Env,
) -> Vec<(String, crate::syntax::ExprKind)> {
    fn walk(
        e: &crate::syntax::Expr,
        env: &super::value::Env,
        out: &mut Vec<(String, crate::syntax::ExprKind)>,
    ) {
        use crate::syntax::ExprKind as K;
        match &e.kind {
            K::Var(name) => {
                let literal = env.get(name).and_then(|v| match v.kind() {
                    Value::Atom(a) => Some(K::Atom(a.clone())),
                    Value::Int(i) => Some(K::Integer {
                        value: Some((*i).into()),
                        text: i.to_string().into_boxed_str(),
                        char: false,
                    }),
                    _ => None,
                });
                if let Some(literal) = literal {
                    out.push((name.clone(), literal));
                }
            }
            k if written_through(k) => e.for_each_child(&mut |c, _| walk(c, env, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(subject, env, &mut out);
    out
}

/// A `case` subject as written, with the variables of `bound` (from
/// [`bound_literals`]) written as their values: a helper's `case
/// application:get_env(router, Key, Default) of` reads
/// `application:get_env(router, is_chain_dead, false)` in the condition
/// of a child its caller starts.
pub(crate) fn subject_text(
    subject: &crate::syntax::Expr,
    bound: &[(String, crate::syntax::ExprKind)],
) -> String {
    if bound.is_empty() {
        return subject.to_string();
    }
    fn put(e: &mut crate::syntax::Expr, bound: &[(String, crate::syntax::ExprKind)]) {
        use crate::syntax::ExprKind as K;
        if let K::Var(name) = &e.kind {
            if let Some((_, literal)) = bound.iter().find(|(n, _)| n == name) {
                e.kind = literal.clone();
            }
            return;
        }
        if written_through(&e.kind) {
            e.for_each_child_mut(&mut |c| put(c, bound));
        }
    }
    let mut written = subject.clone();
    put(&mut written, bound);
    written.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::value::Cond;
    use super::*;

    fn a(s: &str) -> Val {
        Val::atom(s, None)
    }

    fn unknown(r: &str) -> Val {
        Val::unknown(r, None)
    }

    fn alt(vs: Vec<(Option<bool>, Val)>) -> Val {
        Val::new(
            Value::Alt(
                vs.into_iter()
                    .enumerate()
                    .map(|(i, (d, v))| (Cond::new(format!("c{i}"), d), v))
                    .collect(),
            ),
            None,
        )
    }

    /// What the evaluator's notation looked like in messages before: none
    /// of it may appear.
    fn assert_no_notation(text: &str) {
        for raw in ["?", " | ", "(?", "...(", "[...", "matches _"] {
            assert!(!text.contains(raw), "{raw:?} in {text:?}");
        }
    }

    #[test]
    fn known_terms_are_erlang() {
        let v = Val::tuple(vec![a("local"), a("my_sup")], None);
        assert_eq!(value(&v), "{local,my_sup}");
    }

    #[test]
    fn unknown_parts_are_an_ellipsis() {
        let v = Val::tuple(vec![a("local"), unknown("argument")], None);
        assert_eq!(value(&v), "{local,…}");
        let l = Val::new(
            Value::List(vec![
                Item::One(a("x")),
                Item::Splice(unknown("a")),
                Item::Splice(unknown("b")),
            ]),
            None,
        );
        assert_eq!(value(&l), "[x,…]");
    }

    #[test]
    fn an_unknown_says_why() {
        assert_eq!(
            value(&unknown("evaluation limit: too many steps")),
            "unknown: evaluation limit: too many steps"
        );
    }

    #[test]
    fn nested_unknown_alternatives_are_their_reasons() {
        // `((? | ?) | ?)`, as a fold over a list not known gives.
        let inner = alt(vec![(None, unknown("r1")), (None, unknown("r2"))]);
        let v = alt(vec![(None, inner), (None, unknown("r1"))]);
        let text = value(&v);
        assert_no_notation(&text);
        assert_eq!(text, "unknown: r1; r2");
        assert_eq!(unknown_reasons(&v).as_deref(), Some("r1; r2"));
        assert_eq!(unknown_reasons(&a("x")), None);
    }

    #[test]
    fn alternatives_are_listed_once_each() {
        let ok = Val::tuple(vec![a("ok"), unknown("pid")], None);
        let err = Val::tuple(vec![a("error"), unknown("reason")], None);
        let v = alt(vec![(None, ok.clone()), (None, err), (None, ok)]);
        assert_eq!(value(&v), "one of: {ok,…}, {error,…}");
        let m = alt(vec![(Some(true), a("sup_global")), (None, unknown("host"))]);
        assert_eq!(value(&m), "one of: sup_global, or a value not known (host)");
    }

    #[test]
    fn many_alternatives_are_counted() {
        let v = alt((0..7).map(|i| (None, a(&format!("a{i}")))).collect());
        assert_eq!(value(&v), "one of: a0, a1, a2, a3 and 3 more");
    }

    #[test]
    fn env_values_name_the_key_and_default() {
        let v = alt(vec![
            (Some(true), Val::new(Value::Int(8080), None)),
            (Some(false), unknown("application env web.port")),
        ]);
        assert_eq!(
            value(&v),
            "depends on application env `web.port` (default: 8080)"
        );
    }

    #[test]
    fn long_texts_are_cut() {
        let v = Val::list((0..60).map(|i| a(&format!("atom{i}"))).collect(), None);
        let text = value(&v);
        assert!(text.chars().count() <= MAX_CHARS, "{text}");
        // Between elements, the rest counted and the list closed.
        assert!(text.starts_with("[atom0,atom1,"), "{text}");
        assert!(text.ends_with(",… and 44 more]"), "{text}");
    }

    #[test]
    fn unknown_parts_of_terms_are_an_ellipsis() {
        assert_eq!(term_text("{listener,?}"), "{listener,…}");
        assert_eq!(term_text("?"), "…");
        assert_eq!(term_text("{local,(a | (b | ?))}"), "{local,…}");
        assert_eq!(term_text("{'(x',(\")\" | ?)}"), "{'(x',…}");
        assert_eq!(term_text("{'a?',\"b?\\\"?\",?}"), "{'a?',\"b?\\\"?\",…}");
    }

    #[test]
    fn calls_keep_their_parentheses() {
        assert_eq!(call_text("m:f(a,?)"), "m:f(a,…)");
        assert_eq!(call_text("m:f()"), "m:f()");
        assert_eq!(call_text("m:f((x | ?),1)"), "m:f(…,1)");
    }
}
