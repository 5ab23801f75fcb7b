//! A cheap Erlang lexer: just enough of `erl_scan` to find form boundaries,
//! brackets and keywords without tree-sitter. It never fails: bad input
//! becomes an error token that the structural check reports.

use super::literal::atom_value;

/// The longest atom Erlang accepts, in characters (`syntax::limits` and
/// the term reader of config/ hold literals to it): the lexer notes the
/// atoms and integers longer than this many bytes.
pub(crate) const MAX_ATOM_CHARS: usize = 255;

/// The brackets the structural check balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bracket {
    /// `( )`
    Paren,
    /// `[ ]`
    Square,
    /// `{ }`
    Curly,
    /// `<< >>`
    Binary,
}

impl Bracket {
    /// The opening text.
    pub(crate) fn open(self) -> &'static str {
        match self {
            Bracket::Paren => "(",
            Bracket::Square => "[",
            Bracket::Curly => "{",
            Bracket::Binary => "<<",
        }
    }

    /// The closing text.
    pub(crate) fn close(self) -> &'static str {
        match self {
            Bracket::Paren => ")",
            Bracket::Square => "]",
            Bracket::Curly => "}",
            Bracket::Binary => ">>",
        }
    }
}

/// What a token is. Reserved words are `Atom`s: the checker looks at their text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum TokenKind {
    /// An unquoted atom or reserved word.
    Atom,
    /// `'...'`
    QuotedAtom,
    /// A variable (`X`, `_Y`, `_`).
    Var,
    /// `42`, `16#ff`, `1_000`.
    Integer,
    /// `1.5`, `2.0e-3`.
    Float,
    /// `$a`, `$\n`, `$"`.
    Char,
    /// `"..."`, a triple-quoted string or a sigil string.
    String,
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// `->`
    Arrow,
    /// `/`
    Slash,
    /// `#`
    Hash,
    /// `-`
    Minus,
    /// `|`
    Pipe,
    /// `||`
    DoublePipe,
    /// `=`
    Equals,
    /// Any other operator (`+`, `==`, `=>`, `<-`, `!`, `..`, `.` in `X#r.f`, ...).
    Op,
    // The kinds from here on are those the form split's walk stops at
    // ([`FIRST_WALKED`]): last, so that one comparison picks them out.
    /// `:`
    Colon,
    /// `?` (a macro call follows)
    Question,
    /// `??` (macro stringification)
    DoubleQuestion,
    /// The form terminator: `.` followed by white space, `%` or the end.
    Dot,
    /// `(`
    OpenParen,
    /// `[`
    OpenSquare,
    /// `{`
    OpenCurly,
    /// `<<`
    OpenBinary,
    /// `)`
    CloseParen,
    /// `]`
    CloseSquare,
    /// `}`
    CloseCurly,
    /// `>>`
    CloseBinary,
    /// A string that runs to the end of the file.
    UnterminatedString,
    /// A quoted atom that runs to the end of the file.
    UnterminatedAtom,
    /// A character Erlang does not allow here.
    Invalid,
}

/// The first of the kinds the form split's walk stops at (`:`, `?`, `??`,
/// the dot, brackets and broken tokens); it skips every kind before it,
/// unless the token is a block keyword.
pub(crate) const FIRST_WALKED: TokenKind = TokenKind::Colon;

impl TokenKind {
    /// The bracket this token opens.
    #[inline]
    pub(crate) fn open_bracket(self) -> Option<Bracket> {
        match self {
            TokenKind::OpenParen => Some(Bracket::Paren),
            TokenKind::OpenSquare => Some(Bracket::Square),
            TokenKind::OpenCurly => Some(Bracket::Curly),
            TokenKind::OpenBinary => Some(Bracket::Binary),
            _ => None,
        }
    }

    /// The bracket this token closes.
    #[inline]
    pub(crate) fn close_bracket(self) -> Option<Bracket> {
        match self {
            TokenKind::CloseParen => Some(Bracket::Paren),
            TokenKind::CloseSquare => Some(Bracket::Square),
            TokenKind::CloseCurly => Some(Bracket::Curly),
            TokenKind::CloseBinary => Some(Bracket::Binary),
            _ => None,
        }
    }
}

