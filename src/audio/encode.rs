//! The inverse of decoding: 16-bit PCM, as the DCASE clips and `sonogan synth` store audio
//! (sample × 32768, rounded and clamped; read back as / 32768, docs/DESIGN.md §1.2).

use std::io::Cursor;

/// One sample in [-1, 1) as a 16-bit PCM value (× 32768, rounded, clamped).
pub fn to_pcm16(sample: f32) -> i16 {
    (sample * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

/// The samples as a 16-bit WAV stores them and the decoder reads them back.
pub fn quantise_16_bit(samples: &[f32]) -> Vec<f32> {
    samples
        .iter()
        .map(|&s| f32::from(to_pcm16(s)) / 32768.0)
        .collect()
}

/// A mono 16-bit PCM WAV file of `samples` at `sample_rate`, in memory.
pub fn wav_bytes(samples: &[f32], sample_rate: u32) -> Result<Vec<u8>, String> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    let mut writer = hound::WavWriter::new(&mut out, spec).map_err(|e| e.to_string())?;
    for &s in samples {
        writer
            .write_sample(to_pcm16(s))
            .map_err(|e| e.to_string())?;
    }
    writer.finalize().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_bytes_round_trip_through_the_decoder() {
        let samples: Vec<f32> = (0..4000).map(|i| ((i as f32) * 0.01).sin() * 0.5).collect();
        let bytes = wav_bytes(&samples, 16_000).expect("wav");
        let clip = crate::audio::decode_wav("x.wav", &bytes, &Default::default()).expect("decode");
        assert_eq!(clip.samples, quantise_16_bit(&samples));
        let worst = clip
            .samples
            .iter()
            .zip(&samples)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst <= 1.0 / 32768.0, "error {worst}");
    }
}
