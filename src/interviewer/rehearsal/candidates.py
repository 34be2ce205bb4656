"""Simulated candidates: the shipped set (``calibration/candidates.toml``) and their answers.

A simulated candidate answers the interviewer's latest turn from the scenario in play:
what a strong answer covers, the area's own words, the opening's facts, the task's entry
point. It is no language model and does not need one: its job is to give the interviewer
the kinds of answer real candidates give (strong, vague, terse, shorthand, hedged, "I
don't know", a question back, code, a derivation, off-topic, long), each with the reading
it should get, at a pace that runs the interviewer's clock as a person typing would.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from interviewer.catalog.library import data_root
from interviewer.errors import UserError
from interviewer.formats.base import Strict, Text
from interviewer.formats.rounds import Opening, Round, Topic
from interviewer.formats.transcript import Phase, Role, Transcript, Turn
from interviewer.interview.answer_kinds import AnswerKind

Recipe = Literal[
    "points", "lines", "hedged", "dont-know", "clarify", "code", "derivation", "long", "asker"
]
OFFERED = (Phase.wrap_up, Phase.candidate_questions, Phase.closing)
"""Phases in which the candidate has been asked for their own questions."""


class CandidateSpec(Strict):
    """One simulated candidate: how its answers are built, read and paced."""

    id: Text
    about: Text
    recipe: Recipe
    reads_as: AnswerKind
    pace_seconds: int = Field(ge=5, le=1800)
    rounds: list[str] = Field(default_factory=list)
    lines: list[Text] = Field(default_factory=list)
    then: list[Text] = Field(default_factory=list, description="after a foothold")
    asks: str = Field(default="", description="its question at the end (default: the set's)")

    @model_validator(mode="after")
    def _lines_where_needed(self) -> CandidateSpec:
        if self.recipe in ("lines", "hedged", "dont-know", "clarify", "asker") and not self.lines:
            raise ValueError(f"candidate '{self.id}': recipe '{self.recipe}' needs lines")
        return self

    def applies_to(self, round_: Round) -> bool:
        """The rounds this candidate makes sense in: askers where the candidate asks."""
        if (round_.candidate_brings == "questions") != (self.recipe == "asker"):
            return False
        return not self.rounds or round_.id in self.rounds


class Questions(Strict):
    ask: Text
    done: Text


class CandidateSet(Strict):
    version: Literal[1] = 1
    candidates: list[CandidateSpec] = Field(min_length=1)
    questions: Questions

    @model_validator(mode="after")
    def _unique(self) -> CandidateSet:
        ids = [c.id for c in self.candidates]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"candidate ids are not unique: {', '.join(dupes)}")
        return self

    def named(self, names: list[str]) -> list[CandidateSpec]:
        known = {c.id: c for c in self.candidates}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UserError(
                f"no simulated candidate named {', '.join(unknown)}",
                hint=f"choose from: {', '.join(known)}",
            )
        return [known[n] for n in names] if names else list(self.candidates)


def shipped_candidates() -> Path:
    return data_root() / "calibration" / "candidates.toml"


def load_candidates(path: Path | None = None) -> tuple[CandidateSet, str]:
    """The candidate set and its file's hash (a changed set is a new rehearsal)."""
    path = path or shipped_candidates()
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        return CandidateSet.model_validate(data), hashlib.sha256(raw).hexdigest()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise UserError(f"{path}: {where}: {first['msg']}") from None


@dataclass(frozen=True)
class Answer:
    """One simulated answer and how the interviewer should read it."""

    text: str
    reads_as: AnswerKind


