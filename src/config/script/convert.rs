//! Terms read from files as the evaluator's values, and the value a script
//! ends with back as terms. What the value leaves unknown is dropped at
//! the nearest list element that holds it, with a diagnostic each.

use std::sync::Arc;

use num_bigint::BigInt;

use crate::config::term::{Integer, Pos, Term, TermKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::value::{Closure, Item};
use crate::eval::{Loc, Val, Value};

/// The diagnostic code of what a script's value leaves unknown.
pub(crate) const NOT_SETTLED: &str = "script-not-settled";

/// A term of the file `rel` as a value placed where it was written.
pub(crate) fn term_to_val(t: &Term, rel: &Arc<str>) -> Val {
    let loc = Some(Loc {
        file: rel.clone(),
        line: t.pos.line,
        column: t.pos.column,
        end: 0,
    });
    let kind = match &t.kind {
        TermKind::Atom(a) => Value::Atom(a.clone()),
        TermKind::Integer(Integer::Small(i)) => Value::Int(i128::from(*i)),
        TermKind::Integer(Integer::Big(b)) => match i128::try_from(b) {
            Ok(i) => Value::Int(i),
            Err(_) => return Val::unknown("integer too large", loc),
        },
        TermKind::Float(f) => Value::Float(*f),
        TermKind::String(s) => Value::Str(s.clone()),
        TermKind::Binary {
            bytes,
            trailing_bits: 0,
        } => match String::from_utf8(bytes.clone()) {
            Ok(s) => Value::Binary(s),
            Err(_) => return Val::unknown("a binary that is not UTF-8 text", loc),
        },
        TermKind::Binary { .. } => {
            return Val::unknown("a binary that is not a whole number of bytes", loc)
        }
        TermKind::Tuple(items) => Value::Tuple(items.iter().map(|x| term_to_val(x, rel)).collect()),
        TermKind::List { items, tail } => {
            let mut out: Vec<Item> = items
                .iter()
                .map(|x| Item::One(term_to_val(x, rel)))
                .collect();
            if let Some(tail) = tail {
                // An improper list's tail, as the evaluator holds one.
                out.push(Item::Splice(term_to_val(tail, rel)));
            }
            Value::List(out)
        }
        TermKind::Map(kvs) => Value::Map(
            kvs.iter()
                .map(|(k, v)| (term_to_val(k, rel), term_to_val(v, rel)))
                .collect(),
        ),
        TermKind::Fun {
            module,
            function,
            arity,
        } => Value::Fun(Arc::new(Closure::Named {
            module: module.clone(),
            function: function.clone(),
            arity: u32::from(*arity),
        })),
    };
    Val::new(kind, loc)
}

/// Turns a script's value into terms.
pub(crate) struct ToTerms<'a> {
    /// The script, for diagnostics about values with no place of their own.
    pub(crate) rel: &'a str,
    /// The file `CONFIG` was read from: an entry the script passes through
    /// unchanged keeps its place there.
    pub(crate) config_file: Option<&'a str>,
    /// The file of the top-level term being converted: positions are kept
    /// for the parts written in it, the others are placed at `line`.
    pub(crate) origin: String,
    /// The line of the script's last expression.
    pub(crate) line: u32,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> ToTerms<'a> {
    /// A converter like this one with no diagnostics yet: for trying the
    /// alternatives of a value, whose diagnostics are kept or not after.
    fn scratch(&self) -> ToTerms<'a> {
        ToTerms {
            rel: self.rel,
            config_file: self.config_file,
            origin: self.origin.clone(),
            line: self.line,
            diagnostics: Vec::new(),
        }
    }

    /// The value as a term; `None` (with a diagnostic) when a part of it is
    /// not known. A list keeps the elements that are known.
    pub(super) fn term(&mut self, v: &Val) -> Option<Term> {
        let pos = self.pos(v);
        let kind = match v.kind() {
            Value::Atom(a) => TermKind::Atom(a.clone()),
            Value::Int(i) => TermKind::Integer(match i64::try_from(*i) {
                Ok(s) => Integer::Small(s),
                Err(_) => Integer::Big(BigInt::from(*i)),
            }),
            Value::Float(f) => TermKind::Float(*f),
            Value::Str(s) => TermKind::String(s.clone()),
            Value::Binary(s) => TermKind::Binary {
                bytes: s.as_bytes().to_vec(),
                trailing_bits: 0,
            },
            Value::Tuple(es) => {
                // Every element is converted so each unknown gets its diagnostic.
                let parts: Vec<Option<Term>> = es.iter().map(|e| self.term(e)).collect();
                TermKind::Tuple(parts.into_iter().collect::<Option<_>>()?)
            }
            Value::List(items) if improper_tail(items).is_some() => {
                let (last, init) = items.split_last()?;
                let head = Val::new(Value::List(init.to_vec()), v.loc().cloned());
                let Item::Splice(tail) = last else {
                    return None;
                };
                TermKind::List {
                    items: self.items(&head),
                    tail: Some(Box::new(self.term(tail)?)),
                }
            }
            Value::List(_) => {
                let items = self.items(v);
                // A list of characters is the string the term reader
                // would read for it (`[$a, $b]` and `"ab"` are one term).
                match printable(&items) {
                    Some(s) => TermKind::String(s),
                    None => TermKind::List { items, tail: None },
                }
            }
            Value::Map(kvs) => {
                let parts: Vec<Option<(Term, Term)>> = kvs
                    .iter()
                    .map(|(k, x)| Some((self.term(k)?, self.term(x)?)))
                    .collect();
                TermKind::Map(parts.into_iter().collect::<Option<_>>()?)
            }
            Value::Fun(c) => match c.as_ref() {
                Closure::Named {
                    module,
                    function,
                    arity,
                } if *arity <= 255 && !module.is_empty() => TermKind::Fun {
                    module: module.clone(),
                    function: function.clone(),
                    arity: *arity as u8,
                },
                _ => return self.unsettled(v, "a fun, which a configuration file cannot hold"),
            },
            Value::Record { name, .. } => {
                return self.unsettled(v, &format!("a #{name}{{}} record built by the script"))
            }
            Value::Pid(_) => return self.unsettled(v, "a process"),
            Value::Unknown(u) => {
                let reason = match &u.external {
                    Some(call) => format!("{call} is not a function otpmap evaluates"),
                    None => u.describe(),
                };
                return self.unsettled(v, &reason);
            }
            Value::Alt(alts) => {
                // Several possible values: settled only when they agree.
                let mut scratch = self.scratch();
                let terms: Option<Vec<Term>> = alts.iter().map(|(_, x)| scratch.term(x)).collect();
                if let Some(ts) = terms {
                    if ts.windows(2).all(|w| w[0] == w[1]) {
                        if let Some(t) = ts.into_iter().next() {
                            return Some(t);
                        }
                    }
                }
                return self.unsettled(v, &format!("depends on {}", which_holds(alts)));
            }
        };
        Some(Term { kind, pos })
    }

    /// The value as top-level terms (a list's elements, or the value
    /// itself), each with the file it is placed in: the script, or the
    /// file `CONFIG` was read from for an entry passed through unchanged.
    pub(crate) fn top_level(&mut self, v: &Val) -> Vec<(String, Term)> {
        let mut out = Vec::new();
        match v.kind() {
            Value::List(items) => {
                for i in items {
                    match i {
                        Item::One(x) => {
                            self.origin = self.file_of(x);
                            out.extend(self.term(x).map(|t| (self.origin.clone(), t)));
                        }
                        Item::Splice(x) if matches!(x.kind(), Value::List(_) | Value::Str(_)) => {
                            out.extend(self.top_level(x));
                        }
                        Item::Splice(x) if matches!(x.kind(), Value::Alt(_)) => {
                            out.extend(self.agreed_entries(x));
                        }
                        Item::Splice(x) => {
                            self.unsettled(x, "elements not known");
                        }
                        Item::Many { reason, template } => {
                            self.unsettled(template, &format!("elements built from {reason}"));
                        }
                    }
                }
            }
            Value::Str(_) => {
                self.origin = self.rel.to_owned();
                out.extend(self.items(v).into_iter().map(|t| (self.rel.to_owned(), t)));
            }
            _ => {
                self.origin = self.file_of(v);
                out.extend(self.term(v).map(|t| (self.origin.clone(), t)));
            }
        }
        out
    }

    /// The entries of a value that is one of several lists which every
    /// one of them has, the same: a script that changes one entry on a
    /// condition it cannot know (`case application:load(hipe) of {error, _}
    /// -> <CONFIG with dialyzer's options changed>; _ -> CONFIG end`) leaves
    /// the deps and releases as they are whichever branch runs. An entry
    /// that differs between the lists, or is in some only, is not known.
    fn agreed_entries(&mut self, v: &Val) -> Vec<(String, Term)> {
        let Value::Alt(alts) = v.kind() else {
            return Vec::new();
        };
        let mut lists = Vec::new();
        for (_, x) in alts {
            if !matches!(x.kind(), Value::List(_) | Value::Str(_)) {
                self.unsettled(v, "elements not known");
                return Vec::new();
            }
            let mut scratch = self.scratch();
            lists.push(scratch.top_level(x));
            // What a list leaves out is said once, not once per list.
            for d in scratch.diagnostics {
                if !self.diagnostics.contains(&d) {
                    self.diagnostics.push(d);
                }
            }
        }
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        let name = |t: &Term| -> String {
            match t.as_tuple().and_then(|t| t.first()).and_then(Term::as_atom) {
                Some(key) => format!("`{key}`"),
                None => "an entry".to_owned(),
            }
        };
        let mut agreed = Vec::new();
        let mut differing: Vec<String> = Vec::new();
        for e in first {
            if rest.iter().all(|l| l.contains(e)) {
                agreed.push(e.clone());
            } else if !differing.contains(&name(&e.1)) {
                differing.push(name(&e.1));
            }
        }
        for e in rest.iter().flatten() {
            if !first.contains(e) && !differing.contains(&name(&e.1)) {
                differing.push(name(&e.1));
            }
        }
        if !differing.is_empty() {
            self.unsettled(
                v,
                &format!(
                    "{} {} on {}",
                    differing.join(", "),
                    if differing.len() == 1 {
                        "depends"
                    } else {
                        "depend"
                    },
                    which_holds(alts)
                ),
            );
        }
        agreed
    }

    fn file_of(&self, v: &Val) -> String {
        match (v.loc(), self.config_file) {
            (Some(l), Some(c)) if *l.file == *c => c.to_owned(),
            _ => self.rel.to_owned(),
        }
    }

    /// The elements of a list value that are known.
    pub(crate) fn items(&mut self, v: &Val) -> Vec<Term> {
        let mut out = Vec::new();
        match v.kind() {
            Value::Str(s) => {
                let pos = self.pos(v);
                return s
                    .chars()
                    .map(|c| Term {
                        kind: TermKind::Integer(Integer::Small(i64::from(u32::from(c)))),
                        pos,
                    })
                    .collect();
            }
            Value::List(items) => {
                for i in items {
                    match i {
                        Item::One(x) => out.extend(self.term(x)),
                        Item::Splice(x) => match x.kind() {
                            Value::List(_) | Value::Str(_) => out.extend(self.items(x)),
                            _ => {
                                self.unsettled(x, "elements not known");
                            }
                        },
                        Item::Many { reason, template } => {
                            self.unsettled(template, &format!("elements built from {reason}"));
                        }
                    }
                }
            }
            _ => {
                self.unsettled(v, "not a list");
            }
        }
        out
    }

    fn pos(&self, v: &Val) -> Pos {
        match v.loc() {
            Some(l) if *l.file == *self.origin => Pos {
                line: l.line,
                column: l.column,
            },
            _ => Pos {
                line: self.line,
                column: 1,
            },
        }
    }

    fn unsettled(&mut self, v: &Val, reason: &str) -> Option<Term> {
        let line = match v.loc() {
            Some(l) if *l.file == *self.rel => l.line,
            _ => self.line,
        };
        self.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            NOT_SETTLED,
            self.rel,
            line,
            None,
            format!(
                "a value here is not known without running the script ({reason}): \
                 otpmap leaves it out and uses the rest (`--env NAME=VALUE` sets what \
                 os:getenv/1 reads)"
            ),
        ));
        None
    }
}

