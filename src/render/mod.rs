//! Renderers: one folder per output format, one file per command inside.
//! Renderers only read the model and the analyses; they never read files.

pub mod deps_diagram;
pub mod diagram;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod tree_diagram;

use anstyle::{AnsiColor, Style};

/// A term as the JSON document prints it (`{listener,?}`, `?` for a part
/// not known) in words for people: `{listener,…}`. A `?` inside a quoted
/// atom or a string is text and stays.
pub fn term_text(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    // Unquoted parentheses appear in no printed term but alternatives,
    // `(a | b)`: a part not known either.
    let mut depth = 0usize;
    for c in term.chars() {
        if quote.is_none() && depth > 0 {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                '\'' | '"' => quote = Some(c),
                _ => {}
            }
            continue;
        }
        if quote.is_some() && depth > 0 {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if Some(c) == quote {
                quote = None;
            }
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => out.push('…'),
            None if c == '(' => {
                depth = 1;
                out.push('…');
            }
            None => out.push(c),
        }
    }
    out
}

/// Applies terminal styles when colour is on, and nothing otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub enabled: bool,
}

impl Painter {
    /// A painter that colours only when `enabled`.
    pub fn new(enabled: bool) -> Painter {
        Painter { enabled }
    }

    /// `text` in `style`.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Headings.
    pub fn heading(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Names of apps, modules, releases.
    pub fn name(&self, text: &str) -> String {
        self.paint(AnsiColor::Cyan.on_default().bold(), text)
    }

    /// Secondary detail: versions, paths.
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    /// Severity colours.
    pub fn severity(&self, sev: crate::diagnostic::Severity) -> String {
        use crate::diagnostic::Severity;
        let style = match sev {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
            Severity::Info => AnsiColor::Blue.on_default().bold(),
        };
        self.paint(style, sev.as_str())
    }

    /// Something good or notable (a regular app, a permanent start type).
    pub fn accent(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::term_text;

    #[test]
    fn unknown_parts_of_terms_are_an_ellipsis() {
        assert_eq!(term_text("{listener,?}"), "{listener,…}");
        assert_eq!(term_text("?"), "…");
        assert_eq!(term_text("{local,(a | (b | ?))}"), "{local,…}");
        assert_eq!(term_text("{'(x',(\")\" | ?)}"), "{'(x',…}");
        assert_eq!(term_text("{'a?',\"b?\\\"?\",?}"), "{'a?',\"b?\\\"?\",…}");
    }
}
