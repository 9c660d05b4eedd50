//! Write the seed corpus of the fuzz targets (README "Fuzzing"): small WAV files, tiny model
//! files, data set path lists and scores CSVs, all generated from code so that the committed
//! corpus never holds real recordings. Run through `fuzz/make-corpus`.
//!
//! `cargo run --example fuzz_corpus -- OUT_DIR` writes `OUT_DIR/<target>/<name>`.

use std::f32::consts::TAU;
use std::path::{Path, PathBuf};

use burn::tensor::Device;
use sonogan::features::{FeatureConfig, Vectors};
use sonogan::models::{ModelConfig, REGISTRY, new_detector};
use sonogan::runtime::block_on;
use sonogan::store::{self, DataDescription, Manifest};
use sonogan::train::{TrainConfig, Trainer};

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: fuzz_corpus OUT_DIR");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    wav_seeds(&out);
    model_seeds(&out.join("model_file"));
    dataset_seeds(&out.join("dataset_names"));
    csv_seeds(&out.join("scores_csv"));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("create corpus folder");
    std::fs::write(dir.join(name), bytes).expect("write seed");
    println!("{} ({} bytes)", dir.join(name).display(), bytes.len());
}

/// How a test WAV stores its samples.
#[derive(Clone, Copy)]
enum Sample {
    Pcm(u16),
    Float(u16),
}

/// A WAV file: `fmt ` (plain or WAVE_FORMAT_EXTENSIBLE), optional extra chunks, `data`.
struct Wav {
    rate: u32,
    channels: u16,
    sample: Sample,
    extensible: bool,
    /// Chunks written before `data` (id, payload); odd payloads get their pad byte.
    extra: Vec<([u8; 4], Vec<u8>)>,
}

impl Wav {
    fn plain(rate: u32, channels: u16, sample: Sample) -> Self {
        Self {
            rate,
            channels,
            sample,
            extensible: false,
            extra: Vec::new(),
        }
    }

    /// `seconds` of a deterministic machine-like tone (two partials and a little buzz) on every
    /// channel, each channel with its own phase.
    fn bytes(&self, seconds: f32) -> Vec<u8> {
        let frames = (seconds * self.rate as f32) as usize;
        let mut data = Vec::new();
        for n in 0..frames {
            let t = n as f32 / self.rate as f32;
            for c in 0..self.channels {
                let phase = f32::from(c) * 0.7;
                let v = 0.4 * (TAU * 220.0 * t + phase).sin()
                    + 0.2 * (TAU * 1330.0 * t).sin()
                    + 0.05 * ((n * 7919 % 97) as f32 / 48.5 - 1.0);
                push_sample(&mut data, v, self.sample);
            }
        }
        self.with_data(&data)
    }

    fn with_data(&self, data: &[u8]) -> Vec<u8> {
        let (tag, bits) = match self.sample {
            Sample::Pcm(bits) => (1u16, bits),
            Sample::Float(bits) => (3u16, bits),
        };
        let block_align = self.channels * bits / 8;
        let mut fmt = Vec::new();
        fmt.extend_from_slice(&(if self.extensible { 0xFFFEu16 } else { tag }).to_le_bytes());
        fmt.extend_from_slice(&self.channels.to_le_bytes());
        fmt.extend_from_slice(&self.rate.to_le_bytes());
        fmt.extend_from_slice(&(self.rate * u32::from(block_align)).to_le_bytes());
        fmt.extend_from_slice(&block_align.to_le_bytes());
        fmt.extend_from_slice(&bits.to_le_bytes());
        if self.extensible {
            fmt.extend_from_slice(&22u16.to_le_bytes());
            fmt.extend_from_slice(&bits.to_le_bytes());
            fmt.extend_from_slice(&0u32.to_le_bytes());
            // The KSDATAFORMAT_SUBTYPE GUID: the format tag, then the fixed tail.
            fmt.extend_from_slice(&tag.to_le_bytes());
            fmt.extend_from_slice(&[
                0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
            ]);
        }
        let mut body = b"WAVE".to_vec();
        push_chunk(&mut body, b"fmt ", &fmt);
        for (id, payload) in &self.extra {
            push_chunk(&mut body, id, payload);
        }
        push_chunk(&mut body, b"data", data);
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        file
    }
}

fn push_chunk(out: &mut Vec<u8>, id: &[u8; 4], payload: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
}

