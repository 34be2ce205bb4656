"""What a saved session says beyond its fields, written once for both ways it is read.

A transcript is read either as its pydantic models (``transcript``) or, when ``show`` and
``export`` meet a file pydantic verified before, as light records built without pydantic
(``light``). The enums its fields hold, the candidate's clock and the few properties the
views ask of a record (the latest scorecard, an unstable score, a grader's values) live
here, free of pydantic, and both kinds of record inherit them: a rule is never written
twice. ``light.shape_of`` refuses a model that grows a method outside its mixin here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar


class HireSignal(StrEnum):
    strong_no = "strong-no"
    no = "no"
    lean_no = "lean-no"
    lean_yes = "lean-yes"
    yes = "yes"
    strong_yes = "strong-yes"


class Role(StrEnum):
    interviewer = "interviewer"
    candidate = "candidate"
    system = "system"  # notes the session records, e.g. a code run result


class Phase(StrEnum):
    opening = "opening"
    question = "question"
    followup = "followup"
    wrap_up = "wrap-up"
    candidate_questions = "candidate-questions"
    closing = "closing"


class Status(StrEnum):
    in_progress = "in-progress"
    interrupted = "interrupted"
    complete = "complete"


BREAK = timedelta(minutes=30)
"""A gap between turns longer than this is a break, not interview time."""


class Timed(Protocol):
    """What the clock reads of a turn (``transcript.Turn`` and its light record)."""

    @property
    def role(self) -> Role: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime: ...


class Judged(Protocol):
    """What ``usable_card`` reads of a scorecard."""

    @property
    def status(self) -> str: ...


CardT = TypeVar("CardT", bound=Judged)
TurnT = TypeVar("TurnT", bound=Timed)


class TranscriptReading(Generic[CardT, TurnT]):
    """A transcript's derived views: its latest scorecard, its candidate turns, its length.
    Generic in the scorecard and turn types, which are the models' (``transcript``
    subscripts it) and imported by nothing here."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields, declared where they are made (pydantic reads no hint here)
        scorecards: list[CardT]
        turns: list[TurnT]

    @property
    def scorecard(self) -> CardT | None:
        return self.scorecards[-1] if self.scorecards else None

    def candidate_turns(self) -> list[TurnT]:
        return [t for t in self.turns if t.role is Role.candidate]

    def duration(self) -> timedelta:
        """How long the session took, all turns included, leaving out breaks of over 30
        minutes (a pause before a resume). The interview's own clock, which does not count
        the model's writing time, is ``elapsed``."""
        return time_spent(self.turns, every_turn=True)


class ScoredDimensionReading:
    """A scored dimension's verdict on its own samples."""

    __slots__ = ()
    if TYPE_CHECKING:
        spread: int | None

    @property
    def unstable(self) -> bool:
        """Samples that disagree by two points or more: the score is not to be leaned on."""
        return self.spread is not None and self.spread >= 2


class HumanGradeReading:
    """A person's grading, as the views compare it with the judge's."""

    __slots__ = ()
    if TYPE_CHECKING:
        scores: dict[str, Any]

    def values(self) -> dict[str, int | None]:
        """Each graded dimension's score (None: not enough evidence)."""
        return {dimension: graded.score for dimension, graded in self.scores.items()}


def usable_card(t: TranscriptReading[CardT, Any]) -> CardT | None:
    """The latest scorecard that scored; a failed re-score does not erase a good one."""
    return next((c for c in reversed(t.scorecards) if c.status == "scored"), None)


def elapsed(turns: Sequence[Timed], now: datetime | None = None) -> timedelta:
    """The candidate's clock: the gaps between turns (thinking and typing) and the
    candidate's own turns, but not the time a model spent writing the interviewer's words
    or the software spent running code, and no gap over 30 minutes (a break, a resume)."""
    return time_spent(turns, now)


def time_spent(
    turns: Sequence[Timed], now: datetime | None = None, *, every_turn: bool = False
) -> timedelta:
    """Gaps between turns under 30 minutes, plus the candidate's turns (or, with
    ``every_turn``, every turn), plus the gap from the last turn to ``now``."""
    total = timedelta(0)
    previous_end: datetime | None = None
    for turn in turns:
        if previous_end is not None and timedelta(0) < turn.started_at - previous_end < BREAK:
            total += turn.started_at - previous_end
        if every_turn or turn.role is Role.candidate:
            total += turn.ended_at - turn.started_at
        previous_end = turn.ended_at
    if now is not None and previous_end is not None and timedelta(0) < now - previous_end < BREAK:
        total += now - previous_end
    return total
