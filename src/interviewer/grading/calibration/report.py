"""What a calibration run measured: a verdict first, then the figures with their intervals,
as data, in the terminal, as JSON and as a self-contained HTML page.

Conventions, stated once. An item's judged grade is the lower median of its repeats'
grades (a repeat's grade is its verified overall, halves rounded up). A null ("not enough
evidence") is a null: on a graded item it is left out of every agreement figure and
counted apart (``null_share``), never taken as grade 1; on a degenerate item it is the
floor, since an empty answer has nothing to quote. An item whose every reply failed to
validate is a failure, counted apart too (``failed_share``). Lift compares a variant's
overall with its base item's, beyond what their reference grades differ by: above zero
means the manipulation raised the score; a pair with a null or failed side is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from interviewer.formats.transcript import ModelInfo
from interviewer.grading.calibration import breakdown
from interviewer.grading.calibration import metrics as m
from interviewer.grading.calibration.breakdown import Estimator
from interviewer.grading.calibration.gold import DEGENERATE, GoldItem, GoldSet
from interviewer.grading.calibration.run import ItemResult, judged_grade, judged_overall
from interviewer.grading.calibration.verdict import fmt, verdict

RESAMPLES = 1000


def _by_item(results: list[ItemResult]) -> dict[str, list[ItemResult]]:
    grouped: dict[str, list[ItemResult]] = defaultdict(list)
    for result in results:
        grouped[result.item].append(result)
    return grouped


def failed_items(grouped: dict[str, list[ItemResult]]) -> tuple[set[str], set[str]]:
    """Items with no scored repeat: those whose replies never validated, and those with a
    request still to retry (a model error: the run is partial, not the judge at fault)."""
    failed: set[str] = set()
    errored: set[str] = set()
    for item, results in grouped.items():
        if not any(r.status == "scored" for r in results):
            (errored if any(r.status == "error" for r in results) else failed).add(item)
    return failed, errored


@dataclass(frozen=True)
class _Graded:
    """What the figures are drawn from: the gold items a run reached, each one's judged
    grade and overall, and which failed (every reply invalid) or errored (a model error)."""

    results: list[ItemResult]
    grouped: dict[str, list[ItemResult]]
    items: list[GoldItem]
    failed: set[str]
    errored: set[str]
    judged: dict[str, int | None]
    overall: dict[str, float | None]

    @classmethod
    def of(cls, gold: GoldSet, results: list[ItemResult]) -> _Graded:
        grouped = _by_item(results)
        items = [i for i in gold.items if i.id in grouped]
        failed, errored = failed_items(grouped)
        return cls(
            results, grouped, items, failed, errored,
            judged={i.id: judged_grade(grouped[i.id]) for i in items},
            overall={i.id: judged_overall(grouped[i.id]) for i in items},
        )  # fmt: skip

    @property
    def missing(self) -> set[str]:
        return self.failed | self.errored

    @property
    def base(self) -> list[GoldItem]:
        """The graded items: every item but the manipulated and degenerate variants."""
        return [i for i in self.items if i.is_base]

    @property
    def answered(self) -> list[GoldItem]:
        """The graded items the judge replied to (a grade or a null)."""
        return [i for i in self.base if i.id not in self.missing]

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """(reference, judged) for each answered item the judge gave a grade."""
        return [(i.grade, g) for i in self.answered if (g := self.judged[i.id]) is not None]

    @property
    def degenerate(self) -> list[GoldItem]:
        return [i for i in self.items if i.kind == DEGENERATE]


def summarise(
    gold: GoldSet,
    results: list[ItemResult],
    judge: ModelInfo,
    *,
    seed: int = 0,
    samples: int = 1,
    limited: bool = False,
    stopped: str | None = None,
) -> dict[str, Any]:
    """Every figure, each with a seeded bootstrap 95% interval, and the verdict on them."""
    g = _Graded.of(gold, results)

    def est(stat: Any, data: Sequence[Any]) -> dict[str, Any]:
        return m.bootstrap(stat, data, resamples=RESAMPLES, seed=seed).as_dict()

    run = {"judge": judge.model_dump(), "gold": gold.name, "gold_sha256": gold.sha256,
           "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "samples": samples,
           "seed": seed, "limited": limited, "stopped": stopped}  # fmt: skip
    report: dict[str, Any] = {
        **run,
        **_counts(g, len(gold.items)),
        **_agreement(g, est),
        **_robustness(g, est),
        **_replies(g, est),
        "rounds": breakdown.per_round(g.base, g.judged, g.missing, est),
        "dimensions": breakdown.per_dimension(
            g.answered, {i.id: breakdown.judged_dimensions(g.grouped[i.id]) for i in g.answered}
        ),
    }
    report["verdict"] = verdict(report)
    return report


def _counts(g: _Graded, of_items: int) -> dict[str, Any]:
    """How much of the gold set was graded, and what was left out and why."""
    results = g.results
    return {
        "items": len(g.items),
        "of_items": of_items,
        "graded_items": len(g.base),
        "null_on_graded": len(g.answered) - len(g.pairs),
        "failed_items": len(g.failed),
        "errors": sum(r.status == "error" for r in results),
        # The retry table's words for a timeout (models.retry_policy), kept in the reason.
        "timed_out": sum(
            r.status == "error" and "did not answer within" in (r.reason or "") for r in results
        ),
        "without_reference": sum(not i.opening for i in g.items),
        "degenerate_items": len(g.degenerate),
    }


def _agreement(g: _Graded, est: Estimator) -> dict[str, Any]:
    """How far the judge's grades agree with the reference's, and how often it gave none."""
    pairs, answered, judged = g.pairs, g.answered, g.judged
    return {
        "kappa": est(m.quadratic_kappa, pairs),
        "spearman": est(m.spearman, pairs),
        "exact": est(m.exact, pairs),
        "within_one": est(m.within_one, pairs),
        "mean_signed_error": est(m.mean_signed_error, pairs),
        "null_share": est(m.share, [judged[i.id] is None for i in answered]),
        "failed_share": est(m.share, [i.id in g.failed for i in g.items if i.id not in g.errored]),
        "confusion": confusion_with_null(answered, judged),
    }


def _robustness(g: _Graded, est: Estimator) -> dict[str, Any]:
    """What the judge's grades should not depend on: the order within a scenario, asking
    again, a manipulated wording, an empty or degenerate answer."""
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in g.answered:
        if (got := g.judged[item.id]) is not None:
            groups[item.group].append((item.grade, got))
    order = est(m.pairwise_order, list(groups.values()))
    order["n"] = m.ordered_pairs(list(groups.values()))  # pairs, not scenarios
    spreads = [
        float(max(gs) - min(gs))
        for rs in g.grouped.values()
        if len(gs := [r.grade for r in rs if r.status == "scored" and r.grade is not None]) > 1
    ]
    lift_of = lifts_by_item(g.items, g.overall, g.missing)
    degenerate = [i for i in g.degenerate if i.id not in g.missing]
    return {
        "pairwise_order": order,
        "retest_spread": est(m.mean, spreads),
        "lift": lifts(g.items, lift_of, g.missing, est),
        "lift_places": breakdown.lift_places(g.items, lift_of),
        "degenerate_floor": est(m.share, [g.judged[i.id] in (None, 1) for i in degenerate]),
        "degenerate_null": sum(g.judged[i.id] is None for i in degenerate),
    }


def _replies(g: _Graded, est: Estimator) -> dict[str, Any]:
    """The replies themselves: quotes that were found in the answer, replies re-asked."""
    scored = [r for r in g.results if r.status == "scored"]
    return {
        "quotes_verified": est(
            m.share, [n < r.verified_quotes for r in scored for n in range(r.quotes)]
        ),
        "parse_failures": est(
            m.share, [n < r.parse_failures for r in g.results for n in range(r.attempts)]
        ),
    }


def confusion_with_null(base: list[GoldItem], judged: dict[str, int | None]) -> list[list[int]]:
    """Rows: reference 1-5. Columns: judged 1-5, then "not enough evidence"."""
    matrix = [[0] * 6 for _ in range(5)]
    for item in base:
        got = judged[item.id]
        matrix[item.grade - 1][5 if got is None else got - 1] += 1
    return matrix


def is_variant(item: GoldItem) -> bool:
    return item.base_id is not None and item.kind not in (None, DEGENERATE)


def lifts_by_item(
    items: list[GoldItem], overall: dict[str, float | None], missing: set[str]
) -> dict[str, float]:
    """Each variant's lift, where both it and its base have an overall: the judge's change
    minus the reference's (zero for every family but wrong claims, which lower the grade)."""
    grade = {i.id: i.grade for i in items}
    out: dict[str, float] = {}
    for item in items:
        if not is_variant(item) or item.base_id not in overall:
            continue
        base_id = str(item.base_id)
        mine, theirs = overall[item.id], overall[base_id]
        if mine is None or theirs is None or {item.id, base_id} & missing:
            continue
        out[item.id] = (mine - theirs) - (item.grade - grade[base_id])
    return out


