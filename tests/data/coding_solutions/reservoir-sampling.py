"""Reference solution for the coding opening reservoir-sampling."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def reservoir_sample(stream: Iterable[T], k: int, rng: random.Random) -> list[T]:
    """k items drawn uniformly without replacement from a stream seen once (Algorithm R).

    The first k items fill the reservoir; item number i (1-based, i > k) replaces a
    uniformly chosen slot with probability k / i. By induction every item seen so far is
    in the reservoir with probability k / i, so k / n at the end. rng.randrange is exact
    for any i. Cost: O(n) time, O(k) memory, one draw per item after the first k.
    """
    if k < 0:
        raise ValueError(f"k must be at least 0, got {k}")
    reservoir: list[T] = []
    if k == 0:
        return reservoir
    for seen, item in enumerate(stream, 1):
        if seen <= k:
            reservoir.append(item)
            continue
        slot = rng.randrange(seen)  # uniform in [0, seen)
        if slot < k:
            reservoir[slot] = item
    return reservoir
