//! The `otpmap` binary: everything lives in the library so tests can reach it.

fn main() {
    std::process::exit(otpmap::cli::main());
}
