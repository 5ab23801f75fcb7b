//! The `otpmap` binary: everything lives in the library so tests can reach it.

fn main() {
    reserve_heap_in_large_steps();
    // rayon's threads do the reading and the evaluation: their heaps ask
    // for huge pages as each thread starts. If the pool cannot be set up
    // here, rayon builds its default one on first use, as before.
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| huge_pages_for_this_threads_heap())
        .build_global();
    std::process::exit(otpmap::cli::main());
}

/// Every page of the source text and its index is touched once and kept:
/// with 4 KiB pages that was 23 000 page faults and a third of the CPU of a
/// `scan` of OTP's lib spent in the kernel. glibc gives each thread after
/// the first a malloc arena in a heap of its own, a mapping of
/// `HEAP_MAX_SIZE` (64 MiB on 64-bit) aligned to that size, so the heap
/// holding a fresh allocation of this thread is found from its address.
/// `MADV_HUGEPAGE` lets the kernel back it with 2 MiB pages where
/// transparent huge pages are enabled "on request" (the default of many
/// distributions); it never changes what memory holds, so a wrong guess
/// (the main arena, a heap already grown past its first mapping) costs
/// nothing but the advice.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn huge_pages_for_this_threads_heap() {
    const HEAP_MAX_SIZE: usize = 64 << 20;
    // From <sys/mman.h>.
    const MADV_HUGEPAGE: std::ffi::c_int = 14;
    extern "C" {
        fn madvise(
            addr: *mut std::ffi::c_void,
            len: usize,
            advice: std::ffi::c_int,
        ) -> std::ffi::c_int;
        fn sbrk(increment: isize) -> *mut std::ffi::c_void;
    }
    // Larger than what glibc's per-thread cache holds (1 KiB), whose
    // chunks may come from another thread's arena; smaller than what is
    // mapped on its own (128 KiB).
    let probe: Vec<u8> = std::hint::black_box(Vec::with_capacity(4096));
    let at = probe.as_ptr() as usize;
    // SAFETY: sbrk(0) only reads the program break.
    let brk = unsafe { sbrk(0) } as usize;
    if at < brk {
        // Below the break: the main arena, which has no heap of its own.
        return;
    }
    let heap = at & !(HEAP_MAX_SIZE - 1);
    // SAFETY: madvise with MADV_HUGEPAGE only changes how the kernel backs
    // the range, never its contents; an unmapped range is an error return.
    unsafe {
        madvise(heap as *mut std::ffi::c_void, HEAP_MAX_SIZE, MADV_HUGEPAGE);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn huge_pages_for_this_threads_heap() {}

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