/// What a token's first byte says about it: one table lookup picks the
/// path, where a chain of tests cost a dozen instructions per token.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// A byte that is a whole token ([`SINGLE`]), and that no longer token
    /// starts with.
    Single,
    /// `a`..`z`: an atom or a reserved word.
    Lower,
    /// `A`..`Z` or `_`: a variable.
    Upper,
    /// `%`: a comment, to the end of its line.
    Comment,
    /// The first byte of U+0080..U+00BF: U+0080..U+00A0 are white space
    /// to erl_scan, the others are not allowed.
    C2,
    /// An operator or a dot, one to three bytes.
    Punct,
    /// A digit, a quote, `$`, `~` or another non-ASCII byte: rarer tokens,
    /// scanned out of line. (White space never reaches the table.)
    Cold,
}

/// The path of each first byte (a plain enum: its `match` is one jump).
const START: [Start; 256] = {
    let mut t = [Start::Cold; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if !matches!(SINGLE[i], TokenKind::Invalid) {
            Start::Single
        } else if b.is_ascii_lowercase() {
            Start::Lower
        } else if b.is_ascii_uppercase() || b == b'_' {
            Start::Upper
        } else if b.is_ascii_digit() || matches!(b, b'"' | b'\'' | b'$' | b'~') || b >= 0x80 {
            Start::Cold
        } else {
            Start::Punct
        };
        i += 1;
    }
    t[b'%' as usize] = Start::Comment;
    t[0xC2] = Start::C2;
    t
};

/// The kind of each byte that is a token by itself ([`Start::Single`]);
/// `Invalid` for the others (a plain kind, not an `Option`, costs one
/// load).
const SINGLE: [TokenKind; 256] = {
    let mut t = [TokenKind::Invalid; 256];
    t[b'(' as usize] = TokenKind::OpenParen;
    t[b')' as usize] = TokenKind::CloseParen;
    t[b'[' as usize] = TokenKind::OpenSquare;
    t[b']' as usize] = TokenKind::CloseSquare;
    t[b'{' as usize] = TokenKind::OpenCurly;
    t[b'}' as usize] = TokenKind::CloseCurly;
    t[b',' as usize] = TokenKind::Comma;
    t[b';' as usize] = TokenKind::Semicolon;
    t[b'#' as usize] = TokenKind::Hash;
    t[b'!' as usize] = TokenKind::Op;
    t[b'*' as usize] = TokenKind::Op;
    t
};

/// The reserved words that open or close a block, recognised by the
/// lexer so the structural check need not compare text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Keyword {
    /// Not a block keyword (every token but the eight below).
    None,
    /// `begin`
    Begin,
    /// `case`
    Case,
    /// `if`
    If,
    /// `receive`
    Receive,
    /// `try`
    Try,
    /// `fun`
    Fun,
    /// `maybe`
    Maybe,
    /// `end`
    End,
}

impl Keyword {
    /// The keyword an unquoted atom's bytes spell, if any.
    #[inline(always)]
    fn of(word: &[u8]) -> Keyword {
        match word {
            b"if" => Keyword::If,
            b"end" => Keyword::End,
            b"fun" => Keyword::Fun,
            b"try" => Keyword::Try,
            b"case" => Keyword::Case,
            b"begin" => Keyword::Begin,
            b"maybe" => Keyword::Maybe,
            b"receive" => Keyword::Receive,
            _ => Keyword::None,
        }
    }
}

/// One token: its kind and byte range in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub(crate) kind: TokenKind,
    /// For an unquoted atom that is a block keyword, which one (it fits in
    /// the struct's padding).
    pub(crate) keyword: Keyword,
    /// Byte offset of the first byte.
    pub(crate) start: u32,
    /// Byte offset one past the last byte.
    pub(crate) end: u32,
}

impl Token {
    /// The atom an atom token stands for (a quoted one unquoted).
    pub fn atom(&self, text: &str) -> Option<String> {
        matches!(self.kind, TokenKind::Atom | TokenKind::QuotedAtom)
            .then(|| atom_value(self.text(text)))
    }