/// The text of a non-empty list of printable characters, as
/// `io_lib:printable_unicode_list/1` judges them.
fn printable(items: &[Term]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|t| match &t.kind {
            TermKind::Integer(Integer::Small(c)) => u32::try_from(*c)
                .ok()
                .and_then(char::from_u32)
                .filter(|ch| {
                    !ch.is_control()
                        || matches!(
                            ch,
                            '\n' | '\r' | '\t' | '\x0b' | '\x0c' | '\x08' | '\x1b' | '\x07'
                        )
                }),
            _ => None,
        })
        .collect()
}

/// The tail of an improper list: a last splice of a value that is known
/// and is no list.
fn improper_tail(items: &[Item]) -> Option<&Val> {
    match items.last() {
        Some(Item::Splice(t))
            if !matches!(
                t.kind(),
                Value::List(_) | Value::Str(_) | Value::Unknown(_) | Value::Alt(_)
            ) =>
        {
            Some(t)
        }
        _ => None,
    }
}

/// What a value of several alternatives depends on, in words: its one
/// condition, or "which of these holds: A; B" (the branches of a `case`
/// the script takes on something only the node knows).
fn which_holds(alts: &[(crate::eval::value::Cond, Val)]) -> String {
    let conds: Vec<&str> = alts.iter().map(|(c, _)| c.text.as_str()).collect();
    match conds.as_slice() {
        [one] => (*one).to_owned(),
        _ => format!("which of these holds: {}", conds.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::Cond;

    /// Alternatives read as "which of these holds", not with a slash.
    #[test]
    fn alternatives_say_which_condition_holds() {
        let alt = |text: &str| {
            (
                Cond::new(text, None),
                Val::new(Value::Atom("x".into()), None),
            )
        };
        assert_eq!(which_holds(&[alt("A matches true")]), "A matches true");
        assert_eq!(
            which_holds(&[alt("A matches true"), alt("A matches false")]),
            "which of these holds: A matches true; A matches false"
        );
    }
}
