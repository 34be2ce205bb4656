"""Rich renderables for reviewing saved sessions: the list, a session, judges side by side,
progress. The single-scorecard table lives in ``render`` and the list's in ``listing``.

Everything a person or a model wrote goes into ``Text`` objects, never through console
markup, so a candidate who typed ``[bold]`` sees their own brackets back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from interviewer.formats.delivery import describe
from interviewer.formats.rounds import Loop
from interviewer.formats.transcript import Role, Scorecard, Transcript
from interviewer.grading.quotes import highlight_spans
from interviewer.interview.loops import Debrief
from interviewer.review.figures import score
from interviewer.review.listing import sessions_table as sessions_table  # re-exported
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

EVIDENCE_STYLE = "bold underline"
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


LONG_TEXT = 50_000  # characters; longer texts skip rich's word wrapping (see LongText)
# C0 and C1 control characters but newline and tab: never sent to the terminal raw.
CONTROL = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)])
del CONTROL[ord("\n")], CONTROL[ord("\t")]


@dataclass(frozen=True)
class LongText:
    """A huge text (a pasted log or file) drawn line by line in time linear in its size.

    rich wraps a ``Text`` word by word in Python, about 5 s per megabyte here; this wraps
    each line at the last space before the width instead (one ``rfind`` a row, so a word
    is cut only where it is longer than the window), indents it, styles the given spans,
    and strips control characters, so a 50 MB answer is shown in seconds and can still
    not drive the terminal.
    """

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    style: str = EVIDENCE_STYLE
    indent: int = 2

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """Rows already cut to the width, joined into one segment per styled piece: print
        it with ``crop=False`` so rich does not split and measure every row again."""
        rows = _Rows(max(1, options.max_width - self.indent), " " * self.indent)
        marked = console.get_style(self.style)
        for piece, styled in self._pieces():
            first, *rest = piece.split("\n")
            rows.add(first)
            if rest and piece.isascii() and max(map(len, rest)) <= rows.width:
                rows.add_fitting(rest)  # the common case: whole lines, at C speed
            else:
                for line in rest:
                    rows.new_row()
                    rows.add(line)
            if rows.out:
                yield Segment("".join(rows.out), marked if styled else None)
                rows.out = []
        yield Segment.line()

    def _pieces(self) -> Iterator[tuple[str, bool]]:
        position = 0
        for start, end in self.spans:
            yield self.text[position:start].translate(CONTROL), False
            yield self.text[start:end].translate(CONTROL), True
            position = end
        yield self.text[position:].translate(CONTROL), False


class _Rows:
    """Cuts text into indented rows of at most ``width`` cells."""

    def __init__(self, width: int, pad: str) -> None:
        self.width, self.pad = width, pad
        self.out: list[str] = []
        self.column = 0  # cells used on the current row
        self.started = False  # whether the current row's indent is out

    def new_row(self) -> None:
        self.out.append("\n")
        self.column, self.started = 0, False

    def add_fitting(self, lines: list[str]) -> None:
        """New rows, one per line, each known to fit."""
        joint = "\n" + self.pad
        self.out.append(joint + joint.join(lines))
        self.column, self.started = len(lines[-1]), True

    def add(self, text: str) -> None:
        """Text with no newline, from the current column on, wrapped where the row is
        full: after the row's last space, or, for a word longer than a whole row, inside
        it. A word that does not fit the rest of a row starts the next one."""
        while text:
            room = self.width - self.column
            cut = room if text.isascii() else _cells_cut(text, room, self.column == 0)
            if cut < len(text) and text[cut] != " ":  # the row ends inside a word
                space = text.rfind(" ", 0, cut)
                cut = space + 1 if space >= 0 else 0 if self.column > 0 else cut
            if cut == 0:
                self.new_row()
                continue
            if not self.started:
                self.out.append(self.pad)
                self.started = True
            head, text = text[:cut], text[cut:]
            self.out.append(head)
            self.column += len(head) if head.isascii() else cell_len(head)
            if text:
                self.new_row()
                text = text.lstrip(" ")  # the space the row broke at does not start the next


def _cells_cut(text: str, room: int, row_is_empty: bool) -> int:
    """How many characters of ``text`` fit in ``room`` cells (wide characters take two)."""
    used = cut = 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > room:
            break
        used, cut = used + size, cut + 1
    return cut or (1 if row_is_empty else 0)  # a wide character in a one-cell window


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
            body = candidate_text(turn.text, quotes) if turn.text.strip() else Text("(no answer)")
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