    /// [`Token::atom`] without a copy for an unquoted atom (its text is
    /// its value): for passes that look at every atom of a body.
    pub(crate) fn atom_str<'a>(&self, text: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        match self.kind {
            TokenKind::Atom => Some(std::borrow::Cow::Borrowed(self.text(text))),
            TokenKind::QuotedAtom => Some(std::borrow::Cow::Owned(atom_value(self.text(text)))),
            _ => None,
        }
    }

    /// The name of a macro, for the token after `?`: an atom or a variable.
    pub(crate) fn macro_name(&self, text: &str) -> Option<String> {
        match self.kind {
            TokenKind::Var => Some(self.text(text).to_owned()),
            _ => self.atom(text),
        }
    }

    /// The token's source text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// Byte classes, looked up once per byte so the hot loops stay branch-light.
const WS: u8 = 1;
const NAME: u8 = 2;
const DIGIT: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b <= b' ' {
            c |= WS;
        }
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'@' || b >= 0x80 {
            c |= NAME;
        }
        if b.is_ascii_digit() {
            c |= DIGIT;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// Tokenizes `text`, skipping white space and comments.
pub(crate) struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer over the whole text. An escript's `#!` first line is skipped.
    pub(crate) fn new(text: &'a str) -> Lexer<'a> {
        let bytes = text.as_bytes();
        let pos = if bytes.starts_with(b"#!") {
            memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1)
        } else {
            0
        };
        Lexer { bytes, pos }
    }

    #[inline(always)]
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn skip_name(&mut self) {
        self.pos = name_end(self.bytes, self.pos);
    }

    fn skip_digits(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if CLASS[b as usize] & DIGIT == 0 && b != b'_' {
                break;
            }
            self.pos += 1;
        }
    }

    /// Scans to the closing `quote` after an opening one, honouring `\`
    /// escapes; false when the text ends first.
    fn skip_quoted(&mut self, quote: u8) -> bool {
        // Most strings and quoted atoms are short: a plain loop over their
        // first bytes costs less than setting up memchr.
        let near = (self.pos + 48).min(self.bytes.len());
        while self.pos < near {
            let b = self.bytes[self.pos];
            if b == quote {
                self.pos += 1;
                return true;
            }
            self.pos += if b == b'\\' { 2 } else { 1 };
        }
        self.pos = self.pos.min(self.bytes.len());
        loop {
            match memchr::memchr2(quote, b'\\', &self.bytes[self.pos..]) {
                None => {
                    self.pos = self.bytes.len();
                    return false;
                }
                Some(i) => {
                    let at = self.pos + i;
                    if self.bytes[at] == b'\\' {
                        self.pos = (at + 2).min(self.bytes.len());
                    } else {
                        self.pos = at + 1;
                        return true;
                    }
                }
            }
        }
    }

    /// A triple-quoted string (OTP 27) whose `"""` opener is at `self.pos`:
    /// it ends at a line whose first non-blank text is `"""`.
    fn skip_triple_quoted(&mut self) -> bool {
        let mut line_start = match memchr::memchr(b'\n', &self.bytes[self.pos..]) {
            Some(i) => self.pos + i + 1,
            None => {
                self.pos = self.bytes.len();
                return false;
            }
        };
        loop {
            let mut i = line_start;
            while matches!(self.at(i), b' ' | b'\t') {
                i += 1;
            }
            if self.bytes[i.min(self.bytes.len())..].starts_with(b"\"\"\"") {
                self.pos = i + 3;
                while self.at(self.pos) == b'"' {
                    self.pos += 1;
                }
                return true;
            }
            match memchr::memchr(b'\n', &self.bytes[line_start.min(self.bytes.len())..]) {
                Some(j) => line_start += j + 1,
                None => {
                    self.pos = self.bytes.len();
                    return false;
                }
            }
        }
    }

    /// Is `"""` at `i` the opener of a triple-quoted string (rest of line blank)?
    fn is_triple_quote(&self, i: usize) -> bool {
        if !self.bytes[i.min(self.bytes.len())..].starts_with(b"\"\"\"") {
            return false;
        }
        let mut j = i + 3;
        while self.at(j) == b'"' {
            j += 1;
        }
        while matches!(self.at(j), b' ' | b'\t' | b'\r') {
            j += 1;
        }
        j >= self.bytes.len() || self.bytes[j] == b'\n'
    }

    fn scan_char(&mut self, start: usize) -> TokenKind {
        self.pos = start + 1;
        let Some(&b) = self.bytes.get(self.pos) else {
            return TokenKind::Invalid;
        };
        if b == b'\\' {
            self.pos += 1;
            match self.at(self.pos) {
                b'x' => {
                    self.pos += 1;
                    if self.at(self.pos) == b'{' {
                        match memchr::memchr(b'}', &self.bytes[self.pos..]) {
                            Some(i) => self.pos += i + 1,
                            None => return TokenKind::Invalid,
                        }
                    } else {
                        let mut n = 0;
                        while n < 2 && self.at(self.pos).is_ascii_hexdigit() {
                            self.pos += 1;
                            n += 1;
                        }
                    }
                }
                b'0'..=b'7' => {
                    let mut n = 0;
                    while n < 3 && matches!(self.at(self.pos), b'0'..=b'7') {
                        self.pos += 1;
                        n += 1;
                    }
                }
                b'^' => {
                    self.pos += 1;
                    self.skip_utf8_char();
                }
                0 if self.pos >= self.bytes.len() => {
                    return TokenKind::Invalid;
                }
                _ => self.skip_utf8_char(),
            }
        } else {
            self.skip_utf8_char();
        }
        TokenKind::Char
    }

    fn skip_utf8_char(&mut self) {
        let Some(&b) = self.bytes.get(self.pos) else {
            return;
        };
        let len = match b {
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        self.pos = (self.pos + len).min(self.bytes.len());
    }

    fn scan_number(&mut self) -> TokenKind {
        self.skip_digits();
        if self.at(self.pos) == b'#' && CLASS[self.at(self.pos + 1) as usize] & NAME != 0 {
            // Based integer: 16#ff. The base digits are any alphanumerics.
            self.pos += 1;
            while self.at(self.pos).is_ascii_alphanumeric() || self.at(self.pos) == b'_' {
                self.pos += 1;
            }
            return TokenKind::Integer;
        }
        if self.at(self.pos) == b'.' && self.at(self.pos + 1).is_ascii_digit() {
            self.pos += 1;
            self.skip_digits();
            if matches!(self.at(self.pos), b'e' | b'E') {
                let mut j = self.pos + 1;
                if matches!(self.at(j), b'+' | b'-') {
                    j += 1;
                }
                if self.at(j).is_ascii_digit() {
                    self.pos = j;
                    self.skip_digits();
                }
            }
            return TokenKind::Float;
        }
        TokenKind::Integer
    }

    /// `~s"..."`, `~"..."`, `~B[...]`: a sigil string (OTP 27).
    fn scan_sigil(&mut self, start: usize) -> Option<TokenKind> {
        let mut i = start + 1;
        let verbatim = matches!(self.at(i), b'B' | b'S');
        if matches!(self.at(i), b'b' | b's' | b'B' | b'S') {
            i += 1;
        }
        let close = match self.at(i) {
            b'(' => b')',
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            c @ (b'/' | b'|' | b'\'' | b'"' | b'`' | b'#') => c,
            _ => return None,
        };
        if close == b'"' && self.is_triple_quote(i) {
            self.pos = i;
            let ok = self.skip_triple_quoted();
            let kind = if ok {
                TokenKind::String
            } else {
                TokenKind::UnterminatedString
            };
            return Some(kind);
        }
        self.pos = i + 1;
        let ok = if verbatim {
            match memchr::memchr(close, &self.bytes[self.pos..]) {
                Some(j) => {
                    self.pos += j + 1;
                    true
                }
                None => {
                    self.pos = self.bytes.len();
                    false
                }
            }
        } else {
            self.skip_quoted(close)
        };
        let kind = if ok {
            TokenKind::String
        } else {
            TokenKind::UnterminatedString
        };
        Some(kind)
    }
}

