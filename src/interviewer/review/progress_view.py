"""The terminal view of ``progress``: one row per dimension with a sparkline, the weakest
three, what to practise next.

Apart from ``views`` so that ``progress`` imports no transcript model (pydantic): it
draws a ``Report`` built from the index alone.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interviewer.review.figures import EMPTY, counted, score
from interviewer.review.progress import (
    DELIVERY_COLUMNS,
    DELIVERY_NAMES,
    DELIVERY_TREND,
    Report,
    Trend,
    delivery_cells,
)

SPARKS = {1: "▁", 2: "▂", 3: "▄", 4: "▆", 5: "█"}
SPARK_POINTS = 20


def sparkline(trend: Trend) -> str:
    points = trend.points[-SPARK_POINTS:]
    return "".join("·" if p.score is None else SPARKS[p.score] for p in points)


def progress_view(report: Report) -> RenderableType:
    parts: list[RenderableType] = [
        Text(f"Progress over {counted(report.sessions, 'scored session')}", style="bold"),
        trends_table(report),
    ]
    if report.weakest:
        parts.append(Text("\nWeakest dimensions (recent average)", style="bold yellow"))
        parts += [
            Text(f"  {n}. {tr.name} ({tr.round}): {score(tr.recent)}")
            for n, tr in enumerate(report.weakest, start=1)
        ]
    if report.delivery:
        parts += [Text(f"\n{DELIVERY_TREND}", style="bold"), delivery_trend(report)]
    if report.practice:
        parts.append(Text("\nWhat to practise next", style="bold cyan"))
        parts += [Text(f"  • {a.text} ({a.round}, {a.session})") for a in report.practice]
    return Group(*parts)


def trends_table(report: Report) -> Table:
    """One row per dimension, under a heading row for its round. The round is named once,
    not on every row: at 80 columns a round column left ``ml-system-de…`` on each line
    and squeezed the dimensions' names onto three or four lines each."""
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("round and dimension")
    table.add_column("scores, old → new", no_wrap=True)
    table.add_column("last", justify="right")
    table.add_column("recent", justify="right")
    table.add_column("change", justify="right")
    current = None
    for trend in report.trends:
        if trend.round != current:
            current = trend.round
            table.add_row(Text(trend.round, style="bold"))  # data, not markup
        scores = trend.scores
        change = trend.change
        table.add_row(
            Padding(Text(trend.name), (0, 0, 0, 2)),  # a wrapped name keeps its indent
            sparkline(trend),
            str(scores[-1]) if scores else EMPTY,
            score(trend.recent),
            Text(
                EMPTY if change is None else f"{change:+.2f}",
                style="green" if change and change > 0 else "red" if change and change < 0 else "",
            ),
        )
    return table


def delivery_trend(report: Report) -> Table:
    """Pace, fillers and pauses per spoken session: observed figures only."""
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for n, name in enumerate(DELIVERY_COLUMNS):
        table.add_column(name, justify="left" if n < DELIVERY_NAMES else "right")
    for spoken in report.delivery:
        table.add_row(*(Text(cell) for cell in delivery_cells(spoken)))  # data, not markup
    return table
