//! Training and evaluation runs from the page: every machine type that has training and test
//! clips × every chosen model, one job after another, each stepped asynchronously.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_time::Instant;

use super::{App, AppState, BusyGuard, PageModel, from_js, js_error, to_js, yield_now};
use crate::data::{Split, subset};
use crate::eval::protocol::{FeatureClip, Host, JobProgress, JobSlot, TrainJob, train_and_score};
use crate::report::{CurveSeries, curves_svg};
use crate::train::CancelToken;
use crate::web::presets::{Preset, RunOptions};

/// Least time between two progress calls to the page, in seconds.
const PROGRESS_INTERVAL_S: f64 = 0.1;

#[wasm_bindgen]
impl App {
    /// The preset called `name` ("quick" or "faithful").
    pub fn preset(&self, name: &str) -> Result<JsValue, JsValue> {
        to_js(&Preset::named(name).map_err(js_error)?)
    }

    /// Trains and evaluates `options` (`RunOptions` fields). Calls `on_progress(event)` during
    /// training (at most ten times a second) and `on_model(name)` when a model is trained and
    /// scored. Resolves when every job is done; rejects with the reason otherwise (cancelled,
    /// diverged, no usable data). Models finished before a failure are kept.
    pub fn train(
        &self,
        options: JsValue,
        on_progress: js_sys::Function,
        on_model: js_sys::Function,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let options: RunOptions = from_js(options, "training options")?;
            let busy = BusyGuard::take(&state, "training")?;
            let cancel = CancelToken::new();
            state.borrow_mut().cancel = Some(cancel.clone());
            let outcome = run(&state, &options, &on_progress, &on_model, &cancel).await;
            drop(busy);
            outcome.map_err(js_error)?;
            state.borrow_mut().last_run = Some(options);
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Cancels the training run in progress, if any.
    pub fn cancel(&self) {
        if let Some(token) = &self.state.borrow().cancel {
            token.cancel();
        }
    }

    /// The current job's loss curves as SVG.
    pub fn loss_svg(&self) -> String {
        curves_svg(&self.state.borrow().losses, "step", "loss", true)
    }
}

/// The clips of one machine type for a run.
struct TypeData {
    machine_type: String,
    train: Vec<FeatureClip>,
    test: Vec<FeatureClip>,
}

async fn run(
    state: &Rc<RefCell<AppState>>,
    options: &RunOptions,
    on_progress: &js_sys::Function,
    on_model: &js_sys::Function,
    cancel: &CancelToken,
) -> Result<(), String> {
    for &kind in &options.models {
        options.train_config(kind)?;
    }
    let (device, types) = {
        let s = state.borrow();
        (s.backend.device.clone(), type_data(&s, options))
    };
    if types.is_empty() {
        return Err(
            "no machine type has both training and test clips: use the built-in sounds \
                    or add a DCASE or MIMII folder"
                .into(),
        );
    }
    let count = types.len() * options.models.len();
    let mut index = 0;
    for data in &types {
        for &kind in &options.models {
            state.borrow_mut().losses.clear();
            let mut host = PageHost {
                state: state.clone(),
                on_progress: on_progress.clone(),
                last_call: None,
                cancel: cancel.clone(),
            };
            let train = options.train_config(kind)?;
            let job = TrainJob {
                model: crate::eval::protocol::model_config(kind, &train),
                train,
                machine_type: &data.machine_type,
                clips: &data.train,
                slot: JobSlot { index, count },
            };
            let trained = train_and_score(&mut host, &device, &job, &data.test)
                .await
                .map_err(|e| e.to_string())?;
            let name = format!("{}-{}", trained.machine_type, kind.label());
            {
                let mut s = state.borrow_mut();
                s.results
                    .replace(kind, &trained.machine_type, trained.scores);
                s.models.retain(|m| m.name != name);
                s.models.push(PageModel {
                    name: name.clone(),
                    origin: "trained here".into(),
                    detector: trained.model.detector,
                    manifest: trained.model.manifest,
                });
            }
            let _ = on_model.call1(&JsValue::NULL, &JsValue::from_str(&name));
            yield_now().await;
            index += 1;
        }
    }
    Ok(())
}

/// Training and test clips of every type that has both (subset applied), sorted by type.
fn type_data(state: &AppState, options: &RunOptions) -> Vec<TypeData> {
    let keep: Option<HashSet<String>> = options.subset_per_group().map(|per_group| {
        let entries: Vec<_> = state
            .session
            .clips()
            .iter()
            .map(|c| c.entry.clone())
            .collect();
        subset(&entries, per_group, options.seed)
            .into_iter()
            .map(|e| e.rel_path)
            .collect()
    });
    let kept = |clips: Vec<FeatureClip>| -> Vec<FeatureClip> {
        match &keep {
            Some(paths) => clips
                .into_iter()
                .filter(|c| paths.contains(&c.entry.rel_path))
                .collect(),
            None => clips,
        }
    };
    state
        .session
        .machine_types()
        .into_iter()
        .map(|machine_type| TypeData {
            train: kept(state.session.feature_clips(&machine_type, Split::Train)),
            test: kept(state.session.feature_clips(&machine_type, Split::Test)),
            machine_type,
        })
        .filter(|d| !d.train.is_empty() && !d.test.is_empty())
        .collect()
}

/// Sends progress to the page (throttled) and keeps the loss curves of the current job.
struct PageHost {
    state: Rc<RefCell<AppState>>,
    on_progress: js_sys::Function,
    last_call: Option<Instant>,
    cancel: CancelToken,
}

impl Host for PageHost {
    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    fn progress(&mut self, event: &JobProgress) {
        let p = &event.progress;
        if p.losses_step == p.step {
            let mut s = self.state.borrow_mut();
            for (name, value) in &p.losses {
                let point = (p.step as f64, f64::from(*value));
                match s.losses.iter_mut().find(|c| &c.label == name) {
                    Some(curve) => curve.points.push(point),
                    None => s.losses.push(CurveSeries {
                        label: name.clone(),
                        points: vec![point],
                    }),
                }
            }
        }
        let due = self
            .last_call
            .is_none_or(|t| t.elapsed().as_secs_f64() >= PROGRESS_INTERVAL_S);
        if due || p.is_last() {
            self.last_call = Some(Instant::now());
            if let Ok(value) = to_js(event) {
                let _ = self.on_progress.call1(&JsValue::NULL, &value);
            }
        }
    }

    async fn yield_now(&mut self) {
        yield_now().await;
    }
}
