"""The transcript: every turn of a session and its scorecards, as pydantic models.

Saved as JSON after every turn (``store``). Its ``version`` comes first; older files are
upgraded on load, in one place (``store.transcript_file.migrate``). Every model forbids
unknown fields, like every format here. Its enums, the candidate's clock and what the
views derive from a record are in ``readings`` (free of pydantic), re-exported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from interviewer.formats.base import Record
from interviewer.formats.human import HumanGrade
from interviewer.formats.levels import Level
from interviewer.formats.readings import BREAK as BREAK
from interviewer.formats.readings import HireSignal as HireSignal
from interviewer.formats.readings import Phase as Phase
from interviewer.formats.readings import Role as Role
from interviewer.formats.readings import ScoredDimensionReading, TranscriptReading
from interviewer.formats.readings import Status as Status
from interviewer.formats.readings import elapsed as elapsed
from interviewer.formats.readings import time_spent as time_spent
from interviewer.formats.readings import usable_card as usable_card

# ------------------------------------------------------------------- judge's reply


class Usage(Record):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None

    def __add__(self, other: Usage) -> Usage:
        cost = None
        if self.cost_usd is not None or other.cost_usd is not None:
            cost = (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=cost,
        )


class Moment(Record):
    """When something in a spoken answer happened: a filler, or a long pause."""

    at: float = Field(ge=0, description="seconds from the start of the recording")
    what: str = Field(description="the filler said, or 'pause'")
    seconds: float | None = Field(default=None, description="a pause's length")


class Delivery(Record):
    """How an answer was spoken, measured from its audio (issue 13). Only observed figures:
    a figure the audio cannot show (no word timings from a server) is left out, not guessed."""

    talk_seconds: float = Field(ge=0, description="length of the recorded answer")
    words: int = Field(ge=0)
    words_per_minute: float | None = Field(
        default=None, description="words over the time from the first word to the last"
    )
    fillers: dict[str, int] = Field(
        default_factory=dict, description="filler word or phrase: count"
    )
    long_pauses: int | None = Field(
        default=None, description="silences between words over the limit"
    )
    longest_pause_seconds: float | None = None
    pause_limit_seconds: float = 2.0
    first_structure_seconds: float | None = Field(
        default=None, description="when the answer first announced its structure, if it did"
    )
    transcriber: str = Field(description="what turned the audio into text")
    audio: str | None = Field(default=None, description="the kept recording, beside the transcript")
    moments: list[Moment] = Field(
        default_factory=list, description="when each filler and each long pause happened"
    )
    unsure: list[str] = Field(
        default_factory=list,
        description="words the transcriber was unsure of (the judge is told, as the candidate was)",
    )


class Turn(Record):
    role: Role
    text: str
    started_at: datetime
    ended_at: datetime
    phase: Phase | None = None
    topic: str | None = None
    latency_ms: float | None = Field(default=None, description="time to the first streamed token")
    usage: Usage | None = None
    move: str | None = Field(
        default=None,
        description="the session's move for an interviewer turn (probe, clarify, twist, ...)",
    )
    probes: list[str] = Field(
        default_factory=list, description="the probes offered for this turn, as their ask lines"
    )
    kind: str | None = Field(default=None, description="how a candidate answer was read")
    cut: str | None = Field(
        default=None, description="what was cut from the model's reply, and why"
    )
    delivery: Delivery | None = Field(default=None, description="spoken answers only")


class ModelInfo(Record):
    model: str
    api_base: str | None = None


class SourceFile(Record):
    """A file the session used, recorded by name and hash, never by content."""

    kind: str
    name: str
    sha256: str
    path: str | None = Field(default=None, description="where it was read from, for resume")


class ScoredDimension(ScoredDimensionReading, Record):
    dimension: str
    name: str
    score: int | None
    evidence: list[str]
    rationale: str
    flags: list[str] = Field(default_factory=list)
    verified: bool = Field(
        default=True, description="False when the score has no verified quote: not in the overall"
    )
    samples: list[int | None] = Field(
        default_factory=list, description="each sample's score, with --judge-samples"
    )
    spread: int | None = Field(default=None, description="highest minus lowest sample score")


class PointHit(Record):
    """One of the opening's reference points, and the candidate's own words that hit it."""

    point: str
    quote: str | None = None


class FailedSample(Record):
    """A sample of ``--judge-samples`` that gave no reading, and why: named, never dropped."""

    number: int
    reason: str


class Scorecard(Record):
    """One judging of a transcript; a transcript keeps every scorecard it was given."""

    status: Literal["scored", "failed"]
    failure_reason: str | None = None
    judge: ModelInfo
    scored_at: datetime
    prompt_sha256: str = Field(description="hash of the grading prompt template used")
    grading_prompt: str = Field(default="", description="the rendered system prompt, for audits")
    attempts: int
    structured_mode: str | None = None
    dimensions: list[ScoredDimension] = Field(default_factory=list)
    overall: float | None = None
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    hire_signal: HireSignal | None = None
    hire_rationale: str | None = None
    hire_bar: float | None = Field(
        default=None, description="the round's bar at this level, which the signal is computed from"
    )
    practice: list[str] = Field(default_factory=list)
    points: list[PointHit] = Field(
        default_factory=list, description="the opening's reference points, hit or missed"
    )
    samples: int = Field(
        default=1, description="how many samples gave a reading (the median of them kept)"
    )
    failed_samples: list[FailedSample] = Field(
        default_factory=list, description="the samples that gave no reading, with why"
    )
    calibration: str | None = Field(
        default=None, description="this judge's last calibration, e.g. kappa 0.71 on gold v1"
    )
    raw_replies: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)


class Drill(Record):
    """What a re-drill session is for: one dimension of an earlier session, asked again on
    one area of another scenario (``interviewer drill``)."""

    of: str = Field(description="the session whose weak spot this drills")
    dimension: str = Field(description="the dimension drilled, scored on its own")
    area: str = Field(description="the one area (topic) the drill runs")


CURRENT_TRANSCRIPT_VERSION: Literal[6] = 6


class Transcript(Record, TranscriptReading[Scorecard, Turn]):
    version: Literal[6] = CURRENT_TRANSCRIPT_VERSION
    id: str
    created_at: datetime
    updated_at: datetime
    status: Status
    round: str
    round_title: str
    persona: str
    level: Level
    opening: str
    interviewer: ModelInfo
    judge: ModelInfo
    temperature: float
    sources: list[SourceFile]
    loop: str | None = None
    track: str | None = None
    drill: Drill | None = Field(default=None, description="set when the session is a re-drill")
    plan: list[str] = Field(default_factory=list, description="the topics planned, in order")
    probed: list[str] = Field(
        default_factory=list, description="dimensions whose areas the interviewer reached"
    )
    turns: list[Turn] = Field(default_factory=list)
    draft: str | None = Field(
        default=None,
        description="an answer typed but not sent when the session stopped (Ctrl-C): not a "
        "turn, so no model reads it and no judge scores it; resume puts it back to finish",
    )
    usage: Usage = Field(default_factory=Usage)
    scorecards: list[Scorecard] = Field(default_factory=list)
    human_grades: list[HumanGrade] = Field(
        default_factory=list,
        description="a person's gradings (interviewer grade, grades import), every one kept",
    )


class JournalLine(Record):
    """One line of a live session's ``<id>.journal``: a turn as it was recorded, and the
    session's fields that change as turns are recorded (``store.journal``)."""

    at: int = Field(description="the turn's place in the session's turns, from 0")
    turn: Turn
    updated_at: datetime
    draft: str | None = None
    usage: Usage = Field(default_factory=Usage)
    probed: list[str] = Field(default_factory=list)
