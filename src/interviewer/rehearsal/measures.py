"""What one rehearsed session says about the interviewer, read from its transcript.

Every figure is counted from what was recorded and shown (the turns, their moves and
probes, the screen), never from what the interviewer meant to do, so the same measures
apply to a scripted round, a hosted model and a small local one. Each figure is a count
and the count it is out of, so the report can pool sessions and bootstrap over them.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import Field

from interviewer.formats.base import Record
from interviewer.formats.rounds import Probe, Round, Topic
from interviewer.formats.transcript import Phase, Role, Transcript, Turn
from interviewer.interview.answer_kinds import AnswerKind, classify, classify_reply_to_offer
from interviewer.interview.leaks import Detector, Hidden, find_leaks
from interviewer.interview.session import mentions

VERSION = 4
"""Raised whenever what a session's figures mean changes: results measured by another
version are not reused (``run.run_key``), so a rerun measures every session afresh."""
PROBE_MOVES = frozenset({"probe", "probe-hedged", "probe-code"})
AREA_MOVES = frozenset({"question", "build-on", "invite"})
LATE = (Phase.wrap_up, Phase.candidate_questions, Phase.closing)


class Measures(Record):
    """One session's counts: each ``x`` with the ``x_of`` it is out of."""

    dimensions: int = 0
    dimensions_asked: int = 0
    areas: int = 0
    areas_asked: int = 0
    area_questions: int = 0
    asked_again: int = 0
    probes: int = 0
    could_choose: int = Field(default=0, description="follow-ups whose answer fit a probe")
    from_answer: int = 0
    already_answered: int = 0
    twists: int = 0
    twists_followed: int = 0
    dont_knows: int = 0
    footholds: int = 0
    replies: int = 0
    guarded: int = 0
    leaks: dict[str, int] = Field(default_factory=dict, description="replies showing each kind")
    screen_nonce: bool = False
    answers: int = 0
    misrouted: int = 0
    misroutes: list[str] = Field(default_factory=list, description="a few, for the report")
    first_word_ms: list[float] = Field(default_factory=list)
    minutes: float = 0.0


def _covered(earlier: list[str], topic: Topic) -> bool:
    """The candidate already covered an area: two of its words in one answer (one, when the
    area names fewer than three)."""
    if not topic.keywords:
        return False
    need = 2 if len(topic.keywords) >= 3 else 1
    return any(sum(mentions(a, k) for k in topic.keywords) >= need for a in earlier)


def _probe(round_: Round, topic_id: str | None, ask: str) -> Probe | None:
    topic = round_.topic(topic_id) if topic_id else None
    return next((p for p in topic.probes if p.ask == ask), None) if topic else None


def _areas(m: Measures, turns: list[Turn], round_: Round, plan: list[str]) -> None:
    """Dimensions and areas reached before the wrap-up; covered areas asked again."""
    before = []
    for turn in turns:
        if turn.role is Role.interviewer and turn.phase in LATE:
            break
        before.append(turn)
    asked = {t.topic for t in before if t.role is Role.interviewer and t.topic}
    dims = {d for tid in asked if (t := round_.topic(tid)) for d in t.dimensions}
    scored = [d.id for d in round_.dimensions]
    m.dimensions, m.dimensions_asked = len(scored), sum(1 for d in scored if d in dims)
    m.areas, m.areas_asked = len(plan), sum(1 for tid in plan if tid in asked)
    earlier: list[str] = []
    seen: set[str] = set()
    for turn in before:
        if turn.role is Role.candidate:
            earlier.append(turn.text)
            continue
        if turn.role is not Role.interviewer or turn.move not in AREA_MOVES or not turn.topic:
            continue
        topic = round_.topic(turn.topic)
        m.area_questions += 1
        again = turn.topic in seen or (
            turn.move == "question" and topic is not None and _covered(earlier, topic)
        )
        m.asked_again += again
        seen.add(turn.topic)


def _fitting(topic: Topic | None, answer: str, used: set[str]) -> set[str]:
    """The area's probes the answer gave the interviewer to choose from: not yet asked,
    one of their words in the answer, their point not already made in it."""
    if topic is None:
        return set()
    return {
        p.ask
        for p in topic.probes
        if p.ask not in used
        and any(mentions(answer, k) for k in p.keywords)
        and not any(mentions(answer, k) for k in p.answered_by)
    }


