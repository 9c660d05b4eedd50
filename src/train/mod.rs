//! The step-wise, async-friendly trainer.
