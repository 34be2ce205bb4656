"""A person's grades: per dimension, 1 to 5 or "not enough evidence", with a note.

``HumanGrade`` is one grading by one person, kept in the transcript beside the judge's
scorecards (``Transcript.human_grades``, every grading kept, as every scorecard is).
``GradeRecord`` is one line of a grades file (``interviewer grades export``): a grade and
the session it is of, for a coach to fill in and ``grades import`` to read back. Like
every format here, unknown fields are errors, so a misspelt field is named, not ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints, field_validator

from interviewer.formats.base import Record, Slug
from interviewer.formats.readings import HumanGradeReading
from interviewer.formats.text import scalar

Grader = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
"""Who graded: a name as the person gives it ("you", "Ana (mentor)")."""

Level = Annotated[int, Field(ge=1, le=5)]


class HumanScore(Record):
    """One dimension as a person graded it. The score is required: null says "not enough
    evidence" on purpose, where a dimension left out was not graded at all."""

    score: Level | None = Field(description="1 to 5; null: not enough evidence")
    note: str | None = Field(default=None, description="why, in the grader's words")

    @field_validator("note", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """An empty note is no note, so a grade re-imported with "" is the same grade;
        a lone surrogate (a hand-edited file's ``\\ud800``) is made fit to save."""
        if isinstance(value, str):
            return scalar(value).strip() or None
        return value


def _fit(value: Any) -> Any:
    return scalar(value) if isinstance(value, str) else value


Scores = Annotated[dict[Slug, HumanScore], Field(min_length=1)]


class HumanGrade(HumanGradeReading, Record):
    """One person's grading of one session (transcript version 5 on)."""

    grader: Grader
    at: AwareDatetime = Field(description="when it was graded (with its time zone)")
    scores: Scores
    rubric_sha256: str | None = Field(
        default=None, description="the round file whose anchors the grader read"
    )

    _fit_grader = field_validator("grader", mode="before")(_fit)


GRADES_VERSION: Literal[1] = 1


class GradeRecord(Record):
    """One line of a grades file: a person's latest grading of one session."""

    version: Literal[1] = GRADES_VERSION
    session: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    round: Slug
    grader: Grader
    at: AwareDatetime
    scores: Scores
    rubric_sha256: str | None = None

    _fit_grader = field_validator("grader", mode="before")(_fit)

    @classmethod
    def of(cls, session: str, round_id: str, grade: HumanGrade) -> GradeRecord:
        return cls(session=session, round=round_id, **grade.model_dump())

    def grade(self) -> HumanGrade:
        return HumanGrade.model_validate(self.model_dump(exclude={"version", "session", "round"}))
