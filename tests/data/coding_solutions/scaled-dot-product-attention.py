"""Reference solution for the coding opening scaled-dot-product-attention."""

from __future__ import annotations

import math


def attention(
    q: list[list[float]],
    k: list[list[float]],
    v: list[list[float]],
    mask: list[list[bool]] | None = None,
) -> list[list[float]]:
    """softmax(q k^T / sqrt(d), over allowed keys) v, for one head of one sequence.

    q: t_q by d, k: t_k by d, v: t_k by d_v, mask: t_q by t_k with True = may attend.
    Masked keys are left out of the softmax (no large negative constant), each row's
    maximum over its allowed keys is subtracted before exp, and a row with no allowed key
    returns zeros. Returns t_q by d_v. Cost: O(t_q * t_k * (d + d_v)) time and
    O(t_k + d_v) extra memory per query row (O(t_q * t_k) if the scores were kept).
    """
    if len(k) != len(v):
        raise ValueError("k and v must have the same number of rows")
    if mask is not None and (len(mask) != len(q) or any(len(row) != len(k) for row in mask)):
        raise ValueError("mask must have t_q rows of t_k booleans")
    d_v = len(v[0]) if v else 0
    output: list[list[float]] = []
    for i, query in enumerate(q):
        scale = 1.0 / math.sqrt(len(query))
        allowed = [j for j in range(len(k)) if mask is None or mask[i][j]]
        if not allowed:
            output.append([0.0] * d_v)
            continue
        scores = [scale * sum(a * b for a, b in zip(query, k[j], strict=True)) for j in allowed]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        total = sum(weights)  # at least 1: the maximum contributes exp(0)
        row = [0.0] * d_v
        for weight, j in zip(weights, allowed, strict=True):
            for c, value in enumerate(v[j]):
                row[c] += weight / total * value
        output.append(row)
    return output


def causal_mask(t: int) -> list[list[bool]]:
    """t by t mask letting position i attend to keys 0..i (query i and key i aligned)."""
    return [[j <= i for j in range(t)] for i in range(t)]
