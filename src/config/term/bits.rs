//! Building a binary from literal segments, as `erl_parse:normalise/1`
//! does through `eval_bits`: `<<"é"/utf8, 256:16/little, 1:4>>`.

use super::value::{Integer, Term, TermKind};

/// Binaries larger than this, all the binaries of one file together, are
/// refused rather than allocated (Erlang would build `<<0:1000000000>>`;
/// no configuration needs it). Per file, not per binary: a few hundred
/// bytes of `<<0:134217727>>.` lines would otherwise take gigabytes.
pub(crate) const MAX_BINARY_BITS: usize = 1 << 27;

/// A bit string being built: whole bytes, the last one possibly partial
/// (its valid bits are the high ones).
#[derive(Debug)]
pub(crate) struct BitBuf {
    bytes: Vec<u8>,
    bits: usize,
    /// The most bits this binary may reach (see [`BitBuf::set_room`]).
    limit: usize,
}

impl Default for BitBuf {
    fn default() -> BitBuf {
        BitBuf {
            bytes: Vec::new(),
            bits: 0,
            limit: MAX_BINARY_BITS,
        }
    }
}

impl BitBuf {
    /// Lets the bit string grow by at most `room` more bits.
    pub(crate) fn set_room(&mut self, room: usize) {
        self.limit = self.bits.saturating_add(room);
    }

    /// The number of bits so far.
    pub(crate) fn bit_len(&self) -> usize {
        self.bits
    }

    fn push_bit(&mut self, bit: bool) {
        if self.bits % 8 == 0 {
            self.bytes.push(0);
        }
        if bit {
            if let Some(last) = self.bytes.last_mut() {
                *last |= 0x80 >> (self.bits % 8);
            }
        }
        self.bits += 1;
    }

    /// Appends the first `count` bits of `src` (high bit first).
    fn push_bits(&mut self, src: &[u8], count: usize) {
        if self.bits % 8 == 0 && count % 8 == 0 {
            self.bytes.extend_from_slice(&src[..count / 8]);
            self.bits += count;
            return;
        }
        // Unaligned: whole source bytes split across two output bytes
        // (bit by bit, `<<1:3, 0:100000000>>` took seconds).
        let shift = self.bits % 8;
        let whole = if shift == 0 { 0 } else { count / 8 };
        for &byte in &src[..whole] {
            if let Some(last) = self.bytes.last_mut() {
                *last |= byte >> shift;
            }
            self.bytes.push(byte << (8 - shift));
            self.bits += 8;
        }
        for i in whole * 8..count {
            self.push_bit(src[i / 8] & (0x80 >> (i % 8)) != 0);
        }
    }

    /// Appends the low `count` (at most 8) bits of `byte`.
    fn push_low_bits(&mut self, byte: u8, count: usize) {
        for i in (0..count).rev() {
            self.push_bit(byte >> i & 1 == 1);
        }
    }

