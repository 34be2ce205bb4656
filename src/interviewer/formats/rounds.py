"""A round (``rubrics/*.toml``): its openings, areas, probes, dimensions, clock and bar.

Read from ``rubrics/`` (and the user's own folder) by ``catalog``. Strings are stripped,
unknown fields are errors, and each file carries a ``version`` so an older one can be
upgraded on load. How a track weighs a round is in ``tracks``; the words of each move and
the personas in ``voices``; loops in ``loops``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from interviewer.formats.base import Slug, Strict, Text
from interviewer.formats.levels import Level

# Loop, Persona and Steps are re-exported (``as``) while ``interview`` and ``review``, being
# edited by others as these moved, still import them from here; new code imports them from
# ``loops`` and ``voices``.
from interviewer.formats.loops import Loop as Loop
from interviewer.formats.tracks import TrackEmphasis, track_words
from interviewer.formats.voices import Persona as Persona
from interviewer.formats.voices import Steps as Steps

# --------------------------------------------------------------------------- rounds


class Anchors(Strict):
    """What a score of 1 to 5 looks like on one dimension, in observable terms."""

    one: Text = Field(alias="1")
    two: Text = Field(alias="2")
    three: Text = Field(alias="3")
    four: Text = Field(alias="4")
    five: Text = Field(alias="5")

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def by_score(self) -> dict[int, str]:
        return {1: self.one, 2: self.two, 3: self.three, 4: self.four, 5: self.five}


class LevelNotes(Strict):
    """How the bar moves with the target level."""

    junior: Text
    senior: Text
    staff: Text

    def for_level(self, level: Level) -> str:
        return str(getattr(self, level.value))


class Dimension(Strict):
    id: Slug
    name: Text
    description: Text
    weight: float = Field(default=1.0, gt=0, le=5)
    anchors: Anchors
    levels: LevelNotes


class LevelTests(Strict):
    """Asserts a check adds from a level up: the same task, a higher bar (vectorised code,
    a wider contract), announced to the candidate by the opening's level line."""

    senior: str = Field(default="", description="added at senior and staff")
    staff: str = Field(default="", description="added at staff")


class CodeCheck(Strict):
    """Small tests a coding round can run against the candidate's code (issue: coding round)."""

    entry_point: Text
    tests: Text
    timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    numpy: bool = Field(
        default=False,
        description="the task is written with NumPy: its tests import it, so the check runs "
        "only where NumPy is installed",
    )
    levels: LevelTests = Field(default_factory=LevelTests)

    def tests_for(self, level: Level | None) -> str:
        """The asserts run at ``level``: the task's own, then those its level adds (None:
        the task's own only)."""
        parts = [self.tests]
        if level in (Level.senior, Level.staff):
            parts.append(self.levels.senior)
        if level is Level.staff:
            parts.append(self.levels.staff)
        return "\n".join(part.strip("\n") for part in parts if part.strip())


Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class Probe(Strict):
    """One follow-up an interviewer may use, phrased as a condition, never carrying the answer.

    ``when`` tells the model when the probe fits; ``ask`` is the line itself, speakable as
    it stands (a scripted round says it verbatim); ``keywords`` are words in an answer that
    make the probe fit, used to choose probes for the answer in hand; ``answered_by`` are
    words showing the answer already made the probe's point (a label's delay given in
    days), so the probe is not asked for what the candidate has just said.
    """

    when: Text
    ask: Text
    keywords: list[Keyword] = Field(default_factory=list)
    answered_by: list[Keyword] = Field(
        default_factory=list,
        description="words showing the last answer already made this probe's point",
    )


class Topic(Strict):
    """A main area of the round: its question, the dimensions it probes, its follow-ups."""

    id: Slug
    question: Text
    dimensions: list[Slug] = Field(min_length=1, description="the dimensions this area probes")
    probes: list[Probe] = Field(min_length=1)
    followups: int | None = Field(
        default=None, ge=0, le=6, description="follow-ups on this area; default: the round's"
    )
    keywords: list[Keyword] = Field(
        default_factory=list,
        description="words that show the candidate already covered this area unprompted",
    )


