//! The dB step L = (20/power)·log10(M + ε) (docs/DESIGN.md §1.3 step 4) with a vectorisable logarithm.
//!
//! The C library's `log10` costs about as much as the whole mel product, so the natural log is
//! evaluated here from the IEEE-754 parts: x = 2^e·m with m in [√½, √2), and
//! ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …) with s = (m − 1)/(m + 1), |s| ≤ 0.1716. Seven
//! odd terms leave a relative error below 1e-13, far below the f32 output's resolution. The core
//! has no branches or integer-to-float conversions, so the compiler can use SIMD lanes.

/// Bits of an f64's exponent field.
const EXPONENT_MASK: u64 = 0x7ff0_0000_0000_0000;
/// Exponent bits of 1.0.
const EXPONENT_ONE: u64 = 0x3ff0_0000_0000_0000;
/// Bits of 2^52: OR-ing a small integer into its mantissa gives 2^52 + that integer.
const TWO_POW_52_BITS: u64 = 0x4330_0000_0000_0000;

/// True when `x` is a positive, finite, normal number (the domain of [`ln_normal`]).
fn is_positive_normal(x: f64) -> bool {
    (f64::MIN_POSITIVE..=f64::MAX).contains(&x)
}

/// Natural logarithm of a positive, finite, normal `x` (relative error < 1e-13); other inputs
/// give meaningless values, see [`ln_positive`].
#[inline(always)]
fn ln_normal(x: f64) -> f64 {
    let bits = x.to_bits();
    let biased_exponent =
        f64::from_bits(TWO_POW_52_BITS | (bits >> 52)) - f64::from_bits(TWO_POW_52_BITS);
    let mantissa = f64::from_bits((bits & !EXPONENT_MASK) | EXPONENT_ONE);
    let above = mantissa > std::f64::consts::SQRT_2;
    let mantissa = if above { 0.5 * mantissa } else { mantissa };
    let exponent = biased_exponent - 1023.0 + if above { 1.0 } else { 0.0 };
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    let series = 1.0
        + s2 * (1.0 / 3.0
            + s2 * (1.0 / 5.0
                + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0))))));
    2.0 * s * series + exponent * std::f64::consts::LN_2
}

/// Natural logarithm: the fast path for positive normal numbers, the standard library otherwise
/// (zero, subnormal, negative, infinite, NaN).
pub fn ln_positive(x: f64) -> f64 {
    if is_positive_normal(x) {
        ln_normal(x)
    } else {
        x.ln()
    }
}

/// Writes `scale · log10(m + epsilon)` for every mel energy `m` into `out` as f32.
#[inline(always)]
pub fn energies_to_db(energies: &[f64], scale: f64, epsilon: f64, out: &mut [f32]) {
    let factor = scale / std::f64::consts::LN_10;
    for (db, &m) in out.iter_mut().zip(energies) {
        *db = (factor * ln_normal(m + epsilon)) as f32;
    }
    // Energies are ≥ 0, so this only triggers for NaN/∞ input; kept out of the SIMD loop.
    for (db, &m) in out.iter_mut().zip(energies) {
        if !is_positive_normal(m + epsilon) {
            *db = (factor * (m + epsilon).ln()) as f32;
        }
    }
}
