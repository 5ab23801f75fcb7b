//! Printing terms: the canonical form the oracle compares, and Erlang
//! syntax for messages and values shown to users.

use std::fmt::Write;

use super::lexer::{is_atom_start, is_name_char, reserved_word, Tok};
use super::value::{Integer, Term, TermKind};

/// The canonical printed form of a term: two terms print the same exactly
/// when Erlang considers them equal (`=:=`).
///
/// Integers are decimal; floats are `f:` and their 16 hex digits of IEEE
/// bits (`0.0` for `-0.0`, equal in OTP 25); atoms are quoted with every
/// character outside `!`..`~`, and `'` and `\`, written `\x{HEX}`; strings
/// are lists of integers; lists are `[a,b]` or `[a,b|t]` with string and
/// list tails merged; tuples `{a,b}`; maps `#{k=>v}` with duplicate keys
/// resolved as `maps:from_list/1` does (last wins) and sorted by key in
/// Erlang term order (ties such as `{1}` and `{1.0}` broken by their
/// canonical text); binaries `<<1,2,5:3>>` with a partial last byte as
/// `Value:Bits`; external funs `fun:'m':'f'/2`. There are no spaces.
pub fn canonical(t: &Term) -> String {
    super::canonical::canonical(t)
}

// Here rather than in lexer.rs, which then needs nothing of this file.
/// How a token is named in an error message: ``atom `foo` ``, `` `}` ``.
pub(crate) fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Atom(a) => format!("atom `{}`", atom(a)),
        Tok::Var(v) => format!("variable `{v}`"),
        Tok::Reserved(w) => format!("reserved word `{w}`"),
        Tok::Integer(i) => format!("integer `{i}`"),
        Tok::Float(f) => format!("float `{}`", float(*f)),
        Tok::Char(c) => format!("character literal `{}`", char_literal(*c)),
        Tok::Str(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if s.chars().nth(40).is_some() {
                "..."
            } else {
                ""
            };
            format!("string {}{more}", string_literal(&shown))
        }
        Tok::Sym(".") => "`.` (a full stop needs white space after it)".to_owned(),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::Other(c) => format!("`{c}`"),
        Tok::Dot => "`.` (end of term)".to_owned(),
        Tok::Eof => "end of file".to_owned(),
    }
}

// Here rather than with `Term` in value.rs, so that value.rs imports
// nothing of the reader.
impl Term {
    /// A short rendering of the term in Erlang syntax, for messages and for
    /// values shown to users (`{local, my_sup}`, `"1.0.0"`).
    pub fn to_erlang(&self) -> String {
        erlang(self)
    }
}

/// Erlang syntax on one line, as `~p` would print it with a space after
/// each comma: atoms quoted only when needed, printable lists as strings,
/// `#{k => v}` maps in source order, `[a, b | t]` for improper lists.
pub(crate) fn erlang(t: &Term) -> String {
    enum Work<'a> {
        Term(&'a Term),
        Text(&'static str),
    }
    let mut out = String::new();
    let mut work = vec![Work::Term(t)];
    // Pushes `items` separated by `sep`, to be printed in order.
    fn push_all<'a>(work: &mut Vec<Work<'a>>, items: &'a [Term], sep: &'static str) {
        for (i, item) in items.iter().enumerate().rev() {
            work.push(Work::Term(item));
            if i > 0 {
                work.push(Work::Text(sep));
            }
        }
    }
    while let Some(item) = work.pop() {
        let term = match item {
            Work::Text(text) => {
                out.push_str(text);
                continue;
            }
            Work::Term(term) => term,
        };
        match &term.kind {
            TermKind::Atom(a) => out.push_str(&atom(a)),
            TermKind::Integer(n) => {
                let _ = write!(out, "{n}");
            }
            TermKind::Float(f) => out.push_str(&float(*f)),
            TermKind::String(s) if s.is_empty() => out.push_str("[]"),
            TermKind::String(s) if s.chars().all(printable) => out.push_str(&string_literal(s)),
            TermKind::String(s) => {
                let codes: Vec<String> = s.chars().map(|c| u32::from(c).to_string()).collect();
                let _ = write!(out, "[{}]", codes.join(", "));
            }
            TermKind::List { items, tail: None } if !items.is_empty() => {
                match printable_text(items) {
                    Some(text) => out.push_str(&string_literal(&text)),
                    None => {
                        out.push('[');
                        work.push(Work::Text("]"));
                        push_all(&mut work, items, ", ");
                    }
                }
            }
            TermKind::List { items, tail } => {
                out.push('[');
                work.push(Work::Text("]"));
                if let Some(tail) = tail {
                    work.push(Work::Term(tail));
                    if !items.is_empty() {
                        work.push(Work::Text(" | "));
                    }
                }
                push_all(&mut work, items, ", ");
            }
            TermKind::Tuple(items) => {
                out.push('{');
                work.push(Work::Text("}"));
                push_all(&mut work, items, ", ");
            }
            TermKind::Map(entries) => {
                out.push_str("#{");
                work.push(Work::Text("}"));
                for (i, (key, value)) in entries.iter().enumerate().rev() {
                    work.push(Work::Term(value));
                    work.push(Work::Text(" => "));
                    work.push(Work::Term(key));
                    if i > 0 {
                        work.push(Work::Text(", "));
                    }
                }
            }
            TermKind::Binary {
                bytes,
                trailing_bits,
            } => binary(bytes, *trailing_bits, &mut out),
            TermKind::Fun {
                module,
                function,
                arity,
            } => {
                let _ = write!(out, "fun {}:{}/{arity}", atom(module), atom(function));
            }
        }
    }
    out
}

