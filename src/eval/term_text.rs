//! Values printed in Erlang syntax (what `Val::to_erlang` gives) and the
//! fingerprints of those texts ([`KeyFp`], written into an [`FpSink`]),
//! which tell keys apart without printing them.

use std::fmt::Write;

use super::key_fp::{FpSink, KeyFp};
use super::value::{push_int, Closure, Cond, Item, Val, Value};
use crate::syntax::print::{atom_text, string_text};

impl Val {
    /// The term in Erlang syntax as `io_lib:format("~tp")` prints it on one
    /// line (`{local,my_sup}`, `"text"`, `'Quoted'`). Unknown parts print
    /// as `?`.
    pub(crate) fn to_erlang(&self) -> String {
        let mut out = String::new();
        write_val(&mut out, self, false);
        out
    }

    /// A text that tells values apart, unknown ones by their reason: for
    /// merging the alternatives of a branch.
    #[cfg(test)]
    pub(crate) fn key(&self) -> String {
        let mut out = String::new();
        write_val(&mut out, self, true);
        out
    }

    /// A fingerprint of `Val::key` (kept for tests): equal keys give equal fingerprints,
    /// different ones differ but with negligible odds. Computed once per
    /// value from its parts' fingerprints, so in time linear in the number
    /// of distinct parts, where the key text itself can be exponential.
    pub(crate) fn key_fp(&self) -> KeyFp {
        if let Some(fp) = self.key_fp_cell().get() {
            return *fp;
        }
        let fp = stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            let mut sink = FpSink::default();
            write_term(&mut sink, self, true);
            sink.fp
        });
        *self.key_fp_cell().get_or_init(|| fp)
    }
}

/// Where [`write_term`] prints to: a text, or the fingerprint of one.
pub(super) trait TermSink: Write {
    /// A part of the term.
    fn val(&mut self, v: &Val, keyed: bool);
    /// The fields of a map, in the order of their printed text.
    fn map_fields(&mut self, kvs: &[(Val, Val)], keyed: bool);

    /// The text of a condition.
    fn cond_text(&mut self, c: &Cond) {
        self.push_str(&c.text);
    }

    fn push(&mut self, c: char) {
        let _ = self.write_char(c);
    }

    fn push_str(&mut self, s: &str) {
        let _ = self.write_str(s);
    }
}

impl TermSink for String {
    fn val(&mut self, v: &Val, keyed: bool) {
        write_val(self, v, keyed);
    }

    fn map_fields(&mut self, kvs: &[(Val, Val)], keyed: bool) {
        let mut parts: Vec<String> = kvs
            .iter()
            .map(|(k, v)| {
                let mut s = String::new();
                write_val(&mut s, k, keyed);
                s.push_str(" => ");
                write_val(&mut s, v, keyed);
                s
            })
            .collect();
        parts.sort();
        self.push_str(&parts.join(","));
    }
}

impl TermSink for FpSink {
    fn val(&mut self, v: &Val, keyed: bool) {
        debug_assert!(keyed, "fingerprints are of keys");
        self.fp = self.fp.then(v.key_fp());
    }

    fn cond_text(&mut self, c: &Cond) {
        self.fp = self.fp.then(c.text_fp());
    }

    fn map_fields(&mut self, kvs: &[(Val, Val)], keyed: bool) {
        // Ordered by fingerprint, not by text: the same fields in any order
        // still give one fingerprint, which is all equality needs.
        let mut parts: Vec<KeyFp> = kvs
            .iter()
            .map(|(k, v)| {
                let mut s = FpSink::default();
                s.val(k, keyed);
                let _ = s.write_str(" => ");
                s.val(v, keyed);
                s.fp
            })
            .collect();
        parts.sort();
        for (i, p) in parts.into_iter().enumerate() {
            if i > 0 {
                let _ = self.write_char(',');
            }
            self.fp = self.fp.then(p);
        }
    }
}

/// A list of characters with parts not known spliced in (`"a|" ++ X`):
/// its runs of text and the parts between them, when it has at least one
/// run of two or more characters and nothing else.
pub(super) fn text_with_unknown_parts(items: &[Item]) -> Option<Vec<Result<String, Val>>> {
    let mut parts: Vec<Result<String, Val>> = Vec::new();
    let mut longest = 0;
    for i in items {
        match i {
            Item::One(e) => {
                let c = e
                    .as_int()
                    .filter(|&c| printable(c))
                    .and_then(|c| u32::try_from(c).ok())
                    .and_then(char::from_u32)?;
                match parts.last_mut() {
                    Some(Ok(run)) => run.push(c),
                    _ => parts.push(Ok(c.to_string())),
                }
                if let Some(Ok(run)) = parts.last() {
                    longest = longest.max(run.chars().count());
                }
            }
            Item::Splice(e) => match e.kind() {
                Value::Str(t) => match parts.last_mut() {
                    Some(Ok(run)) => run.push_str(t),
                    _ => parts.push(Ok(t.clone())),
                },
                _ => parts.push(Err(e.clone())),
            },
            Item::Many { .. } => return None,
        }
    }
    (longest >= 2 && parts.iter().any(Result::is_err)).then_some(parts)
}

