//! Work a caller need not wait for.

/// Drops `value` on a thread of its own, so the caller goes on while a large structure (a built
/// site, a search index's word maps) is freed: at 10,000 retros each takes a core a few tenths of
/// a second. When the command ends first, the process exits without waiting, as it would have
/// freed nothing at exit anyway.
pub fn drop_later<T: Send + 'static>(value: T) {
    // Should no thread start, `spawn` drops the closure, and the value with it, right here.
    let _ = std::thread::Builder::new().name("drop-later".to_owned()).spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    /// Says on its channel that it was dropped, and on which thread.
    struct Tells(mpsc::Sender<std::thread::ThreadId>);

    impl Drop for Tells {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().id());
        }
    }

    #[test]
    fn the_value_is_dropped_on_another_thread() {
        let (sender, receiver) = mpsc::channel();
        super::drop_later(Tells(sender));
        let dropped_on = receiver.recv_timeout(Duration::from_secs(10)).expect("dropped within 10 s");
        assert_ne!(dropped_on, std::thread::current().id());
    }
}