def lifts(
    items: list[GoldItem], lift_of: dict[str, float], missing: set[str], est: Any
) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    pairs: dict[str, int] = defaultdict(int)
    present = {i.id for i in items}
    for item in items:
        if is_variant(item) and item.base_id in present:
            pairs[str(item.kind)] += 1
            if item.id in lift_of:
                by_kind[str(item.kind)].append(lift_of[item.id])
    return {
        kind: {
            "mean": est(m.mean, by_kind[kind]),
            "max": max(by_kind[kind], default=None),
            "share_above_zero": est(m.share, [v > 0 for v in by_kind[kind]]),
            "left_out": count - len(by_kind[kind]),
        }
        for kind, count in sorted(pairs.items())
    }


# ------------------------------------------------------------------ rendering


ROWS = (
    ("kappa", "Quadratic weighted kappa (primary)"),
    ("spearman", "Spearman rank correlation"),
    ("exact", "Exact agreement"),
    ("within_one", "Within one point"),
    ("mean_signed_error", "Mean signed error (+ lenient)"),
    ("pairwise_order", "Pairwise order within a scenario (n: pairs)"),
    ("retest_spread", "Test-retest spread (points)"),
    ("null_share", "Graded items judged 'not enough evidence'"),
    ("failed_share", "Items whose replies never validated"),
    ("degenerate_floor", "Degenerate answers at 1 or 'not enough evidence'"),
    ("quotes_verified", "Quotes verified"),
    ("parse_failures", "Replies that failed to parse (re-asked)"),
)


