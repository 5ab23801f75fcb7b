//! The `otpmap` binary: everything lives in the library so tests can reach it.

fn main() {
    back_heap_with_huge_pages();
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

/// A third of the CPU of a run on a large tree was the kernel's: one page
/// fault per 4 KiB page of heap (26 000 for a `tree` of OTP's lib, 71 000
/// for a `lint` of a 120 MB umbrella), since the text and the index stay
/// in memory for the whole run. With transparent huge pages in their
/// usual `madvise` mode, glibc backs its heaps with 2 MiB pages when its
/// `glibc.malloc.hugetlb` tunable is 1: faults drop to about 1 000, system
/// time by 40%, wall time by 10-15%, peak memory +1-5%. A tunable is read
/// only when the program starts, so the binary starts itself again once
/// with it set (the same process: `exec` keeps the pid, arguments,
/// standard streams and exit code).
///
/// Nothing is done when the tunable is already set, whatever its value:
/// `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` turns this off (under
/// valgrind, whose tools do not follow an `exec` by default, or on a
/// machine where huge pages are slow to come by).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn back_heap_with_huge_pages() {
    use std::os::unix::process::CommandExt;
    const TUNABLE: &str = "glibc.malloc.hugetlb";
    let before = std::env::var_os("GLIBC_TUNABLES");
    if before
        .as_ref()
        .is_some_and(|t| t.to_string_lossy().contains(TUNABLE))
    {
        return;
    }
    // `always`: the heap has them already; `never`: nothing to ask for.
    let mode = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
    if !mode.is_ok_and(|m| m.contains("[madvise]")) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut tunables = before.unwrap_or_default();
    if !tunables.is_empty() {
        tunables.push(":");
    }
    tunables.push(format!("{TUNABLE}=1"));
    let mut args = std::env::args_os();
    let mut again = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        again.arg0(arg0);
    }
    // `exec` returns only when it failed: then go on as we are.
    let _ = again.args(args).env("GLIBC_TUNABLES", tunables).exec();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn back_heap_with_huge_pages() {}
