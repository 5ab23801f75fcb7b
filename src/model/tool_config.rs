//! otpmap's own configuration, in a file of its own so that behaviour.rs,
//! which reads it, does not import mod.rs.

/// otpmap's own configuration as found in the tree: an `otpmap.config` file
/// (its terms) or the `{otpmap, [...]}` entry of a `rebar.config` (one term,
/// the list). The lint reads it; the model does not interpret it.
#[derive(Debug, Clone)]
pub struct ToolConfig {
    pub(crate) file: String,
    /// The directory it applies to (relative, `.` for the root).
    pub(crate) dir: String,
    pub(crate) terms: Vec<crate::config::term::Term>,
}
