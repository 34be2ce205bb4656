"""What the session reads and decides, as plain values: the answer in hand, the clock, who
speaks, and the step taken next. Kept apart from ``session`` so the state machine's module
holds only its decisions; ``session`` re-exports them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from interviewer.formats.rounds import Topic
from interviewer.formats.transcript import Phase
from interviewer.interview.answer_kinds import AnswerKind


@dataclass(frozen=True)
class Step:
    """What the interviewer does next: the directive a model writes from, the scripted line."""

    phase: Phase
    topic: Topic | None
    move: str
    directive: str
    say: str
    probes: tuple[str, ...] = ()
    final: bool = False


@dataclass(frozen=True)
class Speaker:
    """Who the interviewer is in this session, and how they greet."""

    name: str
    title: str
    greeting: str


@dataclass(frozen=True)
class Answer:
    """The candidate's latest answer, as the session reads it."""

    text: str
    kind: AnswerKind
    check: str | None = None  # passed, failed or not-run, when a code check was recorded

    @property
    def code_passed(self) -> bool:
        return self.check == "passed"


@dataclass(frozen=True)
class Clock:
    elapsed: timedelta
    budget: timedelta
    candidate_turns: int
    max_candidate_turns: int

    @property
    def remaining(self) -> timedelta:
        return max(self.budget - self.elapsed, timedelta(0))

    def describe(self) -> str:
        minutes, seconds = divmod(int(self.elapsed.total_seconds()), 60)
        left = int(self.remaining.total_seconds()) // 60
        return (
            f"{minutes}:{seconds:02d} elapsed of {int(self.budget.total_seconds()) // 60} min "
            f"({left} min left); answer {self.candidate_turns} of at most {self.max_candidate_turns}"
        )
