//! Work a caller need not wait for.

/// Drops `value` on a thread of its own, so the caller goes on while a large structure (a built
/// site, a search index's word maps) is freed: at 10,000 retros each takes a core a few tenths of
/// a second. When the command ends first, the process exits without waiting, as it would have
/// freed nothing at exit anyway.
pub fn drop_later<T: Send + 'static>(value: T) {
    // Should no thread start, `spawn` drops the closure, and the value with it, right here.
    let _ = std::thread::Builder::new().name("drop-later".to_owned()).spawn(move || drop(value));
}
