//! The process exit codes, as documented in the README.

/// Nothing to report at or above the failure level.
pub const CLEAN: i32 = 0;
/// `otpmap lint` found something at or above `--fail-on`.
pub const FINDINGS: i32 = 1;
/// The tool could not do its job: no such path, bad arguments, internal error.
pub const ERROR: i32 = 2;
