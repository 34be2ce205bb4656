"""Reference solution for the coding opening logistic-regression-gd."""

from __future__ import annotations

import math


def sigmoid(z: float) -> float:
    """1 / (1 + exp(-z)), without overflow for scores of any magnitude."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # z < 0, so e is in (0, 1) and cannot overflow
    return e / (1.0 + e)


def _score(row: list[float], w: list[float], b: float) -> float:
    return sum(wj * xj for wj, xj in zip(w, row, strict=True)) + b


def fit_logistic_regression(
    X: list[list[float]],
    y: list[int],
    lr: float = 0.1,
    n_iters: int = 1000,
    l2: float = 0.0,
) -> tuple[list[float], float]:
    """Minimise mean log loss + l2 / 2 * ||w||^2 by batch gradient descent from zeros.

    X: n rows of d features; y: n labels in {0, 1}. Returns (w: d floats, b). The bias is
    not penalised. Cost: O(n_iters * n * d) time, O(d) memory beyond the data.
    """
    if not X or len(X) != len(y):
        raise ValueError("X and y must be non-empty and of the same length")
    n, d = len(X), len(X[0])
    if any(len(row) != d for row in X):
        raise ValueError("every row of X must have the same number of features")
    if any(label not in (0, 1) for label in y):
        raise ValueError("labels must be 0 or 1")

    w, b = [0.0] * d, 0.0
    for _ in range(n_iters):
        grad_w, grad_b = [0.0] * d, 0.0
        for row, label in zip(X, y, strict=True):
            residual = sigmoid(_score(row, w, b)) - label  # d(log loss)/d(score)
            for j, xj in enumerate(row):
                grad_w[j] += residual * xj
            grad_b += residual
        w = [wj - lr * (gj / n + l2 * wj) for wj, gj in zip(w, grad_w, strict=True)]
        b -= lr * grad_b / n
    return w, b


def predict_proba(X: list[list[float]], w: list[float], b: float) -> list[float]:
    """P(y = 1) for each row, with the same stable sigmoid used in training."""
    return [sigmoid(_score(row, w, b)) for row in X]
