"""Reference solution for the coding opening mlp-backprop."""

from __future__ import annotations


def _matmul(A: list[list[float]], B: list[list[float]]) -> list[list[float]]:
    """(n by m) times (m by p) gives n by p."""
    columns = list(zip(*B, strict=True))
    return [[sum(a * b for a, b in zip(row, col, strict=True)) for col in columns] for row in A]


def _transpose(A: list[list[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*A, strict=True)]


def _column_sums(A: list[list[float]]) -> list[float]:
    return [sum(col) for col in zip(*A, strict=True)]


def mlp_loss_and_grads(
    X: list[list[float]],
    Y: list[list[float]],
    W1: list[list[float]],
    b1: list[float],
    W2: list[list[float]],
    b2: list[float],
) -> tuple[float, dict[str, list]]:
    """Loss sum((out - Y) ** 2) / (2n) of out = relu(X W1 + b1) W2 + b2, and its gradients.

    Shapes: X n by d, Y n by k, W1 d by h, b1 h, W2 h by k, b2 k; Z and H are n by h, out
    is n by k, and each gradient has its parameter's shape. relu'(0) is taken as 0. The
    parameters are not modified. Cost: O(n * (d * h + h * k)) time for each pass,
    O(n * (h + k)) memory for the cached activations.
    """
    if not X or len(X) != len(Y):
        raise ValueError("X and Y must be non-empty and have the same number of rows")
    n = len(X)

    # Forward, keeping Z for the relu mask in the backward pass.
    Z = [[z + b for z, b in zip(row, b1, strict=True)] for row in _matmul(X, W1)]  # n x h
    H = [[max(0.0, z) for z in row] for row in Z]  # n x h
    out = [[o + b for o, b in zip(row, b2, strict=True)] for row in _matmul(H, W2)]  # n x k
    residual = [
        [o - t for o, t in zip(out_row, y_row, strict=True)]
        for out_row, y_row in zip(out, Y, strict=True)
    ]
    loss = sum(r * r for row in residual for r in row) / (2 * n)

    # Backward.
    d_out = [[r / n for r in row] for row in residual]  # n x k
    d_W2 = _matmul(_transpose(H), d_out)  # h x k
    d_b2 = _column_sums(d_out)  # k
    d_H = _matmul(d_out, _transpose(W2))  # n x h
    d_Z = [
        [g if z > 0 else 0.0 for g, z in zip(g_row, z_row, strict=True)]
        for g_row, z_row in zip(d_H, Z, strict=True)
    ]  # n x h
    d_W1 = _matmul(_transpose(X), d_Z)  # d x h
    d_b1 = _column_sums(d_Z)  # h
    return loss, {"W1": d_W1, "b1": d_b1, "W2": d_W2, "b2": d_b2}
