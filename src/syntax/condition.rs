//! Conditional compilation: which `-ifdef`/`-ifndef`/`-if`/`-elif`/`-else`
//! branches a form sits in. Both branches are kept; each form is marked
//! with the condition it is compiled under, so analyses can show what
//! exists only with `-DTEST` or on some OTP release.

use std::fmt;

use serde::Serialize;

/// The test of a conditional directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TestKind {
    /// `-ifdef(Name)`: the macro is defined.
    Ifdef,
    /// `-ifndef(Name)`: the macro is not defined.
    Ifndef,
    /// `-if(Expr)` or `-elif(Expr)`: the expression is true.
    If,
}

/// Which branch of a directive a form is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Branch {
    /// The test holds.
    Then,
    /// The test fails (`-else`, or a later `-elif`).
    Else,
}

/// One directive a form depends on: `(TEST defined, then)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CondTerm {
    /// The kind of test.
    pub kind: TestKind,
    /// The macro name (`Ifdef`, `Ifndef`) or the expression's source text (`If`).
    pub text: String,
    /// The branch the form is in.
    pub branch: Branch,
}

impl CondTerm {
    /// True when this term holds given whether the test holds.
    pub(crate) fn holds_when(&self, test: bool) -> bool {
        test == (self.branch == Branch::Then)
    }
}

/// The conjunction of directives a form is compiled under; empty means always.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Condition(pub Vec<CondTerm>);

impl Condition {
    /// The condition of unconditional code.
    pub(crate) fn always() -> Condition {
        Condition(Vec::new())
    }

    /// True for unconditional code.
    pub fn is_always(&self) -> bool {
        self.0.is_empty()
    }

    /// The terms, outermost first.
    pub fn terms(&self) -> &[CondTerm] {
        &self.0
    }
}

impl fmt::Display for Condition {
    /// `TEST defined and not (?OTP_RELEASE >= 21)`, or `always`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("always");
        }
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            let positive = match t.kind {
                TestKind::Ifdef | TestKind::If => t.branch == Branch::Then,
                TestKind::Ifndef => t.branch == Branch::Else,
            };
            match (t.kind, positive) {
                (TestKind::If, true) => write!(f, "({})", t.text)?,
                (TestKind::If, false) => write!(f, "not ({})", t.text)?,
                (_, true) => write!(f, "{} defined", t.text)?,
                (_, false) => write!(f, "{} undefined", t.text)?,
            }
        }
        Ok(())
    }
}

/// One open `-if...` chain on the preprocessor stack.
#[derive(Debug, Clone)]
struct Frame {
    /// Terms this chain adds: earlier tests in `Else`, the current one last.
    terms: Vec<CondTerm>,
    /// An include guard (`-ifndef(X). -define(X, ...).`) adds no condition:
    /// it only stops a header from being read twice.
    include_guard: bool,
    /// True after `-else`: a further `-else`/`-elif` is an error.
    seen_else: bool,
}

/// A misuse of the directives, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DirectiveError {
    /// `-else`, `-elif` or `-endif` with no open `-if`/`-ifdef`/`-ifndef`.
    Unmatched(&'static str),
    /// `-else` or `-elif` after `-else`.
    AfterElse(&'static str),
}

/// Tracks the directive stack while walking a file's forms in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConditionStack {
    frames: Vec<Frame>,
}

impl ConditionStack {
    /// The condition of the forms at this point.
    pub(crate) fn current(&self) -> Condition {
        if self
            .frames
            .iter()
            .all(|f| f.include_guard || f.terms.is_empty())
        {
            return Condition::always();
        }
        Condition(
            self.frames
                .iter()
                .filter(|f| !f.include_guard)
                .flat_map(|f| f.terms.iter().cloned())
                .collect(),
        )
    }

    /// Opens `-ifdef`, `-ifndef` or `-if`.
    pub(crate) fn open(&mut self, kind: TestKind, text: String, include_guard: bool) {
        self.frames.push(Frame {
            terms: vec![CondTerm {
                kind,
                text,
                branch: Branch::Then,
            }],
            include_guard,
            seen_else: false,
        });
    }

    /// `-elif(Expr)`.
    pub(crate) fn elif(&mut self, text: String) -> Result<(), DirectiveError> {
        let frame = self
            .frames
            .last_mut()
            .ok_or(DirectiveError::Unmatched("elif"))?;
        if frame.seen_else {
            return Err(DirectiveError::AfterElse("elif"));
        }
        for t in &mut frame.terms {
            t.branch = Branch::Else;
        }
        frame.include_guard = false;
        frame.terms.push(CondTerm {
            kind: TestKind::If,
            text,
            branch: Branch::Then,
        });
        Ok(())
    }

    /// `-else`.
    pub(crate) fn else_(&mut self) -> Result<(), DirectiveError> {
        let frame = self
            .frames
            .last_mut()
            .ok_or(DirectiveError::Unmatched("else"))?;
        if frame.seen_else {
            return Err(DirectiveError::AfterElse("else"));
        }
        frame.seen_else = true;
        frame.include_guard = false;
        for t in &mut frame.terms {
            t.branch = Branch::Else;
        }
        Ok(())
    }

    /// `-endif`.
    pub(crate) fn endif(&mut self) -> Result<(), DirectiveError> {
        self.frames
            .pop()
            .map(|_| ())
            .ok_or(DirectiveError::Unmatched("endif"))
    }

    /// Number of directives still open (non-zero at the end of a file is an error).
    #[cfg(test)]
    fn depth(&self) -> usize {
        self.frames.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_elif_else_chain() {
        let mut s = ConditionStack::default();
        s.open(TestKind::If, "?OTP_RELEASE >= 26".into(), false);
        assert_eq!(s.current().to_string(), "(?OTP_RELEASE >= 26)");
        s.elif("?OTP_RELEASE >= 24".into()).unwrap();
        assert_eq!(
            s.current().to_string(),
            "not (?OTP_RELEASE >= 26) and (?OTP_RELEASE >= 24)"
        );
        s.else_().unwrap();
        assert_eq!(
            s.current().to_string(),
            "not (?OTP_RELEASE >= 26) and not (?OTP_RELEASE >= 24)"
        );
        assert_eq!(s.else_(), Err(DirectiveError::AfterElse("else")));
        s.endif().unwrap();
        assert!(s.current().is_always());
        assert_eq!(s.endif(), Err(DirectiveError::Unmatched("endif")));
    }

    #[test]
    fn nesting_and_include_guards() {
        let mut s = ConditionStack::default();
        s.open(TestKind::Ifndef, "APP_HRL".into(), true);
        assert!(s.current().is_always());
        s.open(TestKind::Ifdef, "TEST".into(), false);
        s.else_().unwrap();
        assert_eq!(s.current().to_string(), "TEST undefined");
        assert_eq!(s.depth(), 2);
    }
}
