//! The step-wise, async-friendly trainer (docs/DESIGN.md §1.5–1.7, §7, §10.5, §10.7, §10.11).
//!
//! - Data: per-clip vectors concatenated in file order (docs/DESIGN.md §1.5); the LAST
//!   `validation_split` (10 %) of them is held out and never trained on (Keras semantics,
//!   `split_at = floor(N · 0.9)`, docs/DESIGN.md §1.6, §10.11).
//! - Order: a seeded ChaCha8 permutation per epoch (two independent ones for EGBAD, docs/DESIGN.md §5.3),
//!   batches of `batch_size` with the last partial batch kept, except that a final batch of one
//!   vector is merged into the previous batch (BatchNorm cannot train on one vector).
//! - One awaited [`Trainer::step`] = one detector step (blocked on natively).
//!   Losses are read every `loss_read_every` steps and at each epoch end, checked for NaN/Inf
//!   and handed to [`crate::models::Detector::on_losses_read`]. At each epoch end the held-out
//!   vectors are scored in inference mode; their mean score is the validation loss (it never
//!   drives model selection: the last epoch's model is kept, docs/DESIGN.md §10.7).
//! - [`score_vectors`] / [`clip_score`]: per-vector scores and the clip score (their mean, docs/DESIGN.md §1.7).

mod batches;
mod cancel;
mod config;
mod data;
mod error;
mod losses;
mod progress;
mod scoring;
mod summary;
mod trainer;

pub use batches::{EpochOrder, batch_ranges, permutation};
pub use cancel::CancelToken;
pub use config::{DEFAULT_SCORE_CHUNK, TrainConfig};
pub use data::TrainingData;
pub use error::TrainError;
pub use progress::{Progress, RunClock};
pub use scoring::{
    RowIds, clip_ids, clip_score, mean_score, range_means, score_rows, score_vectors, to_tensor,
    with_machine_ids,
};
pub use summary::{MIN_VALIDATION_CLIPS, NormalScores, TrainedSummary};
pub use trainer::{MIN_BATCH, Trainer};
