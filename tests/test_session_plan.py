"""The session listens and keeps its plan in time: issue 19's behaviours, on the real rounds.

Each test plays a candidate against the session with no model (the scripted round), so what
is asserted is what the session decides: which area, which move, which probe, which words.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from builders import T0, add, transcript
from interviewer.catalog.library import Catalog, read_steps
from interviewer.catalog.plan import followup_budget, plan_topics
from interviewer.formats.levels import Level
from interviewer.formats.rounds import Round
from interviewer.formats.transcript import Phase, Role, Transcript, Turn
from interviewer.interview.session import FOLLOWUP_MOVES, Session, Speaker, Step

SPEAKER = Speaker("Maya Lindqvist", "Senior research scientist", "Hi, I'm Maya.")
ROUNDS = [e.item for e in Catalog().rounds()]
CASES = [pytest.param(r, o.id, id=f"{r.id}-{o.id}") for r in ROUNDS for o in r.openings]
NEUTRAL = "I would state my assumptions first and then reason through it step by step."
ASKING = "Could you say a bit more about that?"


def session_for(round_: Round, opening: str, level: Level) -> tuple[Session, Transcript]:
    t = transcript(round_.id, opening=opening, level=level)
    t.plan = plan_topics(round_, round_.opening(opening))
    return Session(round_, round_.opening(opening), t, read_steps(), SPEAKER), t


def record(t: Transcript, step: Step) -> None:
    """The interviewer's turn as the runner records it (the model's writing time is not
    on the candidate's clock)."""
    start = t.turns[-1].ended_at if t.turns else T0
    t.turns.append(
        Turn(
            role=Role.interviewer,
            text=step.say,
            started_at=start,
            ended_at=start + timedelta(seconds=20),
            phase=step.phase,
            topic=step.topic.id if step.topic else None,
            move=step.move,
            probes=list(step.probes),
        )
    )


def play(round_: Round, opening: str, level: Level, minutes: float) -> list[Turn]:
    """A whole round at a steady pace, up to the wrap-up: the interviewer's turns."""
    session, t = session_for(round_, opening, level)
    text = ASKING if round_.candidate_brings == "questions" else NEUTRAL
    for _ in range(round_.budget.max_candidate_turns + 5):
        step = session.next_step(t.turns[-1].ended_at if t.turns else T0)
        if step.phase in (Phase.wrap_up, Phase.candidate_questions, Phase.closing):
            break
        record(t, step)
        add(t, Role.candidate, text, minutes=minutes)
    return [turn for turn in t.turns if turn.role is Role.interviewer]


@pytest.mark.parametrize(("round_", "opening"), CASES)
def test_at_two_minutes_an_answer_a_staff_session_reaches_every_area(round_, opening):
    asked = play(round_, opening, Level.staff, minutes=2)
    reached = {turn.topic for turn in asked}
    assert reached >= set(plan_topics(round_, round_.opening(opening)))
    twist = round_.opening(opening).twist
    if twist is not None:  # the twist and its follow-up are kept whatever the clock
        moves = [turn.move for turn in asked]
        assert moves.index("twist-followup") == moves.index("twist") + 1


@pytest.mark.parametrize(("round_", "opening"), CASES[::7])
def test_at_a_fast_pace_no_follow_up_is_cut(round_, opening):
    if round_.candidate_brings == "questions":
        pytest.skip("the candidate leads: there are no follow-ups to cut")
    asked = play(round_, opening, Level.senior, minutes=0.5)
    for topic_id in plan_topics(round_, round_.opening(opening)):
        topic = round_.topic(topic_id)
        spent = sum(1 for t in asked if t.topic == topic_id and t.move in FOLLOWUP_MOVES)
        assert spent == followup_budget(round_, topic, Level.senior), topic_id
