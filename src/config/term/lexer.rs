//! Tokens of the term syntax, split the way `erl_scan` splits them.
//!
//! Only the token boundaries and values matter for terms, but they must be
//! Erlang's: `1.e` is `1` followed by a `.` that is not a full stop, `=>`
//! is one token, `16#ff_ff` is one integer, `"\x{1F600}"` one code point.

use num_bigint::BigInt;

use super::value::{Integer, Pos, TermError};
use crate::syntax::limits::{MAX_ATOM_CHARS, MAX_INTEGER_DIGITS};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A plain or quoted atom.
    Atom(String),
    /// A variable (`Foo`, `_`, `_Bar`): never valid in a term.
    Var(String),
    /// A reserved word such as `case` or `fun`.
    Reserved(&'static str),
    Integer(Integer),
    Float(f64),
    /// `$c`: an integer in the term.
    Char(u32),
    Str(String),
    /// Punctuation and operators (`{`, `=>`, `<<`, `++`, ...).
    Sym(&'static str),
    /// Any other Latin-1 character outside a string (`¡`, `÷`): a token of
    /// its own for `erl_scan`, meaningless in a term.
    Other(char),
    /// A full stop: `.` followed by white space, `%` or the end.
    Dot,
    Eof,
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) pos: Pos,
}

/// The punctuation or operator token at the start of `rest`, longest
/// match first as in `erl_scan` (`=>` before `=`, `<<` before `<`).
fn symbol_at(rest: &[u8]) -> Option<&'static str> {
    let next = rest.get(1).copied();
    let third = rest.get(2).copied();
    Some(match (*rest.first()?, next, third) {
        (b'=', Some(b':'), Some(b'=')) => "=:=",
        (b'=', Some(b'/'), Some(b'=')) => "=/=",
        (b'=', Some(b'<'), _) => "=<",
        (b'=', Some(b'>'), _) => "=>",
        (b'=', Some(b'='), _) => "==",
        (b'=', ..) => "=",
        (b'<', Some(b'<'), _) => "<<",
        (b'<', Some(b'-'), _) => "<-",
        (b'<', Some(b'='), _) => "<=",
        (b'<', ..) => "<",
        (b'>', Some(b'>'), _) => ">>",
        (b'>', Some(b'='), _) => ">=",
        (b'>', ..) => ">",
        (b'-', Some(b'>'), _) => "->",
        (b'-', Some(b'-'), _) => "--",
        (b'-', ..) => "-",
        (b'+', Some(b'+'), _) => "++",
        (b'+', ..) => "+",
        (b'/', Some(b'='), _) => "/=",
        (b'/', ..) => "/",
        (b'|', Some(b'|'), _) => "||",
        (b'|', ..) => "|",
        (b':', Some(b'='), _) => ":=",
        (b':', Some(b':'), _) => "::",
        (b':', ..) => ":",
        (b'?', Some(b'='), _) => "?=",
        (b'?', ..) => "?",
        (b'#', ..) => "#",
        (b'*', ..) => "*",
        (b'!', ..) => "!",
        (b'@', ..) => "@",
        (b'\\', ..) => "\\",
        (b'^', ..) => "^",
        (b'`', ..) => "`",
        (b'~', ..) => "~",
        (b'&', ..) => "&",
        (b';', ..) => ";",
        (b',', ..) => ",",
        (b'(', ..) => "(",
        (b')', ..) => ")",
        (b'{', ..) => "{",
        (b'}', ..) => "}",
        (b'[', ..) => "[",
        (b']', ..) => "]",
        _ => return None,
    })
}

/// Erlang's reserved words, which are not atoms unless quoted.
const RESERVED_WORDS: [&str; 27] = [
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor",
];

/// The reserved word `name` is, if it is one (Erlang/OTP 25 without the
/// `maybe_expr` feature: `maybe` and `else` are still plain atoms).
pub(crate) fn reserved_word(name: &str) -> Option<&'static str> {
    RESERVED_WORDS.iter().copied().find(|w| *w == name)
}

/// White space for `erl_scan`: every control character, the space, and the
/// Latin-1 range 0x80..=0xA0 (C1 controls and the no-break space).
fn is_white_space(c: char) -> bool {
    c <= ' ' || ('\u{80}'..='\u{a0}').contains(&c)
}

