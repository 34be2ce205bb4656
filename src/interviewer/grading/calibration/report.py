"""What a calibration run measured: the figures with their intervals, as data, in the
terminal, as JSON and as a self-contained HTML page with a confusion-matrix chart.

Conventions, stated once: an item's judged grade is the lower median of its repeats'
grades (a repeat's grade is its verified overall, halves rounded up); on a graded item,
"not enough evidence" counts as the floor (1) for agreement, and is counted apart. Lift
compares a variant's overall with its base item's (null as 1.0): above zero means the
manipulation raised the score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from interviewer.formats.transcript import ModelInfo
from interviewer.grading.calibration import metrics as m
from interviewer.grading.calibration.gold import DEGENERATE, GoldItem, GoldSet
from interviewer.grading.calibration.run import ItemResult, judged_grade, judged_overall

RESAMPLES = 1000


def _by_item(results: list[ItemResult]) -> dict[str, list[ItemResult]]:
    grouped: dict[str, list[ItemResult]] = defaultdict(list)
    for result in results:
        grouped[result.item].append(result)
    return grouped


def _floor(value: float | None) -> float:
    return 1.0 if value is None else value


def summarise(
    gold: GoldSet, results: list[ItemResult], judge: ModelInfo, *, seed: int = 0, samples: int = 1
) -> dict[str, Any]:
    """Every figure the issue asks for, each with a seeded bootstrap 95% interval."""
    grouped = _by_item(results)
    items = [i for i in gold.items if i.id in grouped]
    judged = {i.id: judged_grade(grouped[i.id]) for i in items}
    overall = {i.id: judged_overall(grouped[i.id]) for i in items}
    base = [i for i in items if i.is_base]
    pairs = [(i.grade, judged[i.id] or 1) for i in base]

    def est(stat: Any, data: Sequence[Any]) -> dict[str, Any]:
        return m.bootstrap(stat, data, resamples=RESAMPLES, seed=seed).as_dict()

    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in base:
        groups[item.group].append((item.grade, judged[item.id] or 1))
    spreads = [
        float(max(gs) - min(gs))
        for rs in grouped.values()
        if len(gs := [r.grade or 1 for r in rs if r.status == "scored"]) > 1
    ]
    scored = [r for r in results if r.status == "scored"]
    degenerate = [i for i in items if i.kind == DEGENERATE]
    return {
        "judge": judge.model_dump(),
        "gold": gold.name,
        "gold_sha256": gold.sha256,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "samples": samples,
        "seed": seed,
        "items": len(items),
        "of_items": len(gold.items),
        "graded_items": len(base),
        "null_on_graded": sum(judged[i.id] is None for i in base),
        "errors": sum(r.status == "error" for r in results),
        "kappa": est(m.quadratic_kappa, pairs),
        "spearman": est(m.spearman, pairs),
        "exact": est(m.exact, pairs),
        "within_one": est(m.within_one, pairs),
        "mean_signed_error": est(m.mean_signed_error, pairs),
        "confusion": confusion_with_null(base, judged),
        "pairwise_order": est(m.pairwise_order, list(groups.values())),
        "retest_spread": est(m.mean, spreads),
        "lift": lifts(items, overall, est),
        "degenerate_floor": est(
            m.share, [judged[i.id] is None or judged[i.id] == 1 for i in degenerate]
        ),
        "quotes_verified": est(
            m.share, [n < r.verified_quotes for r in scored for n in range(r.quotes)]
        ),
        "parse_failures": est(
            m.share, [n < r.parse_failures for r in results for n in range(r.attempts)]
        ),
    }


def confusion_with_null(base: list[GoldItem], judged: dict[str, int | None]) -> list[list[int]]:
    """Rows: reference 1-5. Columns: judged 1-5, then "not enough evidence"."""
    matrix = [[0] * 6 for _ in range(5)]
    for item in base:
        got = judged[item.id]
        matrix[item.grade - 1][5 if got is None else got - 1] += 1
    return matrix


def lifts(items: list[GoldItem], overall: dict[str, float | None], est: Any) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for item in items:
        if item.base_id is None or item.kind in (None, DEGENERATE) or item.base_id not in overall:
            continue
        lift = _floor(overall[item.id]) - _floor(overall[item.base_id])
        by_kind[str(item.kind)].append(lift)
    return {
        kind: {
            "mean": est(m.mean, values),
            "max": max(values),
            "share_above_zero": est(m.share, [v > 0 for v in values]),
        }
        for kind, values in sorted(by_kind.items())
    }


# ------------------------------------------------------------------ rendering


ROWS = (
    ("kappa", "Quadratic weighted kappa (primary)"),
    ("spearman", "Spearman rank correlation"),
    ("exact", "Exact agreement"),
    ("within_one", "Within one point"),
    ("mean_signed_error", "Mean signed error (+ lenient)"),
    ("pairwise_order", "Pairwise order within a scenario"),
    ("retest_spread", "Test-retest spread (points)"),
    ("degenerate_floor", "Degenerate answers at floor or null"),
    ("quotes_verified", "Quotes verified"),
    ("parse_failures", "Replies that failed to parse"),
)


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def interval(figure: dict[str, Any]) -> str:
    if figure.get("low") is None:
        return "—"
    return f"{fmt(figure['low'])} – {fmt(figure['high'])}"


def rows(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(label, value, 95% interval, n) for every figure, lift kinds included."""
    out = [
        (label, fmt(report[key]["value"]), interval(report[key]), str(report[key]["n"]))
        for key, label in ROWS
    ]
    for kind, lift in report["lift"].items():
        out.append(
            (
                f"Lift: {kind} (mean; max {fmt(lift['max'])})",
                fmt(lift["mean"]["value"]),
                interval(lift["mean"]),
                str(lift["mean"]["n"]),
            )
        )
        out.append(
            (
                f"Lift: {kind}, share above zero",
                fmt(lift["share_above_zero"]["value"]),
                interval(lift["share_above_zero"]),
                str(lift["share_above_zero"]["n"]),
            )
        )
    return out


def headline(report: dict[str, Any]) -> str:
    kappa = report["kappa"]["value"]
    return (
        f"{report['judge']['model']}: kappa {fmt(kappa)} on {report['gold']} "
        f"(n={report['graded_items']})"
    )
