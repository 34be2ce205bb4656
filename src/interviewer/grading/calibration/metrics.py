"""Agreement statistics for a judge against reference grades, in plain Python.

Grades are integers 1-5. The primary figure is quadratic weighted kappa (Cohen, 1968):
agreement beyond chance, where a miss by two costs four times a miss by one, which is
how a candidate feels a scorecard's errors. Confidence intervals come from a seeded
percentile bootstrap over items, so a report can be reproduced exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

GRADES = (1, 2, 3, 4, 5)
Pair = tuple[int, int]  # (reference, judge)
T = TypeVar("T")


def confusion(pairs: Sequence[Pair], grades: Sequence[int] = GRADES) -> list[list[int]]:
    """Counts, rows the reference grade and columns the judge's, both in ``grades`` order."""
    index = {g: i for i, g in enumerate(grades)}
    matrix = [[0] * len(grades) for _ in grades]
    for ref, got in pairs:
        matrix[index[ref]][index[got]] += 1
    return matrix


def quadratic_kappa(pairs: Sequence[Pair], grades: Sequence[int] = GRADES) -> float | None:
    """1 for perfect agreement, 0 for chance, negative for worse; None when undefined
    (no items, or both raters constant so chance agreement is total)."""
    n = len(pairs)
    if n == 0:
        return None
    k = len(grades)
    observed = confusion(pairs, grades)
    rows = [sum(r) for r in observed]
    cols = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            num += weight * observed[i][j]
            den += weight * rows[i] * cols[j] / n
    return None if den == 0 else 1 - num / den


def _ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (1-based), ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return None if sxx == 0 or syy == 0 else sxy / (sxx * syy) ** 0.5


def spearman(pairs: Sequence[Pair]) -> float | None:
    """Rank correlation with tied ranks averaged; None when either side is constant."""
    if len(pairs) < 2:
        return None
    return pearson(_ranks([p[0] for p in pairs]), _ranks([p[1] for p in pairs]))


def exact(pairs: Sequence[Pair]) -> float | None:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def within_one(pairs: Sequence[Pair]) -> float | None:
    return sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs) if pairs else None


def mean_signed_error(pairs: Sequence[Pair]) -> float | None:
    """Judge minus reference, averaged: above zero is leniency, below is harshness."""
    return sum(b - a for a, b in pairs) / len(pairs) if pairs else None


def pairwise_order(groups: Sequence[Sequence[Pair]]) -> float | None:
    """Within each group (a scenario), of the pairs of items whose reference grades differ,
    the share the judge puts in the same order; a tie from the judge counts half."""
    hits = total = 0.0
    for group in groups:
        for i, (ra, ja) in enumerate(group):
            for rb, jb in group[i + 1 :]:
                if ra == rb:
                    continue
                total += 1
                if ja == jb:
                    hits += 0.5
                elif (ra < rb) == (ja < jb):
                    hits += 1
    return hits / total if total else None


def ordered_pairs(groups: Sequence[Sequence[Pair]]) -> int:
    """How many pairs ``pairwise_order`` is a share of: those whose reference grades differ."""
    return sum(
        ra != rb for group in groups for i, (ra, _) in enumerate(group) for rb, _ in group[i + 1 :]
    )


def share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Estimate:
    """A figure with its bootstrap 95% interval (None where it cannot be computed)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n}


def bootstrap(
    statistic: Callable[[Sequence[T]], float | None],
    items: Sequence[T],
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> Estimate:
    """The statistic on ``items`` and its 2.5-97.5 percentile interval over resamples
    drawn with replacement (resamples where it is undefined are left out)."""
    value = statistic(items)
    if value is None or len(items) < 2:
        return Estimate(value, n=len(items))
    rng = random.Random(seed)
    draws = []
    for _ in range(resamples):
        sample = [items[rng.randrange(len(items))] for _ in items]
        got = statistic(sample)
        if got is not None:
            draws.append(got)
    if not draws:
        return Estimate(value, n=len(items))
    draws.sort()
    low = draws[int(0.025 * (len(draws) - 1))]
    high = draws[round(0.975 * (len(draws) - 1))]
    return Estimate(value, low, high, len(items))
