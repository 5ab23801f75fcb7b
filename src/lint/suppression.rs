//! Suppressing one finding with a comment on the line before it:
//!
//! ```erlang
//! %% otpmap:ignore blocking-init the registry is local and started first
//! {ok, Ep} = gen_server:call(uplink_registry, {lookup, cache}),
//! ```
//!
//! The comment names one or more rules (names or codes, separated by
//! commas) and then gives a reason. It applies to the next line that is
//! neither blank nor a comment, so it may sit above other comments. A
//! suppression that suppresses nothing is itself reported
//! (`unused-suppression`), so stale ones do not pile up.

use crate::syntax::SourceFile;

/// The marker that starts a suppression inside a comment.
const MARKER: &str = "otpmap:ignore";

/// One suppression comment.
#[derive(Debug, Clone)]
pub(crate) struct Suppression {
    pub(crate) file: String,
    /// The comment's line and the column of the marker.
    pub(super) line: u32,
    pub(super) column: u32,
    /// The column one past the end of the comment.
    pub(super) end_column: u32,
    /// The line it applies to.
    pub(crate) target_line: u32,
    /// The rule names or codes as written.
    pub(crate) rules: Vec<String>,
    #[cfg_attr(not(test), expect(dead_code, reason = "only tests read it (issue 19)"))]
    reason: String,
}

/// Finds suppression comments in one file. `is_rule` tells a rule's name
/// or code (the registry's, which reads suppressions through the lint's
/// `Context`: this file names no other of the lint).
pub(super) fn scan(file: &SourceFile, out: &mut Vec<Suppression>, is_rule: &dyn Fn(&str) -> bool) {
    // memchr's search, not `str::contains`: every text of the project is
    // searched and very few hold the marker (27 M instructions on OTP's
    // lib with the standard library's).
    if memchr::memmem::find(file.text.as_bytes(), MARKER.as_bytes()).is_none() {
        return;
    }
    let lines: Vec<&str> = file.text.lines().collect();
    // The line each line's suppression applies to, 1-based: the next line
    // that is neither blank nor a comment, found in one backward pass (a
    // search per comment was quadratic: 60 000 comments took 25 s).
    let mut target_of = vec![0usize; lines.len()];
    let mut next_code = lines.len() + 1;
    for (j, l) in lines.iter().enumerate().rev() {
        target_of[j] = next_code;
        let t = l.trim_start();
        if !t.is_empty() && !t.starts_with('%') {
            next_code = j + 1;
        }
    }
    for (i, line) in lines.iter().enumerate() {
        let Some(pct) = comment_start(line) else {
            continue;
        };
        let comment = &line[pct..];
        let body = comment.trim_start_matches('%').trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        // `otpmap:ignore-file` and the like are not suppressions of a line.
        if rest.starts_with(|c: char| !c.is_whitespace()) {
            continue;
        }
        let rest = rest.trim_start();
        let (names, reason) = split_names(rest, is_rule);
        // No code line below: the line after the comment, as before.
        let target = match target_of[i] {
            t if t > lines.len() => i + 2,
            t => t,
        };
        out.push(Suppression {
            file: file.path.clone(),
            line: i as u32 + 1,
            column: line[..pct].chars().count() as u32 + 1,
            end_column: line.trim_end().chars().count() as u32 + 1,
            target_line: target as u32,
            rules: names,
            reason: reason.to_owned(),
        });
    }
}

/// The byte offset of a `%` that starts a comment (not one inside a string
/// or a `$%` character literal).
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '$' if !in_string => {
                // `$%`, `$"` and `$\x` are characters.
                if let Some((_, '\\')) = chars.next() {
                    chars.next();
                }
            }
            '%' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

/// `blocking-init, OTP002 the reason` → names and reason. The first word
/// is a name when shaped like one; later words are names after a comma, or
/// when they are known rules.
fn split_names<'a>(s: &'a str, is_rule: &dyn Fn(&str) -> bool) -> (Vec<String>, &'a str) {
    let mut names = Vec::new();
    let mut rest = s.trim_start();
    let mut after_comma = true;
    loop {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(rest.len());
        let token = &rest[..end];
        let is_name = !token.is_empty()
            && if after_comma {
                looks_like_rule(token, is_rule)
            } else {
                is_rule(token)
            };
        if !is_name {
            break;
        }
        names.push(token.to_owned());
        rest = rest[end..].trim_start();
        after_comma = rest.starts_with(',');
        rest = rest.trim_start_matches(',').trim_start();
    }
    (names, rest.trim())
}

/// A word that names a rule, or is shaped like one (kebab-case, or a code).
fn looks_like_rule(token: &str, is_rule: &dyn Fn(&str) -> bool) -> bool {
    is_rule(token)
        || (token.contains('-')
            && token
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
        || (token.len() == 6 && token[..3].eq_ignore_ascii_case("otp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> Vec<Suppression> {
        let mut out = Vec::new();
        scan(&SourceFile::from_text("src/a.erl", text), &mut out, &|t| {
            crate::lint::registry::find(t).is_some()
        });
        out
    }

    #[test]
    fn reads_names_reason_and_target() {
        let s = scan_text(
            "init(_) ->\n    %% otpmap:ignore blocking-init, OTP002 local cache\n    %% another comment\n\n    x().\n",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].rules, ["blocking-init", "OTP002"]);
        assert_eq!(s[0].reason, "local cache");
        assert_eq!(s[0].line, 2);
        assert_eq!(s[0].target_line, 5);
        assert_eq!(s[0].column, 5);
    }

    #[test]
    fn space_separated_known_rules() {
        let s = scan_text("%% otpmap:ignore blocking-init infinity-call-timeout both ok\nx().\n");
        assert_eq!(s[0].rules, ["blocking-init", "infinity-call-timeout"]);
        assert_eq!(s[0].reason, "both ok");
    }

    #[test]
    fn marker_in_a_string_is_not_a_comment() {
        assert!(scan_text("f() -> \"% otpmap:ignore blocking-init x\".\n").is_empty());
        assert!(scan_text("f() -> $%. % otpmap:ignore-file x\n").is_empty());
    }

    #[test]
    fn no_rule_named() {
        let s = scan_text("%% otpmap:ignore because\nx().\n");
        assert!(s[0].rules.is_empty());
        assert_eq!(s[0].reason, "because");
    }
}
