//! Sample decoding and the mono conversion: mean down-mix (librosa `mono=True`, docs/DESIGN.md §10.13,
//! rounded exactly as numpy's float32 mean) or one picked channel. Integer scaling follows
//! librosa / soundfile: 8-bit `(u - 128) / 128`, 16-bit `s / 32768`, 24-bit `s / 8388608`,
//! 32-bit `s / 2147483648` (docs/DESIGN.md §1.2).
//!
//! One pass over the interleaved bytes writes straight into the output vector; the only scratch
//! space is one frame buffer per call (no per-sample or per-frame allocation).

use super::error::AudioErrorKind;
use super::wav::{SampleFormat, WavLayout};

/// Decode the interleaved frames of `data` to one mono signal.
/// `pick = Some(c)` keeps channel `c` (already validated), `None` averages all channels.
pub(crate) fn decode_mono(
    data: &[u8],
    layout: &WavLayout,
    pick: Option<usize>,
) -> Result<Vec<f32>, AudioErrorKind> {
    let shape = FrameShape {
        channels: layout.channels as usize,
        check_finite: layout.format.is_float(),
    };
    match layout.format {
        SampleFormat::U8 => shape.mono(data, pick, |[b]: [u8; 1]| (f32::from(b) - 128.0) / 128.0),
        SampleFormat::I16 => shape.mono(data, pick, |b: [u8; 2]| {
            f32::from(i16::from_le_bytes(b)) / 32_768.0
        }),
        SampleFormat::I24 => shape.mono(data, pick, |[b0, b1, b2]: [u8; 3]| {
            // Place the 3 bytes in the top of an i32, then shift back to sign-extend.
            (i32::from_le_bytes([0, b0, b1, b2]) >> 8) as f32 / 8_388_608.0
        }),
        SampleFormat::I32 => shape.mono(data, pick, |b: [u8; 4]| {
            i32::from_le_bytes(b) as f32 / 2_147_483_648.0
        }),
        SampleFormat::F32 => shape.mono(data, pick, f32::from_le_bytes),
        SampleFormat::F64 => shape.mono(data, pick, |b: [u8; 8]| f64::from_le_bytes(b) as f32),
    }
}

/// Turn already decoded channels into one mono signal (for `clip_from_channels`).
/// The caller has checked that `channels` is non-empty and `pick` is in range.
pub(crate) fn mix_channels(
    channels: &[Vec<f32>],
    pick: Option<usize>,
) -> Result<Vec<f32>, AudioErrorKind> {
    let expected = channels[0].len();
    if let Some((channel, ch)) = channels
        .iter()
        .enumerate()
        .find(|(_, ch)| ch.len() != expected)
    {
        return Err(AudioErrorKind::ChannelLengthMismatch {
            channel,
            len: ch.len(),
            expected,
        });
    }
    if expected == 0 {
        return Err(AudioErrorKind::EmptyData);
    }
    let pick = if channels.len() == 1 { Some(0) } else { pick };
    if let Some(c) = pick {
        check_all_finite(&channels[c], c)?;
        return Ok(channels[c].clone());
    }
    for (c, ch) in channels.iter().enumerate() {
        check_all_finite(ch, c)?;
    }
    let mut frame = vec![0.0f32; channels.len()];
    let mono = (0..expected)
        .map(|t| {
            frame
                .iter_mut()
                .zip(channels)
                .for_each(|(v, ch)| *v = ch[t]);
            channel_mean(&frame)
        })
        .collect();
    Ok(mono)
}

/// Mean of one frame's channels, rounded as librosa's `to_mono` (numpy float32 `mean` over the
/// channel axis): numpy's pairwise sum in f32, then one f32 division.
fn channel_mean(frame: &[f32]) -> f32 {
    numpy_pairwise_sum(frame) / frame.len() as f32
}

/// The f32 sum numpy's `add.reduce` computes over a contiguous run: plain accumulation below 8
/// values, eight interleaved accumulators combined as a tree up to 128 values, halving above
/// (numpy `pairwise_sum`, block size 128). Only the sign of a zero sum may differ.
fn numpy_pairwise_sum(values: &[f32]) -> f32 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        return values.iter().copied().reduce(|a, b| a + b).unwrap_or(0.0);
    }
    if n <= BLOCK {
        let mut r = [0.0f32; 8];
        r.copy_from_slice(&values[..8]);
        let whole = n - n % 8;
        for block in values[8..whole].chunks_exact(8) {
            r.iter_mut().zip(block).for_each(|(acc, &v)| *acc += v);
        }
        let tree = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        return values[whole..].iter().fold(tree, |acc, &v| acc + v);
    }
    let half = n / 2 - (n / 2) % 8;
    numpy_pairwise_sum(&values[..half]) + numpy_pairwise_sum(&values[half..])
}

/// Error for the first NaN / infinite sample of a channel.
fn check_all_finite(samples: &[f32], channel: usize) -> Result<(), AudioErrorKind> {
    match samples.iter().position(|v| !v.is_finite()) {
        Some(frame) => Err(AudioErrorKind::NonFinite {
            frame: frame as u64,
            channel,
        }),
        None => Ok(()),
    }
}

/// The geometry of an interleaved frame.
struct FrameShape {
    /// Samples per frame.
    channels: usize,
    /// Whether decoded samples can be NaN / infinite (float formats).
    check_finite: bool,
}

impl FrameShape {
    /// Decode every complete frame of `data` with `sample` (the `W` bytes of one sample → f32)
    /// and keep channel `pick`, or the mean of all channels. A single channel is returned
    /// unchanged (bit-exact, including the sign of zero). Samples are fixed-size arrays so that
    /// the one-channel loop (every DCASE clip) compiles to straight-line SIMD code: with slices
    /// and a check per sample, decoding took a tenth of `features --out-dir`'s time.
    fn mono<const W: usize>(
        &self,
        data: &[u8],
        pick: Option<usize>,
        sample: impl Fn([u8; W]) -> f32,
    ) -> Result<Vec<f32>, AudioErrorKind> {
        let (samples, _partial) = data.as_chunks::<W>();
        let frames = samples.chunks_exact(self.channels);
        let pick = if self.channels == 1 { Some(0) } else { pick };
        let Some(c) = pick else {
            let mut frame = vec![0.0f32; self.channels];
            let mut out = Vec::with_capacity(frames.len());
            for (t, bytes) in frames.enumerate() {
                for (c, (v, &b)) in frame.iter_mut().zip(bytes).enumerate() {
                    *v = sample(b);
                    self.check(*v, t, c)?;
                }
                out.push(channel_mean(&frame));
            }
            return Ok(out);
        };
        let out: Vec<f32> = if self.channels == 1 {
            samples.iter().map(|&b| sample(b)).collect()
        } else {
            frames.map(|bytes| sample(bytes[c])).collect()
        };
        if self.check_finite {
            check_all_finite(&out, c)?;
        }
        Ok(out)
    }

    /// Error when a float sample is NaN or infinite.
    #[inline]
    fn check(&self, v: f32, frame: usize, channel: usize) -> Result<(), AudioErrorKind> {
        if self.check_finite && !v.is_finite() {
            return Err(AudioErrorKind::NonFinite {
                frame: frame as u64,
                channel,
            });
        }
        Ok(())
    }
}
