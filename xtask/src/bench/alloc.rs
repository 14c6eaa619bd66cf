//! The `#[global_allocator]` of xtask: mimalloc (codegen allocates many small token and
//! syntax trees; with the system allocator about 30 % of its instructions were in
//! `malloc`/`free`), counting live bytes for `bench` (figure 2).

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

// Heap accounting: a global allocator that counts live bytes while `COUNTING` is on. The
// peak is relative to the start of a section, so blocks allocated before it and freed
// during it are accounted for correctly. Off (one relaxed load) for every other command.

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grow(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let by = by as isize;
        let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrink(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_sub(by as isize, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to `MiMalloc`; only adds bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) };
        shrink(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` with heap counting on; returns its result and the peak live bytes above the
/// level at the start.
pub(super) fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    (out, PEAK.load(Ordering::Relaxed).max(0) as usize)
}

/// The peak so far inside [`peak_heap`] (for per-stage figures).
pub(super) fn peak_now() -> usize {
    PEAK.load(Ordering::Relaxed).max(0) as usize
}

/// No transparent huge pages for this process. mimalloc asks for them on its arenas; each
/// fault then zeroes (and with `defrag=madvise` may compact memory for) a 2 MiB page, which
/// was a third of a 4 MB document's codegen (`perf`: `clear_page_erms` under
/// `do_huge_pmd_anonymous_page`) and made its time vary by ±7 % from run to run. With 4 KiB
/// pages the same codegen is faster and steady (`perf stat -r 8`: 0.76 s ± 7 % → 0.63 s ±
/// 2 % elapsed). Children (cargo, rustc) inherit the setting, which is harmless for them.
pub(crate) fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
