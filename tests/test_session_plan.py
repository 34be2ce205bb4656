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


# ------------------------------------------------------------------- being heard

DESIGN = Catalog().round("ml-system-design").item


def at_area(topic: str, level: Level = Level.senior, opening: str = "payments-fraud"):
    """A session whose interviewer has just asked an area's question."""
    session, t = session_for(DESIGN, opening, level)
    record(t, session.next_step(T0))
    add(t, Role.candidate, "Approve, decline or review, against fraud loss and false declines.")
    area = DESIGN.topic(topic)
    record(t, Step(Phase.question, area, "question", "", area.question))
    return session, t


def reply(session: Session, t: Transcript, text: str) -> Step:
    add(t, Role.candidate, text)
    return session.next_step(t.turns[-1].ended_at)


def test_a_probe_never_asks_for_what_was_just_said():
    session, t = at_area("data-labels")
    said = "Labels come from chargebacks, which arrive 30 to 90 days later; reviewed cases sooner."
    step = reply(session, t, said)
    assert step.move == "probe" and "never get a label" in step.say
    assert not any("How long does that label take" in p for p in step.probes)
    assert "How long does that label take" not in step.say


def test_a_probe_that_refers_back_is_not_used_when_nothing_was_said_to_refer_to():
    session, t = at_area("objective-metric")
    step = reply(session, t, "Whoever reviews the flagged cases acts on it, mostly.")
    assert step.move == "probe-fallback"
    assert not any("that metric" in p or "that signal" in p for p in step.probes)
    assert step.say in step.probes  # a fresh probe of the area, in its own words


@pytest.mark.parametrize("level", [Level.junior, Level.senior], ids=str)
def test_i_dont_know_always_gets_a_foothold_from_the_area(level):
    """At junior level the features area has no follow-ups left; a foothold is still given."""
    session, t = at_area("features", level)
    step = reply(session, t, "I don't know.")
    features = [p.ask for p in DESIGN.topic("features").probes]
    assert step.move == "dont-know" and "Let's move on" not in step.say
    assert any(ask in step.say for ask in features)
    record(t, step)
    step = reply(session, t, "Sorry, no idea.")  # twice running: on to the next area
    assert step.phase is Phase.question or step.move == "dont-know"


def test_earlier_you_said_quotes_the_sentence_that_made_the_point():
    session, t = session_for(DESIGN, "payments-fraud", Level.senior)
    record(t, session.next_step(T0))
    said = "Chargeback labels arrive late, so the training data lags by up to 90 days."
    add(t, Role.candidate, f"We'd read the logs first. Latency is tight. {said}")
    step = session._next_topic(DESIGN.topic("data-labels"))
    assert step.move == "build-on"
    quote = step.directive
    assert said in quote and "read the logs" not in quote


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        pytest.param(None, "Nothing ran it", id="no-check"),
        pytest.param("not-run", "could not run it", id="not-run"),
        pytest.param("failed", "ran it against the task's tests", id="failed"),
    ],
)
def test_a_probe_on_code_says_truthfully_what_the_software_did(kind, says):
    coding = Catalog().round("coding").item
    opening = coding.openings[0]
    session, t = session_for(coding, opening.id, Level.senior)
    record(t, session.next_step(T0))
    add(t, Role.candidate, "```python\ndef f(x):\n    return x\n```")
    if kind:
        add(t, Role.system, f"Code check ({kind}).")
        t.turns[-1].kind = kind
    step = session.next_step(t.turns[-1].ended_at)
    assert step.move == "probe-code" and says in step.directive
    if kind != "failed":
        assert "the software ran it" not in step.directive


def test_a_derivation_in_research_math_is_probed_as_maths():
    maths = Catalog().round("research-math").item
    session, t = session_for(maths, maths.openings[0].id, Level.senior)
    record(t, session.next_step(T0))
    step = reply(session, t, "z = w x + b\np = sigma(z)\nloss = -log p\n=> dloss/dz = p - y")
    assert step.move not in ("probe-code",) and "ran it" not in step.directive


@pytest.mark.parametrize(
    "text",
    [
        "I'd train a GBDT on the transaction history.",
        "A DNN over the card's history.",
        "Gradient-boosted trees on merchant features.",
    ],
)
def test_the_model_first_fallback_hears_every_model_family(text):
    session, t = session_for(DESIGN, "payments-fraud", Level.senior)
    record(t, session.next_step(T0))
    assert reply(session, t, text).move == "framing"
