//! The term parser: what `erl_parse:parse_term/1` followed by `normalise`
//! accepts, built on an explicit stack so that no input, however deeply
//! nested, can exhaust the call stack.

use num_bigint::BigInt;

use super::bits::{push_segment, BitBuf, MAX_BINARY_BITS};
use super::lexer::{Lexer, Tok, Token};
use super::print::describe;
use super::value::{Integer, Pos, Term, TermError, TermKind};

/// Deepest nesting of lists, tuples, maps, binaries (and parentheses and
/// signs) the reader accepts. Real configuration files stay under 20. The
/// reader itself does not recurse, but the derived `Clone`, `PartialEq`,
/// `Debug` and `Drop` of [`Term`] do: at this depth they need at most about
/// 850 KB of stack in a debug build (`Clone` is the hungriest, about 1.7 KB
/// per level), well inside the 2 MB of a test thread or rayon worker.
pub const MAX_DEPTH: usize = 500;

/// Reads every term of a file, failing on the first error like
/// `file:consult/1`.
pub fn consult(text: &str) -> Result<Vec<Term>, TermError> {
    let mut parser = Parser::new(text);
    let mut terms = Vec::new();
    while let Some(term) = parser.next_term()? {
        terms.push(term);
    }
    Ok(terms)
}

/// Reads every term it can: after an error it skips to the end of that
/// term (the next full stop outside strings, quoted atoms, character
/// literals and comments) and goes on, collecting every error.
pub fn consult_recovering(text: &str) -> (Vec<Term>, Vec<TermError>) {
    let mut parser = Parser::new(text);
    let mut terms = Vec::new();
    let mut errors = Vec::new();
    loop {
        match parser.next_term() {
            Ok(Some(term)) => terms.push(term),
            Ok(None) => break,
            Err(error) => {
                errors.push(error);
                if !parser.skip_to_dot() {
                    break;
                }
            }
        }
    }
    (terms, errors)
}

/// A value on its way up the stack, remembering whether it is a bare
/// number literal: only those take a unary sign (`-1`, `-(1)`, not `- -1`).
struct Value {
    term: Term,
    number_literal: bool,
}

impl Value {
    fn new(kind: TermKind, pos: Pos) -> Value {
        Value {
            term: Term { kind, pos },
            number_literal: false,
        }
    }
}

/// A construct whose elements are being read.
enum Frame {
    List {
        items: Vec<Term>,
        pos: Pos,
        /// After `|`: the next value is the tail.
        in_tail: bool,
    },
    Tuple {
        items: Vec<Term>,
        pos: Pos,
    },
    Map {
        entries: Vec<(Term, Term)>,
        pos: Pos,
        /// The key read, waiting for its value.
        key: Option<Term>,
    },
    Binary {
        out: BitBuf,
        pos: Pos,
        /// The segment's value once read; the next value is then its size.
        segment: Option<Term>,
    },
    Paren,
    Sign {
        negative: bool,
        pos: Pos,
    },
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    /// Bits the binary segments still to be read in this text may take
    /// together (see [`MAX_BINARY_BITS`]).
    binary_bits_left: usize,
}

