"""Rich renderables for reviewing saved sessions: the list, a session, judges side by side,
progress. The single-scorecard table lives in ``render``; these build around it.

Everything a person or a model wrote goes into ``Text`` objects, never through console
markup, so a candidate who typed ``[bold]`` sees their own brackets back.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interviewer.formats import Loop, Role, Scorecard, Transcript
from interviewer.loops import Debrief
from interviewer.quotes import highlight_spans
from interviewer.review.listing import duration, status_label
from interviewer.review.markdown import delivery_summary
from interviewer.review.progress import Report, Trend
from interviewer.review.wording import (
    DIMENSION,
    EMPTY,
    EVIDENCE,
    POINTS,
    SCORE,
    WHY,
    dimension_score,
    evidence_quotes,
    judge_line,
    lists,
    number,
    points_lines,
    signal_text,
    speaker,
)
from interviewer.transcripts import Summary
from interviewer.voice.delivery import describe

EVIDENCE_STYLE = "bold underline"
SPEAKER_STYLE = {Role.interviewer: "bold cyan", Role.candidate: "bold green", Role.system: "dim"}
STATUS_STYLE = {"complete": "green", "interrupted": "yellow", "in-progress": "cyan"}
SPARKS = {1: "▁", 2: "▂", 3: "▄", 4: "▆", 5: "█"}
SPARK_POINTS = 20


WIDE = 120


def _score(value: float | None) -> str:
    return number(value, ".2f")


def sessions_table(rows: list[Summary], width: int = 200) -> Table:
    """The sessions, one row each. Below ``WIDE`` columns the persona and models columns
    are left out (``show`` has them), so what matters never wraps into ellipses."""
    wide = width >= WIDE
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("started (UTC)" if wide else "UTC", no_wrap=True)
    table.add_column("round", no_wrap=True)
    table.add_column("level", no_wrap=True)
    if wide:
        table.add_column("persona")
        table.add_column("models")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("overall" if wide else "score", justify="right", no_wrap=True)
    table.add_column("status")
    stamp = "%Y-%m-%d %H:%M" if wide else "%m-%d %H:%M"
    for row in rows:
        models = row.interviewer
        if row.judge and row.judge != row.interviewer:
            models += f" / {row.judge}"
        label = status_label(row)
        style = "red" if row.score_status == "failed" else STATUS_STYLE.get(row.status, "")
        cells: list[str | Text] = [row.id, f"{row.created_at:{stamp}}", Text(row.round), row.level]
        if wide:
            cells += [Text(row.persona), Text(models)]
        cells += [duration(row.duration_s), _score(row.overall), Text(label, style=style)]
        table.add_row(*cells)
    return table


def session_header(t: Transcript, minutes: str) -> RenderableType:
    title = Text.assemble((t.round_title, "bold"), f" · session {t.id}")
    lines = [
        f"{t.created_at:%Y-%m-%d %H:%M} UTC · {t.status.value} · {minutes} · level {t.level.value}"
        f" · persona {t.persona} · scenario {t.opening}",
        f"interviewer {t.interviewer.model} · judge {t.judge.model}",
    ]
    return Group(title, *(Text(line, style="dim") for line in lines))


def candidate_text(text: str, quotes: list[str]) -> Text:
    """The answer with the judge's quoted evidence underlined where it was found."""
    rendered = Text(text)
    for start, end in highlight_spans(quotes, text):
        rendered.stylize(EVIDENCE_STYLE, start, end)
    return rendered


def conversation(t: Transcript, quotes: list[str]) -> RenderableType:
    parts: list[RenderableType] = [Text("Conversation", style="bold")]
    for turn in t.turns:
        label = Text(speaker(turn.role), style=SPEAKER_STYLE[turn.role])
        if turn.role is Role.candidate:
            body = candidate_text(turn.text, quotes) if turn.text.strip() else Text("(no answer)")
        else:
            body = Text(turn.text)
        parts += [label, Padding(body, (0, 0, 0, 2), expand=False)]
        if turn.delivery is not None:  # a spoken answer: how it was delivered
            parts.append(Padding(Text(describe(turn.delivery), style="dim"), (0, 0, 0, 2)))
        parts.append(Text(""))
    if not t.turns:
        parts.append(Text("No turns yet.", style="dim"))
    return Group(*parts)


