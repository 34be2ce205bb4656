"""Reference solution for the coding opening kmeans."""

from __future__ import annotations

import random


def _squared_distance(a: list[float], b: list[float]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True))


def _nearest(point: list[float], centroids: list[list[float]]) -> int:
    """Index of the closest centroid; on a tie, the lower index (min keeps the first)."""
    return min(range(len(centroids)), key=lambda c: _squared_distance(point, centroids[c]))


def _assign(X: list[list[float]], centroids: list[list[float]]) -> list[int]:
    return [_nearest(point, centroids) for point in X]


def _update(
    X: list[list[float]], labels: list[int], centroids: list[list[float]]
) -> list[list[float]]:
    """Each centroid becomes the mean of its points.

    An empty cluster is moved to the point farthest from its own centroid (a point no
    other empty cluster took), which is the point the current solution explains worst.
    """
    k, d = len(centroids), len(X[0])
    sums = [[0.0] * d for _ in range(k)]
    counts = [0] * k
    for point, label in zip(X, labels, strict=True):
        counts[label] += 1
        for j, x in enumerate(point):
            sums[label][j] += x
    new = [[s / counts[c] for s in sums[c]] if counts[c] else list(centroids[c]) for c in range(k)]
    taken: set[int] = set()
    for c in range(k):
        if counts[c]:
            continue
        by_distance = sorted(
            range(len(X)),
            key=lambda i: (-_squared_distance(X[i], centroids[labels[i]]), i),
        )
        farthest = next(i for i in by_distance if i not in taken)
        taken.add(farthest)
        new[c] = list(X[farthest])
    return new


def kmeans(
    X: list[list[float]], k: int, n_iters: int = 100, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Lloyd's algorithm. Returns (k centroids of d coordinates, n labels in [0, k)).

    Initialises with k distinct points drawn by a private random.Random(seed), so the
    global random state is untouched and a seed always gives the same result. Stops when
    no assignment changes, or after n_iters updates. Cost: O(n_iters * n * k * d) time,
    O(n + k * d) extra memory.
    """
    n = len(X)
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of points ({n}), got {k}")
    rng = random.Random(seed)
    centroids = [list(X[i]) for i in rng.sample(range(n), k)]
    labels = _assign(X, centroids)
    for _ in range(n_iters):
        centroids = _update(X, labels, centroids)
        new_labels = _assign(X, centroids)
        if new_labels == labels:
            break
        labels = new_labels
    return centroids, labels
