//! Siblings that are one child spec repeated with an index
//! (`{queue_sup_0, ...}` ... `{queue_sup_49, ...}`, built by a
//! comprehension over `lists:seq/2`): the human tree draws them as one line
//! with a count, where the JSON keeps every one.
//!
//! Two siblings are alike when everything but the numbers in their ids,
//! start arguments, registered names and messages is the same: module,
//! type, restart, shutdown, strategy and intensity, conditions, tags, and
//! their subtrees, compared the same way. Numbers that are fields
//! (shutdown, intensity, period) are compared exactly.

use crate::graph::supervision::TreeNode;

/// Fewer alike siblings than this are drawn one by one: a count saves
/// little and hides which ones there are.
const MIN_RUN: usize = 3;

/// The runs of alike siblings, as (first index, length), covering
/// `children` in order; a child alike to none is a run of one.
pub(crate) fn runs(children: &[TreeNode]) -> Vec<(usize, usize)> {
    let keys: Vec<String> = children.iter().map(key).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < children.len() {
        let mut j = i + 1;
        while j < children.len() && keys[j] == keys[i] && children[j].id != children[j - 1].id {
            j += 1;
        }
        if j - i >= MIN_RUN {
            out.push((i, j - i));
        } else {
            out.extend((i..j).map(|k| (k, 1)));
        }
        i = j;
    }
    out
}

/// Whether the id has a number in it: only indexed ids are collapsed, so
/// that children whose ids differ otherwise (`a`, `b`) are never merged.
fn indexed(id: &str) -> bool {
    id.chars().any(|c| c.is_ascii_digit())
}

/// Everything a reader sees of a node and its subtree, the numbers of
/// ids, starts, names and messages blanked.
fn key(n: &TreeNode) -> String {
    let mut out = String::new();
    write_key(n, &mut out);
    out
}

fn write_key(n: &TreeNode, out: &mut String) {
    let field = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push('\u{1f}');
    };
    if !indexed(&n.id) {
        // Not indexed: nothing to collapse; the id itself keeps it apart.
        field(out, &n.id);
    } else {
        field(out, &blank_numbers(&n.id));
    }
    field(out, n.module.as_deref().unwrap_or(""));
    field(out, &blank_numbers(n.start.as_deref().unwrap_or("")));
    field(out, n.child_type.map_or("", |t| t.as_str()));
    field(out, n.restart.map_or("", |r| r.as_str()));
    field(out, &n.shutdown.map(|s| s.to_string()).unwrap_or_default());
    field(out, &n.presence.text());
    field(out, &format!("{}{:?}", n.dynamic, n.computed));
    field(out, n.started.behaviour.as_deref().unwrap_or(""));
    field(out, &blank_numbers(n.started.name.as_deref().unwrap_or("")));
    field(out, n.partial.as_deref().unwrap_or(""));
    for text in n.notes.iter().chain(&n.unresolved) {
        field(out, &blank_numbers(text));
    }
    for c in &n.start_calls {
        field(out, &format!("{}{}", c.caller, c.loc));
    }
    if let Some(s) = &n.supervisor {
        field(
            out,
            &format!(
                "{:?} {:?} {:?} {:?}",
                s.strategy, s.intensity, s.period, s.ignore
            ),
        );
        for c in &s.start_calls {
            field(out, &format!("{}{}", c.caller, c.loc));
        }
        out.push('(');
        for c in &s.children {
            write_key(c, out);
        }
        out.push(')');
    }
}

/// The text with every run of digits replaced by `#`.
fn blank_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_number = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_blanked_whole() {
        assert_eq!(blank_numbers("{queue_sup_12,5}"), "{queue_sup_#,#}");
        assert_eq!(blank_numbers("plain"), "plain");
    }
}
