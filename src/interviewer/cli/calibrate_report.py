"""What ``calibrate`` shows and writes after grading a gold set: the verdict first, the
figures, and the JSON and HTML reports, recorded as the judge's calibration when complete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from interviewer.cli.app import out
from interviewer.store.transcripts import write_atomic


def show(report: dict[str, Any]) -> None:
    """The verdict, then the table of figures."""
    out.print(verdict_block(report))
    out.print(report_table(report))


def verdict_block(report: dict[str, Any]) -> Table:
    """The verdict first, then each check with its threshold, failing ones marked."""
    from interviewer.grading.calibration.verdict import headline, said

    result = report["verdict"]["result"]
    style = {"pass": "bold green", "fail": "bold red"}.get(result, "bold yellow")
    grid = Table.grid(padding=(0, 1))
    grid.add_row(Text(f"Verdict: {headline(report)}", style=style))
    for check in report["verdict"]["checks"]:
        mark = ("✓", "green") if check["passed"] else ("✗", "red")
        grid.add_row(Text.assemble("  ", mark, " ", said(check)))
    return grid


def report_table(report: dict[str, Any]) -> Table:
    """The figures, per round (when there are several), the confusion matrix, then notes."""
    grid = Table.grid(padding=(1, 0))
    grid.add_row(_figures(report))
    if len(report["rounds"]) > 1:
        grid.add_row(_per_round(report))
    grid.add_row(_confusion(report))
    for note in _notes(report):
        grid.add_row(Text(note, "yellow" if "failed" in note or "opening" in note else "dim"))
    return grid


def _figures(report: dict[str, Any]) -> Table:
    from interviewer.grading.calibration.report import headline, rows

    table = Table(title=headline(report), title_justify="left", header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("n", justify="right")
    table.add_column("")
    for label, value, ci, n, mark in rows(report):
        style = "red" if mark == "✗" else None
        table.add_row(
            label, value, ci, n, Text(mark, style="red" if mark == "✗" else "green"), style=style
        )
    return table


def _per_round(report: dict[str, Any]) -> Table:
    from interviewer.grading.calibration.report import round_rows

    per_round = Table(title="per round, graded transcripts", title_justify="left")
    per_round.add_column("round", overflow="fold")
    for name in ("items", "kappa", "95% interval", "exact", "leniency", "null", "failed"):
        per_round.add_column(name, justify="right")
    for row in round_rows(report):
        per_round.add_row(*row)
    return per_round


def _confusion(report: dict[str, Any]) -> Table:
    matrix = Table(title="reference (rows) by judged grade", title_justify="left")
    matrix.add_column("")
    for label in ["1", "2", "3", "4", "5", "n/a"]:
        matrix.add_column(label, justify="right")
    for grade, row in enumerate(report["confusion"], start=1):
        matrix.add_row(str(grade), *[str(v) for v in row])
    return matrix


def _notes(report: dict[str, Any]) -> list[str]:
    """What the figures leave out: items graded without a reference, failed and timed-out
    requests (each with its fix), and where the rest of the report is."""
    notes = []
    if report["without_reference"]:
        notes.append(
            f"{report['without_reference']} item(s) name no opening: the judge graded them "
            "without a scenario or reference, unlike real scoring."
        )
    if report["errors"]:
        notes.append(f"{report['errors']} request(s) failed; rerun to retry them.")
    timed_out = report.get("timed_out", 0)
    if timed_out:
        notes.append(
            f"{timed_out} request(s) timed out: give a slow judge longer with --timeout 600 "
            "(and fewer requests at once, --jobs 1)."
        )
    notes.append("Per dimension, and lifts by wording and position: in the HTML and JSON report.")
    return notes


def write_reports(
    report: dict[str, Any], folder: Path, info: Any, gold_name: str, *, limited: bool = False
) -> None:
    """The JSON and HTML reports in ``folder``; a complete run is also recorded as this
    judge's calibration, and a partial or too small one says why it is not."""
    from interviewer.grading.calibration.record import judge_key
    from interviewer.review.calibration import report_html

    complete = not report["stopped"] and report["items"] == report["of_items"]
    complete = complete and not report["errors"]
    # A partial report never overwrites the last complete one, which the record points at.
    stem = f"{judge_key(info)}-{gold_name.replace(' ', '-')}{'' if complete else '-partial'}"
    json_path, html_path = folder / f"{stem}.json", folder / f"{stem}.html"
    write_atomic(json_path, json.dumps(report, indent=2) + "\n")
    write_atomic(html_path, report_html(report))
    if complete:
        _record(report, info, gold_name, html_path)
    out.print(Text(f"Report: {html_path}\nData:   {json_path}", style="dim"))
    _say_if_not_counted(report, complete=complete, limited=limited)


def _record(report: dict[str, Any], info: Any, gold_name: str, html_path: Path) -> None:
    """Save a complete run as this judge's last calibration (what ``doctor`` shows)."""
    from interviewer.grading.calibration.record import LastResult, save_last
    from interviewer.grading.calibration.verdict import short

    verdict = report["verdict"]
    save_last(
        LastResult(
            judge=info,
            gold=gold_name,
            kappa=report["kappa"]["value"],
            n=report["graded_items"],
            verdict=None if verdict["result"] == "none" else verdict["result"],
            failing=[short(c) for c in verdict["checks"] if not c["passed"]],
            report=str(html_path),
            measured_at=report["measured_at"],
        )
    )


def _say_if_not_counted(report: dict[str, Any], *, complete: bool, limited: bool) -> None:
    """Why a run is not this judge's calibration: partial, or too few graded items."""
    from interviewer.grading.calibration.record import MIN_ITEMS
    from interviewer.grading.calibration.verdict import no_verdict_because

    if not complete:
        out.print(
            Text(f"Not saved as this judge's calibration: {no_verdict_because(report)}.", "yellow"),
            soft_wrap=False,
        )
    elif report["graded_items"] < MIN_ITEMS:
        fix = (
            "run it without --limit for one"
            if limited
            else f"a gold set needs at least {MIN_ITEMS} graded items (the shipped one has)"
        )
        out.print(
            Text(
                f"Too small to count as this judge's calibration: {report['graded_items']} "
                f"graded items, fewer than {MIN_ITEMS}; {fix}.",
                "yellow",
            ),
            soft_wrap=False,
        )
