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
