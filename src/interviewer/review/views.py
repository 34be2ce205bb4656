"""Rich renderables for reviewing saved sessions: the list, a session, judges side by side,
progress. The single-scorecard table lives in ``render`` and the list's in ``listing``.

Everything a person or a model wrote goes into ``Text`` objects, never through console
markup, so a candidate who typed ``[bold]`` sees their own brackets back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from interviewer.formats.delivery import describe
from interviewer.formats.readings import Role
from interviewer.grading.quotes import highlight_spans
from interviewer.review.figures import score
from interviewer.review.listing import sessions_table as sessions_table  # re-exported
from interviewer.review.long_text import EVIDENCE_STYLE, LONG_TEXT, LongText
from interviewer.review.scenario import Scenario
from interviewer.review.wording import (
    DIMENSION,
    DRAFT,
    EMPTY,
    EVIDENCE,
    POINTS,
    SCORE,
    WHY,
    delivery_summary,
    dimension_score,
    draft_note,
    evidence_quotes,
    judge_line,
    lists,
    points_lines,
    signal_text,
    speaker,
)
from interviewer.terminal.safe_text import clean, plain

if TYPE_CHECKING:  # the loop's debrief only: ``show`` need not import the loop machinery
    from interviewer.formats.loops import Loop
    from interviewer.formats.transcript import Scorecard, Transcript
    from interviewer.interview.loops import Debrief

SPEAKER_STYLE = {Role.interviewer: "bold cyan", Role.candidate: "bold green", Role.system: "dim"}


def session_header(t: Transcript, minutes: str) -> RenderableType:
    title = Text.assemble((t.round_title, "bold"), f" · session {t.id}")
    lines = [
        f"{t.created_at:%Y-%m-%d %H:%M} UTC · {t.status.value} · {minutes} · level {t.level.value}"
        f" · persona {t.persona} · scenario {t.opening}",
        f"interviewer {t.interviewer.model} · judge {t.judge.model}",
    ]
    return Group(title, *(Text(line, style="dim") for line in lines))


def scenario_view(scenario: Scenario) -> RenderableType:
    """The scenario framed as the candidate saw it when the session began (as
    ``Terminal.scenario`` draws it), so "The scenario is above" has something above it."""
    head: RenderableType
    if scenario.text is None:
        head = Text.assemble(("Scenario ", "bold"), plain(scenario.title))
    else:
        title = plain(scenario.title, style="bold")
        head = Panel(plain(scenario.text), title=title, title_align="left", expand=False)
    return Group(head, Text(scenario.note, style="dim")) if scenario.note else head


def candidate_text(text: str, quotes: list[str]) -> RenderableType:
    """The answer with the judge's quoted evidence underlined where it was found."""
    if len(text) > LONG_TEXT:
        return LongText(text, tuple(highlight_spans(quotes, text)))
    # Cleaned before rich measures it: rich drops a BEL itself, and an OSC title
    # sequence left without its end then swallowed the words after it.
    text = clean(text)
    spans = highlight_spans(quotes, text)
    rendered = Text(text)
    for start, end in spans:
        rendered.stylize(EVIDENCE_STYLE, start, end)
    return rendered


def conversation(t: Transcript, quotes: list[str]) -> RenderableType:
    parts: list[RenderableType] = [Text("Conversation", style="bold")]
    for turn in t.turns:
        label = Text(speaker(turn.role), style=SPEAKER_STYLE[turn.role])
        body: RenderableType
        if turn.role is Role.candidate:
            # ``isspace`` stops at the first letter; ``strip`` copied a 50 MB answer.
            blank = not turn.text or turn.text.isspace()
            body = Text("(no answer)") if blank else candidate_text(turn.text, quotes)
        elif len(turn.text) > LONG_TEXT:
            body = LongText(turn.text)
        else:
            body = plain(turn.text)
        if not isinstance(body, LongText):  # which indents itself
            body = Padding(body, (0, 0, 0, 2), expand=False)
        parts += [label, body]
        if turn.delivery is not None:  # a spoken answer: how it was delivered
            parts.append(Padding(Text(describe(turn.delivery), style="dim"), (0, 0, 0, 2)))
        parts.append(Text(""))
    if not t.turns:
        parts.append(Text("No turns yet.", style="dim"))
    if t.draft:
        parts += draft_view(t.draft, draft_note(t))
    return Group(*parts)


