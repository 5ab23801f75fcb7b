//! Calls the evaluator remembers: a function of the project called again
//! with the same arguments is evaluated once.

use super::mfa::Mfa;
use super::value::{Item, Val, Value};

/// Calls whose values the evaluator remembers, at most.
pub(super) const MEMO_ENTRIES: usize = 4096;

/// Values larger than this ([`Val::size`]) are not remembered.
pub(super) const MEMO_VALUE_SIZE: u32 = 2_000;

/// Arguments larger than this are not looked up: the key costs their size.
pub(super) const MEMO_ARGS_SIZE: u32 = 256;

/// The key a call's value is remembered under: a hash of the function
/// and its arguments with every part's place (a value keeps the places of
/// the arguments it is built from), conditions included. None for
/// arguments holding a fun or a process, whose keys do not tell them
/// apart, or too large ones.
pub(super) fn memo_key(f: &Mfa, args: &[Val]) -> Option<(u64, u64)> {
    use std::hash::{Hash, Hasher};
    pub(super) fn walk(v: &Val, h: &mut impl Hasher) -> Option<()> {
        if let Some(l) = v.loc() {
            (&*l.file, l.line, l.column).hash(h);
        }
        std::mem::discriminant(v.kind()).hash(h);
        match v.kind() {
            Value::Fun(_) | Value::Pid(_) => return None,
            Value::Tuple(es) => {
                es.len().hash(h);
                for e in es {
                    walk(e, h)?;
                }
            }
            Value::List(items) => {
                items.len().hash(h);
                for i in items {
                    match i {
                        Item::One(e) => {
                            0u8.hash(h);
                            walk(e, h)?;
                        }
                        Item::Splice(e) => {
                            1u8.hash(h);
                            walk(e, h)?;
                        }
                        Item::Many { template, reason } => {
                            reason.hash(h);
                            walk(template, h)?;
                        }
                    }
                }
            }
            Value::Map(kvs) => {
                kvs.len().hash(h);
                for (k, x) in kvs {
                    walk(k, h)?;
                    walk(x, h)?;
                }
            }
            Value::Record { name, fields } => {
                name.hash(h);
                for (k, x) in fields {
                    k.hash(h);
                    walk(x, h)?;
                }
            }
            Value::Alt(alts) => {
                alts.len().hash(h);
                for (c, x) in alts {
                    c.hash(h);
                    walk(x, h)?;
                }
            }
            // Told apart as their keys tell them (each kind prints its
            // own way, one text per value), without printing them.
            Value::Atom(t) | Value::Str(t) | Value::Binary(t) => t.hash(h),
            Value::Int(i) => i.hash(h),
            _ => v.key_fp().hash(h),
        }
        Some(())
    }
    if args.iter().map(Val::size).sum::<u32>() > MEMO_ARGS_SIZE {
        return None;
    }
    // Two hashes with different seeds: a collision would give a call the
    // value of another. foldhash rather than SipHash: the key walks every
    // part of the arguments, their files' names included, and SipHash was
    // 2.5% of `tree` on OTP's lib. Fixed seeds: the same keys every run.
    use std::hash::BuildHasher;
    let mut h = Both(
        foldhash::quality::FixedState::with_seed(0x243f_6a88_85a3_08d3).build_hasher(),
        foldhash::quality::FixedState::with_seed(0x9e37_79b9_7f4a_7c15).build_hasher(),
    );
    // One walk feeding both: the walk, not the hashing, was most of it.
    f.hash(&mut h);
    for v in args {
        walk(v, &mut h)?;
    }
    Some((h.0.finish(), h.1.finish()))
}

/// Two hashers fed the same parts.
struct Both<A, B>(A, B);

impl<A: std::hash::Hasher, B: std::hash::Hasher> std::hash::Hasher for Both<A, B> {
    fn finish(&self) -> u64 {
        self.0.finish()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.1.write(bytes);
    }

    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i);
        self.1.write_u8(i);
    }

    fn write_u16(&mut self, i: u16) {
        self.0.write_u16(i);
        self.1.write_u16(i);
    }

    fn write_u32(&mut self, i: u32) {
        self.0.write_u32(i);
        self.1.write_u32(i);
    }

    fn write_u64(&mut self, i: u64) {
        self.0.write_u64(i);
        self.1.write_u64(i);
    }

    fn write_u128(&mut self, i: u128) {
        self.0.write_u128(i);
        self.1.write_u128(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i);
        self.1.write_usize(i);
    }
}

/// What was found of a function: whether it may add children, and how
/// many calls deep below it that was looked for (a "no" found with less
/// depth than asked is looked for again).
#[derive(Debug, Clone, Copy)]
pub(super) enum Found {
    /// Being read: a call back into it (a recursion) adds nothing more.
    Reading,
    Adds,
    None(u8),
}

/// Memo of [`Found`] by function, for one evaluator (`super::adders`).
pub(super) type AddersMemo = std::collections::HashMap<Mfa, Found>;
