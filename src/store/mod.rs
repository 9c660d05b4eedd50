//! The model file: weights plus a JSON manifest in one container.