fn push_sample(out: &mut Vec<u8>, v: f32, sample: Sample) {
    match sample {
        Sample::Pcm(8) => out.push(((v * 127.0) as i16 + 128) as u8),
        Sample::Pcm(16) => out.extend_from_slice(&((v * 32767.0) as i16).to_le_bytes()),
        Sample::Pcm(24) => out.extend_from_slice(&((v * 8_388_607.0) as i32).to_le_bytes()[..3]),
        Sample::Pcm(_) => out.extend_from_slice(&((v * 2.147e9) as i32).to_le_bytes()),
        Sample::Float(32) => out.extend_from_slice(&v.to_le_bytes()),
        Sample::Float(_) => out.extend_from_slice(&f64::from(v).to_le_bytes()),
    }
}

/// Writes one plain WAV per (file, sample rate, channels, sample format, seconds) into `dir`.
fn write_plain(dir: &Path, seeds: &[(&str, u32, u16, Sample, f32)]) {
    for &(name, rate, channels, sample, secs) in seeds {
        write(dir, name, &Wav::plain(rate, channels, sample).bytes(secs));
    }
}

/// WAV seeds: every sample format, channel counts, extensible headers, extra and odd chunks,
/// and a few broken headers. `audio_features` gets the ones long enough for feature vectors.
fn wav_seeds(out: &Path) {
    let decode = out.join("wav_decode");
    let features = out.join("audio_features");
    let pcm16 = Wav::plain(16_000, 1, Sample::Pcm(16));
    // (file, sample rate, channels, sample format, seconds)
    let decode_plain = [
        ("pcm16_16k_mono.wav", 16_000, 1, Sample::Pcm(16), 0.05),
        ("pcm8_8k_stereo.wav", 8_000, 2, Sample::Pcm(8), 0.1),
        ("pcm24_44k_mono.wav", 44_100, 1, Sample::Pcm(24), 0.02),
        ("pcm32_22k_mono.wav", 22_050, 1, Sample::Pcm(32), 0.02),
        ("float32_48k_stereo.wav", 48_000, 2, Sample::Float(32), 0.01),
        ("float64_16k_mono.wav", 16_000, 1, Sample::Float(64), 0.02),
    ];
    write_plain(&decode, &decode_plain);
    let mut extensible = Wav::plain(32_000, 4, Sample::Pcm(16));
    extensible.extensible = true;
    write(&decode, "extensible_4ch.wav", &extensible.bytes(0.01));
    let mut chunks = Wav::plain(16_000, 1, Sample::Pcm(16));
    chunks.extra = vec![
        (*b"LIST", b"INFOISFT\x05\x00\x00\x00fuzz\x00".to_vec()),
        (*b"odd ", vec![7]),
    ];
    write(&decode, "extra_and_odd_chunks.wav", &chunks.bytes(0.02));
    let whole = pcm16.bytes(0.02);
    write(&decode, "truncated_data.wav", &whole[..whole.len() - 101]);
    write(&decode, "header_only.wav", &pcm16.with_data(&[]));
    let mut zero_rate = pcm16.bytes(0.01);
    zero_rate[24..28].copy_from_slice(&0u32.to_le_bytes());
    write(&decode, "zero_rate.wav", &zero_rate);

    // Feature seeds: at least one vector (2048 samples at 16 kHz after resampling).
    let features_plain = [
        ("pcm16_16k_mono.wav", 16_000, 1, Sample::Pcm(16), 0.15),
        ("pcm8_8k_mono.wav", 8_000, 1, Sample::Pcm(8), 0.3),
        ("pcm16_22k_stereo.wav", 22_050, 2, Sample::Pcm(16), 0.14),
        ("float32_12k_mono.wav", 12_000, 1, Sample::Float(32), 0.2),
    ];
    write_plain(&features, &features_plain);
    write(&features, "too_short.wav", &pcm16.bytes(0.05));
}

/// Shrinks a kind's default configuration to a few values wide: every size field the detectors
/// share is set small, so that each seed model file is a few kilobytes.
fn tiny_config(config: &ModelConfig) -> Option<ModelConfig> {
    let mut json = serde_json::to_value(config).ok()?;
    let fields = json.as_object_mut()?;
    for (name, value) in [
        ("input_dim", 6),
        ("hidden_dim", 8),
        ("hidden_layers", 1),
        ("latent_dim", 2),
        ("d_hidden_dim", 8),
        ("feature_dim", 4),
        ("components", 2),
        ("groups", 2),
        ("orderings", 1),
        ("max_iter", 5),
        ("kmeans_max_iter", 5),
    ] {
        if let Some(field) = fields.get_mut(name) {
            *field = value.into();
        }
    }
    let tiny: ModelConfig = serde_json::from_value(json).ok()?;
    tiny.validate().ok().map(|()| tiny)
}

