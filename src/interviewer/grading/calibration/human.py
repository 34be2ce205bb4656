"""A judge against a person: how far it agrees with the grades someone gave their sessions.

``calibrate --human`` judges each human-graded session afresh, as real scoring does, and
sets the judge's score for each dimension beside the person's. The figures are those of a
gold run (quadratic weighted kappa, exact agreement, within one, leniency, per dimension),
over dimension scores rather than items. "Not enough evidence", from either side, is
counted apart and never as a grade; so is a dimension the judge's card does not name, and
a session whose judging failed. There is no verdict: one person is not a gold set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from interviewer.errors import UserError
from interviewer.formats.human import HumanGrade
from interviewer.formats.transcript import Scorecard, Transcript
from interviewer.grading.calibration.metrics import (
    Pair,
    bootstrap,
    exact,
    mean_signed_error,
    quadratic_kappa,
    within_one,
)


@dataclass(frozen=True)
class Judged:
    """One session as a person graded it and as the judge graded it now (``judge`` None:
    the judging failed, for ``reason``)."""

    session: str
    grader: str
    person: dict[str, int | None]
    judge: dict[str, int | None] | None
    reason: str | None = None


def judge_scores(card: Scorecard) -> dict[str, int | None] | None:
    """The judge's score per dimension, as a gold run reads it: an unverified score (no
    quote found) is no score. None when the scorecard failed."""
    if card.status != "scored":
        return None
    return {d.dimension: d.score if d.verified else None for d in card.dimensions}


def judge_graded(
    pairs: Iterable[tuple[Transcript, HumanGrade]],
    score: Callable[[Transcript], Scorecard],
    *,
    jobs: int = 1,
    on_done: Callable[[], None] | None = None,
) -> list[Judged]:
    """Judge each graded session once (however many people graded it), ``jobs`` at a time,
    and pair the judge's scores with each person's."""
    graded = list(pairs)
    sessions = {t.id: t for t, _ in graded}

    def one(t: Transcript) -> tuple[str, tuple[dict[str, int | None] | None, str | None]]:
        try:
            card = score(t)
            found = judge_scores(card), card.failure_reason
        except UserError as exc:  # a model error that outlived its retries
            found = None, str(exc)
        if on_done:
            on_done()
        return t.id, found

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        scores = dict(pool.map(one, sessions.values()))
    return [Judged(t.id, grade.grader, grade.values(), *scores[t.id]) for t, grade in graded]


def agreement(judged: list[Judged], grader: str, *, seed: int = 0) -> dict[str, Any]:
    """How far the judge agrees with ``grader``, over the dimension scores both gave."""
    pairs: list[Pair] = []
    by_dimension: dict[str, list[Pair]] = defaultdict(list)
    person_none = judge_none = both_none = not_judged = failed = 0
    mine = [j for j in judged if j.grader == grader]
    for j in mine:
        if j.judge is None:
            failed += 1
            continue
        for dimension, theirs in j.person.items():
            if dimension not in j.judge:
                not_judged += 1
                continue
            got = j.judge[dimension]
            if theirs is None and got is None:
                both_none += 1
            elif theirs is None:
                person_none += 1
            elif got is None:
                judge_none += 1
            else:
                pairs.append((theirs, got))
                by_dimension[dimension].append((theirs, got))
    return {
        "grader": grader,
        "sessions": len(mine),
        "failed_sessions": failed,
        "n": len(pairs),
        "kappa": bootstrap(quadratic_kappa, pairs, seed=seed).as_dict(),
        "exact": bootstrap(exact, pairs, seed=seed).as_dict(),
        "within_one": bootstrap(within_one, pairs, seed=seed).as_dict(),
        "mean_signed_error": bootstrap(mean_signed_error, pairs, seed=seed).as_dict(),
        "dimensions": {
            dimension: {
                "n": len(found),
                "kappa": quadratic_kappa(found),
                "exact": exact(found),
                "mean_signed_error": mean_signed_error(found),
            }
            for dimension, found in sorted(by_dimension.items())
        },
        "not_enough_evidence": {"person": person_none, "judge": judge_none, "both": both_none},
        "not_judged": not_judged,
    }


def graders(judged: list[Judged]) -> list[str]:
    """The graders, in the order they first appear."""
    return list(dict.fromkeys(j.grader for j in judged))


def _number(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def sentence(figures: dict[str, Any]) -> str:
    """The agreement in one plain sentence, with n."""
    grader, n, sessions = figures["grader"], figures["n"], figures["sessions"]
    of = f"{sessions} session{'s' if sessions != 1 else ''}"
    if n == 0:
        return f"This judge and {grader} gave no dimension a score in common ({of})."
    kappa = figures["kappa"]
    interval = (
        f" (95% interval {kappa['low']:.2f} to {kappa['high']:.2f})"
        if kappa["low"] is not None
        else ""
    )
    lean = figures["mean_signed_error"]["value"]
    return (
        f"This judge agrees with {grader} on {n} dimension score{'s' if n != 1 else ''} "
        f"({of}): kappa {_number(kappa['value'])}{interval}, exact agreement "
        f"{_share(figures['exact']['value'])}, within one {_share(figures['within_one']['value'])}, "
        f"leniency {lean:+.2f}."
    )


def apart(figures: dict[str, Any]) -> str | None:
    """What was counted apart, in a line; None when nothing was."""
    none = figures["not_enough_evidence"]
    parts = []
    if any(none.values()):
        parts.append(
            f"not enough evidence said by {figures['grader']} only: {none['person']}, by the "
            f"judge only: {none['judge']}, by both: {none['both']}"
        )
    if figures["not_judged"]:
        parts.append(f"dimensions the judge did not score: {figures['not_judged']}")
    if figures["failed_sessions"]:
        parts.append(f"sessions whose judging failed: {figures['failed_sessions']}")
    return "Counted apart, never as a grade: " + "; ".join(parts) + "." if parts else None


def dimension_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            dimension,
            str(row["n"]),
            _number(row["kappa"]),
            _share(row["exact"]),
            "—" if row["mean_signed_error"] is None else f"{row['mean_signed_error']:+.2f}",
        )
        for dimension, row in figures["dimensions"].items()
    ]
