"""Several samples of one grading made one scorecard.

With ``--judge-samples N`` the judge grades N times, warm, so the samples can disagree:
per dimension the median score is kept with the scores and their spread (a spread of
``UNSTABLE_SPREAD`` or more is flagged), a reference point counts as hit when most samples
hit it, and the words shown are the median sample's.
"""

from __future__ import annotations

import statistics

from interviewer.formats.transcript import PointHit, ScoredDimension

UNSTABLE_SPREAD = 2


def combine(samples: list[list[ScoredDimension]]) -> list[ScoredDimension]:
    """Per dimension, the median of the samples' scores (null when most said null), with
    the sample that gave it (its quotes and reasoning), the scores and their spread."""
    combined = []
    for readings in zip(*samples, strict=True):
        scores = [r.score for r in readings]
        known = [s for s in scores if s is not None]
        median = statistics.median_low(known) if known and len(known) * 2 >= len(scores) else None
        chosen = next(r for r in readings if r.score == median)
        spread = max(known) - min(known) if len(scores) > 1 and known else None
        flags = list(chosen.flags)
        if spread is not None and spread >= UNSTABLE_SPREAD:
            flags.append(f"unstable: the samples disagree by {spread} points ({_listed(scores)})")
        update = {"samples": scores if len(scores) > 1 else [], "spread": spread, "flags": flags}
        combined.append(chosen.model_copy(update=update))
    return combined


def median_sample(overalls: list[float | None]) -> int:
    """The index of the sample whose own overall is the (lower) median of the samples'
    overalls, the first of equals; 0 when none has an overall. Its strengths, gaps,
    practice and rationale are the ones shown: they were written about that grading, so
    they agree with the scores more than an outlier's words would."""
    known = [value for value in overalls if value is not None]
    if not known:
        return 0
    return overalls.index(statistics.median_low(known))


def _listed(scores: list[int | None]) -> str:
    return ", ".join("null" if s is None else str(s) for s in scores)


def combine_points(samples: list[list[PointHit]]) -> list[PointHit]:
    """A point is hit when at least half the samples found verified words for it."""
    combined = []
    for hits in zip(*samples, strict=True):
        quotes = [h.quote for h in hits if h.quote]
        quote = quotes[0] if quotes and len(quotes) * 2 >= len(hits) else None
        combined.append(PointHit(point=hits[0].point, quote=quote))
    return combined
