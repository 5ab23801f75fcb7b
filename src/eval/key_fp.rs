//! Fingerprints of key texts: what tells values apart (`Val::key_fp`)
//! without printing them, computed as the text is written into an
//! [`FpSink`].

use std::fmt::Write;

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

/// The powers of one base, and for each place `j` of an eight-byte block
/// and each byte value `b`, `(b + 1) * base^(7 - j)`: a block's sum is
/// eight table reads where it was eight multiplications modulo the prime
/// (hashing the texts of values and conditions was 5% of `tree` on OTP's
/// lib). A block of `r < 8` bytes reads places `8 - r ..`, whose powers
/// are those of its own bytes.
pub(super) struct FpBase {
    pows: [u64; 9],
    table: [[u64; 256]; 8],
}

const fn fp_base(base: u64) -> FpBase {
    let pows = fp_pows(base);
    let mut table = [[0; 256]; 8];
    let mut j = 0;
    while j < 8 {
        let mut b = 0;
        while b < 256 {
            table[j][b] = fp_mul(b as u64 + 1, pows[7 - j]);
            b += 1;
        }
        j += 1;
    }
    FpBase { pows, table }
}

static FP1: FpBase = fp_base(FP_BASE1);
static FP2: FpBase = fp_base(FP_BASE2);

/// `h` extended by `bytes` (each as its value plus one), as the byte by
/// byte `h = h * base + b + 1` gives, eight bytes at a time: one
/// multiplication modulo the prime per block, where the byte by byte form
/// is one per byte.
pub(super) fn fp_bytes(mut h: u64, bytes: &[u8], base: &FpBase) -> u64 {
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        h = fp_add(fp_mul(h, base.pows[8]), block_sum(block, &base.table));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let places = &base.table[8 - rest.len()..];
        h = fp_add(fp_mul(h, base.pows[rest.len()]), block_sum(rest, places));
    }
    h
}

/// The sum of `table[j][bytes[j]]`, reduced: eight terms below the prime
/// each, so the sum fits in 64 bits.
fn block_sum(bytes: &[u8], table: &[[u64; 256]]) -> u64 {
    let mut sum = 0u64;
    for (&b, place) in bytes.iter().zip(table) {
        sum += place[usize::from(b)];
    }
    let sum = (sum & FP_PRIME) + (sum >> 61);
    if sum >= FP_PRIME {
        sum - FP_PRIME
    } else {
        sum
    }
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

/// `base^0 .. base^(POWS - 1)`: the powers [`KeyFp::then`] raises a base
/// to are the lengths of parts, most of them short (an atom, a number).
const POWS: usize = 256;

const fn pow_table(base: u64) -> [u64; POWS] {
    let mut out = [1; POWS];
    let mut i = 1;
    while i < POWS {
        out[i] = fp_mul(out[i - 1], base);
        i += 1;
    }
    out
}

static POW1: [u64; POWS] = pow_table(FP_BASE1);
static POW2: [u64; POWS] = pow_table(FP_BASE2);

/// `base^exp`, from `table` (its powers) when there.
fn pow_of(base: u64, table: &[u64; POWS], exp: u64) -> u64 {
    match usize::try_from(exp) {
        Ok(i) if i < POWS => table[i],
        _ => fp_pow(base, exp),
    }
}

impl KeyFp {
    /// The fingerprint of `text` printed alone.
    pub(super) fn of_text(text: &str) -> KeyFp {
        let mut sink = FpSink::default();
        let _ = sink.write_str(text);
        sink.fp
    }

    /// The fingerprint of this text followed by `next`'s.
    pub(super) fn then(self, next: KeyFp) -> KeyFp {
        KeyFp {
            h1: fp_add(fp_mul(self.h1, pow_of(FP_BASE1, &POW1, next.len)), next.h1),
            h2: fp_add(fp_mul(self.h2, pow_of(FP_BASE2, &POW2, next.len)), next.h2),
            len: self.len + next.len,
        }
    }
}

#[derive(Default)]
pub(super) struct FpSink {
    pub(super) fp: KeyFp,
}

impl Write for FpSink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.fp.h1 = fp_bytes(self.fp.h1, s.as_bytes(), &FP1);
        self.fp.h2 = fp_bytes(self.fp.h2, s.as_bytes(), &FP2);
        self.fp.len += s.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_fingerprints_are_the_fingerprint_of_the_joined_text() {
        let text: String = (0..200u8).map(|i| char::from(b'a' + i % 26)).collect();
        for len in [0, 1, 7, 63, 64, 65, 150] {
            let (a, b) = text.split_at(text.len() - len);
            assert_eq!(
                KeyFp::of_text(a).then(KeyFp::of_text(b)),
                KeyFp::of_text(&text)
            );
        }
    }

    #[test]
    fn tabled_powers_are_the_powers() {
        for exp in [0, 1, 2, 7, 100, 255, 256, 1000] {
            assert_eq!(pow_of(FP_BASE1, &POW1, exp), fp_pow(FP_BASE1, exp));
            assert_eq!(pow_of(FP_BASE2, &POW2, exp), fp_pow(FP_BASE2, exp));
        }
    }

    #[test]
    fn block_hash_is_the_byte_by_byte_hash() {
        let text: Vec<u8> = (0..200u32).map(|i| (i * 37 % 256) as u8).collect();
        for (base, fp) in [(FP_BASE1, &FP1), (FP_BASE2, &FP2)] {
            for len in 0..text.len() {
                for start in [0, 12345] {
                    let mut slow = start;
                    for &b in &text[..len] {
                        slow = fp_add(fp_mul(slow, base), u64::from(b) + 1);
                    }
                    assert_eq!(fp_bytes(start, &text[..len], fp), slow);
                }
            }
        }
    }
}
