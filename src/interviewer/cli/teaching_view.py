"""How the teaching loop reads on screen: a choice and why, a plan, unscored feedback, and
an attempt beside its re-attempt.

Every piece of outside text (a point from a round file, the candidate's own words, a
scenario's title) goes through ``clean`` into a ``Text``: data, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interviewer.formats.rounds import Round
from interviewer.formats.transcript import PointHit
from interviewer.interview.start import Interview
from interviewer.review.wording import POINTS
from interviewer.teaching.choose import dimension_name
from interviewer.teaching.feedback import Attempt, scripted_points
from interviewer.teaching.planner import Planned
from interviewer.terminal.safe_text import clean

UNSCORED = "unscored: matched to your own sentences by their words; no judge read them"
MAX_WORDS_SHOWN = 400
"""Characters of an answer shown in the side-by-side view; the transcript keeps it all."""
STATE_MARK = {"done": "✓ done", "missed": "✗ missed", "today": "→ today", "ahead": "· ahead"}


def reasons(title: str, lines: Sequence[str]) -> RenderableType:
    """A choice on one line, then why, one reason a line."""
    parts: list[RenderableType] = [Text(clean(title), style="bold")]
    parts += [_item("·", Text(clean(line))) for line in lines]
    return Group(*parts)


def points_view(points: Sequence[PointHit], *, judged: bool) -> RenderableType:
    """What a strong answer covered, each point hit (with the candidate's words) or missed;
    marked unscored when no judge read the answers."""
    made = sum(1 for p in points if p.quote)
    title = Text.assemble(("\n" + POINTS, "bold magenta"))
    if not judged:
        title.append(f" ({UNSCORED})", style="dim")
    parts: list[RenderableType] = [title]
    for hit in points:
        line = Text(clean(hit.point), style="" if hit.quote else "dim")
        if hit.quote:
            line.append(f"\n  you said: “{clean(hit.quote)}”", style="italic")
        parts.append(_item("✓" if hit.quote else "✗", line))
    parts.append(Text(f"You made {made} of {len(points)} points.", style="bold"))
    return Group(*parts)


def scripted_feedback(interview: Interview) -> RenderableType | None:
    """After a scripted round: what a strong answer covered, which points the candidate
    made (quoting their sentences) and which not, marked unscored; then how to re-drill.
    None when the scenario has no reference points, or when nothing was answered: the
    strong answer is shown after an attempt, never in place of one."""
    if not interview.transcript.candidate_turns():
        return None
    points = scripted_points(interview.round.item, interview.transcript)
    if not points:
        return None
    again = f"Re-drill a weak spot: interviewer drill {interview.transcript.id}"
    return Group(points_view(points, judged=False), Text(again))


def side_by_side(round_: Round, dimension: str, before: Attempt, after: Attempt) -> Table:
    """The attempt and the re-attempt on one dimension, in two columns."""
    name = dimension_name(round_, dimension)
    table = Table(title=clean(f"{name}: attempt and re-attempt"), show_lines=True)
    table.add_column("")
    table.add_column("attempt", overflow="fold")
    table.add_column("re-attempt", overflow="fold")
    rows: list[tuple[str, Callable[[Attempt], str]]] = [
        ("session", _session),
        ("scenario", _scenario),
        ("areas", _areas),
        ("score", _score),
        ("points made", _points),
        ("your words", _words),
    ]
    for label, cell in rows:
        table.add_row(label, Text(clean(cell(before))), Text(clean(cell(after))))
    return table


def _session(a: Attempt) -> str:
    return f"{a.session} · {a.when:%Y-%m-%d %H:%M}"


def _scenario(a: Attempt) -> str:
    return a.scenario


def _areas(a: Attempt) -> str:
    return ", ".join(a.areas) or "(not reached)"


def _score(a: Attempt) -> str:
    if not a.judged:
        return "unscored (no judge)"
    return "not enough evidence" if a.score is None else f"{a.score}/5"


def _points(a: Attempt) -> str:
    made = sum(1 for p in a.points if p.quote)
    return f"{made} of {len(a.points)}" + ("" if a.judged else " (word match, unscored)")


def _words(a: Attempt) -> str:
    text = "\n\n".join(a.words) or "(no answer in these areas)"
    return text if len(text) <= MAX_WORDS_SHOWN else text[:MAX_WORDS_SHOWN] + "…"


def plan_view(rows: Sequence[Planned], rounds: dict[str, Round], title: str) -> Table:
    """The plan, a row a session, beside what was done."""
    table = Table(title=clean(title))
    for column in ("day", "session", "focus", "why", "done"):
        table.add_column(column, overflow="fold")
    for row in rows:
        round_ = rounds.get(row.item.round or "")
        what = round_.title if round_ else row.item.round or "your weakest dimension"
        focus = ", ".join(dimension_name(round_, d) for d in row.item.focus) if round_ else ""
        done = STATE_MARK[row.state] + (f" {row.session}" if row.session else "")
        cells = (f"{row.day:%a %Y-%m-%d}", what, focus, row.item.why, done)
        table.add_row(*(Text(clean(c)) for c in cells))
    return table


def _item(mark: str, text: Text) -> RenderableType:
    """A list item indented two, its wrapped lines hanging under its text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text)
    return Padding(grid, (0, 0, 0, 2))
