//! Shared building blocks of the machine sounds: noise, a table-lookup oscillator, biquads,
//! one-pole filters, slow random drifts and impulse trains. Everything is recursive or
//! table-driven, so a 10-s clip costs a few hundred thousand cheap operations per layer.

use std::sync::OnceLock;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Output sample rate of every synthetic clip (Hz).
pub const SAMPLE_RATE: f32 = 16_000.0;

/// Number of intervals of the sine table (a power of two, so the index is a mask).
const SINE_TABLE_SIZE: usize = 4096;

/// One period of a sine plus a guard point, shared by every oscillator.
fn sine_table() -> &'static [f32] {
    static TABLE: OnceLock<Vec<f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=SINE_TABLE_SIZE)
            .map(|i| (std::f64::consts::TAU * i as f64 / SINE_TABLE_SIZE as f64).sin() as f32)
            .collect()
    })
}

/// The fractional part of `x` in `[0, 1)` (also for negative `x`), without a libm call.
#[inline]
pub fn wrap(x: f32) -> f32 {
    let f = x - (x as i64) as f32;
    if f < 0.0 { f + 1.0 } else { f }
}

/// The fractional part of a long-running phase `x` (cycles), as `f32` in `[0, 1)`.
#[inline]
pub fn wrap64(x: f64) -> f32 {
    let f = x - (x as i64) as f64;
    (if f < 0.0 { f + 1.0 } else { f }) as f32
}

/// sin(2π·`cycles`) by linear interpolation in the shared table (error below 1e-6).
#[inline]
pub fn sin_cycles(cycles: f32) -> f32 {
    let table = sine_table();
    let pos = wrap(cycles) * SINE_TABLE_SIZE as f32;
    let i = (pos as usize).min(SINE_TABLE_SIZE - 1);
    let frac = pos - i as f32;
    table[i] + (table[i + 1] - table[i]) * frac
}

/// Zero-mean white noise with unit variance (uniform distribution, cheap to draw).
#[inline]
pub fn white(rng: &mut ChaCha8Rng) -> f32 {
    (rng.random::<f32>() * 2.0 - 1.0) * 1.732_050_8
}

/// A uniform draw in `[lo, hi)`.
#[inline]
pub fn uniform(rng: &mut ChaCha8Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * rng.random::<f32>()
}

/// Linear gain of a level in decibels.
#[inline]
pub fn db(level_db: f32) -> f32 {
    10f32.powf(level_db / 20.0)
}

/// A phase accumulator in cycles, advanced by a (possibly time-varying) frequency.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phase {
    cycles: f32,
}

impl Phase {
    /// A phase starting at `cycles` (any real; only the fractional part matters).
    pub fn new(cycles: f32) -> Self {
        Self {
            cycles: wrap(cycles),
        }
    }
    /// The current phase in cycles, in `[0, 1)`.
    #[inline]
    pub fn cycles(&self) -> f32 {
        self.cycles
    }
    /// Advance by one sample at `freq_hz`; returns true when a new cycle started.
    #[inline]
    pub fn advance(&mut self, freq_hz: f32) -> bool {
        self.cycles += freq_hz / SAMPLE_RATE;
        if self.cycles >= 1.0 {
            self.cycles = wrap(self.cycles);
            true
        } else {
            false
        }
    }
}

/// A sum of harmonics of one fundamental: `Σ amps[k]·sin(2π((k+1)·φ + offsets[k]))`.
#[derive(Debug, Clone)]
pub struct Harmonics {
    amps: Vec<f32>,
    offsets: Vec<f32>,
}

impl Harmonics {
    /// Harmonics with amplitudes `amps` (index 0 = fundamental) and random phases.
    pub fn new(amps: &[f32], rng: &mut ChaCha8Rng) -> Self {
        let offsets = amps.iter().map(|_| rng.random::<f32>()).collect();
        Self {
            amps: amps.to_vec(),
            offsets,
        }
    }
    /// The waveform at phase `phase` (cycles of the fundamental).
    #[inline]
    pub fn at(&self, phase: f32) -> f32 {
        let mut sum = 0.0;
        for (k, (amp, offset)) in self.amps.iter().zip(&self.offsets).enumerate() {
            sum += amp * sin_cycles((k + 1) as f32 * phase + offset);
        }
        sum
    }
}

