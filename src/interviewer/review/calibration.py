"""The calibration report as one self-contained HTML page (inline CSS and SVG)."""

from __future__ import annotations

from html import escape
from typing import Any

from interviewer.grading.calibration.report import headline, rows
from interviewer.review.charts import confusion_chart
from interviewer.review.html import page

COLUMNS = ["1", "2", "3", "4", "5", "n/a"]


def report_html(report: dict[str, Any]) -> str:
    judge = report["judge"]
    where = f" at {judge['api_base']}" if judge.get("api_base") else ""
    meta = (
        f"Judge <code>{escape(judge['model'])}{escape(where)}</code> · gold set "
        f"{escape(report['gold'])} ({report['items']} of {report['of_items']} items graded, "
        f"{report['graded_items']} with reference grades) · samples {report['samples']} · "
        f"bootstrap seed {report['seed']} · {escape(report['measured_at'])}"
    )
    table = "".join(
        f"<tr><td>{escape(label)}</td><td class='score'>{escape(value)}</td>"
        f"<td>{escape(ci)}</td><td>{escape(n)}</td></tr>"
        for label, value, ci, n in rows(report)
    )
    notes = []
    if report["null_on_graded"]:
        notes.append(
            f"{report['null_on_graded']} graded item(s) got 'not enough evidence'; they count "
            "as grade 1 in the agreement figures."
        )
    if report["errors"]:
        notes.append(f"{report['errors']} request(s) failed; rerun the command to retry them.")
    body = (
        f"<h1>Judge calibration</h1><p class='summary'><strong>{escape(headline(report))}</strong>"
        f"</p><p class='meta'>{meta}</p>"
        + "".join(f"<p class='meta'>{escape(n)}</p>" for n in notes)
        + "<h2>Figures</h2><table><thead><tr><th>Figure</th><th>Value</th>"
        "<th>95% interval</th><th>n</th></tr></thead><tbody>"
        + table
        + "</tbody></table><h2>Confusion matrix</h2>"
        + confusion_chart(report["confusion"], ["1", "2", "3", "4", "5"], COLUMNS)
    )
    return page(f"Judge calibration · {judge['model']}", body)