fn error(pos: Pos, message: impl Into<String>) -> TermError {
    TermError {
        pos,
        message: message.into(),
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            lexer: Lexer::new(text),
            peeked: None,
            binary_bits_left: MAX_BINARY_BITS,
        }
    }

    fn peek(&mut self) -> Result<&Token, TermError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn bump(&mut self) -> Result<Token, TermError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    /// Consumes the symbol `sym` if it is next.
    fn eat(&mut self, sym: &str) -> Result<bool, TermError> {
        if matches!(&self.peek()?.tok, Tok::Sym(s) if *s == sym) {
            self.peeked = None;
            return Ok(true);
        }
        Ok(false)
    }

    /// The error for an unexpected next token, left unconsumed so that a
    /// full stop still ends the term for recovery.
    fn unexpected(&mut self, expected: &str) -> TermError {
        match self.peek() {
            Ok(token) => error(
                token.pos,
                format!("expected {expected}, found {}", describe(&token.tok)),
            ),
            Err(e) => e,
        }
    }

    /// The next term and its full stop; `None` at the end of the input.
    fn next_term(&mut self) -> Result<Option<Term>, TermError> {
        if self.peek()?.tok == Tok::Eof {
            return Ok(None);
        }
        let term = self.term()?;
        let token = self.peek()?;
        match token.tok {
            Tok::Dot => {
                self.peeked = None;
                Ok(Some(term))
            }
            Tok::Eof => Err(error(
                token.pos,
                format!(
                    "expected `.` after the term starting at {}:{}, found end of file",
                    term.pos.line, term.pos.column
                ),
            )),
            _ => Err(self.unexpected("`.` after the term")),
        }
    }

    /// Skips to just after the next full stop; false at the end of input.
    fn skip_to_dot(&mut self) -> bool {
        loop {
            match self.bump() {
                Ok(Token { tok: Tok::Dot, .. }) => return true,
                Ok(Token { tok: Tok::Eof, .. }) => return false,
                Ok(_) | Err(_) => {}
            }
        }
    }

    fn term(&mut self) -> Result<Term, TermError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            let Some(mut value) = self.start_value(&mut stack)? else {
                continue 'value;
            };
            // Hand the value up until a construct needs another one.
            loop {
                let Some(frame) = stack.pop() else {
                    return Ok(value.term);
                };
                match frame {
                    Frame::Sign { negative, pos } => {
                        if !value.number_literal {
                            let sign = if negative { '-' } else { '+' };
                            return Err(error(
                                pos,
                                format!(
                                    "unary `{sign}` in a term applies only to a number literal"
                                ),
                            ));
                        }
                        let kind = if negative {
                            negate(value.term.kind)
                        } else {
                            value.term.kind
                        };
                        value = Value::new(kind, pos);
                    }
                    Frame::Paren => {
                        if !self.eat(")")? {
                            return Err(self.unexpected("`)`"));
                        }
                    }
                    Frame::List {
                        mut items,
                        pos,
                        in_tail: false,
                    } => {
                        items.push(value.term);
                        if self.eat(",")? {
                            stack.push(Frame::List {
                                items,
                                pos,
                                in_tail: false,
                            });
                            continue 'value;
                        }
                        if self.eat("|")? {
                            stack.push(Frame::List {
                                items,
                                pos,
                                in_tail: true,
                            });
                            continue 'value;
                        }
                        if !self.eat("]")? {
                            return Err(self.unexpected("`,`, `|` or `]` after a list element"));
                        }
                        value = Value::new(list(items, None), pos);
                    }
                    Frame::List {
                        items,
                        pos,
                        in_tail: true,
                    } => {
                        if !self.eat("]")? {
                            return Err(self.unexpected("`]` after the tail of a list"));
                        }
                        value = Value::new(list(items, Some(value.term)), pos);
                    }
                    Frame::Tuple { mut items, pos } => {
                        items.push(value.term);
                        if self.eat(",")? {
                            stack.push(Frame::Tuple { items, pos });
                            continue 'value;
                        }
                        if !self.eat("}")? {
                            return Err(self.unexpected("`,` or `}` after a tuple element"));
                        }
                        value = Value::new(TermKind::Tuple(items), pos);
                    }
                    Frame::Map {
                        entries,
                        pos,
                        key: None,
                    } => {
                        if !self.eat("=>")? {
                            if matches!(self.peek()?.tok, Tok::Sym(":=")) {
                                let at = self.peek()?.pos;
                                return Err(error(
                                    at,
                                    "`:=` is not allowed in a map term (it only updates an \
                                     existing key); use `=>`",
                                ));
                            }
                            return Err(self.unexpected("`=>` after a map key"));
                        }
                        stack.push(Frame::Map {
                            entries,
                            pos,
                            key: Some(value.term),
                        });
                        continue 'value;
                    }
                    Frame::Map {
                        mut entries,
                        pos,
                        key: Some(key),
                    } => {
                        entries.push((key, value.term));
                        if self.eat(",")? {
                            stack.push(Frame::Map {
                                entries,
                                pos,
                                key: None,
                            });
                            continue 'value;
                        }
                        if !self.eat("}")? {
                            return Err(self.unexpected("`,` or `}` after a map value"));
                        }
                        value = Value::new(TermKind::Map(entries), pos);
                    }
                    Frame::Binary {
                        out,
                        pos,
                        segment: None,
                    } => {
                        if self.eat(":")? {
                            stack.push(Frame::Binary {
                                out,
                                pos,
                                segment: Some(value.term),
                            });
                            continue 'value;
                        }
                        match self.end_segment(out, pos, value.term, None)? {
                            SegmentEnd::More(frame) => {
                                stack.push(frame);
                                continue 'value;
                            }
                            SegmentEnd::Done(binary) => value = binary,
                        }
                    }
                    Frame::Binary {
                        out,
                        pos,
                        segment: Some(segment),
                    } => match self.end_segment(out, pos, segment, Some(value.term))? {
                        SegmentEnd::More(frame) => {
                            stack.push(frame);
                            continue 'value;
                        }
                        SegmentEnd::Done(binary) => value = binary,
                    },
                }
            }
        }
    }

    /// Reads the start of a value: a whole value when it is atomic or an
    /// empty construct, otherwise a frame pushed for its elements.
    fn start_value(&mut self, stack: &mut Vec<Frame>) -> Result<Option<Value>, TermError> {
        let next = self.peek()?;
        if matches!(next.tok, Tok::Dot | Tok::Eof) {
            return Err(self.unexpected("a term"));
        }
        let opens = matches!(next.tok, Tok::Sym("[" | "{" | "#" | "<<" | "(" | "-" | "+"));
        if opens && stack.len() >= MAX_DEPTH {
            return Err(error(
                next.pos,
                format!("term nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let in_size = matches!(
            stack.last(),
            Some(Frame::Binary {
                segment: Some(_),
                ..
            })
        );
        if in_size && matches!(next.tok, Tok::Sym("-" | "+")) {
            return Err(
                self.unexpected("a segment size (an integer, or an expression in parentheses)")
            );
        }
        let Token { tok, pos } = self.bump()?;
        let kind = match tok {
            Tok::Sym("[") => {
                if !self.eat("]")? {
                    stack.push(Frame::List {
                        items: Vec::new(),
                        pos,
                        in_tail: false,
                    });
                    return Ok(None);
                }
                TermKind::List {
                    items: Vec::new(),
                    tail: None,
                }
            }
            Tok::Sym("{") => {
                if !self.eat("}")? {
                    stack.push(Frame::Tuple {
                        items: Vec::new(),
                        pos,
                    });
                    return Ok(None);
                }
                TermKind::Tuple(Vec::new())
            }
            Tok::Sym("#") => {
                if !self.eat("{")? {
                    return Err(self.unexpected("`{` after `#` (records are not terms)"));
                }
                if !self.eat("}")? {
                    stack.push(Frame::Map {
                        entries: Vec::new(),
                        pos,
                        key: None,
                    });
                    return Ok(None);
                }
                TermKind::Map(Vec::new())
            }
            Tok::Sym("<<") => {
                if !self.eat(">>")? {
                    stack.push(Frame::Binary {
                        out: BitBuf::default(),
                        pos,
                        segment: None,
                    });
                    return Ok(None);
                }
                BitBuf::default().into_kind()
            }
            Tok::Sym("(") => {
                stack.push(Frame::Paren);
                return Ok(None);
            }
            Tok::Sym(sign @ ("-" | "+")) => {
                stack.push(Frame::Sign {
                    negative: sign == "-",
                    pos,
                });
                return Ok(None);
            }
            Tok::Integer(n) => return Ok(Some(number(TermKind::Integer(n), pos))),
            Tok::Float(f) => return Ok(Some(number(TermKind::Float(f), pos))),
            Tok::Char(c) => {
                let kind = TermKind::Integer(Integer::Small(i64::from(c)));
                return Ok(Some(number(kind, pos)));
            }
            Tok::Atom(name) => TermKind::Atom(name),
            Tok::Str(mut text) => {
                // Adjacent string literals are one string.
                while matches!(self.peek()?.tok, Tok::Str(_)) {
                    if let Tok::Str(more) = self.bump()?.tok {
                        text.push_str(&more);
                    }
                }
                TermKind::String(text)
            }
            Tok::Reserved("fun") => self.external_fun()?,
            Tok::Var(name) => {
                return Err(error(
                    pos,
                    format!("variables are not allowed in a term: `{name}`"),
                ))
            }
            Tok::Reserved(word) => {
                return Err(error(
                    pos,
                    format!("`{word}` is a reserved word, not an atom: write '{word}'"),
                ))
            }
            other => {
                return Err(error(
                    pos,
                    format!("expected a term, found {}", describe(&other)),
                ))
            }
        };
        Ok(Some(Value::new(kind, pos)))
    }

    /// After a segment's value and size: its type specifiers, then `,` or
    /// `>>`. Evaluates the segment onto `out`.
    fn end_segment(
        &mut self,
        mut out: BitBuf,
        pos: Pos,
        segment: Term,
        size: Option<Term>,
    ) -> Result<SegmentEnd, TermError> {
        let types = if self.eat("/")? {
            self.bit_types()?
        } else {
            Vec::new()
        };
        // Every segment built counts against the text's budget, also those
        // of binaries later dropped on an error or nested in another (the
        // budget bounds the work, not the size of the result).
        let before = out.bit_len();
        out.set_room(self.binary_bits_left);
        let pushed = push_segment(&mut out, &segment, size.as_ref(), &types);
        self.binary_bits_left = self
            .binary_bits_left
            .saturating_sub(out.bit_len().saturating_sub(before));
        pushed.map_err(|message| error(segment.pos, message))?;
        if self.eat(",")? {
            return Ok(SegmentEnd::More(Frame::Binary {
                out,
                pos,
                segment: None,
            }));
        }
        if !self.eat(">>")? {
            return Err(self.unexpected("`,` or `>>` after a binary segment"));
        }
        Ok(SegmentEnd::Done(Value::new(out.into_kind(), pos)))
    }

    /// `integer-unsigned-big-unit:8` after the `/` of a segment.
    fn bit_types(&mut self) -> Result<Vec<(String, Option<Integer>)>, TermError> {
        let mut types = Vec::new();
        loop {
            let Tok::Atom(name) = &self.peek()?.tok else {
                return Err(self.unexpected("a type specifier such as `integer` or `utf8`"));
            };
            let name = name.clone();
            self.peeked = None;
            let arg = if self.eat(":")? {
                let Tok::Integer(n) = &self.peek()?.tok else {
                    return Err(self.unexpected(&format!("an integer after `{name}:`")));
                };
                let n = n.clone();
                self.peeked = None;
                Some(n)
            } else {
                None
            };
            types.push((name, arg));
            if !self.eat("-")? {
                return Ok(types);
            }
        }
    }

    /// `fun Module:Function/Arity`, the only fun that is a term.
    fn external_fun(&mut self) -> Result<TermKind, TermError> {
        const SHAPE: &str = "only `fun Module:Function/Arity` can appear in a term";
        let atom = |parser: &mut Self| -> Result<String, TermError> {
            match &parser.peek()?.tok {
                Tok::Atom(a) => {
                    let a = a.clone();
                    parser.peeked = None;
                    Ok(a)
                }
                _ => Err(parser.unexpected(&format!("an atom ({SHAPE})"))),
            }
        };
        let module = atom(self)?;
        if !self.eat(":")? {
            return Err(self.unexpected(&format!("`:` ({SHAPE})")));
        }
        let function = atom(self)?;
        if !self.eat("/")? {
            return Err(self.unexpected(&format!("`/` ({SHAPE})")));
        }
        let token = self.peek()?;
        let arity = match &token.tok {
            Tok::Integer(Integer::Small(n)) => u8::try_from(*n).ok(),
            _ => None,
        };
        let Some(arity) = arity else {
            return Err(self.unexpected("an arity from 0 to 255"));
        };
        self.peeked = None;
        Ok(TermKind::Fun {
            module,
            function,
            arity,
        })
    }
}

/// How a binary segment ended: more segments follow, or the binary is done.
enum SegmentEnd {
    More(Frame),
    Done(Value),
}

fn number(kind: TermKind, pos: Pos) -> Value {
    Value {
        term: Term { kind, pos },
        number_literal: true,
    }
}

fn negate(kind: TermKind) -> TermKind {
    match kind {
        TermKind::Integer(Integer::Small(i)) => TermKind::Integer(match i.checked_neg() {
            Some(n) => Integer::Small(n),
            None => Integer::from_big(-BigInt::from(i)),
        }),
        TermKind::Integer(Integer::Big(b)) => TermKind::Integer(Integer::from_big(-b)),
        TermKind::Float(f) => TermKind::Float(-f),
        other => other,
    }
}

/// A list from its elements and optional tail, with a list or string tail
/// merged in: `[a|[b]]` is `[a,b]`, `[a|"bc"]` is `[a,$b,$c]`.
fn list(mut items: Vec<Term>, tail: Option<Term>) -> TermKind {
    let Some(tail) = tail else {
        return TermKind::List { items, tail: None };
    };
    match tail.kind {
        TermKind::List {
            items: more,
            tail: rest,
        } => {
            items.extend(more);
            TermKind::List { items, tail: rest }
        }
        TermKind::String(text) => {
            let pos = tail.pos;
            items.extend(text.chars().map(|c| Term {
                kind: TermKind::Integer(Integer::Small(i64::from(u32::from(c)))),
                pos,
            }));
            TermKind::List { items, tail: None }
        }
        kind => TermKind::List {
            items,
            tail: Some(Box::new(Term {
                kind,
                pos: tail.pos,
            })),
        },
    }
}
