//! make's conditional directives (`ifeq`, `ifneq`, `ifdef`, `ifndef`,
//! `else`, `endif`) as an erlang.mk Makefile is read: which lines the
//! default build reads.
//!
//! make decides a conditional when it reads it, with the variables set so
//! far. The default build sets none on the command line or in the
//! environment, so a variable the file has not set is empty, as for
//! `make` with no arguments (cowboy's `ifeq ($(COWBOY_QUICER),1)` is
//! false). A condition that uses a make function (`$(filter ...)`,
//! `$(wildcard ...)`, `$(shell ...)`) is not evaluated: its lines are read,
//! as if it held, and the reader says so.

use std::collections::BTreeMap;

use super::make_vars::{expand_value, Assignment};

/// Whether the lines under a conditional are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The condition holds in the default build.
    Yes,
    /// It does not: the lines are left out.
    No,
    /// otpmap cannot tell (a make function): the lines are read.
    Unknown,
}

/// One open conditional.
#[derive(Debug, Clone)]
struct Frame {
    /// Line of the directive, and the directive as written.
    line: u32,
    text: String,
    /// The branch being read.
    now: Reading,
    /// Whether an earlier branch of this conditional was taken.
    taken: Reading,
}

/// The open conditionals at a point of the file.
#[derive(Debug, Default)]
pub(crate) struct Conditionals {
    frames: Vec<Frame>,
}

/// What a line is to the conditional reader.
pub(crate) enum Directive {
    /// Not a conditional directive.
    None,
    /// A directive, handled.
    Handled,
    /// `else` or `endif` with no open conditional.
    Stray(&'static str),
}

impl Conditionals {
    /// Whether the current line is read, and if not or not surely, the
    /// conditional that decides it (line, directive).
    pub(crate) fn reading(&self) -> (Reading, Option<(u32, &str)>) {
        reading_under(&self.frames)
    }

    /// Handles `line` (comment stripped, trimmed) if it is a conditional
    /// directive.
    pub(crate) fn directive(
        &mut self,
        line: &str,
        at: u32,
        vars: &BTreeMap<String, Assignment>,
    ) -> Directive {
        let word = line.split_whitespace().next().unwrap_or("");
        match word {
            "ifeq" | "ifneq" | "ifdef" | "ifndef" => {
                // Inside a branch not read, make does not evaluate the
                // condition either; nested conditionals only need pairing.
                let now = match self.reading().0 {
                    Reading::No => Reading::No,
                    _ => condition(line, vars),
                };
                self.frames.push(Frame {
                    line: at,
                    text: line.to_owned(),
                    now,
                    taken: now,
                });
                Directive::Handled
            }
            "else" => {
                let Some(n) = self.frames.len().checked_sub(1) else {
                    return Directive::Stray("else");
                };
                let outer = reading_under(&self.frames[..n]).0;
                let rest = line["else".len()..].trim();
                let f = &mut self.frames[n];
                let this = if rest.is_empty() {
                    Reading::Yes
                } else {
                    condition(rest, vars)
                };
                f.now = match (outer, f.taken, this) {
                    (Reading::No, _, _) | (_, Reading::Yes, _) => Reading::No,
                    (_, Reading::Unknown, _) => Reading::Unknown,
                    (_, Reading::No, this) => this,
                };
                f.taken = match (f.taken, f.now) {
                    (Reading::Yes, _) | (_, Reading::Yes) => Reading::Yes,
                    (Reading::Unknown, _) | (_, Reading::Unknown) => Reading::Unknown,
                    _ => Reading::No,
                };
                f.line = at;
                f.text = line.to_owned();
                Directive::Handled
            }
            "endif" => match self.frames.pop() {
                Some(_) => Directive::Handled,
                None => Directive::Stray("endif"),
            },
            _ => Directive::None,
        }
    }