def scorecards_compared(cards: list[Scorecard]) -> Table:
    """Every scoring of one session in columns, so disagreements between judges show.

    The last column is the spread (highest minus lowest) of each dimension's scores.
    """
    table = Table(title="All scorecards", title_justify="left", show_lines=False)
    table.add_column("", style="bold")
    several = len(cards) > 1
    for index, _ in enumerate(cards, start=1):
        table.add_column(f"#{index}", justify="center")
    if several:
        table.add_column("spread", justify="center")
    meta: list[tuple[str, list[str]]] = [
        ("judge", [c.judge.model for c in cards]),
        ("scored (UTC)", [f"{c.scored_at:%Y-%m-%d %H:%M}" for c in cards]),
        ("prompt", [c.prompt_sha256[:10] for c in cards]),
        ("status", [str(c.status) for c in cards]),
        ("overall", [_score(c.overall) for c in cards]),
        ("hire signal", [c.hire_signal.value if c.hire_signal else EMPTY for c in cards]),
    ]
    for label, values in meta:
        table.add_row(label, *map(Text, values), *([""] if several else []))
    names: dict[str, str] = {}
    for card in cards:
        for dim in card.dimensions:
            names.setdefault(dim.dimension, dim.name)
    for dim_id, name in names.items():
        scores = [_dimension_score(card, dim_id) for card in cards]
        known = [s for s in scores if s is not None]
        spread = max(known) - min(known) if len(known) > 1 else None
        cells: list[str | Text] = [EMPTY if s is None else str(s) for s in scores]
        if several:
            style = "bold red" if spread is not None and spread >= 2 else ""
            cells.append(Text(EMPTY if spread is None else str(spread), style=style))
        table.add_row(Text(name), *cells)
    return table


def _dimension_score(card: Scorecard, dimension: str) -> int | None:
    return next((d.score for d in card.dimensions if d.dimension == dimension), None)


def sparkline(trend: Trend) -> str:
    points = trend.points[-SPARK_POINTS:]
    return "".join("·" if p.score is None else SPARKS[p.score] for p in points)


def progress_view(report: Report) -> RenderableType:
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("round")
    table.add_column("dimension")
    table.add_column("scores, oldest → newest", no_wrap=True)
    table.add_column("last", justify="right")
    table.add_column("recent", justify="right")
    table.add_column("change", justify="right")
    for trend in report.trends:
        scores = trend.scores
        change = trend.change
        table.add_row(
            Text(trend.round),
            Text(trend.name),
            sparkline(trend),
            str(scores[-1]) if scores else EMPTY,
            _score(trend.recent),
            Text(
                EMPTY if change is None else f"{change:+.2f}",
                style="green" if change and change > 0 else "red" if change and change < 0 else "",
            ),
        )
    parts: list[RenderableType] = [
        Text(f"Progress over {report.sessions} scored sessions", style="bold"),
        table,
    ]
    if report.weakest:
        parts.append(Text("\nWeakest dimensions (recent average)", style="bold yellow"))
        parts += [
            Text(f"  {n}. {tr.name} ({tr.round}): {_score(tr.recent)}")
            for n, tr in enumerate(report.weakest, start=1)
        ]
    if report.delivery:
        parts += [Text("\nDelivery (spoken sessions, oldest → newest)", style="bold"),
                  delivery_trend(report)]  # fmt: skip
    if report.practice:
        parts.append(Text("\nWhat to practise next", style="bold cyan"))
        parts += [Text(f"  • {a.text} ({a.round}, {a.session})") for a in report.practice]
    return Group(*parts)


SIGNAL_STYLE = {
    "strong-no": "bold red",
    "no": "red",
    "lean-no": "yellow",
    "lean-yes": "cyan",
    "yes": "green",
    "strong-yes": "bold green",
}


def delivery_text(t: Transcript) -> RenderableType | None:
    """The delivery line shown under the scorecard."""
    spoken = delivery_summary(t)
    if spoken is None:
        return None
    return Text.assemble(("Delivery ", "bold"), spoken.line(), ("  (/delivery per answer)", "dim"))