/// A character that may start an unquoted atom.
pub(crate) fn is_atom_start(c: char) -> bool {
    c.is_ascii_lowercase() || (('ß'..='ÿ').contains(&c) && c != '÷')
}

/// A character that may start a variable.
fn is_var_start(c: char) -> bool {
    c.is_ascii_uppercase() || c == '_' || (('À'..='Þ').contains(&c) && c != '×')
}

/// A character that may continue an atom or variable name.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || c == '@'
        || (('ß'..='ÿ').contains(&c) && c != '÷')
        || (('À'..='Þ').contains(&c) && c != '×')
}

/// Characters Erlang accepts in strings, quoted atoms and comments: every
/// code point but the non-characters U+FFFE and U+FFFF (Rust text has no
/// surrogates).
fn is_allowed_char(c: char) -> bool {
    c != '\u{fffe}' && c != '\u{ffff}'
}

/// Splits text into tokens, tracking lines and character columns.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    at: usize,
    line: u32,
    column: u32,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    pub(super) fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    /// Where the next character is.
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// The byte `n` bytes ahead; lookahead only ever looks for ASCII.
    fn byte_at(&self, n: usize) -> Option<u8> {
        self.text.as_bytes().get(self.at + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    /// Skips `n` ASCII bytes on the current line.
    fn bump_ascii(&mut self, n: usize) {
        self.at += n;
        self.column = self.column.saturating_add(n as u32);
    }

    fn error(pos: Pos, message: impl Into<String>) -> TermError {
        TermError {
            pos,
            message: message.into(),
        }
    }

    /// The next token. After an error the lexer has moved past the bad
    /// input (a whole string or comment when the error is inside one), so
    /// calling again makes progress.
    pub(crate) fn next_token(&mut self) -> Result<Token, TermError> {
        loop {
            self.skip_white_space();
            let pos = self.pos();
            let Some(c) = self.peek() else {
                return Ok(Token { tok: Tok::Eof, pos });
            };
            let tok = match c {
                '%' => {
                    self.skip_comment()?;
                    continue;
                }
                '0'..='9' => self.number(pos)?,
                '"' => Tok::Str(self.quoted('"', pos)?),
                '\'' => {
                    let name = self.quoted('\'', pos)?;
                    check_atom_length(&name, pos)?;
                    Tok::Atom(name)
                }
                '$' => self.char_literal(pos)?,
                '.' => self.dot(),
                c if is_atom_start(c) => {
                    let name = self.name();
                    check_atom_length(&name, pos)?;
                    match reserved_word(&name) {
                        Some(word) => Tok::Reserved(word),
                        None => Tok::Atom(name),
                    }
                }
                c if is_var_start(c) => Tok::Var(self.name()),
                _ => self.symbol(c, pos)?,
            };
            return Ok(Token { tok, pos });
        }
    }

    fn skip_white_space(&mut self) {
        loop {
            // ASCII white space is the common case: no UTF-8 decoding.
            match self.byte_at(0) {
                Some(b'\n') => {
                    self.at += 1;
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                }
                Some(b) if b <= b' ' => self.bump_ascii(1),
                Some(b) if b < 0x80 => return,
                _ => match self.peek() {
                    Some(c) if is_white_space(c) => {
                        self.bump();
                    }
                    _ => return,
                },
            }
        }
    }

    /// Skips a `%` comment up to the end of its line; `erl_scan` refuses
    /// U+FFFE and U+FFFF even there.
    fn skip_comment(&mut self) -> Result<(), TermError> {
        let mut bad = None;
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            if !is_allowed_char(c) && bad.is_none() {
                bad = Some(Self::error(
                    self.pos(),
                    format!("character U+{:04X} is not allowed in a comment", c as u32),
                ));
            }
            self.bump();
        }
        bad.map_or(Ok(()), Err)
    }

    fn name(&mut self) -> String {
        let start = self.at;
        loop {
            match self.byte_at(0) {
                Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'@' => {
                    self.bump_ascii(1);
                }
                Some(b) if b < 0x80 => break,
                None => break,
                Some(_) => match self.peek() {
                    Some(c) if is_name_char(c) => {
                        self.bump();
                    }
                    _ => break,
                },
            }
        }
        self.text.get(start..self.at).unwrap_or("").to_owned()
    }

    /// `.` is a full stop before white space, `%` or the end; otherwise it
    /// is the record-field dot (or `..`, `...`), which no term contains.
    fn dot(&mut self) -> Tok {
        match self.byte_at(1) {
            Some(b'.') if self.byte_at(2) == Some(b'.') => {
                self.bump_ascii(3);
                Tok::Sym("...")
            }
            Some(b'.') => {
                self.bump_ascii(2);
                Tok::Sym("..")
            }
            _ => {
                self.bump_ascii(1);
                match self.peek() {
                    None => Tok::Dot,
                    Some(c) if c == '%' || is_white_space(c) => Tok::Dot,
                    Some(_) => Tok::Sym("."),
                }
            }
        }
    }

    fn symbol(&mut self, c: char, pos: Pos) -> Result<Tok, TermError> {
        if let Some(sym) = symbol_at(self.rest().as_bytes()) {
            self.bump_ascii(sym.len());
            return Ok(Tok::Sym(sym));
        }
        self.bump();
        if c <= '\u{ff}' {
            return Ok(Tok::Other(c));
        }
        let hint = if c == '\u{feff}' {
            " (a byte-order mark: file:consult/1 does not accept one)"
        } else if c.is_alphabetic() {
            " (only Latin-1 letters may appear in an unquoted atom: quote it)"
        } else {
            ""
        };
        Err(Self::error(
            pos,
            format!("unexpected character `{c}` (U+{:04X}){hint}", c as u32),
        ))
    }

    /// Digits of `radix`, with `_` allowed only between two digits.
    fn digits(&mut self, radix: u32, out: &mut String) -> usize {
        let mut count = 0;
        loop {
            match self.peek() {
                Some(c) if c.is_digit(radix) => {
                    out.push(c);
                    count += 1;
                    self.bump_ascii(1);
                }
                Some('_') if count > 0 => {
                    let next = self.byte_at(1).map(char::from);
                    if next.is_some_and(|n| n.is_digit(radix)) {
                        self.bump_ascii(1);
                    } else {
                        return count;
                    }
                }
                _ => return count,
            }
        }
    }

    fn number(&mut self, pos: Pos) -> Result<Tok, TermError> {
        let mut digits = String::new();
        self.digits(10, &mut digits);
        let next_is_digit = |l: &Self, n| l.byte_at(n).is_some_and(|b| b.is_ascii_digit());
        if self.byte_at(0) == Some(b'.') && next_is_digit(self, 1) {
            return self.float(digits, pos);
        }
        if self.byte_at(0) == Some(b'#') {
            let base = digits.parse::<u32>().ok().filter(|b| (2..=36).contains(b));
            let Some(base) = base else {
                self.bump_ascii(1);
                return Err(Self::error(
                    pos,
                    format!("invalid base `{digits}` in an integer (bases go from 2 to 36)"),
                ));
            };
            self.bump_ascii(1);
            let mut based = String::new();
            if self.digits(base, &mut based) == 0 {
                return Err(Self::error(
                    pos,
                    format!("expected base-{base} digits after `{digits}#`"),
                ));
            }
            return integer_value(&based, base, pos).map(Tok::Integer);
        }
        integer_value(&digits, 10, pos).map(Tok::Integer)
    }

    fn float(&mut self, mut text: String, pos: Pos) -> Result<Tok, TermError> {
        self.bump_ascii(1);
        text.push('.');
        self.digits(10, &mut text);
        if matches!(self.byte_at(0), Some(b'e' | b'E')) {
            self.bump_ascii(1);
            text.push('e');
            if let Some(sign @ (b'+' | b'-')) = self.byte_at(0) {
                self.bump_ascii(1);
                text.push(char::from(sign));
            }
            if self.digits(10, &mut text) == 0 {
                return Err(Self::error(
                    pos,
                    "expected digits after the exponent marker of a float",
                ));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Tok::Float(f)),
            _ => Err(Self::error(pos, format!("float `{text}` is out of range"))),
        }
    }

    /// `$c`, `$\n`, `$\x{1F600}`, `$ `.
    fn char_literal(&mut self, pos: Pos) -> Result<Tok, TermError> {
        self.bump();
        match self.peek() {
            None => Err(Self::error(
                pos,
                "expected a character after `$`, found end of file",
            )),
            Some('\\') => {
                let esc_pos = self.pos();
                self.bump();
                match self.escape(esc_pos)? {
                    Some(c) => Ok(Tok::Char(c)),
                    None => Err(Self::error(
                        pos,
                        "unterminated escape sequence in character literal at end of file",
                    )),
                }
            }
            Some(c) => {
                self.bump();
                if is_allowed_char(c) {
                    Ok(Tok::Char(c as u32))
                } else {
                    Err(Self::error(
                        pos,
                        format!("character U+{:04X} is not allowed", c as u32),
                    ))
                }
            }
        }
    }

    /// The text of a string or quoted atom, the opening `quote` being next.
    /// On a bad escape it reads on to the closing quote before failing, so
    /// that the next token is the one after the string.
    fn quoted(&mut self, quote: char, pos: Pos) -> Result<String, TermError> {
        self.bump();
        let what = if quote == '"' {
            "string"
        } else {
            "quoted atom"
        };
        let mut value = String::new();
        let mut first_error = None;
        loop {
            let here = self.pos();
            let Some(c) = self.bump() else {
                return Err(Self::error(
                    pos,
                    format!(
                        "unterminated {what} starting at {}:{}",
                        pos.line, pos.column
                    ),
                ));
            };
            if c == quote {
                return first_error.map_or(Ok(value), Err);
            }
            if c == '\\' {
                match self.escape(here) {
                    Ok(Some(code)) => match char::from_u32(code) {
                        Some(ch) => value.push(ch),
                        None => {
                            first_error.get_or_insert_with(|| {
                                Self::error(here, format!("invalid code point {code}"))
                            });
                        }
                    },
                    Ok(None) => {
                        return Err(Self::error(
                            pos,
                            format!(
                                "unterminated {what} starting at {}:{}",
                                pos.line, pos.column
                            ),
                        ))
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            } else if is_allowed_char(c) {
                value.push(c);
            } else {
                first_error.get_or_insert_with(|| {
                    Self::error(
                        here,
                        format!("character U+{:04X} is not allowed in a {what}", c as u32),
                    )
                });
            }
        }
    }

    /// The value of an escape sequence, the backslash (at `pos`) having
    /// been read. `Ok(None)` when the input ends inside it.
    fn escape(&mut self, pos: Pos) -> Result<Option<u32>, TermError> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let bad = |shown: &str| Self::error(pos, format!("invalid escape sequence `\\{shown}`"));
        match c {
            '0'..='7' => {
                let mut value = 0;
                for _ in 0..3 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.bump_ascii(1);
                        }
                        None => break,
                    }
                }
                Ok(Some(value))
            }
            'x' => {
                self.bump_ascii(1);
                if self.peek() == Some('{') {
                    self.bump_ascii(1);
                    let mut hex = String::new();
                    while let Some(d) = self.peek().filter(char::is_ascii_hexdigit) {
                        hex.push(d);
                        self.bump_ascii(1);
                    }
                    match self.peek() {
                        None => return Ok(None),
                        Some('}') => self.bump_ascii(1),
                        Some(other) => return Err(bad(&format!("x{{{hex}{other}"))),
                    }
                    let value = u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|v| char::from_u32(*v).is_some_and(is_allowed_char));
                    value.map(Some).ok_or_else(|| bad(&format!("x{{{hex}}}")))
                } else {
                    let h1 = self.peek();
                    let h2 = self.byte_at(1).map(char::from);
                    match (h1, h2) {
                        (None, _) => Ok(None),
                        (Some(a), Some(b)) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
                            self.bump_ascii(2);
                            Ok(a.to_digit(16).zip(b.to_digit(16)).map(|(a, b)| a * 16 + b))
                        }
                        (Some(a), None) if a.is_ascii_hexdigit() => Ok(None),
                        (Some(a), _) => Err(bad(&format!("x{a}"))),
                    }
                }
            }
            '^' => {
                self.bump_ascii(1);
                match self.bump() {
                    None => Ok(None),
                    Some('\n') => Ok(Some(u32::from('\n'))),
                    Some(ctl) => Ok(Some(ctl as u32 & 31)),
                }
            }
            _ => {
                self.bump();
                if !is_allowed_char(c) {
                    return Err(bad(&c.to_string()));
                }
                let value = match c {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\u{0b}',
                    'b' => '\u{08}',
                    'f' => '\u{0c}',
                    'e' => '\u{1b}',
                    's' => ' ',
                    'd' => '\u{7f}',
                    other => other,
                };
                Ok(Some(value as u32))
            }
        }
    }
}

