#!/usr/bin/env python3
"""Independent reference values for the Backprop engine's fixed-value tests.

Computes, with NumPy and nothing from the engine, the forward pass (every z^l and a^l), the
backpropagated errors delta^l and the gradients dC/dw^l, dC/db^l of small networks, sample by
sample and averaged over a mini-batch, for several activation and cost combinations, plus the
first outputs of the engine's random generator (SplitMix64 seeding xoshiro256**, in plain
Python integers). The parameters and data are drawn here and written into the fixture with the
results, so the Swift tests read the very same numbers.

Regenerate the fixture from the repository root with:

    python3 benchmarks/backprop/reference.py > Tests/BackpropTests/Fixtures/reference.json
"""
import json

import numpy as np

MASK = (1 << 64) - 1

# ---------------------------------------------------------------------------------------------
# Activations sigma(z) and their derivatives sigma'(z), written out from their definitions.


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leakyReLU": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "identity": (lambda z: z.copy(), lambda z: np.ones_like(z)),
    "softplus": (lambda z: np.log1p(np.exp(z)), sigmoid),
}


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def activate(name, z):
    return softmax(z) if name == "softmax" else ACTIVATIONS[name][0](z)


def jacobian(name, z):
    """da/dz as a full matrix (diagonal for the elementwise activations)."""
    if name == "softmax":
        a = softmax(z)
        return np.diag(a) - np.outer(a, a)
    return np.diag(ACTIVATIONS[name][1](z))


# ---------------------------------------------------------------------------------------------
# Costs C(a, y) and dC/da.

COSTS = {
    "quadratic": (lambda a, y: 0.5 * np.sum((y - a) ** 2), lambda a, y: a - y),
    "binaryCrossEntropy": (
        lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)),
        lambda a, y: (a - y) / (a * (1 - a)),
    ),
    "categoricalCrossEntropy": (lambda a, y: -np.sum(y * np.log(a)), lambda a, y: -y / a),
}


def backprop(weights, biases, activations, cost, x, y):
    """One sample, with column vectors, exactly as in the notes."""
    zs, acts = [], [x]
    for w, b, name in zip(weights, biases, activations):
        z = w @ acts[-1] + b
        zs.append(z)
        acts.append(activate(name, z))
    deltas = [None] * len(weights)
    deltas[-1] = jacobian(activations[-1], zs[-1]).T @ COSTS[cost][1](acts[-1], y)      # BP1
    for i in range(len(weights) - 2, -1, -1):
        deltas[i] = jacobian(activations[i], zs[i]).T @ (weights[i + 1].T @ deltas[i + 1])  # BP2
    nabla_b = [d.copy() for d in deltas]                                                   # BP3
    nabla_w = [np.outer(d, a) for d, a in zip(deltas, acts[:-1])]                           # BP4
    return {
        "zs": [z.tolist() for z in zs],
        "activations": [a.tolist() for a in acts],
        "deltas": [d.tolist() for d in deltas],
        "nablaW": [g.tolist() for g in nabla_w],
        "nablaB": [g.tolist() for g in nabla_b],
        "cost": float(COSTS[cost][0](acts[-1], y)),
    }


def case(name, sizes, activations, cost, inputs, targets, weights=None, biases=None, seed=0):
    rng = np.random.default_rng(seed)
    if weights is None:
        weights = [rng.normal(0, 1 / np.sqrt(m), (n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
        biases = [rng.normal(0, 1, n) for n in sizes[1:]]
    weights = [np.array(w, dtype=float) for w in weights]
    biases = [np.array(b, dtype=float) for b in biases]
    samples = [backprop(weights, biases, activations, cost, np.array(x, float), np.array(y, float))
               for x, y in zip(inputs, targets)]
    m = len(samples)
    mean_w = [sum(np.array(s["nablaW"][i]) for s in samples) / m for i in range(len(weights))]
    mean_b = [sum(np.array(s["nablaB"][i]) for s in samples) / m for i in range(len(weights))]
    return {
        "name": name,
        "sizes": sizes,
        "activations": activations,
        "cost": cost,
        "weights": [w.tolist() for w in weights],
        "biases": [b.tolist() for b in biases],
        "inputs": [list(map(float, x)) for x in inputs],
        "targets": [list(map(float, y)) for y in targets],
        "samples": samples,
        "batch": {
            "nablaW": [g.tolist() for g in mean_w],
            "nablaB": [g.tolist() for g in mean_b],
            "meanCost": sum(s["cost"] for s in samples) / m,
        },
    }


# ---------------------------------------------------------------------------------------------
# The random generator: SplitMix64 seeding xoshiro256**.


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


class Xoshiro256StarStar:
    def __init__(self, seed):
        self.s = []
        state = seed
        for _ in range(4):
            state, value = splitmix64(state)
            self.s.append(value)

    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def integer_below(self, n):
        """Lemire's multiply-and-reject method."""
        product = self.next() * n
        if product & MASK < n:
            threshold = ((1 << 64) - n) % n
            while product & MASK < threshold:
                product = self.next() * n
        return product >> 64

    def permutation(self, n):
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.integer_below(i + 1)
            order[i], order[j] = order[j], order[i]
        return order


def random_reference():
    g = Xoshiro256StarStar(42)
    words = [str(g.next()) for _ in range(6)]
    g = Xoshiro256StarStar(0)
    uniforms = [g.uniform() for _ in range(6)]
    g = Xoshiro256StarStar(7)
    return {"seed42Next": words, "seed0Uniform": uniforms, "seed7Permutation10": g.permutation(10)}


def main():
    # The worked example of notes/backprop.md, section 4: a 2-3-2 sigmoid network.
    notes = case("notes 2-3-2 sigmoid, quadratic", [2, 3, 2], ["sigmoid", "sigmoid"], "quadratic",
                 inputs=[[0.5, -0.2]], targets=[[1.0, 0.0]],
                 weights=[[[0.1, 0.4], [-0.3, 0.2], [0.5, -0.6]], [[0.2, -0.5, 0.3], [0.7, 0.1, -0.4]]],
                 biases=[[0.0, 0.1, -0.1], [0.05, -0.05]])
    rng = np.random.default_rng(7)
    x4 = rng.uniform(-1, 1, (4, 3)).tolist()
    onehot = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    cases = [
        notes,
        case("3-4-5-3 tanh, leaky ReLU, softmax, categorical cross-entropy", [3, 4, 5, 3],
             ["tanh", "leakyReLU", "softmax"], "categoricalCrossEntropy", x4, onehot, seed=1),
        case("3-4-2 relu, sigmoid, binary cross-entropy", [3, 4, 2], ["relu", "sigmoid"],
             "binaryCrossEntropy", x4, [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]], seed=2),
        case("3-5-1 softplus, identity, quadratic", [3, 5, 1], ["softplus", "identity"], "quadratic",
             x4, [[0.3], [-1.2], [0.8], [2.0]], seed=3),
        case("3-3-3 sigmoid, softmax, quadratic", [3, 3, 3], ["sigmoid", "softmax"], "quadratic",
             x4, onehot, seed=4),
    ]
    print(json.dumps({
        "generator": "benchmarks/backprop/reference.py (NumPy " + np.__version__ + ")",
        "random": random_reference(),
        "cases": cases,
    }, indent=1))


if __name__ == "__main__":
    main()
