//! Values of literal tokens: escapes in strings, quoted atoms and `$c`
//! characters, integers in any base, floats. Shared by the cheap lexer's
//! users and the tree-sitter lowering so both read literals alike.

/// Decodes the escape sequences of a quoted atom or string body (without
/// the quotes), as `erl_scan` does. An unknown escape keeps the character.
fn unescape(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match escape_value(e, &mut chars) {
            Some(v) => out.push(v),
            None => out.push(e),
        }
    }
    out
}

/// The character an escape stands for; `e` is the character after `\`.
fn escape_value(e: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    Some(match e {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{0B}',
        'b' => '\u{08}',
        'f' => '\u{0C}',
        'e' => '\u{1B}',
        's' => ' ',
        'd' => '\u{7F}',
        '0'..='7' => {
            let mut v = e.to_digit(8)?;
            for _ in 0..2 {
                match chars.peek().and_then(|c| c.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(v)?
        }
        'x' => {
            let mut v: u32 = 0;
            if chars.peek() == Some(&'{') {
                chars.next();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    v = v.checked_mul(16)?.checked_add(c.to_digit(16)?)?;
                }
            } else {
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
            }
            char::from_u32(v)?
        }
        '^' => {
            let c = chars.next()?;
            char::from_u32((c as u32) % 32)?
        }
        other => other,
    })
}

/// The name of an atom token: quoted atoms are unquoted and unescaped.
pub(crate) fn atom_value(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) => unescape(rest.strip_suffix('\'').unwrap_or(rest)),
        None => text.to_owned(),
    }
}

/// The contents of one string token: `"..."`, a triple-quoted string
/// (indentation of the closing line removed) or a sigil string.
pub(crate) fn string_value(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('~') {
        let (verbatim, rest) = match rest.as_bytes().first() {
            Some(b'B' | b'S') => (true, &rest[1..]),
            Some(b'b' | b's') => (false, &rest[1..]),
            _ => (false, rest),
        };
        if rest.starts_with("\"\"\"") {
            return triple_quoted(rest);
        }
        let body = rest.get(1..rest.len().saturating_sub(1)).unwrap_or("");
        return if verbatim {
            body.to_owned()
        } else {
            unescape(body)
        };
    }
    if text.starts_with("\"\"\"") {
        return triple_quoted(text);
    }
    let body = text.strip_prefix('"').unwrap_or(text);
    unescape(body.strip_suffix('"').unwrap_or(body))
}

/// A triple-quoted string: the lines between the opening and closing
/// lines, with the closing line's indentation removed; no escapes.
fn triple_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() < 2 {
        return String::new();
    }
    let last = lines[lines.len() - 1];
    let indent = last.len() - last.trim_start().len();
    lines[1..lines.len() - 1]
        .iter()
        .map(|l| {
            l.get(indent..)
                .unwrap_or(l.trim_start())
                .trim_end_matches('\r')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The code point of a `$c` character literal.
pub(crate) fn char_value(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('$')?;
    let mut chars = rest.chars().peekable();
    let c = chars.next()?;
    if c != '\\' {
        return Some(c as u32);
    }
    let e = chars.next()?;
    escape_value(e, &mut chars).map(|c| c as u32)
}

/// The value of an integer literal (`42`, `1_000`, `16#ff`); `None` when
/// it does not fit an `i128` or is malformed.
pub(crate) fn integer_value(text: &str) -> Option<i128> {
    // Plain decimal digits (an arity, a port) need no cleaned copy.
    if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(text.bytes().fold(0, |n, b| n * 10 + i128::from(b - b'0')));
    }
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    match clean.split_once('#') {
        Some((base, digits)) => {
            let base: u32 = base.parse().ok()?;
            if !(2..=36).contains(&base) {
                return None;
            }
            i128::from_str_radix(digits, base).ok()
        }
        None => clean.parse().ok(),
    }
}

/// The value of a float literal (`1.5`, `2.0e-3`); based floats are not
/// supported and give `None`.
pub(crate) fn float_value(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"a\nb\tc\\d\"e"#), "a\nb\tc\\d\"e");
        assert_eq!(unescape(r"\101\x41\x{1F600}\^a\s"), "AA\u{1F600}\u{1} ");
        assert_eq!(atom_value(r"'it\'s'"), "it's");
        assert_eq!(atom_value("plain"), "plain");
    }

    #[test]
    fn strings_of_every_form() {
        assert_eq!(string_value(r#""a\"b""#), "a\"b");
        assert_eq!(string_value(r#"~B"a\nb""#), r"a\nb");
        assert_eq!(string_value(r"~s(a\)b)"), "a)b");
        assert_eq!(string_value("\"\"\"\n    x\n      y\n    \"\"\""), "x\n  y");
    }

    #[test]
    fn chars_and_numbers() {
        assert_eq!(char_value("$a"), Some(97));
        assert_eq!(char_value("$\\n"), Some(10));
        assert_eq!(char_value("$\\x{263A}"), Some(0x263A));
        assert_eq!(char_value("$\\^C"), Some(3));
        assert_eq!(char_value("$é"), Some(0xE9));
        assert_eq!(integer_value("16#fF"), Some(255));
        assert_eq!(integer_value("1_000"), Some(1000));
        assert_eq!(integer_value("2#1010"), Some(10));
        assert_eq!(
            integer_value("99999999999999999999999999999999999999999"),
            None
        );
        assert_eq!(float_value("2.5e-1"), Some(0.25));
    }
}
