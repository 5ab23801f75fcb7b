//! Printing terms. (To be written: see the term reader task.)

use super::Term;

/// The canonical form compared with `file:consult/1` in the oracle test.
pub fn canonical(t: &Term) -> String {
    format!("{:?}", t.kind)
}

/// Erlang syntax for messages.
pub fn erlang(t: &Term) -> String {
    format!("{:?}", t.kind)
}
