//! The process exit codes, as documented in the README.

/// Nothing to report at or above the failure level.
pub(crate) const CLEAN: i32 = 0;
/// `otpmap lint` found something at or above `--fail-on`.
pub(crate) const FINDINGS: i32 = 1;
/// The tool could not do its job: no such path, bad arguments, internal error.
pub(crate) const ERROR: i32 = 2;