    /// The conditionals left open at the end of the file (line, directive).
    pub(crate) fn unclosed(&self) -> Option<(u32, &str)> {
        self.frames.first().map(|f| (f.line, f.text.as_str()))
    }
}

/// Whether lines under `frames` are read: no if one of them is not
/// taken, not known if one of them cannot be told, with the outermost
/// conditional that says so.
fn reading_under(frames: &[Frame]) -> (Reading, Option<(u32, &str)>) {
    let mut unknown = None;
    for f in frames {
        match f.now {
            Reading::No => return (Reading::No, Some((f.line, &f.text))),
            Reading::Unknown => unknown = unknown.or(Some((f.line, f.text.as_str()))),
            Reading::Yes => {}
        }
    }
    match unknown {
        Some(u) => (Reading::Unknown, Some(u)),
        None => (Reading::Yes, None),
    }
}

/// Evaluates `ifeq (a,b)`, `ifeq "a" "b"`, `ifneq ...`, `ifdef VAR`,
/// `ifndef VAR` with the variables set so far.
fn condition(directive: &str, vars: &BTreeMap<String, Assignment>) -> Reading {
    let (word, rest) = directive
        .split_once(char::is_whitespace)
        .unwrap_or((directive, ""));
    let rest = rest.trim();
    let holds = match word {
        "ifdef" | "ifndef" => {
            if rest.contains('$') || rest.is_empty() {
                return Reading::Unknown;
            }
            // make's ifdef asks whether the variable has a non-empty value.
            let set = vars.get(rest).is_some_and(|a| !a.value.trim().is_empty());
            set == (word == "ifdef")
        }
        "ifeq" | "ifneq" => {
            let Some((a, b)) = operands(rest) else {
                return Reading::Unknown;
            };
            let (Some(a), Some(b)) = (value_of(a, vars), value_of(b, vars)) else {
                return Reading::Unknown;
            };
            (a == b) == (word == "ifeq")
        }
        _ => return Reading::Unknown,
    };
    if holds {
        Reading::Yes
    } else {
        Reading::No
    }
}

/// The two operands of `(a,b)` (split at the first top-level comma) or of
/// `"a" "b"` / `'a' 'b'`.
fn operands(rest: &str) -> Option<(&str, &str)> {
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        let mut depth = 0usize;
        for (i, c) in inner.char_indices() {
            match c {
                '(' | '{' => depth += 1,
                ')' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => return Some((inner[..i].trim(), inner[i + 1..].trim())),
                _ => {}
            }
        }
        return None;
    }
    let quoted = |s: &str| -> Option<(usize, usize)> {
        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = s[1..].find(q)? + 1;
        Some((1, end))
    };
    let (s, e) = quoted(rest)?;
    let a = &rest[s..e];
    let tail = rest[e + 1..].trim_start();
    let (s2, e2) = quoted(tail)?;
    tail[e2 + 1..].trim().is_empty().then(|| (a, &tail[s2..e2]))
}

/// An operand's value in the default build: references to variables set
/// so far expanded, to others empty; `None` when it calls a make function.
fn value_of(operand: &str, vars: &BTreeMap<String, Assignment>) -> Option<String> {
    let expanded = expand_value(operand, vars)?;
    let mut out = String::with_capacity(expanded.len());
    let mut rest = expanded.as_str();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let close = match after.chars().next() {
            Some('(') => ')',
            Some('{') => '}',
            Some('$') => {
                out.push('$');
                rest = &after[1..];
                continue;
            }
            // `$X`: a one-letter variable; none is set in the default build.
            Some(_) => {
                rest = &after[after.chars().next().map_or(0, char::len_utf8)..];
                continue;
            }
            None => {
                rest = after;
                continue;
            }
        };
        let end = after.find(close)?;
        let name = &after[1..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return None;
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, Assignment> {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    Assignment {
                        value: (*v).to_owned(),
                        line: 1,
                        file: "Makefile".to_owned(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn conditions_in_the_default_build() {
        let v = vars(&[("MODE", "fast"), ("ALIAS", "$(MODE)"), ("EMPTY", "")]);
        let c = |d: &str| condition(d, &v);
        assert_eq!(c("ifeq ($(COWBOY_QUICER),1)"), Reading::No);
        assert_eq!(c("ifneq ($(COWBOY_QUICER),1)"), Reading::Yes);
        assert_eq!(c("ifeq ($(MODE),fast)"), Reading::Yes);
        assert_eq!(c("ifeq ($(ALIAS), fast)"), Reading::Yes);
        assert_eq!(c("ifeq \"$(MODE)\" \"slow\""), Reading::No);
        assert_eq!(c("ifeq '' '$(UNSET)'"), Reading::Yes);
        assert_eq!(c("ifdef MODE"), Reading::Yes);
        assert_eq!(c("ifdef EMPTY"), Reading::No);
        assert_eq!(c("ifndef FULL"), Reading::Yes);
        assert_eq!(c("ifeq ($(filter x,$(MODE)),)"), Reading::Unknown);
        assert_eq!(c("ifneq ($(wildcard deps/x),)"), Reading::Unknown);
        assert_eq!(c("ifeq (a)"), Reading::Unknown);
    }

    fn read(lines: &[&str]) -> Vec<Reading> {
        let v = vars(&[("ON", "1")]);
        let mut c = Conditionals::default();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            match c.directive(l, i as u32 + 1, &v) {
                Directive::None => out.push(c.reading().0),
                Directive::Handled => {}
                Directive::Stray(w) => panic!("stray {w}"),
            }
        }
        out
    }

    #[test]
    fn branches_nesting_and_else_if() {
        use Reading::*;
        assert_eq!(
            read(&[
                "ifeq ($(ON),1)",
                "a",
                "else",
                "b",
                "endif",
                "ifeq ($(OFF),1)",
                "c",
                "else ifeq ($(ON),1)",
                "d",
                "else",
                "e",
                "endif",
                "ifdef OFF",
                "ifdef ON",
                "f",
                "else",
                "g",
                "endif",
                "endif",
                "ifneq ($(shell uname),Linux)",
                "h",
                "else",
                "i",
                "endif",
            ]),
            vec![Yes, No, No, Yes, No, No, No, Unknown, Unknown]
        );
    }
}
