//! Running the crate's async-friendly code to completion on a native thread.
//!
//! The protocol, the trainer and scoring are written once, as `async` functions whose device
//! reads are awaited (docs/DESIGN.md §12): the page's worker awaits them on its event loop, and
//! native code blocks on them with [`block_on`]. On burn's CPU backend every read is ready at
//! once; on a native GPU backend the future may be pending until the device answers, so the
//! thread parks until it is woken.
//!
//! ```
//! assert_eq!(sonogan::runtime::block_on(async { 6 * 7 }), 42);
//! ```

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

/// Wakes the thread that blocks on the future.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` to completion on the current thread, parking between polls (with a short
/// timeout, so a backend that completes without waking still makes progress).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
        thread::park_timeout(Duration::from_millis(1));
    }
}
