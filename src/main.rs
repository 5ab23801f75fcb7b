//! The `otpmap` binary: everything lives in the library so tests can reach it.

fn main() {
    reserve_heap_in_large_steps();
    std::process::exit(otpmap::cli::main());
}

/// glibc grows the heap of each of rayon's threads (a malloc arena of
/// its own) page by page, one `mprotect` call each time: 5 400 calls and a
/// tenth of the CPU of a `scan` of OTP's lib, whose text and index stay in
/// memory for the whole run. With a top pad as large as an arena's heap
/// (64 MiB), each heap is made writable at once when it is created
/// (address space only: pages still cost only when touched).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reserve_heap_in_large_steps() {
    // From glibc's <malloc.h>.
    const M_TOP_PAD: std::ffi::c_int = -2;
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt only sets a tuning parameter of the allocator; it is
    // called before any other thread exists.
    unsafe {
        mallopt(M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn reserve_heap_in_large_steps() {}
