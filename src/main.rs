//! The `otpmap` binary: everything lives in the library so tests can reach it.

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout, System};

#[global_allocator]
static ALLOCATOR: SmallInMimalloc = SmallInMimalloc;

/// Blocks under this size come from mimalloc, the rest from glibc. It is
/// also mimalloc's largest small block (`MI_SMALL_SIZE_MAX`), which its
/// `mi_malloc_small` serves without looking at the size.
const SMALL: usize = 1024;

/// mimalloc aligns a block to its size up to 16 bytes (its
/// `mi_malloc_is_naturally_aligned`): such a layout needs no aligned call,
/// whose checks were 2% of a run's instructions.
fn naturally_aligned(layout: Layout) -> bool {
    layout.align() <= 16 && layout.align() <= layout.size()
}

/// A run makes millions of small blocks (names, expression nodes, values
/// of the evaluator) and frees most of them soon after; glibc's `malloc`
/// and `free` were 15% of the instructions of a `lint` of OTP's lib,
/// mimalloc's a third of that. Large blocks (file texts, token buffers,
/// the index's vectors) stay with glibc: mimalloc rounds them up to its
/// size classes and pages, and its peak memory was 25-30 MB higher on the
/// 120 MB tree (over the 300 MB bound), where glibc serves them exactly.
/// The size in the layout picks the allocator, and Rust frees and grows a
/// block with the layout it was made with, so a block always goes back
/// to the allocator it came from; a block that grows or shrinks across
/// the line is moved.
struct SmallInMimalloc;

// SAFETY: each call goes to an allocator that upholds `GlobalAlloc` for
// the same layout: `dealloc` and `realloc` receive the layout of the
// block's allocation, whose size picks the same allocator as `alloc` did.
unsafe impl GlobalAlloc for SmallInMimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= SMALL {
            System.alloc(layout)
        } else if naturally_aligned(layout) {
            mi::mi_malloc_small(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= SMALL {
            System.alloc_zeroed(layout)
        } else if naturally_aligned(layout) {
            mi::mi_zalloc_small(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= SMALL {
            System.dealloc(ptr, layout)
        } else {
            mi::mi_free(ptr.cast())
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() < SMALL, new_size < SMALL) {
            (true, true) if naturally_aligned(layout) && layout.align() <= new_size => {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            }
            (true, true) => mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast(),
            (false, false) => System.realloc(ptr, layout, new_size),
            _ => {
                // SAFETY: the caller guarantees `new_size`, rounded up to
                // the alignment, does not overflow `isize`.
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let moved = self.alloc(new_layout);
                if !moved.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                moved
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    /// Blocks that grow and shrink across the line between the two
    /// allocators keep their bytes, at any alignment.
    #[test]
    fn blocks_keep_their_bytes_across_allocators() {
        let mut v: Vec<u8> = Vec::new();
        for i in 0..5000u32 {
            v.push((i % 251) as u8);
        }
        v.truncate(100);
        v.shrink_to_fit();
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
        v.extend((100..3000u32).map(|i| (i % 251) as u8));
        v.truncate(10);
        v.shrink_to_fit();
        assert_eq!(v, (0..10).collect::<Vec<u8>>());

        #[repr(align(64))]
        #[derive(Clone, Copy, PartialEq, Debug)]
        struct Line([u8; 64]);
        let mut lines: Vec<Line> = (0..40u8).map(|i| Line([i; 64])).collect();
        assert_eq!(lines.as_ptr() as usize % 64, 0);
        lines.truncate(3);
        lines.shrink_to_fit();
        assert_eq!(lines.as_ptr() as usize % 64, 0);
        assert_eq!(lines, vec![Line([0; 64]), Line([1; 64]), Line([2; 64])]);
        lines.extend((3..10u8).map(|i| Line([i; 64])));
        assert_eq!(lines.as_ptr() as usize % 64, 0);
        assert!(lines
            .iter()
            .enumerate()
            .all(|(i, l)| *l == Line([i as u8; 64])));
        let zeroed = vec![0u64; 50];
        assert!(zeroed.iter().all(|&x| x == 0));
    }
}
