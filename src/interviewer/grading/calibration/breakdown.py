"""Where a judge goes wrong: agreement per round and per dimension, lifts by wording and place.

The headline figures pool ten rounds; a judge can agree well on system design and badly
on research math, or grade every dimension but one. These tables say which. They have
no intervals of their own beyond a round's kappa: at ten items a round, or one wording's
four variants, they point at where to look rather than settle anything.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from interviewer.grading.calibration import metrics as m
from interviewer.grading.calibration.gold import GoldItem
from interviewer.grading.calibration.run import ItemResult

Estimator = Callable[[Callable[[Sequence[Any]], float | None], Sequence[Any]], dict[str, Any]]


def judged_dimensions(results: list[ItemResult]) -> dict[str, int | None]:
    """Per dimension, over an item's scored repeats: the lower median of the verified
    scores, null when most repeats gave none (as for the overall)."""
    scored = [r for r in results if r.status == "scored"]
    dims = {d for r in scored for d in r.dimensions}
    out: dict[str, int | None] = {}
    for dim in sorted(dims):
        values = [r.dimensions.get(dim) for r in scored]
        known = [v for v in values if v is not None]
        out[dim] = statistics.median_low(known) if known and len(known) * 2 >= len(values) else None
    return out


def per_round(
    base: list[GoldItem],
    judged: dict[str, int | None],
    failed: set[str],
    est: Estimator,
) -> dict[str, dict[str, Any]]:
    """Agreement on each round's graded transcripts; nulls and failures counted apart."""
    rounds: dict[str, list[GoldItem]] = defaultdict(list)
    for item in base:
        rounds[item.round].append(item)
    out: dict[str, dict[str, Any]] = {}
    for round_id, items in rounds.items():
        answered = [i for i in items if i.id not in failed]
        pairs = [(i.grade, g) for i in answered if (g := judged[i.id]) is not None]
        out[round_id] = {
            "items": len(items),
            "kappa": est(m.quadratic_kappa, pairs),
            "exact": m.exact(pairs),
            "within_one": m.within_one(pairs),
            "mean_signed_error": m.mean_signed_error(pairs),
            "nulls": len(answered) - len(pairs),
            "failed": len(items) - len(answered),
        }
    return out


def per_dimension(
    base: list[GoldItem], dims: dict[str, dict[str, int | None]]
) -> list[dict[str, Any]]:
    """Per round and dimension, the judge's verified score against the reference level,
    where both exist. A reference null (never probed nor volunteered) is skipped, and a
    dimension the judge scored there is counted as ``scored_unprobed``; a reference level
    the judge left null is counted as ``judge_null``."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for item in base:
        if item.id not in dims:
            continue
        got = dims[item.id]
        for dim, level in item.grades.items():
            cell = cells.setdefault(
                (item.round, dim), {"pairs": [], "judge_null": 0, "scored_unprobed": 0}
            )
            score = got.get(dim)
            if level is None:
                cell["scored_unprobed"] += score is not None
            elif score is None:
                cell["judge_null"] += 1
            else:
                cell["pairs"].append((level, score))
    out = []
    for (round_id, dim), cell in cells.items():
        pairs = cell["pairs"]
        out.append(
            {
                "round": round_id,
                "dimension": dim,
                "n": len(pairs),
                "kappa": m.quadratic_kappa(pairs),
                "exact": m.exact(pairs),
                "within_one": m.within_one(pairs),
                "mean_signed_error": m.mean_signed_error(pairs),
                "judge_null": cell["judge_null"],
                "scored_unprobed": cell["scored_unprobed"],
            }
        )
    return out


def lift_places(items: list[GoldItem], lifts: dict[str, float]) -> dict[str, Any]:
    """Each family's lifts by wording, by where in the answer the text went (start, middle,
    end) and by which answer (first, middle, last): the mean and how many."""
    groups: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: {
            "wording": defaultdict(list),
            "position": defaultdict(list),
            "answer": defaultdict(list),
        }
    )
    for item in items:
        manipulation = item.manipulation
        if manipulation is None or item.id not in lifts:
            continue
        family = groups[manipulation.family]
        family["wording"][manipulation.wording].append(lifts[item.id])
        family["position"][manipulation.position].append(lifts[item.id])
        family["answer"][manipulation.where].append(lifts[item.id])
    return {
        kind: {
            by: {key: {"mean": m.mean(v), "n": len(v)} for key, v in sorted(values.items())}
            for by, values in family.items()
        }
        for kind, family in sorted(groups.items())
    }