/// One tiny trained model file per detector kind that trains on 6-wide vectors (features: 6
/// mel bands, 1 frame), one epoch each.
fn model_seeds(dir: &Path) {
    let device = Device::flex();
    let features = FeatureConfig {
        n_mels: 6,
        frames: 1,
        ..FeatureConfig::default()
    };
    let clips: Vec<Vectors> = (0..6)
        .map(|clip| Vectors {
            dim: 6,
            data: (0..20 * 6)
                .map(|i| (i % 6) as f32 * 0.5 + ((i * 31 + clip * 17) % 13) as f32 * 0.05)
                .collect(),
        })
        .collect();
    let train = TrainConfig {
        epochs: 1,
        batch_size: 16,
        seed: 3,
        ..TrainConfig::default()
    };
    for info in REGISTRY {
        let Some(mut config) = tiny_config(&ModelConfig::default_for(info.kind)) else {
            eprintln!("{}: no tiny configuration, skipped", info.name);
            continue;
        };
        train.apply_to(&mut config);
        let bytes = (|| -> Result<Vec<u8>, String> {
            let detector = new_detector(&config, &device, 3).map_err(|e| e.to_string())?;
            let run = train.for_model(&config);
            let mut trainer =
                Trainer::new(detector, clips.clone(), run).map_err(|e| e.to_string())?;
            let summary = block_on(trainer.run_to_end(|_| {})).map_err(|e| e.to_string())?;
            let detector = trainer.into_detector().map_err(|e| e.to_string())?;
            let description = DataDescription {
                machine_types: vec!["fan".into()],
                machine_ids: vec!["id_00".into()],
            };
            let manifest =
                Manifest::from_training(detector.as_ref(), features.clone(), &summary, description)
                    .map_err(|e| e.to_string())?;
            block_on(store::save(detector.as_ref(), &manifest)).map_err(|e| e.to_string())
        })();
        match bytes {
            Ok(bytes) => {
                store::load(&bytes, &device).expect("a seed model loads");
                write(dir, &format!("tiny-{}.sonogan", info.name), &bytes);
            }
            Err(e) => eprintln!("{}: {e}, skipped", info.name),
        }
    }
    write(dir, "magic_only.sonogan", b"SONOGAN");
}

/// Path lists, one relative path a line; a first line `@NAME` names the dropped folder.
fn dataset_seeds(dir: &Path) {
    let dev = "fan/train/normal_id_00_00000000.wav\nfan/train/normal_id_02_00000001.wav\n\
               fan/test/normal_id_00_00000000.wav\nfan/test/anomaly_id_00_00000000.wav\n\
               pump/train/normal_id_04_00000000.wav\npump/test/anomaly_id_04_00000007.WAV\n";
    write(dir, "dcase_dev.txt", dev.as_bytes());
    let eval = "eval_data/valve/test/id_01_00000000.wav\neval_data/valve/test/id_01_00000001.flac\n\
                eval_data/valve/train/normal_id_01_00000000.wav\n";
    write(dir, "dcase_eval_wrapped.txt", eval.as_bytes());
    let mimii = "fan/id_00/normal/00000000.wav\nfan/id_00/normal/00000001.wav\n\
                 fan/id_00/abnormal/00000000.wav\nfan/ID_02/Normal/00000003.ogg\n";
    write(dir, "mimii.txt", mimii.as_bytes());
    let folder = "@slider\ntrain/normal_id_00_00000000.wav\ntest/anomaly_id_00_00000001.wav\n\
                  test/normal_id_00_00000002.wav\n";
    write(dir, "named_folder.txt", folder.as_bytes());
    let messy = "__MACOSX/fan/train/._normal_id_00_00000000.wav\n.DS_Store\n\
                 fan\\train\\normal_id_00_00000000.wav\nfan/train/anomaly_id_00_00000001.wav\n\
                 fan/test/recording.mp3\nREADME.md\ndev_data/fan/test/id_00_1.webm\n";
    write(dir, "messy.txt", messy.as_bytes());
}

fn csv_seeds(dir: &Path) {
    write(
        dir,
        "plain.csv",
        b"label,score\n0,0.1\n0,0.4\n1,0.35\n1,0.8\n",
    );
    write(
        dir,
        "score_first_crlf.csv",
        b"\xef\xbb\xbfScore, Label ,file\r\n1.5e-3,0,a.wav\r\n-2,1,b.wav\r\n",
    );
    write(dir, "lone_cr.csv", b"label,score\r0,1\r1,2\r");
    write(dir, "bad_row.csv", b"label,score\n0,0.1\n2\x1b[2J,nan\n");
}
