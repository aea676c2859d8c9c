#!/usr/bin/env python3
"""The NumPy side of script/bench-backprop: the same training as backprop-benchmark.

Vectorised mini-batch SGD in Nielsen's matrix form (one sample per column of each batch matrix;
the data set itself is stored one sample per row, so a batch is a gather of contiguous rows and
its transpose is a free view for BLAS), sigmoid layers,
quadratic cost, eta = 3.0, weights drawn with standard deviation 1/sqrt(n_in):
  (a) 64-30-10 on the first 1,500 digits of notes/data/digits.csv, batch 10;
  (b) 784-100-10 on 60,000 synthetic samples, batch 100 (the same numbers as the Swift side:
      see SyntheticData.swift).
Each case runs a few times after a warm-up run. The script reads the lines "RUN <case>
<samples/s>" of the timed runs and "RESULT <case> <median samples/s> <flops per sample>".

Usage: python3 benchmarks/backprop/numpy_benchmark.py [digits.csv] [--quick]
"""
import sys
import time

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train(sizes, x, y, batch_size, epochs, eta, seed):
    """Trains on x (N x n_in) and y (N x n_out), one sample per row; returns the parameters."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((n, m)) / np.sqrt(m) for m, n in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    n = x.shape[0]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            a = x[batch].T
            target = y[batch].T
            m = a.shape[1]
            activations = [a]
            for w, b in zip(weights, biases):
                a = sigmoid(w @ a + b)
                activations.append(a)
            delta = (a - target) * a * (1 - a)                       # BP1
            for l in range(len(weights) - 1, -1, -1):
                nabla_w = delta @ activations[l].T                   # BP4 (summed over the batch)
                nabla_b = delta.sum(axis=1, keepdims=True)           # BP3
                if l > 0:
                    s = activations[l]
                    delta = (weights[l].T @ delta) * s * (1 - s)     # BP2, with the old weights
                weights[l] -= (eta / m) * nabla_w
                biases[l] -= (eta / m) * nabla_b
    return weights, biases


def accuracy(weights, biases, x, y):
    a = x.T
    for w, b in zip(weights, biases):
        a = sigmoid(w @ a + b)
    return float(np.mean(np.argmax(a, axis=0) == np.argmax(y, axis=1)))


def synthetic(count, inputs=784, classes=10):
    """SplitMix64 of a counter, as in SyntheticData.swift."""
    def uniform(n):
        z = (n + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    with np.errstate(over="ignore"):
        labels = (classes * uniform(np.arange(count, dtype=np.uint64))).astype(np.int64)
        counters = np.uint64(1_000_000) + np.arange(count * inputs, dtype=np.uint64)
        u = uniform(counters).reshape(count, inputs)
    pixel_class = np.arange(inputs) % classes
    x = np.where(pixel_class[None, :] == labels[:, None], u, 0.5 * u)
    y = np.zeros((count, classes))
    y[np.arange(count), labels] = 1.0
    return x, y


def digits(path, count=1500):
    data = np.loadtxt(path, delimiter=",", skiprows=1)[:count]
    x = data[:, :64]
    y = np.zeros((len(data), 10))
    y[np.arange(len(data)), data[:, 64].astype(int)] = 1.0
    return np.ascontiguousarray(x), y


def flops_per_sample(sizes):
    return float(sum(2 * n * m * (2 if l == 0 else 3) for l, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]))))


def run(name, sizes, x, y, batch_size, epochs, repeats):
    rates = []
    for round_ in range(repeats + 1):
        start = time.perf_counter()
        weights, biases = train(sizes, x, y, batch_size, epochs, 3.0, round_)
        rate = epochs * x.shape[0] / (time.perf_counter() - start)
        if round_ > 0:  # round 0 warms up
            rates.append(rate)
            print(f"RUN {name} {rate:.1f}")
        print(f"  {name} run {round_}: {rate:.0f} samples/s, training accuracy "
              f"{accuracy(weights, biases, x, y):.3f}")
    print(f"RESULT {name} {sorted(rates)[len(rates) // 2]:.1f} {flops_per_sample(sizes)}")


def main():
    args = sys.argv[1:]
    quick = "--quick" in args
    paths = [a for a in args if not a.startswith("--")]
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"  BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                  f"kernel {pool.get('architecture')}, {pool.get('num_threads')} threads")
    except ImportError:
        print("  BLAS: (install threadpoolctl to see which kernel NumPy uses)")
    x, y = digits(paths[0] if paths else "notes/data/digits.csv")
    run("a", [64, 30, 10], x, y, 10, 5 if quick else 60, 1 if quick else 5)
    x, y = synthetic(60_000)
    run("b", [784, 100, 10], x, y, 100, 1, 1 if quick else 4)


if __name__ == "__main__":
    main()
