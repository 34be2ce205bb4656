"""A rehearsal's report: each figure pooled over sessions, its 95% interval, and a verdict.

A figure is a count over a count (covered areas asked again, out of areas asked), pooled
over the sessions it applies to; its interval comes from resampling sessions, since turns
within a session are not independent. The verdict holds each figure to a threshold named
here with the reason it sits where it does; a run of fewer than ``MIN_SESSIONS`` sessions,
or with sessions that failed, gives none.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from interviewer.interview.leaks import Leak
from interviewer.rehearsal.measures import Measures
from interviewer.rehearsal.run import SessionResult

MIN_SESSIONS = 20
"""Fewer sessions than this describe too little of the rounds to pass or fail anyone."""


@dataclass(frozen=True)
class Figure:
    """One figure: what it counts, over what, and the bar it is held to."""

    key: str
    label: str
    count: Callable[[Measures], tuple[float, float]]
    better: Literal["higher", "lower"]
    bar: float | None
    why: str


def _leak(kind: Leak) -> Callable[[Measures], tuple[float, float]]:
    return lambda m: (m.leaks.get(str(kind), 0), m.replies)


FIGURES: tuple[Figure, ...] = (
    Figure("dimensions", "sessions that asked about every scored dimension before the wrap-up",
           lambda m: (float(m.dimensions_asked == m.dimensions), 1.0), "higher", 0.90,
           "a dimension never asked is scored on no evidence; one session in ten may run short"),
    Figure("areas", "planned areas asked before the wrap-up",
           lambda m: (m.areas_asked, m.areas), "higher", 0.95,
           "follow-ups are cut when time runs short, never an area"),
    Figure("asked_again", "areas asked again after the candidate covered them",
           lambda m: (m.asked_again, m.area_questions), "lower", 0.05,
           "asking for what was just said tells a candidate they were not heard"),
    Figure("already_answered", "probes whose point the last answer already made",
           lambda m: (m.already_answered, m.probes), "lower", 0.10,
           "the same, one level down: a probe must move the answer on"),
    Figure("from_answer", "follow-ups chosen from the answer, where it offered one",
           lambda m: (m.from_answer, m.could_choose), "higher", 0.80,
           "a probe about what the candidate said, not the next in the file or a generic one"),
    Figure("twist", "twists followed up before the next area",
           lambda m: (m.twists_followed, m.twists), "higher", 0.90,
           "a twist is the round's test of adaptation; it needs the candidate's answer probed"),
    Figure("foothold", "'I don't know' answers given a foothold",
           lambda m: (m.footholds, m.dont_knows), "higher", 0.95,
           "moving on from a blank leaves the candidate with nothing to try"),
    Figure("hidden", "replies that show hidden text (notes, nonce, directives, reference)",
           lambda m: (m.leaks.get("note", 0) + m.leaks.get("directive", 0), m.replies),
           "lower", 0.0, "the software's own words on screen break the interview and leak the nonce"),
    Figure("screen_nonce", "sessions whose screen showed the session's nonce",
           lambda m: (float(m.screen_nonce), 1.0), "lower", 0.0,
           "once seen, a candidate could forge a note the model trusts"),
    Figure("candidate_speech", "replies that speak as the candidate",
           _leak(Leak.candidate_speech), "lower", 0.02, "the transcript must hold only what was said"),
    Figure("own_answer", "replies that answer their own question",
           _leak(Leak.own_answer), "lower", 0.02, "it gives the answer away"),
    Figure("narration", "replies that narrate or invent what the candidate said",
           _leak(Leak.narration), "lower", 0.02, "the judge would read an invented claim as said"),
    Figure("refusal", "replies that refuse", _leak(Leak.refusal), "lower", 0.02,
           "a refusal ends the practice for no reason"),
    Figure("misrouted", "answers read as the wrong kind",
           lambda m: (m.misrouted, m.answers), "lower", 0.05,
           "a misread answer gets the wrong move: a foothold for an answer, a probe for a question"),
    Figure("guarded", "replies the guard cut or replaced (how often the model misbehaved)",
           lambda m: (m.guarded, m.replies), "lower", None, "shown for information"),
)  # fmt: skip


def ratio_interval(
    counts: Sequence[tuple[float, float]], *, resamples: int = 1000, seed: int = 0
) -> dict[str, float | int | None]:
    """Pooled hits over pooled counts, and its 2.5-97.5 percentile interval over sessions
    drawn with replacement. Drawn with NumPy, all resamples at once: 1,232 sessions take
    milliseconds a figure, where resampling in Python (``metrics.bootstrap``) took 20 s a
    report."""
    import numpy as np

    value_of = sum(o for _, o in counts)
    value = sum(h for h, _ in counts) / value_of if value_of else None
    if value is None or len(counts) < 2:
        return {"value": value, "low": None, "high": None, "n": len(counts)}
    table = np.asarray(counts, dtype=float)
    picked = np.random.default_rng(seed).integers(0, len(counts), size=(resamples, len(counts)))
    outof = table[picked, 1].sum(axis=1)
    draws = np.sort(table[picked, 0].sum(axis=1)[outof > 0] / outof[outof > 0])
    low = float(draws[int(0.025 * (len(draws) - 1))])
    high = float(draws[round(0.975 * (len(draws) - 1))])
    return {"value": value, "low": low, "high": high, "n": len(counts)}


def _estimate(figure: Figure, measures: Sequence[Measures], seed: int) -> dict[str, Any]:
    counts = [c for c in (figure.count(m) for m in measures) if c[1]]
    est = ratio_interval(counts, seed=seed)
    passed = None
    if figure.bar is not None and est["value"] is not None:
        value = float(est["value"])
        passed = value >= figure.bar if figure.better == "higher" else value <= figure.bar
    return {**est, "label": figure.label, "bar": figure.bar, "better": figure.better,
            "why": figure.why, "passed": passed}  # fmt: skip


def _latency(measures: Sequence[Measures]) -> dict[str, float | int | None]:
    values = sorted(v for m in measures for v in m.first_word_ms)
    if not values:
        return {"median": None, "p90": None, "n": 0}
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return {"median": statistics.median(values), "p90": p90, "n": len(values)}


def figures_of(results: Sequence[SessionResult], seed: int) -> dict[str, Any]:
    measures = [r.measures for r in results if r.measures is not None]
    return {
        "sessions": len(measures),
        "figures": {f.key: _estimate(f, measures, seed) for f in FIGURES},
        "first_word_ms": _latency(measures),
    }


def summarise(
    results: list[SessionResult],
    interviewer: str,
    *,
    planned: int,
    seed: int = 0,
    stopped: bool = False,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole report: overall and per round, the verdict, the sessions that failed."""
    done = [r for r in results if r.status == "done"]
    errors = [r for r in results if r.status == "error"]
    report = {
        "interviewer": interviewer,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings or {},
        "planned": planned,
        "stopped": stopped,
        "errors": [{"key": r.key, "reason": r.reason} for r in errors],
        **figures_of(done, seed),
        "rounds": {
            name: figures_of([r for r in done if r.round == name], seed)
            for name in sorted({r.round for r in done})
        },
        "misroutes": [s for r in done if r.measures for s in r.measures.misroutes][:20],
    }
    report["verdict"] = verdict(report)
    return report


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    checks = [
        {"key": k, **{x: f[x] for x in ("label", "value", "bar", "better", "passed", "n")}}
        for k, f in report["figures"].items()
        if f["bar"] is not None and f["value"] is not None
    ]
    complete = not report["stopped"] and not report["errors"]
    complete = complete and report["sessions"] == report["planned"]
    if not complete or report["sessions"] < MIN_SESSIONS:
        result = "none"
    else:
        result = "pass" if all(c["passed"] for c in checks) else "fail"
    return {"result": result, "checks": checks}


