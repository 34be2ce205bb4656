"""A person's grades: each dimension as ``grade`` walks it, and the grades beside the
judge's for ``show``, a column per grader.

Grader names and notes are a person's words, so they are drawn as cleaned ``Text``,
never console markup: a note of ``[red]`` is shown as written. A person's score two or
more from the judge's is marked, as two judges that far apart are in ``--all-scores``.
"""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interviewer.catalog.library import Catalog
from interviewer.errors import UserError
from interviewer.formats.human import HumanGrade
from interviewer.formats.rounds import Dimension
from interviewer.formats.transcript import ScoredDimension, Transcript, usable_card
from interviewer.grading.human import GradedDimension, latest
from interviewer.review.wording import DIMENSION, EMPTY, dimension_score, score_text
from interviewer.terminal.safe_text import clean

TITLE = "Grades side by side"
FAR_APART = 2
"""Points between a person's score and the judge's from which the person's is marked."""


def grades_compared(t: Transcript, catalog: Catalog | None = None) -> Table | None:
    """The judge's latest usable scorecard and each grader's latest grading, a column
    each, a row per dimension graded by anyone; None when no person has graded the
    session. Rows follow the round's order and names where ``catalog`` has the round."""
    people = latest(t.human_grades)
    if not people:
        return None
    card = usable_card(t)
    judged = {d.dimension: d for d in card.dimensions} if card else {}
    graded = {d for grade in people for d in grade.scores}
    names = {
        d.id: d.name for d in _round_dimensions(t, catalog) if d.id in judged or d.id in graded
    }
    for dim_id, dim in judged.items():
        names.setdefault(dim_id, dim.name)
    for dim_id in graded:
        names.setdefault(dim_id, dim_id)
    table = Table(title=TITLE, title_justify="left", show_lines=True)
    table.add_column(DIMENSION, style="bold")
    judge = Text(f"judge\n{clean(card.judge.model)}" if card else "judge\nnot scored")
    table.add_column(judge, justify="center")
    for grade in people:
        table.add_column(Text(f"{clean(grade.grader)}\n{grade.at:%Y-%m-%d}"), justify="center")
    for dim_id, name in names.items():
        by_judge = judged.get(dim_id)
        cells = [_person(grade, dim_id, by_judge) for grade in people]
        table.add_row(Text(clean(name)), _judge(by_judge), *cells)
    return table


def _round_dimensions(t: Transcript, catalog: Catalog | None) -> list[Dimension]:
    """The round's dimensions, in its order; none when its file is gone or broken."""
    if catalog is None:
        return []
    try:
        return catalog.round(t.round).item.dimensions
    except UserError:
        return []


def _judge(dim: ScoredDimension | None) -> Text:
    return Text(EMPTY if dim is None else dimension_score(dim))


def _person(grade: HumanGrade, dim_id: str, judged: ScoredDimension | None) -> Text:
    graded = grade.scores.get(dim_id)
    if graded is None:
        return Text(EMPTY)
    apart = (
        judged is not None
        and judged.score is not None
        and graded.score is not None
        and abs(judged.score - graded.score) >= FAR_APART
    )
    cell = Text(score_text(graded.score), style="bold red" if apart else "")
    if graded.note:
        cell.append(f"\n{clean(graded.note)}", style="dim")
    return cell


def dimension_card(
    dim: GradedDimension, number: int, total: int, level: str, *, reached: bool = True
) -> Group:
    """One dimension as the grader reads it before scoring: what it is, the bar at the
    session's level, and what each score from 1 to 5 looks like (the round's anchors)."""
    head = Text.assemble(
        (f"[{number}/{total}] ", "dim"), (clean(dim.name), "bold"), (f"  {clean(dim.id)}", "dim")
    )
    parts: list[Text | Padding] = [head]
    if dim.description:
        parts.append(Text(clean(dim.description)))
    if dim.bar:
        parts.append(Text(f"At {level}: {clean(dim.bar)}", style="italic"))
    if dim.anchors:
        anchors = Table.grid(padding=(0, 2, 0, 0))
        anchors.add_column(style="bold", no_wrap=True)
        anchors.add_column()
        for score, anchor in sorted(dim.anchors.items()):
            anchors.add_row(str(score), Text(clean(anchor)))
        parts.append(Padding(anchors, (0, 0, 0, 2)))
    if not reached:
        parts.append(Text("The interview did not reach this dimension's areas.", style="yellow"))
    return Group(*parts)
