"""The rehearsal report as one self-contained HTML page: verdict, figures, rounds, misroutes."""

from __future__ import annotations

from html import escape
from typing import Any

from interviewer.rehearsal.report import FIGURES, headline, interval, said, share
from interviewer.review.html import page


def _figures_table(figures: dict[str, Any]) -> str:
    rows = []
    for figure in FIGURES:
        f = figures[figure.key]
        bar = (
            ""
            if f["bar"] is None
            else ("≥ " if f["better"] == "higher" else "≤ ") + share(f["bar"])
        )
        css = " class='failed'" if f["passed"] is False else ""
        cells = (f["label"], share(f["value"]), interval(f), str(f["n"]), bar, f["why"])
        rows.append(f"<tr{css}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<th>{h}</th>" for h in ("figure", "value", "95% interval", "sessions", "bar", "why")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def report_html(report: dict[str, Any]) -> str:
    result = report["verdict"]["result"]
    css = {"pass": "", "fail": "failed"}.get(result, "flag")
    checks = "".join(
        f"<li class='{'hit' if c['passed'] else 'miss failed'}'>{escape(said(c))}</li>"
        for c in report["verdict"]["checks"]
    )
    settings = ", ".join(f"{k} {v}" for k, v in report["settings"].items() if k != "transcripts")
    body = [
        f"<h1>Rehearsal of {escape(report['interviewer'])}</h1>",
        f"<p>{report['sessions']} of {report['planned']} sessions · {escape(settings)} · "
        f"{escape(report['measured_at'])}</p>",
        f"<p class='summary {css}'><strong>Verdict: {escape(headline(report))}</strong></p>",
        f"<ul class='points'>{checks}</ul>",
        "<h2>Overall</h2>",
        _figures_table(report["figures"]),
    ]
    for name, figs in report["rounds"].items():
        body += [
            f"<h2>{escape(name)} ({figs['sessions']} sessions)</h2>",
            _figures_table(figs["figures"]),
        ]
    if report["misroutes"]:
        items = "".join(f"<li>{escape(m)}</li>" for m in report["misroutes"])
        body.append(f"<h2>Answers read as the wrong kind</h2><ul>{items}</ul>")
    if report["errors"]:
        items = "".join(
            f"<li>{escape(e['key'])}: {escape(e['reason'] or '')}</li>" for e in report["errors"]
        )
        body.append(f"<h2>Sessions that failed</h2><ul>{items}</ul>")
    return page(f"Rehearsal of {report['interviewer']}", "\n".join(body))