class Fact(Strict):
    """Something the interviewer tells when the candidate asks: the opening's fact sheet."""

    about: Text = Field(description="a few words naming what the fact is about")
    keywords: list[Keyword] = Field(min_length=1)
    answer: Text


class Twist(Strict):
    """A planned turn in the scenario, played once after a given area."""

    after: Slug = Field(description="the topic after which the twist is played")
    kind: Literal["constraint", "trap", "market", "assumption"]
    say: Text


class JudgeReference(Strict):
    """What only the judge sees: what a strong answer covers, facts to uncover, worked results."""

    covers: list[Text] = Field(min_length=3, max_length=12)
    uncover: list[Text] = Field(
        default_factory=list, description="facts a strong candidate draws out by asking"
    )
    worked: str = Field(default="", description="worked results, for derivations and code")


class OpeningLevels(Strict):
    """How the scenario itself changes with the level: a line added to the prompt."""

    junior: str = ""
    senior: str = ""
    staff: str = ""

    def for_level(self, level: Level) -> str:
        return str(getattr(self, level.value))


class RoleCard(Strict):
    """Who the interviewer is in a candidate-led round; overrides the persona's name and title."""

    name: Text
    title: Text


class Opening(Strict):
    """One scenario from a round's opening bank; two sessions rarely draw the same one.

    ``prompt`` is shown to the candidate verbatim; everything the candidate should not see
    (facts that surface only when asked, what a strong answer covers) lives in ``facts``
    and ``reference``.
    """

    id: Slug
    title: Text
    domain: Slug | None = Field(
        default=None, description="the product domain, so a loop never repeats one across rounds"
    )
    prompt: Text
    topics: list[Slug] = Field(min_length=1, description="the areas this scenario runs, in order")
    facts: list[Fact] = Field(default_factory=list)
    twist: Twist | None = None
    levels: OpeningLevels = Field(default_factory=OpeningLevels)
    role: RoleCard | None = None
    extension: str = Field(default="", description="asked once the candidate's code works")
    reference: JudgeReference | None = None
    check: CodeCheck | None = Field(
        default=None,
        description="tests run against the candidate's code; per opening, since each task differs",
    )


class Overview(Strict):
    """An uninterrupted overview at the start (a paper, a project): only 'go on' until done."""

    turns: int = Field(default=2, ge=1, le=4, description="answers heard before any probing")


class Framing(Strict):
    """The fallback framing question, asked only when the candidate jumps to a model first."""

    model_words: list[Keyword] = Field(min_length=1)
    framing_words: list[Keyword] = Field(min_length=1)
    ask: Text


class Moves(Strict):
    """The round's own moves, beyond question and follow-up; the session owns when they fire."""

    start: str = Field(
        default="", description="a neutral invitation asked instead of the first topic's question"
    )
    overview: Overview | None = None
    framing: Framing | None = None


class Budget(Strict):
    """The round's clock and turn caps; the session enforces them, not the model."""

    minutes: int = Field(ge=5, le=180)
    max_candidate_turns: int = Field(ge=3, le=200)
    followups_per_topic: int = Field(ge=0, le=6)
    topics_per_session: int = Field(ge=1, le=20)
    wrap_up_at: float = Field(
        default=0.8, gt=0, lt=1, description="fraction of the time after which the session wraps up"
    )


class HireBar(Strict):
    """The weighted verified score at which the hire signal tips from lean-no to lean-yes."""

    junior: float = Field(default=2.8, ge=1, le=5)
    senior: float = Field(default=3.2, ge=1, le=5)
    staff: float = Field(default=3.6, ge=1, le=5)

    def for_level(self, level: Level) -> float:
        return float(getattr(self, level.value))


