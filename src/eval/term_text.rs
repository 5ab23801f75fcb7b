//! Values printed in Erlang syntax (what `Val::to_erlang` gives) and the
//! fingerprints of those texts, which tell keys apart without printing them.

use std::fmt::Write;

use super::value::{Closure, Cond, Item, Val, Value};
use crate::syntax::print::{atom_text, string_text};

/// A fingerprint of a key text: its polynomial hashes modulo the Mersenne
/// prime 2^61 - 1 in two bases, and its length. The hash of a
/// concatenation follows from the hashes of its parts, which is what lets
/// [`Val::key_fp`] reuse the fingerprints of shared parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub(crate) struct KeyFp {
    h1: u64,
    h2: u64,
    len: u64,
}

const FP_PRIME: u64 = (1 << 61) - 1;
const FP_BASE1: u64 = 0x1f3d_5b79_a3c1_e5a7 % FP_PRIME;
const FP_BASE2: u64 = 0x2c6f_e0a3_7b19_d44b % FP_PRIME;

const fn fp_mul(a: u64, b: u64) -> u64 {
    let p = (a as u128) * (b as u128);
    let r = (p & (FP_PRIME as u128)) as u64 + (p >> 61) as u64;
    if r >= FP_PRIME {
        r - FP_PRIME
    } else {
        r
    }
}

/// `base^0 ..= base^8` modulo the prime.
const fn fp_pows(base: u64) -> [u64; 9] {
    let mut out = [1; 9];
    let mut i = 1;
    while i < 9 {
        out[i] = fp_mul(out[i - 1], base);
        i += 1;
    }
    out
}

const FP_POWS1: [u64; 9] = fp_pows(FP_BASE1);
const FP_POWS2: [u64; 9] = fp_pows(FP_BASE2);

/// `h` extended by `bytes` (each as its value plus one), as the byte by
/// byte `h = h * base + b + 1` gives, eight bytes at a time: the eight
/// products of a block do not wait on each other, where the byte by byte
/// form is one long chain of multiplications (the hashing of condition and
/// reason texts was a quarter of `tree`'s time on OTP).
pub(super) fn fp_bytes(mut h: u64, bytes: &[u8], pows: &[u64; 9]) -> u64 {
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        // Eight terms below the prime each: the sum fits in 64 bits.
        let mut sum = 0u64;
        for (j, &b) in block.iter().enumerate() {
            sum += fp_mul(u64::from(b) + 1, pows[7 - j]);
        }
        let sum = (sum & FP_PRIME) + (sum >> 61);
        let sum = if sum >= FP_PRIME { sum - FP_PRIME } else { sum };
        h = fp_add(fp_mul(h, pows[8]), sum);
    }
    for &b in blocks.remainder() {
        h = fp_add(fp_mul(h, pows[1]), u64::from(b) + 1);
    }
    h
}

pub(super) fn fp_add(a: u64, b: u64) -> u64 {
    let r = a + b;
    if r >= FP_PRIME {
        r - FP_PRIME
    } else {
        r
    }
}

pub(super) fn fp_pow(mut base: u64, mut exp: u64) -> u64 {
    let mut acc = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = fp_mul(acc, base);
        }
        base = fp_mul(base, base);
        exp >>= 1;
    }
    acc
}

impl KeyFp {
    /// The fingerprint of `text` printed alone.
    pub(super) fn of_text(text: &str) -> KeyFp {
        let mut sink = FpSink::default();
        let _ = sink.write_str(text);
        sink.fp
    }

    /// The fingerprint of this text followed by `next`'s.
    fn then(self, next: KeyFp) -> KeyFp {
        KeyFp {
            h1: fp_add(fp_mul(self.h1, fp_pow(FP_BASE1, next.len)), next.h1),
            h2: fp_add(fp_mul(self.h2, fp_pow(FP_BASE2, next.len)), next.h2),
            len: self.len + next.len,
        }
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

#[derive(Default)]
pub(super) struct FpSink {
    pub(super) fp: KeyFp,
}

impl Write for FpSink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.fp.h1 = fp_bytes(self.fp.h1, s.as_bytes(), &FP_POWS1);
        self.fp.h2 = fp_bytes(self.fp.h2, s.as_bytes(), &FP_POWS2);
        self.fp.len += s.len() as u64;
        Ok(())
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
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
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
                // `u.describe()`, written in place.
                out.push('(');
                out.push_str(&u.reason);
                if let Some(l) = &u.loc {
                    let _ = write!(out, " ({l})");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_hash_is_the_byte_by_byte_hash() {
        let text: Vec<u8> = (0..200u32).map(|i| (i * 37 % 256) as u8).collect();
        for len in 0..text.len() {
            let mut slow = 0;
            for &b in &text[..len] {
                slow = fp_add(fp_mul(slow, FP_BASE1), u64::from(b) + 1);
            }
            assert_eq!(fp_bytes(0, &text[..len], &FP_POWS1), slow);
            assert_eq!(fp_bytes(12345, &text[..len], &FP_POWS1), {
                let mut h = 12345;
                for &b in &text[..len] {
                    h = fp_add(fp_mul(h, FP_BASE1), u64::from(b) + 1);
                }
                h
            });
        }
    }
}