def _follow_up(m: Measures, turn: Turn, round_: Round, answer: str, used: set[str]) -> None:
    """One follow-up against the answer it follows: whether the answer offered a probe to
    choose from and one of those was chosen (a fallback chose none), and whether the probe
    chosen asks for a point the answer already made."""
    m.probes += 1
    fitting = _fitting(round_.topic(turn.topic) if turn.topic else None, answer, used)
    chosen = turn.probes[0] if turn.probes and turn.move != "probe-fallback" else None
    if fitting:
        m.could_choose += 1
        m.from_answer += chosen in fitting
    probe = _probe(round_, turn.topic, turn.probes[0]) if turn.probes else None
    if probe is not None:
        m.already_answered += any(mentions(answer, k) for k in probe.answered_by)


def _followups(m: Measures, turns: list[Turn], round_: Round) -> None:
    """Probes against the answer they follow; twists and "I don't know" against what came next."""
    last_answer = ""
    used: dict[str, set[str]] = {}
    for n, turn in enumerate(turns):
        if turn.role is Role.candidate:
            last_answer = turn.text
            nxt = next((t for t in turns[n + 1 :] if t.role is Role.interviewer), None)
            if (
                turn.kind == AnswerKind.dont_know.value
                and nxt is not None
                and nxt.phase not in LATE
            ):
                m.dont_knows += 1
                m.footholds += nxt.move == "dont-know"
            continue
        if turn.role is not Role.interviewer:
            continue
        asked = used.setdefault(turn.topic or "", set())
        if turn.move == "probe-fallback" or (turn.move in PROBE_MOVES and turn.probes):
            _follow_up(m, turn, round_, last_answer, asked)
        asked.update(turn.probes[:1])
        if turn.move == "twist":
            later = [t for t in turns[n + 1 :] if t.role is Role.interviewer]
            if later and later[0].phase not in LATE:
                m.twists += 1
                m.twists_followed += later[0].phase is Phase.followup and (
                    later[0].topic == turn.topic
                )


def _replies(m: Measures, turns: list[Turn], hidden: Hidden, screen: str) -> None:
    kinds: Counter[str] = Counter()
    detector = Detector(hidden)
    for turn in turns:
        if turn.role is not Role.interviewer:
            continue
        m.replies += 1
        m.guarded += turn.cut is not None
        for leak in set(find_leaks(turn.text, detector)):
            kinds[str(leak)] += 1
        if turn.latency_ms is not None:
            m.first_word_ms.append(round(turn.latency_ms, 1))
    m.leaks = dict(kinds)
    m.screen_nonce = bool(hidden.nonce) and hidden.nonce in screen


def _routing(m: Measures, turns: list[Turn], round_: Round, expected: list[AnswerKind]) -> None:
    """Each answer read as the session reads it, against how it should be read."""
    led = round_.candidate_brings == "questions"
    last: Turn | None = None
    answers = iter(expected)
    for turn in turns:
        if turn.role is Role.interviewer:
            last = turn
        if turn.role is not Role.candidate:
            continue
        want = next(answers, None)
        if want is None:
            break
        offered = led or (last is not None and last.phase in LATE)
        read = (classify_reply_to_offer if offered else classify)(turn.text)
        m.answers += 1
        if read is not want:
            m.misrouted += 1
            if len(m.misroutes) < 3:
                text = re.sub(r"\s+", " ", turn.text)[:80]
                m.misroutes.append(f"{want.value} read as {read.value}: {text}")


def measure(
    transcript: Transcript,
    round_: Round,
    expected: list[AnswerKind],
    hidden: Hidden,
    screen: str,
) -> Measures:
    """Every figure of one session (``expected``: how each answer should have been read)."""
    m = Measures()
    turns = transcript.turns
    _areas(m, turns, round_, transcript.plan)
    _followups(m, turns, round_)
    _replies(m, turns, hidden, screen)
    _routing(m, turns, round_, expected)
    if turns:
        m.minutes = round((turns[-1].ended_at - turns[0].started_at).total_seconds() / 60, 1)
    return m