fn check_atom_length(name: &str, pos: Pos) -> Result<(), TermError> {
    let count = name.chars().count();
    if count > MAX_ATOM_CHARS {
        return Err(Lexer::error(
            pos,
            format!("atom is too long ({count} characters; Erlang allows {MAX_ATOM_CHARS})"),
        ));
    }
    Ok(())
}

/// The value of `digits` (no separators) in `radix`.
fn integer_value(digits: &str, radix: u32, pos: Pos) -> Result<Integer, TermError> {
    if digits.len() > MAX_INTEGER_DIGITS {
        return Err(Lexer::error(
            pos,
            format!(
                "integer literal has {} digits; otpmap reads at most {MAX_INTEGER_DIGITS}",
                digits.len()
            ),
        ));
    }
    if let Ok(small) = i64::from_str_radix(digits, radix) {
        return Ok(Integer::Small(small));
    }
    BigInt::parse_bytes(digits.as_bytes(), radix)
        .map(Integer::from_big)
        .ok_or_else(|| Lexer::error(pos, format!("invalid integer `{digits}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token().expect("token");
            if t.tok == Tok::Eof {
                return out;
            }
            out.push(t.tok);
        }
    }

    #[test]
    fn splits_like_erl_scan() {
        assert_eq!(
            toks("1.e"),
            vec![
                Tok::Integer(Integer::Small(1)),
                Tok::Sym("."),
                Tok::Atom("e".into())
            ]
        );
        assert_eq!(
            toks("a.b"),
            vec![Tok::Atom("a".into()), Tok::Sym("."), Tok::Atom("b".into())]
        );
        assert_eq!(toks("=><<"), vec![Tok::Sym("=>"), Tok::Sym("<<")]);
        assert_eq!(toks("a.%c"), vec![Tok::Atom("a".into()), Tok::Dot]);
        assert_eq!(toks("$%"), vec![Tok::Char(37)]);
        assert_eq!(toks("$ "), vec![Tok::Char(32)]);
        assert_eq!(toks("case"), vec![Tok::Reserved("case")]);
        assert_eq!(toks("maybe"), vec![Tok::Atom("maybe".into())]);
        assert_eq!(toks("café@x_1"), vec![Tok::Atom("café@x_1".into())]);
    }

    #[test]
    fn numbers() {
        assert_eq!(toks("1_000"), vec![Tok::Integer(Integer::Small(1000))]);
        assert_eq!(toks("16#ff_ff"), vec![Tok::Integer(Integer::Small(65535))]);
        assert_eq!(toks("36#zZ"), vec![Tok::Integer(Integer::Small(1295))]);
        assert_eq!(toks("1_0.5"), vec![Tok::Float(10.5)]);
        assert_eq!(toks("2.0E-3"), vec![Tok::Float(0.002)]);
        assert!(matches!(
            toks("16#10000000000000000")[..],
            [Tok::Integer(Integer::Big(_))]
        ));
        assert!(Lexer::new("1.5e").next_token().is_err());
        assert!(Lexer::new("1.0e400").next_token().is_err());
        assert!(Lexer::new("37#1").next_token().is_err());
        assert!(Lexer::new("16#").next_token().is_err());
    }

    #[test]
    fn escapes() {
        let s = r#""\n\t\s\e\d\b\f\v\r\\\'\"\101\x41\x{1F600}\^A\z""#;
        let expected: String = [
            '\n',
            '\t',
            ' ',
            '\u{1b}',
            '\u{7f}',
            '\u{8}',
            '\u{c}',
            '\u{b}',
            '\r',
            '\\',
            '\'',
            '"',
            'A',
            'A',
            '\u{1F600}',
            '\u{1}',
            'z',
        ]
        .iter()
        .collect();
        assert_eq!(toks(s), vec![Tok::Str(expected)]);
        assert!(Lexer::new(r#""\x{D800}""#).next_token().is_err());
        assert!(Lexer::new(r#""\xG1""#).next_token().is_err());
        assert!(Lexer::new(r#""\x{}""#).next_token().is_err());
    }
}
