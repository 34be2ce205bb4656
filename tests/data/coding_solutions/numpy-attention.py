"""Reference solution for the coding opening numpy-attention."""

from __future__ import annotations

import numpy as np


def attention(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None
) -> np.ndarray:
    """softmax(q k^T / sqrt(d), over allowed keys) v, over any leading batch dimensions.

    q: (..., t_q, d), k: (..., t_k, d), v: (..., t_k, d_v); mask broadcastable to
    (..., t_q, t_k), True = may attend. Returns (..., t_q, d_v) in the inputs' float dtype.
    Masked keys get weight exactly 0 (no large negative constant), each row's maximum over
    its allowed keys is subtracted before exp, and a row with no allowed key returns zeros.
    Cost: O(t_q * t_k * (d + d_v)) time per batch element, O(t_q * t_k) memory for scores.
    """
    dtype = np.result_type(q, k, v, np.float32)  # float32 stays float32; ints become floats
    q, k, v = (np.asarray(a, dtype=dtype) for a in (q, k, v))
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(dtype.type(q.shape[-1]))  # (..., t_q, t_k)
    allowed = (
        np.ones(scores.shape, dtype=bool) if mask is None else np.broadcast_to(mask, scores.shape)
    )
    top = np.max(scores, axis=-1, keepdims=True, initial=-np.inf, where=allowed)
    top = np.where(np.isfinite(top), top, 0)  # an all-masked row: any shift will do
    weights = np.where(allowed, np.exp(np.where(allowed, scores - top, 0)), 0)
    total = weights.sum(axis=-1, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    return weights @ v
