//! Sample-rate conversion with rubato's synchronous FFT resampler (`FftFixedInOut`): the input
//! is filtered by a long Blackman-Harris²-windowed sinc in the frequency domain, then its
//! spectrum is cut or extended to the new rate (docs/DESIGN.md §10.13: other rates → 16 kHz).
//!
//! The output is aligned with the input (no delay) and has exactly `round(n · to / from)`
//! samples: the resampler's linear-phase latency is skipped at the start and the tail is
//! flushed with zeros.

use rubato::{FftFixedInOut, Resampler};

use super::error::AudioErrorKind;

/// Minimal chunk length, in samples at the lower of the two rates. The anti-aliasing filter spans
/// one input chunk, so this sets its length (and steepness) relative to the lower Nyquist band.
const MIN_FILTER_LEN: u64 = 1024;

/// Number of output samples for `frames` input samples: `round(frames · to / from)`, halves up.
pub fn resampled_len(frames: u64, from_rate: u32, to_rate: u32) -> u64 {
    let from = u128::from(from_rate);
    ((u128::from(frames) * u128::from(to_rate) + from / 2) / from) as u64
}

/// Resample a mono signal from `from_rate` to `to_rate` (both non-zero).
///
/// Equal rates return a copy of the input. Otherwise the result has
/// [`resampled_len`] samples, time-aligned with the input.
pub fn resample(samples: &[f32], from_rate: u32, to_rate: u32) -> Result<Vec<f32>, AudioErrorKind> {
    if from_rate == to_rate {
        return Ok(samples.to_vec());
    }
    let (chunk_in, chunk_out) = chunk_sizes(from_rate, to_rate);
    let mut resampler =
        FftFixedInOut::<f32>::new(from_rate as usize, to_rate as usize, chunk_in, 1)
            .map_err(|e| AudioErrorKind::Resample(e.to_string()))?;
    if resampler.input_frames_next() != chunk_in || resampler.output_frames_next() != chunk_out {
        return Err(AudioErrorKind::Resample(format!(
            "rubato chose chunks of {} → {} frames instead of {chunk_in} → {chunk_out}",
            resampler.input_frames_next(),
            resampler.output_frames_next()
        )));
    }
    // The sinc filter spans one input chunk and is centred in it: a delay of exactly half an
    // output chunk (both chunk sizes are even, see `chunk_sizes`).
    let delay = chunk_out / 2;
    let wanted = resampled_len(samples.len() as u64, from_rate, to_rate) as usize;
    let mut out = Vec::with_capacity(wanted);
    let mut block_out = vec![vec![0.0f32; chunk_out]];
    let mut padded_tail = vec![0.0f32; chunk_in];
    let mut consumed = 0usize;
    let mut produced = 0usize;
    while produced < delay + wanted {
        let input: &[f32] = if consumed + chunk_in <= samples.len() {
            &samples[consumed..consumed + chunk_in]
        } else {
            let rest = &samples[consumed.min(samples.len())..];
            padded_tail.fill(0.0);
            padded_tail[..rest.len()].copy_from_slice(rest);
            &padded_tail
        };
        resampler
            .process_into_buffer(&[input], &mut block_out, None)
            .map_err(|e| AudioErrorKind::Resample(e.to_string()))?;
        let keep_from = delay.saturating_sub(produced).min(chunk_out);
        let keep_to = (delay + wanted - produced).min(chunk_out);
        if keep_from < keep_to {
            out.extend_from_slice(&block_out[0][keep_from..keep_to]);
        }
        consumed += chunk_in;
        produced += chunk_out;
    }
    Ok(out)
}

/// Input and output chunk lengths: the smallest even multiple of the rate ratio's reduced
/// fraction whose shorter side holds at least [`MIN_FILTER_LEN`] samples. Even multiples make
/// both lengths even, so the filter's centre falls on a whole output sample (zero delay after
/// skipping half an output chunk, no fractional shift).
fn chunk_sizes(from_rate: u32, to_rate: u32) -> (usize, usize) {
    let g = gcd(u64::from(from_rate), u64::from(to_rate));
    let unit_in = u64::from(from_rate) / g;
    let unit_out = u64::from(to_rate) / g;
    let units = MIN_FILTER_LEN
        .div_ceil(unit_in)
        .max(MIN_FILTER_LEN.div_ceil(unit_out));
    let units = units + units % 2;
    ((units * unit_in) as usize, (units * unit_out) as usize)
}

/// Greatest common divisor (Euclid).
fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes_are_even_and_long_enough() {
        for (from, to) in [
            (44_100, 16_000),
            (48_000, 16_000),
            (8_000, 16_000),
            (12_345, 16_000),
        ] {
            let (i, o) = chunk_sizes(from, to);
            assert_eq!(i % 2, 0);
            assert_eq!(o % 2, 0);
            assert!(i.min(o) as u64 >= MIN_FILTER_LEN);
            assert_eq!(i as u64 * u64::from(to), o as u64 * u64::from(from));
        }
        assert_eq!(chunk_sizes(44_100, 16_000), (3528, 1280));
    }

    #[test]
    fn resampled_len_rounds_half_up() {
        assert_eq!(resampled_len(441, 44_100, 16_000), 160);
        assert_eq!(resampled_len(1, 32_000, 16_000), 1); // 0.5 → 1
        assert_eq!(resampled_len(3, 48_000, 16_000), 1);
    }
}
