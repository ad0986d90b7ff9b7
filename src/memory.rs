//! Giving memory freed by the process back to the system.
//!
//! glibc keeps what a thread freed in that thread's arena: after a load on
//! many threads, the holes its passing buffers left stay resident while
//! the search index, built on a thread of its own, takes fresh pages; and
//! the tens of megabytes a search over a million links passes through stay
//! resident after it.

/// Returns the free pages of every malloc arena to the system (glibc's
/// `malloc_trim`); nothing where the allocator is another.
pub fn give_back_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only reads and updates the allocator's own state,
    // under its locks; any thread may call it at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Allocations of this size or more get pages of their own, given back
/// when freed.
const OWN_PAGES_FROM: i32 = 1 << 20;

/// Sets the allocator up for a process that holds a large notebook and
/// passes tens of megabytes through each search: allocations of a
/// megabyte or more (a search's lists of hits, its merge) get pages of
/// their own, returned to the system as soon as they are freed, instead of
/// glibc's threshold that rises to 32 MB as such blocks are freed and
/// leaves them in the arenas. Measured at 1M links (`typing`, four runs
/// each, interleaved): the peak while typing 5 MB lower (1.96× the
/// notebook against 1.99×), at the same speed. Set before the load, it
/// slowed the start by 7%, so the UI sets it once the notebook is loaded,
/// while no other thread allocates.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's own parameters, under its
    // lock; no other thread allocates when the UI calls it (the load's
    // threads are idle, the UI's not started).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_PAGES_FROM);
    }
}
