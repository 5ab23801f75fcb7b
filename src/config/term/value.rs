//! A term read from a file: what it is, where it starts, and the error of
//! a file that is not a term. The reader's files build these; `mod.rs`
//! re-exports them, so no file of the reader imports `mod.rs`.

use std::fmt;

use num_bigint::BigInt;

/// A 1-based line and character column (tabs count as one character,
/// `\r\n` ends a line like `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A term with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// What the term is.
    pub kind: TermKind,
    /// Where its first character is (for a parenthesised term, the first
    /// character inside the parentheses).
    pub pos: Pos,
}

/// An integer: machine-sized when it fits, big otherwise (Erlang integers
/// are unbounded: `16#ffffffffffffffffffff` is valid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integer {
    /// Any value that fits an `i64`.
    Small(i64),
    /// Only values that do not fit an `i64`.
    Big(BigInt),
}

impl Integer {
    /// The integer for `value`, small when it fits.
    pub fn from_big(value: BigInt) -> Integer {
        match i64::try_from(&value) {
            Ok(small) => Integer::Small(small),
            Err(_) => Integer::Big(value),
        }
    }
}

impl fmt::Display for Integer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Integer::Small(i) => write!(f, "{i}"),
            Integer::Big(b) => write!(f, "{b}"),
        }
    }
}

/// The kinds of term `file:consult/1` can return.
#[derive(Debug, Clone, PartialEq)]
pub enum TermKind {
    /// An atom, plain or quoted, without quotes.
    Atom(String),
    /// Also what `$c` character literals read as.
    Integer(Integer),
    /// Always finite.
    Float(f64),
    /// A string literal (adjacent literals already joined). In Erlang it is a
    /// list of code points: `""` is the same term as `[]`.
    String(String),
    /// `<<...>>`, evaluated: `<<1:4>>` is one byte with 4 valid bits.
    Binary {
        /// The bytes; when the size is not a whole number of bytes the last
        /// one is partial and its valid bits are its high bits.
        bytes: Vec<u8>,
        /// The number of valid bits in the last byte, 0 when it is whole.
        trailing_bits: u8,
    },
    /// `{a, b}`.
    Tuple(Vec<Term>),
    /// `[a, b | Tail]`: `tail` is `None` for a proper list. The reader
    /// merges list and string tails (`[a|[b]]` reads as `[a, b]`), so a
    /// tail it produces is never a list or a string.
    List {
        /// The elements before the tail.
        items: Vec<Term>,
        /// What follows the elements of an improper list.
        tail: Option<Box<Term>>,
    },
    /// `#{K => V}` in source order (duplicates keep the last, as Erlang does,
    /// when compared canonically).
    Map(Vec<(Term, Term)>),
    /// `fun Module:Function/Arity`, the one kind of fun a term can hold (as
    /// in logger filters in `sys.config`).
    Fun {
        /// The module, an atom.
        module: String,
        /// The function name, an atom.
        function: String,
        /// From 0 to 255.
        arity: u8,
    },
}

/// A term that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pos_line}:{pos_column}: {message}", pos_line = pos.line, pos_column = pos.column)]
pub struct TermError {
    /// Where the problem is.
    pub(crate) pos: Pos,
    /// What is wrong, for a person.
    pub(crate) message: String,
}

impl Term {
    /// The atom's name, if this is an atom.
    pub(crate) fn as_atom(&self) -> Option<&str> {
        match &self.kind {
            TermKind::Atom(a) => Some(a),
            _ => None,
        }
    }

    /// The text of a string: a string literal, `[]`, or a proper list of
    /// character codes (how `"abc"` and `[$a,$b,$c]` are the same term).
    pub(crate) fn as_string(&self) -> Option<String> {
        match &self.kind {
            TermKind::String(s) => Some(s.clone()),
            TermKind::List { items, tail: None } => items
                .iter()
                .map(|t| match &t.kind {
                    TermKind::Integer(Integer::Small(c)) => {
                        u32::try_from(*c).ok().and_then(char::from_u32)
                    }
                    TermKind::String(s) => {
                        // ["ab" | ...] is not a string; but [$a, "b"] is an iolist
                        // that config readers also accept as text.
                        let mut cs = s.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => Some(c),
                            _ => None,
                        }
                    }
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// A binary's bytes read as UTF-8 text (`<<"1.2.0">>`).
    pub(crate) fn as_binary_text(&self) -> Option<String> {
        match &self.kind {
            TermKind::Binary {
                bytes,
                trailing_bits: 0,
            } => String::from_utf8(bytes.clone()).ok(),
            _ => None,
        }
    }

    /// Text from an atom, string or binary: versions and names appear as all
    /// three in real config files.
    pub(crate) fn as_text(&self) -> Option<String> {
        self.as_atom()
            .map(str::to_owned)
            .or_else(|| self.as_string())
            .or_else(|| self.as_binary_text())
    }

    /// The elements of a proper list; `""` counts as the empty list.
    pub(crate) fn as_list(&self) -> Option<&[Term]> {
        match &self.kind {
            TermKind::List { items, tail: None } => Some(items),
            TermKind::String(s) if s.is_empty() => Some(&[]),
            _ => None,
        }
    }

    /// The elements of a tuple.
    pub(crate) fn as_tuple(&self) -> Option<&[Term]> {
        match &self.kind {
            TermKind::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The value of a machine-sized integer.
    pub fn as_integer(&self) -> Option<i64> {
        match &self.kind {
            TermKind::Integer(Integer::Small(i)) => Some(*i),
            _ => None,
        }
    }

    /// For a tuple whose first element is the atom `tag`, the remaining
    /// elements: `{deps, [...]}` tagged `deps` gives `[[...]]`.
    pub(crate) fn tagged(&self, tag: &str) -> Option<&[Term]> {
        let items = self.as_tuple()?;
        match items.first() {
            Some(first) if first.as_atom() == Some(tag) => Some(&items[1..]),
            _ => None,
        }
    }

    /// The tag of a tagged tuple (`{tag, ...}`) or the atom itself (a bare
    /// atom in a proplist means `{atom, true}`).
    pub(crate) fn key(&self) -> Option<&str> {
        match &self.kind {
            TermKind::Atom(a) => Some(a),
            TermKind::Tuple(items) => items.first()?.as_atom(),
            _ => None,
        }
    }
}