def interval(figure: dict[str, Any]) -> str:
    if figure.get("low") is None:
        return "—"
    return f"{fmt(figure['low'])} – {fmt(figure['high'])}"


def failing_keys(report: dict[str, Any]) -> set[str]:
    return {c["key"] for c in report["verdict"]["checks"] if not c["passed"]}


def rows(report: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(label, value, 95% interval, n, mark) for every figure, lift kinds included; the
    mark is ✗ on a figure that fails its check, ✓ on one that passes, blank otherwise."""
    failing = failing_keys(report)
    checked = {c["key"] for c in report["verdict"]["checks"]}

    def mark(key: str) -> str:
        return "✗" if key in failing else "✓" if key in checked else ""

    out = [
        (label, fmt(report[key]["value"]), interval(report[key]), str(report[key]["n"]), mark(key))
        for key, label in ROWS
    ]
    for kind, lift in report["lift"].items():
        left = f"; {lift['left_out']} left out" if lift["left_out"] else ""
        out.append(
            (
                f"Lift: {kind} (mean; max {fmt(lift['max'])}{left})",
                fmt(lift["mean"]["value"]),
                interval(lift["mean"]),
                str(lift["mean"]["n"]),
                mark(f"lift.{kind}"),
            )
        )
        out.append(
            (
                f"Lift: {kind}, share above zero",
                fmt(lift["share_above_zero"]["value"]),
                interval(lift["share_above_zero"]),
                str(lift["share_above_zero"]["n"]),
                "",
            )
        )
    return out


def round_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """(round, items, kappa, interval, exact, leniency, nulls, failed) per round."""
    return [
        (
            round_id,
            str(r["items"]),
            fmt(r["kappa"]["value"]),
            interval(r["kappa"]),
            fmt(r["exact"]),
            fmt(r["mean_signed_error"]),
            str(r["nulls"]),
            str(r["failed"]),
        )
        for round_id, r in report["rounds"].items()
    ]


def dimension_rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    """(round, dimension, n, exact, within one, leniency, judge null, scored unprobed)."""
    return [
        (
            d["round"],
            d["dimension"],
            str(d["n"]),
            fmt(d["exact"]),
            fmt(d["within_one"]),
            fmt(d["mean_signed_error"]),
            str(d["judge_null"]),
            str(d["scored_unprobed"]),
        )
        for d in report["dimensions"]
    ]


def headline(report: dict[str, Any]) -> str:
    """'judge: kappa 0.81 on gold v2 (n=100)', n being the graded items kappa was computed
    on; those left out (null, failed) are named after it."""
    kappa = report["kappa"]
    apart = [
        f"{count} {what}"
        for count, what in (
            (report["null_on_graded"], "null"),
            (report["graded_items"] - kappa["n"] - report["null_on_graded"], "without a reply"),
        )
        if count
    ]
    left = f"; {', '.join(apart)} left out of {report['graded_items']}" if apart else ""
    return f"{report['judge']['model']}: kappa {fmt(kappa['value'])} on {report['gold']} (n={kappa['n']}{left})"
