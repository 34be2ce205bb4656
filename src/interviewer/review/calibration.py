"""The calibration report as one self-contained HTML page (inline CSS and SVG).

The verdict comes first, with every check and its threshold; then the figures (a failing
one marked), agreement per round and per dimension, lifts by wording and position, and
the confusion matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from interviewer.grading.calibration.report import (
    dimension_rows,
    headline,
    round_rows,
    rows,
)
from interviewer.grading.calibration.verdict import fmt, said
from interviewer.grading.calibration.verdict import headline as verdict_line
from interviewer.review.charts import confusion_chart
from interviewer.review.html import page

COLUMNS = ["1", "2", "3", "4", "5", "n/a"]


def _table(
    head: list[str], body: Sequence[tuple[str, ...]], failing: set[int] | None = None
) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    failed = " class='failed'"
    lines = "".join(
        f"<tr{failed if failing and n in failing else ''}>"
        + "".join(f"<td>{escape(c)}</td>" for c in row)
        + "</tr>"
        for n, row in enumerate(body)
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{lines}</tbody></table>"


def _verdict(report: dict[str, Any]) -> str:
    result = report["verdict"]["result"]
    css = {"pass": "", "fail": "failed"}.get(result, "flag")
    checks = "".join(
        f"<li class='{'hit' if c['passed'] else 'miss failed'}'>{escape(said(c))}</li>"
        for c in report["verdict"]["checks"]
    )
    return (
        f"<p class='summary {css}'><strong>Verdict: {escape(verdict_line(report))}</strong></p>"
        f"<ul class='points'>{checks}</ul>"
    )


def _places(report: dict[str, Any]) -> str:
    body: list[tuple[str, ...]] = []
    for kind, by in report["lift_places"].items():
        for what, values in by.items():
            for key, figure in values.items():
                body.append((kind, what, key, fmt(figure["mean"]), str(figure["n"])))
    if not body:
        return ""
    return "<h2>Lift by wording and position</h2>" + _table(
        ["family", "by", "which", "mean lift", "n"], body
    )


def report_html(report: dict[str, Any]) -> str:
    judge = report["judge"]
    where = f" at {judge['api_base']}" if judge.get("api_base") else ""
    meta = (
        f"Judge <code>{escape(judge['model'])}{escape(where)}</code> · gold set "
        f"{escape(report['gold'])} ({report['items']} of {report['of_items']} items graded"
        f"{', a stratified sample (--limit)' if report.get('limited') else ''}, "
        f"{report['graded_items']} with reference grades) · samples {report['samples']} · "
        f"bootstrap seed {report['seed']} · {escape(report['measured_at'])}"
    )
    notes = []
    if report["null_on_graded"]:
        notes.append(
            f"{report['null_on_graded']} graded item(s) got 'not enough evidence'; they are "
            "left out of the agreement figures and counted apart, never as grade 1."
        )
    if report["failed_items"]:
        notes.append(
            f"{report['failed_items']} item(s) got no valid reply; they are left out of "
            "every figure and counted apart."
        )
    if report["without_reference"]:
        notes.append(
            f"{report['without_reference']} item(s) name no opening: graded without a "
            "scenario or reference, unlike real scoring."
        )
    if report["errors"]:
        notes.append(f"{report['errors']} request(s) failed; rerun the command to retry them.")
    figures = rows(report)
    marked = {n for n, row in enumerate(figures) if row[4] == "✗"}
    body = (
        f"<h1>Judge calibration</h1>{_verdict(report)}"
        f"<p class='summary'>{escape(headline(report))}</p><p class='meta'>{meta}</p>"
        + "".join(f"<p class='meta'>{escape(n)}</p>" for n in notes)
        + "<h2>Figures</h2>"
        + _table(["Figure", "Value", "95% interval", "n", "check"], figures, marked)
        + "<h2>Per round</h2>"
        + _table(
            ["round", "items", "kappa", "95% interval", "exact", "leniency", "null", "failed"],
            round_rows(report),
        )
        + "<h2>Per dimension</h2><p class='meta'>The judge's verified score against the "
        "reference level, where both exist. A reference null (never probed nor volunteered) "
        "is skipped; the last two columns count the judge's nulls where the reference has a "
        "level, and its scores where the reference has none.</p>"
        + _table(
            [
                "round",
                "dimension",
                "n",
                "exact",
                "within one",
                "leniency",
                "judge null",
                "scored, unprobed",
            ],
            dimension_rows(report),
        )
        + _places(report)
        + "<h2>Confusion matrix</h2>"
        + confusion_chart(report["confusion"], ["1", "2", "3", "4", "5"], COLUMNS)
    )
    return page(f"Judge calibration · {judge['model']}", body)