def scorecard_table(card: Scorecard) -> RenderableType:
    if card.status == "failed":
        # Plain text, not a panel: a panel's edge cut the reason off where it was longest.
        return Text.assemble(
            ("Scorecard: scoring failed", "bold red"), "\n", (card.failure_reason or "", "red")
        )
    table = Table(title="Scorecard", show_lines=True, expand=True)
    table.add_column(DIMENSION, style="bold", ratio=2)
    table.add_column(SCORE, justify="center", ratio=1)
    table.add_column(EVIDENCE, ratio=4)
    table.add_column(WHY, ratio=4)
    for dim in card.dimensions:
        style = "dim italic" if dim.score is None else "bold" if dim.verified else "yellow"
        score = Text(dimension_score(dim), style=style)
        why = Text(dim.rationale)
        for flag in dim.flags:
            why.append(f"\n⚠ {flag}", style="yellow")
        evidence = Text("\n".join(evidence_quotes(dim)) or EMPTY)  # data, never markup
        table.add_row(Text(dim.name), score, evidence, why)
    signal = signal_text(card)
    summary = Text.assemble(
        ("Overall ", "bold"),
        (number(card.overall), "bold"),
        ("   Hire signal ", "bold"),
        (signal, SIGNAL_STYLE.get(signal, "")),
    )
    parts: list[RenderableType] = [table, summary, Text(judge_line(card), style="dim")]
    if card.hire_rationale:
        parts.append(Text(card.hire_rationale, style="italic"))
    for (title, items), style in zip(lists(card), ("green", "yellow", "cyan"), strict=True):
        parts.append(Text(f"\n{title}", style=f"bold {style}"))
        parts += [Text(f"  • {item}") for item in items]
    if card.points:
        parts.append(Text(f"\n{POINTS}", style="bold magenta"))
        for hit, point, quote in points_lines(card):
            line = Text(f"  {'✓' if hit else '✗'} {point}", style="" if hit else "dim")
            if quote:
                line.append(f"\n      you said: “{quote}”", style="italic")
            parts.append(line)
    return Group(*parts)


def debrief_view(spec: Loop, result: Debrief) -> RenderableType:
    """A loop's debrief: each round's score and signal, the weighted overall, the track's
    top failure mode (what was checked, and whether it showed up) and the loop's signal."""
    table = Table(title=f"Debrief: {spec.title}", title_justify="left")
    table.add_column("round", style="bold")
    table.add_column("weight", justify="right")
    table.add_column("overall", justify="right")
    table.add_column("signal")
    for row in result.rounds:
        name = row.round + (" (signature)" if row.signature else "")
        signal = row.hire_signal.value if row.hire_signal else (row.note or EMPTY)
        style = SIGNAL_STYLE.get(signal, "") if row.hire_signal else ""
        table.add_row(
            name, f"{row.weight:g}", number(row.overall, ".2f"), Text(signal, style=style)
        )
    flag = Text("showed up", style="red") if result.failure_mode_flagged else None
    parts: list[RenderableType] = [
        table,
        Text.assemble("Weighted overall: ", (number(result.weighted_overall, ".2f"), "bold")),
        Text(f"Top failure mode for this track: {result.failure_mode}"),
        Text(f"  checked: {spec.failure_mode_check}", style="dim"),
        Text.assemble("  → ", flag or Text("not seen", style="green")),
    ]
    parts += [Text(f"    • {line}") for line in result.failure_evidence]
    parts += [Text(f"    • not measured: {line}") for line in result.failure_not_measured]
    signal = result.hire_signal.value if result.hire_signal else EMPTY
    parts.append(
        Text.assemble(
            "Loop hire signal: ",
            (signal, SIGNAL_STYLE.get(signal, "bold")),
            f" ({result.rationale})",
        )
    )
    return Group(*parts)


def delivery_trend(report: Report) -> Table:
    """Pace, fillers and pauses per spoken session: observed figures only."""
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for name, justify in (("session", "left"), ("round", "left"), ("answers", "right"),
                          ("words/min", "right"), ("fillers/min", "right"),
                          ("long pauses", "right"), ("structure", "right")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for spoken in report.delivery:
        s = spoken.summary
        table.add_row(
            f"{spoken.when:%Y-%m-%d} {spoken.session}",
            spoken.round,
            str(s.answers),
            EMPTY if s.words_per_minute is None else f"{s.words_per_minute:.0f}",
            EMPTY if s.fillers_per_minute is None else f"{s.fillers_per_minute:.1f}",
            EMPTY if s.long_pauses is None else str(s.long_pauses),
            f"{s.structured}/{s.timed}" if s.timed else EMPTY,
        )
    return table
