//! Ctrl-C for long runs (docs/DESIGN.md §13.2): the first press raises a stop flag that the run
//! checks between training steps and clips, so what is finished is saved; a second press quits
//! at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Exit status of a run stopped by a second Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// The process's stop flag, with the Ctrl-C handler installed on first use. When no handler
/// can be installed the flag still exists (it is then never raised) and a warning says so.
pub fn stop_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let raised = Arc::clone(&flag);
        let installed = ctrlc::set_handler(move || {
            if raised.swap(true, Ordering::SeqCst) {
                eprintln!("\ninterrupted again: quitting without waiting");
                std::process::exit(EXIT_INTERRUPTED);
            }
            eprintln!(
                "\nstopping after the current step (finished results are kept; Ctrl-C again \
                 quits at once)"
            );
        });
        if let Err(e) = installed {
            eprintln!("warning: Ctrl-C will not stop cleanly: {e}");
        }
        flag
    })
    .clone()
}

/// True once the flag was raised.
pub fn stopped(flag: &AtomicBool) -> bool {
    flag.load(Ordering::SeqCst)
}
