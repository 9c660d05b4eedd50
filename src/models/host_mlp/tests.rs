//! The host step's gradients against central finite differences of its own loss, and its
//! matrix products against a plain triple loop.

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random(rng: &mut ChaCha8Rng, n: usize, scale: f32) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-scale..scale)).collect()
}

fn layer(rng: &mut ChaCha8Rng, d_in: usize, d_out: usize, with_norm: bool) -> HostLayer {
    let norm = with_norm.then(|| HostNorm {
        gamma: Trainable::new(random(rng, d_out, 0.5).iter().map(|g| 1.0 + g).collect()),
        beta: Trainable::new(random(rng, d_out, 0.5)),
        running_mean: vec![0.0; d_out],
        running_var: vec![1.0; d_out],
        momentum: 0.99,
        epsilon: 1e-3,
    });
    HostLayer {
        d_in,
        d_out,
        weight: Trainable::new(random(rng, d_in * d_out, 0.8)),
        bias: Trainable::new(random(rng, d_out, 0.3)),
        norm,
    }
}

/// 6 → Blk5 → Blk3 → Blk5 → Dense6, Keras Adam.
fn small_net(seed: u64) -> HostMlp {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let layers = vec![
        layer(&mut rng, 6, 5, true),
        layer(&mut rng, 5, 3, true),
        layer(&mut rng, 3, 5, true),
        layer(&mut rng, 5, 6, false),
    ];
    HostMlp::new(layers, AdamSettings::keras_baseline()).unwrap()
}

fn loss(net: &mut HostMlp, x: &[f32]) -> f64 {
    net.forward(x, x.len() / net.input_dim());
    f64::from(net.output_gradient(x))
}

/// Every parameter of the net as (layer, which, values, gradient), after one backward pass.
fn with_gradients(net: &mut HostMlp, x: &[f32]) {
    loss(net, x);
    net.backward(x, x.len() / net.input_dim());
}

fn parameter(net: &mut HostMlp, layer: usize, which: usize) -> &mut Trainable {
    let l = &mut net.layers[layer];
    match which {
        0 => &mut l.weight,
        1 => &mut l.bias,
        2 => &mut l.norm.as_mut().unwrap().gamma,
        _ => &mut l.norm.as_mut().unwrap().beta,
    }
}

#[test]
fn gradients_match_central_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let x = random(&mut rng, 8 * 6, 2.0);
    let mut net = small_net(3);
    with_gradients(&mut net, &x);
    let mut checked = 0;
    for layer in 0..net.layers.len() {
        let groups = if net.layers[layer].norm.is_some() {
            4
        } else {
            2
        };
        for which in 0..groups {
            let count = parameter(&mut net, layer, which).value.len();
            for i in 0..count {
                let analytic = f64::from(parameter(&mut net, layer, which).grad[i]);
                let h = 3e-3f32;
                let original = parameter(&mut net, layer, which).value[i];
                parameter(&mut net, layer, which).value[i] = original + h;
                let up = loss(&mut net, &x);
                parameter(&mut net, layer, which).value[i] = original - h;
                let down = loss(&mut net, &x);
                parameter(&mut net, layer, which).value[i] = original;
                let numeric = (up - down) / (2.0 * f64::from(h));
                let tolerance = 2e-4 + 1e-2 * numeric.abs();
                assert!(
                    (analytic - numeric).abs() < tolerance,
                    "layer {layer} group {which} [{i}]: analytic {analytic} vs numeric {numeric}"
                );
                checked += 1;
            }
        }
    }
    // 6·5+5+5+5 + 5·3+3+3+3 + 3·5+5+5+5 + 5·6+6 parameters.
    assert_eq!(checked, 45 + 24 + 30 + 36);
}

#[test]
fn a_step_lowers_the_loss_and_is_deterministic() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = random(&mut rng, 16 * 6, 1.0);
    let run = || {
        let mut net = small_net(5);
        let losses: Vec<f32> = (0..200).map(|_| net.train_step(&x, 1e-2)).collect();
        (losses, net.layers[3].weight.value.clone())
    };
    let (losses, weights) = run();
    assert!(
        losses[199] < 0.5 * losses[0],
        "{} → {}",
        losses[0],
        losses[199]
    );
    assert_eq!(run(), (losses, weights), "same start, same numbers");
}

#[test]
fn matmul_matches_a_triple_loop_for_every_transpose_and_split() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    // Large enough (m·n·k ≥ SPLIT_WORK) that the product is computed as two halves.
    let [m, n, k] = [130, 129, 128];
    let a = random(&mut rng, m * k, 1.0);
    let b = random(&mut rng, k * n, 1.0);
    let at: Vec<f32> = (0..k * m).map(|i| a[(i % m) * k + i / m]).collect();
    let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
    let start = random(&mut rng, m * n, 1.0);
    let expected = |i: usize, j: usize| -> f64 {
        (0..k)
            .map(|d| f64::from(a[i * k + d]) * f64::from(b[d * n + j]))
            .sum()
    };
    let lhs_forms = [Operand::rows(&a, k), Operand::transposed(&at, m)];
    let rhs_forms = [Operand::rows(&b, n), Operand::transposed(&bt, k)];
    for lhs in lhs_forms {
        for rhs in rhs_forms {
            for accumulate in [false, true] {
                let mut dst = start.clone();
                matmul([m, n, k], &mut dst, lhs, rhs, accumulate);
                for i in 0..m {
                    for j in 0..n {
                        let base = if accumulate {
                            f64::from(start[i * n + j])
                        } else {
                            0.0
                        };
                        let want = base + expected(i, j);
                        assert!((f64::from(dst[i * n + j]) - want).abs() < 1e-3);
                    }
                }
            }
        }
    }
}

#[test]
#[should_panic(expected = "out of bounds")]
fn an_operand_too_short_for_its_shape_is_refused() {
    let a = vec![0.0f32; 11];
    let mut dst = vec![0.0f32; 4];
    matmul(
        [2, 2, 3],
        &mut dst,
        Operand::rows(&a, 3),
        Operand::rows(&a[..5], 2),
        false,
    );
}