    /// The finished binary as a term kind.
    pub(crate) fn into_kind(self) -> TermKind {
        TermKind::Binary {
            bytes: self.bytes,
            trailing_bits: (self.bits % 8) as u8,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SegType {
    Integer,
    Float,
    /// `binary` (unit 8 by default) and `bitstring`/`bits` (unit 1).
    Binary,
    Utf8,
    Utf16,
    Utf32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Big,
    Little,
}

/// The type specifiers after `/`, merged like `erl_bits:set_bit_type/2`.
#[derive(Debug, Default)]
struct Spec {
    ty: Option<SegType>,
    unit: Option<u32>,
    signed: Option<bool>,
    endian: Option<Endian>,
}

fn merge<T: PartialEq + Copy>(slot: &mut Option<T>, value: T, what: &str) -> Result<(), String> {
    match slot {
        Some(old) if *old != value => Err(format!("conflicting {what} in type specifiers")),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

impl Spec {
    fn from_list(list: &[(String, Option<Integer>)]) -> Result<Spec, String> {
        let mut spec = Spec::default();
        for (name, arg) in list {
            match (name.as_str(), arg) {
                ("unit", Some(n)) => {
                    let unit = small(n)
                        .filter(|u| (1..=256).contains(u))
                        .ok_or_else(|| format!("unit must be from 1 to 256, not {n}"))?;
                    merge(&mut spec.unit, unit as u32, "units")?;
                }
                (_, Some(n)) => {
                    return Err(format!("unknown type specifier `{name}:{n}`"));
                }
                ("integer", None) => merge(&mut spec.ty, SegType::Integer, "types")?,
                ("float", None) => merge(&mut spec.ty, SegType::Float, "types")?,
                ("binary", None) => merge(&mut spec.ty, SegType::Binary, "types")?,
                ("bytes", None) => {
                    merge(&mut spec.ty, SegType::Binary, "types")?;
                    merge(&mut spec.unit, 8, "units")?;
                }
                ("bitstring" | "bits", None) => {
                    merge(&mut spec.ty, SegType::Binary, "types")?;
                    merge(&mut spec.unit, 1, "units")?;
                }
                ("utf8", None) => merge(&mut spec.ty, SegType::Utf8, "types")?,
                ("utf16", None) => merge(&mut spec.ty, SegType::Utf16, "types")?,
                ("utf32", None) => merge(&mut spec.ty, SegType::Utf32, "types")?,
                ("signed", None) => merge(&mut spec.signed, true, "signedness")?,
                ("unsigned", None) => merge(&mut spec.signed, false, "signedness")?,
                ("big", None) => merge(&mut spec.endian, Endian::Big, "endianness")?,
                ("little", None) => merge(&mut spec.endian, Endian::Little, "endianness")?,
                ("native", None) => {
                    let native = if cfg!(target_endian = "little") {
                        Endian::Little
                    } else {
                        Endian::Big
                    };
                    merge(&mut spec.endian, native, "endianness")?;
                }
                (other, None) => return Err(format!("unknown type specifier `{other}`")),
            }
        }
        Ok(spec)
    }
}

/// A segment's size after evaluation: bits to take, or the whole value.
enum Size {
    All,
    Bits(usize),
}

/// Evaluates one segment `value:size/types` onto `out`.
pub(crate) fn push_segment(
    out: &mut BitBuf,
    value: &Term,
    size: Option<&Term>,
    types: &[(String, Option<Integer>)],
) -> Result<(), String> {
    let spec = Spec::from_list(types)?;
    let ty = spec.ty.unwrap_or(SegType::Integer);
    let is_utf = matches!(ty, SegType::Utf8 | SegType::Utf16 | SegType::Utf32);
    if is_utf {
        let undefined_size = size.is_none_or(|s| s.as_atom() == Some("undefined"));
        if !undefined_size || spec.unit.is_some() {
            return Err("a utf8/utf16/utf32 segment takes no size or unit".into());
        }
    }
    if size.is_none() && spec.unit.is_some() && matches!(ty, SegType::Integer | SegType::Float) {
        return Err("a unit needs an explicit size".into());
    }
    let unit = spec
        .unit
        .unwrap_or(if ty == SegType::Binary { 8 } else { 1 });
    let endian = spec.endian.unwrap_or(Endian::Big);
    let size = match (size, ty) {
        (_, SegType::Utf8 | SegType::Utf16 | SegType::Utf32) => Size::All,
        (None, SegType::Binary) => Size::All,
        (None, SegType::Integer) => Size::Bits(8),
        (None, SegType::Float) => Size::Bits(64),
        (Some(term), _) => evaluate_size(term, ty, unit, out)?,
    };
    let segment = Segment {
        ty,
        size,
        unit,
        endian,
    };
    if let TermKind::String(s) = &value.kind {
        // A string stands for its characters, each with the segment's type;
        // an empty one is still checked, as `eval_bits` does.
        if s.is_empty() {
            return segment.push(
                &mut BitBuf::default(),
                &TermKind::Integer(Integer::Small(0)),
            );
        }
        for c in s.chars() {
            segment.push(
                out,
                &TermKind::Integer(Integer::Small(i64::from(u32::from(c)))),
            )?;
        }
        return Ok(());
    }
    segment.push(out, &value.kind)
}

fn evaluate_size(term: &Term, ty: SegType, unit: u32, out: &BitBuf) -> Result<Size, String> {
    match &term.kind {
        TermKind::Atom(a) if a == "all" && ty == SegType::Binary => Ok(Size::All),
        TermKind::Integer(n) => {
            let bits = small(n)
                .filter(|n| *n >= 0)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| n.checked_mul(unit as usize))
                .ok_or_else(|| format!("invalid segment size {n}"))?;
            check_room(out, bits)?;
            Ok(Size::Bits(bits))
        }
        _ => Err(format!(
            "a segment size must be a non-negative integer, not `{}`",
            term.to_erlang()
        )),
    }
}

struct Segment {
    ty: SegType,
    size: Size,
    unit: u32,
    endian: Endian,
}

impl Segment {
    fn push(&self, out: &mut BitBuf, value: &TermKind) -> Result<(), String> {
        match (self.ty, value) {
            (SegType::Integer, TermKind::Integer(n)) => {
                let Size::Bits(bits) = self.size else {
                    return Err("an integer segment needs a numeric size".into());
                };
                check_room(out, bits)?;
                push_integer(out, n, bits, self.endian);
                Ok(())
            }
            (SegType::Float, TermKind::Integer(_) | TermKind::Float(_)) => {
                let f = match value {
                    TermKind::Float(f) => *f,
                    TermKind::Integer(Integer::Small(i)) => *i as f64,
                    TermKind::Integer(Integer::Big(b)) => {
                        b.to_string().parse::<f64>().unwrap_or(f64::INFINITY)
                    }
                    _ => 0.0,
                };
                if !f.is_finite() {
                    return Err("integer too large for a float segment".into());
                }
                let bytes: Vec<u8> = match self.size {
                    Size::Bits(64) => f.to_bits().to_be_bytes().to_vec(),
                    Size::Bits(32) => (f as f32).to_bits().to_be_bytes().to_vec(),
                    Size::Bits(16) => half_bits(f).to_be_bytes().to_vec(),
                    _ => return Err("a float segment must be 16, 32 or 64 bits".into()),
                };
                push_bytes(out, bytes, self.endian);
                Ok(())
            }
            (
                SegType::Binary,
                TermKind::Binary {
                    bytes,
                    trailing_bits,
                },
            ) => {
                let have = bit_len(bytes, *trailing_bits);
                let take = match self.size {
                    Size::All if have % self.unit as usize == 0 => have,
                    Size::All => {
                        return Err(format!(
                            "a binary of {have} bits is not a whole number of {}-bit units",
                            self.unit
                        ))
                    }
                    Size::Bits(n) if n <= have => n,
                    Size::Bits(n) => {
                        return Err(format!("segment takes {n} bits of a {have}-bit binary"))
                    }
                };
                check_room(out, take)?;
                out.push_bits(bytes, take);
                Ok(())
            }
            (SegType::Utf8 | SegType::Utf16 | SegType::Utf32, TermKind::Integer(n)) => {
                let c = small(n)
                    .and_then(|c| u32::try_from(c).ok())
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("{n} is not a Unicode code point"))?;
                check_room(out, 32)?;
                match self.ty {
                    SegType::Utf8 => {
                        let mut buf = [0; 4];
                        push_bytes(
                            out,
                            c.encode_utf8(&mut buf).as_bytes().to_vec(),
                            Endian::Big,
                        );
                    }
                    SegType::Utf16 => {
                        let mut buf = [0; 2];
                        for unit in c.encode_utf16(&mut buf) {
                            push_bytes(out, unit.to_be_bytes().to_vec(), self.endian);
                        }
                    }
                    _ => push_bytes(out, u32::from(c).to_be_bytes().to_vec(), self.endian),
                }
                Ok(())
            }
            (ty, _) => Err(format!(
                "{} segment cannot hold {}",
                type_name(ty),
                kind_name(value)
            )),
        }
    }
}

fn type_name(ty: SegType) -> &'static str {
    match ty {
        SegType::Integer => "an integer",
        SegType::Float => "a float",
        SegType::Binary => "a binary",
        SegType::Utf8 => "a utf8",
        SegType::Utf16 => "a utf16",
        SegType::Utf32 => "a utf32",
    }
}

fn kind_name(kind: &TermKind) -> &'static str {
    match kind {
        TermKind::Atom(_) => "an atom",
        TermKind::Integer(_) => "an integer",
        TermKind::Float(_) => "a float",
        TermKind::String(_) | TermKind::List { .. } => "a list",
        TermKind::Binary { .. } => "a binary",
        TermKind::Tuple(_) => "a tuple",
        TermKind::Map(_) => "a map",
        TermKind::Fun { .. } => "a fun",
    }
}

fn bit_len(bytes: &[u8], trailing_bits: u8) -> usize {
    if trailing_bits == 0 || bytes.is_empty() {
        bytes.len() * 8
    } else {
        bytes.len().saturating_sub(1) * 8 + usize::from(trailing_bits.min(7))
    }
}

fn check_room(out: &BitBuf, bits: usize) -> Result<(), String> {
    if out.bits.saturating_add(bits) > out.limit {
        return Err(format!(
            "binary too large (otpmap reads up to {} bytes of binaries per file)",
            MAX_BINARY_BITS / 8
        ));
    }
    Ok(())
}

/// Appends whole big-endian bytes, reversed for little-endian segments.
fn push_bytes(out: &mut BitBuf, mut bytes: Vec<u8>, endian: Endian) {
    if endian == Endian::Little {
        bytes.reverse();
    }
    let count = bytes.len() * 8;
    out.push_bits(&bytes, count);
}

/// Appends `n` as a `bits`-bit two's complement integer. A little-endian
/// segment whose size is not a whole number of bytes puts its low bytes
/// first and the remaining high bits last, as BEAM does.
fn push_integer(out: &mut BitBuf, n: &Integer, bits: usize, endian: Endian) {
    let len = bits.div_ceil(8);
    let (mut be, negative) = match n {
        Integer::Small(i) => (i.to_be_bytes().to_vec(), *i < 0),
        Integer::Big(b) => (b.to_signed_bytes_be(), b.sign() == num_bigint::Sign::Minus),
    };
    // Sign-extend or truncate to exactly `len` bytes of the value mod 2^(8*len).
    if be.len() < len {
        let fill = if negative { 0xff } else { 0 };
        let mut wide = vec![fill; len - be.len()];
        wide.extend_from_slice(&be);
        be = wide;
    } else {
        be.drain(..be.len() - len);
    }
    let partial = bits % 8;
    match endian {
        Endian::Big => {
            if partial == 0 {
                out.push_bits(&be, bits);
            } else if let Some((&first, rest)) = be.split_first() {
                out.push_low_bits(first, partial);
                out.push_bits(rest, bits - partial);
            }
        }
        Endian::Little => {
            // Whole bytes least significant first, in one copy (bit by bit,
            // `<<1:123333333/little>>` took seconds).
            let whole: Vec<u8> = be
                .iter()
                .skip(usize::from(partial != 0))
                .rev()
                .copied()
                .collect();
            out.push_bits(&whole, whole.len() * 8);
            if partial != 0 {
                if let Some(&first) = be.first() {
                    out.push_low_bits(first, partial);
                }
            }
        }
    }
}

/// The IEEE half-precision bits nearest to `f` (ties to even; too large
/// becomes infinity, as BEAM does).
fn half_bits(f: f64) -> u16 {
    let bits = f.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    if exp == 0 {
        // Zero or a double subnormal: far below the smallest half.
        return sign;
    }
    let half_exp = exp - 1023 + 15;
    if half_exp >= 0x1f {
        return sign | 0x7c00;
    }
    // A normal half keeps 11 significant bits; a subnormal one fewer per
    // step below the smallest exponent.
    let shift = 42 + if half_exp <= 0 { 1 - half_exp } else { 0 } as u32;
    if shift >= 64 {
        return sign;
    }
    let kept = mantissa >> shift;
    let rest = mantissa & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let rounded = if rest > half || (rest == half && kept & 1 == 1) {
        kept + 1
    } else {
        kept
    };
    let magnitude = if half_exp <= 0 {
        // Subnormal: a carry into bit 10 correctly gives the smallest normal.
        rounded
    } else {
        ((half_exp as u64) << 10) + rounded - (1 << 10)
    };
    if magnitude >= 0x7c00 {
        sign | 0x7c00
    } else {
        sign | magnitude as u16
    }
}

/// The value of `n` when it fits an `i64`.
fn small(n: &Integer) -> Option<i64> {
    match n {
        Integer::Small(i) => Some(*i),
        Integer::Big(b) => i64::try_from(b).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision() {
        assert_eq!(half_bits(1.0), 0x3c00);
        assert_eq!(half_bits(1.5), 0x3e00);
        assert_eq!(half_bits(-2.0), 0xc000);
        assert_eq!(half_bits(65504.0), 0x7bff);
        assert_eq!(half_bits(65520.0), 0x7c00);
        assert_eq!(half_bits(1.0e10), 0x7c00);
        assert_eq!(half_bits(2f64.powi(-24)), 0x0001);
        assert_eq!(half_bits(2f64.powi(-25)), 0x0000);
        assert_eq!(half_bits(2f64.powi(-14)), 0x0400);
        assert_eq!(half_bits(1.0 + 2f64.powi(-11)), 0x3c00);
        assert_eq!(half_bits(1.0 + 3.0 * 2f64.powi(-11)), 0x3c02);
    }
}
