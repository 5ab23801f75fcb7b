//! JSON output: the versioned contract of docs/json.md. Each command has its
//! own serde types here, separate from the model, so the contract changes
//! only on purpose.

pub(crate) mod blast;
pub mod deps;
pub(crate) mod diff;
pub mod lint;
pub mod scan;
pub mod tree;

/// Pretty-prints a serializable value with a trailing newline.
pub(crate) fn to_string<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        format!("{{\"error\": \"internal: could not serialise output: {e}\"}}")
    });
    s.push('\n');
    s
}