pub(super) fn printable(c: i128) -> bool {
    u32::try_from(c)
        .ok()
        .and_then(char::from_u32)
        .is_some_and(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
}

pub(super) fn write_float(out: &mut impl Write, f: f64) {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(out, "{f:.1}");
    } else {
        let _ = write!(out, "{f}");
    }
}

pub(super) fn write_val(out: &mut String, v: &Val, keyed: bool) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || write_term(out, v, keyed));
}

/// Prints `v` (its parts through [`TermSink::val`]).
pub(super) fn write_term<S: TermSink>(out: &mut S, v: &Val, keyed: bool) {
    let seq = |out: &mut S, vs: &[Val]| {
        for (i, e) in vs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.val(e, keyed);
        }
    };
    match v.kind() {
        Value::Atom(a) => out.push_str(&atom_text(a)),
        Value::Int(i) => push_int(out, *i),
        Value::Float(f) => write_float(out, *f),
        Value::Str(s) if s.is_empty() => out.push_str("[]"),
        Value::Str(s) => out.push_str(&string_text(s)),
        Value::Binary(s) => {
            out.push_str("<<");
            if !s.is_empty() {
                out.push_str(&string_text(s));
                if !s.chars().all(|c| (c as u32) < 256) {
                    out.push_str("/utf8");
                }
            }
            out.push_str(">>");
        }
        Value::Tuple(es) => {
            out.push('{');
            seq(out, es);
            out.push('}');
        }
        Value::List(items) => {
            let ints: Option<Vec<i128>> = items
                .iter()
                .map(|i| match i {
                    Item::One(e) => e.as_int(),
                    _ => None,
                })
                .collect();
            if let Some(cs) = ints.filter(|cs| !cs.is_empty() && cs.iter().all(|&c| printable(c))) {
                let s: String = cs
                    .iter()
                    .filter_map(|&c| u32::try_from(c).ok().and_then(char::from_u32))
                    .collect();
                out.push_str(&string_text(&s));
                return;
            }
            if let Some(parts) = text_with_unknown_parts(items) {
                // `"monitor|" ++ Name`: the known text as strings, not
                // character codes (couchdb's couch_epi ids printed as
                // `[99,111,117,...]`).
                for (n, p) in parts.iter().enumerate() {
                    if n > 0 {
                        out.push_str("++");
                    }
                    match p {
                        Ok(text) => out.push_str(&string_text(text)),
                        Err(e) => out.val(e, keyed),
                    }
                }
                return;
            }
            out.push('[');
            for (n, i) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                match i {
                    Item::One(e) => out.val(e, keyed),
                    Item::Splice(e) => {
                        out.push_str("...");
                        out.val(e, keyed);
                    }
                    Item::Many { template, .. } => {
                        out.val(template, keyed);
                        out.push_str("...");
                    }
                }
            }
            out.push(']');
        }
        Value::Map(kvs) => {
            out.push_str("#{");
            out.map_fields(kvs, keyed);
            out.push('}');
        }
        Value::Record { name, fields } => {
            out.push('#');
            out.push_str(&atom_text(name));
            out.push('{');
            for (i, (f, e)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&atom_text(f));
                out.push_str(" = ");
                out.val(e, keyed);
            }
            out.push('}');
        }
        Value::Fun(c) => match c.as_ref() {
            Closure::Named {
                module,
                function,
                arity,
            } => {
                let _ = write!(
                    out,
                    "fun {}:{}/{arity}",
                    atom_text(module),
                    atom_text(function)
                );
            }
            Closure::Lambda { clauses, .. } => {
                let _ = write!(out, "#Fun<{}>", clauses.first().map_or(0, |c| c.span.start));
            }
        },
        Value::Pid(p) => {
            out.push_str("<pid of ");
            out.val(&p.callback, keyed);
            out.push('>');
        }
        Value::Unknown(u) => {
            out.push('?');
            if keyed {
                // `u.describe()`, written in place (the `Loc` as it displays).
                out.push('(');
                out.push_str(&u.reason);
                if let Some(l) = &u.loc {
                    out.push_str(" (");
                    out.push_str(&l.file);
                    out.push(':');
                    push_int(out, i128::from(l.line));
                    out.push(')');
                }
                out.push(')');
            }
        }
        Value::Alt(alts) => {
            out.push('(');
            for (i, (c, e)) in alts.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                if keyed {
                    out.cond_text(c);
                    out.push_str(": ");
                }
                out.val(e, keyed);
            }
            out.push(')');
        }
    }
}