/// The end of the name (atom or variable characters) that goes on at `pos`.
#[inline(always)]
fn name_end(bytes: &[u8], mut pos: usize) -> usize {
    // Eight bytes for one bounds check, the loop over them unrolled: names
    // are six bytes long on average.
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        for (i, &b) in chunk.iter().enumerate() {
            if CLASS[b as usize] & NAME == 0 {
                return pos + i;
            }
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if CLASS[b as usize] & NAME == 0 {
            break;
        }
        pos += 1;
    }
    pos
}

/// The end of the comment that goes on at `pos`: its line's newline, or
/// the end of the text.
#[inline(always)]
fn comment_end(bytes: &[u8], mut pos: usize) -> usize {
    // Eight bytes at a time, in a word: a comment is about forty bytes,
    // too short for memchr to pay for setting itself up.
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    while let Some(chunk) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk) ^ NEWLINES;
        // The lowest set high bit marks the first newline (a zero byte of
        // `word`); bits above it may be false.
        let newline = word.wrapping_sub(ONES) & !word & HIGHS;
        if newline != 0 {
            return pos + (newline.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    memchr::memchr(b'\n', bytes.get(pos..).unwrap_or_default()).map_or(bytes.len(), |i| pos + i)
}

/// A token of one to three ASCII bytes that starts with punctuation
/// ([`Start::Punct`]) at `start`: its kind and length.
#[inline(always)]
fn scan_punct(bytes: &[u8], start: usize, b: u8) -> (TokenKind, usize) {
    use TokenKind as K;
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let next = at(start + 1);
    match b {
        b'/' => {
            if next == b'=' {
                (K::Op, 2)
            } else {
                (K::Slash, 1)
            }
        }
        b':' => match next {
            b':' | b'=' => (K::Op, 2),
            _ => (K::Colon, 1),
        },
        b'?' => match next {
            b'?' => (K::DoubleQuestion, 2),
            b'=' => (K::Op, 2),
            _ => (K::Question, 1),
        },
        b'|' => {
            if next == b'|' {
                (K::DoublePipe, 2)
            } else {
                (K::Pipe, 1)
            }
        }
        b'+' => (K::Op, if next == b'+' { 2 } else { 1 }),
        b'-' => match next {
            b'>' => (K::Arrow, 2),
            b'-' => (K::Op, 2),
            _ => (K::Minus, 1),
        },
        b'=' => match (next, at(start + 2)) {
            (b':', b'=') | (b'/', b'=') => (K::Op, 3),
            (b'=' | b'<' | b'>', _) => (K::Op, 2),
            _ => (K::Equals, 1),
        },
        b'<' => match (next, at(start + 2)) {
            (b'<', _) => (K::OpenBinary, 2),
            (b':', b'-' | b'=') => (K::Op, 3),
            (b'-' | b'=', _) => (K::Op, 2),
            _ => (K::Op, 1),
        },
        b'>' => match next {
            b'>' => (K::CloseBinary, 2),
            b'=' => (K::Op, 2),
            _ => (K::Op, 1),
        },
        b'&' if next == b'&' => (K::Op, 2),
        b'.' => {
            if start + 1 >= bytes.len()
                || CLASS[next as usize] & WS != 0
                || next == b'%'
                || (next == 0xC2 && matches!(at(start + 2), 0x80..=0xA0))
            {
                (K::Dot, 1)
            } else if next == b'.' {
                (K::Op, if at(start + 2) == b'.' { 3 } else { 2 })
            } else {
                (K::Op, 1)
            }
        }
        // An ASCII byte Erlang does not allow here.
        _ => (K::Invalid, 1),
    }
}

/// Scans a token that starts with a digit, a quote, `$`, `~` or a
/// non-ASCII byte; returns its kind and end.
#[inline(never)]
fn scan_cold(bytes: &[u8], start: usize) -> (TokenKind, usize) {
    let mut lx = Lexer { bytes, pos: start };
    let kind = match bytes[start] {
        b'0'..=b'9' => lx.scan_number(),
        b'"' => {
            if lx.is_triple_quote(start) {
                if lx.skip_triple_quoted() {
                    TokenKind::String
                } else {
                    TokenKind::UnterminatedString
                }
            } else {
                lx.pos += 1;
                if lx.skip_quoted(b'"') {
                    TokenKind::String
                } else {
                    TokenKind::UnterminatedString
                }
            }
        }
        b'\'' => {
            lx.pos += 1;
            if lx.skip_quoted(b'\'') {
                TokenKind::QuotedAtom
            } else {
                TokenKind::UnterminatedAtom
            }
        }
        b'$' => lx.scan_char(start),
        b'~' => match lx.scan_sigil(start) {
            Some(t) => t,
            None => {
                lx.pos = start + 1;
                TokenKind::Invalid
            }
        },
        // Latin-1 letters in UTF-8: U+00C0..U+00DE (but not U+00D7) start
        // a variable, U+00DF..U+00FF (but not U+00F7) an atom.
        0xC3 => {
            let kind = match lx.at(start + 1) {
                0x80..=0x96 | 0x98..=0x9E => TokenKind::Var,
                0x9F..=0xB6 | 0xB8..=0xBF => TokenKind::Atom,
                _ => TokenKind::Invalid,
            };
            lx.pos += 2;
            if kind != TokenKind::Invalid {
                lx.skip_name();
            }
            kind
        }
        _ => {
            lx.skip_utf8_char();
            TokenKind::Invalid
        }
    };
    (kind, lx.pos)
}

/// Appends every token of `text` to `out`: the fast path, one tight loop.
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    tokenize_noting_long(text, out);
}

