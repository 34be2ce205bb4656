"""Small inline SVG charts for the exported pages, drawn in Python.

The pages must open with no network, so there is no charting library to fetch: a bar
chart of one scorecard and a line plot of one dimension over time are a few dozen
elements each. Every label passes through ``html.escape``; sizes are in SVG units and
the charts scale with the page through ``viewBox``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime
from html import escape

SCORE_MAX = 5
BAR_COLOURS = {1: "#c0392b", 2: "#e67e22", 3: "#d4ac0d", 4: "#27ae60", 5: "#1e8449"}
NO_SCORE = "#b0b6bd"


CHAR_EM = 0.62
"""Width of an average character, in ems, of a wide system sans-serif (fonts differ from
machine to machine, so labels are fitted to a generous estimate, never to one font)."""


LINE_H = 16
"""Height of one line of a 13-unit label, in SVG units."""
NBSP = "\u00a0"


def lines_of(text: str, room: float, font_px: float) -> list[str]:
    """``text`` in lines that fit ``room`` SVG units at ``font_px``, broken between words.

    Never cut with an ellipsis: a cut title lost its score ("Evaluation · recent 3…") and
    a cut label its dimension's name. Only a single word longer than a whole line is
    broken; a no-break space keeps a figure on the line of the word before it (``NBSP``).
    """
    limit = max(4, int(room / (font_px * CHAR_EM)))
    return textwrap.wrap(text, limit, break_on_hyphens=False) or [""]


def text_lines(
    whole: str, lines: list[str], x: float, y: float, css: str, anchor: str = "start"
) -> str:
    """``whole`` drawn as ``lines`` in one ``<text>``, the first baseline at ``y``, each
    next one ``LINE_H`` below; ``whole`` also in a ``<title>``, for a tooltip."""
    spans = "".join(
        f'<tspan x="{_fmt(x)}" dy="{0 if n == 0 else LINE_H}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" class="{css}" text-anchor="{anchor}">'
        f"<title>{escape(whole)}</title>{spans}</text>"
    )


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(bars: Sequence[tuple[str, int | None]], *, width: int = 640) -> str:
    """Horizontal bars, one per dimension, 0 to 5; an unscored dimension is a grey note.
    A long name wraps onto more lines, and its row grows to hold them."""
    label_w, row_h, top = 220, 30, 24
    plot_w = width - label_w - 50
    labels = [lines_of(label, label_w - 14, 13) for label, _ in bars]
    heights = [max(row_h, LINE_H * len(lines) + 14) for lines in labels]
    height = top + sum(heights) + 10
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Scores by dimension">'
    ]
    for tick in range(SCORE_MAX + 1):
        x = label_w + plot_w * tick / SCORE_MAX
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{top - 6}" x2="{_fmt(x)}" y2="{height - 10}" class="grid"/>'
            f'<text x="{_fmt(x)}" y="{top - 10}" class="tick" text-anchor="middle">{tick}</text>'
        )
    y = top
    for (label, score), lines, row in zip(bars, labels, heights, strict=True):
        middle, y = y + row / 2, y + row
        first = middle + 4 - LINE_H * (len(lines) - 1) / 2  # the lines centred on the bar
        parts.append(text_lines(label, lines, label_w - 8, first, "label", "end"))
        if score is None:
            parts.append(
                f'<text x="{label_w + 6}" y="{_fmt(middle + 4)}" class="note">'
                "not enough evidence</text>"
            )
            continue
        bar_w = plot_w * score / SCORE_MAX
        parts.append(
            f'<rect x="{label_w}" y="{_fmt(middle - (row_h - 10) / 2)}" width="{_fmt(bar_w)}" '
            f'height="{row_h - 10}" rx="3" fill="{BAR_COLOURS.get(score, NO_SCORE)}">'
            f"<title>{escape(label)}: {score}/5</title></rect>"
            f'<text x="{_fmt(label_w + bar_w + 6)}" y="{_fmt(middle + 4)}" class="value">'
            f"{score}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


MAX_POINTS = 150  # a 420-unit plot shows no more; past this, points are averaged in runs

Point = tuple[datetime, float | None, str]


def thinned(points: Sequence[Point], most: int = MAX_POINTS) -> list[Point]:
    """At most ``most`` points: consecutive runs of sessions averaged into one, labelled
    with how many sessions it stands for, so a page over 10,000 sessions stays small and
    quick to draw, and reads as the trend it is."""
    if len(points) <= most:
        return list(points)
    out: list[Point] = []
    for n in range(most):
        run = points[len(points) * n // most : len(points) * (n + 1) // most]
        scores = [p[1] for p in run if p[1] is not None]
        mean = round(sum(scores) / len(scores), 1) if scores else None
        out.append((run[-1][0], mean, f"mean of {len(run)} sessions to {run[-1][2]}"))
    return out


def line_plot(points: Sequence[Point], *, title: str, width: int = 420) -> str:
    """Scores 1-5 against time; each point carries a tooltip (date, score, session).

    ``points`` are (when, score, session id), oldest first. Sessions without a score for
    this dimension leave a gap in the line rather than a fake zero. Long histories are
    ``thinned`` first.
    """
    points = thinned(points)
    height, left, right, top, bottom = 190, 30, 12, 30, 34
    inset = 10  # keeps the first and last dots off the axis and the edge
    plot_w, plot_h = width - left - right - 2 * inset, height - top - bottom
    times = [p[0].timestamp() for p in points]
    first = min(times) if times else 0.0  # once: per point it made the page quadratic
    span = (max(times) - first) if times else 0.0

    def x_of(index: int) -> float:
        if span == 0:  # one session, or several at the same instant: spread them evenly
            return left + inset + plot_w * ((index + 1) / (len(points) + 1))
        return left + inset + plot_w * (times[index] - first) / span

    def y_of(score: float) -> float:
        return top + plot_h * (SCORE_MAX - score) / (SCORE_MAX - 1)

    heading = lines_of(title, width - left - right, 13)
    below = LINE_H * (len(heading) - 1)  # a title of more lines moves the plot down
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + below}" role="img" '
        f'aria-label="{escape(title)}">',
        text_lines(title, heading, left, 16, "title"),
        f'<g transform="translate(0 {below})">',
    ]
    if not any(score is not None for _, score, _ in points):
        parts.append(
            f'<text x="{width // 2}" y="{top + plot_h // 2}" class="note" '
            f'text-anchor="middle">not scored in any session yet</text>'
        )
    for tick in range(1, SCORE_MAX + 1):
        y = _fmt(y_of(tick))
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" class="grid"/>'
            f'<text x="{left - 8}" y="{y}" dy="4" class="tick" text-anchor="end">{tick}</text>'
        )
    segment: list[str] = []
    for index, (_, score, _) in enumerate(points):
        if score is None:
            parts.append(_polyline(segment))
            segment = []
        else:
            segment.append(f"{_fmt(x_of(index))},{_fmt(y_of(score))}")
    parts.append(_polyline(segment))
    for index, (when, score, session) in enumerate(points):
        if score is not None:
            parts.append(
                f'<circle cx="{_fmt(x_of(index))}" cy="{_fmt(y_of(score))}" r="4" class="dot">'
                f"<title>{when:%Y-%m-%d} · {score:g}/5 · {escape(session)}</title></circle>"
            )
    if points:
        x0, x1 = left + inset, width - right - inset
        parts.append(_axis_dates(points[0][0], points[-1][0], x0, x1, height - 10))
    parts.append("</g></svg>")
    return "".join(parts)


def _polyline(coords: list[str]) -> str:
    if len(coords) < 2:
        return ""
    return f'<polyline points="{" ".join(coords)}" class="line"/>'


def _axis_dates(first: datetime, last: datetime, x0: int, x1: int, y: int) -> str:
    if first.date() == last.date():
        middle = (x0 + x1) // 2
        return (
            f'<text x="{middle}" y="{y}" class="tick" text-anchor="middle">{first:%Y-%m-%d}</text>'
        )
    return (
        f'<text x="{x0}" y="{y}" class="tick">{first:%Y-%m-%d}</text>'
        f'<text x="{x1}" y="{y}" class="tick" text-anchor="end">{last:%Y-%m-%d}</text>'
    )


def confusion_chart(
    matrix: Sequence[Sequence[int]], rows: Sequence[str], cols: Sequence[str], *, cell: int = 56
) -> str:
    """A heat map of counts: rows the reference grade, columns the judge's. The diagonal
    (agreement) is outlined, so a judge's lean shows as mass off one side of it."""
    left, top = 120, 60
    width, height = left + cell * len(cols) + 10, top + cell * len(rows) + 10
    peak = max((v for row in matrix for v in row), default=0) or 1
    parts = [
        f'<svg class="chart confusion" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Confusion matrix: reference grade by judged grade">',
        f'<text x="{left + cell * len(cols) / 2:.0f}" y="18" class="title" '
        'text-anchor="middle">judged grade</text>',
        f'<text x="12" y="{top + cell * len(rows) / 2:.0f}" class="title">reference</text>',
    ]
    for j, label in enumerate(cols):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 10}" class="tick" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for i, label in enumerate(rows):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4:.0f}" class="tick" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for j, value in enumerate(matrix[i]):
            x = left + j * cell
            shade = 0.08 + 0.85 * value / peak if value else 0.0
            stroke = ' stroke="#1d2329" stroke-width="2"' if i == j else ' stroke="#dde2e7"'
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="rgba(44,111,187,{shade:.2f})"{stroke}><title>reference {escape(rows[i])}, '
                f"judged {escape(cols[j])}: {value}</title></rect>"
                f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 5:.0f}" class="value" '
                f'text-anchor="middle">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
