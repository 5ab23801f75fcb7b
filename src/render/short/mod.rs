//! One line per finding, `file:line:col: severity[code] message`: the shape
//! compilers print, which editors' problem matchers, `grep` and `sort` read.

pub(crate) mod lint;

/// Keeps a field on its line: control characters (a newline in a module
/// name, an ESC sequence in a version) are written escaped, so one finding
/// is one line and nothing from the input reaches the terminal raw.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Bidirectional overrides and isolates reorder what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}
