"""Reference solution for the coding opening top-p-sampling."""

from __future__ import annotations

import math
import random


def top_p_sample(
    logits: list[float], p: float, rng: random.Random, temperature: float = 1.0
) -> int:
    """Sample one token from the smallest most-likely set holding probability at least p.

    Softmax of logits / temperature with the maximum subtracted (so logits of 1000 do not
    overflow); tokens ordered by probability, highest first, the lower index first on a
    tie; the nucleus is the shortest prefix of that order whose mass reaches p (at least
    one token). One rng.random() draw u picks the first kept token at which the
    renormalised running total exceeds u. Cost: O(V log V) time, O(V) memory.
    """
    if not logits:
        raise ValueError("logits must not be empty")
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    if temperature <= 0.0:
        raise ValueError(f"temperature must be positive, got {temperature}")

    scaled = [z / temperature for z in logits]
    top = max(scaled)
    weights = [math.exp(z - top) for z in scaled]
    total = sum(weights)
    probs = [w / total for w in weights]

    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    kept: list[int] = []
    mass = 0.0
    for token in order:
        kept.append(token)
        mass += probs[token]
        if mass >= p:
            break

    u = rng.random()
    running = 0.0
    for token in kept:
        running += probs[token] / mass
        if running > u:
            return token
    return kept[-1]  # the running total fell short of 1 by rounding and u was above it
