//! Readers for OTP configuration files. Each turns a file into a typed value
//! of the model plus diagnostics; none of them evaluates code.

pub mod term;
