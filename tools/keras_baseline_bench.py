#!/usr/bin/env python3
"""Training throughput of the DCASE 2020 baseline autoencoder in Keras (TensorFlow, CPU).

The reference point for `cargo bench --bench train` (the `ae` entry): the same network
(640 → Dense128+BN+ReLU ×4 → Dense8+BN+ReLU → Dense128+BN+ReLU ×4 → Dense640, docs/DESIGN.md §1.6),
Adam(1e-3), MSE, batch 512, trained on random dB-like vectors; prints vectors per second.

Optional: needs TensorFlow (`pip install tensorflow-cpu`), which the project does not require.
Usage: python3 tools/keras_baseline_bench.py [--vectors 51200] [--epochs 3] [--threads N]
"""

import argparse
import sys
import time


def build_model(keras, dim=640, hidden=128, layers=4, latent=8):
    """The baseline `get_model` with Keras defaults (glorot_uniform, BN momentum 0.99, eps 1e-3)."""
    inputs = keras.Input(shape=(dim,))
    h = inputs
    for width in [hidden] * layers + [latent] + [hidden] * layers:
        h = keras.layers.Dense(width)(h)
        h = keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3)(h)
        h = keras.layers.Activation("relu")(h)
    outputs = keras.layers.Dense(dim)(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7), loss="mse")
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=512 * 100, help="training vectors per epoch")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (after one warm-up epoch)")
    parser.add_argument("--threads", type=int, default=0, help="TensorFlow intra-op threads (0 = default)")
    args = parser.parse_args()

    try:
        import numpy as np
        import tensorflow as tf
    except ImportError as error:
        sys.exit(f"TensorFlow is not installed ({error}); `pip install tensorflow-cpu` to run this benchmark")

    tf.config.set_visible_devices([], "GPU")
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)

    rng = np.random.default_rng(0)
    data = rng.normal(-30.0, 10.0, size=(args.vectors, 640)).astype(np.float32)
    model = build_model(tf.keras)

    model.fit(data, data, batch_size=512, epochs=1, shuffle=True, verbose=0)  # warm-up / tracing
    start = time.perf_counter()
    model.fit(data, data, batch_size=512, epochs=args.epochs, shuffle=True, verbose=0)
    elapsed = time.perf_counter() - start

    vectors = args.vectors * args.epochs
    print(f"keras baseline AE (TensorFlow {tf.__version__}, CPU): "
          f"{vectors / elapsed:,.0f} vectors/s ({elapsed / (vectors / 512) * 1e3:.1f} ms per batch of 512)")


if __name__ == "__main__":
    main()
