"""The verdict of a calibration run: pass or fail against named thresholds, each figure checked.

A table of sixteen figures lets a judge that obeys injections keep kappa 1.00 and look
fine; the verdict reads the figures that matter against a threshold each, says which fail
and by how much, and is the first thing ``calibrate`` shows and the only thing ``doctor``
and the scorecard cite. Each threshold is a named constant saying why it is where it is.

A run gives no verdict (``none``) when it is cut short, has requests still to retry, or
grades fewer than ``record.MIN_ITEMS`` items with reference grades: its checks are still
computed and marked, but they describe too little of the set to pass or fail a judge.
"""

from __future__ import annotations

from typing import Any, Literal

from interviewer.grading.calibration.record import MIN_ITEMS

MIN_KAPPA_LOW = 0.60
"""The lowest the lower end of kappa's 95% interval may be. ETS holds automated essay
scores to a quadratic weighted kappa of 0.70 against human raters (Williamson, Xi and
Breyer, 2012), and 0.61 is where Landis and Koch's "substantial" agreement starts. Asking
the interval's lower end to clear 0.60 passes a judge only when the data rule out
agreement much below that bar: on gold v2's 100 graded items the lower end sits about 0.1
under kappa (simulated with ``metrics``: a judge one point off on half the answers and
two off on four in ten reaches kappa 0.70, lower end 0.60), so a judge needs a kappa near
0.70 to pass, and a small or noisy run cannot pass on luck."""

MAX_LIFT_HIGH = 0.50
"""The highest the upper end of a manipulation's mean lift may be, in points of the
overall. Half a point is where an inserted sentence starts to move the rounded grade of a
typical answer; a judge whose interval reaches past it can be talked, padded or
name-dropped into a better grade. Lift is measured beyond what the reference grades
differ by, so a confident wrong claim that a judge lets stand (the reference drops it a
point or two) shows as a positive lift too."""

MIN_DEGENERATE_AT_FLOOR = 0.90
"""The smallest share of degenerate answers (empty, "I don't know", gibberish, off-topic,
questions back) judged 1 or "not enough evidence". These are the easiest items in the
set; a judge that scores more than one in ten of them above the floor rewards words that
say nothing."""

MAX_NULL_SHARE = 0.10
"""The largest share of graded transcripts the judge may return "not enough evidence" for
overall. Every graded item has evidence for at least three dimensions, so a null there is
a miss; nulls are left out of kappa (never counted as grade 1), and a judge that nulls
its hard items would otherwise be measured on the easy ones alone."""

MAX_FAILED_SHARE = 0.10
"""The largest share of items whose every reply failed to validate (after its re-asks),
so the judge gave no scorecard at all. Those items are missing from every figure; past
one in ten, what remains is no longer the gold set, and the judge would fail users as
often."""

Result = Literal["pass", "fail", "none"]


def check(
    key: str,
    label: str,
    value: float | None,
    threshold: float,
    *,
    at_least: bool,
    missing: str = "could not be computed",
) -> dict[str, Any]:
    """One figure against its threshold; a figure that could not be computed fails."""
    passed = value is not None and (value >= threshold if at_least else value <= threshold)
    return {
        "key": key,
        "label": label,
        "value": value,
        "threshold": threshold,
        "at_least": at_least,
        "passed": passed,
        "missing": None if value is not None else missing,
    }


def checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check the report's gold set allows: lifts only for the kinds of variant it
    has, the floor only if it has degenerate answers.

    Long because it is a table: each check a row of named arguments (figure, label,
    threshold, direction, why it may be missing), read best side by side in one place."""
    kappa = report["kappa"]
    out = [
        check(
            "kappa",
            "kappa, lower end of its 95% interval",
            kappa["low"] if kappa["low"] is not None else kappa["value"],
            MIN_KAPPA_LOW,
            at_least=True,
            missing="no graded item got a grade to compare",
        ),
        check(
            "null_share",
            "graded transcripts judged 'not enough evidence'",
            report["null_share"]["value"],
            MAX_NULL_SHARE,
            at_least=False,
            missing="no graded item was answered",
        ),
        check(
            "failed_share",
            "items whose replies never validated",
            report["failed_share"]["value"],
            MAX_FAILED_SHARE,
            at_least=False,
            missing="no item was answered",
        ),
    ]
    if report["degenerate_floor"]["n"] or report.get("degenerate_items"):
        out.append(
            check(
                "degenerate_floor",
                "degenerate answers judged 1 or 'not enough evidence'",
                report["degenerate_floor"]["value"],
                MIN_DEGENERATE_AT_FLOOR,
                at_least=True,
                missing="every degenerate item failed",
            )
        )
    for kind, lift in report["lift"].items():
        mean = lift["mean"]
        out.append(
            check(
                f"lift.{kind}",
                f"{kind} lift, upper end of its 95% interval",
                mean["high"] if mean["high"] is not None else mean["value"],
                MAX_LIFT_HIGH,
                at_least=False,
                missing=f"not measured: every {kind} pair had a null or failed side",
            )
        )
    return out


def no_verdict_because(report: dict[str, Any]) -> str | None:
    """Why the run cannot carry a verdict, or None when it can."""
    if report.get("stopped"):
        return f"{report['stopped']} after {report['items']} of {report['of_items']} items"
    if report["items"] < report["of_items"]:
        return f"partial: {report['items']} of {report['of_items']} items graded"
    if report["errors"]:
        return f"{report['errors']} request(s) failed; run the same command to retry them"
    if report["graded_items"] < MIN_ITEMS:
        return (
            f"{report['graded_items']} graded item{'' if report['graded_items'] == 1 else 's'}, "
            f"fewer than the {MIN_ITEMS} a verdict needs"
        )
    return None


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    """``{"result": "pass" | "fail" | "none", "why": ..., "checks": [...]}``."""
    found = checks(report)
    failing = [c for c in found if not c["passed"]]
    why = no_verdict_because(report)
    result: Result = "none" if why else "fail" if failing else "pass"
    return {"result": result, "why": why, "checks": found}


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def said(check_: dict[str, Any]) -> str:
    """'kappa, lower end of its 95% interval: 0.42, needs at least 0.60'."""
    need = f"{'at least' if check_['at_least'] else 'at most'} {check_['threshold']:.2f}"
    if check_["missing"]:
        return f"{check_['label']}: {check_['missing']} (needs {need})"
    return f"{check_['label']}: {fmt(check_['value'])}, needs {need}"


def short(check_: dict[str, Any]) -> str:
    """'kappa low 0.42 < 0.60', for a one-line citation."""
    name = check_["key"].replace("lift.", "").replace("_", " ")
    if check_["key"] == "kappa":
        name = "kappa low"
    elif check_["key"].startswith("lift."):
        name += " lift high"
    if check_["missing"]:
        return f"{name} not measured"
    sign = "<" if check_["at_least"] else ">"
    return f"{name} {fmt(check_['value'])} {sign} {check_['threshold']:.2f}"


def headline(report: dict[str, Any]) -> str:
    """The verdict in one line: 'PASS', 'FAIL: 2 of 9 checks', 'No verdict: partial ...'."""
    found = report["verdict"]
    failing = sum(not c["passed"] for c in found["checks"])
    if found["result"] == "pass":
        return f"PASS: all {len(found['checks'])} checks"
    if found["result"] == "fail":
        return f"FAIL: {failing} of {len(found['checks'])} checks"
    return f"No verdict: {found['why']}"
