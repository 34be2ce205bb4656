"""Reference solution for the coding opening stable-softmax-cross-entropy."""

from __future__ import annotations

import math


def softmax_cross_entropy(
    logits: list[list[float]], labels: list[int]
) -> tuple[float, list[list[float]]]:
    """Mean cross-entropy of softmax(logits) against labels, and its gradient.

    logits: n rows of c floats; labels: n classes in [0, c). Per row, the loss is
    logsumexp(row) - row[label], with the row maximum subtracted before exp so nothing
    overflows; no probability is ever passed to log. The gradient of the mean loss is
    (softmax(row) - onehot(label)) / n, shape n by c. Cost: O(n * c) time and memory.
    """
    if not logits or len(logits) != len(labels):
        raise ValueError("logits and labels must be non-empty and of the same length")
    n = len(logits)
    total_loss = 0.0
    grad: list[list[float]] = []
    for row, label in zip(logits, labels, strict=True):
        if not 0 <= label < len(row):
            raise ValueError(f"label {label} is outside [0, {len(row)})")
        top = max(row)
        exps = [math.exp(z - top) for z in row]  # each in (0, 1], the largest exactly 1
        total = sum(exps)
        total_loss += top + math.log(total) - row[label]
        grad_row = [e / total / n for e in exps]
        grad_row[label] -= 1.0 / n
        grad.append(grad_row)
    return total_loss / n, grad