/// Characters a string may show as themselves or as a short escape.
fn printable(c: char) -> bool {
    !c.is_control()
        || matches!(
            c,
            '\n' | '\r' | '\t' | '\u{0b}' | '\u{08}' | '\u{0c}' | '\u{1b}'
        )
}

/// The text of a list of character codes, when all are printable.
fn printable_text(items: &[Term]) -> Option<String> {
    items
        .iter()
        .map(|item| match &item.kind {
            TermKind::Integer(Integer::Small(c)) => u32::try_from(*c)
                .ok()
                .and_then(char::from_u32)
                .filter(|c| printable(*c) && *c != '\u{fffe}' && *c != '\u{ffff}'),
            _ => None,
        })
        .collect()
}

fn binary(bytes: &[u8], trailing_bits: u8, out: &mut String) {
    if trailing_bits == 0 && !bytes.is_empty() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.chars().all(printable) {
                let suffix = if text.is_ascii() { "" } else { "/utf8" };
                let _ = write!(out, "<<{}{suffix}>>", string_literal(text));
                return;
            }
        }
    }
    let trailing = trailing_bits.min(7);
    let whole = if trailing == 0 {
        bytes.len()
    } else {
        bytes.len().saturating_sub(1)
    };
    let mut parts: Vec<String> = bytes[..whole].iter().map(u8::to_string).collect();
    if trailing > 0 {
        if let Some(last) = bytes.last() {
            parts.push(format!("{}:{trailing}", last >> (8 - trailing)));
        }
    }
    let _ = write!(out, "<<{}>>", parts.join(","));
}

/// An atom as Erlang source: bare when it reads back as the same atom,
/// quoted otherwise. `maybe` and `else` are quoted too: they are reserved
/// words from OTP 27 on.
pub(crate) fn atom(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars.next().is_some_and(is_atom_start)
        && chars.all(is_name_char)
        && reserved_word(name).is_none()
        && name != "maybe"
        && name != "else";
    if bare {
        return name.to_owned();
    }
    quoted(name, '\'')
}

/// A string literal with Erlang escapes.
pub(crate) fn string_literal(text: &str) -> String {
    quoted(text, '"')
}

fn quoted(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            _ => push_char(c, &mut out),
        }
    }
    out.push(quote);
    out
}

/// A character inside quotes: itself, a short escape, or `\x{HEX}`.
fn push_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{0b}' => out.push_str("\\v"),
        '\u{08}' => out.push_str("\\b"),
        '\u{0c}' => out.push_str("\\f"),
        '\u{1b}' => out.push_str("\\e"),
        c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
            let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// A character literal: `$a`, `$\n`, `$\s`, `$\x{1F600}` when unprintable.
pub(crate) fn char_literal(code: u32) -> String {
    match char::from_u32(code) {
        Some(' ') => "$\\s".to_owned(),
        Some('\\') => "$\\\\".to_owned(),
        Some(c) => {
            let mut out = String::from("$");
            push_char(c, &mut out);
            out
        }
        None => format!("$\\x{{{code:X}}}"),
    }
}

/// A float in Erlang syntax that reads back as the same value: the
/// shortest round-trip digits, always with a `.` before any exponent.
pub(crate) fn float(f: f64) -> String {
    if !f.is_finite() {
        // No Erlang literal exists; the reader never produces these.
        return format!("{f}");
    }
    let text = format!("{f:?}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if !mantissa.contains('.') => {
            format!("{mantissa}.0e{exponent}")
        }
        Some(_) => text,
        None if text.contains('.') => text,
        None => format!("{text}.0"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::consult;
    use super::*;

    fn show(text: &str) -> String {
        consult(text).expect("valid")[0].to_erlang()
    }

    #[test]
    fn erlang_syntax() {
        assert_eq!(show("{local, my_sup}."), "{local, my_sup}");
        assert_eq!(show("\"1.0.0\"."), "\"1.0.0\"");
        assert_eq!(show("'hello world'."), "'hello world'");
        assert_eq!(show("'Foo'."), "'Foo'");
        assert_eq!(show("'case'."), "'case'");
        assert_eq!(show("café."), "café");
        assert_eq!(show("[a, b | c]."), "[a, b | c]");
        assert_eq!(show("[$a, $b]."), "\"ab\"");
        assert_eq!(show("[1, 2]."), "[1, 2]");
        assert_eq!(
            show("#{a => [1], \"k\" => <<\"v\">>}."),
            "#{a => [1], \"k\" => <<\"v\">>}"
        );
        assert_eq!(show("<<1, 2:4>>."), "<<1,2:4>>");
        assert_eq!(show("<<\"é\"/utf8>>."), "<<\"é\"/utf8>>");
        assert_eq!(show("1.0e100."), "1.0e100");
        assert_eq!(show("-0.5."), "-0.5");
        assert_eq!(show("1.0e-10."), "1.0e-10");
        assert_eq!(show("fun 'M':f/2."), "fun 'M':f/2");
        assert_eq!(show("\"a\\nb\\\"\"."), "\"a\\nb\\\"\"");
        assert_eq!(show("\"\"."), "[]");
    }

    #[test]
    fn floats_round_trip() {
        for f in [0.1, 1.0, 1.5e300, 2.0e-300, 123456789.125, 5e-324, f64::MAX] {
            let text = format!("{}.", float(f));
            let read = consult(&text).expect("valid float");
            assert_eq!(read[0].kind, TermKind::Float(f), "{text}");
        }
    }
}
