//! The `hindsight` binary: everything happens in [`hindsight::cli`].

/// glibc's allocator keeps freed memory in per-thread arenas, so a build whose rayon, pagefind
/// and tantivy threads allocate and free a lot held four times its live heap as resident memory;
/// mimalloc returns it and keeps peak RSS close to the heap actually in use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hindsight::cli::main()
}