/// [`tokenize_into`], returning the atoms and integers longer than
/// [`MAX_ATOM_CHARS`] bytes (for `limits::literal_limits`).
pub(crate) fn tokenize_noting_long(text: &str, out: &mut Vec<Token>) -> Vec<Token> {
    // Tokens gather in a batch on the stack, appended to `out` 64 at a
    // time: a push per token loaded and stored the vector's length each
    // time (the token's store might have changed it, as far as the
    // compiler knows).
    const BATCH: usize = 64;
    const BLANK: Token = Token {
        kind: TokenKind::Atom,
        keyword: Keyword::None,
        start: 0,
        end: 0,
    };
    let mut lexer = Lexer::new(text);
    let mut long = Vec::new();
    let mut batch = [BLANK; BATCH];
    loop {
        let mut n = 0;
        while n < BATCH {
            let Some(t) = lexer.next_token_noting(&mut long) else {
                break;
            };
            batch[n] = t;
            n += 1;
        }
        out.extend_from_slice(&batch[..n]);
        if n < BATCH {
            return long;
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.next_token()
    }
}

impl Lexer<'_> {
    /// The next token, or `None` at the end of the text.
    pub(crate) fn next_token(&mut self) -> Option<Token> {
        self.next_token_noting(&mut Vec::new())
    }

    /// [`Lexer::next_token`], adding the atoms and integers longer than
    /// [`MAX_ATOM_CHARS`] bytes to `long`: noted where the lexer already
    /// knows a token's length, not in a pass over every token.
    #[inline(always)]
    fn next_token_noting(&mut self, long: &mut Vec<Token>) -> Option<Token> {
        let bytes = self.bytes;
        // A local copy of the position, written back once: it stays in a
        // register through the loop.
        let mut pos = self.pos;
        let (start, kind) = loop {
            let Some(&b) = bytes.get(pos) else {
                self.pos = pos;
                return None;
            };
            // White space is a third of the bytes: tested before the table.
            if b <= b' ' {
                pos += 1;
                continue;
            }
            let start = pos;
            match START[b as usize] {
                Start::Single => {
                    pos += 1;
                    break (start, SINGLE[b as usize]);
                }
                Start::Lower => {
                    pos = name_end(bytes, pos + 1);
                    let len = pos - start;
                    // Keywords are 2 to 7 bytes long: most atoms skip the comparison.
                    let keyword = if len <= 7 {
                        Keyword::of(&bytes[start..pos])
                    } else {
                        Keyword::None
                    };
                    let token = Token {
                        kind: TokenKind::Atom,
                        keyword,
                        start: start as u32,
                        end: pos as u32,
                    };
                    if len > MAX_ATOM_CHARS {
                        long.push(token);
                    }
                    self.pos = pos;
                    return Some(token);
                }
                Start::Upper => {
                    pos = name_end(bytes, pos + 1);
                    break (start, TokenKind::Var);
                }
                Start::Comment => pos = comment_end(bytes, pos + 1),
                Start::C2 if matches!(bytes.get(pos + 1), Some(0x80..=0xA0)) => pos += 2,
                Start::Punct => {
                    let (kind, len) = scan_punct(bytes, start, b);
                    pos += len;
                    break (start, kind);
                }
                // Rarer tokens are scanned out of line, on a copy of the
                // lexer, so that `pos` of the hot loop can live in a register.
                Start::C2 | Start::Cold => {
                    let (kind, end) = scan_cold(bytes, start);
                    pos = end;
                    if end - start > MAX_ATOM_CHARS
                        && matches!(
                            kind,
                            TokenKind::Atom | TokenKind::QuotedAtom | TokenKind::Integer
                        )
                    {
                        long.push(Token {
                            kind,
                            keyword: Keyword::None,
                            start: start as u32,
                            end: end as u32,
                        });
                    }
                    break (start, kind);
                }
            }
        };
        self.pos = pos;
        Some(Token {
            kind,
            keyword: Keyword::None,
            start: start as u32,
            end: pos as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text).map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn dots_that_do_not_end_a_form() {
        use TokenKind as K;
        assert_eq!(
            kinds("X#r.f, 1.5, 'a.b', \"c.d\", $., 2.\n"),
            vec![
                (K::Var, "X"),
                (K::Hash, "#"),
                (K::Atom, "r"),
                (K::Op, "."),
                (K::Atom, "f"),
                (K::Comma, ","),
                (K::Float, "1.5"),
                (K::Comma, ","),
                (K::QuotedAtom, "'a.b'"),
                (K::Comma, ","),
                (K::String, "\"c.d\""),
                (K::Comma, ","),
                (K::Char, "$."),
                (K::Comma, ","),
                (K::Integer, "2"),
                (K::Dot, "."),
            ]
        );
    }

    #[test]
    fn chars_strings_and_comments() {
        use TokenKind as K;
        assert_eq!(
            kinds("$\" $% $\\\" $\\x{41} $\\^A \"a\\\"b\" % c. d\n'q\\'x'"),
            vec![
                (K::Char, "$\""),
                (K::Char, "$%"),
                (K::Char, "$\\\""),
                (K::Char, "$\\x{41}"),
                (K::Char, "$\\^A"),
                (K::String, "\"a\\\"b\""),
                (K::QuotedAtom, "'q\\'x'"),
            ]
        );
    }

    #[test]
    fn operators_and_brackets() {
        use TokenKind as K;
        let got: Vec<_> = kinds("<<A:8>> =:= B =< C -> [H||H<-L] ?M ??N X?=Y ... .")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            got,
            vec![
                K::OpenBinary,
                K::Var,
                K::Colon,
                K::Integer,
                K::CloseBinary,
                K::Op,
                K::Var,
                K::Op,
                K::Var,
                K::Arrow,
                K::OpenSquare,
                K::Var,
                K::DoublePipe,
                K::Var,
                K::Op,
                K::Var,
                K::CloseSquare,
                K::Question,
                K::Var,
                K::DoubleQuestion,
                K::Var,
                K::Var,
                K::Op,
                K::Var,
                K::Op,
                K::Dot,
            ]
        );
    }

    #[test]
    fn unterminated_and_based_numbers() {
        use TokenKind as K;
        assert_eq!(
            kinds("16#fF 1_000"),
            vec![(K::Integer, "16#fF"), (K::Integer, "1_000")]
        );
        assert_eq!(kinds("\"abc"), vec![(K::UnterminatedString, "\"abc")]);
        assert_eq!(kinds("'abc"), vec![(K::UnterminatedAtom, "'abc")]);
        assert_eq!(kinds("$"), vec![(K::Invalid, "$")]);
    }

    #[test]
    fn triple_quoted_and_sigils() {
        use TokenKind as K;
        let t = "\"\"\"\n  a \" b\n  \"\"\". ~s(x) ~B[y\\]";
        assert_eq!(
            kinds(t),
            vec![
                (K::String, "\"\"\"\n  a \" b\n  \"\"\""),
                (K::Dot, "."),
                (K::String, "~s(x)"),
                (K::String, "~B[y\\]"),
            ]
        );
    }

    #[test]
    fn long_strings_and_comments_past_the_plain_loop() {
        use TokenKind as K;
        // Escapes and ends on both sides of the bytes scanned without memchr.
        for n in [0, 1, 46, 47, 48, 49, 79, 80, 81, 200] {
            let pad = "x".repeat(n);
            let src = format!("\"{pad}\\\"{pad}\" '{pad}\\'' % {pad}. \"\nok.");
            let got: Vec<_> = kinds(&src).into_iter().map(|(k, _)| k).collect();
            assert_eq!(got, vec![K::String, K::QuotedAtom, K::Atom, K::Dot], "{n}");
            let open = format!("\"{pad}\\");
            assert_eq!(kinds(&open), vec![(K::UnterminatedString, open.as_str())]);
        }
    }

    #[test]
    fn latin1_names_and_crlf() {
        use TokenKind as K;
        assert_eq!(
            kinds("Één été.\r\n"),
            vec![(K::Var, "Één"), (K::Atom, "été"), (K::Dot, ".")]
        );
    }
}
