//! Speed of the synthetic machine sounds: one 10-s clip per built-in type (16 kHz). The requirement is at
//! least 100× real time, i.e. well under 100 ms per clip.

use criterion::{Criterion, criterion_group, criterion_main};
use sonogan::data::Label;
use sonogan::data::synth::{generate_clip, machine_types};

fn ten_second_clips(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth_10s_clip");
    group.sample_size(20);
    for machine_type in machine_types() {
        group.bench_function(machine_type, |b| {
            let mut index = 0;
            b.iter(|| {
                index += 1;
                generate_clip(machine_type, "id_00", Label::Anomaly, index, 10.0, 0)
                    .expect("valid request")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ten_second_clips);
criterion_main!(benches);