/// A second-order IIR section (transposed direct form II) with RBJ cookbook designs.
#[derive(Debug, Clone, Copy)]
pub struct Biquad {
    b0: f32,
    b1: f32,
    b2: f32,
    a1: f32,
    a2: f32,
    z1: f32,
    z2: f32,
}

impl Biquad {
    fn normalised(b: [f64; 3], a: [f64; 3]) -> Self {
        Self {
            b0: (b[0] / a[0]) as f32,
            b1: (b[1] / a[0]) as f32,
            b2: (b[2] / a[0]) as f32,
            a1: (a[1] / a[0]) as f32,
            a2: (a[2] / a[0]) as f32,
            z1: 0.0,
            z2: 0.0,
        }
    }
    /// (cos ω, α) of a design at `freq_hz` with quality `q`; the frequency is kept below Nyquist.
    fn omega(freq_hz: f32, q: f32) -> (f64, f64) {
        let f = (freq_hz as f64).clamp(1.0, 0.49 * SAMPLE_RATE as f64);
        let w = std::f64::consts::TAU * f / SAMPLE_RATE as f64;
        (w.cos(), w.sin() / (2.0 * q.max(0.05) as f64))
    }
    /// Low-pass at `freq_hz` with quality `q` (0.707 = Butterworth).
    pub fn lowpass(freq_hz: f32, q: f32) -> Self {
        let (c, alpha) = Self::omega(freq_hz, q);
        Self::normalised(
            [(1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }
    /// High-pass at `freq_hz` with quality `q`.
    pub fn highpass(freq_hz: f32, q: f32) -> Self {
        let (c, alpha) = Self::omega(freq_hz, q);
        Self::normalised(
            [(1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0],
            [1.0 + alpha, -2.0 * c, 1.0 - alpha],
        )
    }
    /// Band-pass centred on `freq_hz` with 0 dB gain at the centre; bandwidth = freq / q.
    pub fn bandpass(freq_hz: f32, q: f32) -> Self {
        let (c, alpha) = Self::omega(freq_hz, q);
        Self::normalised([alpha, 0.0, -alpha], [1.0 + alpha, -2.0 * c, 1.0 - alpha])
    }
    /// A two-pole resonance at `freq_hz` whose impulse response `rⁿ·sin((n+1)ω)` starts with unit
    /// amplitude and decays by 1/e in `decay_s` seconds (for struck parts and clicks).
    pub fn resonator(freq_hz: f32, decay_s: f32) -> Self {
        let f = (freq_hz as f64).clamp(1.0, 0.49 * SAMPLE_RATE as f64);
        let w = std::f64::consts::TAU * f / SAMPLE_RATE as f64;
        let r = (-1.0 / (decay_s.max(1e-4) as f64 * SAMPLE_RATE as f64)).exp();
        Self::normalised([w.sin(), 0.0, 0.0], [1.0, -2.0 * r * w.cos(), r * r])
    }
    /// Filter one sample.
    #[inline]
    pub fn process(&mut self, x: f32) -> f32 {
        let y = self.b0 * x + self.z1;
        self.z1 = self.b1 * x - self.a1 * y + self.z2;
        self.z2 = self.b2 * x - self.a2 * y;
        y
    }
    /// Filter a whole buffer in place.
    pub fn process_buffer(&mut self, buf: &mut [f32]) {
        for x in buf {
            *x = self.process(*x);
        }
    }
}

/// A one-pole low-pass (6 dB/octave) smoother.
#[derive(Debug, Clone, Copy)]
pub struct OnePole {
    coef: f32,
    state: f32,
}

impl OnePole {
    /// A low-pass with -3 dB at about `cutoff_hz`.
    pub fn lowpass(cutoff_hz: f32) -> Self {
        let coef = (-std::f32::consts::TAU * cutoff_hz / SAMPLE_RATE).exp();
        Self { coef, state: 0.0 }
    }
    /// Filter one sample (low-pass output).
    #[inline]
    pub fn process(&mut self, x: f32) -> f32 {
        self.state = x + self.coef * (self.state - x);
        self.state
    }
}

/// A slowly wandering random value: piecewise-smooth interpolation between random points drawn
/// every `period_s` seconds from `[-1, 1]`.
#[derive(Debug, Clone)]
pub struct Drift {
    from: f32,
    to: f32,
    pos: usize,
    period: usize,
}

impl Drift {
    /// A drift with a new random target every `period_s` seconds, starting at a random point.
    pub fn new(period_s: f32, rng: &mut ChaCha8Rng) -> Self {
        let period = ((period_s * SAMPLE_RATE) as usize).max(1);
        Self {
            from: uniform(rng, -1.0, 1.0),
            to: uniform(rng, -1.0, 1.0),
            pos: rng.random_range(0..period),
            period,
        }
    }
    /// The next value in `[-1, 1]` (smoothstep between the random points).
    #[inline]
    pub fn next(&mut self, rng: &mut ChaCha8Rng) -> f32 {
        if self.pos >= self.period {
            self.pos = 0;
            self.from = self.to;
            self.to = uniform(rng, -1.0, 1.0);
        }
        let t = self.pos as f32 / self.period as f32;
        self.pos += 1;
        let s = t * t * (3.0 - 2.0 * t);
        self.from + (self.to - self.from) * s
    }
}

/// Add an impulse of `amp` at fractional time `t_s` (seconds) into `buf`, split between the two
/// neighbouring samples so that impulse trains keep sub-sample timing.
pub fn add_impulse(buf: &mut [f32], t_s: f32, amp: f32) {
    let pos = t_s * SAMPLE_RATE;
    if pos < 0.0 {
        return;
    }
    let i = pos as usize;
    let frac = pos - i as f32;
    if let Some(x) = buf.get_mut(i) {
        *x += amp * (1.0 - frac);
    }
    if let Some(x) = buf.get_mut(i + 1) {
        *x += amp * frac;
    }
}

/// Event times of a Poisson process of `rate_hz` over `[start_s, end_s)`.
pub fn poisson_times(rng: &mut ChaCha8Rng, rate_hz: f32, start_s: f32, end_s: f32) -> Vec<f32> {
    let mut times = Vec::new();
    if rate_hz <= 0.0 {
        return times;
    }
    let mut t = start_s;
    loop {
        let u: f32 = rng.random::<f32>().max(1e-7);
        t += -u.ln() / rate_hz;
        if t >= end_s {
            return times;
        }
        times.push(t);
    }
}

/// Times (s) at which `cycles[i]·ratio` passes an integer, interpolated between samples:
/// the events of a once-per-cycle process (`ratio` = events per rotation) on a rotation record.
pub fn crossing_times(cycles: &[f64], ratio: f64) -> Vec<f32> {
    let mut times = Vec::new();
    for (i, pair) in cycles.windows(2).enumerate() {
        let (a, b) = (pair[0] * ratio, pair[1] * ratio);
        if b.floor() > a.floor() && b > a {
            let frac = (b.floor() - a) / (b - a);
            times.push(((i as f64 + frac) / SAMPLE_RATE as f64) as f32);
        }
    }
    times
}

/// Root mean square of a buffer (0 for an empty one).
pub fn rms(buf: &[f32]) -> f32 {
    if buf.is_empty() {
        return 0.0;
    }
    (buf.iter().map(|x| (*x as f64) * (*x as f64)).sum::<f64>() / buf.len() as f64).sqrt() as f32
}

/// Scale `buf` so that its RMS becomes `target` (a silent buffer stays silent).
pub fn normalise_rms(buf: &mut [f32], target: f32) {
    let r = rms(buf);
    if r > 0.0 {
        let g = target / r;
        buf.iter_mut().for_each(|x| *x *= g);
    }
}

/// Add `src` scaled by `gain` into `dst` (over the shorter length).
pub fn mix_into(dst: &mut [f32], src: &[f32], gain: f32) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d += gain * s;
    }
}

/// Scale a machine's healthy signal to its nominal RMS `level`, varied by ±1.5 dB per clip.
pub fn set_clip_level(out: &mut [f32], level: f32, rng: &mut ChaCha8Rng) {
    normalise_rms(out, level * db(uniform(rng, -1.5, 1.5)));
}

/// Add a fault `layer` into `dst` at `rel_db` decibels relative to `dst`'s RMS (`layer` is
/// rescaled in place first).
pub fn mix_at_relative_db(dst: &mut [f32], layer: &mut [f32], rel_db: f32) {
    normalise_rms(layer, rms(dst) * db(rel_db));
    mix_into(dst, layer, 1.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn sine_table_matches_sin() {
        for i in 0..1000 {
            let c = i as f32 * 0.001_37 - 0.3;
            let exact = (std::f32::consts::TAU * c).sin();
            assert!((sin_cycles(c) - exact).abs() < 2e-6, "at {c}");
        }
    }

    #[test]
    fn wrap_keeps_the_fractional_part_in_unit_interval() {
        for (x, f) in [
            (0.25f32, 0.25f32),
            (3.75, 0.75),
            (-0.25, 0.75),
            (-2.5, 0.5),
            (5.0, 0.0),
        ] {
            assert!((wrap(x) - f).abs() < 1e-6, "{x}");
            assert!((wrap64(x as f64) - f).abs() < 1e-6, "{x}");
        }
    }

    #[test]
    fn bandpass_passes_centre_and_rejects_far_frequencies() {
        let gain_at = |f: f32| {
            let mut bq = Biquad::bandpass(1000.0, 5.0);
            let mut phase = Phase::new(0.0);
            let out: Vec<f32> = (0..16_000)
                .map(|_| {
                    phase.advance(f);
                    bq.process(sin_cycles(phase.cycles()))
                })
                .collect();
            rms(&out[8000..]) / std::f32::consts::FRAC_1_SQRT_2
        };
        assert!((gain_at(1000.0) - 1.0).abs() < 0.02);
        assert!(gain_at(100.0) < 0.05);
        assert!(gain_at(6000.0) < 0.05);
    }

    #[test]
    fn resonator_starts_at_unit_amplitude_and_decays_by_1_over_e() {
        let (freq, decay) = (1000.0f32, 0.01f32);
        let mut ring = Biquad::resonator(freq, decay);
        let response: Vec<f32> = (0..400)
            .map(|i| ring.process(if i == 0 { 1.0 } else { 0.0 }))
            .collect();
        let w = std::f32::consts::TAU * freq / SAMPLE_RATE;
        assert!((response[0] - w.sin()).abs() < 1e-6);
        // h[n] = r^n sin((n+1)w); at n = 160 (10 ms) the envelope r^n is 1/e.
        let n = 160;
        let envelope = response[n] / ((n + 1) as f32 * w).sin();
        assert!((envelope - (-1.0f32).exp()).abs() < 1e-3, "{envelope}");
    }

    #[test]
    fn crossing_times_finds_each_event_of_a_rotation_record() {
        // 10 turns in one second, 2 events per turn: events at k / 20 s, k = 1..19.
        let cycles: Vec<f64> = (0..16_000).map(|i| i as f64 * 10.0 / 16_000.0).collect();
        let times = crossing_times(&cycles, 2.0);
        assert_eq!(times.len(), 19);
        for (k, t) in times.iter().enumerate() {
            assert!((t - (k + 1) as f32 / 20.0).abs() < 1e-5, "{k}: {t}");
        }
    }

    #[test]
    fn white_noise_has_unit_variance() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let v: Vec<f32> = (0..100_000).map(|_| white(&mut rng)).collect();
        assert!((rms(&v) - 1.0).abs() < 0.01);
    }

    #[test]
    fn poisson_rate_is_respected() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let n = poisson_times(&mut rng, 50.0, 0.0, 100.0).len();
        assert!((4700..5300).contains(&n), "{n}");
    }
}
