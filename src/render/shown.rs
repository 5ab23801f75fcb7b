//! Text from the scanned code base made safe to print for people (issue
//! 18). Names, versions, paths and source lines come from files anyone can
//! write: printed raw, an ESC sequence hides or rewrites what the terminal
//! shows, a bidi override reorders it, a newline starts a fake line, and a
//! line starting with `::` is a workflow command to GitHub Actions
//! (`::error`, `::add-mask::`, `::stop-commands::`).
//!
//! Two layers: [`shown`] escapes each field from input where it is put in
//! the output (so a newline in a name is `\n`, not a new line), and
//! [`for_terminal`] goes over the whole human output once, so a field
//! missed by the first layer still cannot reach the terminal raw.

use std::borrow::Cow;
use std::fmt::Write as _;

/// How one character is shown, or `None` when it is shown as itself.
/// Control characters (C0, DEL, C1), the bidi controls and the line and
/// paragraph separators (terminals and editors treat them as line breaks).
fn escape(c: char) -> Option<Cow<'static, str>> {
    let fixed = match c {
        '\x1b' => "\\e",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\0' => "\\0",
        _ => {
            let hidden = c.is_control()
                || matches!(
                    c,
                    '\u{061C}'
                        | '\u{200E}'
                        | '\u{200F}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2028}'
                        | '\u{2029}'
                        // Not characters for XML 1.0: an SVG holding them
                        // does not parse.
                        | '\u{FFFE}'
                        | '\u{FFFF}'
                );
            if !hidden {
                return None;
            }
            let mut s = String::new();
            let _ = write!(s, "\\u{{{:X}}}", c as u32);
            return Some(Cow::Owned(s));
        }
    };
    Some(Cow::Borrowed(fixed))
}

/// `s` with every control character, ESC and bidi control escaped (`\e`,
/// `\n`, `\u{202E}`): one field from input, shown on one line.
pub(crate) fn shown(s: &str) -> Cow<'_, str> {
    escaped(s, |_| false)
}

/// An identifier from input made printable as [`shown`] does, with
/// backslashes doubled so that two different identifiers stay different
/// (a name holding a newline and one holding `\` then `n`).
pub(crate) fn shown_id(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return shown(s);
    }
    Cow::Owned(shown(&s.replace('\\', "\\\\")).into_owned())
}

/// A source line for a code frame: as [`shown`] but tabs kept, so the
/// caret line below lines up with the code.
pub(crate) fn shown_code(s: &str) -> Cow<'_, str> {
    escaped(s, |c| c == '\t')
}

/// How many columns `c` takes in [`shown_code`]'s output: the caret line
/// is padded with as many spaces.
pub(crate) fn code_width(c: char) -> usize {
    if c == '\t' {
        return 1;
    }
    escape(c).map_or(1, |e| e.chars().count())
}

fn escaped(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| !keep(c) && escape(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match escape(c) {
            Some(e) if !keep(c) => out.push_str(&e),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The whole human output made safe for a terminal and a CI log: control
/// characters other than newline and tab escaped as [`shown`] does,
/// except, when `color` is on, the colour sequences [`super::Painter`]
/// writes (SGR with only the codes it uses: an input sequence of that form
/// can change a colour, never hide text or move the cursor); and a line
/// whose first non-blank characters are `::` gets its first colon escaped
/// (`\u{3A}`), as does `##[`, the older form of a workflow command.
pub(crate) fn for_terminal(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let start = out.len();
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            if c == '\x1b' && color {
                if let Some(n) = painter_sgr(rest) {
                    out.push_str(&rest[..n]);
                    rest = &rest[n..];
                    continue;
                }
            }
            match escape(c) {
                Some(e) if c != '\t' => out.push_str(&e),
                _ => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        let shown_line = &out[start..];
        let visible = strip_sgr(shown_line);
        if visible.trim_start().starts_with("::") || shown_line.contains("##[") {
            let fixed = guard_line(shown_line);
            out.truncate(start);
            out.push_str(&fixed);
        }
    }
    out
}

/// The length of the SGR sequence at the start of `s` when it is one the
/// painter writes: `ESC [ n(;n)* m` with codes for reset, bold, dim and
/// the foreground colours.
fn painter_sgr(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\x1b[")?;
    let end = body.find('m')?;
    let params = &body[..end];
    if params.len() > 16 {
        return None;
    }
    let ok = params.split(';').all(|p| {
        matches!(
            p,
            "" | "0"
                | "1"
                | "2"
                | "22"
                | "39"
                | "30"
                | "31"
                | "32"
                | "33"
                | "34"
                | "35"
                | "36"
                | "37"
        )
    });
    ok.then_some(2 + end + 1)
}

fn strip_sgr(line: &str) -> Cow<'_, str> {
    if !line.contains('\x1b') {
        return Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        match painter_sgr(&rest[i..]) {
            Some(n) => rest = &rest[i + n..],
            None => {
                out.push('\x1b');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `line` with its leading `::` (after blanks and colour codes) and every
/// `##[` made inert by escaping one character.
fn guard_line(line: &str) -> String {
    let mut out = line.replace("##[", "#\\u{23}[");
    // The first ':' that is not inside a colour sequence is the one that
    // starts the visible text (only blanks and SGR codes precede it).
    let mut i = 0;
    let bytes = out.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            0x1b => match painter_sgr(&out[i..]) {
                Some(n) => i += n,
                None => break,
            },
            b':' => {
                if out[i..].starts_with("::") {
                    out.replace_range(i..i + 1, "\\u{3A}");
                }
                break;
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped() {
        assert_eq!(shown("app"), "app");
        assert_eq!(shown("0.1\x1b[8m"), "0.1\\e[8m");
        assert_eq!(shown("a\nb\rc\td\x07"), "a\\nb\\rc\\td\\u{7}");
        assert_eq!(shown("x\u{202E}y\u{2066}"), "x\\u{202E}y\\u{2066}");
        assert_eq!(shown("\u{85}"), "\\u{85}");
        assert_eq!(shown_code("\tx\x1b"), "\tx\\e");
        assert_eq!(code_width('\x1b'), 2);
        assert_eq!(code_width('\u{202E}'), 8);
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let t = for_terminal("a\n::error file=x::Fake\n   ::add-mask::s\nok ::x\n", false);
        for line in t.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line}");
        }
        assert!(t.contains("ok ::x"));
        let t = for_terminal("\x1b[1m::error::x\x1b[0m\n", true);
        assert!(!strip_sgr(&t).trim_start().starts_with("::"), "{t}");
        assert!(!for_terminal("x ##[error]y", false).contains("##["));
    }

    #[test]
    fn only_the_painters_colours_pass() {
        assert_eq!(
            for_terminal("\x1b[1m\x1b[36ma\x1b[0m", true),
            "\x1b[1m\x1b[36ma\x1b[0m"
        );
        assert_eq!(for_terminal("\x1b[1ma", false), "\\e[1ma");
        assert_eq!(
            for_terminal("\x1b[8ma\x1b]0;t\x07", true),
            "\\e[8ma\\e]0;t\\u{7}"
        );
        assert_eq!(for_terminal("a\tb\u{202E}\r\n", true), "a\tb\\u{202E}\\r\n");
    }
}
