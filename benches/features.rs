//! Feature extraction speed: milliseconds per 10-s, 16-kHz clip (docs/DESIGN.md §1.3-1.4), natively.
//! Compare with `python3 tools/bench_librosa.py` (librosa on the same kind of clip).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sonogan::features::{FeatureConfig, FeatureExtractor};

/// A deterministic 10-s test clip: a few machine-like harmonics plus pseudo-random noise.
fn ten_second_clip() -> Vec<f32> {
    let rate = 16_000.0f64;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..160_000)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state >> 40) as f64 / (1u64 << 24) as f64 - 0.5;
            let t = i as f64 / rate;
            let hum: f64 = [(120.0, 0.3), (240.0, 0.15), (1830.0, 0.05)]
                .iter()
                .map(|(f, a)| a * (2.0 * std::f64::consts::PI * f * t).sin())
                .sum();
            (hum + 0.1 * noise) as f32
        })
        .collect()
}

fn bench_features(c: &mut Criterion) {
    let clip = ten_second_clip();
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let mut group = c.benchmark_group("features_10s_clip");
    group.bench_function("log_mel", |b| {
        b.iter(|| black_box(extractor.log_mel(black_box(&clip))))
    });
    group.bench_function("vectors", |b| {
        b.iter(|| {
            black_box(
                extractor
                    .vectors("bench", black_box(&clip))
                    .map(|v| v.len()),
            )
        })
    });
    group.bench_function("extractor_new", |b| {
        b.iter(|| black_box(FeatureExtractor::new(black_box(FeatureConfig::default()))))
    });
    group.finish();
}

criterion_group!(benches, bench_features);
criterion_main!(benches);
