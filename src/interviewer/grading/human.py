"""A person's grades beside the judge's: what to grade, each grader's latest word, merging.

For calibrating a judge against a person (issue 20), ``human_graded`` gives the user's
human-graded sessions as (transcript, grade) pairs; ``grade.values()`` is the person's
score per dimension (None: "not enough evidence"), to set beside the judge's own. This
floor cannot read the store, so the caller hands the transcripts in::

    from interviewer.grading.human import human_graded
    from interviewer.store.every import every_transcript
    from interviewer.store.transcripts import Store

    for transcript, grade in human_graded(every_transcript(Store(folder), warn)):
        ...  # grade.grader, grade.values(), transcript.round, transcript.scorecards

Each grader counts once per session, with their latest grading: re-grading replaces an
earlier word, as a re-score does, while every grading stays in the transcript for audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from interviewer.catalog.library import Catalog
from interviewer.errors import NotFoundError, UserError
from interviewer.formats.human import GradeRecord, HumanGrade
from interviewer.formats.transcript import Transcript


@dataclass(frozen=True)
class GradedDimension:
    """A dimension as a person grades it: what it is, what each score looks like (the
    round's anchors, 1 to 5) and the bar at the session's level."""

    id: str
    name: str
    description: str = ""
    anchors: dict[int, str] = field(default_factory=dict)
    bar: str = ""


@dataclass(frozen=True)
class Rubric:
    """The dimensions a session is graded on, the round file's hash, and, when the round
    file could not be read, why (the dimensions then come from the session's scorecards,
    without anchors)."""

    dimensions: tuple[GradedDimension, ...]
    sha256: str | None = None
    missing: str | None = None

    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]


def rubric_of(t: Transcript, catalog: Catalog) -> Rubric:
    """The dimensions of the session's round, with their anchors, from its round file.

    A round file that is gone or broken does not make a session ungradeable: the
    dimensions its scorecards name are graded instead, without anchors, and ``missing``
    says why. With neither, there is nothing to grade against, and that is an error.
    """
    try:
        entry = catalog.round(t.round)
    except UserError as exc:
        seen: dict[str, str] = {}
        for card in t.scorecards:
            for dim in card.dimensions:
                seen.setdefault(dim.dimension, dim.name)
        if not seen:
            raise NotFoundError(
                f"session {t.id}: {exc.message}, and it has no scorecard naming its dimensions",
                hint="name the folder of your own rounds with --user-dir",
            ) from None
        found = tuple(GradedDimension(d, name) for d, name in seen.items())
        return Rubric(found, missing=exc.message)
    dims = tuple(
        GradedDimension(
            d.id, d.name, d.description, d.anchors.by_score(), d.levels.for_level(t.level)
        )
        for d in entry.item.dimensions
    )
    return Rubric(dims, sha256=entry.sha256)


def latest(grades: Iterable[HumanGrade]) -> list[HumanGrade]:
    """Each grader's latest grading (the last one given on a tie), graders in the order
    they first graded."""
    found: dict[str, HumanGrade] = {}
    for grade in grades:
        if grade.grader not in found or grade.at >= found[grade.grader].at:
            found[grade.grader] = grade
    return list(found.values())


Change = Literal["added", "updated", "unchanged"]


def merge(t: Transcript, grade: HumanGrade) -> Change:
    """Put ``grade`` into the transcript. A grading is known by its grader and time: the
    same one again changes nothing (so importing a file twice is harmless), the same
    grader and time with other scores replaces it (the file was edited since), anything
    else is added."""
    for index, kept in enumerate(t.human_grades):
        if kept.grader == grade.grader and kept.at == grade.at:
            if kept == grade:
                return "unchanged"
            t.human_grades[index] = grade
            return "updated"
    t.human_grades.append(grade)
    return "added"


def records(t: Transcript, grader: str | None = None) -> list[GradeRecord]:
    """The session's lines of a grades file: one per grader, their latest grading."""
    return [
        GradeRecord.of(t.id, t.round, grade)
        for grade in latest(t.human_grades)
        if grader is None or grade.grader == grader
    ]


def human_graded(
    transcripts: Iterable[Transcript], grader: str | None = None
) -> Iterator[tuple[Transcript, HumanGrade]]:
    """The sessions a person graded, as (transcript, grade) pairs: one pair per session
    and grader (their latest grading), or only ``grader``'s when one is named. Sessions
    nobody graded are passed over; the transcripts are read one at a time, as given."""
    for t in transcripts:
        for grade in latest(t.human_grades):
            if grader is None or grade.grader == grader:
                yield t, grade
