//! Command-line interface. (Skeleton.)

/// Runs otpmap with the process arguments and returns the exit code.
pub fn main() -> i32 {
    crate::exit_code::CLEAN
}