def _all_known(owner: str, kind: str, named: list[str], known: set[str]) -> None:
    """Raise the one-line error for names in ``named`` that ``known`` lacks."""
    stray = [n for n in named if n not in known]
    if stray:
        raise ValueError(
            f"{owner} names unknown {kind}: {', '.join(stray)} (known: {', '.join(sorted(known))})"
        )


class Round(Strict):
    version: Literal[1] = 1
    id: Slug
    title: Text
    summary: Text = Field(description="one line for listings")
    tests: Text = Field(description="what the round tests, shown to interviewer and judge")
    candidate_brings: Literal["nothing", "paper", "project", "questions"] = "nothing"
    budget: Budget
    openings: list[Opening] = Field(min_length=1)
    topics: list[Topic] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    level_expectations: LevelNotes
    moves: Moves = Field(default_factory=Moves)
    interviewer_notes: str = ""
    hire_bar: HireBar = Field(
        default_factory=HireBar,
        description="per level, the weighted score a hire needs; defaults 2.8, 3.2, 3.6",
    )
    tracks: dict[Slug, TrackEmphasis] = Field(
        default_factory=dict,
        description="track id: how that track weighs the round (see for_track)",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Round:
        for label, items in (
            ("openings", self.openings),
            ("topics", self.topics),
            ("dimensions", self.dimensions),
        ):
            ids = [item.id for item in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{label} ids must be unique; repeated: {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _known_references(self) -> Round:
        dims = {d.id for d in self.dimensions}
        topics = {t.id for t in self.topics}
        for topic in self.topics:
            _all_known(f"topic '{topic.id}'", "dimensions", topic.dimensions, dims)
        for opening in self.openings:
            _all_known(f"opening '{opening.id}'", "topics", opening.topics, topics)
            if opening.twist and opening.twist.after not in opening.topics:
                raise ValueError(
                    f"opening '{opening.id}': twist.after '{opening.twist.after}' is not one of "
                    "its topics"
                )
        for track, emphasis in self.tracks.items():
            _all_known(f"tracks.{track}.weights", "dimensions", list(emphasis.weights), dims)
            _all_known(f"tracks.{track}.followups", "topics", list(emphasis.followups), topics)
        return self

    def for_track(self, track: str | None) -> Round:
        """The round as ``track`` runs it, in one place for every reader: the track's
        weights in place of the dimensions' own (so the judge's rubric, the overall and the
        hire signal use them), its follow-ups added to each area's, and its bar after every
        level's expectation, which the interviewer and the judge both read. The round
        itself for no track, or a track it does not name. The result names no tracks, so
        applying it twice changes nothing more."""
        emphasis = self.tracks.get(track) if track else None
        if emphasis is None or track is None:
            return self
        dimensions = [
            d.model_copy(update={"weight": emphasis.weights.get(d.id, d.weight)})
            for d in self.dimensions
        ]
        topics = [
            t.model_copy(update={"followups": self._shifted(t, emphasis.followups[t.id])})
            if t.id in emphasis.followups
            else t
            for t in self.topics
        ]
        bar = f"On the {track_words(track)} track: {emphasis.bar}"
        notes = self.level_expectations
        expectations = LevelNotes(
            junior=f"{notes.junior} {bar}",
            senior=f"{notes.senior} {bar}",
            staff=f"{notes.staff} {bar}",
        )
        return self.model_copy(
            update={
                "dimensions": dimensions,
                "topics": topics,
                "level_expectations": expectations,
                "tracks": {},
            }
        )

    def _shifted(self, topic: Topic, shift: int) -> int:
        base = topic.followups if topic.followups is not None else self.budget.followups_per_topic
        return min(6, max(0, base + shift))

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def opening(self, opening_id: str) -> Opening | None:
        return next((o for o in self.openings if o.id == opening_id), None)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)