def no_verdict_because(report: dict[str, Any]) -> str:
    if report["stopped"]:
        return "the run was interrupted; run the same command to finish it"
    if report["errors"]:
        return f"{len(report['errors'])} session(s) failed; run the same command to retry them"
    if report["sessions"] < MIN_SESSIONS:
        return f"{report['sessions']} sessions, fewer than {MIN_SESSIONS}"
    return f"{report['sessions']} of {report['planned']} sessions ran"


def share(value: float | None) -> str:
    return (
        "n/a"
        if value is None
        else f"{value:.0%}"
        if value >= 0.01 or value == 0
        else f"{value:.1%}"
    )


def interval(figure: dict[str, Any]) -> str:
    if figure["low"] is None or figure["high"] is None:
        return ""
    return f"{share(figure['low'])}–{share(figure['high'])}"


def said(check: dict[str, Any]) -> str:
    """One check in words: the figure, its value, the bar."""
    sign = "≥" if check["better"] == "higher" else "≤"
    return f"{check['label']}: {share(check['value'])} (bar {sign} {share(check['bar'])}, n={check['n']})"


def headline(report: dict[str, Any]) -> str:
    result = report["verdict"]["result"]
    failing = [c for c in report["verdict"]["checks"] if not c["passed"]]
    if result == "none":
        return f"no verdict: {no_verdict_because(report)}"
    if result == "pass":
        return f"pass: {report['interviewer']} met every bar over {report['sessions']} sessions"
    return (
        f"fail: {len(failing)} of {len(report['verdict']['checks'])} figures miss their bar "
        f"over {report['sessions']} sessions"
    )
