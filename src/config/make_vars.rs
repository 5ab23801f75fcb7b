//! make variables as an erlang.mk Makefile sets them ([`Assignment`]) and
//! the expansion of `$(VAR)` / `${VAR}` references to them, which the
//! Makefile reader (`erlang_mk.rs`) and its conditionals
//! (`make_conditional.rs`) both do.

use std::collections::BTreeMap;

/// An assignment with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub(crate) value: String,
    pub line: u32,
    /// The makefile it is written in, relative to the scanned root: the
    /// Makefile read or one it includes.
    pub(crate) file: String,
}

/// `value` with the references to `vars` expanded (others kept as
/// written); `None` when the expansion loops or runs over the budget.
pub(super) fn expand_value(value: &str, vars: &BTreeMap<String, Assignment>) -> Option<String> {
    let mut budget = EXPANSION_BUDGET;
    let mut expansion = Expansion {
        out: String::with_capacity(value.len()),
        stack: Vec::new(),
        budget: &mut budget,
        problem: None,
    };
    expansion.expand(value, vars);
    let Expansion { out, problem, .. } = expansion;
    problem.is_none().then_some(out)
}

/// Bytes of values pulled in by references, over all the values of a file,
/// before expansion stops. Variables that refer to each other can blow up
/// exponentially (`A = $(B)$(B)`, `B = $(C)$(C)`, ...), and no real
/// Makefile's values come near this.
pub(super) const EXPANSION_BUDGET: usize = 1 << 20;

/// References followed inside one another before expansion stops (make
/// has no limit, but no real Makefile nests this deep).
const MAX_EXPANSION_DEPTH: usize = 16;

/// The expansion of one variable's value.
pub(super) struct Expansion<'a> {
    pub(super) out: String,
    /// The variables being expanded, outermost first: a reference to one
    /// of them is a loop, which make refuses.
    pub(super) stack: Vec<&'a str>,
    /// What is left of the file's budget.
    pub(super) budget: &'a mut usize,
    /// Why a reference to a variable of the file was left unexpanded.
    pub(super) problem: Option<String>,
}

impl<'a> Expansion<'a> {
    /// Appends `value` with the references to known variables expanded.
    /// References that cannot be are kept as written.
    pub(super) fn expand(&mut self, value: &'a str, vars: &'a BTreeMap<String, Assignment>) {
        let mut rest = value;
        while let Some(at) = rest.find('$') {
            self.out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let close = match after.chars().next() {
                Some('(') => ')',
                Some('{') => '}',
                _ => {
                    self.out.push('$');
                    rest = after;
                    continue;
                }
            };
            let Some(end) = after.find(close) else {
                self.out.push_str(&rest[at..]);
                return;
            };
            let reference = &rest[at..at + 1 + end + 1];
            let name = &after[1..end];
            rest = &after[end + 1..];
            let known = vars.get_key_value(name).filter(|_| !name.contains(' '));
            let Some((name, a)) = known else {
                self.out.push_str(reference);
                continue;
            };
            // Each reference costs what it pulls in, so the work is bounded
            // even when the values are empty.
            let cost = a.value.len() + reference.len();
            let problem = if self.stack.contains(&name.as_str()) {
                Some(format!(
                    "refers to itself through `{reference}`, which make refuses"
                ))
            } else if self.stack.len() > MAX_EXPANSION_DEPTH {
                Some(format!(
                    "nests variable references more than {MAX_EXPANSION_DEPTH} deep"
                ))
            } else if cost > *self.budget {
                Some("expands to more text than otpmap reads".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem {
                self.problem.get_or_insert(problem);
                self.out.push_str(reference);
                continue;
            }
            *self.budget -= cost;
            self.stack.push(name);
            self.expand(&a.value, vars);
            self.stack.pop();
        }
        self.out.push_str(rest);
    }
}