@dataclass
class Candidate:
    """A simulated candidate in one session: reads the transcript, answers the last turn."""

    spec: CandidateSpec
    questions: Questions
    round: Round
    opening: Opening
    transcript: Transcript
    expected: list[AnswerKind] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)
    _asked_facts: int = 0

    def answer(self) -> Answer:
        """The answer to the interviewer's latest turn; its reading is kept in ``expected``."""
        turns = [t for t in self.transcript.turns if t.role is Role.interviewer]
        last = turns[-1] if turns else None
        if last is not None and last.phase in OFFERED:
            asked = sum(1 for t in turns if t.phase in OFFERED) > 1
            reply = (
                Answer(self.questions.done, AnswerKind.no_more_questions)
                if asked
                else Answer(self.spec.asks or self.questions.ask, AnswerKind.question)
            )
        else:
            reply = self._in_area(last)
        self.expected.append(reply.reads_as)
        return reply

    def _area(self, last: Turn | None) -> Topic:
        topic = self.round.topic(last.topic) if last is not None and last.topic else None
        return topic or self.round.topic(self.opening.topics[0]) or self.round.topics[0]

    def _answers_in_area(self, topic: Topic) -> int:
        """How many answers this candidate has given on the area so far."""
        turns = self.transcript.turns
        count, area = 0, None
        for turn in turns:
            if turn.role is Role.interviewer:
                area = turn.topic
            elif turn.role is Role.candidate and area == topic.id:
                count += 1
        return count

    def _in_area(self, last: Turn | None) -> Answer:
        topic = self._area(last)
        nth = self._answers_in_area(topic)
        recipe = self.spec.recipe
        if recipe == "dont-know":
            if last is not None and last.move == "dont-know":
                return Answer(
                    self._fill(self._pick(self.spec.then, nth), topic), AnswerKind.substantive
                )
            return Answer(self._pick(self.spec.lines, nth), AnswerKind.dont_know)
        if recipe == "clarify" and nth == 0 and self._fact() is not None:
            return Answer(self._fill(self._pick(self.spec.lines, nth), topic), AnswerKind.question)
        if recipe == "asker":
            return self._ask(topic, nth)
        if recipe == "code" and nth % 2 == 0 and self.opening.check is not None:
            return Answer(self._code(), AnswerKind.code)
        if recipe == "derivation" and self.opening.reference and self.opening.reference.worked:
            return Answer(self._derivation(nth), AnswerKind.substantive)
        if recipe in ("lines", "hedged"):
            return Answer(self._fill(self._pick(self.spec.lines, nth), topic), self.spec.reads_as)
        if recipe == "long":
            return Answer(self._long(topic), AnswerKind.substantive)
        return Answer(self._points(topic, last), AnswerKind.substantive)

    # ------------------------------------------------------------------ recipes

    @staticmethod
    def _pick(lines: list[str], nth: int) -> str:
        return lines[nth % len(lines)]

    def _terms(self, topic: Topic) -> list[str]:
        words = list(topic.keywords)
        for probe in topic.probes:
            words += [k for k in probe.keywords if k not in words]
        return words or [topic.id.replace("-", " ")]

    def _covers(self, topic: Topic, extra: list[str], count: int) -> list[str]:
        """Unused points of a strong answer, those that share most words with the area."""
        reference = self.opening.reference
        if reference is None:
            return []
        words = {w.lower() for w in self._terms(topic) + extra}

        def overlap(point: str) -> int:
            return sum(1 for w in words if w in point.lower())

        fresh = [p for p in reference.covers if p not in self._used]
        chosen = sorted(fresh, key=lambda p: -overlap(p))[:count]
        self._used.update(chosen)
        return chosen

    def _fact(self) -> str | None:
        facts = self.opening.facts
        if self._asked_facts >= len(facts):
            return None
        return facts[self._asked_facts].about

    def _fill(self, line: str, topic: Topic) -> str:
        terms = self._terms(topic)
        fact = self._fact()
        if "$fact" in line:
            self._asked_facts += 1
        covers = self._covers(topic, [], 1)
        point = covers[0] if covers else f"{terms[0]} matters most here"
        return Template(line).safe_substitute(
            term=terms[0],
            other=terms[1 % len(terms)],
            area=topic.id.replace("-", " "),
            point=point[0].lower() + point[1:].rstrip("."),
            fact=fact or "the constraints",
        )

    def _points(self, topic: Topic, last: Turn | None) -> str:
        probe_words = [
            k for p in topic.probes if last is not None and p.ask in last.probes for k in p.keywords
        ]
        covers = self._covers(topic, probe_words, 2)
        terms = [t for t in probe_words + self._terms(topic) if t][:3]
        said = " ".join(f"I would make sure of this: {c}" for c in covers)
        close = f"The parts I would weigh against each other are {', '.join(terms)}."
        return f"{said} {close}".strip()

    def _long(self, topic: Topic) -> str:
        covers = self._covers(topic, [], 4)
        terms = self._terms(topic)
        body = " ".join(covers) or f"I would think hard about {', '.join(terms)}."
        words = ", ".join(terms)
        padding = (
            f"To say it again in other words, the heart of it is {words}, and I would want to "
            "check each of those carefully, with numbers, before trusting any of it. "
        )
        return f"{body} {padding * 6}".strip()

    def _code(self) -> str:
        check = self.opening.check
        assert check is not None
        return (
            "```python\n"
            f"def {check.entry_point}(*args, **kwargs):\n"
            "    # a first pass: the simple case only\n"
            "    return None\n"
            "```"
        )

    def _derivation(self, nth: int) -> str:
        """Typed line by line, as a candidate works a derivation at the keyboard: equations
        (most lines of the form ``x = ...``) around two steps of the worked result."""
        assert self.opening.reference is not None
        steps = [s.strip() for s in self.opening.reference.worked.replace("\n", " ").split(". ")]
        steps = [s for s in steps if s]
        start = (nth * 2) % max(len(steps), 1)
        return "\n".join([*self.spec.lines, *steps[start : start + 2]])

    def _ask(self, topic: Topic, nth: int) -> Answer:
        if nth >= 2 or self._fact() is None:
            return Answer("No more questions on that, thanks.", AnswerKind.no_more_questions)
        return Answer(self._fill(self._pick(self.spec.lines, nth), topic), AnswerKind.question)