def print_view(console: Console, view: RenderableType) -> None:
    """Print ``view``, a group's parts one by one, a huge text a chunk at a time: printed
    whole, a 50 MB answer sat in rich's buffer and again in the string it writes. Rows
    are wrapped here, between words, and nothing is cropped (see ``show``)."""
    if isinstance(view, Group):
        for part in view.renderables:
            print_view(console, part)
    elif isinstance(view, LongText):
        view.print_to(console)
    else:
        console.print(view, soft_wrap=False, crop=False)


def draft_view(draft: str, note: str) -> list[RenderableType]:
    """The answer a stop left unsent, after the last turn and marked so: it is not part of
    the conversation. Shown as any answer is (cleaned, never markup), without the judge's
    highlights, since the judge never read it."""
    body = candidate_text(draft, [])
    if not isinstance(body, LongText):  # which indents itself
        body = Padding(body, (0, 0, 0, 2), expand=False)
    why = Padding(Text(note, style="dim"), (0, 0, 0, 2))
    return [Text(DRAFT, style="bold yellow"), body, why, Text("")]


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
        ("overall", [score(c.overall) for c in cards]),
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
    table = Table(title="Scorecard", title_justify="left", show_lines=True, expand=True)
    table.add_column(DIMENSION, style="bold", ratio=2)
    # At least as wide as "evidence", so "not enough evidence" wraps whole: its 1 share in
    # 11 was five columns at 80, and cut it to "not / enou… / evid…".
    table.add_column(SCORE, justify="center", ratio=1, width=len("evidence"))
    table.add_column(EVIDENCE, ratio=4)
    table.add_column(WHY, ratio=4)
    for dim in card.dimensions:
        style = "dim italic" if dim.score is None else "bold" if dim.verified else "yellow"
        mark = Text(dimension_score(dim), style=style)
        why = Text(dim.rationale)
        for flag in dim.flags:
            why.append(f"\n⚠ {flag}", style="yellow")
        evidence = Text("\n".join(evidence_quotes(dim)) or EMPTY)  # data, never markup
        table.add_row(Text(dim.name), mark, evidence, why)
    signal = signal_text(card)
    summary = Text.assemble(
        ("Overall ", "bold"),
        (score(card.overall), "bold"),
        ("   Hire signal ", "bold"),
        (signal, SIGNAL_STYLE.get(signal, "")),
        no_wrap=False,
        overflow="fold",
    )
    parts: list[RenderableType] = [table, summary, _wrapping(judge_line(card), "dim")]
    if card.hire_rationale:
        parts.append(_wrapping(card.hire_rationale, "italic"))
    for (title, items), style in zip(lists(card), ("green", "yellow", "cyan"), strict=True):
        parts.append(Text(f"\n{title}", style=f"bold {style}"))
        parts += [_item("•", Text(item)) for item in items]
    if card.points:
        parts.append(Text(f"\n{POINTS}", style="bold magenta"))
        for hit, point, quote in points_lines(card):
            line = Text(point, style="" if hit else "dim")
            if quote:
                line.append(f"\n  you said: “{quote}”", style="italic")
            parts.append(_item("✓" if hit else "✗", line))
    return Group(*parts)


def _wrapping(text: str, style: str = "") -> Text:
    """Text wrapped between words at the window's width, even when printed with
    ``soft_wrap`` (as practice prints the scorecard), which sets no_wrap and overflow
    "ignore": left to the terminal, a long line was cut mid-word ("doll / ar loss")."""
    return Text(text, style=style, no_wrap=False, overflow="fold")


def _item(mark: str, text: Text) -> RenderableType:
    """A list item indented two, its wrapped lines hanging under its text, not its mark.
    A grid wraps its cells between words whether or not the print soft-wraps."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text)
    return Padding(grid, (0, 0, 0, 2))


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
        table.add_row(name, f"{row.weight:g}", score(row.overall), Text(signal, style=style))
    flag = Text("showed up", style="red") if result.failure_mode_flagged else None
    parts: list[RenderableType] = [
        table,
        Text.assemble("Weighted overall: ", (score(result.weighted_overall), "bold")),
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
