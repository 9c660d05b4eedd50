//! A trivial [`WorkerHost`] for native tests of the worker's request handling
//! (`tests/web_app.rs`): it collects the events, yields once per call, and has no WebGPU; plus
//! the crate's executor ([`block_on`]) and a tiny one that runs two handlers at once ([`join`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use burn::tensor::Device;
use sonogan::web::app::{AdapterInfo, WorkerHost};
use sonogan::web::messages::Event;

pub use sonogan::runtime::block_on;

/// Runs two futures concurrently, alternating polls, until both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    let mut cx = Context::from_waker(Waker::noop());
    while out_a.is_none() || out_b.is_none() {
        if out_a.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(&mut cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(&mut cx)
        {
            out_b = Some(v);
        }
    }
    (out_a.unwrap(), out_b.unwrap())
}

/// A future that is pending once: gives the other future of [`join`] a turn.
pub struct YieldOnce(pub bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// Collects events; yields once per call; has no WebGPU.
#[derive(Default)]
pub struct TestHost {
    /// Every event posted, in order.
    pub events: RefCell<Vec<Event>>,
    /// Calls of `yield_now`.
    pub yields: Cell<usize>,
}

impl TestHost {
    /// The steps of the progress events.
    pub fn progress_steps(&self) -> Vec<usize> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                Event::Progress { run, .. } => Some(run.progress.step),
                _ => None,
            })
            .collect()
    }

    /// The names of the models trained.
    pub fn trained(&self) -> Vec<String> {
        self.events
            .borrow()
            .iter()
            .filter_map(|e| match e {
                Event::ModelTrained { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect()
    }
}

impl WorkerHost for TestHost {
    fn post(&self, event: Event) {
        self.events.borrow_mut().push(event);
    }

    fn yield_now(&self) -> impl Future<Output = ()> {
        self.yields.set(self.yields.get() + 1);
        YieldOnce(false)
    }

    async fn probe_adapter(&self) -> Result<AdapterInfo, String> {
        Err("no WebGPU natively".into())
    }

    async fn init_webgpu(&self) -> Result<Device, String> {
        Err("no WebGPU natively".into())
    }
}
