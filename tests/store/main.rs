//! The model file: container round trip and every kind of damage, the manifest, and the gamma
//! threshold against scipy reference values (tests/fixtures/store, from tools/gamma_reference.py).

mod file;
mod gamma;
mod manifest;
mod support;
