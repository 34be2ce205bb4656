"""Reference solution for the coding opening numpy-kmeans."""

from __future__ import annotations

import numpy as np


def kmeans(
    X: np.ndarray, k: int, n_iters: int = 100, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's algorithm: k distinct rows of X, drawn with default_rng(seed), as the first
    centroids; then assign each point to its nearest centroid (squared distance, ties to
    the lower id, which argmin gives) and move each centroid to its points' mean, until no
    assignment changes or n_iters rounds. A cluster left with no points keeps its centroid.

    X: (n, d). Returns centroids (k, d) and labels (n,). O(n_iters * n * k * d) time and
    O(n * k) memory for the distances.
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of points ({n}), not {k}")
    rng = np.random.default_rng(seed)
    centroids = X[rng.choice(n, size=k, replace=False)].copy()
    labels = np.full(n, -1)
    for _ in range(n_iters):
        # |x - c|^2 = |x|^2 - 2 x.c + |c|^2, without an (n, k, d) intermediate.
        distances = (X**2).sum(1)[:, None] - 2 * X @ centroids.T + (centroids**2).sum(1)[None, :]
        new = distances.argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        counts = np.bincount(labels, minlength=k)
        sums = np.stack([np.bincount(labels, X[:, j], minlength=k) for j in range(X.shape[1])], 1)
        filled = counts > 0
        centroids[filled] = sums[filled] / counts[filled, None]
    return centroids, labels
